//! The sidecar's Dockerfile passes hadolint (from the validators' venv, or `$HADOLINT`) with no
//! finding at all; skipped with a message when hadolint is not installed.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn dockerfile_is_hadolint_clean() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let hadolint = std::env::var_os("HADOLINT")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../.venv/bin/hadolint"));
    if !hadolint.exists() {
        eprintln!("skipped: no {}", hadolint.display());
        return;
    }
    let out = Command::new(&hadolint)
        .arg(root.join("Dockerfile"))
        .output()
        .expect("hadolint runs");
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "hadolint: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
