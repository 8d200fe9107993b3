//! Pure detection helpers shared by the loaders and the conversion: which values are secrets,
//! which image references are template placeholders, and where a value names a host. No I/O,
//! no findings: callers decide what a match means.

/// Words that make an environment variable's name look like a secret.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "SIGNING_KEY",
    "ENCRYPTION_KEY",
    "CLIENT_KEY",
    "DSN",
];

/// What `eb2ecs fetch` writes instead of a secret value.
pub const WITHHELD: &str = "<secret withheld by eb2ecs fetch>";

/// Why a variable is treated as a secret, or `None` when it is not.
pub fn secret_reason(name: &str, value: &str) -> Option<&'static str> {
    if value == WITHHELD {
        return Some("its name or value looks like a secret (eb2ecs did not keep the value)");
    }
    let upper = name.to_ascii_uppercase();
    if SECRET_WORDS.iter().any(|w| upper.contains(w)) || upper.ends_with("_KEY") || upper == "KEY" {
        return Some("its name looks like a secret");
    }
    if url_has_password(value) {
        return Some("its value is a URL with a password");
    }
    if looks_like_aws_access_key(value) {
        return Some("its value looks like an AWS access key");
    }
    None
}

/// `scheme://user:password@host...` (a password that is not a template placeholder still counts).
fn url_has_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    match authority.rsplit_once('@') {
        Some((userinfo, _)) => userinfo
            .split_once(':')
            .is_some_and(|(_, pw)| !pw.is_empty()),
        None => false,
    }
}

fn looks_like_aws_access_key(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.len() == 20
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Why an image reference is a template placeholder rather than a real image, if it is one.
pub fn placeholder_reason(image: &str) -> Option<&'static str> {
    if image.contains("${") || image.contains("{{") {
        return Some("contains a template variable");
    }
    if image.contains('<') || image.contains('>') {
        return Some("contains a <placeholder>");
    }
    if image.matches('%').count() >= 2 {
        return Some("contains a %placeholder%");
    }
    if image.contains('[') || image.contains(']') {
        return Some("contains a [placeholder]");
    }
    // Repository names must be lowercase; the tag may have capitals.
    let without_digest = image.split('@').next().unwrap_or(image);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let repo_end = without_digest[last_slash..]
        .find(':')
        .map_or(without_digest.len(), |i| last_slash + i);
    if without_digest[..repo_end]
        .chars()
        .any(|c| c.is_ascii_uppercase())
    {
        return Some("is not a valid image name (repository names are lowercase)");
    }
    None
}

/// Whether `value` uses `host` as a hostname (`host:port`, `//host`, `@host`, or the whole value).
pub fn mentions_host(value: &str, host: &str) -> bool {
    if host.is_empty() {
        return false;
    }
    if value == host {
        return true;
    }
    let bytes = value.as_bytes();
    let mut start = 0;
    while let Some(pos) = value[start..].find(host) {
        let at = start + pos;
        let end = at + host.len();
        let before_ok = at == 0
            || matches!(
                bytes[at - 1],
                b'/' | b'@' | b'=' | b' ' | b',' | b'"' | b'\'' | b'\t' | b'('
            );
        let after_ok = end == value.len()
            || matches!(
                bytes[end],
                b':' | b'/' | b' ' | b',' | b'"' | b'\'' | b'?' | b';' | b')' | b'\t'
            );
        if before_ok && after_ok {
            return true;
        }
        start = end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_that_are_secrets() {
        assert!(secret_reason("DB_PASSWORD", "x").is_some());
        assert!(secret_reason("SECRET_KEY_BASE", "").is_some());
        assert!(secret_reason("stripe_api_key", "").is_some());
        assert!(secret_reason("S3_KEY", "").is_some());
        assert!(secret_reason("DATABASE_URL", "postgres://u:pw@db:5432/x").is_some());
        assert!(secret_reason("AWS_ID", "AKIAABCDEFGHIJKLMNOP").is_some());
        assert!(secret_reason("PORT", "3000").is_none());
        assert!(secret_reason("SITE_URL", "https://example.com/a@b").is_none());
        assert!(secret_reason("REDIS_URL", "redis://redis:6379").is_none());
        assert!(secret_reason("DATABASE_URL", WITHHELD).is_some());
    }

    #[test]
    fn host_mentions() {
        assert!(mentions_host(
            "http://product-service:3001",
            "product-service"
        ));
        assert!(mentions_host("redis", "redis"));
        assert!(mentions_host("postgres://u@db/x", "db"));
        assert!(!mentions_host("mydb:5432", "db"));
        assert!(!mentions_host("dbname", "db"));
        assert!(!mentions_host("anything", ""));
        assert!(mentions_host("    proxy_pass http://app;", "app"));
        assert!(mentions_host("  server app:3000;", "app"));
        assert!(!mentions_host("upstream app_servers {", "app"));
    }
}
