//! A practice opened with Enter: its care managers (slots), clinicians and HCBS members with
//! where each member's caseload goes under the current plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::{OVER, Theme, clip, highlighted};
use crate::tui::model::Model;
use crate::tui::overlay::Detail;

/// Draws the open practice; returns the rows its member list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, d: &Detail, theme: Theme) -> usize {
    frame.render_widget(Clear, area);
    let (data, t) = (&m.data, &m.totals);
    let p = d.practice as usize;
    let practice = &data.ds.roster.practices[p];
    let rank = &data.analysis.ranked[data.rank_pos[p] as usize];
    let block =
        Block::default().borders(Borders::ALL).title(format!(" {} ", clip(&practice.name, area.width as usize - 6)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [info, slots, body] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(3), Constraint::Min(3)]).areas(inner);

    let info_lines = vec![
        Line::from(format!(
            "id {}  ·  {}  ·  {}  ·  rank {}",
            practice.id,
            if practice.place().is_empty() { "—".into() } else { practice.place() },
            if practice.phone.is_empty() { "no phone" } else { &practice.phone },
            rank.rank
        )),
        Line::from(format!(
            "duals seen {}  ·  PC lines {}  ·  HCBS members {}  ·  overflow {}",
            rank.duals_seen, rank.pc_lines, t.hcbs[p], t.now.practice_overflow[p]
        )),
    ];
    frame.render_widget(Paragraph::new(info_lines), info);

    let mut slot_lines = Vec::new();
    for (i, cm) in m.editor.plan.slots[p].iter().enumerate() {
        let text = match cm {
            Some(c) => {
                let cm = &data.ds.care_managers[*c as usize];
                let over = if t.over(data, *c) { format!(" {OVER} over capacity") } else { String::new() };
                format!(
                    "{} ({})  {}/{} members, weighted {:.1}{over}",
                    cm.name, cm.county, t.now.count[*c as usize], cm.capacity, t.now.load[*c as usize]
                )
            }
            None => "— none (a fills the selected slot)".into(),
        };
        let line = Line::from(clip(&format!("slot {}  {text}", i + 1), inner.width as usize));
        slot_lines.push(if i == d.slot { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(slot_lines).block(Block::default().borders(Borders::TOP).title(" care managers ")),
        slots,
    );

    let [clin, members] = Layout::horizontal([Constraint::Length(22), Constraint::Min(40)]).areas(body);
    // The member table's borders and heading.
    let page = (members.height as usize).saturating_sub(2).max(1);
    let clinicians: Vec<Line> = data.ds.roster.practice_clinicians[p]
        .iter()
        .take(page + 1)
        .map(|&c| {
            let cl = &data.ds.roster.clinicians[c as usize];
            let tag = if cl.pcp { "" } else { " (spec.)" };
            Line::from(clip(&format!("{}{tag}", cl.display_name()), clin.width as usize - 1))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(clinicians).block(
            Block::default()
                .borders(Borders::TOP | Borders::RIGHT)
                .title(format!(" clinicians ({}) ", data.ds.roster.practice_clinicians[p].len())),
        ),
        clin,
    );

    let cm_name = |c: Option<u32>| c.map_or("—".to_string(), |c| data.cm_name(c).to_string());
    let rows: Vec<Row> = d
        .members
        .visible(page)
        .map(|(i, mi)| {
            let a = &data.ds.assessments[mi as usize];
            let mm = &data.analysis.members[mi as usize];
            let now = t.now.assigned[mi as usize];
            let before = data.start.assigned[mi as usize];
            let arrow = if t.now.overflow[mi as usize] {
                format!("{} (no room!)", clip(&cm_name(now), 12))
            } else if now != before {
                format!("→ {}", clip(&cm_name(now), 14))
            } else {
                clip(&cm_name(now), 16)
            };
            let row = Row::new(vec![
                Cell::from(highlighted(&a.member_id, 11, &d.members.search, theme)),
                Cell::from(a.acuity.as_str()),
                Cell::from(mm.source.as_str()),
                Cell::from(clip(&cm_name(before), 13)),
                Cell::from(arrow),
            ]);
            if i == d.members.cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    let widths = [
        Constraint::Length(11),
        Constraint::Length(6),
        Constraint::Length(11),
        Constraint::Length(13),
        Constraint::Min(10),
    ];
    let table = Table::new(rows, widths)
        .header(Row::new(["member", "acuity", "source", "current CM", "under the plan"]).style(theme.title()))
        .block(Block::default().borders(Borders::TOP).title(Line::from(vec![
            Span::raw(format!(" HCBS members ({}) ", d.members.len())),
            Span::styled(d.members.search.label().unwrap_or_default(), theme.title()),
        ])));
    frame.render_widget(table, members);
    page
}
