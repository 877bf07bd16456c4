//! A plain aligned text table and its Markdown twin: what every terminal
//! report is built from.

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table of text cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    aligns: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers; a header ending in `>` is right-aligned
    /// (the `>` is not shown).
    pub fn new(headers: &[&str]) -> Self {
        let (headers, aligns) = headers
            .iter()
            .map(|h| match h.strip_suffix('>') {
                Some(h) => (h.to_string(), Align::Right),
                None => (h.to_string(), Align::Left),
            })
            .unzip();
        Table { headers, aligns, rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        widths
    }

    /// Aligned columns separated by two spaces, with a rule under the header.
    pub fn to_text(&self) -> String {
        let widths = self.widths();
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut parts = Vec::new();
            for (i, w) in widths.iter().enumerate() {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                let pad = w - cell.chars().count();
                parts.push(match self.aligns[i] {
                    Align::Left => format!("{cell}{}", " ".repeat(pad)),
                    Align::Right => format!("{}{cell}", " ".repeat(pad)),
                });
            }
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        line(&self.headers, &mut out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for row in &self.rows {
            line(row, &mut out);
        }
        out
    }

    /// A GitHub-flavoured Markdown table; cells are plain text (see [`md_text`]).
    pub fn to_markdown(&self) -> String {
        // A cell holds inline text only: no line-start markup to escape.
        let escape = |s: &str| escape_inline(s, false);
        let mut out =
            format!("| {} |\n", self.headers.iter().map(|h| escape(h)).collect::<Vec<_>>().join(" | "));
        let rule: Vec<&str> =
            self.aligns.iter().map(|a| if *a == Align::Right { "---:" } else { "---" }).collect();
        out.push_str(&format!("| {} |\n", rule.join(" | ")));
        for row in &self.rows {
            out.push_str(&format!("| {} |\n", row.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | ")));
        }
        out
    }
}

/// Characters that start or end Markdown markup anywhere in a line
/// (CommonMark's backslash-escapable punctuation that matters inline, plus
/// `|` for GFM tables, `~` for GFM strikethrough and `#` for a heading's
/// closing sequence).
const MD_SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '|', '~', '&', '!', '#'];
/// Characters that are markup only at the start of a line or list item
/// (block quote, list, setext underline).
const MD_LEADING: &[char] = &['>', '-', '+', '='];

/// Plain text made safe for a Markdown line or table cell: line breaks
/// become spaces, markup characters are backslash-escaped, and an issue-like
/// reference such as `#3` (a demand number; also in `repo#3`) becomes a code
/// span, so GitHub and GitLab do not link it to an issue of the repository
/// the comment is posted in.
pub fn md_text(text: &str) -> String {
    escape_inline(text, true)
}

fn escape_inline(text: &str, line_start: bool) -> String {
    let chars: Vec<char> = text.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
    // `1.` or `12)` at the start of a line opens a numbered list.
    let list_marker = line_start
        .then(|| chars.iter().position(|c| !c.is_ascii_digit()))
        .flatten()
        .filter(|&p| (1..=9).contains(&p) && matches!(chars[p], '.' | ')'));
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
            let end = (i + 1..chars.len()).find(|&j| !chars[j].is_ascii_digit()).unwrap_or(chars.len());
            out.push('`');
            out.extend(&chars[i..end]);
            out.push('`');
            i = end;
            continue;
        }
        // `<` opens raw HTML or an autolink only before a letter or `/!?`.
        let tag = c == '<' && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(*n));
        let special = c != '<' && MD_SPECIAL.contains(&c);
        let leading = line_start && i == 0 && MD_LEADING.contains(&c);
        if special || tag || leading || list_marker == Some(i) {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A generated Markdown line that may hold `code spans` of its own (user
/// names in it cannot hold a backtick: see `check_name`): text outside the
/// spans is escaped like [`md_text`], the spans are kept.
pub fn md_line(line: &str) -> String {
    let parts: Vec<&str> = line.split('`').collect();
    if parts.len() % 2 == 0 {
        // An unpaired backtick: nothing in it is a code span.
        return md_text(line);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| if i % 2 == 1 { format!("`{p}`") } else { escape_inline(p, i == 0) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns_and_escapes_markdown() {
        let mut t = Table::new(&["id", "price>"]);
        t.row(vec!["a|b".into(), "1.00".into()]);
        t.row(vec!["long-id".into(), "100.00".into()]);
        assert_eq!(t.to_text(), "id        price\n-------  ------\na|b        1.00\nlong-id  100.00\n");
        assert!(t.to_markdown().contains("| a\\|b | 1.00 |"));
        t.row(vec!["-".into(), "#3".into()]);
        assert!(t.to_markdown().contains("| - | `#3` |"), "{}", t.to_markdown());
    }

    #[test]
    fn markdown_text_is_escaped_and_demand_numbers_are_not_links() {
        assert_eq!(md_text("a*b_c <x> 1.00 ~ -> y"), "a\\*b\\_c \\<x> 1.00 \\~ -> y");
        assert_eq!(md_text("> quoted"), "\\> quoted");
        assert_eq!(md_text("<- chosen, </b>"), "<- chosen, \\</b>");
        assert_eq!(md_text("#1, #12"), "`#1`, `#12`");
        assert_eq!(md_text("repo#2 and #1#2"), "repo`#2` and `#1``#2`");
        assert_eq!(md_text("# title"), "\\# title");
        assert_eq!(md_text("rack #"), "rack \\#");
        assert_eq!(md_text("1) north\nsecond"), "1\\) north second");
        assert_eq!(md_text("2026. a year"), "2026\\. a year");
        assert_eq!(md_line("a - b `x-y` - c"), "a - b `x-y` - c");
        assert_eq!(md_line("use `homing: dual` for *a*"), "use `homing: dual` for \\*a\\*");
        assert_eq!(md_line("odd ` tick"), "odd \\` tick");
    }
}
