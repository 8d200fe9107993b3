//! Golden cases for refusals: every directory under testdata/errors has `input/` (a small
//! project or files), `args` (the convert arguments, run from the case's folder so `input` is
//! its input folder) and `expected/error.txt`: `exit: 2`, then the binary's stderr with the
//! temporary output folder written `$OUT` and the repository `$ROOT`. Nothing may be written.
//! `UPDATE_GOLDEN=1 cargo test --test errors` rewrites the expected files.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

/// Run one case; returns `error.txt` as the binary produced it.
fn run_case(dir: &Path) -> BTreeMap<String, String> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ecs");
    let output = common::into_out(common::eb2ecs(), "convert", common::args_file(dir), &out)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        !out.exists(),
        "{}: something was written to --out: {:?}",
        dir.display(),
        common::files_in(&out)
    );
    let stderr = String::from_utf8_lossy(&output.stderr)
        .replace(&out.display().to_string(), "$OUT")
        .replace(&common::root().display().to_string(), "$ROOT");
    let code = output
        .status
        .code()
        .map_or("killed".to_string(), |c| c.to_string());
    BTreeMap::from([("error.txt".to_string(), format!("exit: {code}\n{stderr}"))])
}

#[test]
fn error_cases() {
    let cases = common::subdirs("testdata/errors");
    assert!(cases.len() >= 10, "only {} error cases", cases.len());
    let mut failures = Vec::new();
    for dir in &cases {
        let produced = run_case(dir);
        if !produced["error.txt"].starts_with("exit: 2\nerror: ") {
            failures.push(format!(
                "{}: not refused with exit 2:\n{}",
                dir.display(),
                produced["error.txt"]
            ));
        }
        failures.extend(common::check_golden(&dir.join("expected"), &produced));
    }
    common::assert_golden(&failures);
}
