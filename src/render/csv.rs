//! CSV that a spreadsheet opens as data: RFC 4180 through the csv crate, and
//! every text cell that a spreadsheet would read as a formula made inert
//! (the OWASP rule against CSV injection). Every CSV dcplan writes goes
//! through [`Writer`]; a test keeps `csv::Writer` out of the other modules.

use std::borrow::Cow;
use std::io::{self, Write};

/// First characters that make Excel, LibreOffice or Google Sheets read a
/// cell as a formula (or, for TAB and CR, hide one behind white space).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The text of a cell as it is written: a text that starts with a formula
/// character gets a leading `'`, which spreadsheets take as "this is text";
/// a plain decimal number (`-12`, `0.5`) stays a number.
pub fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_START) && !is_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `-?[0-9]+(\.[0-9]+)?`: how dcplan writes every figure.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// A CSV writer whose every cell goes through [`cell`].
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Writer<W> {
        Writer { inner: csv::Writer::from_writer(out) }
    }

    /// Writes one row (the header is a row like any other).
    pub fn row<I, S>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.inner.write_record(cells.into_iter().map(|c| cell(c.as_ref()).into_owned()))?;
        Ok(())
    }

    /// Flushes what is buffered and gives the writer back.
    pub fn finish(self) -> io::Result<W> {
        self.inner.into_inner().map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))
    }
}

/// A whole CSV in memory, for the functions that return bytes.
pub fn to_bytes(write: impl FnOnce(&mut Writer<&mut Vec<u8>>) -> io::Result<()>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut w = Writer::new(&mut bytes);
    write(&mut w)?;
    w.finish()?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_start_is_neutralised_and_numbers_stay_numbers() {
        for text in ["=cmd|' /C calc'!A0", "+1+1", "-A1", "@SUM(A1)", "\tx", "\rx", "-1+2", "-", "-inf"] {
            assert_eq!(cell(text), format!("'{text}"), "{text:?}");
        }
        for text in ["12", "-12", "0.5", "-0.25", "leaf-1", "a=b", "", "'quoted"] {
            assert_eq!(cell(text), text, "{text:?}");
        }
        assert!(!is_number("-") && !is_number("1.") && !is_number(".5") && !is_number("1e5"));
    }

    #[test]
    fn cells_are_quoted_as_rfc_4180_wants() {
        let bytes = to_bytes(|w| {
            w.row(["name", "note"])?;
            w.row(["=a,b", "say \"hi\""])
        })
        .unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "name,note\n\"'=a,b\",\"say \"\"hi\"\"\"\n");
    }

    /// Every CSV of dcplan is written through this module's writer.
    #[test]
    fn no_other_module_writes_csv_itself() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("render/csv.rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    // The csv crate's own writer, however it is named.
                    let direct =
                        ["csv::Writer::from_", "csv::WriterBuilder", " ::csv::", "(::csv::", "use csv"];
                    if direct.iter().any(|d| text.contains(d)) {
                        offenders.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(offenders.is_empty(), "CSV written outside render::csv: {offenders:?}");
    }
}
