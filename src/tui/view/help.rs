//! The help screen: every key of the key table, the current screen's first, then the words
//! the screens abbreviate. Long lines wrap under their text, and the whole scrolls.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::tui::app::App;
use crate::tui::keys::{self, Context};

/// Words on screen that need a key to read them.
const GLOSSARY: &[&str] = &[
    "duals, duals seen: members with a crossover primary-care line at the practice",
    "cut line: practices above it see at least the threshold number of duals (high volume)",
    "HCBS, HCBS members: HCBS members whose practice it is (self-report, claims or a review decision)",
    "ovfl, overflow, 12!: members of the practice its care managers have no room for; they keep their current CM",
    "(no room!), (overflow: no room): this member is overflow",
    "▲: a care manager above capacity",
    "members 5/6: members now / capacity",
    "util, utilization: members as a share of capacity",
    "weighted, weighted load: caseload weighted by acuity (low 1, medium 1.5, high 2 by default)",
    "prac, practices: practices the care manager covers under the plan",
    "in / out: members joining / leaving a caseload under the plan",
    "new / leaving / staying: a care manager's members under the plan against today; the reason says why (a CM of their practice, continuity, overflow)",
    "serves: members of the practice already with that care manager (picker)",
    "room: capacity minus members, the places a care manager has left; \"no room\": full, so taking the slot moves no one to them (picker)",
    "Counties: prac practices, HV high-volume practices, w/ CM with a care manager of the practice, duals HV duals seen at high-volume practices, w/o HCBS members without a CM of their practice",
    "source: how the member's practice was found: self_report, claims, both, conflict (said one, claims at another), review",
    "↓ ↑: the column a list is sorted by (↓ high to low, ↑ A to Z)",
    "practice of Dr. …: a clinician billing alone (the roster gives no practice)",
];

/// Columns the key names take before their text.
const KEY_W: usize = 10;

/// Splits `text` into pieces of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for word in text.split(' ') {
        let line = out.last_mut().expect("never empty");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    out
}

/// The help as lines `width` columns wide.
fn lines(chain: &[Context], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let text_w = width.saturating_sub(KEY_W).max(20);
    let mut out = Vec::new();
    for (ctx, bindings) in keys::help_sections(chain) {
        out.push(Line::from(Span::styled(format!("Keys: {}", ctx.title()), theme.title())));
        for b in bindings {
            for (i, piece) in wrap(b.help, text_w).into_iter().enumerate() {
                let key = if i == 0 { format!("  {:<w$}", b.name, w = KEY_W - 2) } else { " ".repeat(KEY_W) };
                out.push(Line::from(vec![Span::styled(key, theme.title()), Span::raw(piece)]));
            }
        }
        out.push(Line::from(""));
    }
    out.push(Line::from(Span::styled("Words on the screens", theme.title())));
    for g in GLOSSARY {
        for (i, piece) in wrap(g, width.saturating_sub(4).max(20)).into_iter().enumerate() {
            out.push(Line::from(format!("{}{piece}", if i == 0 { "  " } else { "    " })));
        }
    }
    out
}

/// Rows of help for a context chain at a terminal width (for scrolling).
pub fn help_len(chain: &[Context], columns: u16) -> usize {
    lines(chain, usize::from(columns).saturating_sub(2), Theme { color: false }).len()
}

/// Draws the help; returns the rows it shows.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: Theme) -> usize {
    let all = lines(&app.contexts_below_help(), usize::from(area.width).saturating_sub(2), theme);
    let page = (area.height as usize).saturating_sub(2).max(1);
    let len = all.len();
    // The help's cursor is its first visible line.
    let top = app.help.unwrap_or_default().pos().min(len.saturating_sub(page));
    let shown: Vec<Line> = all.into_iter().skip(top).take(page).collect();
    let title = format!(" help — j/k scroll, Esc closes — lines {}–{} of {len} ", top + 1, (top + page).min(len));
    frame.render_widget(Paragraph::new(shown).block(Block::default().borders(Borders::ALL).title(title)), area);
    page
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(super::wrap("one two three four", 9), vec!["one two", "three", "four"]);
    }
}
