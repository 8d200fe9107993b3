//! Shared parts of the fuzz targets: the input format of the pipeline target and the invariants
//! every target checks (see fuzz_targets/ and scripts/fuzz).

use eb2ecs::error::Error;
use eb2ecs::load::settings::{self, Layer, OptionValue, SettingsDoc};
use eb2ecs::load::Inputs;
use eb2ecs::model::{LaunchType, Options, SecretsMode};
use eb2ecs::render::Artefact;

/// The line that separates the Dockerrun from each settings document in a pipeline input.
pub const SEPARATOR: &str = "\n----\n";

/// The namespace of EB environment properties.
const ENV_NAMESPACE: &str = "aws:elasticbeanstalk:application:environment";

/// A parse or conversion error must be about the input (or the arguments), never a bug.
pub fn check_error(target: &str, e: &Error) {
    match e {
        Error::Input { .. } | Error::Usage(_) => {}
        other => panic!("{target}: an error that is not an input error: {other:?}"),
    }
}

/// The layer hint a selector byte stands for.
pub fn layer_hint(selector: u8) -> Option<Layer> {
    match selector % 4 {
        0 => None,
        1 => Some(Layer::Ebextensions),
        2 => Some(Layer::SavedConfig),
        _ => Some(Layer::Environment),
    }
}

/// Split a pipeline input into the Dockerrun text and the settings texts.
pub fn split(text: &str) -> (&str, Vec<&str>) {
    let mut parts = text.split(SEPARATOR);
    let dockerrun = parts.next().unwrap_or("");
    (dockerrun, parts.collect())
}

/// The whole pure pipeline on one input, with every invariant checked.
pub fn pipeline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (run_text, settings_texts) = split(text);
    let (run, findings) = match eb2ecs::load::dockerrun_from_text(
        run_text,
        "Dockerrun.aws.json",
        "Dockerrun.aws.json",
    ) {
        Ok(parsed) => parsed,
        Err(e) => return check_error("pipeline dockerrun", &e),
    };
    let mut docs = Vec::new();
    for (i, s) in settings_texts.iter().enumerate() {
        let label = format!("settings-{i}.config");
        match settings::parse(s, &label, &label, layer_hint(i as u8 + 1)) {
            Ok(doc) => docs.push(doc),
            Err(e) => return check_error("pipeline settings", &e),
        }
    }
    let secrets = secret_values(&run, &docs);
    let inputs = Inputs {
        project_name: "fuzz".into(),
        display: "Dockerrun.aws.json".into(),
        dockerrun: run,
        dockerrun_findings: findings,
        settings: docs,
        files: vec![],
        region: None,
        skipped: vec![],
        platform: None,
        platform_choice: None,
        env_reads: Vec::new(),
        eb_cli: Default::default(),
    };
    for (launch_type, mode) in [
        (LaunchType::Fargate, SecretsMode::Ssm),
        (LaunchType::Ec2, SecretsMode::Secretsmanager),
    ] {
        let opts = options(launch_type, mode);
        let first = match eb2ecs::app::build(&inputs, &opts) {
            Ok((_, artefacts)) => artefacts,
            Err(e) => return check_error("pipeline build", &e),
        };
        check_artefacts(&first);
        for value in leaked(&first, &secrets) {
            confirm_leak(&inputs, &opts, &value, &first);
        }
        let second = eb2ecs::app::build(&inputs, &opts)
            .map(|(_, a)| a)
            .unwrap_or_else(|e| panic!("the second build failed where the first did not: {e:?}"));
        assert!(first == second, "two builds of the same input differ");
    }
}

fn options(launch_type: LaunchType, secrets: SecretsMode) -> Options {
    Options {
        launch_type,
        family: None,
        cluster: None,
        service_name: None,
        region: None,
        account_id: None,
        secrets,
        secrets_kms_key: None,
        delivery: None,
        sqsd_image: None,
        container_insights: false,
        redirect_http: false,
    }
}

/// Every JSON artefact parses as JSON and cloudformation.yaml as YAML.
pub fn check_artefacts(artefacts: &[Artefact]) {
    for a in artefacts {
        if a.name.ends_with(".json") {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&a.content) {
                panic!("{} is not JSON: {e}\n{}", a.name, a.content);
            }
        }
        if a.name == "cloudformation.yaml" {
            if let Err(e) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&a.content) {
                panic!("{} is not YAML: {e}\n{}", a.name, a.content);
            }
        }
    }
}

/// The secret values some artefact contains.
fn leaked(artefacts: &[Artefact], secrets: &[String]) -> Vec<String> {
    secrets
        .iter()
        .filter(|s| artefacts.iter().any(|a| a.content.contains(s.as_str())))
        .cloned()
        .collect()
}

/// A secret value found in the artefacts is a leak when it is there because of the secret
/// variables: with their value changed, it is gone. (A common word such as `password`, or a
/// value also used as an image name, is in the artefacts for other reasons.)
fn confirm_leak(inputs: &Inputs, opts: &Options, value: &str, artefacts: &[Artefact]) {
    const MARKER: &str = "fuzz-changed-secret-value";
    let mut changed = inputs.clone();
    for c in &mut changed.dockerrun.containers {
        for v in &mut c.environment {
            if v.value == value && eb2ecs::detect::secret_reason(&v.name, &v.value).is_some() {
                v.value = MARKER.to_string();
            }
        }
    }
    for doc in &mut changed.settings {
        for o in doc
            .options
            .iter_mut()
            .filter(|o| o.namespace == ENV_NAMESPACE)
        {
            if let OptionValue::Text(v) = &mut o.value {
                if v == value && eb2ecs::detect::secret_reason(&o.option, v).is_some() {
                    *v = MARKER.to_string();
                }
            }
        }
    }
    let Ok((_, again)) = eb2ecs::app::build(&changed, opts) else {
        return;
    };
    if again.iter().any(|a| a.content.contains(value)) {
        return;
    }
    let names: Vec<&str> = artefacts
        .iter()
        .filter(|a| a.content.contains(value))
        .map(|a| a.name)
        .collect();
    panic!("the secret value {value:?} leaks into {names:?}");
}

/// The values of the variables eb2ecs treats as secrets (Dockerrun environment and EB
/// environment properties) that must not appear in any artefact: at least 8 characters, not a
/// placeholder, and written only once in the input (a value also used as, say, an image name
/// may rightly appear elsewhere).
pub fn secret_values(
    run: &eb2ecs::load::dockerrun::Dockerrun,
    docs: &[SettingsDoc],
) -> Vec<String> {
    let mut vars: Vec<(&str, &str)> = Vec::new();
    for c in &run.containers {
        vars.extend(
            c.environment
                .iter()
                .map(|v| (v.name.as_str(), v.value.as_str())),
        );
    }
    for doc in docs {
        for o in doc.options.iter().filter(|o| o.namespace == ENV_NAMESPACE) {
            if let OptionValue::Text(v) = &o.value {
                vars.push((o.option.as_str(), v.as_str()));
            }
        }
    }
    let mut out: Vec<String> = vars
        .into_iter()
        .filter(|(name, value)| eb2ecs::detect::secret_reason(name, value).is_some())
        .filter(|(_, value)| {
            value.chars().count() >= 8
                && *value != eb2ecs::detect::WITHHELD
                && eb2ecs::detect::placeholder_reason(value).is_none()
        })
        .map(|(_, value)| value.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}
