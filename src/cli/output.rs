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
    swap_in(dir, staged, &|tmp, target| tmp.persist(target).map(drop).map_err(|e| e.error))
}

/// How a staged file is moved onto its target: a rename, or in the tests one
/// that fails on demand.
type Persist<'a> = dyn Fn(tempfile::NamedTempFile, &Path) -> std::io::Result<()> + 'a;

/// Swaps the staged files in one by one. Each rename replaces its target in
/// one step (readers see the old file or the new one, never none); the old
/// file stays reachable through a hard link until all are in place, so a
/// failure part-way can put every one back.
fn swap_in(
    dir: &Path,
    staged: Vec<(tempfile::NamedTempFile, PathBuf)>,
    persist: &Persist<'_>,
) -> Result<Vec<PathBuf>, String> {
    let mut done: Vec<(PathBuf, Option<tempfile::TempPath>)> = Vec::new();
    for (tmp, target) in staged {
        let swapped = (|| -> std::io::Result<Option<tempfile::TempPath>> {
            let old = match std::fs::symlink_metadata(&target) {
                Ok(_) => Some(keep_aside(dir, &target)?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            };
            persist(tmp, &target)?;
            Ok(old)
        })();
        match swapped {
            Ok(old) => done.push((target, old)),
            Err(e) => {
                let mut left = Vec::new();
                for (target, old) in done.into_iter().rev() {
                    match old {
                        Some(old) => match std::fs::rename(&old, &target) {
                            Ok(()) => drop(old.keep()),
                            // Never let the only copy of the old file be deleted.
                            Err(_) => match old.keep() {
                                Ok(kept) => left.push(format!(
                                    "{} (the old one is kept as {})",
                                    target.display(),
                                    kept.display()
                                )),
                                Err(_) => left.push(target.display().to_string()),
                            },
                        },
                        None => {
                            if std::fs::remove_file(&target).is_err() {
                                left.push(target.display().to_string());
                            }
                        }
                    }
                }
                return Err(if left.is_empty() {
                    format!("cannot write {}: {e}; nothing was changed", target.display())
                } else {
                    format!(
                        "cannot write {}: {e}; these could not be put back as they were: {}",
                        target.display(),
                        left.join(", ")
                    )
                });
            }
        }
    }
    // The old files' links are removed as their `TempPath`s drop.
    Ok(done.into_iter().map(|(t, _)| t).collect())
}

/// A second name for `target` in `dir`, by hard link (by copy where the file
/// system has none), that deletes itself when dropped.
fn keep_aside(dir: &Path, target: &Path) -> std::io::Result<tempfile::TempPath> {
    let aside = temp_in(dir, "old")?.into_temp_path();
    // The placeholder made by `temp_in` is replaced by the link.
    std::fs::remove_file(&aside)?;
    if std::fs::hard_link(target, &aside).is_err() {
        std::fs::copy(target, &aside)?;
    }
    Ok(aside)
}

/// [`write_all`] for one file named by its path (`out.csv` is `./out.csv`).
pub fn write_file(out: &Path, bytes: Vec<u8>, inputs: &[PathBuf]) -> Result<PathBuf, String> {
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name =
        out.file_name().and_then(|n| n.to_str()).ok_or_else(|| format!("{} names no file", out.display()))?;
    write_all(dir, &[(name, bytes)], inputs).map(|mut w| w.remove(0))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    }

    fn stage(dir: &Path, files: &[(&str, &str)]) -> Vec<(tempfile::NamedTempFile, PathBuf)> {
        files
            .iter()
            .map(|(name, text)| {
                let mut tmp = temp_in(dir, name).unwrap();
                tmp.write_all(text.as_bytes()).unwrap();
                (tmp, dir.join(name))
            })
            .collect()
    }

    #[test]
    fn a_rename_failing_part_way_puts_every_file_back() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("a.csv", "old a"), ("b.json", "old b"), ("d.html", "old d")] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        // a and the new c are swapped in, d fails, b is still staged.
        let staged = stage(
            dir.path(),
            &[("a.csv", "new a"), ("c.md", "new c"), ("d.html", "new d"), ("b.json", "new b")],
        );
        let persist = |tmp: tempfile::NamedTempFile, target: &Path| -> std::io::Result<()> {
            if target.ends_with("d.html") {
                return Err(std::io::Error::other("disk full"));
            }
            tmp.persist(target).map(drop).map_err(|e| e.error)
        };
        let err = swap_in(dir.path(), staged, &persist).unwrap_err();
        assert!(
            err.contains("d.html") && err.contains("disk full") && err.contains("nothing was changed"),
            "{err}"
        );
        for (name, text) in [("a.csv", "old a"), ("b.json", "old b"), ("d.html", "old d")] {
            assert_eq!(std::fs::read_to_string(dir.path().join(name)).unwrap(), text, "{name}");
        }
        // The new file is gone, and no temporary file or old copy is left.
        assert_eq!(names(dir.path()), ["a.csv", "b.json", "d.html"]);
    }

    #[test]
    fn a_successful_swap_leaves_only_the_new_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "old a").unwrap();
        let written =
            write_all(dir.path(), &[("a.csv", b"new a".to_vec()), ("b.json", b"new b".to_vec())], &[])
                .unwrap();
        assert_eq!(written, [dir.path().join("a.csv"), dir.path().join("b.json")]);
        assert_eq!(std::fs::read_to_string(dir.path().join("a.csv")).unwrap(), "new a");
        assert_eq!(names(dir.path()), ["a.csv", "b.json"]);
    }
}
