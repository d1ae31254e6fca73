//! The Practices screen: totals, then the ranking with a cut line at the threshold, each
//! practice's care managers and overflow.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{OVER, Theme, clip, filter_span, highlighted, title_line, totals_line};
use crate::tui::model::{Facet, Model, PracticeSort};

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let mut third = vec![
        Span::styled(format!("threshold {}", m.threshold()), theme.cut()),
        Span::raw(format!(": {} high-volume", m.totals.high_volume)),
    ];
    third.extend(filter_span(&m.practices.search, theme));
    match &m.facet {
        Some(Facet::County(c)) => third.push(Span::styled(format!("  ·  county {c}"), theme.title())),
        Some(Facet::Waiver(w)) => third.push(Span::styled(format!("  ·  waiver {w}"), theme.title())),
        None => {}
    }
    if m.practice_sort != PracticeSort::Rank {
        third.push(Span::raw(format!("  ·  sorted by {:?}", m.practice_sort).to_lowercase()));
    }
    let lines = vec![title_line(m, theme), totals_line(m), Line::from(third)];
    frame.render_widget(Paragraph::new(lines), head);
    draw_table(frame, table, m, theme)
}

fn draw_table(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    // Borders, the heading and one row kept for the cut line.
    let page = (area.height as usize).saturating_sub(4).max(1);
    let d = &m.data;
    let cut = m.totals.high_volume as u32;
    let ranked = &d.analysis.ranked;
    // rank, county, duals, HCBS, overflow; borders and the gaps between the seven columns.
    let fixed = 4 + 11 + 5 + 5 + 5 + 2 + 6;
    let name_w = (area.width as usize).saturating_sub(fixed + 18).clamp(12, 60);
    let cm_w = (area.width as usize).saturating_sub(fixed + name_w);
    let show_cut = m.practice_sort == PracticeSort::Rank;
    let mut rows: Vec<Row> = Vec::with_capacity(page + 1);
    let mut prev: Option<u32> = None;
    for (i, ri) in m.practices.visible(page) {
        if show_cut && ri >= cut && prev.is_some_and(|p| p < cut) {
            let label = clip(&format!("── cut: duals seen ≥ {} above ──", m.threshold()), name_w);
            rows.push(Row::new(vec![Cell::from("────"), Cell::from(label)]).style(theme.cut()));
        }
        prev = Some(ri);
        let r = &ranked[ri as usize];
        let p = &d.ds.roster.practices[r.practice as usize];
        let cms: Vec<String> = m.editor.plan.slots[r.practice as usize]
            .iter()
            .flatten()
            .map(|&c| format!("{}{}", d.cm_name(c), if m.totals.over(d, c) { OVER } else { "" }))
            .collect();
        let overflow = m.totals.now.practice_overflow[r.practice as usize];
        let row = Row::new(vec![
            Cell::from(r.rank.to_string()),
            Cell::from(highlighted(&p.name, name_w, &m.practices.search, theme)),
            Cell::from(clip(&p.place(), 11)),
            Cell::from(r.duals_seen.to_string()),
            Cell::from(m.totals.hcbs[r.practice as usize].to_string()),
            Cell::from(if overflow > 0 { format!("{overflow}!") } else { String::new() }).style(theme.warn()),
            Cell::from(clip(&cms.join(", "), cm_w)),
        ]);
        rows.push(if i == m.practices.cursor.pos { row.style(theme.selected()) } else { row });
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
    let title = if m.practices.is_empty() && m.practices.search.is_active() {
        format!(" no practice matches “{}” ", m.practices.search.text())
    } else {
        format!(
            " practices by duals seen — {} of {} ",
            (m.practices.cursor.pos + 1).min(m.practices.len()),
            m.practices.len()
        )
    };
    let table = Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title));
    frame.render_widget(table, area);
    page
}
