//! Every file in tests/bad/ says on its first line what must be reported:
//! `# expect: CODE LINE (why)`. `dcplan check` must exit 2 and report that
//! code at that line.

use crate::support::*;

fn expectation(text: &str) -> (String, usize) {
    let first = text.lines().next().unwrap_or_default();
    let rest = first.strip_prefix("# expect: ").expect("first line is `# expect: CODE LINE`");
    let mut words = rest.split_whitespace();
    let code = words.next().expect("a code").to_string();
    let line = words.next().and_then(|l| l.parse().ok()).expect("a line number");
    (code, line)
}

#[test]
fn every_bad_input_exits_2_with_its_code_and_line() {
    let dir = root().join("tests/bad");
    let files = files(&dir, "yaml");
    assert!(files.len() >= 30, "the corpus has {} files, fewer than 30", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("corpus file is text");
        let (code, line) = expectation(&text);
        let path = file.to_string_lossy().into_owned();
        let out = dcplan(&["check", "--format", "json", &path]);
        let status = out.status.code();
        let json: serde_json::Value = match serde_json::from_slice(&out.stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{path}: output is not JSON ({e}): {}", stdout(&out)));
                continue;
            }
        };
        let found = json.as_array().into_iter().flatten().any(|d| {
            d["code"] == code.as_str() && d["line"].as_u64() == Some(line as u64) && d["severity"] == "error"
        });
        if status != Some(2) || !found {
            failures.push(format!(
                "{path}: expected exit 2 and `{code}` at line {line}; got exit {status:?} and {json:#}"
            ));
        }
        // The text form must never be a panic or a raw serde dump.
        let text_out = dcplan(&["check", &path]);
        let all = format!("{}{}", stdout(&text_out), stderr(&text_out));
        if text_out.status.code() != Some(2)
            || all.contains("panicked")
            || !all.contains(&format!("error[{code}]"))
        {
            failures.push(format!("{path}: text output lacks error[{code}]:\n{all}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn one_file_with_many_problems_reports_them_all() {
    let out = dcplan(&["check", "--format", "json", "tests/data/many-problems.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let codes: Vec<&str> = json.as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    for expected in [
        "unknown-field",
        "not-positive",
        "non-standard-rate",
        "unknown-reference",
        "invalid-value",
        "wrong-unit",
    ] {
        assert!(codes.contains(&expected), "{expected} missing from {codes:?}");
    }
    assert!(codes.len() >= 6, "{codes:?}");
    // A site that failed to parse is still a known name: no cascade of dangling references.
    assert_eq!(codes.iter().filter(|c| **c == "unknown-reference").count(), 1, "{codes:?}");
}
