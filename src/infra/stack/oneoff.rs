//! The one-off task definition: what EB ran at each deployment, run with `aws ecs run-task`.

use super::context::Context;
use super::With;
use crate::infra::template::Template;

/// `OneOffTaskDefinition`, when EB ran commands at deployment.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    let Some(task) = &ctx.one_off else { return };
    t.resources.push(
        super::task::definition("OneOffTaskDefinition", ctx, task, task.containers.clone()).note(
            "What EB ran at each deployment (container_commands, predeploy hooks): the application\ncontainer alone, same image, environment, secrets and roles; run it with aws ecs run-task\n(CHECKLIST.md) before the service takes a new image.",
        ),
    );
}
