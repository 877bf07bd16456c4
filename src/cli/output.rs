//! Writing output files safely: each file goes to a temporary name in the
//! target folder and is renamed into place, so a reader never sees half a
//! file, and a run that fails leaves the old files as they were.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes every file or none: all are written to temporary files first and
/// renamed only when all writes succeeded; if a rename fails, the files
/// already replaced are put back. Refuses to overwrite an input, or to
/// replace anything that is not a plain file.
pub fn write_all(dir: &Path, files: &[(&str, Vec<u8>)], inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let canonical_inputs: Vec<PathBuf> = inputs.iter().filter_map(|p| p.canonicalize().ok()).collect();
    // Everything that can be refused is refused before anything is written.
    for (name, _) in files {
        let target = dir.join(name);
        if let Ok(c) = target.canonicalize() {
            if canonical_inputs.contains(&c) {
                return Err(format!("refusing to overwrite the input file {}", target.display()));
            }
        }
        if let Ok(meta) = std::fs::symlink_metadata(&target) {
            if !meta.is_file() {
                return Err(format!(
                    "refusing to replace {}: it is not a plain file (a folder or a link)",
                    target.display()
                ));
            }
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the output folder {}: {e}", dir.display()))?;
    let mut staged = Vec::new();
    for (name, bytes) in files {
        let target = dir.join(name);
        let mut tmp = temp_in(dir, name).map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        tmp.write_all(bytes)
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        staged.push((tmp, target));
    }
    // Swap the new files in one by one, keeping each old one aside until
    // all are in place.
    let mut done: Vec<(PathBuf, Option<tempfile::TempPath>)> = Vec::new();
    for (tmp, target) in staged {
        let swapped = (|| -> std::io::Result<Option<tempfile::TempPath>> {
            let old = if target.exists() {
                let aside = temp_in(dir, "old")?.into_temp_path();
                std::fs::rename(&target, &aside)?;
                Some(aside)
            } else {
                None
            };
            match tmp.persist(&target) {
                Ok(_) => Ok(old),
                Err(e) => {
                    if let Some(old) = &old {
                        let _ = std::fs::rename(old, &target);
                    }
                    Err(e.error)
                }
            }
        })();
        match swapped {
            Ok(old) => done.push((target, old)),
            Err(e) => {
                for (target, old) in done.into_iter().rev() {
                    match old {
                        Some(old) => {
                            let _ = std::fs::rename(&old, &target);
                            let _ = old.keep();
                        }
                        None => {
                            let _ = std::fs::remove_file(&target);
                        }
                    }
                }
                return Err(format!("cannot write {}: {e}; nothing was changed", target.display()));
            }
        }
    }
    // The old files, kept aside, are removed as their `TempPath`s drop.
    Ok(done.into_iter().map(|(t, _)| t).collect())
}

/// A temporary file in `dir`, created like any other file (0666 less the
/// umask) rather than tempfile's private 0600: outputs are meant to be shared.
fn temp_in(dir: &Path, name: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    let prefix = format!(".{name}.");
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}
