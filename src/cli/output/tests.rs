//! The output writer on its own: sets switched whole, other files kept,
//! leftovers of killed runs (made here by hand, as a SIGKILL leaves them)
//! cleaned or put back by the next run, live runs' staging left alone.

use super::*;

const SET: [&str; 2] = ["plan.json", "bom.csv"];

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    v.sort();
    v
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A run that writes `text` into every file of the set and switches it in.
fn run(dir: &Path, text: &str) -> Result<Vec<PathBuf>, String> {
    let mut stage = Stage::folder(dir, &SET, &[])?;
    for name in SET {
        stage.write(name, format!("{text} {name}").as_bytes())?;
    }
    stage.commit()
}

#[test]
fn a_set_is_switched_whole_and_the_other_files_stay_as_they_are() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("D");
    assert_eq!(run(&d, "old").unwrap(), [d.join("plan.json"), d.join("bom.csv")]);
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("notes.txt", d.join("link")).unwrap();
    let before = std::fs::metadata(d.join("notes.txt")).unwrap();
    run(&d, "new").unwrap();
    assert_eq!(read(&d.join("plan.json")), "new plan.json");
    assert_eq!(read(&d.join("bom.csv")), "new bom.csv");
    assert_eq!(read(&d.join("notes.txt")), "mine");
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let after = std::fs::metadata(d.join("notes.txt")).unwrap();
        assert_eq!(after.ino(), before.ino(), "the very same file, not a copy");
        assert_eq!(std::fs::read_link(d.join("link")).unwrap(), Path::new("notes.txt"));
    }
    let _ = before;
    // Nothing beside the folder: no staging, no old folder, no lock.
    assert_eq!(names(root.path()), ["D"]);
}

#[test]
fn a_run_that_stops_before_its_commit_changes_nothing_and_leaves_nothing() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("D");
    run(&d, "old").unwrap();
    let mut stage = Stage::folder(&d, &SET, &[]).unwrap();
    stage.write("plan.json", b"half").unwrap();
    // Committing with a file missing is refused; so is a name not in the set.
    assert!(stage.create("c.txt").is_err());
    let err = stage.commit().unwrap_err();
    assert!(err.contains("bom.csv was not written"), "{err}");
    assert_eq!(read(&d.join("plan.json")), "old plan.json");
    assert_eq!(names(root.path()), ["D"]);
}

#[test]
fn what_killed_runs_left_is_cleaned_up_by_the_next_run() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("D");
    run(&d, "old").unwrap();
    // A run killed while writing (a staging folder no one holds), one killed
    // after its exchange (the old set in the staging folder), a killed
    // one-file run, and its lock file.
    let dead = root.path().join(".D.dcplan-new-1-1-0");
    std::fs::create_dir(&dead).unwrap();
    std::fs::write(dead.join("plan.json"), "half").unwrap();
    let swapped = root.path().join(".D.dcplan-new-2-2-0");
    std::fs::create_dir(&swapped).unwrap();
    std::fs::write(swapped.join("bom.csv"), "older").unwrap();
    std::fs::write(root.path().join(".D.dcplan-new-3-3-0"), "file").unwrap();
    std::fs::write(root.path().join(".D.dcplan-lock"), "").unwrap();
    run(&d, "new").unwrap();
    assert_eq!(names(root.path()), ["D"]);
    assert_eq!(read(&d.join("plan.json")), "new plan.json");
}

#[test]
fn a_live_run_keeps_its_staging() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("D");
    let mut live = Stage::folder(&d, &SET, &[]).unwrap();
    live.write("plan.json", b"live a").unwrap();
    // Another run on the same folder cleans up before it stages, and
    // switches in first: the live run's files are untouched.
    run(&d, "other").unwrap();
    live.write("bom.csv", b"live b").unwrap();
    live.commit().unwrap();
    assert_eq!(read(&d.join("plan.json")), "live a");
    assert_eq!(read(&d.join("bom.csv")), "live b");
    assert_eq!(names(root.path()), ["D"]);
}

#[test]
fn an_old_folder_set_aside_comes_back_if_its_run_was_killed_before_the_new_one_was_in() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("D");
    run(&d, "old").unwrap();
    // Where the file system cannot exchange: the first of the two renames
    // was made, then the run was killed.
    let aside = root.path().join(".D.dcplan-old-9-9-0");
    std::fs::rename(&d, &aside).unwrap();
    let problems = switch::clean_leftovers(&d, &|n| SET.contains(&n));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(read(&d.join("plan.json")), "old plan.json");
    assert_eq!(names(root.path()), ["D"]);
}

#[test]
fn an_old_folder_is_removed_only_of_what_dcplan_wrote() {
    let root = tempfile::tempdir().unwrap();
    let (old, target) = (root.path().join("old"), root.path().join("D"));
    std::fs::create_dir(&old).unwrap();
    std::fs::create_dir(&target).unwrap();
    std::fs::write(old.join("plan.json"), "set").unwrap();
    std::fs::write(old.join(".plan.json.AbC123"), "an older dcplan's leftover").unwrap();
    std::fs::write(old.join("kept.txt"), "written after the carry-over").unwrap();
    std::fs::write(old.join("twin.txt"), "carried").unwrap();
    std::fs::hard_link(old.join("twin.txt"), target.join("twin.txt")).unwrap();
    let err = switch::remove_folder(&old, &target, &|n| SET.contains(&n)).unwrap_err();
    assert!(err.contains("kept.txt") && !err.contains("twin"), "{err}");
    assert_eq!(names(&old), ["kept.txt"]);
    assert_eq!(read(&target.join("twin.txt")), "carried");
}

#[test]
fn what_cannot_be_switched_whole_is_refused_before_anything_is_written() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("D");
    run(&d, "old").unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    let err = Stage::folder(&d, &SET, &[]).map(drop).unwrap_err();
    assert!(err.contains("it holds sub/"), "{err}");
    std::fs::remove_dir(d.join("sub")).unwrap();
    // A member of the set that is a folder, or an input.
    std::fs::remove_file(d.join("bom.csv")).unwrap();
    std::fs::create_dir(d.join("bom.csv")).unwrap();
    let err = Stage::folder(&d, &SET, &[]).map(drop).unwrap_err();
    assert!(err.contains("is not a plain file"), "{err}");
    let err = Stage::folder(&d, &SET, &[d.join("plan.json")]).map(drop).unwrap_err();
    assert!(err.contains("refusing to overwrite the input file"), "{err}");
    // A file where the folder goes.
    let f = root.path().join("F");
    std::fs::write(&f, "a file").unwrap();
    let err = Stage::folder(&f, &SET, &[]).map(drop).unwrap_err();
    assert!(err.contains("it is a file"), "{err}");
    assert_eq!(names(root.path()), ["D", "F"]);
}

#[test]
fn a_one_file_output_replaces_its_file_and_nothing_else() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("x.csv");
    std::fs::write(&out, "old").unwrap();
    std::fs::write(root.path().join("y.csv"), "other").unwrap();
    let mut stage = Stage::file(&out, &[]).unwrap();
    stage.write("x.csv", b"new").unwrap();
    assert_eq!(read(&out), "old", "not visible before the commit");
    stage.commit().unwrap();
    assert_eq!(read(&out), "new");
    assert_eq!(names(root.path()), ["x.csv", "y.csv"]);
    for folder in ["x.csv/", "x.csv/."] {
        let err = Stage::file(&root.path().join(folder), &[]).map(drop).unwrap_err();
        assert!(err.contains("names a folder"), "{err}");
    }
}

#[test]
fn old_leftovers_are_told_from_user_files() {
    assert!(is_old_leftover(".plan.json.AbC123") && is_old_leftover(".old.x1Y2z3"));
    for name in [".plan.json", ".notes.txt.AbC123", "plan.json.AbC123", ".plan.json.AbC12"] {
        assert!(!is_old_leftover(name), "{name}");
    }
}
