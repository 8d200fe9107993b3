//! Names AWS accepts for what eb2ecs generates (families, clusters, services), derived from
//! names found in the inputs. Pure; shared by the conversion and the renderers.

/// Make a name ECS accepts for families, clusters and services: letters, digits, `-` and `_`,
/// at most 255 characters; `app` when nothing is left.
pub fn sanitise_name(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out = out.trim_matches('-').to_string();
    let mut out = if out.is_empty() {
        "app".to_string()
    } else {
        out
    };
    out.truncate(255);
    out
}

/// The first `n` characters of `s`.
pub fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
