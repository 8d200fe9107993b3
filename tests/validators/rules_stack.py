"""Rules about the stack deploying on the first try: IAM secret ARNs, names, capacity on an
existing cluster, ECS Exec, outputs the checklist uses, listeners and placeholders."""
import re

SM_SUFFIX = re.compile(r"-(\?{6}|[A-Za-z0-9]{6})$")
STACK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,127}$")
LOG_GROUP = re.compile(r"^[A-Za-z0-9_\-/.#]{1,512}$")
DEFAULT_SSL_POLICY_CODE = "SSL-POLICY-DEFAULT"
HTTP_REDIRECT_CODE = "HTTP-REDIRECTED"
EXEC_ACTIONS = {"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"}
# Names that must be unique per account (and region): from the stack name, or left out.
UNIQUE_NAMES = {
    "AWS::ECS::Cluster": "ClusterName",
    "AWS::ECS::Service": "ServiceName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "Name",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "Name",
    "AWS::EC2::SecurityGroup": "GroupName",
    "AWS::EC2::LaunchTemplate": "LaunchTemplateName",
    "AWS::AutoScaling::AutoScalingGroup": "AutoScalingGroupName",
    "AWS::ECS::CapacityProvider": "Name",
}


def _walk(v):
    yield v
    if isinstance(v, dict):
        for x in v.values():
            yield from _walk(x)
    elif isinstance(v, list):
        for x in v:
            yield from _walk(x)


def _text(v):
    """The literal text of a string, or of an Fn::Sub's template."""
    if isinstance(v, str):
        return v
    if isinstance(v, dict) and "Fn::Sub" in v:
        s = v["Fn::Sub"]
        return s if isinstance(s, str) else s[0]
    return None


def _statements(c):
    for _, res in c.resources.items():
        for node in _walk(res):
            if isinstance(node, dict) and isinstance(node.get("Statement"), list):
                yield from node["Statement"]


def _listeners(c):
    return c.of_type("AWS::ElasticLoadBalancingV2::Listener")


def _has_https(c):
    return any(p.get("Protocol") == "HTTPS" for _, p in _listeners(c))


def _default_actions(c, p):
    """A listener's actions as deployed with the stack's defaults (RedirectHttpToHttps may choose)."""
    da = p.get("DefaultActions") or []
    if isinstance(da, dict) and "Fn::If" in da:
        cond, yes, no = da["Fn::If"]
        param = (c.template.get("Parameters") or {}).get(cond, {})
        return yes if str(param.get("Default")) == "true" else no
    return da


def _redirects(c):
    return [i for i, p in _listeners(c)
            if any(a.get("Type") == "redirect" for a in _default_actions(c, p))]


def rule_http_beside_https_is_a_parameter_s_choice(c):
    """An HTTP listener beside an HTTPS one forwards or redirects as the stack parameter
    RedirectHttpToHttps says, and the parameter's default is EB's behaviour: redirect only where a
    finding says EB (or --redirect-http) did."""
    if not _has_https(c):
        return []
    problems = []
    for i, p in _listeners(c):
        if p.get("Protocol") != "HTTP":
            continue
        da = p.get("DefaultActions")
        if not (isinstance(da, dict) and da.get("Fn::If", [None])[0] == "RedirectHttpToHttps"):
            problems.append(f"listener {i} (HTTP) does not follow the RedirectHttpToHttps parameter")
    default = ((c.template.get("Parameters") or {}).get("RedirectHttpToHttps") or {}).get("Default")
    redirected = HTTP_REDIRECT_CODE in c.finding_codes() or any(
        f.get("code") == "PROXY-REDIRECT" and f.get("severity") == "info" for f in c.report.get("findings", []))
    if default == "true" and not redirected:
        problems.append("RedirectHttpToHttps defaults to true where EB forwarded HTTP")
    return problems


def rule_pipeline_owns_the_task_definition_after_the_first(c):
    """With a deploy workflow, a stack update never rolls the service back to the stack's first
    image: the service runs DeployedTaskDefinition once set, and the workflow records each
    revision it deploys there."""
    if "DeployRole" not in c.resources:
        return []
    svc = (c.resources.get("Service") or {}).get("Properties") or {}
    want = {"Fn::If": ["UseStackTaskDefinition", {"Ref": "TaskDefinition"}, {"Ref": "DeployedTaskDefinition"}]}
    problems = []
    if svc.get("TaskDefinition") != want:
        problems.append(f"the service's TaskDefinition {svc.get('TaskDefinition')!r} is the stack's alone")
    wf = c.dir / ".github/workflows/deploy-ecs.yml"
    text = wf.read_text() if wf.is_file() else ""
    if "DeployedTaskDefinition" not in text or "update-stack" not in text:
        problems.append("the workflow does not record the revision it deploys in the stack")
    return problems


def rule_ecs_exec_sessions_are_logged(c):
    """Where ECS Exec can be turned on, the cluster the stack creates logs its sessions to the
    service's log group and takes an optional KMS key."""
    cluster = c.resources.get("Cluster")
    if cluster is None or "EnableExecuteCommand" not in (c.template.get("Parameters") or {}):
        return []
    conf = (cluster.get("Properties") or {}).get("Configuration") or {}
    if isinstance(conf, dict) and "Fn::If" in conf:
        conf = conf["Fn::If"][1]
    e = conf.get("ExecuteCommandConfiguration") or {}
    problems = []
    if (e.get("LogConfiguration") or {}).get("CloudWatchLogGroupName") != {"Ref": "LogGroup"}:
        problems.append("ECS Exec sessions are not logged to the service's log group")
    if "KmsKeyId" not in e:
        problems.append("ECS Exec sessions take no KMS key")
    return problems


def rule_secretsmanager_iam_resources_match_the_suffix(c):
    """IAM matches the whole secret ARN, and a real one ends in -AbCdEf: NAME-?????? or the full ARN."""
    problems = []
    for st in _statements(c):
        res = st.get("Resource")
        for r in res if isinstance(res, list) else [res]:
            t = _text(r)
            if t and ":secretsmanager:" in t and not SM_SUFFIX.search(t):
                problems.append(f"secret resource {t} lacks the 6-character suffix (use NAME-??????)")
    return problems


def _from_stack_name(v):
    if v is None:
        return True
    if v == {"Ref": "AWS::StackName"}:
        return True
    t = _text(v)
    return isinstance(v, dict) and t is not None and "${AWS::StackName}" in t


def rule_unique_names_come_from_the_stack_name(c):
    """A second stack from the same template (staging beside production) deploys."""
    problems = []
    for cfn_type, prop in UNIQUE_NAMES.items():
        for rid, props in c.of_type(cfn_type):
            if not _from_stack_name(props.get(prop)):
                problems.append(f"{rid}.{prop} is hard-coded ({props.get(prop)!r})")
    for rid, props in c.of_type("AWS::ElasticLoadBalancingV2::TargetGroup"):
        name = props.get("Name")
        if isinstance(name, str) and len(name) > 32:
            problems.append(f"{rid}.Name longer than 32 characters")
    for rid, props in c.of_type("AWS::Logs::LogGroup"):
        literal = (_text(props.get("LogGroupName")) or "x").replace("${AWS::StackName}", "x")
        if not LOG_GROUP.match(literal):
            problems.append(f"{rid}.LogGroupName {literal!r} has characters CloudWatch Logs refuses")
    return problems


def rule_log_group_retained_and_awaited(c):
    """Logs outlive the stack; the task definition is registered after its log group exists."""
    problems = []
    groups = [k for k, r in c.resources.items() if r.get("Type") == "AWS::Logs::LogGroup"]
    for g in groups:
        r = c.resources[g]
        if r.get("DeletionPolicy") != "Retain" or r.get("UpdateReplacePolicy") != "Retain":
            problems.append(f"{g} is not retained (DeletionPolicy/UpdateReplacePolicy Retain)")
    for k, r in c.resources.items():
        if r.get("Type") != "AWS::ECS::TaskDefinition":
            continue
        deps = r.get("DependsOn") or []
        deps = [deps] if isinstance(deps, str) else deps
        refs = {n["Ref"] for n in _walk(r) if isinstance(n, dict) and isinstance(n.get("Ref"), str)}
        for g in groups:
            if g not in deps and g not in refs:
                problems.append(f"{k} does not depend on {g} (DependsOn or a Ref)")
        for cd in (r.get("Properties") or {}).get("ContainerDefinitions") or []:
            opts = (cd.get("LogConfiguration") or {}).get("Options") or {}
            group = opts.get("awslogs-group")
            # Groups the Dockerrun names are the user's own; eb2ecs's own go to the stack's.
            if groups and isinstance(group, str) and group.startswith("/ecs/"):
                problems.append(f"container {cd.get('Name')} logs to {group!r}, not the stack's log group")
    return problems


def rule_checklist_stack_name_is_valid(c):
    """CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128."""
    # A quoted shell variable (`"${EB_STACK:?…}"`) is the user's value, not a name eb2ecs wrote.
    return [f"stack name {n!r} is not a valid CloudFormation stack name"
            for n in re.findall(r"--stack-name (\S+)", c.checklist)
            if not STACK_NAME.match(n) and not n.startswith('"$')]


def _condition_mentions(c, name, target, seen=None):
    """Whether condition `name` is (or is built from) condition `target`."""
    if name == target:
        return True
    seen = seen or set()
    if name in seen:
        return False
    seen.add(name)
    body = (c.template.get("Conditions") or {}).get(name)
    refs = [n.get("Condition") or n.get("Fn::Condition") for n in _walk(body) if isinstance(n, dict)]
    return any(isinstance(r, str) and _condition_mentions(c, r, target, seen) for r in refs)


def rule_existing_cluster_capacity_left_alone(c):
    """An existing cluster keeps its capacity providers; existing instances admit the load balancer."""
    problems = []
    for k, r in c.resources.items():
        if r.get("Type") == "AWS::ECS::ClusterCapacityProviderAssociations":
            cond = r.get("Condition")
            if not cond or not _condition_mentions(c, cond, "CreateCluster"):
                problems.append(f"{k} may replace the capacity providers of an existing cluster")
    if c.launch_type == "EC2" and c.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        params = c.template.get("Parameters") or {}
        ok = any(isinstance(p.get("GroupId"), dict) and p["GroupId"].get("Ref") in params
                 and p.get("SourceSecurityGroupId") == {"Ref": "LoadBalancerSecurityGroup"}
                 and p.get("FromPort") == 32768 and p.get("ToPort") == 65535
                 for _, p in c.of_type("AWS::EC2::SecurityGroupIngress"))
        if not ok:
            problems.append("with CreateCapacity=false the existing instances never admit the load balancer")
    return problems


def rule_ecs_exec_available(c):
    """ECS Exec (what replaces SSH) works when the EnableExecuteCommand parameter turns it on; its
    default is on only where EB allowed SSH (EXEC-DEFAULT says which)."""
    problems = []
    param = (c.template.get("Parameters") or {}).get("EnableExecuteCommand")
    if not param or param.get("Default") not in ("true", "false"):
        problems.append("no EnableExecuteCommand parameter defaulting to \"true\" or \"false\"")
    for k, p in c.of_type("AWS::ECS::Service"):
        flag = p.get("EnableExecuteCommand")
        if not (isinstance(flag, dict) and flag.get("Fn::If", [None])[0] == "EnableExecuteCommand"):
            problems.append(f"{k}.EnableExecuteCommand does not follow the parameter")
    role = c.resources.get("TaskRole") or {}
    actions = set()
    for node in _walk(role):
        if isinstance(node, dict) and "Action" in node:
            a = node["Action"]
            actions.update(a if isinstance(a, list) else [a])
    if not EXEC_ACTIONS <= actions:
        problems.append(f"the task role lacks {sorted(EXEC_ACTIONS - actions)}")
    return problems


def rule_checklist_reads_the_stack_outputs(c):
    """No `<... from the stack>` placeholder; every output the checklist asks for exists."""
    problems = [f"placeholder {p}" for p in re.findall(r"<[^<>]*from the stack[^<>]*>", c.checklist)]
    outputs = c.template.get("Outputs") or {}
    for key in sorted(set(re.findall(r"OutputKey=='(\w+)'", c.checklist))):
        if key not in outputs:
            problems.append(f"the checklist reads output {key}, which the stack does not have")
    wanted = ["ServiceName", "ClusterName", "LogGroupName"]
    if c.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        wanted += ["TargetGroupArn", "LoadBalancerDNSName", "LoadBalancerCanonicalHostedZoneId"]
    problems += [f"no output {w}" for w in wanted if w not in outputs]
    return problems


def rule_http_redirect_is_reported_and_not_smoke_tested(c):
    """A 301 on plain HTTP breaks POSTs and webhooks: a finding, and the smoke test goes over HTTPS."""
    problems = []
    # EB itself redirected (its proxy, or an override of its listener): an info says so instead.
    eb_redirected = any(f.get("code") == "PROXY-REDIRECT" and f.get("severity") == "info"
                        for f in c.report.get("findings", []))
    if _redirects(c) and HTTP_REDIRECT_CODE not in c.finding_codes() and not eb_redirected:
        problems.append(f"listeners {_redirects(c)} redirect to HTTPS without a {HTTP_REDIRECT_CODE} finding")
    if _redirects(c) and re.search(r"curl [^`]*http://", c.checklist):
        problems.append("the smoke test curls http:// and would pass on the 301 redirect")
    if _has_https(c) and not re.search(r"curl [^`]*https://", c.checklist) \
            and "describe-target-health" not in c.checklist:
        problems.append("nothing in the checklist tests the app over HTTPS")
    return problems


def rule_ssl_policy_chosen_by_eb2ecs_is_reported(c):
    """Nobody loses TLS 1.0/1.1 clients without knowing: every HTTPS listener's comment says its
    SslPolicy came from the EB settings, or an SSL-POLICY-DEFAULT finding names the listener. (The rule
    sees the artefacts, not the settings: the policy eb2ecs picks always needs the finding.)"""
    problems = []
    raw = (c.dir / "cloudformation.yaml").read_text() if (c.dir / "cloudformation.yaml").is_file() else ""
    findings = [f for f in c.report.get("findings", []) if f.get("code") == DEFAULT_SSL_POLICY_CODE]
    for k, p in _listeners(c):
        if p.get("Protocol") != "HTTPS":
            continue
        reported = any(f.get("location") == f"listener {p.get('Port')}" for f in findings)
        # The listener's comment (the lines directly above it) says where its policy came from.
        block = re.search(rf"((?:^  # .*\n)*)^  {k}:\n", raw, re.M)
        note = block.group(1) if block else ""
        from_settings = "TLS policy from the EB settings" in note
        # The listener eb2ecs adds where TLS ended in the container names its policy in the
        # TLS-IN-CONTAINER finding.
        told = "TLS policy chosen by eb2ecs" in note and any(
            f.get("code") == "TLS-IN-CONTAINER" for f in c.report.get("findings", []))
        if not p.get("SslPolicy"):
            problems.append(f"{k} has no SslPolicy")
        elif not reported and not from_settings and not told:
            problems.append(f"{k} uses {p['SslPolicy']} without a {DEFAULT_SSL_POLICY_CODE} finding or a note that the EB settings chose it")
        elif reported and from_settings:
            problems.append(f"{k}: the stack says the settings chose {p['SslPolicy']}, the report says eb2ecs did")
    return problems


def rule_listener_ids_and_ports_unique(c):
    """One listener per port (a duplicate YAML key silently drops one when parsed)."""
    raw = (c.dir / "cloudformation.yaml").read_text() if (c.dir / "cloudformation.yaml").is_file() else ""
    ids = re.findall(r"^  (\w+):\n    Type: AWS::ElasticLoadBalancingV2::Listener\n", raw, re.M)
    problems = [f"listener id {i} twice" for i in sorted(set(ids)) if ids.count(i) > 1]
    ports = [p.get("Port") for _, p in _listeners(c)]
    problems += [f"listener port {p} twice" for p in sorted(set(ports), key=str) if ports.count(p) > 1]
    return problems


def rule_stack_has_no_placeholders(c):
    """Nothing in the stack that cannot be deployed as written."""
    raw = (c.dir / "cloudformation.yaml").read_text() if (c.dir / "cloudformation.yaml").is_file() else ""
    # The placeholders as eb2ecs writes them, as words of their own: an application's
    # STRIPE_ACCOUNT_ID (or a project's own ${AWS_ACCOUNT_ID}) is not one (issue 25, item 1).
    return [f"cloudformation.yaml contains {w}" for w in ("REPLACE_ME", "ACCOUNT_ID")
            if re.search(rf"(?<![A-Za-z0-9_]){w}(?![A-Za-z0-9_])", raw)]


def rule_ec2_instances_keep_task_credentials_from_imds(c):
    """Bridge-mode tasks cannot reach the instance role: the launch template requires IMDSv2 with
    a hop limit of 1 (AWS's recommendation for ECS on EC2)."""
    problems = []
    for k, p in c.of_type("AWS::EC2::LaunchTemplate"):
        m = (p.get("LaunchTemplateData") or {}).get("MetadataOptions") or {}
        if m.get("HttpTokens") != "required" or m.get("HttpPutResponseHopLimit") != 1:
            problems.append(f"{k}: MetadataOptions {m!r} (want HttpTokens required, HttpPutResponseHopLimit 1)")
    return problems


def rule_ec2_instances_are_replaced_when_their_template_changes(c):
    """A new launch template version (a new ECS AMI) replaces the instances one at a time with
    MinInstancesInService below MaxSize (CloudFormation refuses it otherwise), and the capacity
    provider drains their tasks first."""
    problems = []
    for k, r in c.resources.items():
        if r.get("Type") != "AWS::AutoScaling::AutoScalingGroup":
            continue
        u = (r.get("UpdatePolicy") or {}).get("AutoScalingRollingUpdate")
        if not u:
            problems.append(f"{k}: no AutoScalingRollingUpdate")
            continue
        if int(u.get("MinInstancesInService", 0)) >= int((r.get("Properties") or {}).get("MaxSize", 0)):
            problems.append(f"{k}: MinInstancesInService {u.get('MinInstancesInService')} is not below MaxSize")
    for k, p in c.of_type("AWS::ECS::CapacityProvider"):
        if (p.get("AutoScalingGroupProvider") or {}).get("ManagedDraining") != "ENABLED":
            problems.append(f"{k}: no managed draining")
    return problems
