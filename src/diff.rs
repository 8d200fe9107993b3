//! Unified diffs (the `similar` crate) of artefacts against disk and of containers before and
//! after conversion.

use similar::TextDiff;

/// A unified diff of `old` to `new` with file headers; empty when they are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
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
}
