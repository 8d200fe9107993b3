//! What a WAR says about the servlet API it was compiled against: `javax.servlet` (Java EE, up
//! to Tomcat 9) or `jakarta.servlet` (Jakarta EE 9+, Tomcat 10 and later). A WAR is a zip; it
//! is read only, with limits on its size, its number of entries and the bytes read from it.
//! The evidence, strongest first: the compiled classes under `WEB-INF/classes` (their constant
//! pools name `javax/servlet/…` or `jakarta/servlet/…`), the `web.xml` schema, the names of the
//! JARs under `WEB-INF/lib` (`spring-web-6…`, `jakarta.servlet-api…`).

use std::io::Read;
use std::path::Path;

/// The servlet namespace of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Servlet {
    /// `javax.servlet`: Tomcat 9 or older.
    Javax,
    /// `jakarta.servlet`: Tomcat 10.1 or newer.
    Jakarta,
}

/// What was learnt from one WAR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct War {
    /// Its path in the project.
    pub path: String,
    /// Its servlet namespace and the entry that showed it, when one did.
    pub servlet: Option<(Servlet, String)>,
    /// Why nothing could be learnt (not a zip, empty, too big), when nothing was.
    pub unreadable: Option<String>,
}

/// Largest WAR opened.
const MAX_WAR: u64 = 512 << 20;
/// Most entries looked at.
const MAX_ENTRIES: usize = 20_000;
/// Most bytes of one entry read.
const MAX_ENTRY: u64 = 4 << 20;
/// Most bytes read from one WAR altogether.
const MAX_TOTAL: u64 = 64 << 20;

/// Read the WAR at `root/rel` (a symbolic link is not followed).
pub fn read(root: &Path, rel: &str) -> War {
    let war = |servlet, unreadable: Option<&str>| War {
        path: rel.to_string(),
        servlet,
        unreadable: unreadable.map(str::to_string),
    };
    let path = root.join(rel);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => m,
        _ => return war(None, Some("is not a regular file")),
    };
    if meta.len() > MAX_WAR {
        return war(None, Some("is larger than 512 MiB"));
    }
    let Ok(file) = std::fs::File::open(&path) else {
        return war(None, Some("cannot be opened"));
    };
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return war(None, Some("is not a zip archive (a placeholder?)"));
    };
    match servlet(&mut zip) {
        Some(found) => war(Some(found), None),
        None => war(
            None,
            Some(
                "has no servlet classes, web.xml or servlet library (an empty or placeholder WAR?)",
            ),
        ),
    }
}

/// The namespace the entries of `zip` show, strongest evidence first.
fn servlet<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Option<(Servlet, String)> {
    let names: Vec<String> = (0..zip.len().min(MAX_ENTRIES))
        .filter_map(|i| zip.name_for_index(i).map(str::to_string))
        .collect();
    let budget = std::cell::Cell::new(MAX_TOTAL);
    let mut read = |name: &str| -> Option<Vec<u8>> {
        let entry = zip.by_name(name).ok()?;
        let limit = entry.size().min(MAX_ENTRY).min(budget.get());
        let mut buf = Vec::new();
        entry.take(limit).read_to_end(&mut buf).ok()?;
        budget.set(budget.get() - buf.len() as u64);
        Some(buf)
    };
    for name in names
        .iter()
        .filter(|n| n.starts_with("WEB-INF/classes/") && n.ends_with(".class"))
    {
        if budget.get() == 0 {
            break;
        }
        if let Some(s) =
            read(name).and_then(|b| in_bytes(&b, b"javax/servlet/", b"jakarta/servlet/"))
        {
            return Some((s, name.clone()));
        }
    }
    if let Some(s) = read("WEB-INF/web.xml").and_then(|b| web_xml(&String::from_utf8_lossy(&b))) {
        return Some((s, "WEB-INF/web.xml".to_string()));
    }
    let libs = names.iter().filter_map(|n| n.strip_prefix("WEB-INF/lib/"));
    for lib in libs {
        if let Some(s) = library(lib) {
            return Some((s, format!("WEB-INF/lib/{lib}")));
        }
    }
    None
}

/// Which of two byte strings occurs in `bytes` (the first one found wins).
fn in_bytes(bytes: &[u8], javax: &[u8], jakarta: &[u8]) -> Option<Servlet> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if has(jakarta) {
        Some(Servlet::Jakarta)
    } else if has(javax) {
        Some(Servlet::Javax)
    } else {
        None
    }
}

/// The namespace a `web.xml` schema names: Jakarta EE's `https://jakarta.ee/xml/ns/jakartaee`
/// with version 5 or later is `jakarta`; Java EE's (`xmlns.jcp.org`, `java.sun.com`) and
/// Jakarta EE 4 (`version="4.0"`, still `javax`) are `javax`.
pub fn web_xml(text: &str) -> Option<Servlet> {
    if text.contains("jakarta.ee/xml/ns/jakartaee") {
        let old = ["version=\"4.0\"", "version='4.0'"];
        return Some(if old.iter().any(|v| text.contains(v)) {
            Servlet::Javax
        } else {
            Servlet::Jakarta
        });
    }
    let javaee = ["xmlns.jcp.org/xml/ns/javaee", "java.sun.com/xml/ns"];
    javaee
        .iter()
        .any(|ns| text.contains(ns))
        .then_some(Servlet::Javax)
}

/// A library name prefix, which major versions of it, and the namespace they imply.
type Rule = (&'static str, fn(u32) -> bool, Servlet);

/// The namespace a library of the WAR implies (`spring-web-6.1.2.jar` is `jakarta`).
pub fn library(name: &str) -> Option<Servlet> {
    let n = name.to_ascii_lowercase();
    let rules: [Rule; 6] = [
        ("jakarta.servlet-api-", |v| v >= 5, Servlet::Jakarta),
        ("jakarta.servlet-api-", |v| v < 5, Servlet::Javax),
        ("javax.servlet-api-", |_| true, Servlet::Javax),
        ("servlet-api-", |_| true, Servlet::Javax),
        ("spring-web-", |v| v >= 6, Servlet::Jakarta),
        ("spring-web-", |v| v <= 5, Servlet::Javax),
    ];
    rules.iter().find_map(|(prefix, ok, s)| {
        let rest = n.strip_prefix(prefix)?;
        let major: u32 = rest
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()?;
        ok(major).then_some(*s)
    })
}

/// The namespace a build file (pom.xml, build.gradle) or a Java source shows by the servlet API
/// it depends on or imports.
pub fn in_text(text: &str) -> Option<Servlet> {
    in_bytes(text.as_bytes(), b"javax.servlet", b"jakarta.servlet")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A WAR with the given entries.
    pub fn war_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, data) in entries {
            let opts = zip::write::SimpleFileOptions::default();
            zip.start_file(*name, opts).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    fn read_bytes(bytes: &[u8]) -> War {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ROOT.war"), bytes).unwrap();
        read(dir.path(), "ROOT.war")
    }

    #[test]
    fn classes_tell_the_namespace() {
        let class = b"\xca\xfe\xba\xbe...jakarta/servlet/http/HttpServlet...";
        let w = read_bytes(&war_bytes(&[("WEB-INF/classes/a/Hello.class", class)]));
        assert_eq!(
            w.servlet,
            Some((Servlet::Jakarta, "WEB-INF/classes/a/Hello.class".into()))
        );
        let class = b"\xca\xfe\xba\xbe...javax/servlet/http/HttpServlet...";
        let w = read_bytes(&war_bytes(&[("WEB-INF/classes/Hello.class", class)]));
        assert_eq!(w.servlet.map(|s| s.0), Some(Servlet::Javax));
    }

    #[test]
    fn web_xml_and_libraries_tell_the_namespace() {
        let xml = br#"<web-app xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="4.0"/>"#;
        let w = read_bytes(&war_bytes(&[("WEB-INF/web.xml", xml)]));
        assert_eq!(w.servlet.map(|s| s.0), Some(Servlet::Javax));
        let w = read_bytes(&war_bytes(&[("WEB-INF/lib/spring-web-6.1.2.jar", b"x")]));
        assert_eq!(w.servlet.map(|s| s.0), Some(Servlet::Jakarta));
        assert_eq!(library("spring-web-5.3.31.jar"), Some(Servlet::Javax));
        assert_eq!(
            library("jakarta.servlet-api-4.0.4.jar"),
            Some(Servlet::Javax)
        );
        assert_eq!(library("commons-io-2.11.jar"), None);
        assert_eq!(
            web_xml(r#"<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">"#),
            Some(Servlet::Jakarta)
        );
    }

    #[test]
    fn placeholders_are_said_so() {
        let w = read_bytes(b"not really a war\n");
        assert!(w.servlet.is_none());
        assert!(w.unreadable.unwrap().contains("not a zip"));
        let w = read_bytes(&war_bytes(&[("index.html", b"<p>hi</p>")]));
        assert!(w.unreadable.unwrap().contains("placeholder"));
    }
}
