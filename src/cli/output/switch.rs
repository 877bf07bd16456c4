//! Switching a staged output in, in one step, and cleaning up after runs
//! that were killed. Called with the target's lock held.
//!
//! A folder is switched by exchanging the staging folder with the target
//! (`renameat2(RENAME_EXCHANGE)` on Linux, `renamex_np(RENAME_SWAP)` on
//! macOS): at every instant the target path names either the old folder or
//! the new one, whole. Where the file system cannot exchange, the old
//! folder is renamed aside and the new one into place; a run killed between
//! the two leaves no target and the old folder aside, which the next run
//! puts back ([`clean_leftovers`]).

use super::lock;
use std::path::{Path, PathBuf};

/// The names a staging entry of `target` takes beside it:
/// `.NAME.dcplan-new-ID` (the set being written) and `.NAME.dcplan-old-ID`
/// (an old folder renamed aside).
pub fn staging_prefix(target: &Path, tag: &str) -> String {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.dcplan-{tag}-")
}

/// Swaps two folders that both exist; `Ok(false)` when the file system
/// cannot do it in one step.
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
            #[cfg(target_vendor = "apple")]
            Err(e) if e == rustix::io::Errno::NOTSUP => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Puts the staged folder `new` at `target`. Returns where the old folder
/// now is (to be removed), if there was one.
pub fn switch_folder(new: &Path, target: &Path) -> Result<Option<PathBuf>, String> {
    let fail = |e: std::io::Error| format!("cannot switch {} in: {e}; nothing was changed", target.display());
    if std::fs::symlink_metadata(target).is_err() {
        std::fs::rename(new, target).map_err(fail)?;
        return Ok(None);
    }
    if exchange(new, target).map_err(fail)? {
        return Ok(Some(new.to_path_buf()));
    }
    // Two renames: for an instant there is no target, never a mixed one.
    let aside = new.with_file_name(format!("{}{}", staging_prefix(target, "old"), unique()));
    std::fs::rename(target, &aside).map_err(fail)?;
    if let Err(e) = std::fs::rename(new, target) {
        let back = std::fs::rename(&aside, target);
        return Err(match back {
            Ok(()) => fail(e),
            Err(b) => format!(
                "cannot switch {} in: {e}, and the old folder could not be put back ({b}): it is {}",
                target.display(),
                aside.display()
            ),
        });
    }
    Ok(Some(aside))
}

/// A name part that no other run uses: the process id and the time.
pub fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    format!("{}-{nanos:x}-{}", std::process::id(), COUNT.fetch_add(1, Ordering::Relaxed))
}

/// Whether `entry` in an old or dead staging folder may be removed: a file
/// dcplan writes (`known` names) or leaves behind, or the twin of an entry
/// still in `target` (the same file by hard link, or the same link).
fn removable(entry: &Path, target: &Path, known: &dyn Fn(&str) -> bool) -> bool {
    let Some(name) = entry.file_name().and_then(|n| n.to_str()) else { return false };
    let Ok(meta) = std::fs::symlink_metadata(entry) else { return false };
    if meta.is_file() && (known(name) || super::is_old_leftover(name)) {
        return true;
    }
    let twin = target.join(name);
    if meta.file_type().is_symlink() {
        return std::fs::read_link(entry).ok().is_some_and(|l| std::fs::read_link(&twin).ok() == Some(l));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(t) = std::fs::symlink_metadata(&twin) {
            return meta.is_file() && t.dev() == meta.dev() && t.ino() == meta.ino();
        }
    }
    false
}

/// Removes an old or dead staging folder, but only what dcplan put there
/// ([`removable`]); anything else keeps the folder, which is reported.
pub fn remove_folder(dir: &Path, target: &Path, known: &dyn Fn(&str) -> bool) -> Result<(), String> {
    let mut kept = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if !(removable(&p, target, known) && std::fs::remove_file(&p).is_ok()) {
                kept.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    match std::fs::remove_dir(dir) {
        Ok(()) => Ok(()),
        Err(_) if !kept.is_empty() => Err(format!(
            "kept {}: it holds {} that dcplan did not write; look inside, then remove it",
            dir.display(),
            kept.join(", ")
        )),
        Err(e) => Err(format!("cannot remove {}: {e}", dir.display())),
    }
}

/// What the runs killed before this one left beside `target`: staging
/// files and folders no live run holds. An old folder renamed aside while
/// the target is missing is put back first (the killed run had not
/// finished); everything else is removed. Returns what could not be.
pub fn clean_leftovers(target: &Path, known: &dyn Fn(&str) -> bool) -> Vec<String> {
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let (new, old) = (staging_prefix(target, "new"), staging_prefix(target, "old"));
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut dead: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(&new) || n.starts_with(&old)))
        .map(|e| e.path())
        .filter(|p| !lock::is_held(p))
        .collect();
    dead.sort();
    let mut problems = Vec::new();
    if std::fs::symlink_metadata(target).is_err() {
        let aside =
            dead.iter().position(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&old)));
        if let Some(i) = aside {
            let p = dead.remove(i);
            if let Err(e) = std::fs::rename(&p, target) {
                problems.push(format!("cannot put {} back as {}: {e}", p.display(), target.display()));
            }
        }
    }
    for p in dead {
        let removed = match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => remove_folder(&p, target, known),
            Ok(_) => std::fs::remove_file(&p).map_err(|e| format!("cannot remove {}: {e}", p.display())),
            Err(_) => Ok(()),
        };
        problems.extend(removed.err());
    }
    problems
}

/// Makes the entries of a folder durable (fsync of the folder itself).
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
