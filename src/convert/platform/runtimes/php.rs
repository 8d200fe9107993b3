//! PHP: the official php:X-apache image on port 8080, EB's phpini options, dependencies from
//! a composer stage, and the document root EB served (the setting, else the framework's:
//! Laravel and Symfony `public/`, Drupal `web/`, composer's `extra` web root).

use super::*;

/// PHP extensions the official php image has.
#[rustfmt::skip]
const PHP_BUILTIN: &[&str] = &["ctype", "iconv", "json", "mbstring", "tokenizer", "xml", "dom", "curl", "openssl", "pdo", "pdo_sqlite", "sqlite3", "fileinfo", "filter", "hash", "session", "simplexml", "xmlwriter", "xmlreader", "zlib", "sodium", "phar", "posix", "readline", "libxml", "ftp", "mysqlnd", "pcre", "spl", "reflection", "standard"];

/// Extensions docker-php-ext-install builds, and the Debian packages (headers, which also pull
/// in the shared libraries) each needs.
#[rustfmt::skip]
const PHP_EXT: &[(&str, &[&str])] = &[
    ("pdo_mysql", &[]), ("mysqli", &[]), ("bcmath", &[]), ("opcache", &[]), ("exif", &[]),
    ("pcntl", &[]), ("sockets", &[]), ("calendar", &[]), ("gettext", &[]),
    ("pdo_pgsql", &["libpq-dev"]), ("pgsql", &["libpq-dev"]),
    ("gd", &["libpng-dev"]), ("zip", &["libzip-dev"]), ("intl", &["libicu-dev"]),
    ("xsl", &["libxslt1-dev"]), ("soap", &["libxml2-dev"]), ("gmp", &["libgmp-dev"]),
];

impl Gen<'_, '_> {
    pub(super) fn php(&mut self, v: &str) -> Vec<Stage> {
        let root = self.php_document_root();
        let ini = self.php_ini();
        let composer_opts = self
            .m
            .value(PHPINI, "composer_options")
            .unwrap_or("")
            .to_string();
        let mut stages = Vec::new();
        let docroot = if root.is_empty() {
            "/var/www/html".to_string()
        } else {
            format!("/var/www/html/{root}")
        };
        let mut lines = vec![format!("ENV APACHE_DOCUMENT_ROOT={docroot} PORT={}", self.port),
            "RUN sed -ri -e 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf /etc/apache2/apache2.conf && sed -ri -e 's/^Listen 80$/Listen 8080/' /etc/apache2/ports.conf && sed -ri -e 's/:80>/:8080>/' /etc/apache2/sites-available/000-default.conf && a2enmod rewrite".to_string(),
            format!("RUN printf '%s\\n' {} > /usr/local/etc/php/conf.d/elasticbeanstalk.ini", ini.iter().map(|l| format!("'{}'", l.replace('\'', ""))).collect::<Vec<_>>().join(" ")),
            "# keep idle connections open longer than the load balancer does".to_string(),
            format!("RUN printf 'KeepAliveTimeout %s\\n' {} > /etc/apache2/conf-available/keepalive.conf && a2enconf keepalive", self.idle_timeout() + 5),
            "WORKDIR /var/www/html".to_string(), "COPY --chown=www-data:www-data . .".to_string()];
        if self.p.has("composer.json") && !self.p.has("vendor/") {
            let lock = if self.p.has("composer.lock") {
                " composer.lock"
            } else {
                ""
            };
            let mut flags =
                "--no-dev --no-interaction --prefer-dist --no-scripts --ignore-platform-reqs"
                    .to_string();
            for f in composer_opts.split_whitespace() {
                if !flags.split(' ').any(|x| x == f) {
                    flags.push(' ');
                    flags.push_str(f);
                }
            }
            stages.push(stage(
                "composer:2".to_string(),
                Some("vendor"),
                vec![
                    "WORKDIR /app".to_string(),
                    format!("COPY composer.json{lock} ./"),
                    format!("RUN composer install {flags}"),
                ],
            ));
            lines.push(
                "COPY --from=vendor --chown=www-data:www-data /app/vendor ./vendor".to_string(),
            );
            lines.extend(self.php_extensions());
        }
        lines.extend(self.buildfile());
        let m = format!("EB served PHP with php-fpm behind nginx (or Apache); the image is the official php:{v}-apache, moved to port 8080 to run as www-data");
        self.finding(codes::PLATFORM_SERVER, Severity::Info, &self.d.from.clone(), m, "Check .htaccess rules and the document root; use php-fpm with an nginx container if you need EB's exact server.");
        lines.extend(self.tail(USER_WWW_DATA, None));
        stages.push(stage(format!("php:{v}-apache"), None, lines));
        stages
    }

    /// The document root, relative to the project: `document_root` of the settings, else the
    /// framework's, else the project root (EB's default).
    fn php_document_root(&mut self) -> String {
        if let Some(root) = self.m.value(PHPINI, "document_root") {
            return root.trim_matches('/').to_string();
        }
        let Some((root, why)) = self.framework_root() else {
            return String::new();
        };
        let m = format!("no document_root is set; {why}, so Apache serves /{root}");
        self.finding(codes::PLATFORM_SERVER, Severity::Info, "composer.json", m, "Check it is the folder EB served (aws:elasticbeanstalk:container:php:phpini document_root).");
        root
    }

    /// The web root the framework uses, and how that was told.
    fn framework_root(&self) -> Option<(String, String)> {
        let composer: serde_json::Value = self
            .p
            .text("composer.json")
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default();
        let extra = [
            "/extra/drupal-scaffold/locations/web-root",
            "/extra/web-root",
            "/extra/public-dir",
        ];
        for ptr in extra {
            if let Some(r) = composer.pointer(ptr).and_then(|v| v.as_str()) {
                let r = r.trim_start_matches("./").trim_matches('/');
                if !r.is_empty()
                    && !r.contains("..")
                    && r.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c))
                {
                    return Some((
                        r.to_string(),
                        format!("composer.json names it ({})", &ptr[1..].replace('/', ".")),
                    ));
                }
            }
        }
        let requires = |pkg: &str| {
            composer
                .pointer(&format!("/require/{}", pkg.replace('/', "~1")))
                .is_some()
        };
        let rules = [
            (
                "web",
                "web/index.php",
                "drupal/core-recommended",
                "a Drupal project (web/index.php)",
            ),
            (
                "public",
                "public/index.php",
                "laravel/framework",
                "a Laravel project (public/index.php)",
            ),
            (
                "public",
                "public/index.php",
                "symfony/framework-bundle",
                "a Symfony project (public/index.php)",
            ),
        ];
        rules.iter().find_map(|(root, index, pkg, why)| {
            (self.p.has(index)
                && (requires(pkg)
                    || self.p.has("artisan")
                    || self.p.has("bin/console")
                    || *root == "web"))
                .then(|| (root.to_string(), why.to_string()))
        })
    }

    /// The php.ini lines of EB's phpini options (memory_limit defaults to EB's 256M).
    fn php_ini(&self) -> Vec<String> {
        let mut ini = vec![format!(
            "memory_limit={}",
            self.m.value(PHPINI, "memory_limit").unwrap_or("256M")
        )];
        for opt in [
            "zlib.output_compression",
            "allow_url_fopen",
            "display_errors",
            "max_execution_time",
        ] {
            if let Some(x) = self.m.value(PHPINI, opt) {
                ini.push(format!("{opt}={x}"));
            }
        }
        ini
    }

    /// PHP extensions composer.json requires that the official image does not compile in.
    /// `docker-php-ext-install` for the extensions composer.json requires that the official
    /// image does not compile in, with the Debian headers each needs ([`PHP_EXT`]); a finding
    /// for those eb2ecs does not know.
    fn php_extensions(&mut self) -> Vec<String> {
        let json: Option<serde_json::Value> = self
            .p
            .text("composer.json")
            .and_then(|t| serde_json::from_str(t).ok());
        let Some(req) = json
            .as_ref()
            .and_then(|j| j.get("require")?.as_object().cloned())
        else {
            return Vec::new();
        };
        let missing: Vec<String> = req
            .keys()
            .filter_map(|k| k.strip_prefix("ext-"))
            .map(str::to_ascii_lowercase)
            .filter(|e| !PHP_BUILTIN.contains(&e.as_str()))
            .collect();
        let (known, unknown): (Vec<&String>, Vec<&String>) = missing
            .iter()
            .partition(|e| PHP_EXT.iter().any(|(x, _)| x == e));
        if !unknown.is_empty() {
            let list: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
            let m = format!(
                "composer.json requires PHP extension(s) {} that php:X-apache does not have and eb2ecs does not know how to build",
                list.join(", ")
            );
            self.finding(
                codes::PLATFORM_NATIVE_DEPS,
                Severity::Warning,
                "composer.json",
                m,
                "Add `RUN docker-php-ext-install …` (or pecl install) for them to the Dockerfile.",
            );
        }
        if known.is_empty() {
            return Vec::new();
        }
        let mut pkgs: Vec<&str> = known
            .iter()
            .flat_map(|e| {
                PHP_EXT
                    .iter()
                    .filter(move |(x, _)| x == e)
                    .flat_map(|(_, p)| p.iter().copied())
            })
            .collect();
        pkgs.sort_unstable();
        pkgs.dedup();
        let exts: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
        let m = format!("composer.json requires PHP extension(s) {}: the image builds them with docker-php-ext-install", exts.join(", "));
        self.finding(
            codes::PLATFORM_NATIVE_DEPS,
            Severity::Info,
            "composer.json",
            m,
            "Nothing to do.",
        );
        let install = format!("docker-php-ext-install {}", exts.join(" "));
        if pkgs.is_empty() {
            vec![format!("RUN {install}")]
        } else {
            let apt = super::native::apt(&pkgs);
            vec![apt.replace(" && rm -rf", &format!(" && {install} && rm -rf"))]
        }
    }
}
