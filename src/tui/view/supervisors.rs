//! The Supervisors screen: supervisor → care managers → members, with who moves in and out
//! under the plan and why, so a field supervisor sees over-capacity and new members at once.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{OVER, Theme, clip, title_line};
use crate::tui::state::{Model, SupRow, table_rows};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let lines = vec![
        title_line(m, "supervisors", theme),
        Line::from(format!("{} supervisors  ·  Enter opens a supervisor, then a care manager", m.supervisors.len())),
        Line::from("members: now/capacity   in: new on the caseload under the plan   out: leaving it"),
    ];
    frame.render_widget(Paragraph::new(lines), head);

    let page = table_rows((area.width, area.height + 4));
    // members, weighted, in, out; borders and four gaps.
    let name_w = (area.width as usize).saturating_sub(9 + 7 + 5 + 5 + 2 + 4).clamp(20, 100);
    let cm_name = |c: Option<u32>| c.map_or("—".to_string(), |c| m.ds.care_managers[c as usize].name.clone());
    let mut rows = Vec::with_capacity(page);
    for (i, row) in m.sup_rows.iter().enumerate().skip(m.sup_cursor.offset).take(page) {
        let r = match *row {
            SupRow::Supervisor(s) => {
                let (name, cms) = &m.supervisors[s];
                let members: u32 = cms.iter().map(|&c| m.now.count[c as usize]).sum();
                let capacity: u32 = cms.iter().map(|&c| m.ctx.capacity[c as usize]).sum();
                let over = cms.iter().filter(|&&c| m.over_capacity(c)).count();
                let (inn, out) = cms.iter().fold((0, 0), |(a, b), &c| {
                    (a + m.moves[c as usize].members_in, b + m.moves[c as usize].members_out)
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
                let cm = &m.ds.care_managers[c as usize];
                let over = m.over_capacity(c);
                let open = if m.cm_open.contains(&c) { "▾" } else { "▸" };
                Row::new(vec![
                    Cell::from(clip(&format!("   {open} {} ({})", cm.name, cm.county), name_w)),
                    Cell::from(format!("{}/{}{}", m.now.count[c as usize], cm.capacity, if over { OVER } else { "" })),
                    Cell::from(crate::export::load_text(m.now.load[c as usize])),
                    Cell::from(format!("+{}", m.moves[c as usize].members_in)),
                    Cell::from(format!("-{}", m.moves[c as usize].members_out)),
                ])
                .style(if over { theme.warn() } else { Style::default() })
            }
            SupRow::Member(c, mi) => {
                let a = &m.ds.assessments[mi as usize];
                let now = m.now.assigned[mi as usize];
                let before = m.start.assigned[mi as usize];
                let practice = m
                    .ctx
                    .practice_of(&m.editor.plan, mi)
                    .map_or("no practice".to_string(), |p| m.ds.roster.practices[p as usize].name.clone());
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
        rows.push(if i == m.sup_cursor.pos { r.style(theme.selected()) } else { r });
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
    let title =
        format!(" supervisors — {} of {} rows ", (m.sup_cursor.pos + 1).min(m.sup_rows.len()), m.sup_rows.len());
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
}
