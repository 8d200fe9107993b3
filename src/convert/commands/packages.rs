//! OS packages of EB's Amazon Linux instances (`yum`/`dnf` names, `.ebextensions` `packages:
//! yum:`) as the Debian packages the generated images install: one table, name for name.
//! A package that only made sense on the instance (agents, EFS tools, repositories) maps to
//! nothing on purpose; a name the table does not know is the caller's finding.

/// What becomes of one Amazon Linux package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Debian {
    /// These Debian packages (space-separated) install the same thing.
    Install(&'static str),
    /// Nothing to install in the image; the text says why.
    Skip(&'static str),
}

/// Amazon Linux (RPM) package names and their Debian counterparts. Names are compared
/// case-insensitively; a trailing version of PostgreSQL's client packages is ignored
/// (`postgresql93-devel` is `postgresql-devel`).
pub const TABLE: &[(&str, Debian)] = &[
    ("postgresql-devel", Debian::Install("libpq-dev")),
    ("postgresql-server-devel", Debian::Install("libpq-dev")),
    ("postgresql-libs", Debian::Install("libpq5")),
    ("postgresql", Debian::Install("postgresql-client")),
    ("libpq-devel", Debian::Install("libpq-dev")),
    ("mysql-devel", Debian::Install("default-libmysqlclient-dev")),
    (
        "mariadb-devel",
        Debian::Install("default-libmysqlclient-dev"),
    ),
    (
        "mariadb105-devel",
        Debian::Install("default-libmysqlclient-dev"),
    ),
    ("mysql", Debian::Install("default-mysql-client")),
    ("mariadb", Debian::Install("default-mysql-client")),
    ("imagemagick", Debian::Install("imagemagick")),
    ("imagemagick-devel", Debian::Install("libmagickwand-dev")),
    ("git", Debian::Install("git")),
    ("gcc", Debian::Install("gcc")),
    ("gcc-c++", Debian::Install("g++")),
    ("make", Debian::Install("make")),
    ("jq", Debian::Install("jq")),
    ("curl", Debian::Install("curl")),
    ("wget", Debian::Install("wget")),
    ("zip", Debian::Install("zip")),
    ("unzip", Debian::Install("unzip")),
    ("htop", Debian::Install("htop")),
    ("nodejs", Debian::Install("nodejs")),
    ("ghostscript", Debian::Install("ghostscript")),
    ("poppler-utils", Debian::Install("poppler-utils")),
    ("ffmpeg", Debian::Install("ffmpeg")),
    ("libjpeg-devel", Debian::Install("libjpeg-dev")),
    ("libjpeg-turbo-devel", Debian::Install("libjpeg-dev")),
    ("libpng-devel", Debian::Install("libpng-dev")),
    ("libwebp-devel", Debian::Install("libwebp-dev")),
    ("freetype-devel", Debian::Install("libfreetype-dev")),
    ("zlib-devel", Debian::Install("zlib1g-dev")),
    ("openssl-devel", Debian::Install("libssl-dev")),
    ("libffi-devel", Debian::Install("libffi-dev")),
    ("libxml2-devel", Debian::Install("libxml2-dev")),
    ("libxslt-devel", Debian::Install("libxslt1-dev")),
    ("libcurl-devel", Debian::Install("libcurl4-openssl-dev")),
    ("sqlite-devel", Debian::Install("libsqlite3-dev")),
    ("readline-devel", Debian::Install("libreadline-dev")),
    ("bzip2-devel", Debian::Install("libbz2-dev")),
    ("xz-devel", Debian::Install("liblzma-dev")),
    ("ncurses-devel", Debian::Install("libncurses-dev")),
    ("geos-devel", Debian::Install("libgeos-dev")),
    ("gdal-devel", Debian::Install("libgdal-dev")),
    ("proj-devel", Debian::Install("libproj-dev")),
    ("cairo-devel", Debian::Install("libcairo2-dev")),
    ("libmemcached-devel", Debian::Install("libmemcached-dev")),
    ("xmlsec1-devel", Debian::Install("libxmlsec1-dev")),
    ("python3-devel", Debian::Install("python3-dev")),
    ("libsodium-devel", Debian::Install("libsodium-dev")),
    ("gettext", Debian::Install("gettext")),
    ("tzdata", Debian::Install("tzdata")),
    (
        "amazon-efs-utils",
        Debian::Skip("mounted EFS on the instance; ECS mounts EFS volumes itself"),
    ),
    (
        "awslogs",
        Debian::Skip(
            "shipped the instance's logs; the awslogs log driver ships the container's output",
        ),
    ),
    (
        "amazon-cloudwatch-agent",
        Debian::Skip("an agent of the instance; ECS sends the task's logs and metrics"),
    ),
    (
        "epel-release",
        Debian::Skip("a package repository of Amazon Linux"),
    ),
    ("yum-plugin-versionlock", Debian::Skip("a yum plugin")),
    (
        "python3-dnf-plugin-versionlock",
        Debian::Skip("a dnf plugin"),
    ),
];

/// The Debian counterpart of an Amazon Linux package name (`None` when the table does not
/// know it). A version suffix (`git-2.40.1`) and `postgresqlNN` numbers are ignored.
pub fn debian(name: &str) -> Option<Debian> {
    let lower = name.trim().to_ascii_lowercase();
    let bare = strip_pg_version(&lower);
    let find = |n: &str| TABLE.iter().find(|(k, _)| *k == n).map(|(_, d)| *d);
    find(&bare).or_else(|| {
        // `git-2.40.1`, `ImageMagick-6.9`: the name before a version.
        let cut = bare
            .match_indices('-')
            .find(|(i, _)| bare[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
            .map(|(i, _)| &bare[..i])?;
        find(cut)
    })
}

/// `postgresql93-devel` → `postgresql-devel`, `postgresql15` → `postgresql`.
fn strip_pg_version(name: &str) -> String {
    match name.strip_prefix("postgresql") {
        Some(rest) => {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            format!("postgresql{}", &rest[digits..])
        }
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_with_versions_and_case_ignored() {
        assert_eq!(
            debian("postgresql-devel"),
            Some(Debian::Install("libpq-dev"))
        );
        assert_eq!(
            debian("postgresql93-devel"),
            Some(Debian::Install("libpq-dev"))
        );
        assert_eq!(
            debian("postgresql15-server-devel"),
            Some(Debian::Install("libpq-dev"))
        );
        assert_eq!(
            debian("postgresql15"),
            Some(Debian::Install("postgresql-client"))
        );
        assert_eq!(debian("ImageMagick"), Some(Debian::Install("imagemagick")));
        assert_eq!(debian("git-2.40.1"), Some(Debian::Install("git")));
        assert!(matches!(debian("amazon-efs-utils"), Some(Debian::Skip(_))));
        assert_eq!(debian("shibboleth-2.6.1"), None);
    }

    #[test]
    fn every_key_is_lower_case_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (k, _) in TABLE {
            assert_eq!(*k, k.to_ascii_lowercase());
            assert!(seen.insert(*k), "{k} twice");
        }
    }
}
