//! Writing output files safely: each file goes to a temporary name in the
//! target folder and is renamed into place, so a reader never sees half a
//! file and a failed run leaves the old file as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes every file or none: all are written to temporary files first and
/// renamed only when all writes succeeded. Refuses to overwrite an input.
pub fn write_all(dir: &Path, files: &[(&str, Vec<u8>)], inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the output folder {}: {e}", dir.display()))?;
    let canonical_inputs: Vec<PathBuf> = inputs.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut staged = Vec::new();
    for (name, bytes) in files {
        let target = dir.join(name);
        if let Ok(c) = target.canonicalize() {
            if canonical_inputs.contains(&c) {
                return Err(format!("refusing to overwrite the input file {}", target.display()));
            }
        }
        let mut builder = tempfile::Builder::new();
        let prefix = format!(".{name}.");
        builder.prefix(&prefix);
        // Temporary files are private (0600) by default; outputs are meant to be
        // shared, so create them like any other file (0666 less the umask).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut tmp =
            builder.tempfile_in(dir).map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        tmp.write_all(bytes)
            .and_then(|_| tmp.flush())
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        staged.push((tmp, target));
    }
    let mut written = Vec::new();
    for (tmp, target) in staged {
        tmp.persist(&target).map_err(|e| format!("cannot write {}: {}", target.display(), e.error))?;
        written.push(target);
    }
    Ok(written)
}
