//! Drawing: one function per screen, each building only the rows that are visible.

mod help;
mod practices;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};

use super::keymap::HELP;
use super::state::{App, Phase, Screen};

/// Smallest terminal the layout is designed for.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// Styles, with or without color (NO_COLOR).
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
}

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
    let [body, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    match (&app.phase, app.screen) {
        (_, Screen::Help) => help::draw(frame, body, theme),
        (Phase::Loading(progress), _) => loading(frame, body, progress, theme),
        (Phase::Failed(msg), _) => failed(frame, body, msg, theme),
        (Phase::Ready(model), Screen::Practices) => practices::draw(frame, body, model, theme),
    }
    draw_footer(frame, footer, app, theme);
}

fn loading(frame: &mut Frame, area: Rect, progress: &crate::ingest::Progress, theme: Theme) {
    let [_, title, gauge, _] = Layout::vertical([
        Constraint::Percentage(40),
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Min(0),
    ])
    .areas(area);
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

fn draw_footer(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let keys: Vec<&(&str, &str, &str)> = match app.screen {
        Screen::Help => HELP.iter().filter(|(k, ..)| matches!(*k, "Esc" | "q")).collect(),
        Screen::Practices => HELP.iter().filter(|(k, ..)| !matches!(*k, "Esc" | "PgUp/PgDn")).collect(),
    };
    let mut spans = Vec::new();
    if !app.status.is_empty() {
        spans.push(Span::styled(format!("{}  ", app.status), theme.cut()));
    }
    for (k, short, _) in keys {
        spans.push(Span::styled(*k, theme.title()));
        spans.push(Span::raw(format!(" {short}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
