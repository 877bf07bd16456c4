//! Writing outputs so that a reader sees the old ones or the new ones,
//! whole, and never a mix, whatever happens to the run.
//!
//! A run writes its files into a staging entry beside the target (a file
//! `.NAME.dcplan-new-ID` for a one-file output, a folder of that name for a
//! set such as `plan --out DIR`), syncs them, and then, holding the
//! target's lock, switches the target in one step: a rename for a file, an
//! exchange of the two folders for a set ([`switch`]). Files of the old
//! folder that are not the run's own (a user's notes, a workbook saved
//! beside the set) are carried into the new folder by hard link first, so
//! they stay as they are. A run that fails, or is killed, leaves the target
//! as it was; what a killed run leaves beside it is removed by the next run
//! on that target. Never over an input, a folder or a link.

mod lock;
mod switch;

use lock::TargetLock;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The file sets dcplan writes into a folder, each switched as one.
pub const PLAN_FILES: [&str; 5] = ["plan.json", "bom.csv", "bom.json", "report.html", "spectrum.csv"];

/// Whether `name` is a file of some set dcplan writes into a folder.
fn known(name: &str) -> bool {
    PLAN_FILES.contains(&name) || dcplan::render::export::NETBOX_FILES.contains(&name)
}

/// What an earlier dcplan (which renamed each file into place) left when
/// it was killed: `.plan.json.AbC123`, `.old.AbC123`.
fn is_old_leftover(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else { return false };
    let Some((stem, suffix)) = rest.rsplit_once('.') else { return false };
    suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric()) && (stem == "old" || known(stem))
}

/// A one-file output, or a folder of named files.
enum Kind {
    File,
    Folder(&'static [&'static str]),
}

/// Files being written for one target, not yet visible there.
pub struct Stage {
    target: PathBuf,
    kind: Kind,
    staging: PathBuf,
    /// The lock on the staging entry, held while this run lives.
    hold: Option<File>,
    inputs: Vec<PathBuf>,
    closed: Vec<String>,
    /// Switched in: nothing of the staging is left to remove.
    done: bool,
}

/// One staged file being written.
pub type Out = BufWriter<File>;

fn say(text: &str) {
    super::note(text);
}

impl Stage {
    /// Stages a folder of files named `names` (`--out DIR`). Everything
    /// that can be refused is refused here, before anything is written.
    pub fn folder(dir: &Path, names: &'static [&'static str], inputs: &[PathBuf]) -> Result<Stage, String> {
        if std::fs::symlink_metadata(dir).is_err() {
            std::fs::create_dir_all(parent_of(dir))
                .map_err(|e| format!("cannot create the output folder {}: {e}", dir.display()))?;
        }
        let target = resolve_folder(dir)?;
        let stage = Stage::new(target, Kind::Folder(names), inputs)?;
        let make = |p: &Path| {
            let mut b = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o777);
            b.create(p)
        };
        stage.begin(&make).map_err(|e| format!("cannot create the output folder {}: {e}", dir.display()))
    }

    /// Stages one file (`--out FILE`).
    pub fn file(path: &Path, inputs: &[PathBuf]) -> Result<Stage, String> {
        if names_a_folder(path) {
            return Err(folder_for_a_file(path));
        }
        if path.file_name().is_none() {
            return Err(format!("{} names no file", path.display()));
        }
        let parent = parent_of(path);
        std::fs::create_dir_all(&parent)
            .map_err(|e| format!("cannot create the output folder {}: {e}", parent.display()))?;
        let stage = Stage::new(path.to_path_buf(), Kind::File, inputs)?;
        let make = |p: &Path| create_file(p).map(drop);
        stage.begin(&make).map_err(|e| format!("cannot write in {}: {e}", parent.display()))
    }

    fn new(target: PathBuf, kind: Kind, inputs: &[PathBuf]) -> Result<Stage, String> {
        let stage = Stage {
            target,
            kind,
            staging: PathBuf::new(),
            hold: None,
            inputs: inputs.iter().filter_map(|p| p.canonicalize().ok()).collect(),
            closed: Vec::new(),
            done: true,
        };
        stage.check()?;
        Ok(stage)
    }

    /// Under the target's lock: cleans up after killed runs, then makes and
    /// holds this run's staging entry.
    fn begin(mut self, make: &dyn Fn(&Path) -> std::io::Result<()>) -> std::io::Result<Stage> {
        let _lock = self.lock().map_err(std::io::Error::other)?;
        for problem in switch::clean_leftovers(&self.target, &known) {
            say(&format!("warning: {problem}"));
        }
        let prefix = switch::staging_prefix(&self.target, "new");
        let staging = self.target.with_file_name(format!("{prefix}{}", switch::unique()));
        make(&staging)?;
        self.staging = staging;
        self.done = false;
        self.hold = Some(lock::hold(&self.staging)?);
        Ok(self)
    }

    fn lock(&self) -> Result<TargetLock, String> {
        let target = self.target.display().to_string();
        TargetLock::acquire(&self.target, &|| {
            say(&format!("waiting for another dcplan run writing {target}"))
        })
    }

    /// What `name` becomes once switched in.
    fn final_path(&self, name: &str) -> PathBuf {
        match self.kind {
            Kind::File => self.target.clone(),
            Kind::Folder(_) => self.target.join(name),
        }
    }

    /// The name of a one-file output (its file name).
    pub fn file_name(&self) -> String {
        self.target.file_name().unwrap_or_default().to_string_lossy().into_owned()
    }

    /// A new staged file; write it, then give it to [`Stage::close`].
    pub fn create(&mut self, name: &str) -> Result<Out, String> {
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", self.final_path(name).display());
        let file = match self.kind {
            Kind::File if name == self.file_name() => {
                std::fs::OpenOptions::new().write(true).open(&self.staging)
            }
            Kind::File => Err(std::io::Error::other("not the file of this output")),
            Kind::Folder(names) if names.contains(&name) => create_file(&self.staging.join(name)),
            Kind::Folder(_) => Err(std::io::Error::other("not a file of this output")),
        }
        .map_err(fail)?;
        Ok(BufWriter::with_capacity(1 << 16, file))
    }

    /// Flushes a staged file and syncs it to disk.
    pub fn close(&mut self, name: &str, out: Out) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", self.final_path(name).display());
        let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)?;
        self.closed.push(name.to_string());
        Ok(())
    }

    /// A whole staged file at once.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let mut out = self.create(name)?;
        out.write_all(bytes).map_err(|e| format!("cannot write {}: {e}", self.final_path(name).display()))?;
        self.close(name, out)
    }

    /// Switches every staged file in at once; returns the paths written.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, String> {
        let names: Vec<String> = match self.kind {
            Kind::File => vec![self.file_name()],
            Kind::Folder(names) => names.iter().map(|n| n.to_string()).collect(),
        };
        if let Some(missing) = names.iter().find(|n| !self.closed.contains(n)) {
            return Err(format!(
                "{} was not written; nothing was changed",
                self.final_path(missing).display()
            ));
        }
        let parent = parent_of(&self.target);
        let _lock = self.lock()?;
        self.check()?;
        let fail =
            |e: std::io::Error| format!("cannot write {}: {e}; nothing was changed", self.target.display());
        let old = match self.kind {
            Kind::File => {
                std::fs::rename(&self.staging, &self.target).map_err(fail)?;
                None
            }
            Kind::Folder(_) => {
                carry_over(&self.target, &self.staging, names.as_slice())?;
                switch::sync_dir(&self.staging).map_err(fail)?;
                switch::switch_folder(&self.staging, &self.target)?
            }
        };
        self.done = true;
        if let Err(e) = switch::sync_dir(&parent) {
            say(&format!(
                "warning: {} is switched in, but syncing {} failed: {e}",
                self.target.display(),
                parent.display()
            ));
        }
        if let Some(old) = old {
            if let Err(problem) = switch::remove_folder(&old, &self.target, &known) {
                say(&format!("warning: {problem}"));
            }
        }
        Ok(names.iter().map(|n| self.final_path(n)).collect())
    }

    /// What refuses the target: an input in its place, a folder or link
    /// where a file goes, a folder that cannot be switched whole.
    fn check(&self) -> Result<(), String> {
        match self.kind {
            Kind::File => self.check_file(&self.target),
            Kind::Folder(names) => {
                for name in names {
                    self.check_file(&self.target.join(name))?;
                }
                check_folder(&self.target, names)
            }
        }
    }

    fn check_file(&self, target: &Path) -> Result<(), String> {
        if let Ok(c) = target.canonicalize() {
            if self.inputs.contains(&c) {
                return Err(format!("refusing to overwrite the input file {}", target.display()));
            }
        }
        match std::fs::symlink_metadata(target) {
            Ok(meta) if !meta.is_file() => Err(format!(
                "refusing to replace {}: it is not a plain file (a folder or a link)",
                target.display()
            )),
            _ => Ok(()),
        }
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // `hold` is dropped after this: the staging entry is removed while
        // its lock is held, so no other run takes it for a leftover.
        match self.kind {
            Kind::File => drop(std::fs::remove_file(&self.staging)),
            // Only this run's files are in it: it was never switched.
            Kind::Folder(_) => drop(std::fs::remove_dir_all(&self.staging)),
        }
    }
}

/// A new file, made like any other (0666 less the umask).
fn create_file(path: &Path) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o666);
    o.open(path)
}

fn parent_of(path: &Path) -> PathBuf {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

/// The refusal of a folder's path where one file goes.
pub fn folder_for_a_file(path: &Path) -> String {
    let name = path.components().next_back().map(|c| c.as_os_str().to_string_lossy().into_owned());
    format!(
        "--out {} ends with a slash, so it names a folder, but this command writes one file\n  hint: give a file name, e.g. --out {}",
        path.display(),
        name.filter(|n| n != "." && n != "/").unwrap_or_else(|| "out.csv".into())
    )
}

/// `x.csv/`, `x.csv/.`: a path that can only be a folder.
pub fn names_a_folder(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || text.ends_with("/.") || text == "."
}

/// The folder a `--out DIR` names: a link to a folder is followed (the
/// folder it names is the one switched); the current folder, or one that
/// holds it, is refused (switching it would pull it from under the shell).
fn resolve_folder(dir: &Path) -> Result<PathBuf, String> {
    let meta = std::fs::symlink_metadata(dir);
    let target = match &meta {
        Ok(m) if m.file_type().is_symlink() => dir.canonicalize().map_err(|e| {
            format!("cannot create the output folder {}: it is a link to nothing ({e})", dir.display())
        })?,
        Ok(m) if !m.is_dir() => {
            return Err(format!("cannot create the output folder {}: it is a file", dir.display()));
        }
        Ok(_) => {
            dir.canonicalize().map_err(|e| format!("cannot use the output folder {}: {e}", dir.display()))?
        }
        Err(_) => match (parent_of(dir).canonicalize(), dir.file_name()) {
            (Ok(p), Some(name)) => p.join(name),
            (Err(e), _) => return Err(format!("cannot create the output folder {}: {e}", dir.display())),
            (_, None) => {
                return Err(format!(
                    "refusing to write into {}: give --out a folder of its own",
                    dir.display()
                ))
            }
        },
    };
    if target.file_name().is_none() || target.parent().is_none() {
        return Err(format!("refusing to write into {}: give --out a folder of its own", dir.display()));
    }
    if let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize()) {
        if cwd.starts_with(&target) {
            return Err(format!(
                "refusing to write into {}: it is the current folder or holds it, and dcplan replaces the output folder whole\n  hint: give a folder of its own, e.g. --out out",
                dir.display()
            ));
        }
    }
    Ok(target)
}

/// A folder can be switched whole if it is not a mount point and holds
/// nothing that cannot be carried into the new one (files and links can;
/// folders and special files cannot).
fn check_folder(target: &Path, names: &[&str]) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(target) else { return Ok(()) };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(target), std::fs::metadata(parent_of(target))) {
            if a.dev() != b.dev() {
                return Err(format!(
                    "refusing to write into {}: it is a mount point, which dcplan cannot replace whole\n  hint: give a folder below it, e.g. --out {}",
                    target.display(),
                    target.join("plan").display()
                ));
            }
        }
    }
    let mut cannot = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(t) = e.file_type() else { continue };
        if !(t.is_file() || t.is_symlink() || names.contains(&name.as_str())) {
            cannot.push(if t.is_dir() { format!("{name}/") } else { name });
        }
    }
    if cannot.is_empty() {
        return Ok(());
    }
    cannot.sort();
    Err(format!(
        "refusing to write into {}: it holds {}, which dcplan cannot carry over (it switches the output folder whole, in one step, keeping the files and links it holds)\n  hint: move {} out, or give --out a folder of its own",
        target.display(),
        cannot.join(", "),
        if cannot.len() == 1 { "it" } else { "them" }
    ))
}

/// Carries what the old folder holds besides this run's files into the
/// new one: files by hard link (the very same file), links as links.
/// Leftovers of an earlier dcplan's killed runs are dropped.
fn carry_over(old: &Path, new: &Path, names: &[String]) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(old) else { return Ok(()) };
    for e in entries.flatten() {
        let name = e.file_name();
        let text = name.to_string_lossy();
        if names.iter().any(|n| *n == text) || is_old_leftover(&text) {
            continue;
        }
        let (from, to) = (e.path(), new.join(&name));
        let fail = |err: std::io::Error| {
            format!("cannot keep {} in the new {}: {err}; nothing was changed", from.display(), old.display())
        };
        let t = e.file_type().map_err(fail)?;
        if t.is_symlink() {
            let link = std::fs::read_link(&from).map_err(fail)?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&link, &to).map_err(fail)?;
            #[cfg(not(unix))]
            return Err(fail(std::io::Error::other(format!("a link to {}", link.display()))));
        } else {
            std::fs::hard_link(&from, &to).map_err(fail)?;
        }
    }
    if let Ok(meta) = std::fs::metadata(old) {
        let _ = std::fs::set_permissions(new, meta.permissions());
    }
    Ok(())
}

#[cfg(test)]
mod tests;
