//! Hostile input (testdata/cases/hostile-input) through the whole pipeline and the binary:
//! secrets never repeated, control characters never passed through, YAML always parses back.

mod common;

use std::path::PathBuf;

fn case() -> PathBuf {
    common::root().join("testdata/cases/hostile-input")
}

/// Values that must appear in no document a person reads (CHECKLIST.md, report.json, stdout):
/// those moved to secrets, masked or only kept in the task definition.
const NEVER_SHOWN: &[&str] = &[
    "rds-pw-ebext-8",
    "rds-pw-saved-9",
    "envfile-pw-7",
    "cmd-pw-9f8e7d",
    "entry-tok-5a4b",
    "labelsecret123",
    "dbpass-hostile-1",
    "jdbc-hostile-4",
    "pw5",
];

fn is_unsafe(c: char) -> bool {
    c != '\n' && eb2ecs::text::is_unsafe_char(c)
}

/// The binary's stdout and the files it wrote, for the hostile case.
fn run() -> (String, std::collections::BTreeMap<String, String>) {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec![case().join("input").display().to_string()];
    args.extend(common::args_file(&case()));
    // Every finding on the terminal (--verbose), so that all of them are checked.
    args.push("--verbose".to_string());
    let assert = common::into_out(common::eb2ecs(), "convert", &args, out.path()).assert();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    (stdout, common::read_files(out.path()))
}

#[test]
fn secrets_are_never_repeated_in_what_people_read() {
    let (stdout, files) = run();
    let texts = [
        ("stdout", stdout.as_str()),
        ("CHECKLIST.md", files["CHECKLIST.md"].as_str()),
        ("report.json", files["report.json"].as_str()),
    ];
    common::assert_no_secret(texts, NEVER_SHOWN);
    // The quoted line keeps its host, only the password is masked.
    assert!(files["CHECKLIST.md"].contains("`DATABASE_URL=postgres://app:****@db:5432/app`"));
    // Overridden secret options are named, not shown.
    assert!(stdout.contains("aws:rds:dbinstance:DBPassword from .ebextensions/01-db.config"));
}

#[test]
fn secrets_in_command_entry_point_and_labels_are_findings() {
    let (model, _) = common::convert_case(&case()).unwrap();
    let places: Vec<&str> = model
        .findings
        .iter()
        .filter(|f| f.code == "SECRET-IN-COMMAND")
        .map(|f| f.source.location.as_str())
        .collect();
    assert_eq!(
        places,
        vec![
            "/containerDefinitions/0/command/2",
            "/containerDefinitions/0/entryPoint/2",
            "/containerDefinitions/0/dockerLabels/com.example.alerts",
        ]
    );
}

#[test]
fn moved_secrets_cover_the_common_shapes_and_are_created_from_stdin() {
    let (model, _) = common::convert_case(&case()).unwrap();
    let moved: Vec<&str> = model.secrets.iter().map(|s| s.env_name.as_str()).collect();
    assert_eq!(
        moved,
        vec![
            "DB_PASS",
            "MYSQL_PWD",
            "GITHUB_PAT",
            "JDBC_URL",
            "UPSTREAM",
            "GH",
            "TLS_PEM"
        ]
    );
    let env: Vec<&str> = model.task_definition.container_definitions[0]
        .environment
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(
        env,
        vec!["PORT", "REDIS_URL", "SITE_URL", "GREETING", "ODD"]
    );
    for f in model.findings.iter().filter(|f| f.code == "SECRET-MOVED") {
        // A multi-line value (TLS_PEM) is read from a file: pasted at `read`, only its first
        // line would be kept and the rest would run as commands (issue 25, item 20).
        let (read, value) = if f.message.contains("`TLS_PEM`") {
            ("read -r SECRET_FILE", "--value \"file://$SECRET_FILE\"")
        } else {
            ("read -rs SECRET_VALUE", "--value file:///dev/stdin")
        };
        assert!(f.action.contains(read), "{}", f.action);
        assert!(f.action.contains(value), "{}", f.action);
        assert!(!f.action.contains("<value>"), "{}", f.action);
    }
}

#[test]
fn control_characters_never_reach_the_terminal_or_the_documents() {
    let (stdout, files) = run();
    for (name, text) in [
        ("stdout", &stdout),
        ("CHECKLIST.md", &files["CHECKLIST.md"]),
        ("report.json", &files["report.json"]),
    ] {
        let bad: Vec<char> = text.chars().filter(|c| is_unsafe(*c)).collect();
        assert!(bad.is_empty(), "{name} has {bad:?}");
    }
    let checklist = &files["CHECKLIST.md"];
    assert!(
        checklist.contains("`postgres:<tag>\\u{202e}`"),
        "{checklist}"
    );
    assert!(
        checklist.contains("`ghost\\x1b]0;pwned\\x07\\u{202e}` at /x\\x1b[2J\\x9b"),
        "{checklist}"
    );
}

/// U+FFFE, U+FFFF, NEL and U+2028 in a value reach cloudformation.yaml and read back unchanged
/// (they used to make the stack "not parse back", an internal error).
#[test]
fn noncharacters_reach_the_stack_and_parse_back() {
    let (_, artefacts) = common::convert_case(&case()).unwrap();
    let cfn = &artefacts
        .iter()
        .find(|a| a.name == "cloudformation.yaml")
        .unwrap()
        .content;
    let stack: serde_yaml_ng::Value = serde_yaml_ng::from_str(cfn).unwrap();
    let text = serde_json::to_string(&stack).unwrap();
    assert!(
        text.contains("x\u{fffe}y\u{ffff}z\u{85}w\u{2028}v"),
        "{cfn}"
    );
    assert!(!cfn.contains('\u{fffe}') && !cfn.contains('\u{85}'));
}
