//! Hostile input, output side (issue 26, items 16–22): no project text becomes a GitHub Actions
//! expression or an `Fn::Sub` reference, environment variable names ECS cannot take are refused
//! with their place, no control byte reaches the terminal, and the output folder survives a
//! crash at any point of a write (and a full disk) as the old or the new artefacts, never a mix,
//! with nothing left behind.

mod common;

use std::fs;
use std::path::Path;

/// A two-container project; `image` is the web container's image (changing it changes every
/// artefact that names it).
fn project(dir: &Path, image: &str, extra_env: &[(&str, &str)]) {
    fs::create_dir_all(dir.join(".ebextensions")).unwrap();
    let env: Vec<serde_json::Value> = extra_env
        .iter()
        .map(|(n, v)| serde_json::json!({"name": n, "value": v}))
        .collect();
    let dockerrun = serde_json::json!({
        "AWSEBDockerrunVersion": 2,
        "containerDefinitions": [
            {"name": "web", "image": image, "essential": true, "memory": 256,
             "portMappings": [{"hostPort": 80, "containerPort": 80}], "environment": env},
            {"name": "side", "image": "busybox:1", "memory": 128}
        ]
    });
    fs::write(
        dir.join("Dockerrun.aws.json"),
        serde_json::to_string_pretty(&dockerrun).unwrap(),
    )
    .unwrap();
}

/// Control characters a terminal acts on, other than the line feed.
fn unsafe_chars(text: &str) -> Vec<char> {
    // eb2ecs's own colour sequences (ESC [ digits ; m) are the only escapes it may print.
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            let rest: String = chars.clone().take(8).collect();
            let body: String = rest[1..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .collect();
            if rest[1 + body.len()..].starts_with('m') {
                for _ in 0..body.len() + 2 {
                    chars.next();
                }
                continue;
            }
        }
        if c != '\n' && c != '\t' && eb2ecs::text::is_unsafe_char(c) {
            out.push(c);
        }
    }
    out
}

/// Nothing the binary prints (stdout, stderr) holds a control character from the input: the
/// project folder's name, `--out`, a container name, an error value, the diff of an edited
/// JSON artefact; for convert, plan (with and without colour) and the error path.
#[test]
fn control_bytes_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let evil = "x\x1b]0;pwned\x07\x1b[2J\r\u{9b}31m\u{202e}";
    let dir = tmp.path().join(format!("proj{evil}"));
    project(&dir, "nginx:1", &[]);
    let out = tmp.path().join(format!("out{evil}"));
    let mut runs = Vec::new();
    let mut run = |args: Vec<std::ffi::OsString>| {
        let o = common::eb2ecs().args(&args).output().unwrap();
        runs.push((
            format!("{args:?}"),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        ));
    };
    let os = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
    let mut convert = os(&["convert", "--region", "eu-west-1", "--verbose", "--out"]);
    convert.push(out.clone().into());
    convert.push(dir.clone().into());
    run(convert.clone());
    // An edited JSON artefact: its diff (plan, and the refusal's error) carries the bytes.
    let td = out.join("task-definition.json");
    let text = fs::read_to_string(&td).unwrap();
    fs::write(
        &td,
        text.replacen("\"web\"", &format!("{:?}", format!("web{evil}")), 1),
    )
    .unwrap();
    for color in ["always", "never"] {
        let mut plan = os(&["plan", "--region", "eu-west-1", "--color", color, "--out"]);
        plan.push(out.clone().into());
        plan.push(dir.clone().into());
        run(plan);
    }
    run(convert);
    // An error whose value is the input: a container name the loader refuses, a missing folder.
    let bad = tmp.path().join("bad");
    project(&bad, &format!("nginx{evil}"), &[]);
    let text = fs::read_to_string(bad.join("Dockerrun.aws.json")).unwrap();
    fs::write(
        bad.join("Dockerrun.aws.json"),
        text.replace("\"side\"", &format!("{:?}", format!("side{evil}"))),
    )
    .unwrap();
    let mut c = os(&["convert", "--region", "eu-west-1", "--out"]);
    c.push(tmp.path().join("o2").into());
    c.push(bad.into());
    run(c);
    let mut c = os(&["convert", "--region", "eu-west-1", "--out"]);
    c.push(tmp.path().join("o3").into());
    c.push(tmp.path().join(format!("missing{evil}")).into());
    run(c);
    for (args, stdout, stderr) in &runs {
        assert!(
            !stdout.is_empty() || !stderr.is_empty(),
            "{args}: printed nothing"
        );
        for (what, text) in [("stdout", stdout), ("stderr", stderr)] {
            let bad = unsafe_chars(text);
            assert!(bad.is_empty(), "{args}: {what} holds {bad:?}:\n{text}");
        }
    }
    // The escapes are visible instead.
    assert!(runs
        .iter()
        .any(|(_, o, e)| (o.clone() + e).contains("\\x1b]0;pwned\\x07")));
    // Files keep their bytes.
    assert!(fs::read_to_string(&td).unwrap().contains("\\u001b") || td.exists());
}

/// Environment variable names ECS or the outputs cannot carry are refused, naming the file and
/// the variable's place; nothing is written.
#[test]
fn environment_variable_names_are_refused_with_their_place() {
    for name in [
        "A*",
        "a/../b",
        "X${AWS::AccountId}",
        "X`id`",
        "A B",
        "A=B",
        "{a,b}",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("p");
        project(&dir, "nginx:1", &[(name, "v")]);
        let out = tmp.path().join("out");
        let o = common::eb2ecs()
            .args(["convert", "--region", "eu-west-1", "--out"])
            .arg(&out)
            .arg(&dir)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains("Dockerrun.aws.json#/containerDefinitions/0/environment/0"),
            "{name}: {err}"
        );
        assert!(!out.exists(), "{name}: something was written");
    }
    // EB environment properties too.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    project(&dir, "nginx:1", &[]);
    fs::write(
        dir.join(".ebextensions/env.config"),
        "option_settings:\n  aws:elasticbeanstalk:application:environment:\n    \"DB_*\": x\n",
    )
    .unwrap();
    let o = common::eb2ecs()
        .args(["convert", "--region", "eu-west-1", "--out"])
        .arg(tmp.path().join("out"))
        .arg(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(".ebextensions/env.config"), "{err}");
}

/// Every `${...}` of every `Fn::Sub` string in `yaml` names a parameter, a resource (or its
/// attribute), a pseudo parameter or a variable of the Sub; `${!` is the literal escape.
fn unescaped_sub_references(yaml: &str) -> Vec<String> {
    use serde_yaml_ng::Value;
    let doc: Value = serde_yaml_ng::from_str(yaml).expect("the stack parses");
    let keys = |k: &str| -> Vec<String> {
        doc.get(k)
            .and_then(Value::as_mapping)
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let known: Vec<String> = [keys("Parameters"), keys("Resources")].concat();
    let mut bad = Vec::new();
    let mut check = |s: &str, vars: &[String]| {
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            rest = &rest[i + 2..];
            if rest.starts_with('!') {
                continue;
            }
            let name = rest.split('}').next().unwrap_or("");
            let base = name.split('.').next().unwrap_or("");
            if !(name.starts_with("AWS::")
                || known.iter().any(|k| k == base)
                || vars.iter().any(|v| v == name))
            {
                bad.push(format!("${{{name}}} in {s:?}"));
            }
        }
    };
    fn walk(v: &Value, f: &mut dyn FnMut(&str, &[String])) {
        let sub = |v: &Value, f: &mut dyn FnMut(&str, &[String])| match v {
            Value::String(s) => f(s, &[]),
            Value::Sequence(seq) => {
                let vars: Vec<String> = seq
                    .get(1)
                    .and_then(Value::as_mapping)
                    .map(|m| {
                        m.keys()
                            .filter_map(|k| k.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(s) = seq.first().and_then(Value::as_str) {
                    f(s, &vars);
                }
            }
            _ => {}
        };
        match v {
            Value::Tagged(t) if t.tag == "Sub" => sub(&t.value, f),
            Value::Tagged(t) => walk(&t.value, f),
            Value::Mapping(m) => {
                for (k, v) in m {
                    if k.as_str() == Some("Fn::Sub") {
                        sub(v, f);
                    } else {
                        walk(v, f);
                    }
                }
            }
            Value::Sequence(s) => s.iter().for_each(|x| walk(x, f)),
            _ => {}
        }
    }
    walk(&doc, &mut check);
    bad
}

/// Project text with `${...}` (environment values, commands, names, a health-check path, a log
/// option) never becomes a reference inside an `Fn::Sub` of the stack. What the stack printers
/// must hold to: every project string placed in a Sub is escaped (`${` -> `${!`).
#[test]
fn project_text_never_becomes_an_fn_sub_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    project(
        &dir,
        "nginx:1",
        &[
            ("GREETING", "${AWS::AccountId}${Nope}"),
            ("DB_PASSWORD", "${AWS::Region}pw123456789"),
        ],
    );
    fs::write(
        dir.join(".ebextensions/01.config"),
        "option_settings:\n  aws:elasticbeanstalk:environment:process:default:\n    HealthCheckPath: \"/h${Nope}\"\n  aws:elasticbeanstalk:application:environment:\n    APP_X: \"${TaskRole.Arn}\"\n\
         container_commands:\n  \"01 ${Nope}\":\n    command: \"echo ${Nope} ${AWS::StackName}\"\n    leader_only: true\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    common::eb2ecs()
        .args(["convert", "--region", "eu-west-1", "--out"])
        .arg(&out)
        .arg(&dir)
        .assert()
        .success();
    let stack = fs::read_to_string(out.join("cloudformation.yaml")).unwrap();
    let bad = unescaped_sub_references(&stack);
    assert!(bad.is_empty(), "unescaped project text in Fn::Sub: {bad:?}");
    // The check itself: an unescaped reference is found, an escaped one is not.
    assert_eq!(
        unescaped_sub_references("Resources: {}\nX: !Sub \"a${Nope}b${!Nope}${AWS::Region}\"\n")
            .len(),
        1
    );
}

/// The `${{ ... }}` expressions of a workflow (quote-aware, as GitHub reads them).
fn expressions(yaml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = yaml;
    while let Some(i) = rest.find("${{") {
        rest = &rest[i + 3..];
        let mut in_str = false;
        let mut end = None;
        let b = rest.as_bytes();
        for j in 0..b.len().saturating_sub(1) {
            match b[j] {
                b'\'' => in_str = !in_str,
                b'}' if !in_str && b[j + 1] == b'}' => {
                    end = Some(j);
                    break;
                }
                _ => {}
            }
        }
        let Some(j) = end else { break };
        out.push(rest[..j].trim().to_string());
        rest = &rest[j + 2..];
    }
    out
}

/// Container commands, their names and a hook file name holding `${{ secrets.X }}` reach the
/// workflow as text: every expression GitHub evaluates in it is one eb2ecs wrote (the literal
/// `'${{'` escape, repository variables, step outputs, the runner), and actionlint is clean.
#[test]
fn project_text_never_becomes_an_actions_expression() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    project(&dir, "nginx:1", &[]);
    fs::write(
        dir.join(".ebextensions/01.config"),
        "container_commands:\n  \"01 ${{ secrets.AWS_KEY }}\":\n    command: \"echo ${{ github.token }} ${{secrets.X}}\"\n    leader_only: true\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    common::eb2ecs()
        .args([
            "convert",
            "--region",
            "eu-west-1",
            "--ci",
            "github",
            "--github-repo",
            "acme/x",
            "--out",
        ])
        .arg(&out)
        .arg(&dir)
        .assert()
        .success();
    let file = out.join(".github/workflows/deploy-ecs.yml");
    let yaml = fs::read_to_string(&file).unwrap();
    assert!(
        yaml.contains("secrets.AWS_KEY"),
        "the command is in the workflow:\n{yaml}"
    );
    // GitHub evaluates the expressions of the values (as YAML reads them), keys included.
    fn strings(v: &serde_yaml_ng::Value, out: &mut Vec<String>) {
        use serde_yaml_ng::Value;
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Sequence(seq) => seq.iter().for_each(|x| strings(x, out)),
            Value::Mapping(m) => m.iter().for_each(|(k, v)| {
                strings(k, out);
                strings(v, out);
            }),
            Value::Tagged(t) => strings(&t.value, out),
            _ => {}
        }
    }
    let mut values = Vec::new();
    strings(&serde_yaml_ng::from_str(&yaml).unwrap(), &mut values);
    let found: Vec<String> = values.iter().flat_map(|v| expressions(v)).collect();
    assert!(found.iter().any(|e| e == "'${{'"), "{yaml}");
    for e in found {
        let ours = e == "'${{'"
            || ["vars.", "steps.", "env.ECS_DIR", "runner.temp"]
                .iter()
                .any(|p| e.starts_with(p));
        assert!(
            ours,
            "project text evaluated by GitHub: ${{{{ {e} }}}}\n{yaml}"
        );
    }
    if common::external("actionlint (.venv)") {
        let o = std::process::Command::new(common::venv_tool(".venv", "actionlint"))
            .arg(&file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    }
}

/// The artefacts and the manifest of an output folder, as (name, content).
fn snapshot(out: &Path) -> std::collections::BTreeMap<String, String> {
    common::read_files(out)
}

/// Names in the output folder a run leaves only when it is killed.
fn leftovers(out: &Path) -> Vec<String> {
    fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".eb2ecs-") && n != ".eb2ecs-manifest.json")
        .collect()
}

fn convert(project: &Path, out: &Path, failpoint: Option<&str>) -> std::process::Output {
    let mut c = common::eb2ecs();
    c.args(["convert", "--region", "eu-west-1", "--out"])
        .arg(out)
        .arg(project);
    if let Some(f) = failpoint {
        c.env("EB2ECS_FAILPOINT", f);
    }
    c.output().unwrap()
}

/// Killed (abort: no destructor runs, as with kill -9) while staging or between any two renames,
/// a run leaves the old artefacts (staging) or a journal; the next run completes the switch
/// (so every file is then the new one: `unchanged` against the same inputs) and removes every
/// staging folder. A failed write (a full disk) changes nothing.
#[test]
fn a_crash_at_any_point_leaves_old_or_new_never_a_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let (v1, v2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    project(&v1, "nginx:1", &[]);
    project(&v2, "nginx:2", &[]);
    let fresh = tmp.path().join("fresh");
    assert!(convert(&v2, &fresh, None).status.success());
    let new = snapshot(&fresh);
    let n = new.len();
    for point in ["crash-stage", "crash-rename", "stage"] {
        for i in 0..n {
            let out = tmp.path().join(format!("out-{point}-{i}"));
            assert!(convert(&v1, &out, None).status.success());
            let old = snapshot(&out);
            let o = convert(&v2, &out, Some(&format!("{point}:{i}")));
            assert!(!o.status.success(), "{point}:{i} did not fail");
            let after = snapshot(&out);
            if point != "crash-rename" {
                // Nothing was switched yet: the old files, as they were.
                assert_eq!(after, old, "{point}:{i}");
            }
            if point == "stage" {
                assert!(
                    leftovers(&out).is_empty(),
                    "{point}:{i}: {:?}",
                    leftovers(&out)
                );
                continue;
            }
            // The next run with the new inputs finds every file already new.
            let o = convert(&v2, &out, None);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let stdout = String::from_utf8_lossy(&o.stdout);
            if point == "crash-rename" {
                assert!(
                    !stdout.contains(" updated") && !stdout.contains(" created"),
                    "{point}:{i}: the journal was not completed:\n{stdout}"
                );
            }
            assert_eq!(snapshot(&out), new, "{point}:{i}");
            assert!(
                leftovers(&out).is_empty(),
                "{point}:{i}: {:?}",
                leftovers(&out)
            );
        }
    }
}

/// A write that fails into a folder that did not exist leaves no folder behind.
#[test]
fn a_failed_write_leaves_no_empty_out_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    project(&dir, "nginx:1", &[]);
    let out = tmp.path().join("new/deeper/out");
    let o = convert(&dir, &out, Some("stage:0"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("No space left on device"));
    assert!(!tmp.path().join("new").exists(), "a folder was left behind");
}

/// kill -9 at random moments of real runs: after each, the next run succeeds, leaves no staging
/// folder, and the folder holds exactly what a fresh run writes.
#[cfg(unix)]
#[test]
fn kill_9_during_writes_never_corrupts_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (v1, v2) = (tmp.path().join("v1"), tmp.path().join("v2"));
    project(&v1, "nginx:1", &[]);
    project(&v2, "nginx:2", &[]);
    let fresh = tmp.path().join("fresh");
    assert!(convert(&v2, &fresh, None).status.success());
    let want = snapshot(&fresh);
    let bin = assert_cmd::cargo::cargo_bin("eb2ecs");
    for i in 0..12u64 {
        let out = tmp.path().join(format!("out{i}"));
        assert!(convert(&v1, &out, None).status.success());
        let mut child = std::process::Command::new(&bin)
            .args(["convert", "--region", "eu-west-1", "--out"])
            .arg(&out)
            .arg(&v2)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(500 + i * 700));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert!(convert(&v2, &out, None).status.success());
        assert_eq!(snapshot(&out), want, "after kill {i}");
        assert!(
            leftovers(&out).is_empty(),
            "after kill {i}: {:?}",
            leftovers(&out)
        );
    }
}
