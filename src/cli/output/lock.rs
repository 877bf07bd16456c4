//! Advisory locks (flock through fs4): one on each target, so that runs
//! writing the same file or folder switch it one at a time, and one on each
//! staging entry, held by the run that writes it, so that the next run can
//! tell a killed run's leftovers (unlocked) from a live run's (locked).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// The lock on a target: `.NAME.dcplan-lock` beside it, removed when the
/// lock is released (so that nothing is left beside the target). A run that
/// was waiting for the lock checks that the file it locked is still the one
/// at the path, since the holder removes it on its way out.
pub struct TargetLock {
    path: PathBuf,
    _file: File,
}

/// The lock file's path for a target (`dir/.NAME.dcplan-lock`).
pub fn lock_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.dcplan-lock"))
}

impl TargetLock {
    /// Takes the lock on `target`, waiting for another run that holds it
    /// (a run holds it only while it checks and switches, never while it
    /// plans or writes); `waiting` is called once if it has to wait.
    pub fn acquire(target: &Path, waiting: &dyn Fn()) -> Result<TargetLock, String> {
        let path = lock_path(target);
        let fail = |e: std::io::Error| format!("cannot lock {}: {e}", path.display());
        let mut told = false;
        loop {
            let mut options = OpenOptions::new();
            options.read(true).write(true).create(true).truncate(false);
            // A link planted in its place is not followed.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::custom_flags(
                &mut options,
                rustix::fs::OFlags::NOFOLLOW.bits() as i32,
            );
            let file = options.open(&path).map_err(fail)?;
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => {}
                Err(fs4::TryLockError::WouldBlock) => {
                    if !told {
                        waiting();
                        told = true;
                    }
                    fs4::FileExt::lock(&file).map_err(fail)?;
                }
                Err(fs4::TryLockError::Error(e)) => return Err(fail(e)),
            }
            if same_file(&file, &path) {
                return Ok(TargetLock { path, _file: file });
            }
        }
    }
}

impl Drop for TargetLock {
    fn drop(&mut self) {
        // Removed while still held, then released as the file closes: a
        // run that opened it meanwhile sees that it is gone and opens anew.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether `path` still names the open `file`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Locks a staging entry (a file, or a folder opened for reading) for the
/// life of the returned handle.
pub fn hold(entry: &Path) -> std::io::Result<File> {
    let file = open_entry(entry)?;
    fs4::FileExt::try_lock(&file).map_err(std::io::Error::from)?;
    Ok(file)
}

/// Whether a staging entry is held by a live run (its lock is taken).
pub fn is_held(entry: &Path) -> bool {
    match open_entry(entry) {
        Ok(file) => matches!(fs4::FileExt::try_lock(&file), Err(fs4::TryLockError::WouldBlock)),
        Err(_) => false,
    }
}

fn open_entry(entry: &Path) -> std::io::Result<File> {
    // A folder is opened for reading (Unix allows a lock on it); a file too.
    File::open(entry)
}
