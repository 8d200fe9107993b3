//! The two spellings of the same ECS properties: the ECS API's (`task-definition.json`,
//! Terraform's `jsonencode`: `healthCheckGracePeriodSeconds`) and CloudFormation's
//! (`HealthCheckGracePeriodSeconds`). Keys of the maps whose keys are data (Docker labels, log
//! driver options) are kept as written in both. The stack builder, the Terraform printer and
//! `--overrides` all spell through here.

/// Whether a key (in either spelling) names a map whose keys are data.
pub fn is_data_map(key: &str) -> bool {
    matches!(key, "dockerLabels" | "options" | "DockerLabels" | "Options")
}

/// `portMappings` -> `PortMappings`.
pub fn cfn_key(key: &str) -> String {
    let mut c = key.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// `PortMappings` -> `portMappings`; a leading acronym whole (`EFSVolumeConfiguration` ->
/// `efsVolumeConfiguration`, as the ECS API spells it).
pub fn api_key(key: &str) -> String {
    let c: Vec<char> = key.chars().collect();
    let run = c.iter().take_while(|x| x.is_ascii_uppercase()).count();
    let lower = match run {
        n if n == c.len() || n <= 1 => n,
        n => n - 1,
    };
    c.iter()
        .enumerate()
        .map(|(i, x)| {
            if i < lower {
                x.to_ascii_lowercase()
            } else {
                *x
            }
        })
        .collect()
}

/// A JSON value's keys in the ECS API's spelling (`data`: this is a data map, its keys kept).
pub fn api_json(v: &serde_json::Value, data: bool) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Object(m) => J::Object(
            m.iter()
                .map(|(k, x)| {
                    let key = if data { k.clone() } else { api_key(k) };
                    let inner = if data {
                        x.clone()
                    } else {
                        api_json(x, is_data_map(k))
                    };
                    (key, inner)
                })
                .collect(),
        ),
        J::Array(a) if !data => J::Array(a.iter().map(|x| api_json(x, false)).collect()),
        other => other.clone(),
    }
}

/// A JSON value's keys in CloudFormation's spelling, taking the value (its strings move).
pub fn cfn_json(v: serde_json::Value, data: bool) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Object(m) => J::Object(
            m.into_iter()
                .map(|(k, x)| {
                    if data {
                        (k, x)
                    } else {
                        let inner = cfn_json(x, is_data_map(&k));
                        (cfn_key(&k), inner)
                    }
                })
                .collect(),
        ),
        J::Array(a) if !data => J::Array(a.into_iter().map(|x| cfn_json(x, false)).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_two_spellings_round_trip_and_keep_data_keys() {
        let api = json!({"name": "a", "dockerLabels": {"com.x": "1"}, "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g"}}, "portMappings": [{"containerPort": 1}]});
        let cfn = cfn_json(api.clone(), false);
        assert_eq!(
            cfn,
            json!({"Name": "a", "DockerLabels": {"com.x": "1"}, "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": "g"}}, "PortMappings": [{"ContainerPort": 1}]})
        );
        assert_eq!(api_json(&cfn, false), api);
        assert_eq!(api_key("EFSVolumeConfiguration"), "efsVolumeConfiguration");
        assert_eq!(
            api_key("HealthCheckGracePeriodSeconds"),
            "healthCheckGracePeriodSeconds"
        );
        assert_eq!(api_key("ID"), "id");
    }
}
