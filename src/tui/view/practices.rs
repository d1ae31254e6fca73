//! The Practices screen: totals, then the ranking with a cut line at the threshold, each
//! practice's care managers and overflow.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{OVER, Theme, clip, title_line, totals_line};
use crate::tui::state::{Facet, Model, PracticeSort, table_rows};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let mut third = vec![
        Span::styled(format!("threshold {}", m.threshold()), theme.cut()),
        Span::raw(format!(": {} high-volume", m.high_volume())),
    ];
    let filters = filter_text(m);
    if !filters.is_empty() {
        third.push(Span::styled(format!("  ·  {filters}"), theme.title()));
    }
    let lines = vec![title_line(m, "practices", theme), totals_line(m), Line::from(third)];
    frame.render_widget(Paragraph::new(lines), head);
    draw_table(frame, table, m, theme);
}

fn filter_text(m: &Model) -> String {
    let mut parts = Vec::new();
    if m.practice_query.typing || !m.practice_query.text.is_empty() {
        let cursor = if m.practice_query.typing { "▏" } else { "" };
        parts.push(format!("/{}{cursor}", m.practice_query.text));
    }
    match &m.facet {
        Some(Facet::County(c)) => parts.push(format!("county {c}")),
        Some(Facet::Waiver(w)) => parts.push(format!("waiver {w}")),
        None => {}
    }
    if m.practice_sort != PracticeSort::Rank {
        parts.push(format!("sorted by {:?}", m.practice_sort).to_lowercase());
    }
    parts.join("  ")
}

fn draw_table(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) {
    let page = table_rows((area.width, area.height + 4));
    let cut = m.high_volume() as u32;
    let ranked = &m.analysis.ranked;
    // rank, county, duals, HCBS, overflow; borders and the gaps between the seven columns.
    let fixed = 4 + 11 + 5 + 5 + 5 + 2 + 6;
    let name_w = (area.width as usize).saturating_sub(fixed + 18).clamp(12, 60);
    let cm_w = (area.width as usize).saturating_sub(fixed + name_w);
    let show_cut = m.practice_sort == PracticeSort::Rank;
    let mut rows: Vec<Row> = Vec::with_capacity(page + 1);
    let mut prev: Option<u32> = None;
    for (i, &ri) in m.practice_rows.iter().enumerate().skip(m.practice_cursor.offset).take(page) {
        if show_cut && ri >= cut && prev.is_some_and(|p| p < cut) {
            let label = clip(&format!("── cut: duals seen ≥ {} above ──", m.threshold()), name_w);
            rows.push(Row::new(vec![Cell::from("────"), Cell::from(label)]).style(theme.cut()));
        }
        prev = Some(ri);
        let r = &ranked[ri as usize];
        let p = &m.ds.roster.practices[r.practice as usize];
        let slots = m.editor.plan.slots[r.practice as usize];
        let cms: Vec<String> = slots
            .iter()
            .flatten()
            .map(|&c| {
                let over = if m.over_capacity(c) { OVER } else { "" };
                format!("{}{over}", m.ds.care_managers[c as usize].name)
            })
            .collect();
        let overflow = m.now.practice_overflow[r.practice as usize];
        let row = Row::new(vec![
            Cell::from(r.rank.to_string()),
            Cell::from(clip(&p.name, name_w)),
            Cell::from(clip(&p.place(), 11)),
            Cell::from(r.duals_seen.to_string()),
            Cell::from(m.hcbs[r.practice as usize].to_string()),
            Cell::from(if overflow > 0 { format!("{overflow}!") } else { String::new() }).style(theme.warn()),
            Cell::from(clip(&cms.join(", "), cm_w)),
        ]);
        rows.push(if i == m.practice_cursor.pos { row.style(theme.selected()) } else { row });
    }
    let header =
        Row::new(["rank", "practice", "county", "duals", "HCBS", "ovfl", "care managers"]).style(theme.title());
    let widths = [
        Constraint::Length(4),
        Constraint::Length(name_w as u16),
        Constraint::Length(11),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(cm_w as u16),
    ];
    let title = format!(
        " practices by duals seen — {} of {} ",
        (m.practice_cursor.pos + 1).min(m.practice_rows.len()),
        m.practice_rows.len()
    );
    let table = Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title));
    frame.render_widget(table, area);
}
