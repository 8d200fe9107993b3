//! The `eb` CLI's `.elasticbeanstalk/config.yml`: the application, region, platform and the
//! environment of each branch the project was deployed with. One reader for `convert`
//! (the region when none is given, the platform EB ran) and `assess` (names and region).

use std::path::Path;

/// Where the `eb` CLI keeps its configuration, relative to the project.
pub const CONFIG_YML: &str = ".elasticbeanstalk/config.yml";

/// What an `eb` CLI `.elasticbeanstalk/config.yml` says about the project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EbCliConfig {
    /// `global.application_name`.
    pub application: Option<String>,
    /// `global.default_region`, when it is an AWS region.
    pub region: Option<String>,
    /// `global.default_platform`.
    pub platform: Option<String>,
    /// `branch-defaults`: each branch and its environment, sorted by branch.
    pub environments: Vec<(String, String)>,
}

/// Read `dir`'s config.yml; nothing when it is missing or not YAML (the `eb` CLI would refuse
/// it too, and nothing in it is needed to convert).
pub fn read(dir: &Path) -> EbCliConfig {
    // A config.yml that resolves outside the project is never read (the project loader refuses it).
    if super::guard::inside_project(dir, &dir.join(CONFIG_YML)).is_err() {
        return EbCliConfig::default();
    }
    let Some(text) = super::read_text(&dir.join(CONFIG_YML)).ok() else {
        return EbCliConfig::default();
    };
    parse(&text)
}

/// Parse config.yml text.
pub fn parse(text: &str) -> EbCliConfig {
    let Ok(doc) = super::guard::yaml("config.yml", text) else {
        return EbCliConfig::default();
    };
    let get = |key: &str| {
        doc.get("global")
            .and_then(|g| g.get(key))
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut environments: Vec<(String, String)> = doc
        .get("branch-defaults")
        .and_then(|b| b.as_mapping())
        .into_iter()
        .flatten()
        .filter_map(|(branch, v)| {
            let env = v.get("environment")?.as_str()?.trim();
            (!env.is_empty()).then(|| {
                (
                    branch.as_str().unwrap_or_default().to_string(),
                    env.to_string(),
                )
            })
        })
        .collect();
    environments.sort();
    EbCliConfig {
        application: get("application_name"),
        // As written: whether AWS has such a region is for the conversion to decide.
        region: get("default_region"),
        platform: get("default_platform"),
        environments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_yml_names_application_region_platform_and_environments() {
        let c = parse("branch-defaults:\n  main:\n    environment: shop-prod\n  dev:\n    environment: null\nglobal:\n  application_name: shop\n  default_region: eu-west-1\n  default_platform: Docker running on 64bit Amazon Linux 2\n");
        assert_eq!(c.application.as_deref(), Some("shop"));
        assert_eq!(c.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            c.platform.as_deref(),
            Some("Docker running on 64bit Amazon Linux 2")
        );
        assert_eq!(
            c.environments,
            [("main".to_string(), "shop-prod".to_string())]
        );
        assert_eq!(
            parse("global:\n  default_region: mars-1\n")
                .region
                .as_deref(),
            Some("mars-1")
        );
        assert_eq!(parse("global: [").application, None);
    }
}
