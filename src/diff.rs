//! Unified diffs (the `similar` crate) of artefacts against disk and of containers before and
//! after conversion. Time is bounded: the diff has a [`DEADLINE`] (then it is coarser, still
//! correct), and texts over [`MAX_DIFF_LINES`] lines get a one-line summary instead.

use similar::TextDiff;
use std::time::Duration;

/// Longest time one diff may take before `similar` settles for a coarser (still correct) diff.
pub const DEADLINE: Duration = Duration::from_secs(1);
/// Most lines (old and new together) shown as a diff; larger texts are summarised.
pub const MAX_DIFF_LINES: usize = 50_000;

/// A unified diff of `old` to `new` with file headers; empty when they are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    let (a, b) = (old.lines().count(), new.lines().count());
    if a + b > MAX_DIFF_LINES {
        return format!(
            "--- {old_name}\n+++ {new_name}\n(not shown: {a} lines against {b}, more than the {MAX_DIFF_LINES} lines eb2ecs diffs)\n"
        );
    }
    TextDiff::configure()
        .timeout(DEADLINE)
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\n", "a\n", "x", "y"), "");
    }

    #[test]
    fn changed_line_is_shown() {
        let d = unified("a\nb\n", "a\nc\n", "old", "new");
        assert!(d.contains("--- old\n+++ new\n"), "{d}");
        assert!(d.contains("-b\n+c\n"), "{d}");
    }

    #[test]
    fn huge_texts_are_summarised() {
        let old = "x\n".repeat(MAX_DIFF_LINES);
        let d = unified(&old, "y\n", "old", "new");
        assert_eq!(
            d,
            "--- old\n+++ new\n(not shown: 50000 lines against 1, more than the 50000 lines eb2ecs diffs)\n"
        );
    }
}
