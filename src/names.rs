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

/// The identifier a name becomes in the stack (CloudFormation logical IDs and parameters,
/// Terraform variables): its letters and digits in PascalCase, every run of other characters a
/// word break (`web-app`, `web_app` and `webApp` all become `WebApp`). The same rule as the
/// printers' `pascal`, so two names with the same identifier would collide there.
pub fn identifier(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            if upper {
                out.push(ch.to_ascii_uppercase());
            } else {
                out.push(ch);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// The first two names (their indices, in order) that are different but become the same
/// [`identifier`], if any: inputs such a pair comes from are refused by their loader.
pub fn identifier_clash<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<(usize, usize)> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, name) in names.into_iter().enumerate() {
        if let Some(&first) = seen.get(&identifier(name)) {
            return Some((first, i));
        }
        seen.insert(identifier(name), i);
    }
    None
}

/// Why two names cannot both be kept: the sentence a loader's error ends with.
pub fn clash_message(what: &str, first: &str, second: &str) -> String {
    format!(
        "{what} `{first}` and `{second}` become the same name `{}` in the stack (its identifiers keep only letters and digits); rename one",
        identifier(second)
    )
}

/// Whether `name` follows the EC2 instance type grammar, `FAMILY.SIZE`: a family of lower-case
/// letters with a generation digit (`m6i`, `c7gn`, `u-6tb1`), a size that is `nano` … `large`,
/// `NxLarge` or `metal[-Nxl]`. eb2ecs does not list every type AWS sells, so a name that fits
/// the grammar but is not in the tables is "unknown", one that does not fit is a typo.
pub fn is_instance_type_name(name: &str) -> bool {
    let Some((family, size)) = name.split_once('.') else {
        return false;
    };
    let family_ok = family.starts_with(|c: char| c.is_ascii_lowercase())
        && family.chars().any(|c| c.is_ascii_digit())
        && family
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let digits = |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit());
    let size_ok = matches!(
        size,
        "nano" | "micro" | "small" | "medium" | "large" | "xlarge" | "metal"
    ) || size.strip_suffix("xlarge").is_some_and(digits)
        || size
            .strip_prefix("metal-")
            .and_then(|r| r.strip_suffix("xl"))
            .is_some_and(digits);
    family_ok && size_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_differ_only_in_separators_clash() {
        assert_eq!(identifier("web-app"), "WebApp");
        assert_eq!(identifier("web_app"), "WebApp");
        assert_eq!(identifier_clash(["a-b", "c", "a_b"]), Some((0, 2)));
        assert_eq!(identifier_clash(["web", "worker", "web2"]), None);
    }
}
