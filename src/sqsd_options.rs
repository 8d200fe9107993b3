//! The sqsd options, stated once: EB's option name in `aws:elasticbeanstalk:sqsd`, the
//! environment variable the `eb2ecs-sqsd` sidecar reads it from, and EB's documented default.
//! Pure data with no imports: eb2ecs compiles it as `crate::sqsd_options` (convert reads the
//! EB settings and writes the variables by it) and the sidecar crate compiles the same file
//! (`sqsd/src/lib.rs`, `#[path]`) to read them back, so the two cannot drift.

/// One sqsd option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqsdOption {
    /// The option in EB's `aws:elasticbeanstalk:sqsd` namespace.
    pub eb: &'static str,
    /// The sidecar's environment variable.
    pub env: &'static str,
    /// EB's default (the sidecar's when the variable is unset).
    pub default: &'static str,
}

impl SqsdOption {
    /// The default as a whole number (every numeric option's default is one; 0 otherwise).
    pub const fn default_number(&self) -> u64 {
        let b = self.default.as_bytes();
        let mut n: u64 = 0;
        let mut i = 0;
        while i < b.len() {
            if b[i] < b'0' || b[i] > b'9' {
                return 0;
            }
            n = n * 10 + (b[i] - b'0') as u64;
            i += 1;
        }
        n
    }
}

const fn o(eb: &'static str, env: &'static str, default: &'static str) -> SqsdOption {
    SqsdOption { eb, env, default }
}

/// `HttpPath`: where messages are POSTed.
pub const HTTP_PATH: SqsdOption = o("HttpPath", "SQSD_HTTP_PATH", "/");
/// `MimeType` of the POST body.
pub const MIME_TYPE: SqsdOption = o("MimeType", "SQSD_MIME_TYPE", "application/json");
/// `HttpConnections`: messages in flight at once.
pub const HTTP_CONNECTIONS: SqsdOption = o("HttpConnections", "SQSD_HTTP_CONNECTIONS", "50");
/// `ConnectTimeout` seconds.
pub const CONNECT_TIMEOUT: SqsdOption = o("ConnectTimeout", "SQSD_CONNECT_TIMEOUT", "5");
/// `InactivityTimeout` seconds.
pub const INACTIVITY_TIMEOUT: SqsdOption = o("InactivityTimeout", "SQSD_INACTIVITY_TIMEOUT", "299");
/// `VisibilityTimeout` seconds.
pub const VISIBILITY_TIMEOUT: SqsdOption = o("VisibilityTimeout", "SQSD_VISIBILITY_TIMEOUT", "300");
/// `ErrorVisibilityTimeout` seconds.
pub const ERROR_VISIBILITY_TIMEOUT: SqsdOption = o(
    "ErrorVisibilityTimeout",
    "SQSD_ERROR_VISIBILITY_TIMEOUT",
    "2",
);
/// `RetentionPeriod` seconds: older messages are deleted unsent.
pub const RETENTION_PERIOD: SqsdOption = o("RetentionPeriod", "SQSD_RETENTION_PERIOD", "345600");
/// `MaxRetries` (the queue's redrive policy enforces it).
pub const MAX_RETRIES: SqsdOption = o("MaxRetries", "SQSD_MAX_RETRIES", "10");

/// Every option with a default, in EB's documentation order.
pub const ALL: &[SqsdOption] = &[
    HTTP_PATH,
    MIME_TYPE,
    HTTP_CONNECTIONS,
    CONNECT_TIMEOUT,
    INACTIVITY_TIMEOUT,
    VISIBILITY_TIMEOUT,
    ERROR_VISIBILITY_TIMEOUT,
    RETENTION_PERIOD,
    MAX_RETRIES,
];
