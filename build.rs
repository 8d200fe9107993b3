//! Build script: the commit `eb2ecs --version` prints (`EB2ECS_COMMIT`), so a bug report names
//! the exact source. From `git rev-parse` when the crate is built in its own git checkout; from
//! `.cargo_vcs_info.json` when built from a published package (`cargo install eb2ecs`); else
//! "unknown commit".

use std::path::Path;
use std::process::Command;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let commit = git_commit(Path::new(&dir))
        .or_else(|| packaged_commit(Path::new(&dir)))
        .unwrap_or_else(|| "unknown commit".to_string());
    println!("cargo:rustc-env=EB2ECS_COMMIT={commit}");
    println!("cargo:rerun-if-changed=build.rs");
}

/// `git` with `args` in `dir`; its trimmed stdout when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// The short commit of the checkout (uncommitted changes are not marked: the script reruns only
/// when HEAD moves, so a mark would go stale); None when `dir` is not the top of a git work tree (a package unpacked inside someone else's repository must
/// not take that repository's commit).
fn git_commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let same = std::fs::canonicalize(&top).ok()? == std::fs::canonicalize(dir).ok()?;
    if !same {
        return None;
    }
    // Rebuild when HEAD moves (a commit, a checkout) or the branch it names does.
    for name in ["HEAD", "packed-refs"] {
        if let Some(p) = git(dir, &["rev-parse", "--git-path", name]) {
            println!("cargo:rerun-if-changed={}", dir.join(p).display());
        }
    }
    if let Some(head) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        if let Some(p) = git(dir, &["rev-parse", "--git-path", &head]) {
            println!("cargo:rerun-if-changed={}", dir.join(p).display());
        }
    }
    git(dir, &["rev-parse", "--short=12", "HEAD"])
}

/// The commit cargo recorded when it packaged the crate (`.cargo_vcs_info.json`).
fn packaged_commit(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let at = text.find("\"sha1\"")?;
    let rest = &text[at + 6..];
    let start = rest.find('"')? + 1;
    let sha: String = rest[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha.len() >= 12).then(|| sha[..12].to_string())
}
