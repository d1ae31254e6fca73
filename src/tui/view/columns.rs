//! Column widths that follow the terminal, and numbers as every screen shows them.
//!
//! Each table says what each column needs (its widest value, or its heading) and which
//! columns take what is left, in order: at 80 columns the name that identifies a row comes
//! first, and on a wide terminal the rest goes to the text that would otherwise be cut.

use crate::fmt::thousands;

/// A count with thousands separators.
pub fn num(n: impl Into<u64>) -> String {
    thousands(n.into())
}

/// "members/capacity", both in full with separators.
pub fn of(n: impl Into<u64>, capacity: impl Into<u64>) -> String {
    format!("{}/{}", num(n), num(capacity))
}

/// A weighted load with one decimal and separators: `1234.5` → "1,234.5".
pub fn load(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let tenths = (x * 10.0).round() as u64;
    format!("{}.{}", num(tenths / 10), tenths % 10)
}

/// Characters of `s` on screen.
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `s` padded with spaces to `width` characters (never cut: clip first).
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(chars(s))))
}

/// One column: at least `min` wide, as wide as `want` when there is room.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub min: usize,
    pub want: usize,
}

impl Col {
    /// A column exactly as wide as its widest value or heading.
    pub fn fixed(widest: usize, heading: &str) -> Col {
        let w = widest.max(chars(heading));
        Col { min: w, want: w }
    }

    /// A text column: at least `min` (or the heading), more up to `want`.
    pub fn text(min: usize, want: usize, heading: &str) -> Col {
        let min = min.max(chars(heading));
        Col { min, want: want.max(min) }
    }
}

/// Widths for `cols` in a table `width` wide with a border each side and one space between
/// columns. Every column gets its `min`; what is left goes to the columns in `grow` order,
/// each up to its `want`; the last of `grow` takes whatever remains after that.
pub fn share(cols: &[Col], width: usize, grow: &[usize]) -> Vec<usize> {
    let steps: Vec<(usize, usize)> = grow.iter().map(|&i| (i, cols[i].want)).collect();
    share_steps(cols, width, &steps)
}

/// [`share`] in explicit steps: each `(column, up to)` widens a column up to a width, so a
/// column can take some room early and more after others had theirs.
pub fn share_steps(cols: &[Col], width: usize, steps: &[(usize, usize)]) -> Vec<usize> {
    let mut w: Vec<usize> = cols.iter().map(|c| c.min).collect();
    let used = 2 + cols.len().saturating_sub(1) + w.iter().sum::<usize>();
    let mut room = width.saturating_sub(used);
    for &(i, upto) in steps {
        let more = upto.saturating_sub(w[i]).min(room);
        w[i] += more;
        room -= more;
    }
    if let Some(&(last, _)) = steps.last() {
        w[last] += room;
    }
    w
}

/// A heading with the sort arrow when the table is sorted by this column.
pub fn heading(text: &str, sorted: Option<&str>) -> String {
    match sorted {
        Some(arrow) => format!("{text}{arrow}"),
        None => text.to_string(),
    }
}

/// High to low (numbers), and A to Z (names).
pub const DOWN: &str = "↓";
pub const UP: &str = "↑";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_same_everywhere() {
        assert_eq!(of(999_999_999u32, 999_999_999u32), "999,999,999/999,999,999");
        assert_eq!(load(1234.46), "1,234.5");
        assert_eq!(load(9.0), "9.0");
        assert_eq!(load(f64::INFINITY), "—");
    }

    #[test]
    fn share_grows_in_order_and_never_below_min() {
        let cols = [Col::fixed(4, ""), Col::text(10, 30, ""), Col::text(5, 100, "")];
        // 2 borders + 2 gaps + 19 min = 23; 17 left: 17 to the second column's 20 wanted.
        assert_eq!(share(&cols, 40, &[1, 2]), vec![4, 27, 5]);
        assert_eq!(share(&cols, 80, &[1, 2]), vec![4, 30, 42]);
        assert_eq!(share(&cols, 10, &[1, 2]), vec![4, 10, 5], "too narrow: minimums");
    }
}
