"""The Terraform module says what cloudformation.yaml says.

Usage: terraform_parity.py DIR...   (each DIR holds cloudformation.yaml and terraform/*.tf)

Every .tf file is parsed with python-hcl2 (a parse error fails). From each side the same facts
are extracted, keyed by the CloudFormation resource type (the MAPPING table below names the
Terraform type of each): the resources that exist (count/for_each aside) and their key
attributes: ports, health check, CPU/memory, desired count, scaling bounds and metric, IAM
actions and resources, listener protocols. The two sets must be equal.

Runs in .venv-hcl2 (python-hcl2 and PyYAML); imports the CloudFormation loader of rules.py.
`terraform validate` is not run: it needs the AWS provider, which cannot be downloaded here.
"""

import json
import os
import re
import sys

import hcl2
import yaml

sys.path.insert(0, os.path.dirname(__file__))
from rules import CfnLoader  # noqa: E402

# CloudFormation type -> Terraform type(s) that create the same thing.
MAPPING = {
    "AWS::ECS::Cluster": ["aws_ecs_cluster"],
    "AWS::Logs::LogGroup": ["aws_cloudwatch_log_group"],
    "AWS::IAM::Role": ["aws_iam_role"],
    "AWS::IAM::InstanceProfile": ["aws_iam_instance_profile"],
    "AWS::ECS::TaskDefinition": ["aws_ecs_task_definition"],
    "AWS::EC2::SecurityGroup": ["aws_security_group"],
    "AWS::EC2::SecurityGroupIngress": ["aws_vpc_security_group_ingress_rule"],
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ["aws_lb"],
    "AWS::ElasticLoadBalancingV2::TargetGroup": ["aws_lb_target_group"],
    "AWS::ElasticLoadBalancingV2::Listener": ["aws_lb_listener"],
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": ["aws_lb_listener_certificate"],
    "AWS::ElasticLoadBalancingV2::ListenerRule": ["aws_lb_listener_rule"],
    "AWS::EC2::LaunchTemplate": ["aws_launch_template"],
    "AWS::AutoScaling::AutoScalingGroup": ["aws_autoscaling_group"],
    "AWS::ECS::CapacityProvider": ["aws_ecs_capacity_provider"],
    "AWS::ECS::ClusterCapacityProviderAssociations": ["aws_ecs_cluster_capacity_providers"],
    "AWS::ECS::Service": ["aws_ecs_service"],
    "AWS::ApplicationAutoScaling::ScalableTarget": ["aws_appautoscaling_target"],
    "AWS::ApplicationAutoScaling::ScalingPolicy": ["aws_appautoscaling_policy"],
    "AWS::IAM::OIDCProvider": ["aws_iam_openid_connect_provider"],
    "AWS::ECR::Repository": ["aws_ecr_repository"],  # delivery.yaml's
    "AWS::SQS::Queue": ["aws_sqs_queue"],
    "AWS::Scheduler::Schedule": ["aws_scheduler_schedule"],
    # Carried from .ebextensions Resources (src/cfn_types.rs).
    "AWS::DynamoDB::Table": ["aws_dynamodb_table"],
    "AWS::SNS::Topic": ["aws_sns_topic"],
    "AWS::SQS::QueuePolicy": ["aws_sqs_queue_policy"],
    "AWS::S3::Bucket": ["aws_s3_bucket"],
    "AWS::CloudWatch::Alarm": ["aws_cloudwatch_metric_alarm"],
}
# Terraform resources with no resource of their own in the stack (inline there).
INLINE = {
    "aws_iam_role_policy",  # Policies of AWS::IAM::Role
    "aws_iam_role_policy_attachment",  # ManagedPolicyArns of AWS::IAM::Role
    "aws_vpc_security_group_egress_rule",  # a security group's default egress
    "aws_ecr_lifecycle_policy",  # LifecyclePolicy of AWS::ECR::Repository
    "aws_sns_topic_subscription",  # Subscription of AWS::SNS::Topic (or AWS::SNS::Subscription)
    "aws_s3_bucket_versioning",  # VersioningConfiguration of AWS::S3::Bucket
}
# Stack resources the module writes as one of INLINE's (a carried AWS::IAM::Policy is an
# aws_iam_role_policy per role; a carried AWS::SNS::Subscription an aws_sns_topic_subscription).
CFN_INLINE = {"AWS::IAM::Policy", "AWS::SNS::Subscription"}
TF_TO_CFN = {tf: cfn for cfn, tfs in MAPPING.items() for tf in tfs}


def cfn_ingress_rules(resources):
    """Inline SecurityGroupIngress entries count as rules, like Terraform's rule resources."""
    out = []
    for r in resources.values():
        props = r.get("Properties", {})
        if r["Type"] == "AWS::EC2::SecurityGroup":
            for rule in props.get("SecurityGroupIngress", []):
                out.append(("ingress", int(rule["FromPort"]), int(rule["ToPort"])))
        if r["Type"] == "AWS::EC2::SecurityGroupIngress":
            out.append(("ingress", int(props["FromPort"]), int(props["ToPort"])))
    return out


def cfn_actions(resources):
    """Every (action, resource) pair an inline policy of a role grants."""
    out = set()
    for r in resources.values():
        if r["Type"] != "AWS::IAM::Role":
            continue
        for pol in r["Properties"].get("Policies", []):
            if "Fn::If" in pol:
                pol = pol["Fn::If"][1]
            for st in pol["PolicyDocument"]["Statement"]:
                acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
                res = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
                for a in acts:
                    for x in res:
                        out.add((a, norm_arn(x)))
    return out


# The stack's and the module's references to the same resource, in one spelling.
SAME = {
    json.dumps({"Ref": "Service"}): "service", "aws_ecs_service.this.id": "service",
    json.dumps({"Fn::GetAtt": ["ExecutionRole", "Arn"]}): "role:execution",
    "aws_iam_role.execution.arn": "role:execution",
    json.dumps({"Fn::GetAtt": ["TaskRole", "Arn"]}): "role:task", "aws_iam_role.task.arn": "role:task",
    json.dumps({"Fn::GetAtt": ["LogGroup", "Arn"]}): "log-group", "aws_cloudwatch_log_group.this.arn": "log-group",
    json.dumps({"Ref": "ExecuteCommandKmsKeyArn"}): "exec-kms-key", "var.execute_command_kms_key_arn": "exec-kms-key",
}


def norm_arn(x):
    """A stack ARN (Fn::Sub) and a module ARN (template) in one spelling."""
    if is_worker_queue_arn(x):
        return "WORKER_QUEUE_ARN"
    key = json.dumps(x) if isinstance(x, dict) else str(x)
    if key.startswith("${") and key.endswith("}"):  # python-hcl2 writes references so
        key = key[2:-1]
    if key in SAME:
        return SAME[key]
    if isinstance(x, dict) and "Fn::Sub" in x:
        x = x["Fn::Sub"]
        if isinstance(x, list):  # [template, {name: text}]: the names' text put in
            x, names = x
            for k, v in names.items():
                if isinstance(v, str):
                    x = x.replace("${" + k + "}", v)
    x = str(x)
    x = x.replace("${AWS::Partition}", "P").replace("${AWS::Region}", "R").replace("${AWS::AccountId}", "A")
    x = x.replace("${AWS::StackName}", "${Name}")  # the module's var.name
    x = x.replace("${data.aws_partition.current.partition}", "P")
    x = x.replace("${data.aws_region.current.name}", "R")
    x = x.replace("${data.aws_caller_identity.current.account_id}", "A")
    # The cluster's name: the stack's Sub name ClusterName (created or existing), the module's local.
    x = x.replace("${local.cluster_name}", "${ClusterName}")
    # A module variable is the stack parameter of the same name (efs_file_system_id, EfsFileSystemId).
    x = re.sub(r"\$\{var\.([a-z0-9_]+)\}",
               lambda m: "${" + "".join(w.capitalize() for w in m.group(1).split("_")) + "}", x)
    return x.replace("$${", "${")


def is_worker_queue_arn(x):
    """The worker queue's ARN: the stack's queue, the ARN derived from ExistingWorkerQueueUrl, or
    the module's local."""
    if isinstance(x, dict):
        return x.get("Fn::GetAtt") == ["WorkerQueue", "Arn"] or "ExistingWorkerQueueUrl" in json.dumps(x)
    return x in ("local.worker_queue_arn", "${local.worker_queue_arn}",
                 "aws_sqs_queue.worker.arn", "${aws_sqs_queue.worker.arn}") \
        or (":sqs:" in str(x) and "var.existing_worker_queue_url" in str(x))


def cfn_facts(template):
    res = template.get("Resources", {})
    # Ingress rules are compared by their ports (the stack has most of them inline).
    facts = {("resource", r["Type"]) for r in res.values()
             if r["Type"] != "AWS::EC2::SecurityGroupIngress" and r["Type"] not in CFN_INLINE}
    facts |= {("ingress",) + x[1:] for x in cfn_ingress_rules(res)}
    facts |= {("iam",) + x for x in cfn_actions(res)}
    for r in res.values():
        t, p = r["Type"], r.get("Properties", {})
        if t == "AWS::ECS::TaskDefinition":
            facts.add(("task", p.get("NetworkMode"), str(p.get("Cpu")), str(p.get("Memory"))))
            facts.add(("family", p["Family"]))
            for c in p["ContainerDefinitions"]:
                for pm in c.get("PortMappings", []):
                    facts.add(("port", c["Name"], pm.get("ContainerPort"), pm.get("HostPort")))
                facts.add(("container", c["Name"], c.get("Cpu"), c.get("Memory"), c.get("MemoryReservation")))
                prefix = ((c.get("LogConfiguration") or {}).get("Options") or {}).get("awslogs-stream-prefix")
                facts.add(("container-of", p["Family"], c["Name"], prefix, json.dumps(c.get("Command"))))
        if t == "AWS::ECS::Service":
            # The running count belongs to scaling: the stack never sets it (ECS starts one task and
            # the scalable target moves it into its bounds), the module ignores its changes.
            facts.add(("desired", "scaling" if "DesiredCount" not in p else p["DesiredCount"]))
            d = p["DeploymentConfiguration"]
            facts.add(("deployment", d["MinimumHealthyPercent"], d["MaximumPercent"], d["DeploymentCircuitBreaker"]["Rollback"]))
            for lb in p.get("LoadBalancers", []):
                facts.add(("service-lb", lb["ContainerName"], lb["ContainerPort"]))
        if t == "AWS::ElasticLoadBalancingV2::TargetGroup":
            facts.add(("tg", p["Port"], p["TargetType"], p["HealthCheckPath"], p["HealthCheckIntervalSeconds"],
                       p["HealthCheckTimeoutSeconds"], p["HealthyThresholdCount"], p["UnhealthyThresholdCount"],
                       p["Matcher"]["HttpCode"]))
        if t == "AWS::ElasticLoadBalancingV2::Listener":
            da = p["DefaultActions"]
            if isinstance(da, dict) and "Fn::If" in da:  # a parameter chooses (RedirectHttpToHttps)
                kind = "choice:" + "/".join(side[0]["Type"] for side in da["Fn::If"][1:])
            else:
                kind = da[0]["Type"]
            facts.add(("listener", p["Port"], p["Protocol"], p.get("SslPolicy"), kind))
        if t == "AWS::ElasticLoadBalancingV2::ListenerRule":
            facts.add(("rule", p["Priority"]))
        if t == "AWS::ApplicationAutoScaling::ScalableTarget":
            facts.add(("scaling", p["MinCapacity"], p["MaxCapacity"]))
        if t == "AWS::ApplicationAutoScaling::ScalingPolicy":
            c = p["TargetTrackingScalingPolicyConfiguration"]
            if "CustomizedMetricSpecification" in c:
                ms = c["CustomizedMetricSpecification"]["Metrics"]
                facts.add(("metric-math", tuple(m.get("Expression") or m["MetricStat"]["Metric"]["MetricName"] for m in ms), c["TargetValue"]))
            else:
                facts.add(("metric", c["PredefinedMetricSpecification"]["PredefinedMetricType"], c["TargetValue"]))
        if t == "AWS::SQS::Queue" and "RedrivePolicy" in p:
            facts.add(("queue", p["VisibilityTimeout"], p["MessageRetentionPeriod"], p["RedrivePolicy"]["maxReceiveCount"]))
        if t == "AWS::Scheduler::Schedule":
            facts.add(("schedule", p["ScheduleExpression"], p["ScheduleExpressionTimezone"], p["FlexibleTimeWindow"]["Mode"]))
        if t == "AWS::Logs::LogGroup":
            facts.add(("retention", p["RetentionInDays"]))
    facts |= {("output", snake(k)) for k in template.get("Outputs", {}) if k in CHECKLIST_OUTPUTS}
    return facts


# Stack outputs the checklist's one-off run-task commands read (the module has the same, snake_case).
CHECKLIST_OUTPUTS = {"ClusterName", "OneOffTaskDefinitionArn", "TaskSubnets", "TaskSecurityGroup", "DatabaseClientSecurityGroup",
                     "TaskAssignPublicIp"}


def snake(name):
    """`OneOffTaskDefinitionArn` -> `one_off_task_definition_arn`."""
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def one(v):
    """python-hcl2 wraps blocks in lists; unwrap a single block."""
    return v[0] if isinstance(v, list) and len(v) == 1 else v


def unquote(v):
    if isinstance(v, str) and len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        return v[1:-1]
    return v


def tf_load(folder):
    resources, data = [], []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".tf"):
            continue
        with open(os.path.join(folder, name)) as f:
            text = f.read()
            remember_containers(text)
            try:
                doc = hcl2.loads(text)
            except Exception as e:  # noqa: BLE001
                raise SystemExit(f"{folder}/{name} does not parse with python-hcl2: {e}")
        for block in doc.get("resource", []):
            for kind, named in block.items():
                for rname, body in named.items():
                    resources.append((kind, rname, body))
        for block in doc.get("output", []):
            for oname in block:
                data.append(("output", oname, {}))
        for block in doc.get("data", []):
            for kind, named in block.items():
                for rname, body in named.items():
                    data.append((kind, rname, body))
    return resources, data


def tf_documents(data):
    docs = {}
    for kind, name, body in data:
        if kind == "aws_iam_policy_document":
            docs[name] = body.get("statement", [])
    return docs


def tf_actions(resources, data):
    docs = tf_documents(data)
    out = set()
    for kind, _, body in resources:
        if kind != "aws_iam_role_policy":
            continue
        m = re.search(r"aws_iam_policy_document\.(\w+)\.json", str(body["policy"]))
        if m is None:
            # A carried .ebextensions policy (jsonencode of the project's document): the
            # stack's side reads only eb2ecs's own roles too; tests/infra.rs pairs the resource.
            continue
        for st in docs[m.group(1)]:
            for a in st["actions"]:
                for x in st["resources"]:
                    out.add((unquote(a), norm_arn(unquote(x))))
    return out


def num(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return v


def tf_facts(folder):
    resources, data = tf_load(folder)
    facts = set()
    for kind, name, b in resources:
        if kind == "aws_vpc_security_group_ingress_rule":
            pass
        elif kind in TF_TO_CFN:
            facts.add(("resource", TF_TO_CFN[kind]))
        elif kind not in INLINE:
            facts.add(("unmapped", kind))
        add_tf_facts(facts, kind, b, name)
    facts |= {("iam",) + x for x in tf_actions(resources, data)}
    facts |= {("output", name) for kind, name, _ in data
              if kind == "output" and name in {snake(k) for k in CHECKLIST_OUTPUTS}}
    return facts


def add_tf_facts(facts, kind, b, name):
    if kind == "aws_vpc_security_group_ingress_rule":
        facts.add(("ingress", num(b["from_port"]), num(b["to_port"])))
    if kind == "aws_ecs_task_definition":
        facts.add(("task", b["network_mode"], str(b.get("cpu")), str(b.get("memory"))))
        facts.add(("family", b["family"]))
        containers = container_list(b["container_definitions"], name)
        for c in containers:
            for pm in c.get("portMappings", []):
                facts.add(("port", c["name"], pm.get("containerPort"), pm.get("hostPort")))
            facts.add(("container", c["name"], c.get("cpu"), c.get("memory"), c.get("memoryReservation")))
            prefix = ((c.get("logConfiguration") or {}).get("options") or {}).get("awslogs-stream-prefix")
            facts.add(("container-of", b["family"], c["name"], prefix, json.dumps(c.get("command"))))
    if kind == "aws_ecs_service":
        ignored = "desired_count" in str(b.get("lifecycle"))
        facts.add(("desired", "scaling" if ignored else num(b["desired_count"])))
        cb = one(b["deployment_circuit_breaker"])
        facts.add(("deployment", num(b["deployment_minimum_healthy_percent"]), num(b["deployment_maximum_percent"]), cb["rollback"]))
        for lb in b.get("load_balancer", []):
            facts.add(("service-lb", lb["container_name"], num(lb["container_port"])))
    if kind == "aws_lb_target_group":
        h = one(b["health_check"])
        facts.add(("tg", num(b["port"]), b["target_type"], h["path"], num(h["interval"]), num(h["timeout"]),
                   num(h["healthy_threshold"]), num(h["unhealthy_threshold"]), h["matcher"]))
    if kind == "aws_lb_listener":
        if "default_action" in b:
            action = one(b["default_action"])["type"]
        else:  # dynamic blocks, one per side of the stack's choice
            sides = [d["default_action"] for d in b.get("dynamic", []) if "default_action" in d]
            action = "choice:" + "/".join(unquote(one(one(s)["content"])["type"]) for s in sides)
        facts.add(("listener", num(b["port"]), b["protocol"], b.get("ssl_policy"), action))
    if kind == "aws_lb_listener_rule":
        facts.add(("rule", num(b["priority"])))
    if kind == "aws_appautoscaling_target":
        facts.add(("scaling", num(b["min_capacity"]), num(b["max_capacity"])))
    if kind == "aws_appautoscaling_policy":
        c = one(b["target_tracking_scaling_policy_configuration"])
        if "customized_metric_specification" in c:
            ms = one(c["customized_metric_specification"])["metrics"]
            names = tuple(m.get("expression") or one(one(m["metric_stat"])["metric"])["metric_name"] for m in ms)
            facts.add(("metric-math", names, num(c["target_value"])))
        else:
            m = one(c["predefined_metric_specification"])
            facts.add(("metric", m["predefined_metric_type"], num(c["target_value"])))
    if kind == "aws_sqs_queue" and "redrive_policy" in b:
        redrive = re.search(r"maxReceiveCount\W+(\d+)", str(b["redrive_policy"]))
        facts.add(("queue", num(b["visibility_timeout_seconds"]), num(b["message_retention_seconds"]), num(redrive.group(1))))
    if kind == "aws_scheduler_schedule":
        facts.add(("schedule", b["schedule_expression"], b["schedule_expression_timezone"], one(b["flexible_time_window"])["mode"]))
    if kind == "aws_cloudwatch_log_group":
        facts.add(("retention", num(b["retention_in_days"])))


CONTAINERS = {}


def container_list(expr, name):
    """The list inside `jsonencode(...)`: python-hcl2 gives the call back as a string without its
    escapes, so the list is parsed again from the file's own text (read by tf_load), by the name
    of the task definition resource (the service's `this`, the one-off task's `one_off`)."""
    if isinstance(expr, list):
        return expr
    return CONTAINERS[name]


def remember_containers(text):
    """The `[...]` of each `container_definitions = jsonencode([...])` (fmt layout: `  ])` closes
    it) of a task definition, parsed with python-hcl2 as a value of its own."""
    pattern = (r'^resource "aws_ecs_task_definition" "(\w+)" \{$.*?'
               r"^  container_definitions = jsonencode\((\[.*?^  \])\)$")
    for m in re.finditer(pattern, text, flags=re.S | re.M):
        CONTAINERS[m.group(1)] = hcl2.loads("x = " + m.group(2) + "\n")["x"]


def main(dirs):
    problems = []
    compared = 0
    for d in dirs:
        with open(os.path.join(d, "cloudformation.yaml")) as f:
            template = yaml.load(f, Loader=CfnLoader)
        # --ci github: the repositories are delivery.yaml's, a stack of their own.
        if os.path.exists(os.path.join(d, "delivery.yaml")):
            with open(os.path.join(d, "delivery.yaml")) as f:
                template["Resources"].update(yaml.load(f, Loader=CfnLoader)["Resources"])
        want = cfn_facts(template)
        got = tf_facts(os.path.join(d, "terraform"))
        compared += len(want)
        label = open(os.path.join(d, "label")).read().strip() if os.path.exists(os.path.join(d, "label")) else d
        for x in sorted(want - got, key=repr):
            problems.append(f"{label}: only in cloudformation.yaml: {x}")
        for x in sorted(got - want, key=repr):
            problems.append(f"{label}: only in terraform/: {x}")
    print(f"terraform_parity: {len(dirs)} conversions, {compared} facts compared; terraform validate not run "
          "(it needs the AWS provider, which cannot be downloaded here)")
    if problems:
        print("\n".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
