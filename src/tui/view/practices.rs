//! The Practices screen: data totals, then the ranking with a cut line at the threshold.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::Theme;
use crate::cli::thousands;
use crate::tui::state::{Model, table_rows};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    draw_header(frame, head, m, theme);
    draw_table(frame, table, m, theme);
}

fn draw_header(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) {
    let c = &m.ds.claims.stats;
    let hv = m.high_volume();
    let lines = vec![
        Line::from(vec![
            Span::styled("carealign ", theme.title()),
            Span::raw(format!(
                "{}  ·  {} practices  ·  {} clinicians  ·  {} CMs",
                m.ds.dir
                    .file_name()
                    .map_or_else(|| m.ds.dir.display().to_string(), |n| n.to_string_lossy().into_owned()),
                thousands(m.ds.roster.practices.len() as u64),
                thousands(m.ds.roster.clinicians.len() as u64),
                thousands(m.ds.care_managers.len() as u64),
            )),
        ]),
        Line::from(format!(
            "claims: {} lines, {} skipped  ·  duals: {}  ·  HCBS: {} ({} unmatched)",
            thousands(c.rows),
            thousands(c.skipped),
            thousands(m.ds.claims.members.len() as u64),
            thousands(m.ds.assessments.len() as u64),
            thousands(m.analysis.unmatched_answers() as u64),
        )),
        Line::from(vec![
            Span::styled(format!("threshold {}", m.threshold), theme.cut()),
            Span::raw(format!(": {hv} high-volume practices (duals seen ≥ {})", m.threshold)),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_table(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) {
    let page = table_rows((area.width, area.height + 4));
    let cut = m.high_volume();
    let ranked = &m.analysis.ranked;
    let mut rows: Vec<Row> = Vec::with_capacity(page + 1);
    for (i, r) in ranked.iter().enumerate().skip(m.offset).take(page) {
        if i == cut && i > 0 {
            rows.push(
                Row::new(vec![
                    Cell::from("────"),
                    Cell::from(format!("──── cut: duals seen ≥ {} above ────", m.threshold)),
                    Cell::from(""),
                    Cell::from("──────"),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                ])
                .style(theme.cut()),
            );
        }
        let p = &m.ds.roster.practices[r.practice as usize];
        let row = Row::new(vec![
            Cell::from(r.rank.to_string()),
            Cell::from(p.name.clone()),
            Cell::from(p.place()),
            Cell::from(r.duals_seen.to_string()),
            Cell::from(r.pc_lines.to_string()),
            Cell::from(r.clinicians.to_string()),
            Cell::from(r.hcbs_members.to_string()),
        ]);
        rows.push(if i == m.cursor { row.style(theme.selected()) } else { row });
    }
    let header =
        Row::new(["rank", "practice", "county/city", "duals", "PC lines", "clin", "HCBS"]).style(theme.title());
    let widths = [
        Constraint::Length(4),
        Constraint::Min(24),
        Constraint::Length(12),
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(5),
    ];
    let title = format!(" practices by duals seen — {} of {} ", m.cursor + 1, ranked.len());
    let table = Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title));
    frame.render_widget(table, area);
}
