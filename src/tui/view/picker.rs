//! The care-manager picker: candidates best fit first, and what assigning the highlighted one
//! would do to its caseload before you confirm.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::{OVER, Theme, centered, clip};
use crate::tui::state::{Model, Picker, picker_rows};

pub fn draw(frame: &mut Frame, area: Rect, m: &Model, p: &Picker, theme: Theme) {
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let practice = &m.ds.roster.practices[p.practice as usize];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" assign a care manager to {} ", clip(&practice.name, rect.width as usize - 30)));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [query, list, preview] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(3)]).areas(inner);

    let cursor = if p.query.typing { "▏" } else { "" };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("/", theme.title()),
            Span::raw(format!("{}{cursor}", p.query.text)),
            Span::styled(format!("   practice county: {}", practice.place()), theme.dim()),
        ])),
        query,
    );

    let page = picker_rows((rect.width, rect.height + 3));
    let name_w = (list.width as usize).saturating_sub(11 + 10 + 6 + 7 + 6).clamp(10, 40);
    let rows: Vec<Row> = p
        .rows
        .iter()
        .enumerate()
        .skip(p.cursor.offset)
        .take(page)
        .map(|(i, &c)| {
            let cm = &m.ds.care_managers[c as usize];
            let n = m.now.count[c as usize];
            let spare = i64::from(cm.capacity) - i64::from(n);
            let over = if m.over_capacity(c) { OVER } else { "" };
            let row = Row::new(vec![
                Cell::from(clip(&cm.name, name_w)),
                Cell::from(clip(&cm.county, 10)),
                Cell::from(format!("{n}/{}{over}", cm.capacity)),
                Cell::from(spare.to_string()),
                Cell::from(m.serves(p.practice, c).to_string()),
            ]);
            if i == p.cursor.pos { row.style(theme.selected()) } else { row }
        })
        .collect();
    let widths = [
        Constraint::Length(name_w as u16),
        Constraint::Length(11),
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Min(6),
    ];
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(["care manager", "county", "members", "spare", "serves"]).style(theme.title())),
        list,
    );

    let text = match &p.preview {
        Some(v) => {
            let cm = &m.ds.care_managers[v.cm as usize];
            let over = v.members > cm.capacity;
            vec![
                Line::from(vec![
                    Span::styled("after assigning: ", theme.title()),
                    Span::styled(
                        format!(
                            "{} {}/{} members ({:+}), weighted {:.1}{}",
                            cm.name,
                            v.members,
                            cm.capacity,
                            v.delta,
                            v.load,
                            if over { format!(" {OVER}") } else { String::new() }
                        ),
                        if over { theme.warn() } else { theme.good() },
                    ),
                ]),
                Line::from(format!(
                    "practice overflow {} → {}   (Enter assigns, Esc cancels)",
                    m.now.practice_overflow[p.practice as usize], v.overflow_after
                )),
            ]
        }
        None => vec![Line::from("no care manager matches")],
    };
    frame.render_widget(Paragraph::new(text).block(Block::default().borders(Borders::TOP)), preview);
}
