//! Small windows over a screen: the county/waiver filter, an auto-suggest proposal and the
//! questions that need an answer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};

use super::{Theme, centered, clip, highlighted};
use crate::fmt::thousands;
use crate::tui::model::Model;
use crate::tui::overlay::{Dialog, Facets, ProposalView, facet_text};

pub fn facets(frame: &mut Frame, area: Rect, m: &Model, f: &Facets, theme: Theme) -> usize {
    let rect = centered(area, 50, area.height.saturating_sub(4));
    frame.render_widget(Clear, rect);
    let page = rect.height.saturating_sub(3) as usize;
    let mut lines = vec![Line::from(f.list.search.label().unwrap_or_else(|| "/ filters the list".into()))];
    let current = if f.review {
        m.review_county.as_ref().map(|c| crate::tui::model::Facet::County(c.clone()))
    } else {
        m.facet.clone()
    };
    for (i, o) in f.list.visible(page) {
        let option = &f.options[o as usize];
        let mark = if *option == current { "● " } else { "  " };
        let mut spans = vec![Span::raw(mark)];
        spans.extend(highlighted(&facet_text(option, f.review), 46, &f.list.search, theme).spans);
        let line = Line::from(spans);
        lines.push(if i == f.list.cursor.pos { line.style(theme.selected()) } else { line });
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(if f.review {
            " show members of (Enter picks) "
        } else {
            " show practices of (Enter picks) "
        })),
        rect,
    );
    page
}

pub fn proposal(frame: &mut Frame, area: Rect, m: &Model, v: &ProposalView, theme: Theme) -> usize {
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let d = &m.data;
    let pr = &v.proposal;
    let block =
        Block::default().borders(Borders::ALL).title(" auto-suggest — Enter accepts (one undo step), Esc rejects ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    // Totals (wrapped), the practices in rank order, then the caseloads that change.
    let cms_h = (pr.cms.len() as u16 + 1).min(6);
    let [totals, list, cms] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(3), Constraint::Length(cms_h)]).areas(inner);
    frame.render_widget(Paragraph::new(pr.totals()).wrap(Wrap { trim: true }).style(theme.title()), totals);

    let page = (list.height as usize).saturating_sub(1).max(1);
    // Rank, HCBS and overflow are narrow; county as wide as its longest; the rest is shared by
    // the practice name and the proposed care managers, so that at 80 columns neither is cut
    // to a stub.
    let narrow = list.width < 100;
    let county_w = pr.practices.iter().map(|p| p.county.chars().count()).max().unwrap_or(0).clamp(6, 12);
    let fixed = 4 + county_w + 5 + if narrow { 4 } else { 8 } + 5;
    let rest = (list.width as usize).saturating_sub(fixed);
    let longest = pr.practices.iter().map(|p| d.practice_name(p.practice).chars().count()).max().unwrap_or(0);
    let name_w = longest.min(rest / 2).clamp(12, 50);
    let cm = |c: Option<u32>| c.map_or(String::new(), |c| d.cm_name(c).to_string());
    let rows: Vec<Row> = v
        .list
        .visible(page)
        .map(|(i, row)| {
            let p = &pr.practices[row as usize];
            let cms =
                [cm(p.cms[0]), cm(p.cms[1])].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" + ");
            let r = Row::new(vec![
                Cell::from(p.rank.to_string()),
                Cell::from(clip(d.practice_name(p.practice), name_w)),
                Cell::from(clip(&p.county, county_w)),
                Cell::from(thousands(p.members.into())),
                Cell::from(if p.overflow > 0 { thousands(p.overflow.into()) } else { String::new() })
                    .style(theme.warn()),
                Cell::from(clip(&cms, rest.saturating_sub(name_w).max(20))),
            ]);
            if i == v.list.cursor.pos { r.style(theme.selected()) } else { r }
        })
        .collect();
    let widths = [
        Constraint::Length(4),
        Constraint::Length(name_w as u16),
        Constraint::Length(county_w as u16),
        Constraint::Length(5),
        Constraint::Length(if narrow { 4 } else { 8 }),
        Constraint::Min(20),
    ];
    let overflow = if narrow { "ovfl" } else { "overflow" };
    let header =
        Row::new(["rank", "practice", "county", "HCBS", overflow, "proposed care managers"]).style(theme.title());
    frame.render_widget(Table::new(rows, widths).header(header), list);

    let shown = usize::from(cms_h).saturating_sub(1);
    let mut lines = vec![Line::from(Span::styled(
        format!("{} care managers' caseloads change (before → after):", thousands(pr.cms.len() as u64)),
        theme.title(),
    ))];
    for c in pr.cms.iter().take(shown.saturating_sub(usize::from(pr.cms.len() > shown))) {
        lines.push(Line::from(clip(
            &format!(
                "{}: {} → {}/{} members, weighted {:.1} → {:.1}",
                d.cm_name(c.cm),
                thousands(c.members_before.into()),
                thousands(c.members_after.into()),
                thousands(c.capacity.into()),
                c.load_before,
                c.load_after
            ),
            cms.width as usize,
        )));
    }
    if pr.cms.len() > shown {
        lines.push(Line::from(format!("… and {} more", pr.cms.len() + 1 - shown)));
    }
    frame.render_widget(Paragraph::new(lines), cms);
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
