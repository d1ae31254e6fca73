//! Drawing: one module per screen, each building only the rows that are visible. Each view
//! reports how many rows its list shows ([`Pages`]), so paging moves by what is on screen.

mod cm;
mod cms;
mod columns;
mod counties;
mod detail;
mod goto;
mod help;
mod picker;
mod practices;
mod review;
mod supervisors;
mod windows;

pub use help::help_len;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};

use super::app::{App, Job, Phase, Screen};
use super::keys;
use super::list::Search;
use super::model::Model;
use super::overlay::Overlay;

/// Smallest terminal the layout is designed for.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// Styles, with or without color (NO_COLOR). Selection is always reverse video and
/// warnings always carry a symbol, so nothing depends on color alone.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn title(self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Cyan) } else { s }
    }
    pub fn dim(self) -> Style {
        if self.color { Style::default().fg(Color::DarkGray) } else { Style::default() }
    }
    pub fn cut(self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Yellow) } else { s }
    }
    pub fn warn(self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Red) } else { s }
    }
    /// Characters the filter matched.
    pub fn hit(self) -> Style {
        let s = Style::default().add_modifier(Modifier::UNDERLINED | Modifier::BOLD);
        if self.color { s.fg(Color::Yellow) } else { s }
    }
    pub fn good(self) -> Style {
        if self.color { Style::default().fg(Color::Green) } else { Style::default() }
    }
}

/// Marks a care manager over capacity (a symbol as well as color).
pub const OVER: &str = "▲";

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme { color: app.color };
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let msg = format!(
            "terminal too small: {}×{} (carealign needs {}×{}); enlarge the window or press q",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let status = status_text(app);
    // The message wraps onto a second line rather than losing its end.
    let status_lines = status.chars().count().div_ceil(usize::from(area.width).max(1)).min(2) as u16;
    let footer_h = 1 + status_lines;
    let [tabs, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(footer_h)]).areas(area);
    draw_tabs(frame, tabs, app, theme);
    let mut pages = app.pages.get();
    if app.help.is_some() {
        pages.help = help::draw(frame, body, app, theme);
    } else {
        match &app.phase {
            Phase::Loading(progress) => loading(frame, body, progress, theme),
            Phase::Failed(msg) => failed(frame, body, msg, theme),
            Phase::Ready(m) => {
                pages.screen = match app.screen {
                    Screen::Practices => practices::draw(frame, body, m, theme),
                    Screen::CareManagers => cms::draw(frame, body, m, theme),
                    Screen::Supervisors => supervisors::draw(frame, body, m, theme),
                    Screen::Review => review::draw(frame, body, m, theme),
                    Screen::Counties => counties::draw(frame, body, m, theme),
                };
                for overlay in &m.overlays {
                    let page = match overlay {
                        Overlay::Detail(d) => detail::draw(frame, body, m, d, theme),
                        Overlay::Picker(p) => picker::draw(frame, body, m, p, theme),
                        Overlay::Facets(f) => windows::facets(frame, body, m, f, theme),
                        Overlay::Choice(c) => review::draw_choice(frame, body, m, c, theme),
                        Overlay::Proposal(v) => windows::proposal(frame, body, m, v, theme),
                        Overlay::CareManager(w) => cm::draw(frame, body, m, w, theme),
                        Overlay::GoTo(g) => goto::draw(frame, body, m, g, theme),
                        Overlay::Dialog(d) => {
                            windows::dialog(frame, body, *d, theme);
                            pages.overlay
                        }
                    };
                    pages.overlay = page;
                }
            }
        }
    }
    app.pages.set(pages);
    draw_footer(frame, footer, app, &status, theme);
}

/// The screens by number, the current one marked.
fn draw_tabs(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    // The product's name only where it fits beside the five tabs.
    let mut spans = if area.width >= 90 { vec![Span::styled("carealign ", theme.title())] } else { Vec::new() };
    for (i, s) in Screen::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, s.title());
        spans.push(if *s == app.screen && app.help.is_none() {
            Span::styled(format!("[{}]", label.trim()), theme.selected())
        } else {
            Span::raw(label)
        });
    }
    spans.push(Span::raw(" "));
    spans.push(if app.help.is_some() { Span::styled("[? Help]", theme.selected()) } else { Span::raw(" ? Help") });
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Data totals shared by the list screens' headers.
pub fn totals_line(m: &Model) -> Line<'static> {
    let d = &m.data;
    let c = &d.ds.claims.stats;
    let t = crate::fmt::thousands;
    Line::from(format!(
        "claims: {} lines, {} skipped  ·  duals: {}  ·  HCBS: {} ({} unmatched)",
        t(c.rows),
        t(c.skipped),
        t(d.ds.claims.members.len() as u64),
        t(d.ds.assessments.len() as u64),
        t(d.unmatched as u64),
    ))
}

/// The first header line: data set and plan state, and what is left to review.
pub fn title_line(m: &Model, theme: Theme) -> Line<'static> {
    let d = &m.data;
    let dir = d.ds.dir.file_name().map_or_else(|| d.ds.dir.display().to_string(), |n| n.to_string_lossy().into_owned());
    let t = crate::fmt::thousands;
    let open = m.review_left();
    let mut spans = vec![Span::styled(dir, theme.title())];
    // Right after the name, so that a narrow terminal never cuts it off.
    if m.is_dirty() {
        spans.push(Span::styled(" · unsaved changes", theme.cut()));
    }
    spans.push(Span::raw(format!(
        " · {} practices · {} CMs · {} assigned · {} to review",
        t(d.ds.roster.practices.len() as u64),
        t(d.ds.care_managers.len() as u64),
        t(m.editor.plan.assigned_practices() as u64),
        t(open as u64),
    )));
    Line::from(spans)
}

/// The list's filter as the header shows it ("/lib▏"), if any.
pub fn filter_span(search: &Search, theme: Theme) -> Option<Span<'static>> {
    search.label().map(|l| Span::styled(format!("  ·  {l}"), theme.title()))
}

/// `text` cut to `width` characters, with the characters the filter matched highlighted.
pub fn highlighted(text: &str, width: usize, search: &Search, theme: Theme) -> Line<'static> {
    let text = clip(text, width);
    let hits = search.positions(&text);
    if hits.is_empty() {
        return Line::from(text);
    }
    let spans = text
        .chars()
        .enumerate()
        .map(
            |(i, c)| {
                if hits.contains(&i) { Span::styled(c.to_string(), theme.hit()) } else { Span::raw(c.to_string()) }
            },
        )
        .collect::<Vec<_>>();
    Line::from(spans)
}

/// A centered rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Cuts text to `n` characters, marking the cut with "…". Data text is made safe for the
/// terminal first: no control, bidi or zero-width character reaches it.
pub fn clip(s: &str, n: usize) -> String {
    let s = crate::io::for_terminal(s);
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn loading(frame: &mut Frame, area: Rect, progress: &crate::ingest::Progress, theme: Theme) {
    let [_, title, gauge, notes] = Layout::vertical([
        Constraint::Percentage(40),
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Min(0),
    ])
    .areas(area);
    // Warnings about a whole file (no practice names in the roster, say) are worth reading
    // before the long claims read ends, not only in the status line after it.
    let warnings: Vec<Line> =
        progress.warnings().into_iter().map(|w| Line::from(Span::styled(w, theme.warn()))).collect();
    frame.render_widget(Paragraph::new(warnings).wrap(Wrap { trim: true }), notes);
    frame.render_widget(
        Paragraph::new(format!("carealign — {}", progress.stage_name()))
            .style(theme.title())
            .alignment(Alignment::Center),
        title,
    );
    let ratio = progress.fraction();
    let label = format!(
        "{:.0}%  {} of {} MB",
        ratio * 100.0,
        progress.done.load(std::sync::atomic::Ordering::Relaxed) >> 20,
        progress.total.load(std::sync::atomic::Ordering::Relaxed) >> 20
    );
    let gauge_area = Rect { x: gauge.x + gauge.width / 8, width: gauge.width - gauge.width / 4, ..gauge };
    frame.render_widget(
        Gauge::default().block(Block::default().borders(Borders::ALL).title(" loading ")).ratio(ratio).label(label),
        gauge_area,
    );
}

fn failed(frame: &mut Frame, area: Rect, msg: &str, theme: Theme) {
    let text = vec![
        Line::from(Span::styled("carealign could not load the data", theme.warn())),
        Line::from(""),
        Line::from(msg.to_string()),
        Line::from(""),
        Line::from("Fix the file and start again; q quits."),
    ];
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }).block(Block::default().borders(Borders::ALL)),
        area,
    );
}

/// The message line: running jobs first, then the last message.
fn status_text(app: &App) -> String {
    let jobs: Vec<&str> = app
        .running
        .iter()
        .map(|j| match j {
            Job::Saving => "saving…",
            Job::Exporting => "exporting…",
            Job::Suggesting => "auto-suggest running…",
        })
        .collect();
    let mut text = jobs.join("  ");
    if !app.status.is_empty() {
        if !text.is_empty() {
            text.push_str("  ·  ");
        }
        text.push_str(&crate::io::for_terminal(&app.status));
    }
    text
}

/// The footer: the message on its own line (wrapped to the width), then the keys that work
/// here, from the key table.
fn draw_footer(frame: &mut Frame, area: Rect, app: &App, status: &str, theme: Theme) {
    let width = area.width as usize;
    let [message, keys_area] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(status.to_string(), theme.cut())).wrap(Wrap { trim: false }),
        message,
    );
    let keys = keys::footer(&app.contexts());
    let size = |b: &&keys::Binding| b.name.chars().count() + b.footer.chars().count() + 3;
    // On a narrow terminal keep the first keys and always `?` (which lists the rest) and `q`.
    let (tail, rest): (Vec<_>, Vec<_>) = keys.iter().partition(|b| matches!(b.name, "?" | "q"));
    let mut room = width.saturating_sub(tail.iter().map(size).sum());
    let mut shown = Vec::new();
    for b in rest {
        if size(&b) > room {
            break;
        }
        room -= size(&b);
        shown.push(b);
    }
    shown.extend(tail);
    let mut spans = Vec::new();
    for b in shown {
        spans.push(Span::styled(b.name, theme.title()));
        spans.push(Span::raw(format!(" {}  ", b.footer)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), keys_area);
}
