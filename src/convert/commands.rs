//! When and where each command EB ran belongs now. `.ebextensions` `commands` and
//! `container_commands`, `.platform/hooks` scripts and Buildfile lines each ran on EB's
//! instance at some step of a deployment; on ECS there is no instance of yours, so each is
//! classified by [`classify`] — a pure function of the command's text and its origin — with
//! the rule table [`RULES`] (printed as `docs/commands.md`, a test keeps them equal):
//!
//! - **build-time** (installs, asset compilation, copies inside the application folder): a
//!   `RUN` line of the image (`place` inserts it into a generated Dockerfile);
//! - **release-time** (migrations, `leader_only`): the one-off task, once per deployment;
//! - **instance-only** (services, `sudo`, `yum`, `get-config`, sysctl, swap, agents, mounts):
//!   translated where a translation exists, else dropped with a finding saying what replaces it;
//! - **unknown**: a warning that asks the person to place it.
//!
//! A command is split into its simple commands (`&&`, `;`, new lines); each part is matched,
//! parts that only prepared EB's shell (activating EB's virtualenv, exporting `get-config`'s
//! output) are dropped, and the strongest class of the parts decides the whole.

pub mod cron;
pub mod packages;
pub mod place;

use std::fmt::Write as _;

/// When and where a command runs after the migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Prepared only EB's instance or shell: dropped (or translated), never run.
    Instance,
    /// Part of building the image: a `RUN` line.
    Build,
    /// eb2ecs cannot tell: a person places it.
    Unknown,
    /// Needs the running application's environment (its database): the one-off task.
    Release,
}

impl Class {
    /// The class as the docs and findings name it.
    pub fn label(self) -> &'static str {
        match self {
            Class::Instance => "instance-only",
            Class::Build => "build-time",
            Class::Unknown => "unknown",
            Class::Release => "release-time",
        }
    }
}

/// Where EB ran a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `.ebextensions` `commands`: on the instance, before the application was extracted.
    Commands,
    /// `.ebextensions` `container_commands`, with `leader_only`.
    ContainerCommands {
        /// `leader_only: true`: once per deployment.
        leader_only: bool,
    },
    /// A `.platform/hooks/<stage>` or `.platform/confighooks/<stage>` script.
    Hook,
    /// A Buildfile line: built the application on the instance.
    Buildfile,
}

/// How a rule recognises a simple command (lower-cased, after `sudo` and `VAR=value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The command starts with these words.
    Starts(&'static str),
    /// The command contains this text anywhere.
    Contains(&'static str),
}

/// One row of the rule table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The class a matching command has (`None`: the part only prepared EB's shell and is
    /// dropped without deciding anything).
    pub class: Option<Class>,
    /// How the command is recognised.
    pub matcher: Match,
    /// What the command did on EB, in a phrase.
    pub did: &'static str,
    /// What replaces it on ECS, in a phrase.
    pub instead: &'static str,
    /// A real example (from the corpus of EB projects).
    pub example: &'static str,
}

const fn rule(
    class: Option<Class>,
    matcher: Match,
    did: &'static str,
    instead: &'static str,
    example: &'static str,
) -> Rule {
    Rule {
        class,
        matcher,
        did,
        instead,
        example,
    }
}

use Class::{Build, Instance, Release};
use Match::{Contains, Starts};

const VENV: &str = "activated EB's Python virtualenv";
const VENV_INSTEAD: &str = "nothing: the image's own Python is on the PATH";
const ENV: &str = "exported EB's environment properties into the shell";
const ENV_INSTEAD: &str = "the task's environment, which already has EB's properties";
const SERVICE: &str = "restarted or reloaded a service of the instance";
const SERVICE_INSTEAD: &str = "nothing: ECS starts a fresh container at each deployment";
const PKG: &str = "installed OS packages on the instance";
const PKG_INSTEAD: &str = "the Debian packages of the image (an apt-get RUN line)";
const TZ: &str = "set the instance's time zone";
const TZ_INSTEAD: &str = "a TZ environment variable of the task";
const SWAP: &str = "tuned the instance's kernel or swap";
const SWAP_INSTEAD: &str =
    "the task definition's systemControls or a larger task size (Fargate has no swap)";

/// The rule table, first match wins. Release rules come first (a migration behind `sudo` is
/// still a migration), then the shell preparations, then instance-only, then build-time.
pub const RULES: &[Rule] = &[
    rule(Some(Release), Contains("manage.py migrate"), "migrated the database", "the one-off task", "python manage.py migrate --noinput"),
    rule(Some(Release), Contains("db:migrate"), "migrated the database", "the one-off task", "bundle exec rake db:migrate"),
    rule(Some(Release), Contains("artisan migrate"), "migrated the database", "the one-off task", "php artisan migrate --force"),
    rule(Some(Release), Contains("flask db upgrade"), "migrated the database", "the one-off task", "flask db upgrade"),
    rule(Some(Release), Contains("alembic upgrade"), "migrated the database", "the one-off task", "alembic upgrade head"),
    rule(Some(Release), Contains("migration:run"), "migrated the database", "the one-off task", "npx typeorm migration:run"),
    rule(Some(Release), Contains("prisma migrate deploy"), "migrated the database", "the one-off task", "npx prisma migrate deploy"),
    rule(Some(Release), Contains("db:seed"), "seeded the database", "the one-off task", "php artisan db:seed --force"),
    rule(Some(Release), Contains("loaddata"), "loaded data into the database", "the one-off task", "python manage.py loaddata initial.json"),
    rule(Some(Release), Contains("createcachetable"), "created the database's cache table", "the one-off task", "python manage.py createcachetable"),
    rule(Some(Release), Contains("migrat"), "ran database migrations", "the one-off task", "npm run migrate"),
    rule(Some(Release), Contains("cache:clear"), "cleared the application's shared cache", "the one-off task", "php artisan cache:clear"),
    rule(Some(Instance), Contains("crontab"), "installed a crontab on the instance", "an EventBridge Scheduler schedule running the one-off task (a CRON-FILE finding)", "echo '* * * * * /usr/bin/php /var/app/current/artisan schedule:run' | crontab"),
    rule(Some(Instance), Contains("/etc/cron"), "installed a cron job on the instance", "an EventBridge Scheduler schedule running the one-off task (a CRON-FILE finding)", "mv /tmp/every_ten.template /etc/cron.d/every_ten"),
    rule(None, Contains("/activate"), VENV, VENV_INSTEAD, "source /var/app/venv/*/bin/activate"),
    rule(None, Contains("get-config"), ENV, ENV_INSTEAD, "export $(/opt/elasticbeanstalk/bin/get-config environment | jq -r 'to_entries | .[] | \"\\(.key)=\\(.value)\"')"),
    rule(None, Starts("cd"), "changed the shell's folder", "kept with the command it prepares", "cd /var/app/staging"),
    rule(None, Starts("export"), "set shell variables", "kept with the command it prepares", "export HOME=/root"),
    rule(None, Starts("set"), "set shell options", "kept with the command it prepares", "set -e"),
    rule(None, Starts("echo"), "printed a message", "kept with the command it prepares", "echo done"),
    rule(Some(Instance), Contains("/opt/elasticbeanstalk"), "used EB's platform scripts or hooks", "nothing: ECS does not run EB's platform", "cp run.sh /opt/elasticbeanstalk/hooks/appdeploy/post/"),
    rule(Some(Instance), Starts("service"), SERVICE, SERVICE_INSTEAD, "sudo service nginx reload"),
    rule(Some(Instance), Starts("systemctl"), SERVICE, SERVICE_INSTEAD, "systemctl restart php-fpm"),
    rule(Some(Instance), Starts("initctl"), SERVICE, "a container (or a second ECS service) per long-running process", "initctl start celery-worker"),
    rule(Some(Instance), Starts("supervisorctl"), SERVICE, "a container (or a second ECS service) per long-running process", "supervisorctl restart all"),
    rule(Some(Instance), Starts("/etc/init.d/"), SERVICE, SERVICE_INSTEAD, "/etc/init.d/httpd restart"),
    rule(Some(Instance), Starts("chkconfig"), SERVICE, SERVICE_INSTEAD, "chkconfig shibd on"),
    rule(Some(Instance), Starts("start"), SERVICE, "a container (or a second ECS service) per long-running process", "start celery-workers || restart celery-workers"),
    rule(Some(Instance), Starts("restart"), SERVICE, SERVICE_INSTEAD, "restart celery-workers"),
    rule(Some(Instance), Starts("yum"), PKG, PKG_INSTEAD, "yum install -y postgresql93-devel"),
    rule(Some(Instance), Starts("dnf"), PKG, PKG_INSTEAD, "dnf install -y postgresql15"),
    rule(Some(Instance), Starts("rpm"), PKG, PKG_INSTEAD, "rpm -Uvh https://example.com/pkg.rpm"),
    rule(Some(Instance), Starts("amazon-linux-extras"), PKG, PKG_INSTEAD, "amazon-linux-extras install epel"),
    rule(Some(Instance), Starts("sysctl"), SWAP, SWAP_INSTEAD, "sysctl -w net.core.somaxconn=1024"),
    rule(Some(Instance), Contains("swap"), SWAP, SWAP_INSTEAD, "/bin/bash .ebextensions/scripts/add-swap-space.sh"),
    rule(Some(Instance), Contains("mount -t efs"), "mounted an EFS file system on the instance", "an EFS volume of the task definition", "mount -t efs fs-12345678:/ /efs"),
    rule(Some(Instance), Starts("mount"), "mounted a file system on the instance", "a volume of the task definition", "mount -a"),
    rule(Some(Instance), Contains("/etc/localtime"), TZ, TZ_INSTEAD, "sudo ln -sf /usr/share/zoneinfo/Asia/Seoul /etc/localtime"),
    rule(Some(Instance), Starts("timedatectl"), TZ, TZ_INSTEAD, "timedatectl set-timezone UTC"),
    rule(Some(Instance), Contains("awslogs"), "configured the instance's log agent", "the awslogs log driver of the task definition", "service awslogs restart"),
    rule(Some(Instance), Contains("cloudwatch-agent"), "configured the instance's CloudWatch agent", "the awslogs log driver and Container Insights", "amazon-cloudwatch-agent-ctl -a start"),
    rule(Some(Instance), Contains("datadog-agent"), "installed or ran the Datadog agent", "the Datadog agent as a sidecar container", "yum install -y datadog-agent"),
    rule(Some(Instance), Contains("/etc/nginx"), "changed the instance's nginx", "the load balancer's settings (or a proxy container)", "ln -s /etc/nginx/sites-available/000-default.conf /etc/nginx/sites-enabled/"),
    rule(Some(Instance), Contains("/etc/httpd"), "changed the instance's Apache httpd", "the load balancer's settings (or a proxy container)", "cp conf/loggly.conf /etc/httpd/conf.d/"),
    rule(Some(Instance), Starts("docker"), "ran Docker on the instance (the Docker host)", "nothing: the task runs the containers", "docker exec `docker ps -q | head -n 1` python manage.py migrate"),
    rule(Some(Build), Contains("collectstatic"), "collected the static files into the application folder", "a RUN line of the image", "python manage.py collectstatic --noinput"),
    rule(Some(Build), Contains("assets:precompile"), "compiled the assets", "a RUN line of the image", "bundle exec rake assets:precompile"),
    rule(Some(Build), Contains("pip install"), "installed Python packages", "a RUN line of the image", "pip install -r requirements.txt"),
    rule(Some(Build), Contains("pip3 install"), "installed Python packages", "a RUN line of the image", "pip3 install -r requirements.txt"),
    rule(Some(Build), Starts("npm"), "installed or built the Node.js application", "a RUN line of the image", "npm install && npm run build"),
    rule(Some(Build), Starts("yarn"), "installed or built the Node.js application", "a RUN line of the image", "yarn install --production"),
    rule(Some(Build), Starts("npx"), "ran a Node.js build tool", "a RUN line of the image", "npx nwb build"),
    rule(Some(Build), Contains("composer install"), "installed PHP packages", "a RUN line of the image", "composer install --no-dev"),
    rule(Some(Build), Contains("composer.phar install"), "installed PHP packages", "a RUN line of the image", "sudo php -d memory_limit=-1 /usr/bin/composer.phar install --no-dev"),
    rule(Some(Build), Contains("composer.phar self-update"), "updated Composer", "a RUN line of the image", "/usr/bin/composer.phar self-update 2.1.8"),
    rule(Some(Build), Contains("composer dump-autoload"), "generated PHP's autoloader", "a RUN line of the image", "composer dump-autoload -o"),
    rule(Some(Build), Contains("composer self-update"), "updated Composer", "a RUN line of the image", "composer self-update"),
    rule(Some(Build), Contains("config:clear"), "cleared Laravel's compiled configuration", "a RUN line of the image (a fresh image has none)", "php artisan config:clear"),
    rule(Some(Build), Starts("pecl install"), "installed a PHP extension", "a RUN line of the image", "pecl install mongodb"),
    rule(Some(Build), Contains("bundle install"), "installed Ruby gems", "a RUN line of the image", "bundle install --deployment"),
    rule(Some(Build), Starts("gem install"), "installed Ruby gems", "a RUN line of the image", "gem install bundler"),
    rule(Some(Build), Starts("go "), "built the Go application", "a RUN line of the image", "go build -o bin/application ."),
    rule(Some(Build), Starts("mvn"), "built the Java application", "a RUN line of the image", "mvn -B package"),
    rule(Some(Build), Contains("gradle"), "built the Java application", "a RUN line of the image", "./gradlew build"),
    rule(Some(Build), Starts("dotnet"), "built the .NET application", "a RUN line of the image", "dotnet publish -c Release"),
    rule(Some(Build), Starts("wget"), "downloaded a file", "a RUN line of the image", "wget -q https://example.com/data.csv -O data/data.csv"),
    rule(Some(Build), Starts("curl"), "downloaded a file", "a RUN line of the image", "curl -fsSL -o data.zip https://example.com/data.zip"),
    rule(Some(Build), Starts("chmod"), "changed the modes of files", "a RUN line of the image", "chmod +x .platform/hooks/postdeploy/*.sh"),
    rule(Some(Build), Starts("chown"), "changed the owner of files", "a RUN line of the image", "chown -R webapp:webapp storage"),
    rule(Some(Build), Starts("mkdir"), "made folders", "a RUN line of the image", "mkdir -p storage/logs"),
    rule(Some(Build), Starts("cp"), "copied files", "a RUN line of the image", "cp .ebextensions/files/server.xml /usr/share/tomcat8/conf/"),
    rule(Some(Build), Starts("mv"), "moved files", "a RUN line of the image", "mv /tmp/.env /var/app/staging/.env"),
    rule(Some(Build), Starts("ln"), "linked files", "a RUN line of the image", "ln -s storage/app/public public/storage"),
    rule(Some(Build), Starts("touch"), "made empty files", "a RUN line of the image", "touch storage/logs/laravel.log"),
    rule(Some(Build), Starts("tar"), "unpacked an archive", "a RUN line of the image", "tar xzf vendor.tgz"),
    rule(Some(Build), Starts("unzip"), "unpacked an archive", "a RUN line of the image", "unzip -o data.zip -d data"),
];

/// Folders of EB's instances whose files copies and downloads may not write: outside the
/// application folder and the app server's configuration, a file operation changed the
/// instance, not the application.
const INSTANCE_FOLDERS: &[&str] = &["/etc/", "/opt/", "/usr/local/bin", "/home/", "/root"];

/// Folders of the app servers the generated images run (files copied there are build-time).
const APP_SERVER_FOLDERS: &[&str] = &[
    "/usr/share/tomcat",
    "/etc/tomcat",
    "/var/lib/tomcat",
    "/usr/local/tomcat",
    "$catalina_home",
];

/// One simple command of a script and how it was classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Its text as written.
    pub text: String,
    /// What separates it from the next part (`&&`, `;`, `\n`, or nothing for the last).
    pub sep: &'static str,
    /// The rule it matched (index into [`RULES`]).
    pub rule: Option<usize>,
    /// Its class (`None`: it only prepared the shell).
    pub class: Option<Class>,
}

/// The classification of one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// When and where it runs.
    pub class: Class,
    /// Its parts, in order.
    pub parts: Vec<Part>,
    /// The script to run (the parts that prepared EB's shell or instance left out; the whole
    /// text when it is not a plain list of commands).
    pub script: String,
    /// It uses shell syntax `sh` lacks (EB ran it with bash): run it with `bash -c`.
    pub bash: bool,
    /// The text was not a plain list of simple commands (if, for, heredocs…).
    pub compound: bool,
}

impl Decision {
    /// The rules that decided, for the finding's text: the first part of the decision's class.
    pub fn deciding(&self) -> Option<&'static Rule> {
        self.parts
            .iter()
            .find(|p| p.class == Some(self.class))
            .and_then(|p| p.rule)
            .map(|i| &RULES[i])
    }

    /// The parts left out of the script because they only served EB's instance or shell
    /// (instance-only parts, EB's virtualenv, `get-config`), with their rules.
    pub fn dropped(&self) -> Vec<(&str, &'static Rule)> {
        if self.class == Class::Instance {
            return Vec::new();
        }
        self.parts
            .iter()
            .filter_map(|p| Some((p, &RULES[p.rule?])))
            .filter(|(p, r)| {
                p.class == Some(Class::Instance)
                    || (r.class.is_none() && matches!(r.matcher, Contains(_)))
            })
            .map(|(p, r)| (p.text.as_str(), r))
            .collect()
    }
}

/// Classify one command: its text (a shell script) and where EB ran it.
pub fn classify(text: &str, origin: Origin) -> Decision {
    let compound = is_compound(text) || split(text).iter().any(|(t, _)| starts_compound(t));
    let pieces = if compound {
        vec![(text.trim().to_string(), "")]
    } else {
        split(text)
    };
    let parts: Vec<Part> = pieces
        .into_iter()
        .map(|(t, sep)| {
            let (rule, class) = match_part(&t, compound);
            Part {
                text: t,
                sep,
                rule,
                class,
            }
        })
        .collect();
    let strongest = parts.iter().filter_map(|p| p.class).max();
    // A script that mounts a file system prepared the instance, whatever else it did.
    let mounts = parts
        .iter()
        .any(|p| p.rule.is_some_and(|i| RULES[i].did.starts_with("mounted")));
    let strongest = if mounts {
        Some(Class::Instance)
    } else {
        strongest
    };
    let class = match (strongest, origin) {
        (Some(Class::Unknown) | None, Origin::ContainerCommands { leader_only: true }) => {
            Class::Release
        }
        (Some(Class::Build), _) if compound => Class::Unknown,
        (Some(c), _) => c,
        (None, _) => Class::Instance,
    };
    let script = if compound {
        text.trim().to_string()
    } else {
        join_kept(&parts, class)
    };
    let bash = needs_bash(&script);
    Decision {
        class,
        parts,
        script,
        bash,
        compound,
    }
}

/// The rule and class of one simple command; an unmatched command is unknown (instance-only
/// when it ran under `sudo`, or wrote outside the application folder).
fn match_part(text: &str, compound: bool) -> (Option<usize>, Option<Class>) {
    let lower = text.to_ascii_lowercase();
    let (bare, sudo) = strip_prefixes(&lower);
    let hit = RULES.iter().position(|r| match r.matcher {
        Starts(w) => starts_word(&bare, w),
        Contains(s) => lower.contains(s),
    });
    match hit {
        // In a compound script, a shell preparation decides nothing and a file operation is
        // not known to stay in the application folder.
        Some(i) if compound && RULES[i].class.is_none() => (None, None),
        Some(i)
            if RULES[i].class.is_none()
                && matches!(RULES[i].matcher, Starts(_))
                && (bare.contains('|') || bare.contains('>')) =>
        {
            (None, Some(Class::Unknown))
        }
        Some(i) => {
            let class = RULES[i].class;
            let call = starts_word(&bare, "curl") && !curl_writes(&bare);
            if class == Some(Class::Build) && (writes_instance(&bare) || call) {
                return (None, Some(Class::Unknown));
            }
            (Some(i), class)
        }
        None if sudo => (None, Some(Class::Instance)),
        None if bare.is_empty() || bare.starts_with('#') => (None, None),
        None => (None, Some(Class::Unknown)),
    }
}

/// Whether a `curl` command writes a file (`-o`, `-O`, `--output`, a redirection): a
/// download; without one it called a URL (a notification, a warm-up), which is not building.
fn curl_writes(bare: &str) -> bool {
    bare.contains('>')
        || bare.split_whitespace().any(|w| {
            w == "--output"
                || w == "--remote-name"
                || (w.starts_with('-') && !w.starts_with("--") && w.contains(['o', 'O']))
        })
}

/// Whether a file operation names a folder of the instance (not the app, not the app server).
fn writes_instance(bare: &str) -> bool {
    let file_op = ["cp", "mv", "ln", "chmod", "chown", "mkdir", "touch"]
        .iter()
        .any(|w| starts_word(bare, w));
    file_op
        && INSTANCE_FOLDERS.iter().any(|f| bare.contains(f))
        && !APP_SERVER_FOLDERS.iter().any(|f| bare.contains(f))
}

/// The command without `sudo` (and its flags) or leading `VAR=value` words; whether it had
/// `sudo`.
fn strip_prefixes(lower: &str) -> (String, bool) {
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    let mut sudo = false;
    loop {
        match words.first() {
            Some(&"sudo") => {
                sudo = true;
                words.remove(0);
                while words.first().is_some_and(|w| w.starts_with('-')) {
                    let flag = words.remove(0);
                    if flag == "-u" && !words.is_empty() {
                        words.remove(0);
                    }
                }
            }
            Some(w) if is_assignment(w) => {
                words.remove(0);
            }
            _ => break,
        }
    }
    (words.join(" "), sudo)
}

fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Whether `text` starts with the words `w` (a whole word: `cp` is not `cpanm`). A
/// pattern ending in a space or `/` only needs the prefix.
fn starts_word(text: &str, w: &str) -> bool {
    match text.strip_prefix(w) {
        Some(rest) => w.ends_with([' ', '/']) || rest.is_empty() || rest.starts_with([' ', ';']),
        None => false,
    }
}

/// The parts kept for the script: for a release or unknown command everything but EB's
/// shell preparations (virtualenv, get-config) and instance-only parts; for a build command
/// also the parts that printed or set shell state stay, in order.
fn join_kept(parts: &[Part], class: Class) -> String {
    let kept: Vec<&Part> = parts
        .iter()
        .filter(|p| match (p.class, p.rule.map(|i| RULES[i].matcher)) {
            (Some(Class::Instance), _) => class == Class::Instance,
            (None, Some(Contains(_))) => false,
            _ => true,
        })
        .collect();
    let mut out = String::new();
    for (i, p) in kept.iter().enumerate() {
        if class == Class::Build {
            out.push_str(drop_sudo(&p.text));
        } else {
            out.push_str(&p.text);
        }
        match p.sep {
            _ if i + 1 == kept.len() => {}
            "\n" | "" => out.push('\n'),
            sep => {
                let _ = write!(out, " {sep} ");
            }
        }
    }
    out
}

/// Whether the text uses compound shell syntax this module does not split (control flow,
/// heredocs, functions, subshells spanning lines).
fn is_compound(text: &str) -> bool {
    const KEYWORDS: &[&str] = &["if", "for", "while", "until", "case", "function"];
    text.contains("<<")
        || text.lines().any(|l| {
            let first = l.split_whitespace().next().unwrap_or("");
            KEYWORDS.contains(&first) || first.ends_with("()") || first == "{" || first == "("
        })
        || text.trim_end().ends_with('\\')
        || text.contains("\\\n")
}

/// Whether a simple command starts with a shell keyword (it is part of a compound command).
fn starts_compound(part: &str) -> bool {
    const WORDS: &[&str] = &[
        "if", "then", "else", "elif", "fi", "for", "do", "done", "while", "until", "case", "esac",
        "{", "}", "(", ")", "!",
    ];
    let first = part.split_whitespace().next().unwrap_or("");
    WORDS.contains(&first) || first.starts_with('(') || first.starts_with('{')
}

/// The command without a leading `sudo` and its flags (the image builds as root and
/// official images have no sudo), in its own case.
pub fn drop_sudo(part: &str) -> &str {
    let mut rest = part.trim_start();
    while let Some(r) = rest.strip_prefix("sudo ") {
        rest = r.trim_start();
        while rest.starts_with('-') {
            let (flag, after) = rest.split_once(' ').unwrap_or((rest, ""));
            rest = after.trim_start();
            if flag == "-u" {
                rest = rest.split_once(' ').map_or("", |(_, a)| a).trim_start();
            }
        }
    }
    rest
}

/// Whether the script needs bash: `source`, `[[`, `&>`, brace lists, `$'…'`, arrays.
pub fn needs_bash(script: &str) -> bool {
    script.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("source ")
            || t.contains("&& source ")
            || t.contains("[[ ")
            || t.contains("&>")
            || t.contains("$'")
            || t.contains("<(")
            || t.contains("pipefail")
            || (t.contains('{') && t.contains(',') && t.contains('}') && !t.contains("${"))
    })
}

/// The simple commands of a script, each with the separator after it: `&&`, `;` and new
/// lines outside quotes split; `||` and pipes stay inside a command.
pub fn split(text: &str) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut single, mut double, mut escaped) = (false, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let quoted = single || double;
        let sep: Option<&'static str> = match c {
            _ if escaped => None,
            '&' if !quoted && chars.peek() == Some(&'&') => {
                chars.next();
                Some("&&")
            }
            ';' if !quoted => Some(";"),
            '\n' if !quoted => Some("\n"),
            _ => None,
        };
        if let Some(s) = sep {
            push_part(&mut out, &cur, s);
            cur.clear();
            continue;
        }
        match c {
            _ if escaped => escaped = false,
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            _ => {}
        }
        cur.push(c);
    }
    push_part(&mut out, &cur, "");
    if let Some(last) = out.last_mut() {
        last.1 = "";
    }
    out
}

fn push_part(out: &mut Vec<(String, &'static str)>, text: &str, sep: &'static str) {
    let t = text.trim();
    if !t.is_empty() {
        out.push((t.to_string(), sep));
    }
}

/// The rule table as Markdown (`docs/commands.md`; a test keeps the file equal).
pub fn table_markdown() -> String {
    let mut out = String::from(
        "# Where the commands EB ran go\n\n\
         Generated from `src/convert/commands.rs` (`RULES`); a test keeps this file equal to it.\n\n\
         eb2ecs splits each `.ebextensions` `commands` / `container_commands` entry, `.platform/hooks` \
         script and Buildfile line into its simple commands (`&&`, `;`, new lines) and matches each \
         (lower-cased, after `sudo` and `VAR=value`) against the table below, first match wins. \
         The strongest class of the parts decides the command: release-time, then unknown, then \
         build-time, then instance-only. A `container_commands` entry with `leader_only: true` that \
         nothing recognises is release-time (EB ran it once per deployment). A part that matches no \
         rule is unknown (instance-only when it ran under `sudo`); a copy or link into a folder of \
         the instance (`/etc/`, `/opt/`, …) other than the app server's is unknown too.\n\n\
         - **build-time**: a `RUN` line of the generated Dockerfile (before its `USER` line), or a \
         finding with the exact lines for an image the team builds;\n\
         - **release-time**: the one-off task, run once per deployment before the service takes \
         the new image;\n\
         - **instance-only**: translated where a translation exists (OS packages into Debian \
         packages, `get-config` into the task's environment), else dropped with a finding;\n\
         - **unknown**: a warning that asks you to place it;\n\
         - **(shell)**: only prepared EB's shell; left out of the command it prepared \
         (`cd`, `export`, `set` and `echo` stay with it).\n\n\
         | class | matches | what it did on EB | what replaces it | real example |\n\
         |---|---|---|---|---|\n",
    );
    for r in RULES {
        let class = r.class.map_or("(shell)", Class::label);
        let m = match r.matcher {
            Starts(w) => format!("starts with `{}`", w.trim_end()),
            Contains(s) => format!("contains `{s}`"),
        };
        let example = r.example.replace('|', "\\|");
        let _ = writeln!(
            out,
            "| {class} | {m} | {} | {} | `{example}` |",
            r.did, r.instead
        );
    }
    out
}

#[cfg(test)]
mod tests;
