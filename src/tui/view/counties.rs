//! The Counties screen: where a regional phase-in stands, county by county (the rows of
//! coverage.csv), with the total under the list.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{Theme, clip, filter_span, highlighted, title_line};
use crate::coverage::CountyRow;
use crate::fmt::thousands;
use crate::tui::model::{CountySort, Model};

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(4)]).areas(area);
    let mut second =
        vec![Span::raw(format!("threshold {} · Enter shows a county's practices · o sorts", m.threshold()))];
    second.extend(filter_span(&m.counties.search, theme));
    let lines = vec![
        title_line(m, theme),
        Line::from(second),
        Line::from("practices: all / high volume / with a CM   HCBS: members / with a CM of their practice / without"),
    ];
    frame.render_widget(Paragraph::new(lines), head);
    // Borders, heading and the total row.
    let page = (table.height as usize).saturating_sub(4).max(1);
    let Some((_, cov)) = &m.coverage else {
        frame.render_widget(Paragraph::new("computing coverage…"), table);
        return page;
    };
    // The county column is as wide as its longest name (so "(no practice)" reads whole), within
    // what the borders, the seven number columns with their gaps and the CM column leave.
    let longest = cov.rows.iter().map(|r| r.county.chars().count()).max().unwrap_or(0);
    let room = (area.width as usize).saturating_sub(2 + 62 + 18);
    let name_w = longest.clamp(12, 40).min(room).max(12);
    let cells = |r: &CountyRow, name: Line<'static>| {
        vec![
            Cell::from(name),
            Cell::from(thousands(r.practices.into())),
            Cell::from(thousands(r.high_volume_practices.into())),
            Cell::from(thousands(r.practices_with_cm.into())),
            Cell::from(thousands(r.duals_seen_high_volume.into())),
            Cell::from(thousands(r.hcbs_members.into())),
            Cell::from(thousands(r.hcbs_members_with_practice_cm.into())),
            Cell::from(thousands(r.uncovered().into())),
            Cell::from(format!("{} ({}/{})", r.care_managers, thousands(r.members), thousands(r.capacity))),
        ]
    };
    let mut rows: Vec<Row> = m
        .counties
        .visible(page)
        .map(|(i, c)| {
            let r = &cov.rows[c as usize];
            let row = Row::new(cells(r, highlighted(&r.county, name_w, &m.counties.search, theme)));
            if i == m.counties.cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    rows.push(Row::new(cells(&cov.total, Line::from(clip("total", name_w)))).style(theme.title()));
    let arrow = |s: CountySort| if m.county_sort == s { "▼" } else { "" };
    let header = Row::new(vec![
        format!("county{}", if m.county_sort == CountySort::Name { "▲" } else { "" }),
        "practices".into(),
        "high vol".into(),
        "with CM".into(),
        "duals HV".into(),
        format!("HCBS{}", arrow(CountySort::Hcbs)),
        "with CM".into(),
        format!("without{}", arrow(CountySort::Uncovered)),
        "CMs (members/capacity)".into(),
    ])
    .style(theme.title());
    let widths = [
        Constraint::Length(name_w as u16),
        Constraint::Length(9),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(8),
        Constraint::Min(10),
    ];
    let order = match m.county_sort {
        CountySort::Uncovered => "most HCBS members without a CM of their practice first",
        CountySort::Name => "by name",
        CountySort::Hcbs => "most HCBS members first",
    };
    let title = if m.counties.is_empty() && m.counties.search.is_active() {
        format!(" no county matches “{}” ", m.counties.search.text())
    } else {
        format!(" counties — {} of {}, {order} ", (m.counties.cursor.pos + 1).min(m.counties.len()), m.counties.len())
    };
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
    page
}
