//! EFS file systems EB's instances mounted: `.ebextensions` that install `amazon-efs-utils` or
//! run `mount -t efs` (the AWS sample `storage-efs-mountfilesystem.config`, hand-written
//! recipes), with the file system named by a `FILE_SYSTEM_ID` / `EFS_ID` option or in the mount
//! command, and the folder by `MOUNT_DIRECTORY` or the mount command. ECS mounts EFS itself: one
//! finding per file system gives the exact task definition volume (`efsVolumeConfiguration`,
//! transit encryption, IAM authorization), the mount point, the task role's permissions and the
//! security group rule on port 2049.
//!
//! Only the finding is made today: the task definition, stack and Terraform module do not
//! carry the volume yet (see the finding's action).

use super::Ctx;
use crate::codes;
use crate::finding::{Finding, Severity, Source};
use crate::load::settings::{CommandText, EnvSettings, Layer, SettingsDoc};
use crate::text::escape;

/// Option names that hold the file system's id.
const ID_OPTIONS: &[&str] = &[
    "FILE_SYSTEM_ID",
    "EFS_ID",
    "EFS_FILE_SYSTEM_ID",
    "EFS_VOLUME_ID",
];
/// Option names that hold the mount folder.
const DIR_OPTIONS: &[&str] = &["MOUNT_DIRECTORY", "EFS_MOUNT_DIR", "EFS_MOUNT_DIRECTORY"];

/// One EFS mount of EB's instances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EfsMount {
    /// The file system's id (`fs-…`), when the project names it.
    pub file_system_id: Option<String>,
    /// Where it was mounted (the container's mount path).
    pub path: String,
    /// Where the mount was found.
    pub source: Source,
}

/// The EFS mounts of the project, each reported.
pub fn mounts(ctx: &mut Ctx, settings: &EnvSettings, docs: &[SettingsDoc]) -> Vec<EfsMount> {
    let texts = mount_texts(docs);
    let option = |names: &[&str]| {
        settings
            .options
            .iter()
            .find(|((_, o), _)| names.iter().any(|n| o.eq_ignore_ascii_case(n)))
            .map(|(_, s)| (s.value.clone(), s.source.clone()))
    };
    let id_option = option(ID_OPTIONS);
    let Some(source) = texts
        .first()
        .map(|(s, _)| s.clone())
        .or_else(|| id_option.as_ref().map(|(_, s)| s.clone()))
    else {
        return Vec::new();
    };
    let from_command = texts.iter().find_map(|(_, t)| mount_command(t));
    let file_system_id = from_command
        .as_ref()
        .and_then(|(id, _)| id.clone())
        .or_else(|| id_option.as_ref().map(|(v, _)| v.clone()))
        .filter(|v| v.starts_with("fs-"));
    let path = option(DIR_OPTIONS)
        .map(|(v, _)| v)
        .or_else(|| from_command.and_then(|(_, p)| p))
        .filter(|p| p.starts_with('/'))
        .unwrap_or_else(|| "/efs".to_string());
    let mount = EfsMount {
        file_system_id,
        path,
        source,
    };
    report(ctx, &mount);
    vec![mount]
}

/// The texts of `.ebextensions` that mount EFS (`mount -t efs`, `amazon-efs-utils`), with
/// where each is.
fn mount_texts(docs: &[SettingsDoc]) -> Vec<(Source, String)> {
    let mut out = Vec::new();
    let efs = |t: &str| {
        t.contains("mount -t efs") || t.contains("amazon-efs-utils") || t.contains("efs-utils")
    };
    for d in docs.iter().filter(|d| d.layer == Layer::Ebextensions) {
        for p in d.packages.iter().filter(|p| p.name == "amazon-efs-utils") {
            out.push((
                Source::new(
                    d.file.as_str(),
                    format!("packages.{}.{}", p.manager, p.name),
                ),
                String::new(),
            ));
        }
        for f in &d.files {
            let text = f.content.clone().unwrap_or_default();
            if efs(&text) {
                out.push((
                    Source::new(d.file.as_str(), format!("files.{}", f.path)),
                    text,
                ));
            }
        }
        for (key, c) in d.commands.iter().map(|c| ("commands", c)).chain(
            d.container_commands
                .iter()
                .map(|c| ("container_commands", c)),
        ) {
            if let Some(CommandText::Shell(t)) = &c.command {
                if efs(t) {
                    out.push((
                        Source::new(d.file.as_str(), format!("{key}.{}", c.name)),
                        t.clone(),
                    ));
                }
            }
        }
    }
    // Texts with a mount command first: they say the most.
    out.sort_by_key(|(_, t)| !t.contains("mount -t efs"));
    out
}

/// The file system id and folder of a `mount -t efs [-o …] ID:/ DIR` line (each when literal).
fn mount_command(text: &str) -> Option<(Option<String>, Option<String>)> {
    let line = text.lines().find(|l| l.contains("mount -t efs"))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "efs")?;
    // `-o tls`: the option's value is not a positional argument.
    let mut positional = Vec::new();
    let mut skip = false;
    for w in &words[at + 1..] {
        if skip {
            skip = false;
            continue;
        }
        if *w == "-o" {
            skip = true;
            continue;
        }
        if !w.starts_with('-') {
            positional.push(*w);
        }
    }
    let id = positional
        .first()
        .map(|w| w.split(':').next().unwrap_or(w).to_string())
        .filter(|w| w.starts_with("fs-"));
    let dir = positional
        .get(1)
        .map(|w| w.to_string())
        .filter(|w| w.starts_with('/'));
    Some((id, dir))
}

/// The finding: what to add to the task definition, the task role and the security groups.
fn report(ctx: &mut Ctx, m: &EfsMount) {
    let id = m
        .file_system_id
        .clone()
        .unwrap_or_else(|| "fs-REPLACE_ME".to_string());
    let volume = serde_json::json!({"name": "efs", "efsVolumeConfiguration": {
        "fileSystemId": id, "rootDirectory": "/", "transitEncryption": "ENABLED",
        "authorizationConfig": {"iam": "ENABLED"}}});
    let mount =
        serde_json::json!({"sourceVolume": "efs", "containerPath": m.path, "readOnly": false});
    ctx.push(Finding::new(
        codes::EFS_MOUNT,
        Severity::Warning,
        m.source.clone(),
        format!(
            "EB's instances mounted the EFS file system {} at {}; the task does not mount it yet, so the application does not see those files",
            escape(&id),
            escape(&m.path)
        ),
        format!(
            "Add to the task definition the volume {} and to the application container the mount point {}; allow the task role elasticfilesystem:ClientMount and elasticfilesystem:ClientWrite on the file system's ARN; allow TCP 2049 from the tasks' security group to the security group of the file system's mount targets (aws ec2 authorize-security-group-ingress --group-id MOUNT_TARGET_SG --protocol tcp --port 2049 --source-group TASK_SG). Fargate needs platform version 1.4.0 or later.",
            escape(&volume.to_string()),
            escape(&mount.to_string())
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::tests_support::ctx;
    use crate::load::settings::{EbCommand, EbFile, EbPackage};
    use crate::model::LaunchType;

    /// The AWS sample storage-efs-mountfilesystem.config: the id and folder are options, the
    /// mount command reads them with get-config.
    #[test]
    fn the_aws_sample_is_found_with_its_options() {
        let mut d = crate::load::settings::test_doc(
            ".ebextensions/storage-efs-mountfilesystem.config",
            Layer::Ebextensions,
            &[
                (
                    "aws:elasticbeanstalk:application:environment",
                    "FILE_SYSTEM_ID",
                    "fs-0123abcd",
                ),
                (
                    "aws:elasticbeanstalk:application:environment",
                    "MOUNT_DIRECTORY",
                    "/efs",
                ),
            ],
        );
        d.packages = vec![EbPackage {
            manager: "yum".into(),
            name: "amazon-efs-utils".into(),
            version: String::new(),
        }];
        d.files = vec![EbFile {
            path: "/tmp/mount-efs.sh".into(),
            content: Some("EFS_FILE_SYSTEM_ID=$(/opt/elasticbeanstalk/bin/get-config environment -k FILE_SYSTEM_ID)\nmount -t efs -o tls $EFS_FILE_SYSTEM_ID:/ $EFS_MOUNT_DIR\n".into()),
            source: None,
            line: 0,
        }];
        let (settings, _) = crate::load::settings::merge(std::slice::from_ref(&d));
        let mut c = ctx(LaunchType::Fargate);
        let m = mounts(&mut c, &settings, &[d]);
        assert_eq!(m[0].file_system_id.as_deref(), Some("fs-0123abcd"));
        assert_eq!(m[0].path, "/efs");
        assert_eq!(m[0].source.location, "files./tmp/mount-efs.sh");
        assert!(c.findings[0]
            .action
            .contains("\"transitEncryption\":\"ENABLED\""));
    }

    #[test]
    fn a_literal_mount_command_names_id_and_folder() {
        let d = SettingsDoc {
            file: "a.config".into(),
            layer: Layer::Ebextensions,
            commands: vec![EbCommand {
                name: "01_mount".into(),
                command: Some(CommandText::Shell(
                    "mkdir -p /mnt/shared && mount -t efs -o tls fs-9f8e7d6c:/ /mnt/shared".into(),
                )),
                cwd: None,
                env: vec![],
                test: None,
                ignore_errors: false,
                leader_only: false,
                unknown: vec![],
            }],
            ..Default::default()
        };
        let mut c = ctx(LaunchType::Fargate);
        let m = mounts(&mut c, &EnvSettings::default(), &[d]);
        assert_eq!(m[0].file_system_id.as_deref(), Some("fs-9f8e7d6c"));
        assert_eq!(m[0].path, "/mnt/shared");
        let mut c = ctx(LaunchType::Fargate);
        assert!(mounts(&mut c, &EnvSettings::default(), &[]).is_empty());
    }
}
