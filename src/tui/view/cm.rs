//! A care manager opened with Enter: who they are, their load against capacity, the
//! practices they cover with the members at each, and their members grouped new / leaving /
//! staying with the reason for each.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::columns::{chars, load, num, of, pad};
use super::{OVER, Theme, clip, highlighted};
use crate::tui::model::Model;
use crate::tui::overlay::{CmRow, CmWindow};

/// Pieces joined with " · " into lines of at most `width` characters (a piece longer than
/// the width is cut).
fn joined(pieces: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for piece in pieces {
        match lines.last_mut() {
            Some(line) if chars(line) + 3 + chars(piece) <= width => {
                line.push_str(" · ");
                line.push_str(piece);
            }
            _ => lines.push(clip(piece, width)),
        }
    }
    lines
}

/// Draws the open care manager; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, w: &CmWindow, theme: Theme) -> usize {
    frame.render_widget(Clear, area);
    let (d, t) = (&m.data, &m.totals);
    let c = w.cm as usize;
    let cm = &d.ds.care_managers[c];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" care manager {} ", clip(d.cm_name(w.cm), usize::from(area.width).saturating_sub(20))));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let or_dash = |s: &str| if s.is_empty() { "—".to_string() } else { s.to_string() };
    let util = t.utilization(d, w.cm);
    let util = if util.is_finite() { format!("{}%", num((util * 100.0).round() as u64)) } else { "—".into() };
    let mv = t.moves[c];
    let mut pieces = vec![
        format!("id {}", cm.id),
        or_dash(&cm.agency),
        format!("county {}", or_dash(&cm.county)),
        format!("supervisor {}", or_dash(&cm.supervisor)),
        if cm.phone.is_empty() { "no phone".to_string() } else { cm.phone.clone() },
    ];
    if !cm.email.is_empty() {
        pieces.push(cm.email.clone());
    }
    let mut info_lines: Vec<Line> = joined(&pieces, width).into_iter().map(Line::from).collect();
    let over = if t.over(d, w.cm) { format!(" {OVER} over capacity") } else { String::new() };
    let figures = [
        format!("members {}{over} ({util})", of(t.now.count[c], cm.capacity)),
        format!("weighted load {}", load(t.now.load[c])),
        format!("in +{}  out -{}", num(mv.members_in), num(mv.members_out)),
    ];
    let style = if t.over(d, w.cm) { theme.warn() } else { ratatui::style::Style::default() };
    let figures = joined(&figures, width);
    info_lines.extend(figures.into_iter().map(|l| Line::from(Span::styled(l, style))));
    let [info, list] = Layout::vertical([Constraint::Length(info_lines.len() as u16), Constraint::Min(2)]).areas(inner);
    frame.render_widget(Paragraph::new(info_lines), info);

    // The list's top border carries its title and the filter.
    let page = usize::from(list.height).saturating_sub(1).max(1);
    let shown: Vec<(usize, CmRow)> = w.list.visible(page).collect();
    let name_w = shown
        .iter()
        .filter_map(|&(_, r)| match r {
            CmRow::Practice(p) => Some(chars(d.practice_name(p))),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(width / 2);
    let id_w = shown
        .iter()
        .filter_map(|&(_, r)| match r {
            CmRow::Member(mi) => Some(chars(&d.ds.assessments[mi as usize].member_id)),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    // The Medicare plan gets its own column on a wide terminal, else it follows the reason.
    let plan_w = if width >= 110 { 28 } else { 0 };
    let mut lines = Vec::with_capacity(page);
    for (i, row) in shown {
        let line = match row {
            CmRow::Practices(n) => Line::from(Span::styled(format!("practices ({})", num(n)), theme.title())),
            CmRow::Group(g, n) => Line::from(Span::styled(format!("{} ({})", g.heading(), num(n)), theme.title())),
            CmRow::Practice(p) => {
                let pr = &d.ds.roster.practices[p as usize];
                let members = d.ctx.members_at(&m.editor.plan, p);
                let with = members.iter().filter(|&&x| t.now.assigned[x as usize] == Some(w.cm)).count();
                let slot = m.editor.plan.slots[p as usize].iter().position(|&s| s == Some(w.cm)).map_or(0, |s| s + 1);
                let overflow = t.now.practice_overflow[p as usize];
                let rank = &d.analysis.ranked[d.rank_pos[p as usize] as usize];
                let mut text = format!(
                    "{}  {} · slot {slot} · {} of its {} members with this CM",
                    pad(&clip(d.practice_name(p), name_w), name_w),
                    or_dash(&pr.place()),
                    num(with as u64),
                    num(members.len() as u64),
                );
                if overflow > 0 {
                    text.push_str(&format!(" · overflow {}", num(overflow)));
                }
                text.push_str(&format!(" · rank {}", num(rank.rank)));
                let mut spans = vec![Span::raw("  ")];
                spans.extend(highlighted(&text, width.saturating_sub(2), &w.list.search, theme).spans);
                Line::from(spans)
            }
            CmRow::Member(mi) => {
                let a = &d.ds.assessments[mi as usize];
                let id = highlighted(&pad(&a.member_id, id_w), id_w, &w.list.search, theme);
                let reason = m.member_reason(w.cm, mi);
                let plan = &*a.medicare_plan;
                let rest_w = width.saturating_sub(2 + id_w + 8);
                let rest = if plan_w > 0 {
                    let reason_w = rest_w.saturating_sub(plan_w + 2);
                    format!("{}  {}", pad(&clip(&reason, reason_w), reason_w), clip(plan, plan_w))
                } else if plan.is_empty() {
                    clip(&reason, rest_w)
                } else {
                    clip(&format!("{reason} · {plan}"), rest_w)
                };
                let mut spans = vec![Span::raw("  ")];
                spans.extend(id.spans);
                spans.push(Span::raw(format!(" {:<6} {rest}", a.acuity.as_str())));
                Line::from(spans)
            }
        };
        let line = if i == w.list.cursor.pos {
            // Reverse video over the whole row.
            let used: usize = line.spans.iter().map(|s| chars(&s.content)).sum();
            let mut line = line;
            line.spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
            line.style(theme.selected())
        } else {
            line
        };
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(Line::from(if w.list.search.is_active() {
            format!("nothing matches “{}”", w.list.search.text())
        } else {
            "no practices and no members under the plan or at the start".to_string()
        }));
    }
    let mut title = vec![Span::raw(" practices and members — Enter opens a practice ")];
    title.extend(w.list.search.label().map(|l| Span::styled(format!("{l} "), theme.title())));
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::TOP).title(Line::from(title))),
        list,
    );
    page
}
