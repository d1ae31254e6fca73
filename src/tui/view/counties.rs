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
        Line::from(if area.width < 100 {
            "practices: all/HV high volume/w/ CM · HCBS: all/w/ CM of their practice/w/o one"
        } else {
            "practices: all / high volume / with a CM   HCBS: members / with a CM of their practice / without"
        }),
    ];
    frame.render_widget(Paragraph::new(lines), head);
    // Borders, heading and the total row.
    let page = (table.height as usize).saturating_sub(4).max(1);
    let Some((_, cov)) = &m.coverage else {
        frame.render_widget(Paragraph::new("computing coverage…"), table);
        return page;
    };
    // Below 100 columns the headings shorten (the legend above spells them out) and every
    // column is as wide as its heading or its widest value, so the CM column keeps its room.
    let narrow = area.width < 100;
    let headings: [&str; 8] = if narrow {
        ["prac", "HV", "w/ CM", "duals HV", "HCBS", "w/ CM", "w/o", "CMs (members/cap)"]
    } else {
        ["practices", "high vol", "with CM", "duals HV", "HCBS", "with CM", "without", "CMs (members/capacity)"]
    };
    let numbers = |r: &CountyRow| -> [String; 8] {
        [
            thousands(r.practices.into()),
            thousands(r.high_volume_practices.into()),
            thousands(r.practices_with_cm.into()),
            thousands(r.duals_seen_high_volume.into()),
            thousands(r.hcbs_members.into()),
            thousands(r.hcbs_members_with_practice_cm.into()),
            thousands(r.uncovered().into()),
            format!("{} ({}/{})", thousands(r.care_managers.into()), thousands(r.members), thousands(r.capacity)),
        ]
    };
    let arrow = |s: CountySort| if m.county_sort == s { "▼" } else { "" };
    let mut heading: Vec<String> = headings.iter().map(|h| h.to_string()).collect();
    heading[4].push_str(arrow(CountySort::Hcbs));
    heading[6].push_str(arrow(CountySort::Uncovered));
    let mut widths: Vec<usize> = heading.iter().map(|h| h.chars().count()).collect();
    for r in cov.rows.iter().chain([&cov.total]) {
        for (w, n) in widths.iter_mut().zip(numbers(r)) {
            *w = (*w).max(n.chars().count());
        }
    }
    // The county column: as wide as its longest name (so "(no practice)" reads whole), within
    // what the borders, the other columns and their gaps leave.
    let longest = cov.rows.iter().map(|r| r.county.chars().count()).max().unwrap_or(0);
    let room = (area.width as usize).saturating_sub(2 + widths.iter().map(|w| w + 1).sum::<usize>());
    let name_w = longest.clamp(6, 40).min(room).max(6);
    let cells = |r: &CountyRow, name: Line<'static>| {
        let mut cells = vec![Cell::from(name)];
        cells.extend(numbers(r).into_iter().map(Cell::from));
        cells
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
    let name_heading = format!("county{}", if m.county_sort == CountySort::Name { "▲" } else { "" });
    let header = Row::new(std::iter::once(name_heading).chain(heading)).style(theme.title());
    let mut widths: Vec<Constraint> = widths.into_iter().map(|w| Constraint::Length(w as u16)).collect();
    widths.insert(0, Constraint::Length(name_w as u16));
    *widths.last_mut().expect("eight columns") = Constraint::Min(10);
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
