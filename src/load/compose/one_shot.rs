//! Whether a compose service's command runs once and exits (a folder made, migrations,
//! seeders) rather than serving: such a service is a task's setup step, not an essential
//! container (issue: compose services that run once).

/// Commands that do their work and exit.
const EXITS: &[&str] = &[
    "mkdir",
    "chown",
    "chmod",
    "cp ",
    "migrate",
    "db:migrate",
    "db:seed",
    "seed",
    "upgrade",
    "collectstatic",
    "createdb",
    "wait-for",
    "echo ",
];

/// Commands that keep serving (a command naming one of these is not a one-shot, even after a
/// migration: `flask db upgrade && gunicorn app:app`).
const SERVES: &[&str] = &[
    "gunicorn",
    "uvicorn",
    "uwsgi",
    "daphne",
    "hypercorn",
    "runserver",
    "rails s",
    "rails server",
    "puma",
    "unicorn",
    "node ",
    "npm start",
    "npm run start",
    "yarn start",
    "nginx",
    "httpd",
    "apache",
    "php-fpm",
    "java ",
    "dotnet ",
    "serve",
    "worker",
    "celery",
    "sidekiq",
    "sleep",
    "tail -f",
    "supervisord",
    "cron",
];

/// Why `command` runs once and exits (the word that says so), or `None` when it may serve.
pub fn exits(command: &[String]) -> Option<String> {
    let text = command.join(" ").to_ascii_lowercase();
    if SERVES.iter().any(|s| text.contains(s)) {
        return None;
    }
    EXITS
        .iter()
        .find(|w| text.contains(*w))
        .map(|w| format!("`{}`", w.trim()))
}

#[cfg(test)]
mod tests {
    use super::exits;

    fn cmd(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn setup_commands_exit_and_servers_do_not() {
        assert_eq!(
            exits(&cmd("mkdir -p /data/uploads")).as_deref(),
            Some("`mkdir`")
        );
        assert_eq!(
            exits(&cmd("python manage.py migrate")).as_deref(),
            Some("`migrate`")
        );
        assert_eq!(
            exits(&cmd("bundle exec rake db:seed")).as_deref(),
            Some("`db:seed`")
        );
        assert_eq!(
            exits(&cmd("sh -c flask db upgrade && gunicorn app:app")),
            None
        );
        assert_eq!(exits(&cmd("npm start")), None);
        assert_eq!(exits(&cmd("python app.py")), None);
    }
}
