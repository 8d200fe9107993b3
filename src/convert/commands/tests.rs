//! The rule table on real commands from the corpus of EB projects
//! (`/work/shared/corpus/projects/*`, `.ebextensions`): at least one of each class.

use super::*;

fn class(text: &str, origin: Origin) -> Class {
    classify(text, origin).class
}

const CC: Origin = Origin::ContainerCommands { leader_only: false };
const LEADER: Origin = Origin::ContainerCommands { leader_only: true };

#[test]
fn real_release_time_commands() {
    // projects/013 03_db_migrate.config
    let d = classify(
        "source /var/app/venv/*/bin/activate && flask db upgrade",
        LEADER,
    );
    assert_eq!(d.class, Class::Release);
    assert_eq!(d.script, "flask db upgrade");
    assert!(!d.bash);
    // projects/010 composer.config: leader_only, nothing else known
    assert_eq!(class("php artisan config:cache", LEADER), Class::Release);
    assert_eq!(
        class("python manage.py migrate --noinput", CC),
        Class::Release
    );
}

#[test]
fn real_build_time_commands() {
    // projects/011 pressurenet.config
    assert_eq!(
        class("django-admin.py collectstatic --noinput", CC),
        Class::Build
    );
    // projects/010 composer.config (cwd /var/app/staging)
    assert_eq!(
        class("composer install --no-dev --optimize-autoloader", CC),
        Class::Build
    );
    assert_eq!(
        class("chmod +x .platform/hooks/postdeploy/*.sh", CC),
        Class::Build
    );
    // projects/009 tomcat: a copy into the app server's configuration
    assert_eq!(
        class(
            "cp .ebextensions/files/server.xml /usr/share/tomcat8/conf/server.xml",
            CC
        ),
        Class::Build
    );
    // projects/012 django.config: the venv activation is dropped, pip stays
    let d = classify(
        "source $PYTHONPATH/activate && pip install -r requirements.txt",
        CC,
    );
    assert_eq!(
        (d.class, d.script.as_str()),
        (Class::Build, "pip install -r requirements.txt")
    );
}

#[test]
fn real_instance_only_commands() {
    // projects/001 .platform/00_myconf.config
    assert_eq!(class("sudo service nginx reload", CC), Class::Instance);
    // corpus ebextensions/024.config
    assert_eq!(
        class("service awslogs restart", Origin::Commands),
        Class::Instance
    );
    // projects/011 packages/libjpeg.config
    assert_eq!(
        class("yum -y install libjpeg-turbo-devel", Origin::Commands),
        Class::Instance
    );
    // projects/007 timezone.config
    assert_eq!(
        class(
            "sudo ln -sf /usr/share/zoneinfo/Asia/Seoul /etc/localtime",
            Origin::Commands
        ),
        Class::Instance
    );
    // projects/011 worker.config
    assert_eq!(class("initctl reload-configuration", CC), Class::Instance);
    // corpus ebextensions/017.config
    assert_eq!(
        class("/bin/bash .ebextensions/scripts/add-swap-space.sh", CC),
        Class::Instance
    );
    // corpus ebextensions/001.config: docker exec on the Docker host, leader_only
    let d = classify(
        "docker exec `docker ps -a --no-trunc -q | head -n 1` /var/app/bin/python /var/app/manage.py migrate --noinput  &>> /tmp/deploy.log",
        LEADER,
    );
    assert_eq!(d.class, Class::Release, "a migration, whatever ran it");
    // a get-config export alone only prepared the shell
    assert_eq!(
        class("export $(/opt/elasticbeanstalk/bin/get-config environment | jq -r 'to_entries|.[]|\"\\(.key)=\\(.value)\"')", Origin::Commands),
        Class::Instance
    );
}

#[test]
fn real_unknown_commands() {
    // projects/009 elastic-beanstalk.config: a copy into /etc/shibboleth
    assert_eq!(
        class(
            "cp .ebextensions/files/shibboleth2.xml /etc/shibboleth/",
            CC
        ),
        Class::Unknown
    );
    // projects/006 yarn.config: a compound script is not taken apart
    let d = classify("if ! command -v yarn; then\n  npm i -g yarn\nfi", CC);
    assert!(d.compound);
    assert_eq!(d.class, Class::Unknown);
    assert_eq!(class("./bin/custom-step", CC), Class::Unknown);
    // a URL called, not a file downloaded: unknown (release-time with leader_only)
    assert_eq!(
        class("curl -fsS https://example.com/deployed", CC),
        Class::Unknown
    );
    assert_eq!(
        class("curl -fsS https://example.com/deployed", LEADER),
        Class::Release
    );
    assert_eq!(
        class("curl -fsSL -o data.zip https://example.com/d.zip", CC),
        Class::Build
    );
}

#[test]
fn get_config_exports_leave_a_release_command() {
    let d = classify(
        "export $(/opt/elasticbeanstalk/bin/get-config environment | jq -r 'to_entries|.[]|\"\\(.key)=\\(.value)\"') && php artisan migrate --force",
        LEADER,
    );
    assert_eq!(d.script, "php artisan migrate --force");
    assert_eq!(d.dropped().len(), 1);
}

#[test]
fn real_crontabs_are_instance_only_and_sudo_leaves_build_lines() {
    // projects/010 03-cronjob.config (leader_only)
    let cron = "echo '* * * * * /usr/bin/php /var/app/current/artisan schedule:run >> /var/log/cron-log.log 2>&1' | crontab";
    assert_eq!(class(cron, LEADER), Class::Instance);
    // projects/010 02-php-mongodb.config
    let d = classify("sudo pecl install mongodb", Origin::Commands);
    assert_eq!(
        (d.class, d.script.as_str()),
        (Class::Build, "pecl install mongodb")
    );
    // projects/006 yarn.config: an `if` after `&&` is compound
    assert!(classify("cd /tmp && if [ ! -f /usr/bin/yarn ]; then wget x; fi", CC).compound);
    assert_eq!(drop_sudo("sudo -u webapp npm ci"), "npm ci");
}

#[test]
fn splitting_respects_quotes() {
    let parts = split("echo 'a && b'; cd \"x;y\" && run\nnext || true");
    let texts: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        texts,
        vec!["echo 'a && b'", "cd \"x;y\"", "run", "next || true"]
    );
    let seps: Vec<&str> = parts.iter().map(|(_, s)| *s).collect();
    assert_eq!(seps, vec![";", "&&", "\n", ""]);
}

#[test]
fn bash_syntax_is_noticed() {
    assert!(needs_bash("source x && y"));
    assert!(needs_bash("[[ -f x ]] && y"));
    assert!(needs_bash("run &>> /tmp/log"));
    assert!(!needs_bash("python manage.py migrate"));
    assert!(!needs_bash("echo ${HOME}"));
}

#[test]
fn sudo_words_and_assignments_are_skipped() {
    assert_eq!(
        strip_prefixes("sudo -u webapp a=1 pip install x"),
        ("pip install x".to_string(), true)
    );
    assert!(starts_word("cp a b", "cp"));
    assert!(!starts_word("cpanm x", "cp"));
}

/// docs/commands.md is the rule table (`UPDATE_DOCS=1` rewrites it).
#[test]
fn docs_match_the_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/commands.md");
    let want = table_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "docs/commands.md is stale: run UPDATE_DOCS=1 cargo test --lib commands"
    );
}

#[test]
fn every_example_gets_its_rules_class() {
    for (i, r) in RULES.iter().enumerate() {
        let d = classify(r.example, CC);
        let first = d.parts.iter().find_map(|p| p.rule);
        let hit = d.parts.iter().any(|p| p.rule == Some(i));
        assert!(
            hit || first.is_some(),
            "example of rule {i} matches nothing: {}",
            r.example
        );
    }
}

#[test]
fn bash_syntax_left_in_a_release_command_runs_under_bash() {
    let d = classify("[[ -f manage.py ]] && python manage.py migrate", LEADER);
    assert_eq!(d.class, Class::Release);
    assert!(d.bash);
}
