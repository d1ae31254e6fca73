//! Small windows over a screen: the county/waiver filter, an auto-suggest proposal and the
//! questions that need an answer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::columns::{num, of};
use super::{Theme, centered, clip};
use crate::tui::model::Model;
use crate::tui::overlay::{Dialog, Facets, ProposalView, facet_text};

pub fn facets(frame: &mut Frame, area: Rect, m: &Model, f: &Facets, theme: Theme) -> usize {
    let rect = centered(area, 50, area.height.saturating_sub(4));
    frame.render_widget(Clear, rect);
    let page = rect.height.saturating_sub(3) as usize;
    let mut lines = vec![Line::from(f.list.search.label().unwrap_or_else(|| "/ filters the list".into()))];
    for (i, o) in f.list.visible(page) {
        let option = &f.options[o as usize];
        let mark = if *option == m.facet { "● " } else { "  " };
        let line = Line::from(format!("{mark}{}", facet_text(option)));
        lines.push(if i == f.list.cursor.pos { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" show practices of (Enter picks) ")),
        rect,
    );
    page
}

pub fn proposal(frame: &mut Frame, area: Rect, m: &Model, v: &ProposalView, theme: Theme) -> usize {
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let f = &v.proposal.figures;
    let b = &v.before;
    let d = &m.data;
    let mut lines = vec![
        Line::from(Span::styled(
            format!("{} practices get care managers", num(v.proposal.edit.slots.len() as u64)),
            theme.title(),
        )),
        Line::from(format!(
            "covered {} → {}   members changing CM {} → {}   overflow {} → {}",
            of(b.covered as u64, b.high_volume as u64),
            of(f.covered as u64, f.high_volume as u64),
            num(b.members_changed as u64),
            num(f.members_changed as u64),
            num(b.overflow as u64),
            num(f.overflow as u64)
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
        Line::from(v.list.search.label().unwrap_or_default()),
    ];
    let page = (rect.height as usize).saturating_sub(6);
    let cm = |c: Option<u32>| c.map_or(String::new(), |c| d.cm_name(c).to_string());
    for (i, row) in v.list.visible(page) {
        let (p, _, after) = &v.proposal.edit.slots[row as usize];
        let cms = [cm(after[0]), cm(after[1])].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" + ");
        let line = Line::from(clip(&format!("{:<40} ← {cms}", clip(d.practice_name(*p), 40)), rect.width as usize - 4));
        lines.push(if i == v.list.cursor.pos { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default().borders(Borders::ALL).title(" auto-suggest — Enter accepts (one undo step), Esc rejects "),
        ),
        rect,
    );
    page
}

/// A question, with its answers spelled out.
pub fn dialog(frame: &mut Frame, area: Rect, d: Dialog, theme: Theme) {
    let (title, question, answers) = match d {
        Dialog::Quit => {
            (" quit? ", "The plan has unsaved changes.", "y  save and quit     n  quit without saving     Esc  stay")
        }
        Dialog::Overwrite => (
            " plan.csv changed on disk ",
            "Someone saved plan.csv after carealign read it.",
            "y  overwrite it with this plan     Esc  keep it (not saved)",
        ),
        Dialog::ReplaceUnreadable => (
            " plan.csv could not be read ",
            "plan.csv could not be read at start; saving replaces it.",
            "y  replace it with this plan     Esc  keep it (not saved)",
        ),
    };
    let rect = centered(area, 66, 6);
    frame.render_widget(Clear, rect);
    let lines = vec![Line::from(Span::styled(question, theme.warn())), Line::from(""), Line::from(answers)];
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::default().borders(Borders::ALL).title(title)),
        rect,
    );
}
