//! `eb2ecs assess`: how big a move off EB is, environment by environment, before anything is
//! converted. Pure: it takes [`Subject`]s (read offline from folders and `fetch` snapshots, or
//! live by `load::fleet`), converts each in memory and summarises readiness and cost.

use crate::load::Inputs;

/// One environment to assess, however it was read.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The EB application (the folder name offline when nothing says otherwise).
    pub application: String,
    /// The environment (or project folder) name.
    pub environment: String,
    /// The region it runs in, when known.
    pub region: Option<String>,
    /// The platform ARN, when known.
    pub platform_arn: Option<String>,
    /// The platform's lifecycle (`DescribePlatformVersion`: `Recommended`, `Deprecated`,
    /// `Retired`, ...), when known.
    pub platform_status: Option<String>,
    /// Its inputs, or why they could not be read (`AccessDenied ...`, deleted mid-run).
    pub inputs: std::result::Result<Inputs, String>,
}
