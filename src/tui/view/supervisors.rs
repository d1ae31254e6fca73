//! The Supervisors screen: supervisor → care managers → members, with who moves in and out
//! under the plan and why, so a field supervisor sees over-capacity and new members at once.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::columns::{Col, chars, load, num, of, pad, share};
use super::{OVER, Theme, clip, filter_span, highlighted, title_line};
use crate::tui::model::{Model, SupRow};

/// A supervisor's members, capacity, members in and out (summed over their care managers).
type Sums = (u64, u64, u64, u64);

/// Draws the screen; returns the rows its list shows.
pub fn draw(frame: &mut Frame, area: Rect, m: &Model, theme: Theme) -> usize {
    let [head, table] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let (d, t) = (&m.data, &m.totals);
    let mut second = vec![Span::raw(format!(
        "{} supervisors  ·  Space shows or hides the rows under one  ·  Enter opens",
        num(d.supervisors.len() as u64)
    ))];
    second.extend(filter_span(&m.sups.search, theme));
    let lines = vec![
        title_line(m, theme),
        Line::from(second),
        Line::from("members: now/capacity   in: new on the caseload under the plan   out: leaving it"),
    ];
    frame.render_widget(Paragraph::new(lines), head);

    let page = (table.height as usize).saturating_sub(3).max(1);
    let width = usize::from(area.width);
    let wide = width >= 110;
    let words =
        ["supervisor / care manager / member", "members", if wide { "weighted load" } else { "weighted" }, "in", "out"];
    let cms = &d.ds.care_managers;
    // Supervisors' totals are the widest numbers.
    let sums: Vec<Sums> = d
        .supervisors
        .iter()
        .map(|(_, list)| {
            list.iter().fold((0, 0, 0, 0), |(n, cap, i, o), &c| {
                let c = c as usize;
                (
                    n + u64::from(t.now.count[c]),
                    cap + u64::from(d.ctx.capacity[c]),
                    i + u64::from(t.moves[c].members_in),
                    o + u64::from(t.moves[c].members_out),
                )
            })
        })
        .collect();
    let widest = |f: &dyn Fn(&Sums) -> usize| sums.iter().map(f).max().unwrap_or(0);
    let load_w = (0..cms.len()).map(|c| chars(&load(t.now.load[c]))).max().unwrap_or(0);
    let cols = [
        Col::text(20, usize::MAX, words[0]),
        Col::fixed(widest(&|s| chars(&of(s.0, s.1)) + 1), words[1]),
        Col::fixed(load_w, words[2]),
        Col::fixed(widest(&|s| chars(&num(s.2)) + 1), words[3]),
        Col::fixed(widest(&|s| chars(&num(s.3)) + 1), words[4]),
    ];
    let w = share(&cols, width, &[0]);
    // Rows are drawn as lines so that a member's reason can use the whole width.
    // The cells after the first, each padded to its column, with the gap before it.
    let tail = |cells: &[String]| -> String {
        cells.iter().zip(&w[1..]).map(|(text, &width)| format!(" {}", pad(&clip(text, width), width))).collect()
    };
    // A row: its first cell with the `/` filter's match highlighted, then the numbers.
    let row_line = |first: String, rest: [String; 4]| -> Line<'static> {
        let mut spans = highlighted(&first, w[0], &m.sups.search, theme).spans;
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        spans.push(Span::raw(" ".repeat(w[0].saturating_sub(used))));
        spans.push(Span::raw(tail(&rest)));
        Line::from(spans)
    };
    let full = usize::from(area.width).saturating_sub(2);
    let mut rows = Vec::with_capacity(page);
    for (i, row) in m.sups.visible(page) {
        let r = match row {
            SupRow::Supervisor(s) => {
                let (name, list) = &d.supervisors[s];
                let (members, capacity, inn, out) = sums[s];
                let over = list.iter().filter(|&&c| t.over(d, c)).count();
                let open = if m.sup_open.contains(&s) { "▾" } else { "▸" };
                let over_text = if over > 0 { format!("  {} over {OVER}", num(over as u64)) } else { String::new() };
                row_line(
                    format!("{open} {name} ({} CMs){over_text}", num(list.len() as u64)),
                    [of(members, capacity), String::new(), format!("+{}", num(inn)), format!("-{}", num(out))],
                )
                .style(if over > 0 { theme.warn() } else { theme.title() })
            }
            SupRow::Cm(c) => {
                let cm = &cms[c as usize];
                let over = t.over(d, c);
                let open = if m.cm_open.contains(&c) { "▾" } else { "▸" };
                row_line(
                    format!("   {open} {} ({})", d.cm_name(c), cm.county),
                    [
                        format!("{}{}", of(t.now.count[c as usize], cm.capacity), if over { OVER } else { "" }),
                        load(t.now.load[c as usize]),
                        format!("+{}", num(t.moves[c as usize].members_in)),
                        format!("-{}", num(t.moves[c as usize].members_out)),
                    ],
                )
                .style(if over { theme.warn() } else { Style::default() })
            }
            SupRow::Group(_, g, n) => {
                Line::from(pad(&clip(&format!("      {} ({})", g.heading(), num(n)), full), full)).style(theme.title())
            }
            SupRow::Member(c, mi) => {
                let a = &d.ds.assessments[mi as usize];
                let plan = if a.medicare_plan.is_empty() { String::new() } else { format!(" · {}", a.medicare_plan) };
                let text = format!("        {} {:<6} {}{plan}", a.member_id, a.acuity.as_str(), m.member_reason(c, mi));
                Line::from(pad(&clip(&text, full), full)).style(theme.dim())
            }
        };
        rows.push(if i == m.sups.cursor.pos { r.style(theme.selected()) } else { r });
    }
    let words = words.map(String::from);
    let header = Line::from(format!("{}{}", pad(&clip(&words[0], w[0]), w[0]), tail(&words[1..]))).style(theme.title());
    let title = if m.sups.is_empty() && m.sups.search.is_active() {
        format!(" no supervisor or care manager matches “{}” ", m.sups.search.text())
    } else {
        format!(
            " supervisors — {} of {} rows ",
            num((m.sups.cursor.pos + 1).min(m.sups.len()) as u64),
            num(m.sups.len() as u64)
        )
    };
    frame.render_widget(
        Paragraph::new(std::iter::once(header).chain(rows).collect::<Vec<_>>())
            .block(Block::default().borders(Borders::ALL).title(title)),
        table,
    );
    page
}
