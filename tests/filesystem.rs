//! Hostile file systems: nothing outside the project is read (`..`, symbolic links out of it),
//! only regular files are opened (a FIFO never blocks), paths are named as what they are, and a
//! refused write changes nothing on disk; a symbolic link in --out is neither followed nor shown.

mod common;

use eb2ecs::load::project::{self, Request};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

const SECRET: &str = "SECRET-OUTSIDE-THE-PROJECT";

/// A Dockerrun (v2) whose `app` container mounts each of `sources` (absolute paths) and links to
/// a container named `db`, so the hostname scan reads the mounted files.
fn dockerrun(sources: &[&str]) -> String {
    let volumes: Vec<String> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| format!(r#"{{"name": "v{i}", "host": {{"sourcePath": "{s}"}}}}"#))
        .collect();
    format!(
        r#"{{"AWSEBDockerrunVersion": 2, "volumes": [{}], "containerDefinitions": [
  {{"name": "app", "image": "nginx:1.25", "essential": true, "memory": 256, "links": ["db"],
    "portMappings": [{{"hostPort": 80, "containerPort": 80}}]}},
  {{"name": "db", "image": "postgres:16", "essential": false, "memory": 256}}]}}"#,
        volumes.join(", ")
    )
}

/// A folder outside the project with a file holding [`SECRET`] (and a mention of `db`).
fn outside() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("passwd"), format!("db:5432 {SECRET}\n")).unwrap();
    d
}

fn project(sources: &[&str]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("Dockerrun.aws.json"), dockerrun(sources)).unwrap();
    d
}

fn load(dir: &Path) -> eb2ecs::load::Inputs {
    project::load(&Request {
        dir: Some(dir.to_path_buf()),
        ..Request::default()
    })
    .unwrap()
}

#[test]
fn dot_dot_and_links_out_of_the_project_are_not_read() {
    let out = outside();
    let p = project(&[
        "/var/app/current/../../../../etc/passwd",
        "/var/app/current/conf",
        "/var/app/current/via/passwd",
        "/var/app/current/file.conf",
        "/var/app/current/inside",
    ]);
    symlink(out.path(), p.path().join("conf")).unwrap();
    symlink(out.path(), p.path().join("via")).unwrap();
    symlink(out.path().join("passwd"), p.path().join("file.conf")).unwrap();
    fs::create_dir(p.path().join("inside")).unwrap();
    fs::write(p.path().join("inside/app.conf"), "upstream db:5432\n").unwrap();
    // A link that stays inside the project is fine.
    symlink("app.conf", p.path().join("inside/alias.conf")).unwrap();
    let inputs = load(p.path());
    let read: Vec<&str> = inputs.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(read, ["inside/alias.conf", "inside/app.conf"]);
    assert!(inputs.files.iter().all(|f| !f.text.contains(SECRET)));
    let skipped: BTreeMap<&str, (&str, bool)> = inputs
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), (s.reason.as_str(), s.outside)))
        .collect();
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    assert_eq!(
        skipped["../../../../etc/passwd"],
        ("leaves the project (`..`)", true)
    );
    for path in ["conf", "file.conf", "via/passwd"] {
        let (reason, outside) = skipped[path];
        assert!(
            outside && reason.ends_with("outside the project"),
            "{path}: {reason}"
        );
    }
    assert!(skipped["via/passwd"]
        .0
        .starts_with("goes through a symbolic link to"));
    // The conversion reports each as a finding.
    let (model, artefacts) = eb2ecs::app::build(
        &inputs,
        &common::options(&["--region".into(), "eu-west-1".into()]),
    )
    .unwrap();
    let outside_findings = model
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "PROJECT-PATH-OUTSIDE")
        .count();
    assert_eq!(outside_findings, 4);
    common::assert_no_secret(common::artefact_texts(&artefacts), &[SECRET]);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success());
}

/// Run `convert ARGS --out OUT` with a deadline; returns (exit code, stderr).
fn convert(args: &[&str], out: &Path, dir: &Path) -> (i32, String) {
    let o = common::into_out(common::eb2ecs(), "convert", args, out)
        .current_dir(dir)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn fifos_and_devices_are_errors_not_hangs() {
    let p = project(&["/var/app/current/pipe", "/var/app/current/dev"]);
    mkfifo(&p.path().join("pipe"));
    mkfifo(&p.path().join("run.json"));
    mkfifo(&p.path().join("settings.config"));
    symlink("/dev/zero", p.path().join("dev")).unwrap();
    let out = p.path().join("ecs");
    let (code, err) = convert(&["--dockerrun", "run.json"], &out, p.path());
    assert_eq!((code, err.as_str()), (2, "error: run.json: is a FIFO (named pipe), not a file (name the Dockerrun.aws.json with --dockerrun FILE)\n"));
    let (code, err) = convert(&[".", "--settings", "settings.config"], &out, p.path());
    assert_eq!(
        (code, err.as_str()),
        (
            2,
            "error: --settings settings.config: is a FIFO (named pipe), not a file\n"
        )
    );
    let (code, err) = convert(&[".", "--settings", "/dev/zero"], &out, p.path());
    assert_eq!(
        (code, err.as_str()),
        (2, "error: --settings /dev/zero: is a device, not a file\n")
    );
    // Mounted: a FIFO is skipped (with a finding), a link to a device leaves the project.
    let inputs = load(p.path());
    let skipped: Vec<(&str, &str)> = inputs
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "dev",
                "is a symbolic link to /dev/zero, outside the project"
            ),
            ("pipe", "is a FIFO (named pipe), not a file")
        ]
    );
}

#[test]
fn oversized_input_files_are_refused() {
    let p = project(&[]);
    let big = p.path().join("big.json");
    let f = fs::File::create(&big).unwrap();
    f.set_len(eb2ecs::load::guard::MAX_INPUT_FILE + 1).unwrap();
    let (code, err) = convert(
        &["--dockerrun", "big.json"],
        &p.path().join("ecs"),
        p.path(),
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: big.json: 16777217 bytes, more than eb2ecs reads in one input file (16 MiB)\n"
    );
}

#[test]
fn out_is_named_as_what_it_is() {
    let p = project(&[]);
    symlink("nowhere", p.path().join("dangling")).unwrap();
    fs::write(p.path().join("afile"), "x").unwrap();
    let (code, err) = convert(&["."], &p.path().join("dangling"), p.path());
    assert_eq!(code, 2);
    assert!(
        err.ends_with(
            "dangling: is a dangling symbolic link, not a folder eb2ecs can write into\n"
        ),
        "{err}"
    );
    let (code, err) = convert(&["."], &p.path().join("afile"), p.path());
    assert_eq!(code, 2);
    assert!(
        err.ends_with("afile: is a regular file, not a folder eb2ecs can write into\n"),
        "{err}"
    );
}

/// Every entry under `dir`: path -> content (`dir/` for folders, `-> target` for links).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for e in fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let m = fs::symlink_metadata(&path).unwrap();
        if m.file_type().is_symlink() {
            out.insert(
                path.clone(),
                format!("-> {}", fs::read_link(&path).unwrap().display()),
            );
        } else if m.is_dir() {
            out.insert(path.clone(), "dir/".into());
            out.extend(snapshot(&path));
        } else {
            out.insert(path.clone(), fs::read_to_string(&path).unwrap());
        }
    }
    out
}

#[test]
fn a_folder_in_the_way_of_the_manifest_changes_nothing() {
    let p = project(&[]);
    let out = p.path().join("ecs");
    assert_eq!(convert(&["."], &out, p.path()).0, 0);
    // Another input, and a folder where the manifest goes.
    fs::write(
        p.path().join("Dockerrun.aws.json"),
        dockerrun(&[]).replace("nginx:1.25", "nginx:1.27"),
    )
    .unwrap();
    fs::remove_file(out.join(".eb2ecs-manifest.json")).unwrap();
    fs::create_dir(out.join(".eb2ecs-manifest.json")).unwrap();
    let before = snapshot(&out);
    let (code, err) = convert(&["."], &out, p.path());
    assert_eq!(code, 2);
    assert!(
        err.contains(".eb2ecs-manifest.json: is a directory, in the way of a file eb2ecs writes; nothing was written"),
        "{err}"
    );
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_symbolic_link_in_out_is_not_followed_nor_shown() {
    let secret = outside();
    let target = secret.path().join("passwd");
    let p = project(&[]);
    let out = p.path().join("ecs");
    fs::create_dir(&out).unwrap();
    symlink(&target, out.join("CHECKLIST.md")).unwrap();
    let before = snapshot(&out);
    let (code, err) = convert(&["."], &out, p.path());
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains(SECRET), "{err}");
    assert!(
        err.contains(&format!(
            "CHECKLIST.md is a symbolic link (to {}): what it points to is not eb2ecs's file",
            target.display()
        )),
        "{err}"
    );
    assert_eq!(snapshot(&out), before);
    // plan does not show it either.
    let plan = common::into_out(common::eb2ecs(), "plan", ["."], &out)
        .current_dir(p.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(!text.contains(SECRET), "{text}");
    assert!(text.contains("CHECKLIST.md: a symbolic link"), "{text}");
    // --force replaces the link itself; its target is untouched.
    let (code, err) = convert(&[".", "--force"], &out, p.path());
    assert_eq!(code, 0, "{err}");
    let m = fs::symlink_metadata(out.join("CHECKLIST.md")).unwrap();
    assert!(m.is_file());
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        format!("db:5432 {SECRET}\n")
    );
}

/// An `.ebextensions` config or a saved configuration that is a link out of the project is
/// refused before it is read (its content would otherwise reach findings and errors).
#[test]
fn settings_files_linked_out_of_the_project_are_refused() {
    let out = outside();
    for (folder, name) in [
        (".ebextensions", "01.config"),
        (".elasticbeanstalk/saved_configs", "prod.cfg.yml"),
    ] {
        let p = project(&[]);
        fs::create_dir_all(p.path().join(folder)).unwrap();
        std::os::unix::fs::symlink(out.path().join("passwd"), p.path().join(folder).join(name))
            .unwrap();
        let err = project::load(&Request {
            dir: Some(p.path().to_path_buf()),
            ..Request::default()
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("leaves the project folder"), "{err}");
        assert!(!err.contains(SECRET), "{err}");
    }
}
