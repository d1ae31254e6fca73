//! Data text made harmless for a terminal. A practice name holding `ESC ] 0 ; … BEL` retitles
//! the terminal, `ESC [ 2 J` clears it, a bare CR overwrites what was printed, a C1 byte read
//! as Latin-1 (U+009B) is a CSI on many terminals, and bidi overrides or zero-width characters
//! make one name look like another. Every such character is shown as a visible escape
//! (`\x1b`, `\u{202e}`) instead; everything else passes through unchanged.

use std::borrow::Cow;
use std::fmt::Write;

/// True for characters a terminal acts on, or that hide or reorder text.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f'..='\u{9f}'
        // Bidi marks, embeddings, overrides and isolates.
        | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // Zero-width and invisible joiners, separators, the BOM.
        | '\u{200b}'..='\u{200d}' | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
    )
}

/// `text` with every [`is_unsafe`] character replaced by a visible escape; borrowed when
/// there is none (the common case costs one scan).
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// Like [`for_terminal`] but keeps line breaks (and tabs), for multi-line messages whose
/// lines are each made of data.
pub fn lines_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    let parts: Vec<String> = text
        .split('\n')
        .map(|l| l.split('\t').map(|p| for_terminal(p).into_owned()).collect::<Vec<_>>().join("\t"))
        .collect();
    Cow::Owned(parts.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        let cases = [
            ("Riverside Clínica", "Riverside Clínica"),
            ("a\x1b]0;owned\x07b", "a\\x1b]0;owned\\x07b"),
            ("\x1b[2Jx", "\\x1b[2Jx"),
            ("over\rwrite", "over\\x0dwrite"),
            ("del\x7f", "del\\x7f"),
            ("c1 \u{9b}2J", "c1 \\u{9b}2J"),
            ("\u{202e}evil", "\\u{202e}evil"),
            ("zero\u{200b}width", "zero\\u{200b}width"),
            ("two\nlines", "two\\x0alines"),
        ];
        for (raw, want) in cases {
            assert_eq!(for_terminal(raw), want, "{raw:?}");
        }
        assert_eq!(lines_for_terminal("a\x1b\nb\tc"), "a\\x1b\nb\tc");
    }

    proptest! {
        /// Nothing unsafe survives, and safe text is untouched.
        #[test]
        fn output_is_always_safe(s in any::<String>()) {
            let out = for_terminal(&s);
            prop_assert!(!out.chars().any(is_unsafe));
            if !s.chars().any(is_unsafe) {
                prop_assert_eq!(out.as_ref(), s.as_str());
            }
        }
    }
}
