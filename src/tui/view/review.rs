//! The Review screen: ambiguous answers (several practices fit) and conflicts (the answer and
//! the claims disagree). Enter picks the practice; decisions change caseloads like any edit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::{Theme, centered, clip, title_line};
use crate::matching::MatchStatus;
use crate::tui::state::{Choice, Model, table_rows};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let decided = m.review_rows.iter().filter(|r| m.editor.plan.review.contains_key(r)).count();
    let lines = vec![
        title_line(m, "review", theme),
        Line::from(format!("{} to review  ·  {decided} decided  ·  Enter picks the practice", m.review_rows.len())),
        Line::from("ambiguous: several practices fit the answer   conflict: the answer and the claims disagree"),
    ];
    frame.render_widget(Paragraph::new(lines), head);

    let page = table_rows((area.width, area.height + 4));
    let answer_w = (area.width as usize).saturating_sub(2 + 11 + 10 + 30 + 4).clamp(12, 40);
    let name = |p: u32| m.ds.roster.practices[p as usize].name.clone();
    let rows: Vec<Row> = m
        .review_rows
        .iter()
        .enumerate()
        .skip(m.review_cursor.offset)
        .take(page)
        .map(|(i, &mi)| {
            let a = &m.ds.assessments[mi as usize];
            let mm = &m.analysis.members[mi as usize];
            let (kind, options) = if mm.report.status == MatchStatus::Ambiguous {
                ("ambiguous", format!("{} candidates", mm.report.candidates.len()))
            } else {
                ("conflict", format!("claims: {}", mm.claims_practice.map(name).unwrap_or_default()))
            };
            let decision = match m.editor.plan.review.get(&mi) {
                Some(&p) => format!("✓ {}", name(p)),
                None => options,
            };
            let row = Row::new(vec![
                Cell::from(a.member_id.clone()),
                Cell::from(kind),
                Cell::from(clip(&a.pcp_response, answer_w)),
                Cell::from(clip(&decision, 40)),
            ]);
            if i == m.review_cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    let widths =
        [Constraint::Length(11), Constraint::Length(10), Constraint::Length(answer_w as u16), Constraint::Min(20)];
    let header = Row::new(["member", "kind", "what they said", "decision / options"]).style(theme.title());
    let title = format!(" review — {} of {} ", (m.review_cursor.pos + 1).min(m.review_rows.len()), m.review_rows.len());
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
}

/// The practice choice for one member.
pub fn draw_choice(frame: &mut Frame, area: Rect, m: &Model, c: &Choice, theme: Theme) {
    let rect = centered(area, 70, (c.options.len() as u16 + 6).min(area.height));
    frame.render_widget(Clear, rect);
    let a = &m.ds.assessments[c.member as usize];
    let mm = &m.analysis.members[c.member as usize];
    let mut lines = vec![Line::from(format!("said: {}", clip(&a.pcp_response, 60))), Line::from("")];
    let page = rect.height.saturating_sub(4) as usize;
    for (i, o) in c.options.iter().enumerate().skip(c.cursor.pos.saturating_sub(page.saturating_sub(1))).take(page) {
        let text = match o {
            Some(p) => {
                let pr = &m.ds.roster.practices[*p as usize];
                let tag = if Some(*p) == mm.claims_practice { "  (claims)" } else { "" };
                format!("{} · {}{tag}", pr.name, pr.place())
            }
            None => "no decision (use the matched or claims practice)".into(),
        };
        let line = Line::from(clip(&text, 66));
        lines.push(if i == c.cursor.pos { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(format!(" practice of {} ", a.member_id))),
        rect,
    );
}
