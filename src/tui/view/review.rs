//! The Review screen: the members a person has to settle (SPEC "Needs review": conflicts,
//! and ambiguous answers the claims do not settle), each with what deciding it takes. The
//! likeliest candidate is preselected; Enter accepts it and moves to the next undecided row.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::{Theme, centered, clip, filter_span, highlighted, title_line};
use crate::fmt::thousands;
use crate::matching::review::{ReviewKind, ReviewRow};
use crate::tui::model::{Model, ReviewFilter};
use crate::tui::overlay::Choice;

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let d = &m.data;
    let selected = m.review.selected().map(|i| &d.review_rows[i as usize]);
    let detail_h = selected.map_or(0, |r| (r.candidates.len() as u16 + 3).min(9));
    let [head, table, detail] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(4), Constraint::Length(detail_h)]).areas(area);
    let total = d.review_rows.len();
    let left = m.review_left();
    let filter = match m.review_filter {
        ReviewFilter::All => "all",
        ReviewFilter::Kind(ReviewKind::Ambiguous) => "ambiguous answers",
        ReviewFilter::Kind(ReviewKind::Conflict) => "conflicts",
        ReviewFilter::HighVolume => "with a high-volume candidate",
    };
    let county = m.review_county.as_ref().map_or_else(|| " · F county".to_string(), |c| format!(" in {c} (F)"));
    let mut second = vec![Span::raw(format!(
        "{} left of {} · showing {filter} (f){county} · Enter accepts ✓ · c chooses",
        thousands(left as u64),
        thousands(total as u64)
    ))];
    second.extend(filter_span(&m.review.search, theme));
    let lines = vec![
        title_line(m, theme),
        Line::from(second),
        Line::from("ambiguous: several practices fit, none has the member's claims   conflict: claims all elsewhere"),
    ];
    frame.render_widget(Paragraph::new(lines), head);

    let page = (table.height as usize).saturating_sub(3).max(1);
    let said_w = (area.width as usize).saturating_sub(2 + 11 + 10 + 10 + 14 + 5).clamp(12, 40);
    let rows: Vec<Row> = m
        .review
        .visible(page)
        .map(|(i, ri)| {
            let r = &d.review_rows[ri as usize];
            let a = &d.ds.assessments[r.member as usize];
            let decision = match m.editor.plan.review.get(&r.member) {
                Some(&p) => format!("✓ {}", d.practice_name(p)),
                None => r.likeliest.map_or_else(
                    || format!("{} candidates", r.candidates.len()),
                    |c| format!("→ {}", d.practice_name(r.candidates[c].practice)),
                ),
            };
            let row = Row::new(vec![
                Cell::from(clip(&a.member_id, 11)),
                Cell::from(kind(r)),
                Cell::from(clip(&r.county, 10)),
                Cell::from(highlighted(&r.said, said_w, &m.review.search, theme)),
                Cell::from(clip(&decision, 60)),
            ]);
            if i == m.review.cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    let widths = [
        Constraint::Length(11),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(said_w as u16),
        Constraint::Min(14),
    ];
    let header =
        Row::new(["member", "kind", "county", "what they said", "decision (✓) / preselected (→)"]).style(theme.title());
    let title = if m.review.is_empty() && m.review.search.is_active() {
        format!(" no member to review matches “{}” ", m.review.search.text())
    } else {
        format!(" review — {} of {} ", (m.review.cursor.pos + 1).min(m.review.len()), m.review.len())
    };
    frame.render_widget(
        Table::new(rows, widths).header(header).block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
    if let Some(r) = selected {
        candidates(frame, detail, m, r, theme);
    }
    page
}

fn kind(r: &ReviewRow) -> &'static str {
    match r.kind {
        ReviewKind::Ambiguous => "ambiguous",
        ReviewKind::Conflict => "conflict",
    }
}

/// The selected row's candidates: where each is, the clinicians whose names fit the answer
/// and the member's claims there.
fn candidates(frame: &mut Frame, area: Rect, m: &Model, r: &ReviewRow, theme: Theme) {
    let d = &m.data;
    let cm = r.current_cm.map_or_else(
        || if r.current_cm_id.is_empty() { "none".to_string() } else { r.current_cm_id.clone() },
        |c| d.cm_name(c).to_string(),
    );
    let mut lines = vec![Line::from(Span::styled(
        clip(&format!("said “{}” · county {} · current CM {cm}", r.said, r.county), area.width as usize),
        theme.title(),
    ))];
    for (i, c) in r.candidates.iter().enumerate() {
        let clinicians: Vec<String> =
            c.clinicians.iter().map(|&k| d.ds.roster.clinicians[k as usize].display_name()).collect();
        let claims = match (c.claims_lines, c.last_service) {
            (0, _) => "no claims".to_string(),
            (n, Some(day)) => format!("{n} claims lines, last {}", crate::ingest::fields::format_day(day)),
            (n, None) => format!("{n} claims lines"),
        };
        let mark = if Some(i) == r.likeliest { "→ " } else { "  " };
        let tags = [c.named.then_some("named"), c.in_member_county.then_some("their county")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "{mark}{} · {} · {claims}{}{}",
            d.practice_name(c.practice),
            if c.place.is_empty() { "—" } else { &c.place },
            if tags.is_empty() { String::new() } else { format!(" · {tags}") },
            if clinicians.is_empty() { String::new() } else { format!(" · fits: {}", clinicians.join(", ")) },
        );
        let line = Line::from(clip(&text, area.width as usize));
        lines.push(if Some(i) == r.likeliest { line.style(theme.good()) } else { line });
    }
    frame
        .render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::TOP).title(" candidates ")), area);
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
        let line = highlighted(&text, 66, &c.list.search, theme);
        lines.push(if i == c.list.cursor.pos { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(format!(" practice of {} ", a.member_id))),
        rect,
    );
    page
}
