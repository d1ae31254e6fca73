//! The Practices screen: totals, then the ranking with a cut line at the threshold, each
//! practice's care managers and overflow.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::columns::{Col, DOWN, UP, chars, heading, num, share_steps};
use super::{OVER, Theme, clip, filter_span, highlighted, title_line, totals_line};
use crate::rank::RankedPractice;
use crate::systems::SystemRow;
use crate::tui::grouping::PracticeRow;
use crate::tui::model::{Facet, Model, PracticeSort};

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let mut third = vec![
        Span::styled(format!("threshold {}", num(m.threshold())), theme.cut()),
        Span::raw(format!(": {} high-volume", num(m.totals.high_volume as u64))),
    ];
    third.extend(filter_span(&m.practices.search, theme));
    match &m.facet {
        Some(Facet::County(c)) => third.push(Span::styled(format!("  ·  county {c}"), theme.title())),
        Some(Facet::Waiver(w)) => third.push(Span::styled(format!("  ·  waiver {w}"), theme.title())),
        None => {}
    }
    let lines = vec![title_line(m, theme), totals_line(m), Line::from(third)];
    frame.render_widget(Paragraph::new(lines), head);
    draw_table(frame, table, m, theme)
}

/// The sort as the table's title says it, and the column that shows the arrow.
fn sort_words(sort: PracticeSort) -> (&'static str, usize, &'static str) {
    match sort {
        PracticeSort::Rank => ("by duals seen", DUALS, DOWN),
        PracticeSort::Name => ("by name", NAME, UP),
        PracticeSort::Hcbs => ("by HCBS members", HCBS, DOWN),
        PracticeSort::Overflow => ("by overflow", OVERFLOW, DOWN),
    }
}

const RANK: usize = 0;
const NAME: usize = 1;
const COUNTY: usize = 2;
const DUALS: usize = 3;
const HCBS: usize = 4;
const OVERFLOW: usize = 5;
const CMS: usize = 6;

fn draw_table(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    // Borders, the heading and one row kept for the cut line.
    let page = (area.height as usize).saturating_sub(4).max(1);
    let d = &m.data;
    let t = &m.totals;
    let cut = m.totals.high_volume as u32;
    let ranked = &d.analysis.ranked;
    let width = usize::from(area.width);
    let wide = width >= 110;
    let (sorted_by, sorted_col, arrow) = sort_words(m.practice_sort);
    let words = if wide {
        ["rank", "practice", "county", "duals seen", "HCBS members", "overflow", "care managers"]
    } else {
        ["rank", "practice", "county", "duals", "HCBS", "ovfl", "care managers"]
    };
    let headings: Vec<String> =
        words.iter().enumerate().map(|(i, w)| heading(w, (i == sorted_col).then_some(arrow))).collect();
    // What each column needs: the widest value anywhere in the list (so widths do not jump
    // while scrolling), or its heading.
    let widest = |it: &mut dyn Iterator<Item = u64>| chars(&num(it.max().unwrap_or(0)));
    let (county_w, mut name_want) = (d.widest.place, d.widest.practice);
    let systems = m.systems.as_ref().filter(|_| m.group_systems);
    if let Some(s) = systems {
        // Sites are indented under their system's heading.
        name_want = (name_want + 2).max(s.widest_heading);
    }
    let cols = [
        Col::fixed(widest(&mut ranked.iter().map(|r| u64::from(r.rank))), &headings[RANK]),
        Col::text(12, name_want.min(60), &headings[NAME]),
        Col::text(6, county_w.min(if wide { 20 } else { 11 }), &headings[COUNTY]),
        Col::fixed(widest(&mut ranked.iter().map(|r| u64::from(r.duals_seen))), &headings[DUALS]),
        Col::fixed(widest(&mut t.hcbs.iter().map(|&n| u64::from(n))), &headings[HCBS]),
        // The overflow marker "!" always fits beside the widest number.
        Col::fixed(widest(&mut t.now.practice_overflow.iter().map(|&n| u64::from(n))) + 1, &headings[OVERFLOW]),
        Col::text(12, usize::MAX, &headings[CMS]),
    ];
    // Two care managers' names, a comma and the over-capacity marks.
    let cms_want = 2 * d.widest.cm + 4;
    // The name first (at 80 columns it takes what is left), then on a wide terminal the
    // care managers, then the rest of the longest names.
    let w = share_steps(
        &cols,
        width,
        &[
            (COUNTY, cols[COUNTY].want),
            (NAME, cols[NAME].want.min(34)),
            (CMS, cms_want),
            (NAME, cols[NAME].want),
            (CMS, usize::MAX),
        ],
    );
    let show_cut = m.practice_sort == PracticeSort::Rank && !m.group_systems;
    let mut rows: Vec<Row> = Vec::with_capacity(page + 1);
    let mut prev: Option<u32> = None;
    for (i, row) in m.practices.visible(page) {
        let row = match row {
            PracticeRow::System(g) => {
                let s = &systems.expect("grouped rows come with their roll-up").rows[g as usize];
                system_row(s, m, &w, theme)
            }
            PracticeRow::Practice(ri) => {
                if show_cut && ri >= cut && prev.is_some_and(|p| p < cut) {
                    let label = clip(&format!("── cut: duals seen ≥ {} above ──", num(m.threshold())), w[NAME]);
                    rows.push(Row::new(vec![Cell::from("─".repeat(w[RANK])), Cell::from(label)]).style(theme.cut()));
                }
                prev = Some(ri);
                let r = &ranked[ri as usize];
                // A system's sites are indented under its heading.
                let indent = if systems.is_some_and(|s| s.in_system(r.practice)) { 2 } else { 0 };
                let mut name = highlighted(
                    d.practice_name(r.practice),
                    w[NAME].saturating_sub(indent),
                    &m.practices.search,
                    theme,
                );
                name.spans.insert(0, Span::raw(" ".repeat(indent)));
                practice_row(r, name, m, &w, theme)
            }
        };
        rows.push(if i == m.practices.cursor.pos { row.style(theme.selected()) } else { row });
    }
    let header = Row::new(headings).style(theme.title());
    let widths: Vec<Constraint> = w.iter().map(|&x| Constraint::Length(x as u16)).collect();
    let title = if m.practices.is_empty() && m.practices.search.is_active() {
        format!(" no practice matches “{}” ", m.practices.search.text())
    } else {
        format!(
            " practices {sorted_by}{} — {} of {} ",
            if m.group_systems { ", grouped by health system" } else { "" },
            num((m.practices.cursor.pos + 1).min(m.practices.len()) as u64),
            num(m.practices.len() as u64)
        )
    };
    let table = Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title));
    frame.render_widget(table, area);
    page
}

/// One practice: rank, name, place, counts, overflow and its care managers.
fn practice_row<'a>(r: &RankedPractice, name: Line<'a>, m: &'a Model, w: &[usize], theme: Theme) -> Row<'a> {
    let (d, t) = (&m.data, &m.totals);
    let p = &d.ds.roster.practices[r.practice as usize];
    let cms: Vec<String> = m.editor.plan.slots[r.practice as usize]
        .iter()
        .flatten()
        .map(|&c| format!("{}{}", d.cm_name(c), if t.over(d, c) { OVER } else { "" }))
        .collect();
    let overflow = t.now.practice_overflow[r.practice as usize];
    Row::new(vec![
        Cell::from(num(r.rank)),
        Cell::from(name),
        Cell::from(clip(&p.place(), w[COUNTY])),
        Cell::from(num(r.duals_seen)),
        Cell::from(num(t.hcbs[r.practice as usize])),
        Cell::from(if overflow > 0 { format!("{}!", num(overflow)) } else { String::new() }).style(theme.warn()),
        Cell::from(clip(&cms.join(", "), w[CMS])),
    ])
}

/// A health system's heading: its name and sites, its distinct duals and HCBS members, the
/// overflow of its sites and how many of them have a care manager.
fn system_row<'a>(s: &SystemRow, m: &Model, w: &[usize], theme: Theme) -> Row<'a> {
    let (d, t) = (&m.data, &m.totals);
    let sites = s.practices.len();
    let covered = s.practices.iter().filter(|&&p| m.editor.plan.slots[p as usize].iter().any(Option::is_some)).count();
    let overflow: u32 = s.practices.iter().map(|&p| t.now.practice_overflow[p as usize]).sum();
    let name = crate::tui::grouping::heading(s, &d.ds);
    Row::new(vec![
        Cell::from(String::new()),
        Cell::from(clip(&name, w[NAME])),
        Cell::from(String::new()),
        Cell::from(num(s.duals_seen)),
        Cell::from(num(s.hcbs_members)),
        Cell::from(if overflow > 0 { format!("{}!", num(overflow)) } else { String::new() }),
        Cell::from(clip(&format!("{}/{} with a CM", num(covered as u64), num(sites as u64)), w[CMS])),
    ])
    .style(theme.title())
}
