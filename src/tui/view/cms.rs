//! The Care managers screen: every caseload against capacity, with moves since the start.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{OVER, Theme, clip, title_line, totals_line};
use crate::tui::state::{CmSort, Model, table_rows};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let over = (0..m.ds.care_managers.len() as u32).filter(|&c| m.over_capacity(c)).count();
    let moved = m.now.changed(&m.start);
    let mut third = vec![
        Span::raw(format!("{moved} members change CM  ·  ")),
        Span::styled(format!("{over} over capacity {OVER}"), if over > 0 { theme.warn() } else { theme.good() }),
        Span::raw(format!("  ·  sorted by {:?}", m.cm_sort).to_lowercase()),
    ];
    if m.cm_query.typing || !m.cm_query.text.is_empty() {
        third.push(Span::styled(format!("  ·  /{}", m.cm_query.text), theme.title()));
    }
    frame.render_widget(
        Paragraph::new(vec![title_line(m, "care managers", theme), totals_line(m), Line::from(third)]),
        head,
    );

    let page = table_rows((area.width, area.height + 4));
    // county, members, util, weighted, practices, in, out, a supervisor of 10; borders, 8 gaps.
    let name_w = (area.width as usize).saturating_sub(11 + 9 + 5 + 8 + 4 + 5 + 5 + 10 + 2 + 8).clamp(10, 40);
    let mut rows: Vec<Row> = Vec::with_capacity(page);
    for (i, &c) in m.cm_rows.iter().enumerate().skip(m.cm_cursor.offset).take(page) {
        let cm = &m.ds.care_managers[c as usize];
        let over = m.over_capacity(c);
        let mv = m.moves[c as usize];
        let practices = m.editor.plan.practices_of(c).len();
        let util = m.utilization(c);
        let util = if util.is_finite() { format!("{:.0}%", util * 100.0) } else { "—".into() };
        let members = format!("{}/{}{}", m.now.count[c as usize], cm.capacity, if over { OVER } else { "" });
        let row = Row::new(vec![
            Cell::from(clip(&cm.name, name_w)),
            Cell::from(clip(&cm.county, 11)),
            Cell::from(members).style(if over { theme.warn() } else { ratatui::style::Style::default() }),
            Cell::from(util),
            Cell::from(format!("{:.1}", m.now.load[c as usize])),
            Cell::from(practices.to_string()),
            Cell::from(format!("+{}", mv.members_in)),
            Cell::from(format!("-{}", mv.members_out)),
            Cell::from(clip(&cm.supervisor, 14)),
        ]);
        rows.push(if i == m.cm_cursor.pos { row.style(theme.selected()) } else { row });
    }
    let header = Row::new(["care manager", "county", "members", "util", "weighted", "prac", "in", "out", "supervisor"])
        .style(theme.title());
    let widths = [
        Constraint::Length(name_w as u16),
        Constraint::Length(11),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Min(6),
    ];
    let title = format!(
        " care managers — {} of {} {}",
        (m.cm_cursor.pos + 1).min(m.cm_rows.len()),
        m.cm_rows.len(),
        if m.cm_sort == CmSort::Utilization { "(fullest first) " } else { "" }
    );
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
}
