//! Untrusted text: what a name or a free text may hold, how it is shown
//! safely, and the slug NetBox identifies a name by.
//!
//! YAML escapes (`"\u001b[2J"`, `"\0"`) put any character in a value, past
//! the check of the raw file for control characters: a terminal would obey
//! them, a report would carry them. The loader refuses them after
//! unescaping (`load::yaml::text`), and diagnostics show the ones they quote
//! escaped ([`escape`]).

use std::borrow::Cow;

/// A character no text of a catalog or scenario may hold: a C0 or C1
/// control, DEL, a bidirectional embedding, override or isolate (which can
/// make a terminal or a page show text in another order than it is), a line
/// or paragraph separator. `free_text` (descriptions, sources, estimates)
/// may hold line feeds and tabs; names and ids hold neither.
pub fn is_forbidden(c: char, free_text: bool) -> bool {
    if free_text && matches!(c, '\n' | '\t') {
        return false;
    }
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// The first forbidden character of a text, if any.
pub fn forbidden_char(text: &str, free_text: bool) -> Option<char> {
    text.chars().find(|c| is_forbidden(*c, free_text))
}

/// A text with every control, bidirectional and separator character
/// written as an escape (`\u{1b}`), for showing it in a terminal or a
/// diagnostic.
pub fn escape(text: &str) -> Cow<'_, str> {
    if forbidden_char(text, false).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_forbidden(c, false) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The slug NetBox identifies a site or a device type by: ASCII letters
/// and digits lowercased, every other run of characters one `-`, none at
/// either end. The same function as `render::export::netbox`'s (a test compares
/// the two through the NetBox export).
pub fn slug(text: &str) -> String {
    let mut s: String =
        text.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_separators_are_forbidden_newlines_only_in_free_text() {
        for c in
            ['\0', '\u{1b}', '\u{7}', '\r', '\u{7f}', '\u{85}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{2028}']
        {
            assert!(is_forbidden(c, false) && is_forbidden(c, true), "{c:?}");
        }
        for c in ['\n', '\t'] {
            assert!(is_forbidden(c, false) && !is_forbidden(c, true), "{c:?}");
        }
        for c in ['a', ' ', 'é', '北', '–', '\u{200d}'] {
            assert!(!is_forbidden(c, false), "{c:?}");
        }
        assert_eq!(forbidden_char("ok\u{1b}[2J", false), Some('\u{1b}'));
    }

    #[test]
    fn escaped_text_shows_what_was_hidden() {
        assert_eq!(escape("plain – text"), "plain – text");
        assert_eq!(escape("\u{1b}[2J\u{1b}]0;pwned\u{7}"), "\\u{1b}[2J\\u{1b}]0;pwned\\u{7}");
        assert_eq!(escape("a\0b\nc"), "a\\u{0}b\\u{a}c");
    }

    #[test]
    fn slugs_keep_ascii_letters_and_digits() {
        assert_eq!(slug("Site A"), "site-a");
        assert_eq!(slug("site a "), "site-a");
        assert_eq!(slug("--Pékin  Métro_1--"), "p-kin-m-tro-1");
        assert_eq!(slug("北京"), "");
    }
}
