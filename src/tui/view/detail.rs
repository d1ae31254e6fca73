//! A practice opened with Enter: its care managers (slots), clinicians and HCBS members with
//! where each member's caseload goes under the current plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::{OVER, Theme, clip};
use crate::tui::state::{Detail, Model, detail_rows};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, d: &Detail, theme: Theme) {
    frame.render_widget(Clear, area);
    let p = d.practice as usize;
    let practice = &m.ds.roster.practices[p];
    let rank = &m.analysis.ranked[m.rank_pos[p] as usize];
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
            rank.duals_seen, rank.pc_lines, m.hcbs[p], m.now.practice_overflow[p]
        )),
    ];
    frame.render_widget(Paragraph::new(info_lines), info);

    let mut slot_lines = Vec::new();
    for (i, cm) in m.editor.plan.slots[p].iter().enumerate() {
        let text = match cm {
            Some(c) => {
                let cm = &m.ds.care_managers[*c as usize];
                let over = if m.over_capacity(*c) { format!(" {OVER} over capacity") } else { String::new() };
                format!(
                    "{} ({})  {}/{} members, weighted {:.1}{over}",
                    cm.name, cm.county, m.now.count[*c as usize], cm.capacity, m.now.load[*c as usize]
                )
            }
            None => "— none (a assigns)".into(),
        };
        let line = Line::from(format!("slot {}  {text}", i + 1));
        slot_lines.push(if i == d.slot { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(slot_lines).block(Block::default().borders(Borders::TOP).title(" care managers ")),
        slots,
    );

    let [clin, members] = Layout::horizontal([Constraint::Length(22), Constraint::Min(40)]).areas(body);
    let page = detail_rows((area.width, area.height + 1));
    let clinicians: Vec<Line> = m.ds.roster.practice_clinicians[p]
        .iter()
        .take(page + 1)
        .map(|&c| {
            let cl = &m.ds.roster.clinicians[c as usize];
            let tag = if cl.pcp { "" } else { " (spec.)" };
            Line::from(clip(&format!("{}{tag}", cl.display_name()), clin.width as usize - 1))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(clinicians).block(
            Block::default()
                .borders(Borders::TOP | Borders::RIGHT)
                .title(format!(" clinicians ({}) ", m.ds.roster.practice_clinicians[p].len())),
        ),
        clin,
    );

    let list = &m.ctx.members_at(&m.editor.plan, d.practice);
    let cm_name = |c: Option<u32>| c.map_or("—".to_string(), |c| m.ds.care_managers[c as usize].name.clone());
    let rows: Vec<Row> = list
        .iter()
        .enumerate()
        .skip(d.cursor.offset)
        .take(page)
        .map(|(i, &mi)| {
            let a = &m.ds.assessments[mi as usize];
            let mm = &m.analysis.members[mi as usize];
            let now = m.now.assigned[mi as usize];
            let before = m.start.assigned[mi as usize];
            let arrow = if m.now.overflow[mi as usize] {
                format!("{} (no room!)", clip(&cm_name(now), 12))
            } else if now != before {
                format!("→ {}", clip(&cm_name(now), 14))
            } else {
                clip(&cm_name(now), 16)
            };
            let row = Row::new(vec![
                Cell::from(a.member_id.clone()),
                Cell::from(a.acuity.as_str()),
                Cell::from(mm.source.as_str()),
                Cell::from(clip(&cm_name(before), 13)),
                Cell::from(arrow),
            ]);
            if i == d.cursor.pos { row.style(theme.selected()) } else { row }
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
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(Line::from(vec![Span::raw(format!(" HCBS members ({}) ", list.len()))])),
        );
    frame.render_widget(table, members);
}
