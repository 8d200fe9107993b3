//! Writing artefacts: all files of a run or none, each atomically (temporary file + rename),
//! and never over a file a person edited since eb2ecs wrote it (unless forced).
//!
//! What eb2ecs wrote is remembered in `.eb2ecs-manifest.json` (a SHA-256 per file) in the
//! output folder.
//!
//! CHECKLIST.md is meant to be ticked: a checklist whose only changes are ticked boxes
//! (`- [x]`) is not an edited file, and the re-rendered checklist keeps the ticks. An item is
//! known by its id, the start of the SHA-256 of its text, so a tick follows its item wherever
//! the item moves; the manifest remembers the ticked ids too, so the ticks also survive a
//! `--force` over a really edited checklist, or a deleted one.

use crate::diff;
use crate::error::{Error, Result};
use crate::load::guard;
use crate::render::Artefact;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Name of the manifest in the output folder.
pub const MANIFEST: &str = ".eb2ecs-manifest.json";

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It did not exist.
    Created,
    /// eb2ecs had written it and nobody touched it since; now updated.
    Updated,
    /// Already had this content.
    Unchanged,
    /// A person had edited it; overwritten because of --force.
    Overwritten,
}

impl Status {
    /// Word for the summary.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Updated => "updated",
            Status::Unchanged => "unchanged",
            Status::Overwritten => "overwritten (--force)",
        }
    }
}

/// The state of one artefact against the disk, without writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// File name.
    pub name: &'static str,
    /// Content on disk, if the file exists (never read through a symbolic link).
    pub on_disk: Option<String>,
    /// Where the symbolic link in the artefact's place points: its target is someone else's
    /// file, so it is neither read nor shown, and `--force` replaces the link itself.
    pub link: Option<PathBuf>,
    /// Whether a person changed the file since eb2ecs wrote it (a symbolic link always counts).
    pub edited: bool,
    /// What eb2ecs writes when it is not the artefact's content: the checklist with the
    /// person's ticks kept.
    pub ticked: Option<String>,
}

impl Planned {
    /// The text eb2ecs writes for `artefact` (the ticked checklist, else the artefact's own).
    pub fn content<'a>(&'a self, artefact: &'a Artefact) -> &'a str {
        self.ticked.as_deref().unwrap_or(&artefact.content)
    }
}

/// What the manifest remembers: each file's SHA-256 as eb2ecs rendered it, and the ticked
/// items of each checklist.
#[derive(Debug, Default)]
struct Manifest {
    files: BTreeMap<String, String>,
    ticked: BTreeMap<String, BTreeSet<String>>,
}

/// Whether a person may tick boxes in the file without it counting as edited.
fn tickable(name: &str) -> bool {
    name == crate::render::checklist::CHECKLIST
        || name.ends_with(&format!("/{}", crate::render::checklist::CHECKLIST))
}

/// The id of a checklist item: the first 12 hex digits of the SHA-256 of its text.
fn item_id(text: &str) -> String {
    sha(text.trim_end().as_bytes())[..12].to_string()
}

/// A checklist line as (indent, ticked, item text), when it is an item.
fn item(line: &str) -> Option<(&str, bool, &str)> {
    let body = line.trim_start_matches(' ');
    let indent = &line[..line.len() - body.len()];
    let (ticked, text) = if let Some(t) = body.strip_prefix("- [ ] ") {
        (false, t)
    } else if let Some(t) = body
        .strip_prefix("- [x] ")
        .or_else(|| body.strip_prefix("- [X] "))
    {
        (true, t)
    } else {
        return None;
    };
    Some((indent, ticked, text))
}

/// `text` with every box unticked, and the ids of the items that were ticked.
fn untick(text: &str) -> (String, BTreeSet<String>) {
    let mut ids = BTreeSet::new();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match item(line) {
            Some((indent, true, rest)) => {
                ids.insert(item_id(rest));
                out.push_str(&format!("{indent}- [ ] {rest}"));
            }
            _ => out.push_str(line),
        }
    }
    (out, ids)
}

/// `text` with the items whose id is in `ids` ticked.
fn tick(text: &str, ids: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match item(line) {
            Some((indent, false, rest)) if ids.contains(&item_id(rest)) => {
                out.push_str(&format!("{indent}- [x] {rest}"));
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn sha(s: &[u8]) -> String {
    let d = Sha256::digest(s);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_manifest(dir: &Path) -> Manifest {
    let path = dir.join(MANIFEST);
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Manifest::default();
    }
    let Some(value) = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    else {
        return Manifest::default();
    };
    let field = |key: &str| value.get(key).cloned().unwrap_or_default();
    Manifest {
        files: serde_json::from_value(field("files")).unwrap_or_default(),
        ticked: serde_json::from_value(field("ticked")).unwrap_or_default(),
    }
}

/// Whether `bytes` on disk are what eb2ecs wrote as `a` (its manifest hash, or the same
/// content); for a checklist, once its ticks are taken out. The ticks found go into `ticks`.
fn eb2ecs_wrote(
    a: &Artefact,
    bytes: &[u8],
    manifest: &Manifest,
    ticks: &mut BTreeSet<String>,
) -> bool {
    if manifest.files.get(a.name) == Some(&sha(bytes)) {
        return true;
    }
    if !tickable(a.name) {
        return false;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let (plain, ids) = untick(text);
    let ours = plain == a.content || manifest.files.get(a.name) == Some(&sha(plain.as_bytes()));
    if ours {
        *ticks = ids;
    }
    ours
}

/// The output folder must be a folder or not exist yet (a dangling symbolic link, a file or a
/// FIFO in its place is named as what it is).
fn check_out_dir(dir: &Path) -> Result<()> {
    let what = match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            })
        }
        Ok(m) if m.file_type().is_symlink() => match std::fs::metadata(dir) {
            Ok(t) if t.is_dir() => return Ok(()),
            Ok(t) => format!("is a symbolic link to something that {}", guard::kind(&t)),
            Err(_) => "is a dangling symbolic link".to_string(),
        },
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(m) => guard::kind(&m).to_string(),
    };
    Err(Error::Usage(format!(
        "--out {}: {what}, not a folder eb2ecs can write into",
        dir.display()
    )))
}

/// What is at `path`: nothing, a regular file's bytes, or a symbolic link (not followed).
/// Anything else (a folder, a FIFO, a device) in the way of a file eb2ecs writes is an error.
fn on_disk(path: &Path) -> Result<Previous> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Previous::Absent),
        Ok(m) if m.file_type().is_symlink() => std::fs::read_link(path)
            .map(Previous::Link)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            }),
        Ok(m) if m.is_file() => std::fs::read(path)
            .map(Previous::Content)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            }),
        Ok(m) => Err(Error::Usage(format!(
            "{}: {}, in the way of a file eb2ecs writes; nothing was written",
            path.display(),
            guard::kind(&m)
        ))),
        Err(source) => Err(Error::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The folders of an artefact name (`terraform` of `terraform/main.tf`) must each be absent or a
/// real folder: a symbolic link there would write outside --out, a file there cannot hold one.
fn check_folders(dir: &Path, name: &str) -> Result<()> {
    let mut path = dir.to_path_buf();
    let mut parts: Vec<&str> = name.split('/').collect();
    parts.pop();
    for part in parts {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Ok(m) if m.is_dir() => {}
            Ok(m) => {
                let what = if m.file_type().is_symlink() {
                    "a symbolic link (not followed)"
                } else {
                    guard::kind(&m)
                };
                return Err(Error::Usage(format!(
                    "{}: {what}, in the way of the folder eb2ecs writes {name} into; nothing was written",
                    path.display()
                )));
            }
            Err(source) => return Err(Error::Io { path, source }),
        }
    }
    Ok(())
}

/// Create the folders of the artefacts (after every file is staged, before the first rename).
fn create_folders(dir: &Path, artefacts: &[Artefact]) -> Result<()> {
    for a in artefacts {
        if let Some((folder, _)) = a.name.rsplit_once('/') {
            let path = dir.join(folder);
            std::fs::create_dir_all(&path).map_err(|source| Error::Io { path, source })?;
        }
    }
    Ok(())
}

/// Compare each artefact with the output folder. Every destination (the manifest too) must be
/// absent, a regular file or a symbolic link, or this is an error.
pub fn plan(dir: &Path, artefacts: &[Artefact]) -> Result<Vec<Planned>> {
    check_out_dir(dir)?;
    on_disk(&dir.join(MANIFEST))?;
    let manifest = read_manifest(dir);
    let mut out = Vec::new();
    for a in artefacts {
        check_folders(dir, a.name)?;
        let (on_disk, link) = match on_disk(&dir.join(a.name))? {
            Previous::Absent => (None, None),
            Previous::Content(bytes) => (Some(bytes), None),
            Previous::Link(target) => (None, Some(target)),
        };
        let mut ticks = None;
        let edited = link.is_some()
            || match &on_disk {
                None => false,
                Some(bytes) if bytes.as_slice() == a.content.as_bytes() => false,
                Some(bytes) => {
                    let mut found = BTreeSet::new();
                    let ours = eb2ecs_wrote(a, bytes, &manifest, &mut found);
                    ticks = ours.then_some(found);
                    !ours
                }
            };
        // The ticks on disk when the checklist is eb2ecs's; else those the manifest remembers.
        let ticked = tickable(a.name)
            .then(|| ticks.or_else(|| manifest.ticked.get(a.name).cloned()))
            .flatten()
            .filter(|ids| !ids.is_empty())
            .map(|ids| tick(&a.content, &ids))
            .filter(|t| t != &a.content);
        out.push(Planned {
            name: a.name,
            on_disk: on_disk.map(|b| String::from_utf8_lossy(&b).into_owned()),
            link,
            edited,
            ticked,
        });
    }
    Ok(out)
}

/// Write all artefacts into `dir`, or none. Refuses (with the diff of each edited file) when a
/// file was edited by hand, unless `force`. Every destination is checked before the first
/// rename, and a failed rename puts back what the earlier ones replaced.
///
/// Crash safety: every file is staged in one staging folder (`.eb2ecs-stage-*`), then a journal
/// ([`JOURNAL`]) naming each staged file and its destination is written atomically, then the
/// files are renamed into place and the journal and the staging folder are removed. A run killed
/// before the journal exists leaves the old files (its staging folder is removed by the next
/// run); one killed after it is completed by the next run, which renames what is left. Either
/// way the folder never keeps a mix of old and new artefacts past the next run. When `dir` did
/// not exist and the write fails (a full disk), nothing is left behind, not even `dir`.
pub fn write_all(
    dir: &Path,
    artefacts: &[Artefact],
    force: bool,
) -> Result<Vec<(&'static str, Status)>> {
    check_out_dir(dir)?;
    if dir.is_dir() {
        recover(dir)?;
    }
    let planned = plan(dir, artefacts)?;
    let edited: Vec<&Planned> = planned.iter().filter(|p| p.edited).collect();
    if !edited.is_empty() && !force {
        return Err(refusal(dir, artefacts, &edited));
    }
    let created = first_missing(dir);
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let result = stage_and_switch(dir, artefacts, &planned);
    if result.is_err() {
        // Nothing of this run stays behind: a folder it created is removed again.
        if let Some(top) = created {
            let _ = std::fs::remove_dir_all(top);
        }
    }
    result
}

/// Stage every changed file and the manifest in one staging folder, write the journal, rename
/// them into place; on a failure the staging folder (and journal) are removed.
fn stage_and_switch(
    dir: &Path,
    artefacts: &[Artefact],
    planned: &[Planned],
) -> Result<Vec<(&'static str, Status)>> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(dir)
        .map_err(io(dir))?;
    let mut moves: Vec<(String, String)> = Vec::new();
    let mut statuses = Vec::new();
    let mut files: Vec<(&str, &[u8])> = Vec::new();
    for (a, p) in artefacts.iter().zip(planned) {
        let status = status(a, p);
        statuses.push((a.name, status));
        if status != Status::Unchanged {
            files.push((a.name, p.content(a).as_bytes()));
        }
    }
    let manifest_text = manifest_text(artefacts, planned)?;
    files.push((MANIFEST, manifest_text.as_bytes()));
    for (i, (name, bytes)) in files.iter().enumerate() {
        let staged = staging.path().join(i.to_string());
        failpoint("stage", i)
            .and_then(|()| write_synced(&staged, bytes))
            .map_err(io(&staged))?;
        moves.push((i.to_string(), name.to_string()));
    }
    let staging_name = staging
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    create_folders(dir, artefacts)?;
    write_journal(dir, &staging_name, &moves)?;
    let staged: Vec<(PathBuf, PathBuf)> = moves
        .iter()
        .map(|(from, to)| (staging.path().join(from), dir.join(to)))
        .collect();
    let mut renamed = 0;
    let journal = dir.join(JOURNAL);
    let result = commit(staged, |from, dest| {
        let r = failpoint("rename", renamed).and_then(|()| std::fs::rename(from, dest));
        renamed += 1;
        if r.is_err() {
            // Before anything is put back: a crash during that must not complete the switch.
            let _ = std::fs::remove_file(&journal);
        }
        r
    });
    let _ = std::fs::remove_file(&journal);
    drop(staging);
    result.map(|()| statuses)
}

/// Name of the journal of an unfinished switch in the output folder.
pub const JOURNAL: &str = ".eb2ecs-journal.json";

/// Prefix of the staging folder of a run (removed by the next run when a crash left it).
const STAGING_PREFIX: &str = ".eb2ecs-stage-";

/// Write `bytes` to a new file at `path` and flush it to the disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Write the journal atomically (a temporary file renamed over it): once it exists, every
/// staged file is complete on the disk.
fn write_journal(dir: &Path, staging: &str, moves: &[(String, String)]) -> Result<()> {
    let text = serde_json::json!({"staging": staging, "moves": moves}).to_string();
    let tmp = stage(dir, text.as_bytes())?;
    tmp.persist(dir.join(JOURNAL)).map_err(|e| Error::Io {
        path: dir.join(JOURNAL),
        source: e.error,
    })?;
    Ok(())
}

/// Finish what a killed run left: complete the switch its journal describes (rename each staged
/// file still there into place), then remove every staging folder and temporary file of an
/// earlier run.
fn recover(dir: &Path) -> Result<()> {
    let journal = dir.join(JOURNAL);
    if std::fs::symlink_metadata(&journal).is_ok_and(|m| m.is_file()) {
        let parsed = std::fs::read_to_string(&journal)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
        if let Some(v) = parsed {
            complete(dir, &v)?;
        }
        std::fs::remove_file(&journal).map_err(|source| Error::Io {
            path: journal.clone(),
            source,
        })?;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !is_leftover(&name) {
            continue;
        }
        let path = e.path();
        let removed = match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
        removed.map_err(|source| Error::Io { path, source })?;
    }
    Ok(())
}

/// Prefix of a temporary file (the journal's, a file put back after a failed rename).
const TMP_PREFIX: &str = ".eb2ecs-tmp-";

/// Whether a name in the output folder is a staging folder or temporary file of a run: ours
/// (`.eb2ecs-stage-*`, `.eb2ecs-tmp-*`), or one of the `.eb2ecs-XXXXXX` temporary files earlier
/// versions staged in (six random letters and digits, at least one of them a digit or a capital,
/// so a person's `.eb2ecs-config` is never taken for one).
fn is_leftover(name: &str) -> bool {
    if name.starts_with(STAGING_PREFIX) || name.starts_with(TMP_PREFIX) {
        return true;
    }
    let Some(rest) = name.strip_prefix(".eb2ecs-") else {
        return false;
    };
    rest.len() == 6
        && rest.chars().all(|c| c.is_ascii_alphanumeric())
        && rest
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

/// Rename each staged file the journal names into place (those already moved are gone from
/// the staging folder). Only plain names inside `dir` are followed.
fn complete(dir: &Path, journal: &serde_json::Value) -> Result<()> {
    let Some(staging) = journal["staging"]
        .as_str()
        .filter(|s| s.starts_with(STAGING_PREFIX) && !s.contains(['/', '\\']))
    else {
        return Ok(());
    };
    let moves = journal["moves"].as_array().cloned().unwrap_or_default();
    for m in moves {
        let (Some(from), Some(to)) = (m[0].as_str(), m[1].as_str()) else {
            continue;
        };
        let safe = |p: &str| {
            !p.is_empty() && !p.starts_with('/') && !p.split('/').any(|c| c.is_empty() || c == "..")
        };
        let src = dir.join(staging).join(from);
        if !safe(from) || !safe(to) || !src.is_file() {
            continue;
        }
        let dest = dir.join(to);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::rename(&src, &dest).map_err(|source| Error::Io { path: dest, source })?;
    }
    Ok(())
}

/// The topmost folder of `dir` that does not exist yet (what this run would create).
fn first_missing(dir: &Path) -> Option<PathBuf> {
    let mut missing = None;
    for a in dir.ancestors() {
        if a.as_os_str().is_empty() || a.exists() {
            break;
        }
        missing = Some(a.to_path_buf());
    }
    missing
}

/// A failure injected at a named point of a write, in debug builds only, for the crash and
/// full-disk tests: `EB2ECS_FAILPOINT=stage:N` fails the Nth staged file as a full disk would,
/// `crash-stage:N` and `crash-rename:N` kill the process there (as `kill -9` would: nothing is
/// cleaned up).
fn failpoint(point: &str, n: usize) -> std::io::Result<()> {
    #[cfg(debug_assertions)]
    if let Ok(spec) = std::env::var("EB2ECS_FAILPOINT") {
        if spec == format!("crash-{point}:{n}") {
            std::process::abort();
        }
        if spec == format!("{point}:{n}") {
            return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
        }
    }
    let _ = (point, n);
    Ok(())
}

/// What a destination held before this run, to put back if a later rename fails.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Previous {
    Absent,
    Content(Vec<u8>),
    Link(PathBuf),
}

/// Rename each staged file into place; when one fails, put back what the earlier ones replaced
/// (in reverse order) and report the failure.
fn commit<T>(
    staged: Vec<(T, PathBuf)>,
    mut rename: impl FnMut(T, &Path) -> std::io::Result<()>,
) -> Result<()> {
    let mut previous = Vec::new();
    for (_, dest) in &staged {
        previous.push((dest.clone(), on_disk(dest)?));
    }
    for (i, (tmp, dest)) in staged.into_iter().enumerate() {
        if let Err(source) = rename(tmp, &dest) {
            let mut msg = format!("{}: {source}", dest.display());
            for (path, prev) in previous[..i].iter().rev() {
                if let Err(e) = restore(path, prev) {
                    msg.push_str(&format!(
                        "; and {} could not be put back: {e}",
                        path.display()
                    ));
                }
            }
            return Err(Error::Usage(format!(
                "{msg}; the files already written were put back as they were"
            )));
        }
    }
    Ok(())
}

/// Put `path` back as it was before this run.
fn restore(path: &Path, prev: &Previous) -> std::io::Result<()> {
    match prev {
        Previous::Absent => std::fs::remove_file(path),
        Previous::Content(bytes) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            let tmp = stage(dir, bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
            tmp.persist(path).map(|_| ()).map_err(|e| e.error)
        }
        Previous::Link(target) => {
            std::fs::remove_file(path)?;
            #[cfg(unix)]
            return std::os::unix::fs::symlink(target, path);
            #[cfg(not(unix))]
            return Err(std::io::Error::other(format!(
                "was a symbolic link to {}",
                target.display()
            )));
        }
    }
}

/// The error for files edited by hand, with a diff of each, so the person sees what they would
/// lose.
fn refusal(dir: &Path, artefacts: &[Artefact], edited: &[&Planned]) -> Error {
    let mut msg = format!(
        "refusing to overwrite {} in {}: changed since eb2ecs wrote {} (or not written by eb2ecs); nothing was written.\n",
        edited.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
        dir.display(),
        if edited.len() == 1 { "it" } else { "them" }
    );
    for p in edited {
        if let Some(target) = &p.link {
            msg.push_str(&format!(
                "{} is a symbolic link (to {}): what it points to is not eb2ecs's file, so it is not shown; --force replaces the link itself, not its target.\n",
                p.name,
                target.display()
            ));
            continue;
        }
        let new = artefacts
            .iter()
            .find(|a| a.name == p.name)
            .map_or("", |a| p.content(a));
        msg.push_str(&diff::unified(
            p.on_disk.as_deref().unwrap_or(""),
            new,
            &format!("{} (on disk)", p.name),
            &format!("{} (eb2ecs)", p.name),
        ));
    }
    msg.push_str("Keep your edits by moving the file(s) away or merging them into the input, or run again with --force to overwrite them.");
    Error::Edited(msg)
}

fn status(a: &Artefact, p: &Planned) -> Status {
    match (&p.on_disk, p.edited) {
        (None, true) => Status::Overwritten,
        (None, false) => Status::Created,
        (Some(d), _) if d == p.content(a) => Status::Unchanged,
        (Some(_), true) => Status::Overwritten,
        (Some(_), false) => Status::Updated,
    }
}

/// The manifest of this run: every artefact's SHA-256 as rendered (unticked), including the
/// unchanged ones, and the ids of the items ticked in each checklist.
fn manifest_text(artefacts: &[Artefact], planned: &[Planned]) -> Result<String> {
    let mut files = BTreeMap::new();
    let mut ticked = BTreeMap::new();
    for (a, p) in artefacts.iter().zip(planned) {
        files.insert(a.name.to_string(), sha(a.content.as_bytes()));
        if let Some(text) = &p.ticked {
            ticked.insert(a.name.to_string(), untick(text).1);
        }
    }
    let mut wrapper = serde_json::Map::new();
    wrapper.insert("files".into(), serde_json::json!(files));
    if !ticked.is_empty() {
        wrapper.insert("ticked".into(), serde_json::json!(ticked));
    }
    Ok(
        serde_json::to_string_pretty(&wrapper).map_err(|e| Error::Bug(format!("manifest: {e}")))?
            + "\n",
    )
}

fn stage(dir: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let io = |source| Error::Io {
        path: PathBuf::from(dir),
        source,
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(TMP_PREFIX);
    // A temporary file is created 0600; the files eb2ecs writes are ordinary project files, so
    // they get the mode any new file gets (0666 less the umask: 0644 by default).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    Ok(tmp)
}

/// Write one file atomically (temporary file in the same folder + rename), creating folders.
pub fn write_one(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let tmp = stage(dir, text.as_bytes())?;
    tmp.persist(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ticks are taken out and put back by item, whatever else moved.
    #[test]
    fn ticks_follow_their_items() {
        let text = "# C\n\n- [ ] one\n- [x] two\n  - [X] three\nnot - [x] an item\n";
        let (plain, ids) = untick(text);
        assert_eq!(
            plain,
            "# C\n\n- [ ] one\n- [ ] two\n  - [ ] three\nnot - [x] an item\n"
        );
        assert_eq!(ids.len(), 2);
        let moved = "# C\n\n- [ ] new\n  - [ ] three\n- [ ] two\n";
        assert_eq!(
            tick(moved, &ids),
            "# C\n\n- [ ] new\n  - [x] three\n- [x] two\n"
        );
    }

    /// A checklist whose only changes are ticks is eb2ecs's; the next run keeps the ticks, and
    /// the manifest remembers them when a real edit is overwritten with --force.
    #[test]
    fn ticked_checklists_are_not_edited_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let v1 = [Artefact {
            name: "CHECKLIST.md",
            content: "- [ ] a\n- [ ] b\n".into(),
        }];
        write_all(dir, &v1, false).unwrap();
        let path = dir.join("CHECKLIST.md");
        std::fs::write(&path, "- [x] a\n- [ ] b\n").unwrap();
        let v2 = [Artefact {
            name: "CHECKLIST.md",
            content: "- [ ] b\n- [ ] c\n- [ ] a\n".into(),
        }];
        let statuses = write_all(dir, &v2, false).unwrap();
        assert_eq!(statuses[0].1, Status::Updated);
        let kept = std::fs::read_to_string(&path).unwrap();
        assert_eq!(kept, "- [ ] b\n- [ ] c\n- [x] a\n");
        assert_eq!(write_all(dir, &v2, false).unwrap()[0].1, Status::Unchanged);
        std::fs::write(&path, "- [x] a\n- [ ] b, my note\n").unwrap();
        assert!(
            write_all(dir, &v2, false).is_err(),
            "a real edit is refused"
        );
        write_all(dir, &v2, true).unwrap();
        let forced = std::fs::read_to_string(&path).unwrap();
        assert_eq!(forced, "- [ ] b\n- [ ] c\n- [x] a\n", "remembered ticks");
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_rename_puts_back_what_earlier_ones_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("a"), "old a").unwrap();
        std::os::unix::fs::symlink("elsewhere", dir.join("l")).unwrap();
        let staged = vec![
            ("new a", dir.join("a")),
            ("new b", dir.join("b")),
            ("new l", dir.join("l")),
            ("new c", dir.join("c")),
        ];
        let err = commit(staged, |text, dest| {
            if dest.ends_with("c") {
                return Err(std::io::Error::other("disk full"));
            }
            std::fs::remove_file(dest).ok();
            std::fs::write(dest, text)
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("c: disk full"), "{err}");
        assert!(err.ends_with("the files already written were put back as they were"));
        assert_eq!(std::fs::read_to_string(dir.join("a")).unwrap(), "old a");
        assert!(!dir.join("b").exists());
        assert_eq!(
            std::fs::read_link(dir.join("l")).unwrap(),
            PathBuf::from("elsewhere")
        );
        assert!(!dir.join("c").exists());
    }

    #[test]
    fn leftovers_of_killed_runs_are_known_by_name() {
        for yes in [
            ".eb2ecs-stage-a1B2c3",
            ".eb2ecs-tmp-x",
            ".eb2ecs-Ab12xZ",
            ".eb2ecs-abc123",
        ] {
            assert!(is_leftover(yes), "{yes}");
        }
        for no in [
            MANIFEST,
            JOURNAL,
            ".eb2ecs-config",
            ".eb2ecs-abcdefg",
            "x.eb2ecs-Ab12xZ",
        ] {
            assert!(!is_leftover(no), "{no}");
        }
    }

    #[test]
    fn a_folder_in_the_way_is_refused_before_anything_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join(MANIFEST)).unwrap();
        let artefacts = [Artefact {
            name: "a.json",
            content: "{}\n".into(),
        }];
        let err = write_all(tmp.path(), &artefacts, true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is a directory, in the way"), "{err}");
        assert!(!tmp.path().join("a.json").exists());
    }
}
