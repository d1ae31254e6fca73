//! The care-manager picker: candidates best fit first, and what filling the slot with the
//! highlighted one would do to every caseload it moves, before you confirm.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::columns::num;
use super::{OVER, Theme, centered, clip, highlighted};
use crate::fmt::thousands;
use crate::tui::model::Model;
use crate::tui::overlay::Picker;

/// Lines of the preview under the list: the overflow, four caseloads, the rest counted.
const PREVIEW: u16 = 7;

/// Draws the picker; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, p: &Picker, theme: Theme) -> usize {
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let (d, t) = (&m.data, &m.totals);
    let practice = &d.ds.roster.practices[p.practice as usize];
    let holder = m.editor.plan.slots[p.practice as usize][p.slot]
        .map_or(String::new(), |c| format!(" (replaces {})", d.cm_name(c)));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(clip(&format!(" slot {} of {}{holder} ", p.slot + 1, practice.name), rect.width as usize - 2));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [query, list, preview] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(PREVIEW)]).areas(inner);

    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(p.list.search.label().unwrap_or_else(|| "/ searches".into()), theme.title()),
            Span::styled(format!("   practice county: {}", practice.place()), theme.dim()),
        ])),
        query,
    );

    let page = (list.height as usize).saturating_sub(1).max(1);
    let name_w = (list.width as usize).saturating_sub(11 + 12 + 6 + 7 + 9).clamp(10, 40);
    let rows: Vec<Row> = p
        .list
        .visible(page)
        .map(|(i, c)| {
            let cm = &d.ds.care_managers[c as usize];
            let n = t.now.count[c as usize];
            let fit = p.fits.get(&c);
            let over = if t.over(d, c) { OVER } else { "" };
            let room = match fit {
                Some(f) if !f.has_room => "no room".to_string(),
                Some(f) => thousands(f.spare.max(0) as u64),
                None => String::new(),
            };
            let row = Row::new(vec![
                Cell::from(highlighted(d.cm_name(c), name_w, &p.list.search, theme)),
                Cell::from(clip(&cm.county, 10)),
                Cell::from(format!("{}/{}{over}", thousands(n.into()), thousands(cm.capacity.into()))),
                Cell::from(room).style(if fit.is_some_and(|f| !f.has_room) { theme.warn() } else { theme.good() }),
                Cell::from(fit.map_or(String::new(), |f| thousands(f.serves.into()))),
            ]);
            if i == p.list.cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    let widths = [
        Constraint::Length(name_w as u16),
        Constraint::Length(11),
        Constraint::Length(12),
        Constraint::Length(8),
        Constraint::Min(6),
    ];
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(["care manager", "county", "members", "room", "serves"]).style(theme.title())),
        list,
    );

    let text = match &p.preview {
        Some(v) => {
            let mut lines = vec![Line::from(format!(
                "practice overflow {} → {}   Enter assigns, Esc cancels",
                num(v.overflow_before),
                num(v.overflow_after)
            ))];
            let shown = usize::from(PREVIEW) - 3;
            for s in v.shifts.iter().take(shown) {
                let over = s.members_after > s.capacity.max(s.members_before);
                let gone = if Some(s.cm) == v.replaced { " (leaves the slot)" } else { "" };
                lines.push(Line::from(Span::styled(
                    format!(
                        "{}{gone}: {} → {}/{} members, weighted {:.1} → {:.1}{}",
                        clip(d.cm_name(s.cm), 40),
                        thousands(s.members_before.into()),
                        thousands(s.members_after.into()),
                        thousands(s.capacity.into()),
                        s.load_before,
                        s.load_after,
                        if over { format!(" {OVER}") } else { String::new() }
                    ),
                    if over { theme.warn() } else { theme.good() },
                )));
            }
            if v.shifts.len() > shown {
                lines.push(Line::from(format!("and {} more care managers' caseloads change", v.shifts.len() - shown)));
            }
            lines
        }
        None => vec![Line::from("no care manager matches")],
    };
    frame.render_widget(Paragraph::new(text).block(Block::default().borders(Borders::TOP)), preview);
    page
}
