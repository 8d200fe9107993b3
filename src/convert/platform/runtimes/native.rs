//! Dependencies that compile native code or load shared libraries, as data: the Debian
//! packages their build needs (installed in a builder stage) and the shared libraries they load
//! at run time (installed in the slim runtime stage). EB's Amazon Linux instances had these from
//! the platform or from `packages:` in `.ebextensions`; the slim official images do not.

/// The package manager a dependency comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eco {
    /// PyPI (requirements.txt, Pipfile).
    Python,
    /// RubyGems (Gemfile, Gemfile.lock).
    Ruby,
    /// npm (package.json).
    Node,
}

/// One dependency with native needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Native {
    /// Where it comes from.
    pub eco: Eco,
    /// Its name, lower case.
    pub name: &'static str,
    /// Debian packages its build needs (a compiler, headers).
    pub build: &'static [&'static str],
    /// Debian packages it loads at run time.
    pub runtime: &'static [&'static str],
}

const CC: &[&str] = &["build-essential"];

/// Every dependency eb2ecs knows to need system packages (Debian bookworm names).
#[rustfmt::skip]
pub const NATIVE: &[Native] = &[
    Native { eco: Eco::Python, name: "psycopg2", build: &["build-essential", "libpq-dev"], runtime: &["libpq5"] },
    Native { eco: Eco::Python, name: "mysqlclient", build: &["build-essential", "default-libmysqlclient-dev", "pkg-config"], runtime: &["libmariadb3"] },
    Native { eco: Eco::Python, name: "python-ldap", build: &["build-essential", "libldap2-dev", "libsasl2-dev"], runtime: &["libldap-2.5-0", "libsasl2-2"] },
    Native { eco: Eco::Python, name: "pyodbc", build: &["build-essential", "unixodbc-dev"], runtime: &["unixodbc"] },
    Native { eco: Eco::Python, name: "pycurl", build: &["build-essential", "libcurl4-openssl-dev", "libssl-dev"], runtime: &["libcurl4"] },
    Native { eco: Eco::Python, name: "uwsgi", build: CC, runtime: &[] },
    Native { eco: Eco::Python, name: "pillow", build: &["build-essential", "libjpeg62-turbo-dev", "zlib1g-dev"], runtime: &["libjpeg62-turbo", "zlib1g"] },
    Native { eco: Eco::Python, name: "lxml", build: &["build-essential", "libxml2-dev", "libxslt1-dev"], runtime: &["libxml2", "libxslt1.1"] },
    Native { eco: Eco::Ruby, name: "pg", build: &["libpq-dev"], runtime: &["libpq5"] },
    Native { eco: Eco::Ruby, name: "mysql2", build: &["default-libmysqlclient-dev"], runtime: &["libmariadb3"] },
    Native { eco: Eco::Ruby, name: "sqlite3", build: &["libsqlite3-dev"], runtime: &["libsqlite3-0"] },
    Native { eco: Eco::Ruby, name: "nokogiri", build: &["libxml2-dev", "libxslt1-dev"], runtime: &["libxml2", "libxslt1.1"] },
    Native { eco: Eco::Ruby, name: "ffi", build: &["libffi-dev"], runtime: &["libffi8"] },
    Native { eco: Eco::Ruby, name: "rmagick", build: &["libmagickwand-dev"], runtime: &["imagemagick"] },
    Native { eco: Eco::Ruby, name: "bcrypt", build: &[], runtime: &[] },
    Native { eco: Eco::Ruby, name: "puma", build: &[], runtime: &[] },
    Native { eco: Eco::Ruby, name: "nio4r", build: &[], runtime: &[] },
    Native { eco: Eco::Node, name: "bcrypt", build: &["python3", "make", "g++"], runtime: &[] },
    Native { eco: Eco::Node, name: "argon2", build: &["python3", "make", "g++"], runtime: &[] },
    Native { eco: Eco::Node, name: "sqlite3", build: &["python3", "make", "g++"], runtime: &[] },
    Native { eco: Eco::Node, name: "better-sqlite3", build: &["python3", "make", "g++"], runtime: &[] },
    Native { eco: Eco::Node, name: "canvas", build: &["python3", "make", "g++", "libcairo2-dev", "libpango1.0-dev", "libjpeg62-turbo-dev", "libgif-dev"], runtime: &["libcairo2", "libpango-1.0-0", "libpangocairo-1.0-0", "libjpeg62-turbo", "libgif7"] },
    Native { eco: Eco::Node, name: "node-sass", build: &["python3", "make", "g++"], runtime: &[] },
];

/// The known native dependencies among `names` (lower case), in table order.
pub fn find(eco: Eco, names: &[String]) -> Vec<&'static Native> {
    NATIVE
        .iter()
        .filter(|n| n.eco == eco && names.iter().any(|x| x == n.name))
        .collect()
}

/// The packages of `natives` of one kind, sorted, without repeats.
pub fn packages(natives: &[&Native], build: bool) -> Vec<&'static str> {
    let mut out: Vec<&str> = natives
        .iter()
        .flat_map(|n| if build { n.build } else { n.runtime }.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// One `RUN` line installing Debian packages and cleaning the lists.
pub fn apt(pkgs: &[&str]) -> String {
    format!(
        "RUN apt-get update && apt-get install -y --no-install-recommends {} && rm -rf /var/lib/apt/lists/*",
        pkgs.join(" ")
    )
}

/// The requirement names of a requirements.txt (or Pipfile `[packages]` keys), lower case.
pub fn python_names(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('-') && !l.starts_with('['))
        .filter_map(|l| {
            let name: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
                .collect();
            (!name.is_empty()).then(|| name.to_ascii_lowercase().replace('_', "-"))
        })
        .collect()
}

/// The gem names of a Gemfile (`gem "pg"`) and of a Gemfile.lock's specs, lower case.
pub fn gem_names(gemfile: &str, lock: &str) -> Vec<String> {
    let mut out: Vec<String> = gemfile
        .lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("gem ")?;
            let q = rest
                .trim_start()
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')?;
            let body = &rest.trim_start()[1..];
            Some(body[..body.find(q)?].to_ascii_lowercase())
        })
        .collect();
    // Lock specs are indented four spaces: `    pg (1.5.4)`.
    out.extend(lock.lines().filter_map(|l| {
        let name = l.strip_prefix("    ")?.split(' ').next()?;
        (!name.starts_with(' ') && !name.is_empty()).then(|| name.to_ascii_lowercase())
    }));
    out.sort();
    out.dedup();
    out
}

/// The dependency names of a package.json (`dependencies`, and `devDependencies` when they
/// are installed).
pub fn node_names(pkg: &serde_json::Value, dev: bool) -> Vec<String> {
    let mut keys = vec!["dependencies"];
    if dev {
        keys.push("devDependencies");
    }
    keys.iter()
        .filter_map(|k| pkg.get(*k)?.as_object())
        .flat_map(|o| o.keys().map(|k| k.to_ascii_lowercase()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_name_native_dependencies() {
        let py = python_names("Django==4.2\npsycopg2>=2.9 # db\n-r base.txt\nPillow\n");
        let found = find(Eco::Python, &py);
        assert_eq!(
            found.iter().map(|n| n.name).collect::<Vec<_>>(),
            vec!["psycopg2", "pillow"]
        );
        assert_eq!(
            packages(&found, false),
            vec!["libjpeg62-turbo", "libpq5", "zlib1g"]
        );
        let gems = gem_names(
            "gem 'rails'\ngem \"pg\", \"~> 1.5\"\n",
            "GEM\n  specs:\n    nokogiri (1.16.0)\n      racc (~> 1.4)\n",
        );
        let found = find(Eco::Ruby, &gems);
        assert_eq!(
            found.iter().map(|n| n.name).collect::<Vec<_>>(),
            vec!["pg", "nokogiri"]
        );
        let pkg: serde_json::Value = serde_json::from_str(
            r#"{"dependencies":{"bcrypt":"5"},"devDependencies":{"canvas":"2"}}"#,
        )
        .unwrap();
        assert_eq!(find(Eco::Node, &node_names(&pkg, false)).len(), 1);
        assert_eq!(find(Eco::Node, &node_names(&pkg, true)).len(), 2);
        assert!(apt(&["libpq5"]).contains("--no-install-recommends libpq5 && rm -rf"));
    }
}
