//! Version requirements as the projects write them — npm (`>=16 <19`, `^18`, `~18.1`, `18.x`,
//! `a || b`, `a - b`), Composer (`^8.1`, `~8.2`, `>=7.4`, `8.2.*`) and RubyGems (`~> 3.1`) —
//! tested against the version lines a base image is published for (`18`, `3.11`). A line
//! satisfies a requirement when its first or its last release does (`18` is 18.0.0 … 18.999).

/// Which tool's meaning of `~` a requirement has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// npm: `~1.2` is `>=1.2 <1.3`.
    Npm,
    /// Composer and RubyGems' `~>`: `~1.2` is `>=1.2 <2`, `~1.2.3` is `>=1.2.3 <1.3`.
    Composer,
}

/// One comparison of a version with a bound.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cmp {
    Ge(Vec<u32>),
    Gt(Vec<u32>),
    Le(Vec<u32>),
    Lt(Vec<u32>),
    /// Same leading parts (`18`, `18.x`, `=3.11`).
    Prefix(Vec<u32>),
    Ne(Vec<u32>),
}

/// Whether the version line `line` (`[18]`, `[3, 11]`) has a release that satisfies `req`.
/// An unreadable requirement satisfies nothing.
pub fn allows(req: &str, line: &[u32], flavour: Flavour) -> bool {
    req.split("||").any(|alt| match comparisons(alt, flavour) {
        Some(cmps) if !cmps.is_empty() => intersects(&cmps, line),
        _ => false,
    })
}

/// Whether the releases of `line` (from `line.0.0` up to, not including, the next line) meet
/// every comparison: the highest lower bound must stay below the lowest upper bound.
fn intersects(cmps: &[Cmp], line: &[u32]) -> bool {
    if cmps
        .iter()
        .any(|c| matches!(c, Cmp::Prefix(p) if !p.iter().zip(line).all(|(a, b)| a == b)))
    {
        return false;
    }
    let mut next: Vec<u32> = line.to_vec();
    if let Some(last) = next.last_mut() {
        *last += 1;
    }
    // (bound, inclusive)
    let mut lo: (Vec<u32>, bool) = (line.to_vec(), true);
    let mut hi: (Vec<u32>, bool) = (next, false);
    for c in cmps {
        let (b, incl, lower) = match c {
            Cmp::Ge(b) => (b, true, true),
            Cmp::Gt(b) => (b, false, true),
            Cmp::Le(b) => (b, true, false),
            Cmp::Lt(b) => (b, false, false),
            Cmp::Prefix(_) | Cmp::Ne(_) => continue,
        };
        let ord = cmp_parts(b, if lower { &lo.0 } else { &hi.0 });
        let tighter = if lower { ord.is_gt() } else { ord.is_lt() };
        let same_but_stricter = ord.is_eq() && !incl;
        if tighter || same_but_stricter {
            if lower {
                lo = (b.clone(), incl);
            } else {
                hi = (b.clone(), incl);
            }
        }
    }
    match cmp_parts(&lo.0, &hi.0) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Equal => lo.1 && hi.1,
        std::cmp::Ordering::Greater => false,
    }
}

/// The lower bound a requirement names first (`>=16 <19` -> `16`), as written.
pub fn lower_bound(req: &str) -> Option<String> {
    let start = req.find(|c: char| c.is_ascii_digit())?;
    let v: String = req[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    Some(v.trim_end_matches('.').to_string())
}

/// Whether `req` is one exact version (`18.17.0`, `v20`, `=3.2.2`), not a range.
pub fn is_exact(req: &str) -> bool {
    let r = req.trim().trim_start_matches(['=', 'v']).trim();
    !r.is_empty() && r.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn cmp_parts(a: &[u32], b: &[u32]) -> std::cmp::Ordering {
    let n = a.len().max(b.len());
    let get = |x: &[u32], i: usize| x.get(i).copied().unwrap_or(0);
    (0..n)
        .map(|i| get(a, i).cmp(&get(b, i)))
        .find(|o| !o.is_eq())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// The comparisons of one alternative (`>=16 <19`, `>= 7.4, < 9`, `1.2 - 1.4`).
fn comparisons(alt: &str, flavour: Flavour) -> Option<Vec<Cmp>> {
    if let Some((a, b)) = alt.split_once(" - ") {
        return Some(vec![Cmp::Ge(parts(a)?.0), Cmp::Le(parts(b)?.0)]);
    }
    let mut tokens: Vec<String> = Vec::new();
    for t in alt.split([' ', ',']).filter(|t| !t.is_empty()) {
        // An operator written apart from its version (`~> 3.1`, `>= 16`).
        match tokens.last_mut() {
            Some(last) if last.chars().all(|c| "<>=~^!".contains(c)) => last.push_str(t),
            _ => tokens.push(t.to_string()),
        }
    }
    let mut out = Vec::new();
    for t in tokens {
        out.extend(comparison(&t, flavour)?);
    }
    Some(out)
}

fn comparison(t: &str, flavour: Flavour) -> Option<Vec<Cmp>> {
    let ops = ["~>", ">=", "<=", "!=", "==", ">", "<", "=", "^", "~"];
    let op = ops
        .iter()
        .find(|o| t.starts_with(**o))
        .copied()
        .unwrap_or("");
    let (v, wildcard) = parts(&t[op.len()..])?;
    let next = |v: &[u32], i: usize| -> Vec<u32> {
        let mut n: Vec<u32> = v.iter().take(i + 1).copied().collect();
        n.resize(i + 1, 0);
        n[i] += 1;
        n
    };
    Some(match op {
        ">=" => vec![Cmp::Ge(v)],
        ">" => vec![Cmp::Gt(v)],
        "<=" => vec![Cmp::Le(v)],
        "<" => vec![Cmp::Lt(v)],
        "!=" => vec![Cmp::Ne(v)],
        "^" => {
            let i = v.iter().position(|x| *x != 0).unwrap_or(0);
            vec![Cmp::Lt(next(&v, i)), Cmp::Ge(v)]
        }
        "~" if flavour == Flavour::Npm => {
            let i = if v.len() > 1 { 1 } else { 0 };
            vec![Cmp::Lt(next(&v, i)), Cmp::Ge(v)]
        }
        "~" | "~>" => {
            let i = v.len().saturating_sub(2);
            vec![Cmp::Lt(next(&v, i)), Cmp::Ge(v)]
        }
        _ if wildcard || op.is_empty() || op.starts_with('=') => vec![Cmp::Prefix(v)],
        _ => return None,
    })
}

/// The numeric parts of a version (`v18.17.0` -> `[18, 17, 0]`); whether it ended in a
/// wildcard (`18.x`, `8.2.*`). Pre-release and build suffixes are dropped.
fn parts(v: &str) -> Option<(Vec<u32>, bool)> {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let mut out = Vec::new();
    let mut wildcard = false;
    for p in v.split('.') {
        if matches!(p, "x" | "X" | "*") {
            wildcard = true;
            break;
        }
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            break;
        }
        out.push(digits.parse().ok()?);
        if digits.len() != p.len() {
            break;
        }
    }
    (!out.is_empty()).then_some((out, wildcard))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_ranges() {
        let n = Flavour::Npm;
        assert!(allows(">=16 <19", &[18], n));
        assert!(!allows(">=16 <19", &[20], n));
        assert!(allows("^18", &[18], n));
        assert!(!allows("^18.17", &[20], n));
        assert!(allows("~18.1", &[18], n));
        assert!(allows("18.x", &[18], n));
        assert!(allows("14 || 16", &[16], n));
        assert!(allows(">= 14", &[22], n));
        assert!(allows("16 - 18", &[17], n));
        assert!(!allows("lts/*", &[18], n));
    }

    #[test]
    fn composer_and_gem_ranges() {
        let c = Flavour::Composer;
        assert!(allows("^8.1", &[8, 3], c));
        assert!(!allows("^8.1", &[8, 0], c));
        assert!(allows("~8.2", &[8, 4], c));
        assert!(allows(">=7.4", &[8, 3], c));
        assert!(allows("8.2.*", &[8, 2], c));
        assert!(!allows("8.2.*", &[8, 3], c));
        assert!(allows("^7.4 || ^8.0", &[7, 4], c));
        assert!(allows("~> 3.1", &[3, 3], c));
        assert!(allows("~> 3.1.2", &[3, 1], c));
        assert!(!allows("~> 3.1.2", &[3, 2], c));
        assert!(allows(">= 2.7, < 3.3", &[3, 2], c));
    }

    #[test]
    fn bounds_and_exact_versions() {
        assert_eq!(lower_bound(">=16 <19").as_deref(), Some("16"));
        assert_eq!(lower_bound("^8.1.").as_deref(), Some("8.1"));
        assert!(is_exact("v18.17.0"));
        assert!(is_exact("=3.2.2"));
        assert!(!is_exact("^18"));
    }
}
