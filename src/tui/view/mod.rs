//! Drawing: one module per screen, each building only the rows that are visible.

mod cms;
mod detail;
mod help;
mod picker;
mod practices;
mod review;
mod supervisors;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};

use super::keymap::{HELP, footer_keys};
use super::state::{App, Facet, Facets, Model, Overlay, Phase, Screen};

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
    let [body, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    match (&app.phase, app.screen) {
        (_, Screen::Help) => help::draw(frame, body, theme),
        (Phase::Loading(progress), _) => loading(frame, body, progress, theme),
        (Phase::Failed(msg), _) => failed(frame, body, msg, theme),
        (Phase::Ready(m), Screen::Practices) => practices::draw(frame, body, m, theme),
        (Phase::Ready(m), Screen::CareManagers) => cms::draw(frame, body, m, theme),
        (Phase::Ready(m), Screen::Supervisors) => supervisors::draw(frame, body, m, theme),
        (Phase::Ready(m), Screen::Review) => review::draw(frame, body, m, theme),
    }
    if let (Phase::Ready(m), false) = (&app.phase, app.screen == Screen::Help) {
        for overlay in &m.overlays {
            match overlay {
                Overlay::Detail(d) => detail::draw(frame, body, m, d, theme),
                Overlay::Picker(p) => picker::draw(frame, body, m, p, theme),
                Overlay::Facets(f) => facets(frame, body, m, f, theme),
                Overlay::Choice(c) => review::draw_choice(frame, body, m, c, theme),
                Overlay::Proposal(v) => proposal(frame, body, m, v, theme),
                Overlay::ConfirmQuit => confirm_quit(frame, body, theme),
            }
        }
    }
    draw_footer(frame, footer, app, theme);
}

/// Data totals shared by the list screens' headers.
pub fn totals_line(m: &Model) -> Line<'static> {
    let c = &m.ds.claims.stats;
    let t = crate::cli::thousands;
    Line::from(format!(
        "claims: {} lines, {} skipped  ·  duals: {}  ·  HCBS: {} ({} unmatched)",
        t(c.rows),
        t(c.skipped),
        t(m.ds.claims.members.len() as u64),
        t(m.ds.assessments.len() as u64),
        t(m.analysis.unmatched_answers() as u64),
    ))
}

/// The first header line: data set and plan state.
pub fn title_line(m: &Model, screen: &str, theme: Theme) -> Line<'static> {
    let dir = m.ds.dir.file_name().map_or_else(|| m.ds.dir.display().to_string(), |n| n.to_string_lossy().into_owned());
    let dirty = if m.editor.is_dirty() { "  ·  unsaved changes" } else { "" };
    Line::from(vec![
        Span::styled(format!("carealign {screen} "), theme.title()),
        Span::raw(format!(
            "{dir}  ·  {} practices  ·  {} CMs  ·  {} assigned",
            crate::cli::thousands(m.ds.roster.practices.len() as u64),
            crate::cli::thousands(m.ds.care_managers.len() as u64),
            m.editor.plan.assigned_practices()
        )),
        Span::styled(dirty.to_string(), theme.cut()),
    ])
}

/// A centered rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Cuts text to `n` characters, marking the cut with "…".
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
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

fn facets(frame: &mut Frame, area: Rect, m: &Model, f: &Facets, theme: Theme) {
    let rect = centered(area, 50, area.height.saturating_sub(4));
    frame.render_widget(Clear, rect);
    let page = rect.height.saturating_sub(2) as usize;
    let offset = f.cursor.pos.saturating_sub(page.saturating_sub(1));
    let lines: Vec<Line> = f
        .options
        .iter()
        .enumerate()
        .skip(offset)
        .take(page)
        .map(|(i, o)| {
            let text = match o {
                None => "all practices".to_string(),
                Some(Facet::County(c)) => format!("county  {c}"),
                Some(Facet::Waiver(w)) => format!("waiver  {w}"),
            };
            let mark = if *o == m.facet { "● " } else { "  " };
            let line = Line::from(format!("{mark}{text}"));
            if i == f.cursor.pos { line.style(theme.selected()) } else { line }
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" filter practices (Enter picks) ")),
        rect,
    );
}

fn proposal(frame: &mut Frame, area: Rect, m: &Model, v: &crate::tui::state::ProposalView, theme: Theme) {
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let f = &v.proposal.figures;
    let b = &v.before;
    let mut lines = vec![
        Line::from(Span::styled(format!("{} practices get care managers", v.proposal.edit.slots.len()), theme.title())),
        Line::from(format!(
            "covered {}/{} → {}/{}   members changing CM {} → {}   overflow {} → {}",
            b.covered,
            b.high_volume,
            f.covered,
            f.high_volume,
            b.members_changed,
            f.members_changed,
            b.overflow,
            f.overflow
        )),
        Line::from(format!(
            "utilization max {:.0}% → {:.0}%, mean {:.0}% → {:.0}%   same county {:.0}%   over capacity {} → {}",
            b.max_utilization * 100.0,
            f.max_utilization * 100.0,
            b.mean_utilization * 100.0,
            f.mean_utilization * 100.0,
            f.same_county * 100.0,
            b.over_capacity,
            f.over_capacity
        )),
        Line::from(""),
    ];
    let page = (rect.height as usize).saturating_sub(8);
    let cm = |c: Option<u32>| c.map_or(String::new(), |c| m.ds.care_managers[c as usize].name.clone());
    for (i, (p, _, after)) in
        v.proposal.edit.slots.iter().enumerate().skip(v.cursor.pos.saturating_sub(page.saturating_sub(1))).take(page)
    {
        let name = &m.ds.roster.practices[*p as usize].name;
        let cms = [cm(after[0]), cm(after[1])].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" + ");
        let line = Line::from(clip(&format!("{:<40} ← {cms}", clip(name, 40)), rect.width as usize - 4));
        lines.push(if i == v.cursor.pos { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default().borders(Borders::ALL).title(" auto-suggest — Enter accepts (one undo step), Esc rejects "),
        ),
        rect,
    );
}

fn confirm_quit(frame: &mut Frame, area: Rect, theme: Theme) {
    let rect = centered(area, 64, 6);
    frame.render_widget(Clear, rect);
    let lines = vec![
        Line::from(Span::styled("The plan has unsaved changes.", theme.warn())),
        Line::from(""),
        Line::from("s  save and quit     q  quit without saving     Esc  stay"),
    ];
    frame.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" quit? ")), rect);
}

fn draw_footer(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let context = if app.screen == Screen::Help { "other" } else { app.context() };
    let mut spans = Vec::new();
    if !app.status.is_empty() {
        spans.push(Span::styled(format!("{}  ", clip(&app.status, area.width as usize / 2)), theme.cut()));
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let keys: Vec<&(&str, &str, &str)> =
        footer_keys(context).iter().filter_map(|key| HELP.iter().find(|(k, ..)| k == key)).collect();
    let width = |k: &&(&str, &str, &str)| k.0.chars().count() + k.1.chars().count() + 3;
    // On a narrow terminal keep the first keys and always `?` (which lists the rest) and `q`.
    let mut room = (area.width as usize).saturating_sub(used);
    let tail: Vec<&&(&str, &str, &str)> = keys.iter().filter(|k| matches!(k.0, "?" | "q")).collect();
    room = room.saturating_sub(tail.iter().map(|k| width(k)).sum());
    let mut shown: Vec<&(&str, &str, &str)> = Vec::new();
    for k in keys.iter().filter(|k| !matches!(k.0, "?" | "q")) {
        if width(k) > room {
            break;
        }
        room -= width(k);
        shown.push(k);
    }
    shown.extend(tail.into_iter().copied());
    for (k, short, _) in shown {
        spans.push(Span::styled(*k, theme.title()));
        spans.push(Span::raw(format!(" {short}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
