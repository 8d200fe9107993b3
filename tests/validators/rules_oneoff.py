"""Rules about the one-off task (container_commands, predeploy hooks): it runs the service's
application container as the service does (image, environment, secrets, roles), once, without
ports, logging apart; and the checklist's run-task commands name what the stack really creates."""
import json
import re

ONEOFF_FILE = "oneoff-task-definition.json"
ONEOFF_ID = "OneOffTaskDefinition"
RUN_OUTPUTS = {"ClusterName", "OneOffTaskDefinitionArn"}
NETWORK_OUTPUTS = {
    "TaskSubnets": {"Fn::Join": [",", {"Ref": "Subnets"}]},
    "TaskSecurityGroup": {"Ref": "ServiceSecurityGroup"},
}


def _one_off(c):
    """The one-off task definition JSON, or None."""
    path = c.dir / ONEOFF_FILE
    return json.loads(path.read_text()) if path.is_file() else None


def _stack_pair(c):
    """(service task definition, one-off task definition) properties of the stack."""
    res = c.resources
    props = lambda k: (res.get(k) or {}).get("Properties")  # noqa: E731
    return props("TaskDefinition"), props(ONEOFF_ID)


def _cron_only(c, td):
    """Whether the one-off task exists only for cron jobs' schedules: no command of its own."""
    cron = [sid for sid, _ in c.of_type("AWS::Scheduler::Schedule") if sid.startswith("CronSchedule")]
    command = (td or {}).get("containerDefinitions", [{}])[0].get("command")
    return bool(cron) and command == ["sh", "-c", "true"]


def _by_name(containers, key="name"):
    return {x.get(key): x for x in containers or []}


def rule_oneoff_exists_with_its_findings(c):
    """A one-off task exactly when the report says EB ran commands at deployment (ONEOFF-TASK),
    in the JSON, the stack and the artefact list alike; container_commands are never left as
    an unconverted key."""
    problems = []
    has_json = _one_off(c) is not None
    has_finding = "ONEOFF-TASK" in c.finding_codes() or _cron_only(c, _one_off(c))
    has_stack = ONEOFF_ID in c.resources
    listed = ONEOFF_FILE in (c.report.get("summary") or c.report).get("artefacts", [])
    if len({has_json, has_finding, has_stack, listed}) != 1:
        problems.append(f"one-off task: json {has_json}, ONEOFF-TASK {has_finding}, stack {has_stack}, listed {listed}")
    for f in c.report.get("findings", []):
        if f["code"] == "EBEXTENSION-NOT-CONVERTED" and f.get("location") == "container_commands":
            problems.append("container_commands reported as not converted")
    return problems


def rule_oneoff_runs_the_service_container(c):
    """The one-off container has the image, environment and secrets of the service's container
    of the same name, and the task the same roles (JSON and stack)."""
    td = _one_off(c)
    if td is None:
        return []
    problems = []
    service = _by_name(c.task_definition.get("containerDefinitions"))
    for x in td["containerDefinitions"]:
        s = service.get(x["name"])
        if s is None:
            problems.append(f"one-off container {x['name']} is not a service container")
            continue
        for key in ("image", "environment", "secrets", "repositoryCredentials"):
            if x.get(key) != s.get(key):
                problems.append(f"one-off {key} {x.get(key)!r} != the service's {s.get(key)!r}")
    for key in ("taskRoleArn", "executionRoleArn", "networkMode", "requiresCompatibilities"):
        if td.get(key) != c.task_definition.get(key):
            problems.append(f"one-off {key} {td.get(key)!r} != the service's {c.task_definition.get(key)!r}")
    main, one = _stack_pair(c)
    if one is not None:
        for key in ("ExecutionRoleArn", "TaskRoleArn", "NetworkMode", "RequiresCompatibilities"):
            if one.get(key) != main.get(key):
                problems.append(f"stack {ONEOFF_ID}.{key} {one.get(key)!r} != TaskDefinition's {main.get(key)!r}")
        stack_service = _by_name(main.get("ContainerDefinitions"), "Name")
        for x in one.get("ContainerDefinitions", []):
            s = stack_service.get(x.get("Name")) or {}
            for key in ("Image", "Environment", "Secrets", "RepositoryCredentials"):
                if x.get(key) != s.get(key):
                    problems.append(f"stack one-off {key} {x.get(key)!r} != the service's {s.get(key)!r}")
    return problems


def rule_oneoff_is_one_container_without_ports_logging_apart(c):
    """The one-off task is one essential container with a command, no ports, links or health
    check, logging to the service's group under the stream prefix `oneoff`; family
    `<family>-oneoff`, in the JSON and the stack."""
    td = _one_off(c)
    if td is None:
        return []
    problems = []
    if td.get("family") != c.task_definition.get("family", "") + "-oneoff":
        problems.append(f"one-off family {td.get('family')!r}")
    _, one = _stack_pair(c)
    stack = [] if one is None else one.get("ContainerDefinitions", [])
    if one is not None and one.get("Family") != td.get("family"):
        problems.append(f"stack one-off family {one.get('Family')!r} != {td.get('family')!r}")
    containers = [(x, "") for x in td["containerDefinitions"]] + [(x, "stack ") for x in stack]
    if len(td["containerDefinitions"]) != 1 or len(stack) not in (0, 1):
        problems.append("the one-off task must have exactly one container")
    for x, where in containers:
        get = lambda k: x.get(k) if not where else x.get(k[0].upper() + k[1:])  # noqa: E731
        for key in ("portMappings", "links", "healthCheck", "dependsOn"):
            if get(key):
                problems.append(f"{where}one-off container has {key}")
        if get("essential") is not True or not get("command"):
            problems.append(f"{where}one-off container is not essential or has no command")
        log = get("logConfiguration") or {}
        options = log.get("options") or log.get("Options") or {}
        if options.get("awslogs-stream-prefix") != "oneoff":
            problems.append(f"{where}one-off container logs with prefix {options.get('awslogs-stream-prefix')!r}")
    return problems


def rule_oneoff_checklist_runs_what_the_stack_creates(c):
    """One run-task step per one-off command: on the stack's cluster, with the one-off task
    definition the stack outputs, the conversion's launch type, the network outputs for awsvpc
    (outputs that exist and name the service's subnets and security group), the one-off
    container in the overrides, then a wait and an exit code check."""
    td = _one_off(c)
    if td is None:
        return []
    problems = []
    outputs = c.template.get("Outputs") or {}
    if outputs.get("OneOffTaskDefinitionArn", {}).get("Value") != {"Ref": ONEOFF_ID}:
        problems.append("no OneOffTaskDefinitionArn output naming OneOffTaskDefinition")
    steps = [line for line in c.checklist.splitlines() if "TASK_ARN=\"$(aws ecs run-task" in line]
    commands = [f for f in c.report.get("findings", []) if f["code"] == "ONEOFF-TASK"]
    if _cron_only(c, td):
        return problems + ([f"{len(steps)} run-task steps for a task only schedules use"] if steps else [])
    if not steps or not commands:
        return problems + [f"{len(steps)} run-task steps in the checklist"]
    name = td["containerDefinitions"][0]["name"]
    for line in steps:
        wanted = [
            "CLUSTER=\"$(aws cloudformation describe-stacks", "OutputKey=='ClusterName'",
            "OutputKey=='OneOffTaskDefinitionArn'",
            f'"name":"{name}"', "aws ecs describe-tasks", "lastStatus", "exitCode",
        ]
        # Fargate names its launch type; on EC2 the cluster's capacity provider places the task.
        if c.launch_type == "FARGATE":
            wanted.append("--launch-type FARGATE")
        elif "--launch-type" in line:
            problems.append("an EC2 run-task that bypasses the capacity provider (--launch-type)")
        if td.get("networkMode") == "awsvpc":
            wanted += [f"OutputKey=='{k}'" for k in NETWORK_OUTPUTS] + ["--network-configuration"]
        elif "--network-configuration" in line:
            problems.append("a network configuration for a task without awsvpc")
        problems += [f"run-task step lacks {w}" for w in wanted if w not in line]
        if not re.search(r'aws ecs run-task --region \S+ --cluster "\$CLUSTER" --task-definition', line):
            problems.append("run-task does not run on the stack's cluster")
        for key in re.findall(r"OutputKey=='(\w+)'", line):
            if key not in outputs:
                problems.append(f"run-task step reads output {key}, which the stack does not have")
    if td.get("networkMode") == "awsvpc":
        for key, value in NETWORK_OUTPUTS.items():
            if outputs.get(key, {}).get("Value") != value:
                problems.append(f"output {key} is {outputs.get(key)!r}, not {value!r}")
    return problems


def rule_cron_schedules_run_only_the_one_off_task(c):
    """Each cron job's schedule: disabled until SchedulesEnabled (default "false") says so; its
    role trusted by scheduler.amazonaws.com for this account and allowed only ecs:RunTask of the
    one-off family and iam:PassRole of the task's two roles; it runs the one-off family's latest
    revision with a command override of the one-off container."""
    cron = [(sid, p) for sid, p in c.of_type("AWS::Scheduler::Schedule") if sid.startswith("CronSchedule")]
    if not cron:
        return []
    td = _one_off(c)
    if td is None:
        return ["cron schedules without a one-off task"]
    problems = []
    param = (c.template.get("Parameters") or {}).get("SchedulesEnabled") or {}
    if param.get("Default") != "false":
        problems.append(f"SchedulesEnabled defaults to {param.get('Default')!r}, not \"false\"")
    family, name = td["family"], td["containerDefinitions"][0]["name"]
    arn = "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/" + family
    allowed = {
        "ecs:RunTask": [{"Fn::Sub": arn}, {"Fn::Sub": arn + ":*"}],
        "iam:PassRole": [{"Fn::GetAtt": ["ExecutionRole", "Arn"]}, {"Fn::GetAtt": ["TaskRole", "Arn"]}],
    }
    for sid, props in cron:
        if props.get("State") != {"Fn::If": ["SchedulesEnabled", "ENABLED", "DISABLED"]}:
            problems.append(f"{sid}: state {props.get('State')} does not follow SchedulesEnabled")
        target = props.get("Target") or {}
        role_id = (target.get("RoleArn") or {}).get("Fn::GetAtt", [None])[0]
        role = c.resources.get(role_id) or {}
        trust = (role.get("Properties") or {}).get("AssumeRolePolicyDocument", {}).get("Statement", [])
        if not trust or any(s.get("Principal") != {"Service": "scheduler.amazonaws.com"}
                            or "aws:SourceAccount" not in json.dumps(s.get("Condition")) for s in trust):
            problems.append(f"{sid}: role {role_id} is not trusted by scheduler.amazonaws.com for this account only")
        for pol in (role.get("Properties") or {}).get("Policies", []):
            for st in pol["PolicyDocument"]["Statement"]:
                if allowed.get(st["Action"]) != st["Resource"]:
                    problems.append(f"{sid}: role {role_id} allows {st['Action']} on {st['Resource']}")
        ecs = target.get("EcsParameters") or {}
        if ecs.get("TaskDefinitionArn") != {"Fn::Sub": arn}:
            problems.append(f"{sid}: runs {ecs.get('TaskDefinitionArn')}, not the one-off family")
        if ecs.get("LaunchType") != c.launch_type:
            problems.append(f"{sid}: launch type {ecs.get('LaunchType')}")
        try:
            overrides = json.loads(target.get("Input") or "")["containerOverrides"]
        except (TypeError, ValueError, KeyError) as e:
            problems.append(f"{sid}: input is not RunTask overrides: {e}")
            continue
        if [o.get("name") for o in overrides] != [name] or overrides[0].get("command", [None])[0] != "sh":
            problems.append(f"{sid}: overrides {overrides} do not run a command in {name}")
    return problems
