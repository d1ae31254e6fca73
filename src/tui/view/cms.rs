//! The Care managers screen: every caseload against capacity, with moves since the start.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::columns::{Col, DOWN, UP, chars, heading, load, num, of, share};
use super::{OVER, Theme, clip, filter_span, highlighted, title_line, totals_line};
use crate::tui::model::{CmSort, Model};

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let (d, t) = (&m.data, &m.totals);
    let over = t.over_capacity;
    let mut third = vec![
        Span::raw(format!("{} members change CM  ·  ", crate::fmt::thousands(t.changed as u64))),
        Span::styled(
            format!("{} over capacity {OVER}", num(over as u64)),
            if over > 0 { theme.warn() } else { theme.good() },
        ),
        Span::raw("  ·  Enter opens one"),
    ];
    third.extend(filter_span(&m.cms.search, theme));
    frame.render_widget(Paragraph::new(vec![title_line(m, theme), totals_line(m), Line::from(third)]), head);

    let page = (table.height as usize).saturating_sub(3).max(1);
    let width = usize::from(area.width);
    let wide = width >= 110;
    let words = if wide {
        ["care manager", "county", "members", "utilization", "weighted load", "practices", "in", "out", "supervisor"]
    } else {
        ["care manager", "county", "members", "util", "weighted", "prac", "in", "out", "supervisor"]
    };
    let (sorted_by, arrows): (&str, &[(usize, &str)]) = match m.cm_sort {
        CmSort::Utilization => ("by utilization (fullest first)", &[(UTIL, DOWN)]),
        CmSort::Name => ("by name", &[(NAME, UP)]),
        CmSort::Moves => ("by members moving in and out", &[(IN, DOWN), (OUT, DOWN)]),
    };
    let headings: Vec<String> =
        words.iter().enumerate().map(|(i, w)| heading(w, arrows.iter().find(|a| a.0 == i).map(|a| a.1))).collect();
    let cms = &d.ds.care_managers;
    let all = 0..cms.len();
    let widest = |f: &dyn Fn(usize) -> usize| all.clone().map(f).max().unwrap_or(0);
    let cols = [
        Col::text(10, d.widest.cm.min(if wide { 40 } else { 24 }), &headings[NAME]),
        Col::text(6, d.widest.cm_county.min(if wide { 16 } else { 10 }), &headings[COUNTY]),
        Col::fixed(widest(&|c| chars(&of(t.now.count[c], cms[c].capacity)) + 1), &headings[MEMBERS]),
        Col::fixed(5, &headings[UTIL]),
        Col::fixed(widest(&|c| chars(&load(t.now.load[c]))), &headings[LOAD]),
        Col::fixed(widest(&|c| chars(&num(t.practices_of[c].len() as u64))), &headings[PRACTICES]),
        Col::fixed(widest(&|c| chars(&num(t.moves[c].members_in)) + 1), &headings[IN]),
        Col::fixed(widest(&|c| chars(&num(t.moves[c].members_out)) + 1), &headings[OUT]),
        Col::text(6, usize::MAX, &headings[SUPERVISOR]),
    ];
    let w = share(&cols, width, &[NAME, COUNTY, SUPERVISOR]);
    let mut rows: Vec<Row> = Vec::with_capacity(page);
    for (i, c) in m.cms.visible(page) {
        let cm = &cms[c as usize];
        let over = t.over(d, c);
        let mv = t.moves[c as usize];
        let util = t.utilization(d, c);
        let util = if util.is_finite() { format!("{}%", num((util * 100.0).round() as u64)) } else { "—".into() };
        let members = format!("{}{}", of(t.now.count[c as usize], cm.capacity), if over { OVER } else { "" });
        let row = Row::new(vec![
            Cell::from(highlighted(d.cm_name(c), w[NAME], &m.cms.search, theme)),
            Cell::from(clip(&cm.county, w[COUNTY])),
            Cell::from(members).style(if over { theme.warn() } else { ratatui::style::Style::default() }),
            Cell::from(util),
            Cell::from(load(t.now.load[c as usize])),
            Cell::from(num(t.practices_of[c as usize].len() as u64)),
            Cell::from(format!("+{}", num(mv.members_in))),
            Cell::from(format!("-{}", num(mv.members_out))),
            Cell::from(clip(&cm.supervisor, w[SUPERVISOR])),
        ]);
        rows.push(if i == m.cms.cursor.pos { row.style(theme.selected()) } else { row });
    }
    let header = Row::new(headings).style(theme.title());
    let widths: Vec<Constraint> = w.iter().map(|&x| Constraint::Length(x as u16)).collect();
    let title = if m.cms.is_empty() && m.cms.search.is_active() {
        format!(" no care manager matches “{}” ", m.cms.search.text())
    } else {
        format!(
            " care managers {sorted_by} — {} of {} ",
            num((m.cms.cursor.pos + 1).min(m.cms.len()) as u64),
            num(m.cms.len() as u64)
        )
    };
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
    page
}

const NAME: usize = 0;
const COUNTY: usize = 1;
const MEMBERS: usize = 2;
const UTIL: usize = 3;
const LOAD: usize = 4;
const PRACTICES: usize = 5;
const IN: usize = 6;
const OUT: usize = 7;
const SUPERVISOR: usize = 8;
