//! Every command eb2ecs asks a person to paste, checked as a shell would read it: each command
//! span of every generated CHECKLIST.md (every golden case and corpus file, both formats), each
//! `run:` script of every generated workflow and each shell snippet of the README and the book
//! parses (`bash -n`) and is clean under shellcheck (the full suite); and for a project whose
//! values try brace expansion, history expansion and option injection, the pasted commands (in
//! a bash with history expansion on, as when pasted) hand `aws`, `docker` and `curl` exactly the intended
//! words.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// First words of the spans that are commands (the rest are names, paths and values).
const COMMANDS: &[&str] = &[
    "aws",
    "docker",
    "curl",
    "terraform",
    "cp",
    "export",
    "read",
    "jq",
    "eb2ecs",
    "git",
    "gh",
    "mkdir",
    "cargo",
];

/// The code spans of a Markdown text (any fence length), trimmed as CommonMark does.
fn code_spans(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find('`') {
        let fence_len = rest[start..].chars().take_while(|c| *c == '`').count();
        let fence = "`".repeat(fence_len);
        let body_start = start + fence_len;
        let Some(end) = rest[body_start..].find(&fence) else {
            break;
        };
        out.push(rest[body_start..body_start + end].trim().to_string());
        rest = &rest[body_start + end + fence_len..];
    }
    out
}

/// The spans that are commands eb2ecs wrote: a known first word, or an assignment first (the
/// one-off step's `CLUSTER=...`). A finding's message quotes the project's own commands (what EB ran): only its
/// action (after ` → `) is eb2ecs's.
fn command_spans(markdown: &str) -> Vec<String> {
    let ours: String = markdown
        .lines()
        .map(|l| {
            let finding = l.contains("*(source:");
            match l.split_once(" → ") {
                Some((_, action)) if finding => action,
                _ if finding => "",
                _ => l,
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    code_spans(&ours)
        .into_iter()
        .filter(|s| !s.contains('\n'))
        .filter(|s| {
            let first = s.split_whitespace().next().unwrap_or("");
            // `NAME="$(...)" && ...`: an assignment that starts a command line (a lone
            // `NAME=value` is a value to set, or a quoted line of the project).
            let assignment = first.split_once('=').is_some_and(|(n, _)| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            });
            (COMMANDS.contains(&first) && s.contains(' ')) || (assignment && s.contains(" && "))
        })
        .collect()
}

/// The ```bash / ```sh / ```console / ```shell blocks of a Markdown text (prompts stripped).
fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    for line in markdown.lines() {
        let t = line.trim_start();
        match &mut block {
            None if t.starts_with("```") => {
                let info = t.trim_start_matches('`').trim();
                if ["bash", "sh", "console", "shell"].contains(&info) {
                    block = Some(String::new());
                }
            }
            Some(b) if t.starts_with("```") => {
                out.push(std::mem::take(b));
                block = None;
            }
            Some(b) => {
                b.push_str(t.strip_prefix("$ ").unwrap_or(line));
                b.push('\n');
            }
            None => {}
        }
    }
    out
}

/// The `run:` scripts of a workflow.
fn run_scripts(yaml: &str) -> Vec<String> {
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(yaml).expect("the workflow parses");
    let mut out = Vec::new();
    if let Some(jobs) = doc.get("jobs").and_then(|j| j.as_mapping()) {
        for (_, job) in jobs {
            for step in job
                .get("steps")
                .and_then(|s| s.as_sequence())
                .into_iter()
                .flatten()
            {
                if let Some(run) = step.get("run").and_then(|r| r.as_str()) {
                    out.push(run.to_string());
                }
            }
        }
    }
    out
}

/// Every shell text of every generated artefact (golden cases and corpus, both formats) and of
/// the documentation, labelled, without duplicates.
fn every_shell_text() -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut add = |label: String, text: String| {
        if seen.insert(text.clone()) {
            out.push((label, text));
        }
    };
    let mut conversions = common::all_conversions(&[]);
    conversions.extend(common::case_conversions_with(&["--format", "terraform"]));
    for c in &conversions {
        for a in &c.artefacts {
            if a.name.ends_with("CHECKLIST.md") {
                for s in command_spans(&a.content) {
                    add(format!("{} {}", c.label, a.name), s);
                }
            } else if a.name.starts_with(".github/workflows/") {
                for s in run_scripts(&a.content) {
                    add(format!("{} {} run:", c.label, a.name), s);
                }
            }
        }
    }
    let root = common::root();
    let mut docs = vec![root.join("README.md")];
    docs.extend(markdown_files(&root.join("docs/src")));
    for file in docs {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let label = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        // The zsh line of the completions snippet is zsh, not bash.
        for s in shell_blocks(&text)
            .into_iter()
            .filter(|s| !s.contains("${fpath"))
        {
            add(label.clone(), s);
        }
    }
    out
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(markdown_files(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every command span and script parses as bash.
#[test]
fn every_generated_command_parses_as_bash() {
    let texts = every_shell_text();
    assert!(texts.len() > 100, "only {} shell texts found", texts.len());
    let mut bad = Vec::new();
    for (label, text) in &texts {
        let out = std::process::Command::new("bash")
            .args(["-n", "-c", text])
            .output()
            .expect("run bash");
        if !out.status.success() {
            bad.push(format!(
                "{label}: {}\n  {text}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    assert!(bad.is_empty(), "bash -n refuses:\n{}", bad.join("\n"));
}

/// Every command span and script is clean under shellcheck (one process for all of them).
#[test]
fn shellcheck_is_clean_on_every_generated_command() {
    if !common::external("shellcheck") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let texts = every_shell_text();
    let mut files = Vec::new();
    let mut labels = Vec::new();
    for (i, (label, text)) in texts.iter().enumerate() {
        let f = tmp.path().join(format!("{i}.sh"));
        fs::write(&f, format!("#!/bin/bash\n{text}\n")).unwrap();
        files.push(f);
        labels.push(format!("{i}.sh: {label}"));
    }
    let out = std::process::Command::new("shellcheck")
        // SC2016 (no expansion in single quotes) and SC1003 (a backslash before a closing single
        // quote) are what eb2ecs wants: JMESPath, jq and JSON bodies are literal on purpose.
        .args(["--shell=bash", "--format=gcc", "--severity=style"])
        .arg("--exclude=SC2016,SC1003")
        .args(&files)
        .current_dir(tmp.path())
        .output()
        .expect(
            "no shellcheck on PATH: every generated command must pass it; \
             install it (Debian: apt-get install shellcheck; ./scripts/test does)",
        );
    let report = String::from_utf8_lossy(&out.stdout);
    // Name each flagged text: its artefact and the command itself.
    let flagged: BTreeSet<usize> = report
        .lines()
        .filter_map(|l| l.split(".sh:").next()?.rsplit('/').next()?.parse().ok())
        .collect();
    let where_: Vec<String> = flagged
        .iter()
        .map(|&i| format!("{}\n    {}", labels[i], texts[i].1))
        .collect();
    assert!(
        out.status.success() && report.trim().is_empty(),
        "shellcheck findings:\n{report}{}\nin:\n{}",
        String::from_utf8_lossy(&out.stderr),
        where_.join("\n")
    );
}

/// A project whose values try every expansion bash knows and option injection.
fn hostile_project(dir: &Path) {
    fs::create_dir_all(dir.join(".ebextensions")).unwrap();
    let dockerrun = serde_json::json!({
        "AWSEBDockerrunVersion": 2,
        "containerDefinitions": [
            {"name": "web", "image": "-evil/x:1", "essential": true, "memory": 256,
             "portMappings": [{"hostPort": 80, "containerPort": 80}]},
            {"name": "side", "image": "{a,--endpoint-url,http://x}", "memory": 128}
        ]
    });
    fs::write(dir.join("Dockerrun.aws.json"), dockerrun.to_string()).unwrap();
    fs::write(
        dir.join(".ebextensions/01.config"),
        "option_settings:\n  aws:elasticbeanstalk:environment:process:default:\n    HealthCheckPath: \"/h!x{a,--endpoint-url,http://x}^a\"\n\
         container_commands:\n  \"01 !x ${{ secrets.K }}\":\n    command: \"echo {a,--endpoint-url,http://x} !! ~root ${{ secrets.K }}\"\n    leader_only: true\n",
    )
    .unwrap();
}

/// Stubs of the tools the checklist calls: each writes its name and arguments (one per line) to
/// a file of its own in `log` (piped commands run at once: one shared file would interleave),
/// and `aws` answers describe-stacks with `out-value`.
fn stubs(bin: &Path, log: &Path) {
    fs::create_dir_all(log).unwrap();
    for tool in ["aws", "docker", "curl", "terraform"] {
        let script = format!(
            "#!/bin/sh\nf=$(mktemp '{}/call.XXXXXX')\n{{ echo {tool}; for a; do printf '%s\\n' \"$a\"; done; }} > \"$f\"\n\
             case \"$*\" in *describe-stacks*) echo out-value ;; *run-task*) echo task-arn ;; *describe-tasks*) echo 0 ;; esac\n",
            log.display()
        );
        let path = bin.join(tool);
        fs::write(&path, script).unwrap();
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(&path)
            .status()
            .unwrap();
    }
}

/// The logged calls: each a list of words (the tool first).
fn calls(log: &Path) -> Vec<Vec<String>> {
    let mut files: Vec<PathBuf> = fs::read_dir(log)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = fs::read_to_string(f).unwrap();
            text.lines().map(str::to_string).collect()
        })
        .collect()
}

/// Pasted into bash with history expansion on, the hostile project's commands pass
/// each value as one word, unexpanded, never as an option.
#[test]
fn hostile_values_reach_the_tools_as_the_intended_words() {
    let tmp = tempfile::tempdir().unwrap();
    let (project, bin, out) = (
        tmp.path().join("p"),
        tmp.path().join("bin"),
        tmp.path().join("out"),
    );
    fs::create_dir_all(&bin).unwrap();
    hostile_project(&project);
    common::eb2ecs()
        .args([
            "convert",
            "--region",
            "eu-west-1",
            "--format",
            "both",
            "--out",
        ])
        .arg(&out)
        .arg(&project)
        .assert()
        .success();
    let log = tmp.path().join("calls");
    stubs(&bin, &log);
    let checklist = fs::read_to_string(out.join("CHECKLIST.md")).unwrap();
    let spans = command_spans(&checklist);
    assert!(spans.len() > 10, "{checklist}");
    for (i, span) in spans.iter().enumerate() {
        // History on and `!` expansion enabled (`set -H`): bash expands `!` in the lines it
        // reads from then on, as in an interactive shell where the command is pasted.
        let script = tmp.path().join(format!("paste{i}.sh"));
        fs::write(&script, format!("set -o history\nset -H\n{span}\n")).unwrap();
        let status = std::process::Command::new("bash")
            .args(["--norc", "--noprofile"])
            .arg(&script)
            .current_dir(&out)
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("HOME", tmp.path())
            .env("HISTFILE", "/dev/null")
            .envs([
                ("VPC_ID", "vpc-1"),
                ("SUBNETS", "s-1"),
                ("LB_SUBNETS", "s-2"),
            ])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&status.stderr);
        assert!(
            !err.contains("event not found") && !err.contains("syntax error"),
            "{span}\n{err}"
        );
    }
    let calls = calls(&log);
    let words: Vec<&String> = calls.iter().flatten().collect();
    assert!(
        !words
            .iter()
            .any(|w| *w == "--endpoint-url" || *w == "http://x}"),
        "brace expansion reached a tool: {calls:?}"
    );
    let has = |want: &[&str]| {
        calls
            .iter()
            .any(|c| c.iter().map(String::as_str).eq(want.iter().copied()))
    };
    let contains = |tool: &str, word: &str| {
        calls
            .iter()
            .any(|c| c[0] == tool && c.iter().any(|w| w == word))
    };
    assert!(has(&["docker", "pull", "--", "-evil/x:1"]), "{calls:?}");
    assert!(
        has(&["docker", "pull", "{a,--endpoint-url,http://x}"]),
        "{calls:?}"
    );
    assert!(contains("aws", "--repository-name=-evil/x"), "{calls:?}");
    assert!(
        contains("curl", "http://out-value/h!x{a,--endpoint-url,http://x}^a"),
        "the smoke test's path: {calls:?}"
    );
    let overrides = calls
        .iter()
        .filter(|c| c.get(2).is_some_and(|w| w == "run-task"))
        .find_map(|c| {
            c.iter()
                .position(|w| w == "--overrides")
                .map(|i| c[i + 1].clone())
        })
        .expect("the one-off step ran run-task");
    let v: serde_json::Value = serde_json::from_str(&overrides).unwrap();
    assert_eq!(
        v["containerOverrides"][0]["command"][2],
        "echo {a,--endpoint-url,http://x} !! ~root ${{ secrets.K }}"
    );
}
