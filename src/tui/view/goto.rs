//! The go-to window: the text typed and the best matches, each saying what it is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::columns::{chars, num, pad};
use super::{Theme, centered, clip};
use crate::tui::goto::{GoTo, SHOWN, Target};
use crate::tui::model::Model;

/// Draws go-to; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, g: &GoTo, theme: Theme) -> usize {
    let rect = centered(area, area.width.saturating_sub(8).min(100), area.height.saturating_sub(4).min(22));
    frame.render_widget(Clear, rect);
    let width = usize::from(rect.width).saturating_sub(2);
    let page = usize::from(rect.height).saturating_sub(4).max(1);
    let d = &m.data;
    let mut lines = vec![
        Line::from(Span::styled(format!(":{}▏", g.list.search.text), theme.title())),
        Line::from(Span::styled(
            clip(
                &match (g.list.search.is_active(), g.list.len()) {
                    (false, _) => "type an id or a name: a practice, a care manager or a member".to_string(),
                    (true, 0) => format!("nothing matches “{}”", g.list.search.text()),
                    (true, n) if n >= SHOWN => format!("the best {SHOWN} matches; type more to narrow"),
                    (true, n) => format!("{} matches", num(n as u64)),
                },
                width,
            ),
            theme.dim(),
        )),
    ];
    const KIND: usize = 13;
    for (i, target) in g.list.visible(page) {
        let (kind, name, rest) = match target {
            Target::Practice(p) => {
                let pr = &d.ds.roster.practices[p as usize];
                let rank = &d.analysis.ranked[d.rank_pos[p as usize] as usize];
                let place = pr.place();
                let place = if place.is_empty() { String::new() } else { format!(" · {place}") };
                ("practice", d.practice_name(p).to_string(), format!("{}{place} · rank {}", pr.id, num(rank.rank)))
            }
            Target::Cm(c) => {
                let cm = &d.ds.care_managers[c as usize];
                let county = if cm.county.is_empty() { String::new() } else { format!(" · {}", cm.county) };
                ("care manager", d.cm_name(c).to_string(), format!("{}{county}", cm.id))
            }
            Target::Member(mi) => {
                let a = &d.ds.assessments[mi as usize];
                let practice = d
                    .ctx
                    .practice_of(&m.editor.plan, mi)
                    .map_or("no practice".to_string(), |p| d.practice_name(p).to_string());
                let cm = m.totals.now.assigned[mi as usize].map_or("no care manager", |c| d.cm_name(c));
                ("member", a.member_id.clone(), format!("{practice} · {cm}"))
            }
        };
        let name_w = chars(&name).min(width.saturating_sub(KIND + 4) / 2 + 10);
        let text = format!("{} {}  {}", pad(kind, KIND), clip(&name, name_w), rest);
        let line = Line::from(pad(&clip(&text, width), width));
        lines.push(if i == g.list.cursor.pos { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" go to — Enter goes, Esc closes ")),
        rect,
    );
    page
}
