//! The Care managers screen: every caseload against capacity, with moves since the start.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{OVER, Theme, clip, filter_span, highlighted, title_line, totals_line};
use crate::tui::model::{CmSort, Model};

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let (d, t) = (&m.data, &m.totals);
    let over = t.over_capacity;
    let mut third = vec![
        Span::raw(format!("{} members change CM  ·  ", crate::fmt::thousands(t.changed as u64))),
        Span::styled(format!("{over} over capacity {OVER}"), if over > 0 { theme.warn() } else { theme.good() }),
        Span::raw(format!("  ·  sorted by {:?}", m.cm_sort).to_lowercase()),
    ];
    third.extend(filter_span(&m.cms.search, theme));
    frame.render_widget(Paragraph::new(vec![title_line(m, theme), totals_line(m), Line::from(third)]), head);

    let page = (table.height as usize).saturating_sub(3).max(1);
    // county, members, util, weighted, practices, in, out, a supervisor of 10; borders, 8 gaps.
    let name_w = (area.width as usize).saturating_sub(11 + 9 + 5 + 8 + 4 + 5 + 5 + 10 + 2 + 8).clamp(10, 40);
    let mut rows: Vec<Row> = Vec::with_capacity(page);
    for (i, c) in m.cms.visible(page) {
        let cm = &d.ds.care_managers[c as usize];
        let over = t.over(d, c);
        let mv = t.moves[c as usize];
        let util = t.utilization(d, c);
        let util = if util.is_finite() { format!("{:.0}%", util * 100.0) } else { "—".into() };
        let members = format!("{}/{}{}", t.now.count[c as usize], cm.capacity, if over { OVER } else { "" });
        let row = Row::new(vec![
            Cell::from(highlighted(d.cm_name(c), name_w, &m.cms.search, theme)),
            Cell::from(clip(&cm.county, 11)),
            Cell::from(members).style(if over { theme.warn() } else { ratatui::style::Style::default() }),
            Cell::from(util),
            Cell::from(format!("{:.1}", t.now.load[c as usize])),
            Cell::from(t.practices_of[c as usize].len().to_string()),
            Cell::from(format!("+{}", mv.members_in)),
            Cell::from(format!("-{}", mv.members_out)),
            Cell::from(clip(&cm.supervisor, 14)),
        ]);
        rows.push(if i == m.cms.cursor.pos { row.style(theme.selected()) } else { row });
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
    let title = if m.cms.is_empty() && m.cms.search.is_active() {
        format!(" no care manager matches “{}” ", m.cms.search.text())
    } else {
        format!(
            " care managers — {} of {} {}",
            (m.cms.cursor.pos + 1).min(m.cms.len()),
            m.cms.len(),
            if m.cm_sort == CmSort::Utilization { "(fullest first) " } else { "" }
        )
    };
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
    page
}
