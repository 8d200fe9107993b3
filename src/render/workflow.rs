//! `.github/workflows/deploy-ecs.yml` (`--ci github`): the GitHub Actions workflow that replaces
//! `eb deploy`. On a push to the branch it assumes the deploy role through OIDC, builds and
//! pushes each image the project builds (tagged with the commit SHA), renders
//! `task-definition.json` with them, runs the one-off task's commands when there is one, and
//! deploys the service, waiting until it is stable.
//!
//! The workflow is built as data and serialised by `serde_yaml_ng`: values from the project
//! (paths, names, build arguments) are YAML scalars, and reach `run:` scripts only through
//! `env:` (never `${{ }}` inside a script, which would be script injection).

use crate::error::{Error, Result};
use crate::model::{Delivery, LaunchType, MigrationModel, OneOff};
use serde_json::{json, Map, Value};

/// Output file name (a contract).
pub const WORKFLOW: &str = ".github/workflows/deploy-ecs.yml";

/// An action pinned to a full commit SHA: (action, commit, release).
pub type Pin = (&'static str, &'static str, &'static str);

/// Every action the workflow uses, pinned to the commit of a release (checked against the
/// actions' repositories; a tag can move, a commit cannot).
pub const ACTIONS: &[Pin] = &[
    (
        "actions/checkout",
        "3d3c42e5aac5ba805825da76410c181273ba90b1",
        "v7.0.1",
    ),
    (
        "aws-actions/configure-aws-credentials",
        "e6de054238d6b7531b4efff3b6587d9aade6a06c",
        "v6.2.3",
    ),
    (
        "aws-actions/amazon-ecr-login",
        "03f1aad4c6c7ffd436567f42f9384779290529bd",
        "v2.1.7",
    ),
    (
        "aws-actions/amazon-ecs-render-task-definition",
        "138c24f321fdbdf7edee4a685519d253cae2cdea",
        "v1.9.0",
    ),
    (
        "aws-actions/amazon-ecs-deploy-task-definition",
        "c465972ecbd160473f22e683363b422a5412a3de",
        "v2.6.3",
    ),
];

/// The repository variables the workflow reads, each with the stack output it is set from
/// (empty: not an output; `AWS_REGION` is the stack's region).
pub const VARIABLES: &[(&str, &str)] = &[
    ("AWS_REGION", ""),
    ("AWS_DEPLOY_ROLE_ARN", "DeployRoleArn"),
    ("ECS_CLUSTER", "ClusterName"),
    ("ECS_SERVICE", "ServiceName"),
    ("ECS_EXECUTION_ROLE_ARN", "ExecutionRoleArn"),
    ("ECS_TASK_ROLE_ARN", "TaskRoleArn"),
    ("ECS_LOG_GROUP", "LogGroupName"),
];

/// Project text placed in a workflow value: GitHub evaluates `${{ ... }}` in every value (`env:`,
/// `with:`, step names, not only `run:`), so each `${{` of the project becomes the expression
/// `${{ '${{' }}`, which evaluates to the text `${{`: what reaches the step is the project's text,
/// and no expression of the project is evaluated (no secret or context is read by it).
pub fn lit(text: &str) -> String {
    text.replace("${{", "${{ '${{' }}")
}

/// The repository variables a worker's workflow also reads: the queue the sidecar polls (when
/// task-definition.json holds the placeholder), and the optional registry copy of the sidecar
/// image, pinned by digest (`REPO@sha256:...`; unset, the workflow builds it).
pub const WORKER_VARIABLES: &[(&str, &str)] =
    &[("WORKER_QUEUE_URL", "WorkerQueueUrl"), ("SQSD_IMAGE", "")];

/// Every repository variable the model's workflow reads: [`VARIABLES`], and for a worker
/// [`WORKER_VARIABLES`] (the queue only when eb2ecs did not know it; the image only when
/// `--sqsd-image` named none).
pub fn variables(model: &MigrationModel) -> Vec<(&'static str, &'static str)> {
    let mut out = VARIABLES.to_vec();
    if let Some(w) = &model.worker {
        let [queue, image] = [WORKER_VARIABLES[0], WORKER_VARIABLES[1]];
        out.extend(w.queue_url.is_none().then_some(queue));
        out.extend(w.image.is_none().then_some(image));
    }
    out
}

/// Values eb2ecs writes where only the deployment knows the real one; a task definition that
/// still holds one after the fill step is refused. Matched exactly (the whole value), never as
/// a substring, so a variable such as `STRIPE_ACCOUNT_ID` is not mistaken for one.
pub const PLACEHOLDER_VALUES: &[&str] = &[
    "WORKER_QUEUE_URL",
    crate::model::SQSD_IMAGE,
    "fs-REPLACE_ME",
    "subnet-REPLACE_ME",
    "sg-REPLACE_ME",
];

/// The account placeholder inside an ARN (between the ARN's colons).
pub const PLACEHOLDER_PARTS: &[&str] = &[":ACCOUNT_ID:"];

/// The account placeholder as an ECR registry host, at the start of an image.
pub const PLACEHOLDER_PREFIXES: &[&str] = &["ACCOUNT_ID.dkr.ecr."];

/// The ECR repository the workflow pushes the sqsd sidecar it builds to (the checklist's name).
pub const SQSD_REPOSITORY: &str = crate::model::SQSD_REPOSITORY;

/// The eb2ecs repository and the release tag whose `sqsd/` the workflow builds when the team
/// has no registry copy of the sidecar (the release of this eb2ecs).
pub const SQSD_SOURCE: (&str, &str) = ("eb2ecs/eb2ecs", concat!("v", env!("CARGO_PKG_VERSION")));

/// `uses:` of an action of [`ACTIONS`].
fn uses(action: &str) -> String {
    ACTIONS
        .iter()
        .find(|(a, _, _)| *a == action)
        .map_or_else(String::new, |(a, sha, _)| format!("{a}@{sha}"))
}

/// The workflow, when the model has a delivery pipeline.
pub fn render(model: &MigrationModel) -> Result<Option<String>> {
    let Some(d) = &model.delivery else {
        return Ok(None);
    };
    let doc = json!({
        "name": "Deploy to Amazon ECS",
        "on": {
            "push": {"branches": [d.options.branch]},
            "workflow_dispatch": {},
        },
        "permissions": {"id-token": "write", "contents": "read"},
        "concurrency": {
            "group": lit(&format!("deploy-ecs-{}", model.service_name)),
            "cancel-in-progress": false,
        },
        "env": {"ECS_DIR": lit(&d.options.ecs_dir)},
        "jobs": {"deploy": {
            "name": "Build and deploy",
            "runs-on": if model.environment.arm64 { "ubuntu-24.04-arm" } else { "ubuntu-latest" },
            "timeout-minutes": 60,
            "steps": steps(model, d),
        }},
    });
    let yaml = serde_yaml_ng::to_string(&doc)
        .map_err(|e| Error::Bug(format!("cannot serialise {WORKFLOW}: {e}")))?;
    serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&yaml)
        .map_err(|e| Error::Bug(format!("{WORKFLOW} does not parse back: {e}")))?;
    Ok(Some(format!("{}{}", header(model), pin_comments(&yaml))))
}

fn header(model: &MigrationModel) -> String {
    format!(
        "# Generated by eb2ecs: deploys {} to Amazon ECS, replacing `eb deploy`.\n\
         # Move it to .github/workflows/ at the root of the repository; CHECKLIST.md (Deploy)\n\
         # lists the repository variables it reads. Actions are pinned to commit SHAs.\n",
        // A comment line: a line break in the name must not end it.
        crate::text::escape(&model.service_name)
    )
}

/// Each pinned `uses:` line with its release in a comment.
fn pin_comments(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len() + 200);
    for line in yaml.lines() {
        out.push_str(line);
        let bare = line.trim_start().trim_start_matches("- ");
        if let Some((_, _, tag)) = ACTIONS
            .iter()
            .find(|(a, sha, _)| bare == format!("uses: {a}@{sha}"))
        {
            out.push_str(&format!(" # {tag}"));
        }
        out.push('\n');
    }
    out
}

fn step(name: &str, fields: Value) -> Value {
    let mut m = Map::new();
    m.insert("name".to_string(), json!(name));
    if let Value::Object(f) = fields {
        m.extend(f);
    }
    Value::Object(m)
}

/// Every step, in order.
fn steps(model: &MigrationModel, d: &Delivery) -> Vec<Value> {
    let mut out = vec![
        step(
            "Check out",
            json!({"uses": uses("actions/checkout"), "with": {"persist-credentials": false}}),
        ),
        step(
            "Assume the deploy role (OIDC)",
            json!({
                "uses": uses("aws-actions/configure-aws-credentials"),
                "with": {
                    "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
                    "aws-region": "${{ vars.AWS_REGION }}",
                },
            }),
        ),
        step(
            "Log in to Amazon ECR",
            json!({"id": "ecr", "uses": uses("aws-actions/amazon-ecr-login")}),
        ),
    ];
    out.extend(
        d.images
            .iter()
            .enumerate()
            .map(|(i, img)| build_step(i, img, model.docker_platform())),
    );
    let sidecar = sidecar_built(model);
    if sidecar.is_some() {
        out.extend(sqsd_build_steps(model.docker_platform()));
    }
    out.push(prepare_step(
        "task-definition",
        "task-definition.json",
        d,
        model,
    ));
    let mut last = render_steps(&mut out, "task-definition", "task-definition", d, None);
    if let Some(container) = sidecar {
        last = sqsd_render_step(&mut out, container, &last);
    }
    if let Some(one_off) = &model.one_off {
        out.push(prepare_step(
            "oneoff-task-definition",
            "oneoff-task-definition.json",
            d,
            model,
        ));
        let file = render_steps(
            &mut out,
            "oneoff-task-definition",
            "oneoff",
            d,
            Some(&one_off.container),
        );
        out.push(placeholder_check("the one-off task definition", &file));
        // Registered even without commands: the schedules run its latest revision.
        if !one_off.commands.is_empty() {
            out.push(one_off_step(model, one_off, &file));
        }
    }
    out.push(placeholder_check("the task definition", &last));
    out.push(step(
        "Deploy the service and wait until it is stable",
        json!({
            "id": "deploy",
            "uses": uses("aws-actions/amazon-ecs-deploy-task-definition"),
            "with": {
                "task-definition": last,
                "cluster": "${{ vars.ECS_CLUSTER }}",
                "service": "${{ vars.ECS_SERVICE }}",
                "wait-for-service-stability": true,
            },
        }),
    ));
    out.push(record_step());
    out
}

/// The repository variable that names the CloudFormation stack: set, the workflow records each
/// revision it deploys in the stack (the Terraform module ignores the service's task definition
/// instead, and leaves it unset).
pub const STACK_VARIABLE: &str = "ECS_STACK_NAME";

/// Record the deployed revision in the stack's `DeployedTaskDefinition` (same template, every
/// other parameter its previous value), so that a later stack update keeps it instead of
/// rolling the service back to the stack's first revision.
fn record_step() -> Value {
    step(
        "Record the deployed revision in the stack",
        json!({
            "if": format!("${{{{ vars.{STACK_VARIABLE} != '' }}}}"),
            "env": {
                "STACK": format!("${{{{ vars.{STACK_VARIABLE} }}}}"),
                "TASK_DEFINITION": "${{ steps.deploy.outputs.task-definition-arn }}",
            },
            "run": RECORD_SCRIPT,
        }),
    )
}

const RECORD_SCRIPT: &str = r#"set -euo pipefail
params=$(aws cloudformation describe-stacks --stack-name "$STACK" \
  --query 'Stacks[0].Parameters[].ParameterKey' --output json \
  | jq -c --arg td "$TASK_DEFINITION" 'map(if . == "DeployedTaskDefinition"
      then {ParameterKey: ., ParameterValue: $td} else {ParameterKey: ., UsePreviousValue: true} end)')
if ! out=$(aws cloudformation update-stack --stack-name "$STACK" --use-previous-template \
    --capabilities CAPABILITY_IAM --parameters "$params" 2>&1); then
  case "$out" in
    *"No updates are to be performed"*) exit 0 ;;
    *) printf '%s\n' "$out" >&2; exit 1 ;;
  esac
fi
aws cloudformation wait stack-update-complete --stack-name "$STACK"
"#;

/// Build and push one image, tagged with the commit SHA; its URI is the step's `image` output.
fn build_step(i: usize, img: &crate::model::BuiltImage, platform: &str) -> Value {
    let mut env = Map::new();
    env.insert(
        "REGISTRY".into(),
        json!("${{ steps.ecr.outputs.registry }}"),
    );
    env.insert("REPOSITORY".into(), json!(lit(&img.repository)));
    env.insert("CONTEXT".into(), json!(lit(&img.context)));
    env.insert("DOCKERFILE".into(), json!(lit(&img.dockerfile)));
    // The runner has the task's CPU architecture (an arm64 runner for Graviton tasks); the
    // platform is still named, so the image is what the task definition runs.
    let mut cmd = format!(
        "docker buildx build --platform {platform} --load --file \"$DOCKERFILE\" --tag \"$IMAGE\""
    );
    if let Some(t) = &img.target {
        env.insert("TARGET".into(), json!(lit(t)));
        cmd.push_str(" --target \"$TARGET\"");
    }
    for (n, (name, value)) in img.args.iter().enumerate() {
        let var = format!("BUILD_ARG_{}", n + 1);
        env.insert(var.clone(), json!(lit(value)));
        // `name` is a plain identifier (checked when it was decided).
        cmd.push_str(&format!(" --build-arg \"{name}=${var}\""));
    }
    for name in &img.secret_args {
        // `name` is a plain identifier (checked when it was decided): safe inside `${{ }}`;
        // docker reads the value from the step's environment, never from the command line.
        env.insert(name.clone(), json!(format!("${{{{ secrets.{name} }}}}")));
        cmd.push_str(&format!(" --build-arg {name}"));
    }
    cmd.push_str(" \"$CONTEXT\"");
    let script = format!(
        "IMAGE=\"$REGISTRY/$REPOSITORY:$GITHUB_SHA\"\n{cmd}\ndocker push \"$IMAGE\"\necho \"image=$IMAGE\" >> \"$GITHUB_OUTPUT\"\n"
    );
    step(
        &lit(&format!("Build and push {}", img.repository)),
        json!({"id": format!("build-{}", i + 1), "env": env, "run": script}),
    )
}

/// Point a task definition file at the stack's roles and log group (eb2ecs wrote it with
/// names the stack does not use), the account's ARNs and, for a worker, the queue, into the
/// runner's temporary folder: the fill step. What it cannot fill, the guard refuses.
fn prepare_step(id: &str, file: &str, d: &Delivery, model: &MigrationModel) -> Value {
    let mut env = json!({
        "SOURCE": format!("${{{{ env.ECS_DIR }}}}/{file}"),
        "TARGET": format!("${{{{ runner.temp }}}}/{file}"),
        "EXECUTION_ROLE_ARN": "${{ vars.ECS_EXECUTION_ROLE_ARN }}",
        "TASK_ROLE_ARN": "${{ vars.ECS_TASK_ROLE_ARN }}",
        "LOG_GROUP": "${{ vars.ECS_LOG_GROUP }}",
        "WRITTEN_LOG_GROUP": lit(&d.log_group),
    });
    let mut script = String::from(PREPARE_SCRIPT);
    if let Some(w) = model.worker.as_ref().filter(|w| w.queue_url.is_none()) {
        env["QUEUE_URL"] = json!("${{ vars.WORKER_QUEUE_URL }}");
        env["SIDECAR"] = json!(lit(&w.sidecar));
        script.push_str(QUEUE_FILL_SCRIPT);
    }
    script.push_str("echo \"file=$TARGET\" >> \"$GITHUB_OUTPUT\"\n");
    step(
        &format!("Fill the stack's values into {file}"),
        json!({"id": format!("prepare-{id}"), "env": env, "run": script}),
    )
}

/// The fill step's roles, log group and account: the account is the one the deploy role is
/// in (`sts get-caller-identity`), put into every ARN that holds `ACCOUNT_ID`.
const PREPARE_SCRIPT: &str = r#"set -euo pipefail
account=$(aws sts get-caller-identity --query Account --output text)
jq --arg exec "$EXECUTION_ROLE_ARN" --arg task "$TASK_ROLE_ARN" \
  --arg group "$LOG_GROUP" --arg written "$WRITTEN_LOG_GROUP" --arg account "$account" \
  '.executionRoleArn = $exec | .taskRoleArn = $task
   | .containerDefinitions |= map(if .logConfiguration.options["awslogs-group"]? == $written
       then .logConfiguration.options["awslogs-group"] = $group else . end)
   | (.. | strings | select(startswith("arn:") and contains(":ACCOUNT_ID:")))
       |= gsub(":ACCOUNT_ID:"; ":" + $account + ":")' \
  "$SOURCE" > "$TARGET"
"#;

/// A worker's queue (eb2ecs did not know it): the sidecar's `SQSD_QUEUE_URL` placeholder
/// becomes the stack's `WorkerQueueUrl` (repository variable `WORKER_QUEUE_URL`); unset, the
/// step refuses rather than deploy a sidecar that polls nothing.
const QUEUE_FILL_SCRIPT: &str = r#"if [ -z "$QUEUE_URL" ]; then
  echo "::error::repository variable WORKER_QUEUE_URL is not set (stack output WorkerQueueUrl; see CHECKLIST.md, Deploy)"
  exit 1
fi
jq --arg queue "$QUEUE_URL" --arg sidecar "$SIDECAR" \
  '.containerDefinitions |= map(if .name == $sidecar
     then .environment |= map(if .name == "SQSD_QUEUE_URL" and .value == "WORKER_QUEUE_URL"
       then .value = $queue else . end) else . end)' \
  "$TARGET" > "$TARGET.filled"
mv "$TARGET.filled" "$TARGET"
"#;

/// The sidecar container the workflow builds the image of: a worker's, unless `--sqsd-image`
/// named the team's copy (then task-definition.json already holds it).
fn sidecar_built(model: &MigrationModel) -> Option<&str> {
    let w = model.worker.as_ref()?;
    w.image.is_none().then_some(w.sidecar.as_str())
}

/// Check out the sidecar's source and build it (skipped when repository variable
/// `SQSD_IMAGE` names the team's copy, which must be pinned by digest); the step's `image`
/// output is the image by digest, never a tag.
fn sqsd_build_steps(platform: &str) -> Vec<Value> {
    let (repo, tag) = SQSD_SOURCE;
    let checkout = step(
        "Check out the sqsd sidecar's source (no registry copy in SQSD_IMAGE)",
        json!({
            "if": "vars.SQSD_IMAGE == ''",
            "uses": uses("actions/checkout"),
            "with": {"repository": repo, "ref": tag, "path": ".eb2ecs-sqsd", "persist-credentials": false},
        }),
    );
    let build = step(
        "Build and push the sqsd sidecar, pinned by digest",
        json!({
            "id": "build-sqsd",
            "env": {
                "SQSD_IMAGE": "${{ vars.SQSD_IMAGE }}",
                "REGISTRY": "${{ steps.ecr.outputs.registry }}",
                "REPOSITORY": SQSD_REPOSITORY,
                "PLATFORM": platform,
            },
            "run": SQSD_BUILD_SCRIPT,
        }),
    );
    vec![checkout, build]
}

const SQSD_BUILD_SCRIPT: &str = r#"set -euo pipefail
if [ -n "$SQSD_IMAGE" ]; then
  case "$SQSD_IMAGE" in
    *@sha256:*) echo "image=$SQSD_IMAGE" >> "$GITHUB_OUTPUT"; exit 0 ;;
    *) echo "::error::repository variable SQSD_IMAGE must name the image by digest (REPO@sha256:...), not a tag"; exit 1 ;;
  esac
fi
IMAGE="$REGISTRY/$REPOSITORY:$(git -C .eb2ecs-sqsd rev-parse HEAD)"
docker buildx build --platform "$PLATFORM" --load --file .eb2ecs-sqsd/sqsd/Dockerfile --tag "$IMAGE" .eb2ecs-sqsd
docker push "$IMAGE"
digest=$(docker image inspect --format '{{index .RepoDigests 0}}' "$IMAGE")
echo "image=$digest" >> "$GITHUB_OUTPUT"
"#;

/// Put the sidecar's image (by digest) into the task definition; the new last file.
fn sqsd_render_step(out: &mut Vec<Value>, container: &str, file: &str) -> String {
    out.push(step(
        "Put the sqsd sidecar's image into the task definition",
        json!({
            "id": "render-sqsd",
            "uses": uses("aws-actions/amazon-ecs-render-task-definition"),
            "with": {
                "task-definition": file,
                "container-name": container,
                "image": "${{ steps.build-sqsd.outputs.image }}",
            },
        }),
    ));
    "${{ steps.render-sqsd.outputs.task-definition }}".to_string()
}

/// One render step per built container (each reads the previous one's file); the last file.
fn render_steps(
    out: &mut Vec<Value>,
    prepared: &str,
    id: &str,
    d: &Delivery,
    only: Option<&str>,
) -> String {
    let mut file = format!("${{{{ steps.prepare-{prepared}.outputs.file }}}}");
    let mut n = 0;
    for (i, img) in d.images.iter().enumerate() {
        for c in img
            .containers
            .iter()
            .filter(|c| only.is_none_or(|o| o == c.as_str()))
        {
            n += 1;
            let sid = format!("render-{id}-{n}");
            out.push(step(
                &lit(&format!(
                    "Put the new image of {c} into {}",
                    if only.is_some() {
                        "the one-off task definition"
                    } else {
                        "the task definition"
                    }
                )),
                json!({
                    "id": sid,
                    "uses": uses("aws-actions/amazon-ecs-render-task-definition"),
                    "with": {
                        "task-definition": file,
                        "container-name": lit(c),
                        "image": format!("${{{{ steps.build-{}.outputs.image }}}}", i + 1),
                    },
                }),
            ));
            file = format!("${{{{ steps.{sid}.outputs.task-definition }}}}");
        }
    }
    file
}

/// Refuse to deploy a task definition that still holds a placeholder: a value that is one of
/// [`PLACEHOLDER_VALUES`], holds one of [`PLACEHOLDER_PARTS`] or starts with one of
/// [`PLACEHOLDER_PREFIXES`] (names are never checked, so an application's own
/// `STRIPE_ACCOUNT_ID` deploys).
fn placeholder_check(what: &str, file: &str) -> Value {
    step(
        &format!("Refuse placeholders in {what}"),
        json!({
            "env": {
                "FILE": file,
                "PLACEHOLDER_VALUES": json!(PLACEHOLDER_VALUES).to_string(),
                "PLACEHOLDER_PARTS": json!(PLACEHOLDER_PARTS).to_string(),
                "PLACEHOLDER_PREFIXES": json!(PLACEHOLDER_PREFIXES).to_string(),
            },
            "run": GUARD_SCRIPT,
        }),
    )
}

/// The guard: every string value (not a `name`) that is or holds a placeholder, with its path.
pub const GUARD_SCRIPT: &str = r#"set -euo pipefail
found=$(jq -r --argjson values "$PLACEHOLDER_VALUES" --argjson parts "$PLACEHOLDER_PARTS" \
  --argjson prefixes "$PLACEHOLDER_PREFIXES" '
  paths(strings) as $p | getpath($p) as $v
  | select($p[-1] != "name")
  | select(any($values[]; . == $v) or any($parts[]; . as $x | $v | contains($x))
      or any($prefixes[]; . as $x | $v | startswith($x)))
  | ($p | map(tostring) | join(".")) + ": " + $v' "$FILE")
if [ -n "$found" ]; then
  printf '%s\n' "$found"
  echo "::error::the task definition still holds placeholders (see CHECKLIST.md, Deploy)"
  exit 1
fi
"#;

/// Register the one-off task definition and run each command in order before the service
/// deploys; a command that fails stops the deployment unless EB ignored its errors.
fn one_off_step(model: &MigrationModel, one_off: &OneOff, file: &str) -> Value {
    let commands: Vec<Value> = one_off
        .commands
        .iter()
        .map(|c| json!({"name": c.name, "command": c.command, "ignore_errors": c.ignore_errors}))
        .collect();
    let launch_type = match model.launch_type {
        LaunchType::Fargate => "FARGATE",
        LaunchType::Ec2 => "",
    };
    step(
        "Run the one-off commands (EB container_commands) before the service deploys",
        json!({
            "env": {
                "FILE": file,
                "CLUSTER": "${{ vars.ECS_CLUSTER }}",
                "SERVICE": "${{ vars.ECS_SERVICE }}",
                "CONTAINER": lit(&one_off.container),
                "LAUNCH_TYPE": launch_type,
                "COMMANDS": lit(&Value::Array(commands).to_string()),
            },
            "run": ONE_OFF_SCRIPT,
        }),
    )
}

const ONE_OFF_SCRIPT: &str = r#"set -euo pipefail
arn=$(aws ecs register-task-definition --cli-input-json "file://$FILE" \
  --query taskDefinition.taskDefinitionArn --output text)
# The service's own subnets and security groups (null on the EC2 launch type's bridge network).
network=$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" \
  --query 'services[0].networkConfiguration' --output json)
count=$(jq length <<<"$COMMANDS")
for i in $(seq 0 $((count - 1))); do
  name=$(jq -r --argjson i "$i" '.[$i].name' <<<"$COMMANDS")
  ignore=$(jq -r --argjson i "$i" '.[$i].ignore_errors' <<<"$COMMANDS")
  overrides=$(jq -c --argjson i "$i" --arg c "$CONTAINER" \
    '{containerOverrides: [{name: $c, command: .[$i].command}]}' <<<"$COMMANDS")
  args=(--cluster "$CLUSTER" --task-definition "$arn" --overrides "$overrides"
    --started-by eb2ecs-one-off --query 'tasks[0].taskArn' --output text)
  if [ "$network" != "null" ]; then args+=(--network-configuration "$network"); fi
  if [ -n "$LAUNCH_TYPE" ]; then args+=(--launch-type "$LAUNCH_TYPE"); fi
  echo "Running $name"
  task=$(aws ecs run-task "${args[@]}")
  if [ -z "$task" ] || [ "$task" = "None" ]; then
    echo "::error::$name could not start (aws ecs run-task placed no task)"
    exit 1
  fi
  aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$task"
  code=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" --output json \
    | jq -r --arg c "$CONTAINER" '.tasks[0].containers[] | select(.name == $c) | .exitCode')
  if [ "$code" != "0" ]; then
    if [ "$ignore" = "true" ]; then
      echo "::warning::$name exited with $code (EB ignored its errors)"
    else
      echo "::error::$name exited with $code"
      exit 1
    fi
  fi
done
"#;
