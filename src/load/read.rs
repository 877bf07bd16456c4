//! Reading an input file as untrusted: a regular file only (a FIFO with no
//! writer would block the read forever, a device never ends), bounded in
//! size before it is read whole, UTF-8 text without control characters.

use super::{Source, MAX_FILE_BYTES};
use crate::diag::{Code, Diagnostic, FileReport, Location};
use std::fs::{File, FileType};
use std::path::Path;

/// Opens a file for reading without waiting: opening a FIFO for reading
/// blocks until a writer comes, so the file is opened non-blocking and its
/// type checked before anything is read.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let nonblocking = rustix::fs::OFlags::NONBLOCK.bits() as i32;
    std::fs::OpenOptions::new().read(true).custom_flags(nonblocking).open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<File> {
    // Elsewhere the type is checked before the file is opened.
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() && !m.is_dir() => {
            Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"))
        }
        _ => File::open(path),
    }
}

/// What a file that is neither a regular file nor a folder is.
fn special_kind(t: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = t;
    "a special file"
}

/// Reads a file as untrusted input: bounded size, UTF-8 text only.
pub fn read_source(path: &Path) -> Result<Source, FileReport> {
    use std::io::Read;
    // Shown in every diagnostic of the file: a control character in the name escaped.
    let name = crate::text::escape(&path.display().to_string()).into_owned();
    let fail = |d: Diagnostic| FileReport { file: name.clone(), text: String::new(), diagnostics: vec![d] };
    let file = open(path).map_err(|e| {
        fail(Diagnostic::error(Code::Io, "", format!("cannot open the file: {e}")).hint(
            if e.kind() == std::io::ErrorKind::NotFound {
                "check the path"
            } else {
                "check the file's permissions"
            },
        ))
    })?;
    let kind = file.metadata().map(|m| m.file_type());
    match kind {
        Ok(t) if t.is_file() => {}
        Ok(t) if t.is_dir() => {
            return Err(fail(Diagnostic::error(Code::Io, "", "this is a directory, not a file")))
        }
        Ok(t) => {
            return Err(fail(
                Diagnostic::error(Code::Io, "", format!("this is {}, not a regular file", special_kind(&t)))
                    .expected("a regular file")
                    .hint("dcplan reads catalogs and scenarios from files: save the input to a file first"),
            ))
        }
        Err(e) => return Err(fail(Diagnostic::error(Code::Io, "", format!("cannot read the file: {e}")))),
    }
    let mut bytes = Vec::new();
    // Read one byte past the limit: enough to know the file is too large
    // without ever holding a huge file in memory.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(Diagnostic::error(Code::Io, "", format!("cannot read the file: {e}"))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(
            Diagnostic::error(
                Code::FileTooLarge,
                "",
                format!("the file is larger than {} MiB", MAX_FILE_BYTES >> 20),
            )
            .expected(format!("at most {MAX_FILE_BYTES} bytes"))
            .hint("catalogs and scenarios are small text files; is this the right file?"),
        ));
    }
    let text = text_from_bytes(&bytes).map_err(fail)?;
    Ok(Source::new(name, text))
}

/// Checks that bytes are text dcplan can parse.
pub fn text_from_bytes(bytes: &[u8]) -> Result<String, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        binary_error(bytes, at, format!("byte {at} is not UTF-8 text"))
    })?;
    if let Some(at) = text.find(|c: char| c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))) {
        return Err(binary_error(bytes, at, format!("control character at byte {at}")));
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_string())
}

fn binary_error(bytes: &[u8], at: usize, message: String) -> Diagnostic {
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = at - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    Diagnostic::error(Code::BinaryInput, "", format!("not a text file: {message}"))
        .expected("YAML text in UTF-8")
        .hint("is this a compressed, binary or UTF-16 file? save it as UTF-8 text")
        .at(Location { line, column, start: 0, end: 0 })
}
