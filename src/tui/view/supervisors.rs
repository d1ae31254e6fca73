//! The Supervisors screen: supervisor → care managers → members, with who moves in and out
//! under the plan and why, so a field supervisor sees over-capacity and new members at once.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{OVER, Theme, clip, filter_span, title_line};
use crate::tui::model::{Model, SupRow};

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let (d, t) = (&m.data, &m.totals);
    let mut second = vec![ratatui::text::Span::raw(format!(
        "{} supervisors  ·  Enter opens a supervisor, then a care manager",
        d.supervisors.len()
    ))];
    second.extend(filter_span(&m.sups.search, theme));
    let lines = vec![
        title_line(m, theme),
        Line::from(second),
        Line::from("members: now/capacity   in: new on the caseload under the plan   out: leaving it"),
    ];
    frame.render_widget(Paragraph::new(lines), head);

    let page = (table.height as usize).saturating_sub(3).max(1);
    // members, weighted, in, out; borders and four gaps.
    let name_w = (area.width as usize).saturating_sub(9 + 7 + 5 + 5 + 2 + 4).clamp(20, 100);
    let cm_name = |c: Option<u32>| c.map_or("—".to_string(), |c| d.cm_name(c).to_string());
    let mut rows = Vec::with_capacity(page);
    for (i, row) in m.sups.visible(page) {
        let r = match row {
            SupRow::Supervisor(s) => {
                let (name, cms) = &d.supervisors[s];
                let members: u32 = cms.iter().map(|&c| t.now.count[c as usize]).sum();
                let capacity: u32 = cms.iter().map(|&c| d.ctx.capacity[c as usize]).sum();
                let over = cms.iter().filter(|&&c| t.over(d, c)).count();
                let (inn, out) = cms.iter().fold((0, 0), |(a, b), &c| {
                    (a + t.moves[c as usize].members_in, b + t.moves[c as usize].members_out)
                });
                let open = if m.sup_open.contains(&s) { "▾" } else { "▸" };
                let over_text = if over > 0 { format!("  {over} over {OVER}") } else { String::new() };
                Row::new(vec![
                    Cell::from(clip(&format!("{open} {name} ({} CMs){over_text}", cms.len()), name_w)),
                    Cell::from(format!("{members}/{capacity}")),
                    Cell::from(""),
                    Cell::from(format!("+{inn}")),
                    Cell::from(format!("-{out}")),
                ])
                .style(if over > 0 { theme.warn() } else { theme.title() })
            }
            SupRow::Cm(c) => {
                let cm = &d.ds.care_managers[c as usize];
                let over = t.over(d, c);
                let open = if m.cm_open.contains(&c) { "▾" } else { "▸" };
                Row::new(vec![
                    Cell::from(clip(&format!("   {open} {} ({})", cm.name, cm.county), name_w)),
                    Cell::from(format!("{}/{}{}", t.now.count[c as usize], cm.capacity, if over { OVER } else { "" })),
                    Cell::from(crate::export::load_text(t.now.load[c as usize])),
                    Cell::from(format!("+{}", t.moves[c as usize].members_in)),
                    Cell::from(format!("-{}", t.moves[c as usize].members_out)),
                ])
                .style(if over { theme.warn() } else { Style::default() })
            }
            SupRow::Member(c, mi) => {
                let a = &d.ds.assessments[mi as usize];
                let now = t.now.assigned[mi as usize];
                let before = d.start.assigned[mi as usize];
                let practice = d
                    .ctx
                    .practice_of(&m.editor.plan, mi)
                    .map_or("no practice".to_string(), |p| d.practice_name(p).to_string());
                let why = if now == before {
                    format!("stays · {practice}")
                } else if now == Some(c) {
                    format!("new from {} · CM of {practice}", cm_name(before))
                } else {
                    format!("leaving to {} · CM of {practice}", cm_name(now))
                };
                Row::new(vec![
                    Cell::from(clip(&format!("      {} {:<6} {why}", a.member_id, a.acuity.as_str()), name_w)),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                ])
                .style(theme.dim())
            }
        };
        rows.push(if i == m.sups.cursor.pos { r.style(theme.selected()) } else { r });
    }
    let widths = [
        Constraint::Length(name_w as u16),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(5),
        Constraint::Min(5),
    ];
    let header =
        Row::new(["supervisor / care manager / member", "members", "weight", "in", "out"]).style(theme.title());
    let title = if m.sups.is_empty() && m.sups.search.is_active() {
        format!(" no supervisor or care manager matches “{}” ", m.sups.search.text())
    } else {
        format!(" supervisors — {} of {} rows ", (m.sups.cursor.pos + 1).min(m.sups.len()), m.sups.len())
    };
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
    page
}
