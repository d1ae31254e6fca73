//! A practice opened with Enter: its care managers (slots), clinicians and HCBS members with
//! where each member's caseload goes under the current plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::columns::{Col, chars, load, num, of, share_steps};
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
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", clip(data.practice_name(d.practice), area.width as usize - 6)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [info, slots, body] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(3), Constraint::Min(3)]).areas(inner);

    let info_lines = vec![
        Line::from(format!(
            "id {} · {} · {} · rank {}",
            practice.id,
            if practice.place().is_empty() { "—".into() } else { practice.place() },
            if practice.phone.is_empty() { "no phone" } else { &practice.phone },
            num(rank.rank)
        )),
        Line::from(format!(
            "duals seen {} · primary-care lines {} · HCBS members {} · overflow {}",
            num(rank.duals_seen),
            num(rank.pc_lines),
            num(t.hcbs[p]),
            num(t.now.practice_overflow[p])
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
                    "{} ({})  {} members, weighted load {}{over}",
                    data.cm_name(*c),
                    cm.county,
                    of(t.now.count[*c as usize], cm.capacity),
                    load(t.now.load[*c as usize])
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

    // At 80 columns the members' care managers need the room more than clinicians' names.
    let clin_w = if area.width >= 100 { 22 } else { 16 };
    let [clin, members] = Layout::horizontal([Constraint::Length(clin_w), Constraint::Min(40)]).areas(body);
    // The member table's borders and heading.
    let width = usize::from(members.width) + 2;
    let plans = data.has_medicare_plan;
    // The Medicare plan gets a column when there is room; otherwise the selected member's
    // plan shows on a line under the list.
    let plan_col = plans && width >= 90;
    let note = plans && !plan_col;
    let page = (members.height as usize).saturating_sub(2 + usize::from(note)).max(1);
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
    let wide = width >= 80;
    let mut words = vec!["member", "acuity", "source", "current CM", "under the plan"];
    if plans {
        words.push("Medicare plan");
    }
    let shown: Vec<u32> = d.members.visible(page).map(|(_, mi)| mi).collect();
    // Where the member's caseload goes: "→ " before a new care manager, a note after one
    // who keeps an overflow member.
    let under = |mi: u32| {
        let (now, before) = (t.now.assigned[mi as usize], data.start.assigned[mi as usize]);
        if t.now.overflow[mi as usize] {
            format!("{}{}", cm_name(now), overflow_word(wide))
        } else if now != before {
            format!("→ {}", cm_name(now))
        } else {
            cm_name(now)
        }
    };
    let widest = |f: &dyn Fn(u32) -> usize| shown.iter().map(|&mi| f(mi)).max().unwrap_or(0);
    let id_w = widest(&|mi| chars(&data.ds.assessments[mi as usize].member_id)).min(14);
    let mut cols = vec![
        Col::fixed(id_w, words[0]),
        Col::fixed(6, words[1]),
        Col::fixed(11, words[2]),
        // On a narrow terminal the current care manager leaves room for the one under the plan.
        Col::text(
            10,
            widest(&|mi| chars(&cm_name(data.start.assigned[mi as usize]))).min(if wide { 40 } else { 14 }),
            words[3],
        ),
        Col::text(12, widest(&|mi| chars(&under(mi))), words[4]),
    ];
    if plan_col {
        cols.push(Col::text(10, widest(&|mi| chars(&data.ds.assessments[mi as usize].medicare_plan)), words[5]));
    }
    let mut steps: Vec<(usize, usize)> = (3..cols.len()).map(|i| (i, cols[i].want)).collect();
    steps.push((4, usize::MAX));
    let w = share_steps(&cols, width, &steps);
    let rows: Vec<Row> = d
        .members
        .visible(page)
        .map(|(i, mi)| {
            let a = &data.ds.assessments[mi as usize];
            let mm = &data.analysis.members[mi as usize];
            let before = data.start.assigned[mi as usize];
            let under = if t.now.overflow[mi as usize] {
                let why = overflow_word(wide);
                format!("{}{why}", clip(&cm_name(t.now.assigned[mi as usize]), w[4].saturating_sub(chars(why)).max(4)))
            } else {
                under(mi)
            };
            let mut cells = vec![
                Cell::from(highlighted(&a.member_id, w[0], &d.members.search, theme)),
                Cell::from(a.acuity.as_str()),
                Cell::from(mm.source.as_str()),
                Cell::from(clip(&cm_name(before), w[3])),
                Cell::from(clip(&under, w[4])),
            ];
            if plan_col {
                cells.push(Cell::from(clip(&a.medicare_plan, w[5])));
            }
            let row = Row::new(cells);
            if i == d.members.cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    let widths: Vec<Constraint> = w.iter().map(|&x| Constraint::Length(x as u16)).collect();
    let table = Table::new(rows, widths).header(Row::new(words[..w.len()].to_vec()).style(theme.title())).block(
        Block::default().borders(Borders::TOP).title(Line::from(vec![
            Span::raw(format!(" HCBS members ({}) ", num(d.members.len() as u64))),
            Span::styled(d.members.search.label().unwrap_or_default(), theme.title()),
        ])),
    );
    if note {
        let [list, note] = Layout::vertical([Constraint::Min(2), Constraint::Length(1)]).areas(members);
        frame.render_widget(table, list);
        let plan = d
            .members
            .selected()
            .map(|mi| &data.ds.assessments[mi as usize])
            .map(|a| {
                format!(
                    "{}: Medicare plan {}",
                    a.member_id,
                    if a.medicare_plan.is_empty() { "—" } else { &a.medicare_plan }
                )
            })
            .unwrap_or_default();
        frame.render_widget(Paragraph::new(clip(&plan, members.width as usize)).style(theme.dim()), note);
        return page;
    }
    frame.render_widget(table, members);
    page
}

/// What an overflow member's care manager is followed by (spelled out when there is room).
fn overflow_word(wide: bool) -> &'static str {
    if wide { " (overflow: no room)" } else { " (no room!)" }
}
