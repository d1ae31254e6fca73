//! The help screen: every key, from the keymap's own table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::tui::keymap::HELP;

pub fn draw(frame: &mut Frame, area: Rect, theme: Theme) {
    let mut lines = vec![Line::from(Span::styled("Keys", theme.title())), Line::from("")];
    for (keys, _, text) in HELP {
        lines.push(Line::from(vec![Span::styled(format!("  {keys:<12}"), theme.title()), Span::raw(*text)]));
    }
    lines.push(Line::from(""));
    lines
        .push(Line::from("The practices above the cut line see at least the threshold number of duals (high volume)."));
    frame.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" help ")), area);
}
