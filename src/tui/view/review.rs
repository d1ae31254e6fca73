//! The Review screen: ambiguous answers (several practices fit) and conflicts (the answer and
//! the claims disagree). Enter picks the practice; decisions change caseloads like any edit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::{Theme, centered, clip, filter_span, highlighted, title_line};
use crate::matching::MatchStatus;
use crate::tui::model::Model;
use crate::tui::overlay::Choice;

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let d = &m.data;
    let decided = d.review_members.iter().filter(|r| m.editor.plan.review.contains_key(r)).count();
    let mut second = vec![Span::raw(format!(
        "{} to review  ·  {decided} decided  ·  Enter picks the practice",
        d.review_members.len()
    ))];
    second.extend(filter_span(&m.review.search, theme));
    let lines = vec![
        title_line(m, theme),
        Line::from(second),
        Line::from("ambiguous: several practices fit the answer   conflict: the answer and the claims disagree"),
    ];
    frame.render_widget(Paragraph::new(lines), head);

    let page = (table.height as usize).saturating_sub(3).max(1);
    let answer_w = (area.width as usize).saturating_sub(2 + 11 + 10 + 30 + 4).clamp(12, 40);
    let rows: Vec<Row> = m
        .review
        .visible(page)
        .map(|(i, mi)| {
            let a = &d.ds.assessments[mi as usize];
            let mm = &d.analysis.members[mi as usize];
            let (kind, options) = if mm.report.status == MatchStatus::Ambiguous {
                ("ambiguous", format!("{} candidates", mm.report.candidates.len()))
            } else {
                ("conflict", format!("claims: {}", mm.claims_practice.map(|p| d.practice_name(p)).unwrap_or_default()))
            };
            let decision = match m.editor.plan.review.get(&mi) {
                Some(&p) => format!("✓ {}", d.practice_name(p)),
                None => options,
            };
            let row = Row::new(vec![
                Cell::from(clip(&a.member_id, 11)),
                Cell::from(kind),
                Cell::from(highlighted(&a.pcp_response, answer_w, &m.review.search, theme)),
                Cell::from(clip(&decision, 40)),
            ]);
            if i == m.review.cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    let widths =
        [Constraint::Length(11), Constraint::Length(10), Constraint::Length(answer_w as u16), Constraint::Min(20)];
    let header = Row::new(["member", "kind", "what they said", "decision / options"]).style(theme.title());
    let title = if m.review.is_empty() && m.review.search.is_active() {
        format!(" no member to review matches “{}” ", m.review.search.text())
    } else {
        format!(" review — {} of {} ", (m.review.cursor.pos + 1).min(m.review.len()), m.review.len())
    };
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
    page
}

/// The practice choice for one member; returns the rows its list shows.
pub fn draw_choice(frame: &mut Frame, area: Rect, m: &Model, c: &Choice, theme: Theme) -> usize {
    let rect = centered(area, 70, (c.options.len() as u16 + 7).min(area.height));
    frame.render_widget(Clear, rect);
    let d = &m.data;
    let a = &d.ds.assessments[c.member as usize];
    let mm = &d.analysis.members[c.member as usize];
    let mut lines = vec![
        Line::from(format!("said: {}", clip(&a.pcp_response, 60))),
        Line::from(c.list.search.label().unwrap_or_default()),
    ];
    let page = rect.height.saturating_sub(4) as usize;
    for (i, o) in c.list.visible(page) {
        let text = match c.options[o as usize] {
            Some(p) => {
                let pr = &d.ds.roster.practices[p as usize];
                let tag = if Some(p) == mm.claims_practice { "  (claims)" } else { "" };
                format!("{} · {}{tag}", pr.name, pr.place())
            }
            None => "no decision (use the matched or claims practice)".into(),
        };
        let line = Line::from(clip(&text, 66));
        lines.push(if i == c.list.cursor.pos { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(format!(" practice of {} ", a.member_id))),
        rect,
    );
    page
}
