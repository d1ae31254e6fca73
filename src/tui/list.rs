//! A scrolling list with a cursor and a `/` filter: the piece every screen and overlay shares,
//! so moving, filtering and n/N work the same everywhere.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::{memchr, memchr2};

use super::keys::Action;

/// A position in a scrolling list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub(in crate::tui) pos: usize,
    pub(in crate::tui) offset: usize,
}

impl Cursor {
    /// Moves for a navigation action; returns whether it was one.
    pub(in crate::tui) fn navigate(&mut self, action: Action, len: usize, page: usize) -> bool {
        let last = len.saturating_sub(1);
        let page = page.max(1);
        self.pos = match action {
            Action::Down => (self.pos + 1).min(last),
            Action::Up => self.pos.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => last,
            Action::PageDown => (self.pos + page).min(last),
            Action::PageUp => self.pos.saturating_sub(page),
            Action::HalfDown => (self.pos + page / 2).min(last),
            Action::HalfUp => self.pos.saturating_sub(page / 2),
            _ => return false,
        };
        self.show(page);
        true
    }

    /// Keeps the cursor inside `len` rows and visible in a `page`-row window.
    pub(in crate::tui) fn fit(&mut self, len: usize, page: usize) {
        self.pos = self.pos.min(len.saturating_sub(1));
        self.show(page);
    }

    /// Puts the cursor on `pos` and scrolls it into view.
    pub(in crate::tui) fn jump(&mut self, pos: usize, page: usize) {
        self.pos = pos;
        self.show(page);
    }

    fn show(&mut self, page: usize) {
        let page = page.max(1);
        if self.pos < self.offset {
            self.offset = self.pos;
        } else if self.pos >= self.offset + page {
            self.offset = self.pos + 1 - page;
        }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }
}

/// Whether the fuzzy matcher would match `query` in `text` at all: its characters appear in
/// `text` in order, ignoring ASCII case unless `query` holds an upper-case letter (skim's smart
/// case). A filter only needs yes or no, and this answers without skim's score matrix: about
/// twenty times faster, which keeps a keystroke in a 20,000-row filter within a frame.
pub fn fuzzy_hit(text: &str, query: &str) -> bool {
    let case_sensitive = query.bytes().any(|b| b.is_ascii_uppercase());
    if query.is_ascii() {
        // An ASCII byte never occurs inside a multi-byte character, so bytes compare exactly.
        let mut rest = text.as_bytes();
        for q in query.bytes() {
            let found = if case_sensitive || !q.is_ascii_alphabetic() {
                memchr(q, rest)
            } else {
                memchr2(q.to_ascii_lowercase(), q.to_ascii_uppercase(), rest)
            };
            match found {
                Some(i) => rest = &rest[i + 1..],
                None => return false,
            }
        }
        true
    } else {
        let mut chars = text.chars();
        query.chars().all(|q| chars.any(|c| if case_sensitive { c == q } else { c.eq_ignore_ascii_case(&q) }))
    }
}

/// The text typed after `/`.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub(in crate::tui) text: String,
    /// The text field is open: printable keys go into it.
    pub(in crate::tui) typing: bool,
}

impl Search {
    pub fn text(&self) -> &str {
        self.text.trim()
    }

    pub fn is_active(&self) -> bool {
        !self.text().is_empty()
    }

    pub fn is_typing(&self) -> bool {
        self.typing
    }

    /// Whether `text` matches (an empty query matches everything).
    pub fn matches(&self, text: &str) -> bool {
        !self.is_active() || fuzzy_hit(text, self.text())
    }

    /// Character positions of `text` that the query matched, for highlighting.
    pub fn positions(&self, text: &str) -> Vec<usize> {
        if !self.is_active() {
            return Vec::new();
        }
        SkimMatcherV2::default().fuzzy_indices(text, self.text()).map(|(_, idx)| idx).unwrap_or_default()
    }

    /// The line the list's header shows: "/text▏" while typing.
    pub fn label(&self) -> Option<String> {
        (self.typing || self.is_active()).then(|| format!("/{}{}", self.text, if self.typing { "▏" } else { "" }))
    }
}

/// A list of rows of type `T`, with the rows that matched the filter (for n/N).
#[derive(Debug, Clone)]
pub struct List<T> {
    pub(in crate::tui) rows: Vec<T>,
    /// Positions in `rows` that the filter matched themselves (not shown only as context,
    /// like a supervisor above a matching member).
    pub(in crate::tui) hits: Vec<usize>,
    pub(in crate::tui) cursor: Cursor,
    pub(in crate::tui) search: Search,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List { rows: Vec::new(), hits: Vec::new(), cursor: Cursor::default(), search: Search::default() }
    }
}

impl<T: Copy> List<T> {
    /// Replaces the rows; every row is a hit.
    pub(in crate::tui) fn set(&mut self, rows: Vec<T>) {
        self.hits = (0..rows.len()).collect();
        self.rows = rows;
    }

    pub fn selected(&self) -> Option<T> {
        self.rows.get(self.cursor.pos).copied()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Rows in view: (position, row) from the scroll offset, at most `page`.
    pub fn visible(&self, page: usize) -> impl Iterator<Item = (usize, T)> + '_ {
        self.rows.iter().copied().enumerate().skip(self.cursor.offset).take(page)
    }

    /// Moves to the next (or previous) hit of the filter, wrapping around.
    pub(in crate::tui) fn step_match(&mut self, forward: bool, page: usize) -> bool {
        if self.hits.is_empty() {
            return false;
        }
        let pos = self.cursor.pos;
        let next = if forward {
            self.hits.iter().copied().find(|&h| h > pos).unwrap_or(self.hits[0])
        } else {
            self.hits.iter().rev().copied().find(|&h| h < pos).unwrap_or(*self.hits.last().unwrap_or(&0))
        };
        self.cursor.jump(next, page);
        true
    }

    /// Puts the cursor on the first hit at or after it (after the filter changed).
    pub(in crate::tui) fn settle(&mut self, page: usize) {
        self.cursor.fit(self.rows.len(), page);
        if let Some(&h) = self.hits.iter().find(|&&h| h >= self.cursor.pos).or(self.hits.first()) {
            self.cursor.jump(h, page);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_steps_through_hits_and_wraps() {
        let mut l: List<u32> = List::default();
        l.set(vec![10, 11, 12, 13, 14]);
        l.hits = vec![1, 3];
        assert!(l.step_match(true, 3));
        assert_eq!(l.cursor.pos, 1);
        l.step_match(true, 3);
        assert_eq!(l.cursor.pos, 3);
        l.step_match(true, 3);
        assert_eq!(l.cursor.pos, 1, "wraps");
        l.step_match(false, 3);
        assert_eq!(l.cursor.pos, 3, "wraps back");
    }

    #[test]
    fn cursor_stays_in_view() {
        let mut c = Cursor::default();
        for _ in 0..30 {
            c.navigate(Action::Down, 100, 10);
        }
        assert_eq!(c.pos, 30);
        assert!(c.offset <= c.pos && c.pos < c.offset + 10);
        c.navigate(Action::Top, 100, 10);
        assert_eq!((c.pos, c.offset), (0, 0));
    }

    proptest::proptest! {
        /// The quick test answers as skim does, on ASCII and on any Unicode.
        #[test]
        fn fuzzy_hit_agrees_with_skim(text in "[a-cA-C é€ß.]{0,12}", query in "[a-cA-C é€ß.]{1,4}") {
            let skim = SkimMatcherV2::default().fuzzy_match(&text, &query).is_some();
            proptest::prop_assert_eq!(fuzzy_hit(&text, &query), skim);
        }

        #[test]
        fn fuzzy_hit_agrees_with_skim_on_any_text(text in "\\PC{0,20}", query in "\\PC{1,3}") {
            let skim = SkimMatcherV2::default().fuzzy_match(&text, &query).is_some();
            proptest::prop_assert_eq!(fuzzy_hit(&text, &query), skim);
        }
    }

    #[test]
    fn search_highlights_matched_characters() {
        let s = Search { text: "lib".into(), typing: false };
        assert_eq!(s.positions("Liberty Health"), vec![0, 1, 2]);
        assert!(Search::default().positions("x").is_empty());
    }
}
