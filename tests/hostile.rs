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
    "hostpw-hostile-12",
    "hostpw-hostile-13",
    "hostpw-hostile-14",
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

// ---------------------------------------------------------------------------------------------
// Issue 26, second pass (items 1-14): each reproducer shape as a test.
// ---------------------------------------------------------------------------------------------

use std::path::Path;
use std::time::Duration;

/// A project folder made of `(path, text)` files.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// A one-container Dockerrun v2 with `extra` JSON fields in the container.
fn dockerrun(extra: &str) -> String {
    format!(
        r#"{{"AWSEBDockerrunVersion": 2, "containerDefinitions": [{{"name": "web", "image": "nginx:1.25", "essential": true, "memory": 256, "portMappings": [{{"hostPort": 80, "containerPort": 80}}]{extra}}}]}}"#
    )
}

/// Everything a person or a machine gets from `convert` (every artefact of both formats and the
/// workflow, stdout, stderr) and `plan` (stdout, stderr), named.
fn everything(dir: &Path) -> Vec<(String, String)> {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("ecs");
    let args = [
        dir.display().to_string(),
        "--verbose".into(),
        "--format".into(),
        "both".into(),
        "--ci".into(),
        "github".into(),
    ];
    let convert = common::into_out(common::eb2ecs(), "convert", &args, &dest)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        convert.status.success() || convert.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&convert.stderr)
    );
    let plan_out = out.path().join("plan");
    let plan = common::into_out(common::eb2ecs(), "plan", &args[..2], &plan_out)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let mut texts = all_files(&dest, "");
    for (name, bytes) in [
        ("convert stdout", &convert.stdout),
        ("convert stderr", &convert.stderr),
        ("plan stdout", &plan.stdout),
        ("plan stderr", &plan.stderr),
    ] {
        texts.push((
            name.to_string(),
            String::from_utf8_lossy(bytes).into_owned(),
        ));
    }
    texts
}

/// Every file under `dir` (hidden ones too: the workflow, the manifest), named by its path.
fn all_files(dir: &Path, prefix: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type().unwrap().is_dir() {
            out.extend(all_files(&e.path(), &format!("{name}/")));
        } else {
            let bytes = std::fs::read(e.path()).unwrap();
            out.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out.sort();
    out
}

/// The stderr of a run that must be refused (exit 2, nothing written), within 20 seconds.
fn refused(sub: &str, args: &[String]) -> String {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("ecs");
    let o = common::into_out(common::eb2ecs(), sub, args, &dest)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{sub} {args:?}: {stderr}");
    assert!(!dest.exists(), "{sub} {args:?} wrote {dest:?}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    stderr
}

/// Item 1: names that become the same stack identifier are refused with file:line (the
/// Dockerrun and compose shapes are error goldens: testdata/errors/*-name-clash,
/// procfile-duplicate-process); the Procfile's separator variant here.
#[test]
fn names_that_collide_in_the_stack_are_refused_with_their_line() {
    let dir = project(&[
        (
            "package.json",
            r#"{"name": "x", "scripts": {"start": "node server.js"}}"#,
        ),
        ("server.js", ""),
        (
            "Procfile",
            "web: node server.js\nq-a: node a.js\nq_a: node b.js\n",
        ),
    ]);
    let err = refused("convert", &[dir.path().display().to_string()]);
    assert!(
        err.contains("Procfile:3:1: the processes `q-a` and `q_a`"),
        "{err}"
    );
}

/// Item 2: U+2028 / U+2029 in container_commands (command, env, cwd) and a hook file name reach
/// cloudformation.yaml and the workflow, which parse back with the characters unchanged.
#[test]
fn line_separators_reach_the_yaml_artefacts_and_parse_back() {
    let config = "container_commands:\n  01_migrate:\n    command: \"python manage.py migrate \\u2028 x\\u2029y\"\n    leader_only: true\n    cwd: \"/var/app/current\\u2029z\"\n    env:\n      GREETING: \"hi\\u2028there\"\n";
    let dir = project(&[
        ("requirements.txt", "django\n"),
        ("manage.py", ""),
        (
            ".elasticbeanstalk/config.yml",
            "global:\n  default_platform: Python 3.11\n",
        ),
        (".ebextensions/01.config", config),
        (
            ".platform/hooks/predeploy/a\u{2028}b.sh",
            "#!/bin/sh\necho hi\n",
        ),
    ]);
    let texts = everything(dir.path());
    let get = |n: &str| {
        &texts
            .iter()
            .find(|(k, _)| k == n)
            .unwrap_or_else(|| panic!("no {n}"))
            .1
    };
    let stack: serde_yaml_ng::Value = serde_yaml_ng::from_str(get("cloudformation.yaml")).unwrap();
    let json = serde_json::to_string(&stack).unwrap();
    assert!(json.contains("migrate \u{2028} x\u{2029}y"), "{json}");
    let workflow = get(".github/workflows/deploy-ecs.yml");
    serde_yaml_ng::from_str::<serde_yaml_ng::Value>(workflow).unwrap();
}

/// Item 3: every YAML and JSON loader refuses 100,000 nested flow sequences at once, with the
/// file, line and column (one guard: load::guard::yaml / load::guard::json).
#[test]
fn every_loader_refuses_deep_nesting_quickly() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let run = dockerrun("");
    let cases: Vec<(&str, Vec<(String, String)>)> = vec![
        (
            "cron.yaml",
            vec![
                ("Dockerrun.aws.json".into(), run.clone()),
                ("cron.yaml".into(), format!("version: 1\ncron: {deep}\n")),
            ],
        ),
        (
            "docker-compose.yml",
            vec![(
                "docker-compose.yml".into(),
                format!("services:\n  web:\n    image: nginx\n    command: {deep}\n"),
            )],
        ),
        (
            "01.config",
            vec![
                ("Dockerrun.aws.json".into(), run.clone()),
                (
                    ".ebextensions/01.config".into(),
                    format!("option_settings: {deep}\n"),
                ),
            ],
        ),
        (
            "x.cfg.yml",
            vec![
                ("Dockerrun.aws.json".into(), run.clone()),
                (
                    ".elasticbeanstalk/saved_configs/x.cfg.yml".into(),
                    format!("OptionSettings: {deep}\n"),
                ),
            ],
        ),
        (
            "Dockerrun.aws.json",
            vec![(
                "Dockerrun.aws.json".into(),
                format!("{{\"AWSEBDockerrunVersion\": 2, \"x\": {deep}}}"),
            )],
        ),
    ];
    for (file, files) in cases {
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let dir = project(&files);
        let started = std::time::Instant::now();
        let err = refused("convert", &[dir.path().display().to_string()]);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{file}: {:?}",
            started.elapsed()
        );
        assert!(err.contains(file), "{file}: {err}");
        assert!(
            err.contains("deep") || err.contains("recursion limit"),
            "{file}: {err}"
        );
    }
}

/// Item 4: a Procfile or cron.yaml over the size limit is an error naming the file and the
/// limit (exit 2, nothing written), not a file silently dropped.
#[test]
fn oversized_procfile_and_cron_yaml_are_errors() {
    let big = format!("# {}\n", "x".repeat(1_100_000));
    let node = [
        ("package.json", r#"{"name": "x"}"#.to_string()),
        ("server.js", String::new()),
        ("Procfile", format!("web: node server.js\n{big}")),
    ];
    let worker = [
        ("Dockerrun.aws.json", dockerrun("")),
        ("cron.yaml", format!("version: 1\n{big}")),
    ];
    for (file, files) in [("Procfile", &node[..]), ("cron.yaml", &worker[..])] {
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
        let dir = project(&files);
        let err = refused("convert", &[dir.path().display().to_string()]);
        assert!(
            err.contains(&format!("{file}: ")) && err.contains("1 MiB"),
            "{err}"
        );
    }
}

/// Items 5-12: secrets planted in every place the second probe found one leaking. None of
/// them may appear in any artefact, stdout, stderr or `plan` output.
#[test]
fn planted_secrets_reach_no_artefact_and_no_terminal() {
    let log = r#", "logConfiguration": {"logDriver": "splunk", "options": {"splunk-token": "plant-splunk-5e0f3b6a", "splunk-url": "https://splunk.example.com:8088"}}, "healthCheck": {"command": ["CMD-SHELL", "curl -f -H 'Authorization: Bearer plant-bearer-77aa88bb' http://localhost/ || exit 1"]}, "environment": [{"name": "DBPASS", "value": "plant-dbpass-1"}, {"name": "DB_PW", "value": "plant-dbpw-2"}, {"name": "DB_CREDS", "value": "plant-creds-3"}, {"name": "PRIVATEKEY", "value": "plant-pk-4"}, {"name": "STORAGE", "value": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=plantAzureKey5=="}, {"name": "TWILIO", "value": "SK0123456789abcdef0123456789abcdef"}]"#;
    let commands = "commands:\n  01_fetch:\n    command: curl -u deploy:plant-cmd-6 https://artifacts.example.com/x.tgz -o /tmp/x.tgz\ncontainer_commands:\n  01_dump:\n    command: mysqldump -uapp -pplant-mysql-7 -h db app\n    leader_only: true\n  02_seed:\n    command: bin/seed --password plant-flag-8\n    leader_only: true\n  03_notify:\n    command: \"curl -fsS -H 'Authorization: Basic cGxhbnQtYmFzaWMtOQ==' https://hooks.example.com/deploy\"\n    leader_only: true\n  04_curl:\n    command: curl -u admin:plant-curl-10 https://x.example.com/notify\n    leader_only: true\noption_settings:\n  aws:elasticbeanstalk:environment:process:default:\n    HealthCheckPath: /health?token=plant-hc-11\n";
    let docker = project(&[
        ("Dockerrun.aws.json", &dockerrun(log)),
        (".ebextensions/01.config", commands),
    ]);
    let compose = project(&[
        ("Dockerfile", "FROM node:20\n"),
        ("docker-compose.yml", "services:\n  api:\n    build:\n      context: .\n      args:\n        - NPM_TOKEN=npm_Plant12mL4pR7tV1wY3bN6cD9gH0jK5sA2eU8\n    ports: [\"80:80\"]\n    logging:\n      driver: awsfirelens\n      options:\n        Name: datadog\n        apikey: plant-firelens-13\n"),
    ]);
    let node = project(&[
        ("package.json", r#"{"name": "x"}"#),
        ("server.js", ""),
        (".elasticbeanstalk/config.yml", "global:\n  default_platform: Node.js 20\n"),
        ("Procfile", "web: DB_PASSWORD=plant-proc-14 node server.js --github-token ghp_Plant456789abcdefghijklmnopqrstuvwxyz12\nworker: mysql -uapp -pplant-proc-mysql-15 app\n"),
        ("Buildfile", "make: make build NPM_TOKEN=npm_Build12mL4pR7tV1wY3bN6cD9gH0jK5sA2eU8\n"),
    ]);
    let planted = [
        "plant-splunk-5e0f3b6a",
        "plant-bearer-77aa88bb",
        "plant-dbpass-1",
        "plant-dbpw-2",
        "plant-creds-3",
        "plant-pk-4",
        "plantAzureKey5",
        "SK0123456789abcdef0123456789abcdef",
        "plant-cmd-6",
        "plant-mysql-7",
        "plant-flag-8",
        "cGxhbnQtYmFzaWMtOQ",
        "plant-curl-10",
        "plant-hc-11",
        "npm_Plant12mL4pR7tV1wY3bN6cD9gH0jK5sA2eU8",
        "plant-firelens-13",
        "plant-proc-14",
        "ghp_Plant456789abcdefghijklmnopqrstuvwxyz12",
        "plant-proc-mysql-15",
        "npm_Build12mL4pR7tV1wY3bN6cD9gH0jK5sA2eU8",
    ];
    let mut texts = Vec::new();
    for (name, dir) in [("docker", &docker), ("compose", &compose), ("node", &node)] {
        texts.extend(
            everything(dir.path())
                .into_iter()
                .map(|(k, v)| (format!("{name}: {k}"), v)),
        );
    }
    assert!(texts.len() > 30, "{}", texts.len());
    common::assert_no_secret(
        texts.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &planted,
    );
    let all: String = texts.iter().map(|(_, v)| v.as_str()).collect();
    // Moved, not lost: each comes from SSM at run time.
    for moved in [
        "/SPLUNK_TOKEN",
        "WEB_HEALTHCHECK_SECRET",
        "PROCFILE_WEB_GITHUB_TOKEN",
        "PROCFILE_WORKER_SECRET",
        "/DBPASS",
        "/DB_PW",
        "/DB_CREDS",
        "/PRIVATEKEY",
        "/STORAGE",
        "/TWILIO",
    ] {
        assert!(all.contains(moved), "{moved} not moved");
    }
    for code in ["SECRET-IN-HEALTH-PATH", "SECRET-IN-COMMAND"] {
        assert!(all.contains(code), "no {code}");
    }
}

/// Item 5: a random-looking value under a neutral name is a warning, not a move.
#[test]
fn random_values_under_neutral_names_are_a_warning() {
    let env =
        r#", "environment": [{"name": "UPSTREAM_REF", "value": "q8Zr3LmX2pVt9WbK4nYc7HsD1fGj"}]"#;
    let dir = project(&[("Dockerrun.aws.json", &dockerrun(env))]);
    let (model, _) = common::convert_args(&[dir.path().display().to_string()], "x").unwrap();
    assert!(model.secrets.is_empty());
    let f = model
        .findings
        .iter()
        .find(|f| f.code == "SECRET-POSSIBLE")
        .expect("SECRET-POSSIBLE");
    assert!(!f.message.contains("q8Zr3"), "{}", f.message);
}

/// Item 12: the documented exception (a secret in a Dockerrun `command`, `entryPoint` or label)
/// stays in the task definition with a warning, but `plan` never prints it.
#[test]
fn kept_command_secrets_are_not_printed_by_plan() {
    let out = tempfile::tempdir().unwrap();
    let mut args = common::case_args(&case());
    args.retain(|a| a != "--verbose");
    let o = common::into_out(common::eb2ecs(), "plan", &args, out.path())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    common::assert_no_secret([("plan", stdout.as_ref())], NEVER_SHOWN);
}

/// Items 13 and 14: an input that is a symbolic link out of the project, a FIFO, or a kernel
/// file is refused by `convert` and `plan` (exit 2, nothing written) and by `assess` (its row
/// says why), and no run hangs.
#[cfg(unix)]
#[test]
fn links_out_fifos_and_kernel_files_are_refused_without_hanging() {
    use std::os::unix::fs::symlink;
    let outside = project(&[
        ("Dockerrun.aws.json", &dockerrun("")),
        (
            "docker-compose.yml",
            "services:\n  web:\n    image: nginx\n",
        ),
        ("Dockerfile", "FROM nginx\n"),
        ("config.yml", "global:\n  default_region: eu-west-1\n"),
    ]);
    let o = outside.path();
    let run = dockerrun("");
    let link = |name: &str, target: &Path, with_run: bool| {
        let dir = project(&[("Dockerrun.aws.json", run.as_str())][..usize::from(with_run)]);
        std::fs::create_dir_all(dir.path().join(name).parent().unwrap()).unwrap();
        symlink(target, dir.path().join(name)).unwrap();
        dir
    };
    let cases = vec![
        (
            "Dockerrun.aws.json",
            link("Dockerrun.aws.json", &o.join("Dockerrun.aws.json"), false),
        ),
        (
            "docker-compose.yml",
            link("docker-compose.yml", &o.join("docker-compose.yml"), false),
        ),
        (
            "Dockerfile",
            link("Dockerfile", &o.join("Dockerfile"), false),
        ),
        (
            "config.yml",
            link(".elasticbeanstalk/config.yml", &o.join("config.yml"), true),
        ),
        ("config.yml", link(".elasticbeanstalk", o, true)),
        (
            "Dockerrun.aws.json",
            link("Dockerrun.aws.json", Path::new("/proc/kmsg"), false),
        ),
        ("Procfile", link("Procfile", Path::new("/dev/zero"), true)),
    ];
    for (file, dir) in &cases {
        let args = [dir.path().display().to_string()];
        for sub in ["convert", "plan"] {
            let err = refused(sub, &args);
            assert!(
                err.contains(file) && err.contains("outside the project"),
                "{sub}: {err}"
            );
        }
        let report = tempfile::tempdir().unwrap();
        let a = common::into_out(common::eb2ecs(), "assess", &args, report.path())
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&a.stderr);
        assert!(stderr.contains("outside the project"), "assess: {stderr}");
    }
    // FIFOs never block: refused, or (a file the loaders only list) skipped.
    for name in [
        "Dockerrun.aws.json",
        "Procfile",
        "cron.yaml",
        ".ebextensions/a.config",
        ".elasticbeanstalk/config.yml",
    ] {
        let with_run = name != "Dockerrun.aws.json";
        let dir = project(&[("Dockerrun.aws.json", run.as_str())][..usize::from(with_run)]);
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        assert!(std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .unwrap()
            .success());
        for sub in ["convert", "plan", "assess"] {
            let out = tempfile::tempdir().unwrap();
            let o = common::into_out(common::eb2ecs(), sub, [dir.path()], &out.path().join("x"))
                .timeout(Duration::from_secs(20))
                .output()
                .unwrap();
            assert!(o.status.code().is_some(), "{sub} {name}: killed (hung)");
        }
    }
    let dir = project(&[("Dockerrun.aws.json", &run)]);
    let args = [
        dir.path().display().to_string(),
        "--settings".into(),
        "/proc/kmsg".into(),
    ];
    let err = refused("convert", &args);
    assert!(
        err.contains("--settings /proc/kmsg") && err.contains("kernel file"),
        "{err}"
    );
}

/// The invariant of the `secrets` fuzz target on the shapes it starts from: a command with its
/// secrets moved holds none the detector sees, whatever the quoting.
#[test]
fn moved_commands_hold_no_secret_whatever_the_quoting() {
    let lines = [
        "DB_PASSWORD=hunter2pw node server.js",
        "DB_PASSWORD='hunter2pw' node server.js",
        "DB_PASSWORD=\"hunter2pw\" node 'server.js'",
        "curl -H \"Authorization: Bearer abcdefghijk123\" -u admin:pw12345 https://x",
        "curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZA==' https://x",
        "mysql '-pdumpsecret99' app; mysqldump --password=pw9876543 db",
        "psql postgres://app:s3cret99@db:5432/app -c 'select 1'",
        "echo \\'x --token abcdefgh12345 \\\"y\\\" é ghp_0123456789abcdefghijklmnopqrstuvwxyz12",
        "run --api-key=AKIAABCDEFGHIJKLMNOP --secret \"two words\"",
    ];
    for line in lines {
        let moved = eb2ecs::convert::secrets::move_shell_secrets(line, "t").expect(line);
        assert!(
            eb2ecs::detect::secret_spans(&moved.command).is_empty(),
            "{line} -> {}",
            moved.command
        );
        for (_, v) in &moved.vars {
            assert!(
                !moved.command.contains(v.as_str()),
                "{line} -> {}",
                moved.command
            );
        }
        // The moved command is still one the shell reads.
        assert!(
            shell_words::split(&moved.command).is_ok(),
            "{}",
            moved.command
        );
    }
}
