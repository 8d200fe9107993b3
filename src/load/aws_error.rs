//! Live-path failures in one sentence each, for the person at the terminal: a connection that
//! fails (refused, timed out, a host name that does not resolve), a profile that is not defined,
//! credentials that expired. The SDK's own error text is a debug dump of nested types; it never
//! reaches the terminal. [`super::eb_api`] calls these.

use std::path::PathBuf;

/// Why a request never reached AWS, from the I/O error under the SDK's dispatch failure (walks
/// the `source()` chain); `action` is the API action, e.g. `elasticbeanstalk:DescribeEnvironments`.
pub fn unreachable(err: &(dyn std::error::Error + 'static), timeout: bool, action: &str) -> String {
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|e| !e.is_empty())
        .map_or_else(
            || "the AWS endpoint".to_string(),
            |e| format!("{} (AWS_ENDPOINT_URL)", crate::text::escape(&e)),
        );
    let why = if timeout {
        "the connection timed out".to_string()
    } else {
        cause(err)
    };
    format!(
        "cannot reach AWS for {action}: {why} connecting to {endpoint}; check the network, a proxy (HTTPS_PROXY) or AWS_ENDPOINT_URL"
    )
}

/// The deepest cause a person can act on, in words.
fn cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut text = String::new();
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            return match io.kind() {
                K::ConnectionRefused => "the connection was refused".to_string(),
                K::TimedOut => "the connection timed out".to_string(),
                K::ConnectionReset | K::ConnectionAborted => "the connection was reset".to_string(),
                _ if io.to_string().contains("lookup") => {
                    "the host name does not resolve".to_string()
                }
                _ => format!("{io}"),
            };
        }
        text = e.to_string().to_ascii_lowercase();
        next = e.source();
    }
    if text.contains("dns") || text.contains("lookup") || text.contains("resolve") {
        "the host name does not resolve".to_string()
    } else if text.contains("certificate") || text.contains("tls") {
        "the TLS handshake failed (a proxy that intercepts HTTPS?)".to_string()
    } else {
        "the connection failed".to_string()
    }
}

/// The error and its causes, each by its Display, joined by `: ` (never the Debug dump), with
/// repeated messages left out.
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    crate::text::escape(&parts.join(": ")).into_owned()
}

/// The sentence for expired credentials.
pub fn expired(profile: Option<&str>) -> String {
    format!(
        "the AWS credentials have expired: refresh them ({}or new session credentials) and run again",
        profile.map_or_else(
            || "aws sso login, ".to_string(),
            |p| format!("aws sso login --profile {}, ", crate::text::sh(p))
        )
    )
}

/// When `profile` is named but neither the config nor the credentials file defines it (both
/// read; None when either cannot be read but exists, or the profile is there): the sentence.
pub fn missing_profile(profile: &str) -> Option<String> {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let config =
        std::env::var_os("AWS_CONFIG_FILE").map_or_else(|| home.join(".aws/config"), PathBuf::from);
    let credentials = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map_or_else(|| home.join(".aws/credentials"), PathBuf::from);
    let in_config = defines(&config, profile, true)?;
    let in_credentials = defines(&credentials, profile, false)?;
    if in_config || in_credentials {
        return None;
    }
    Some(format!(
        "the AWS profile {} is not defined in {} or {}; `aws configure list-profiles` lists the defined ones (set --profile or AWS_PROFILE to one of them)",
        crate::text::escape(profile),
        config.display(),
        credentials.display()
    ))
}

/// Whether the INI file at `path` has a section for `profile` (`[profile NAME]` or `[NAME]` in
/// the config file, `[NAME]` in the credentials file); a missing file defines none; None when
/// it exists but cannot be read.
fn defines(path: &std::path::Path, profile: &str, config: bool) -> Option<bool> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(false),
        Err(_) => return None,
    };
    Some(text.lines().any(|line| {
        let Some(name) = line
            .trim()
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
        else {
            return false;
        };
        let name = name.trim();
        let name = if config {
            name.strip_prefix("profile ").map(str::trim).unwrap_or(name)
        } else {
            name
        };
        name == profile
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_found_in_either_file() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("config");
        std::fs::write(
            &f,
            "[default]\nregion = eu-west-1\n[profile  shop ]\n[sso-session x]\n",
        )
        .unwrap();
        assert_eq!(defines(&f, "shop", true), Some(true));
        assert_eq!(defines(&f, "default", true), Some(true));
        assert_eq!(defines(&f, "other", true), Some(false));
        assert_eq!(
            defines(&tmp.path().join("none"), "shop", false),
            Some(false)
        );
    }

    #[test]
    fn a_refused_connection_is_one_sentence() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let msg = unreachable(&io, false, "elasticbeanstalk:DescribeEnvironments");
        assert!(msg.contains("the connection was refused"), "{msg}");
        assert!(!msg.contains('{') && !msg.contains("Os {"), "{msg}");
    }
}
