//! The care-manager picker: candidates best fit first, and what filling the slot with the
//! highlighted one would do to every caseload it moves, before you confirm.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::columns::{chars, load as load_text, num, of};
use super::{OVER, Theme, centered, clip, highlighted};
use crate::tui::model::Model;
use crate::tui::overlay::Picker;

/// Lines of the preview under the list.
const PREVIEW: u16 = 5;

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
    // Members and spare as wide as the widest value (capacities are shown in full).
    let cms = &d.ds.care_managers;
    let members_w = (0..cms.len()).map(|c| chars(&of(t.now.count[c], cms[c].capacity)) + 1).max().unwrap_or(0).max(7);
    let spare_w = (0..cms.len())
        .map(|c| chars(&signed(i64::from(cms[c].capacity) - i64::from(t.now.count[c]))))
        .max()
        .unwrap_or(0)
        .max(5);
    let wide = list.width >= 100;
    let serves_word = if wide { "already serves" } else { "serves" };
    let name_w = (list.width as usize).saturating_sub(11 + members_w + spare_w + serves_word.len() + 4).clamp(10, 40);
    let rows: Vec<Row> = p
        .list
        .visible(page)
        .map(|(i, c)| {
            let cm = &d.ds.care_managers[c as usize];
            let n = t.now.count[c as usize];
            let spare = i64::from(cm.capacity) - i64::from(n);
            let over = if t.over(d, c) { OVER } else { "" };
            let row = Row::new(vec![
                Cell::from(highlighted(d.cm_name(c), name_w, &p.list.search, theme)),
                Cell::from(clip(&cm.county, 10)),
                Cell::from(format!("{}{over}", of(n, cm.capacity))),
                Cell::from(signed(spare)),
                Cell::from(num(serves(m, p.practice, c) as u64)),
            ]);
            if i == p.list.cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    let widths = [
        Constraint::Length(name_w as u16),
        Constraint::Length(11),
        Constraint::Length(members_w as u16),
        Constraint::Length(spare_w as u16),
        Constraint::Min(6),
    ];
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(["care manager", "county", "members", "spare", serves_word]).style(theme.title())),
        list,
    );

    let text = match &p.preview {
        Some(v) => {
            let mut lines = vec![Line::from(format!(
                "practice overflow {} → {}   Enter assigns, Esc cancels",
                num(v.overflow_before),
                num(v.overflow_after)
            ))];
            let shown = usize::from(PREVIEW) - 2;
            for &(c, before, after, load) in v.changes.iter().take(shown) {
                let cap = d.ctx.capacity[c as usize];
                let over = after > cap;
                lines.push(Line::from(Span::styled(
                    format!(
                        "{} {} → {} members, weighted load {}{}",
                        clip(d.cm_name(c), 40),
                        num(before),
                        of(after, cap),
                        load_text(load),
                        if over { format!(" {OVER}") } else { String::new() }
                    ),
                    if over { theme.warn() } else { theme.good() },
                )));
            }
            if v.changes.len() > shown {
                lines.push(Line::from(format!("and {} more care managers change", v.changes.len() - shown)));
            }
            lines
        }
        None => vec![Line::from("no care manager matches")],
    };
    frame.render_widget(Paragraph::new(text).block(Block::default().borders(Borders::TOP)), preview);
    page
}

/// A signed count with separators ("-1,200").
fn signed(n: i64) -> String {
    let s = num(n.unsigned_abs());
    if n < 0 { format!("-{s}") } else { s }
}

/// Members of `practice` the care manager already serves.
fn serves(m: &Model, practice: u32, cm: u32) -> usize {
    let d = &m.data;
    d.ctx.members_at(&m.editor.plan, practice).iter().filter(|&&x| d.ctx.current[x as usize] == Some(cm)).count()
}
