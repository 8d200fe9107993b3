"""Rules about worker environments (EB's sqsd) and their periodic tasks (cron.yaml): the sqsd
sidecar carries every sqsd option, the queue has EB's retry semantics, the roles can do exactly
what they need on exactly that queue, the schedules are valid EventBridge cron expressions."""
import json
import re

SQSD_ENV = {
    "SQSD_APP_URL", "SQSD_CONNECT_TIMEOUT", "SQSD_ERROR_VISIBILITY_TIMEOUT", "SQSD_HTTP_CONNECTIONS",
    "SQSD_HTTP_PATH", "SQSD_INACTIVITY_TIMEOUT", "SQSD_MAX_RETRIES", "SQSD_MIME_TYPE",
    "SQSD_PERIODIC_TASKS", "SQSD_QUEUE_URL", "SQSD_RETENTION_PERIOD", "SQSD_VISIBILITY_TIMEOUT",
}
NUMERIC = {"SQSD_CONNECT_TIMEOUT", "SQSD_ERROR_VISIBILITY_TIMEOUT", "SQSD_HTTP_CONNECTIONS",
           "SQSD_INACTIVITY_TIMEOUT", "SQSD_MAX_RETRIES", "SQSD_RETENTION_PERIOD",
           "SQSD_VISIBILITY_TIMEOUT"}
CONSUME = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
           "sqs:GetQueueAttributes"}
QUEUE_URLS = ({"Ref": "WorkerQueue"}, {"Ref": "ExistingWorkerQueueUrl"})


def _is_worker(c):
    return "WORKER-TIER" in c.finding_codes() and any(
        f["code"] == "WORKER-TIER" and f["severity"] != "blocker" for f in c.report.get("findings", []))


def _sidecar(c):
    """The sqsd container of the stack's task definition, its environment as a dict."""
    for _, td in c.of_type("AWS::ECS::TaskDefinition"):
        for cd in td.get("ContainerDefinitions", []):
            env = {e["Name"]: e["Value"] for e in cd.get("Environment", [])}
            if "SQSD_QUEUE_URL" in env:
                return cd, env
    return None, {}


def _queue_arn(c):
    """The worker queue's ARN as the stack writes it."""
    if "WorkerQueue" in c.resources:
        return {"Fn::GetAtt": ["WorkerQueue", "Arn"]}
    return ((c.template.get("Outputs") or {}).get("WorkerQueueArn") or {}).get("Value")


def _statements(role):
    for pol in (role.get("Properties") or {}).get("Policies", []):
        if "Fn::If" in pol:
            pol = pol["Fn::If"][1]
        if isinstance(pol, dict) and "PolicyDocument" in pol:
            yield from pol["PolicyDocument"]["Statement"]


def _as_list(v):
    return v if isinstance(v, list) else [v]


def rule_worker_sidecar_carries_every_sqsd_option(c):
    """A converted worker has the sqsd sidecar with every EB sqsd option, its image a parameter."""
    cd, env = _sidecar(c)
    if not _is_worker(c):
        return ["a stack has an sqsd sidecar but no WORKER-TIER finding"] if cd else []
    if cd is None:
        return ["a worker environment without the sqsd sidecar container"]
    problems = [f"sidecar environment lacks {k}" for k in sorted(SQSD_ENV - set(env))]
    problems += [f"{k} is {env[k]!r}, not a whole number" for k in sorted(NUMERIC & set(env))
                 if not str(env[k]).isdigit()]
    if not str(env.get("SQSD_HTTP_PATH", "/")).startswith("/"):
        problems.append(f"SQSD_HTTP_PATH {env['SQSD_HTTP_PATH']!r} is not a path")
    if env.get("SQSD_QUEUE_URL") not in QUEUE_URLS:
        problems.append(f"SQSD_QUEUE_URL is {env.get('SQSD_QUEUE_URL')!r}, not the stack's queue")
    default = (c.template.get("Parameters") or {}).get("SqsdImage", {}).get("Default")
    if cd.get("Image") != {"Ref": "SqsdImage"}:
        problems.append("the sidecar's image is not the SqsdImage parameter")
    if default is not None and default.startswith("ghcr.io/eb2ecs/"):
        problems.append(f"SqsdImage defaults to eb2ecs's published tag {default!r}, which can move under a running service")
    tasks = json.loads(env.get("SQSD_PERIODIC_TASKS") or "{}")
    if any(not str(u).startswith("/") for u in tasks.values()):
        problems.append(f"SQSD_PERIODIC_TASKS has a url that is not a path: {tasks}")
    if "SQSD_IMAGE" not in c.checklist and "SqsdImage=" not in c.checklist:
        problems.append("the checklist neither builds the sqsd image (SQSD_IMAGE) nor deploys a given one (SqsdImage=)")
    return problems


def rule_worker_queue_has_sqsd_retry_semantics(c):
    """The created queue: EB's visibility timeout and retention, dead-letter after MaxRetries."""
    cd, env = _sidecar(c)
    queue = (c.resources.get("WorkerQueue") or {}).get("Properties")
    if cd is None or queue is None:
        return []
    problems = []
    redrive = queue.get("RedrivePolicy") or {}
    for key, got in (("SQSD_MAX_RETRIES", redrive.get("maxReceiveCount")),
                     ("SQSD_VISIBILITY_TIMEOUT", queue.get("VisibilityTimeout")),
                     ("SQSD_RETENTION_PERIOD", queue.get("MessageRetentionPeriod"))):
        if str(got) != str(env.get(key)):
            problems.append(f"the queue has {got} where the sidecar's {key} is {env.get(key)}")
    if redrive.get("deadLetterTargetArn") != {"Fn::GetAtt": ["WorkerDeadLetterQueue", "Arn"]}:
        problems.append("the queue's redrive policy does not target WorkerDeadLetterQueue")
    return problems


def rule_worker_task_role_reads_exactly_its_queue(c):
    """The task role's SQS permissions are the sidecar's four actions on the worker queue only."""
    role = c.resources.get("TaskRole") or {}
    sqs = [st for st in _statements(role)
           if any(str(a).startswith("sqs:") for a in _as_list(st.get("Action")))]
    if not _is_worker(c):
        return ["the task role has SQS permissions outside a worker"] if sqs else []
    if len(sqs) != 1:
        return [f"the task role has {len(sqs)} SQS statements, not one"]
    st = sqs[0]
    problems = []
    if set(_as_list(st["Action"])) != CONSUME or len(_as_list(st["Action"])) != 4:
        problems.append(f"task role SQS actions are {st['Action']}, not exactly {sorted(CONSUME)}")
    if _as_list(st["Resource"]) != [_queue_arn(c)]:
        problems.append(f"task role SQS resource is {st['Resource']}, not the worker queue's ARN")
    return problems


def rule_scheduler_role_only_sends_to_the_queue(c):
    """Every cron.yaml schedule's role: trusted by scheduler.amazonaws.com for this account,
    allowed only sqs:SendMessage on the worker queue; the target is SQS SendMessage to that
    queue; its state follows the SchedulesEnabled parameter (cron jobs' schedules: rules_oneoff)."""
    problems = []
    for sid, props in c.of_type("AWS::Scheduler::Schedule"):
        if not sid.startswith("WorkerSchedule"):
            continue
        if props.get("State") != {"Fn::If": ["SchedulesEnabled", "ENABLED", "DISABLED"]}:
            problems.append(f"{sid}: state {props.get('State')} does not follow SchedulesEnabled")
        target = props.get("Target") or {}
        role_id = (target.get("RoleArn") or {}).get("Fn::GetAtt", [None])[0]
        role = c.resources.get(role_id) or {}
        trust = (role.get("Properties") or {}).get("AssumeRolePolicyDocument", {}).get("Statement", [])
        if not trust or any(s.get("Principal") != {"Service": "scheduler.amazonaws.com"}
                            or "aws:SourceAccount" not in json.dumps(s.get("Condition")) for s in trust):
            problems.append(f"{sid}: role {role_id} is not trusted by scheduler.amazonaws.com for this account only")
        for st in _statements(role):
            if _as_list(st["Action"]) != ["sqs:SendMessage"] or _as_list(st["Resource"]) != [_queue_arn(c)]:
                problems.append(f"{sid}: role {role_id} allows {st['Action']} on {st['Resource']}")
        if target.get("Arn") != {"Fn::Sub": "arn:${AWS::Partition}:scheduler:::aws-sdk:sqs:sendMessage"}:
            problems.append(f"{sid}: target {target.get('Arn')} is not SQS SendMessage")
        problems += _input_problems(sid, target.get("Input"))
    return problems


def _input_problems(sid, value):
    """The SendMessage input: the worker queue's URL spliced into JSON naming the task."""
    parts = (value or {}).get("Fn::Join", ["", []])[1] if isinstance(value, dict) else []
    if len(parts) != 3 or parts[1] not in QUEUE_URLS:
        return [f"{sid}: input does not send to the worker queue: {value}"]
    try:
        msg = json.loads(parts[0] + "https://queue" + parts[2])
    except (TypeError, ValueError) as e:
        return [f"{sid}: input is not JSON once the queue URL is in: {e}"]
    name = ((msg.get("MessageAttributes") or {}).get("beanstalk.sqsd.task_name") or {}).get("StringValue")
    return [] if name else [f"{sid}: the message does not name its task (beanstalk.sqsd.task_name)"]


_FIELD = {
    "minute": (0, 59, {}), "hour": (0, 23, {}), "dom": (1, 31, {}),
    "month": (1, 12, {m: i + 1 for i, m in enumerate(
        "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}),
    "dow": (1, 7, {d: i + 1 for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}),
}


def _field_ok(kind, text):
    lo, hi, names = _FIELD[kind]
    if text == "*":
        return True
    for item in text.split(","):
        rng, _, step = item.partition("/")
        if step and not step.isdigit():
            return False
        for v in rng.split("-") if rng != "*" else []:
            n = names.get(v) if v in names else (int(v) if v.isdigit() else None)
            if n is None or not lo <= n <= hi:
                return False
    return True


def eventbridge_cron_problem(expr):
    """Why `expr` is not an EventBridge cron expression (None when it is one)."""
    m = re.fullmatch(r"cron\((.*)\)", expr or "")
    fields = m.group(1).split(" ") if m else []
    if len(fields) != 6:
        return "not cron() with six fields"
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        return "exactly one of day-of-month and day-of-week must be ?"
    for kind, text in (("minute", minute), ("hour", hour), ("dom", dom), ("month", month), ("dow", dow)):
        if text != "?" and not _field_ok(kind, text):
            return f"{kind} field {text!r} is not valid"
    return None if year == "*" else "the year is not *"


def rule_schedules_are_eventbridge_cron_in_utc(c):
    """Every schedule expression is a valid EventBridge cron (six fields, one ?) in UTC, and the
    stack has as many schedules as the CRON-SCHEDULE findings name."""
    problems = []
    schedules = c.of_type("AWS::Scheduler::Schedule")
    for sid, props in schedules:
        why = eventbridge_cron_problem(props.get("ScheduleExpression"))
        if why:
            problems.append(f"{sid}: {props.get('ScheduleExpression')!r}: {why}")
        if props.get("ScheduleExpressionTimezone") != "UTC":
            problems.append(f"{sid}: not in UTC (EB's cron.yaml is UTC)")
    named = sum(len(re.findall(r"cron\([^)]*\)", f["message"])) for f in c.report.get("findings", [])
                if f["code"] in ("CRON-SCHEDULE", "CRON-FILE"))
    if c.template and named != len(schedules):
        problems.append(f"the findings name {named} schedules, the stack has {len(schedules)}")
    return problems


def rule_worker_scales_on_backlog_per_task(c):
    """A worker scales on its queue's visible messages per running task, on the service's
    scalable target."""
    if not _is_worker(c) or not c.template:
        return []
    for _, p in c.of_type("AWS::ApplicationAutoScaling::ScalingPolicy"):
        spec = (p.get("TargetTrackingScalingPolicyConfiguration") or {}).get("CustomizedMetricSpecification")
        text = json.dumps(spec)
        if spec and "ApproximateNumberOfMessagesVisible" in text and "RunningTaskCount" in text \
                and p.get("ScalingTargetId") == {"Ref": "ScalableTarget"}:
            return []
    return ["a worker without a scaling policy on the queue's backlog per task"]


def rule_worker_backlog_counts_in_flight_messages(c):
    """Scale-in never counts a busy task as idle: the backlog per task adds the messages in flight
    (received, not yet deleted) to the visible ones."""
    policy = (c.resources.get("WorkerBacklogScalingPolicy") or {}).get("Properties")
    if policy is None:
        return []
    metrics = policy["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]["Metrics"]
    names = {m["MetricStat"]["Metric"]["MetricName"] for m in metrics if "MetricStat" in m}
    if "ApproximateNumberOfMessagesNotVisible" not in names:
        return ["the backlog scaling ignores in-flight messages (ApproximateNumberOfMessagesNotVisible)"]
    return []


def rule_worker_sidecar_drains_and_waits_for_the_application(c):
    """The sidecar gets ECS's longest stop (120 s) to finish what it holds, and starts only once
    the application is up: HEALTHY when the application has a health check, START otherwise."""
    cd, _ = _sidecar(c)
    if cd is None:
        return []
    problems = []
    if cd.get("StopTimeout") != 120:
        problems.append(f"the sidecar's StopTimeout is {cd.get('StopTimeout')!r}, not 120")
    deps = {d.get("ContainerName"): d.get("Condition") for d in cd.get("DependsOn") or []}
    for _, td in c.of_type("AWS::ECS::TaskDefinition"):
        for app in td.get("ContainerDefinitions", []):
            if app is cd or app.get("Name") not in deps:
                continue
            want = "HEALTHY" if app.get("HealthCheck") else "START"
            if deps[app["Name"]] != want:
                problems.append(f"the sidecar waits for {app['Name']} to {deps[app['Name']]}, not {want}")
    if not deps:
        problems.append("the sidecar does not wait for the application")
    return problems
