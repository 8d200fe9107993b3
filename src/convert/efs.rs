//! EFS file systems EB's instances mounted: `.ebextensions` that install `amazon-efs-utils` or
//! run `mount -t efs` (the AWS sample `storage-efs-mountfilesystem.config`, hand-written
//! recipes), with the file system named by a `FILE_SYSTEM_ID` / `EFS_ID` option or in the mount
//! command, and the folder by `MOUNT_DIRECTORY` or the mount command. ECS mounts EFS itself
//! (Fargate platform 1.4+, EC2): each file system becomes a volume of the task definition
//! (`efsVolumeConfiguration`, transit encryption, IAM authorization) mounted in the application
//! container where EB mounted it; the stack and the Terraform module add the task role's
//! permissions and the mount targets' ingress on TCP 2049 (see `model::EfsMount`).

use super::Ctx;
use crate::codes;
use crate::ecs;
use crate::finding::{Finding, Severity, Source};
use crate::load::settings::{CommandText, EnvSettings, Layer, SettingsDoc};
pub use crate::model::EfsMount;
use crate::text::escape;

/// The file system id in `task-definition.json` when the project does not name it literally.
pub const FILE_SYSTEM_PLACEHOLDER: &str = "fs-REPLACE_ME";
/// The task definition's name of the EFS volume.
pub const VOLUME_NAME: &str = "efs";

/// Option names that hold the file system's id.
const ID_OPTIONS: &[&str] = &[
    "FILE_SYSTEM_ID",
    "EFS_ID",
    "EFS_FILE_SYSTEM_ID",
    "EFS_VOLUME_ID",
];
/// Option names that hold the mount folder.
const DIR_OPTIONS: &[&str] = &["MOUNT_DIRECTORY", "EFS_MOUNT_DIR", "EFS_MOUNT_DIRECTORY"];

/// The EFS mounts of the project (reported when [`attach`] adds them to the task).
pub fn mounts(settings: &EnvSettings, docs: &[SettingsDoc]) -> Vec<EfsMount> {
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
    vec![EfsMount {
        file_system_id,
        path,
        source,
    }]
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

/// Each mount as a volume of the task and a mount point of the application container (the
/// load-balanced one, else the first essential one), reported.
pub fn attach(
    ctx: &mut Ctx,
    mounts: &[EfsMount],
    app: Option<&str>,
    defs: &mut [ecs::ContainerDefinition],
    volumes: &mut Vec<ecs::Volume>,
) {
    for (i, m) in mounts.iter().enumerate() {
        let name = if i == 0 {
            VOLUME_NAME.to_string()
        } else {
            format!("{VOLUME_NAME}{}", i + 1)
        };
        volumes.push(ecs::Volume {
            name: name.clone(),
            host: None,
            efs: Some(ecs::EfsVolumeConfiguration {
                file_system_id: m
                    .file_system_id
                    .clone()
                    .unwrap_or_else(|| FILE_SYSTEM_PLACEHOLDER.to_string()),
                root_directory: None,
                transit_encryption: "ENABLED".to_string(),
                authorization_config: ecs::EfsAuthorization {
                    iam: "ENABLED".to_string(),
                },
            }),
        });
        let container = defs
            .iter()
            .position(|d| Some(d.name.as_str()) == app)
            .or_else(|| defs.iter().position(|d| d.essential))
            .or(if defs.is_empty() { None } else { Some(0) });
        if let Some(c) = container {
            defs[c].mount_points.push(ecs::MountPoint {
                source_volume: name,
                container_path: m.path.clone(),
                read_only: Some(false),
            });
        }
        report(ctx, m);
    }
}

/// The finding: what was carried, and what the user still supplies.
fn report(ctx: &mut Ctx, m: &EfsMount) {
    let platform = if ctx.launch_type == crate::model::LaunchType::Fargate {
        " Fargate mounts EFS from platform version 1.4.0 (LATEST is)."
    } else {
        " Container instances you bring (CreateCapacity=false) mount it themselves: admit their security group on TCP 2049 too."
    };
    let carried = "The task definition mounts it as an EFS volume (transit encryption, IAM authorization with the task role); the stack and the Terraform module allow the task role elasticfilesystem:ClientMount and elasticfilesystem:ClientWrite on it, and admit the service's security group on TCP 2049 to the security group you give as EfsSecurityGroupId (Terraform efs_security_group_id).";
    match &m.file_system_id {
        Some(id) => ctx.push(
            Finding::new(
                codes::EFS_MOUNT,
                Severity::Info,
                m.source.clone(),
                format!(
                    "EB's instances mounted the EFS file system {} at {}; the task mounts it there too",
                    escape(id),
                    escape(&m.path)
                ),
                format!("{carried}{platform} Give EfsSecurityGroupId, the security group of the file system's mount targets, or allow TCP 2049 from the service's security group to it yourself."),
            ),
        ),
        None => ctx.push(
            Finding::new(
                codes::EFS_MOUNT,
                Severity::Warning,
                m.source.clone(),
                format!(
                    "EB's instances mounted an EFS file system at {} whose id the project does not name literally; the task mounts it there once you give the id",
                    escape(&m.path)
                ),
                format!("{carried}{platform} Give the file system's id as the stack parameter EfsFileSystemId (Terraform efs_file_system_id; in task-definition.json replace {FILE_SYSTEM_PLACEHOLDER}), and EfsSecurityGroupId, the security group of its mount targets."),
            ),
        ),
    }
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
        let m = mounts(&settings, &[d]);
        assert_eq!(m[0].file_system_id.as_deref(), Some("fs-0123abcd"));
        assert_eq!(m[0].path, "/efs");
        assert_eq!(m[0].source.location, "files./tmp/mount-efs.sh");
        let mut c = ctx(LaunchType::Fargate);
        let mut defs = vec![ecs::ContainerDefinition {
            name: "app".into(),
            essential: true,
            ..Default::default()
        }];
        let mut volumes = Vec::new();
        attach(&mut c, &m, None, &mut defs, &mut volumes);
        let v = serde_json::to_value(&volumes[0]).unwrap();
        assert_eq!(v["efsVolumeConfiguration"]["fileSystemId"], "fs-0123abcd");
        assert_eq!(
            v["efsVolumeConfiguration"]["authorizationConfig"]["iam"],
            "ENABLED"
        );
        assert_eq!(defs[0].mount_points[0].container_path, "/efs");
        assert_eq!(c.findings[0].severity, Severity::Info);
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
        let m = mounts(&EnvSettings::default(), &[d]);
        assert_eq!(m[0].file_system_id.as_deref(), Some("fs-9f8e7d6c"));
        assert_eq!(m[0].path, "/mnt/shared");
        assert!(mounts(&EnvSettings::default(), &[]).is_empty());
    }
}
