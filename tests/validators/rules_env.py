"""Rules about how the environment runs: architecture, network, deployments, capacity, scaling."""
import math
import re

# Graviton (arm64) families; a type of any other family is x86_64.
ARM64_FAMILIES = {
    "a1", "t4g", "m6g", "m6gd", "m7g", "m7gd", "m8g", "m8gd", "c6g", "c6gd", "c6gn", "c7g",
    "c7gd", "c7gn", "c8g", "c8gd", "r6g", "r6gd", "r7g", "r7gd", "r8g", "r8gd", "x2gd", "x8g",
    "im4gn", "is4gen", "i4g", "i8g", "g5g", "hpc7g",
}
ARM64_AMI = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"

# Memory (MiB) of the instance types, as AWS publishes it (independent of eb2ecs's table).
_GIB_PER_VCPU = {"m": 4, "c": 2, "r": 8}
_SIZES = {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32}
_BURSTABLE = {"nano": 512, "micro": 1024, "small": 2048, "medium": 4096, "large": 8192,
              "xlarge": 16384, "2xlarge": 32768}


def instance_memory(name):
    """Memory in MiB of an instance type, or None when unknown."""
    family, _, size = name.partition(".")
    if family in ("t2", "t3", "t3a", "t4g"):
        return _BURSTABLE.get(size)
    if family[:1] in _GIB_PER_VCPU and size in _SIZES:
        return _SIZES[size] * _GIB_PER_VCPU[family[:1]] * 1024
    return None


def registrable(total):
    """What the ECS agent registers: the OS and agent keep about 1/16 plus 64 MiB."""
    return total - total // 16 - 64


def is_arm64(instance_type):
    return instance_type.split(".")[0] in ARM64_FAMILIES


def _param_default(c, name):
    return ((c.template.get("Parameters") or {}).get(name) or {}).get("Default")


def _eb_instance_types(c):
    """Instance types the findings about EB's instance type name."""
    found = set()
    for f in c.report.get("findings", []):
        if f.get("location", "").endswith(("InstanceType", "InstanceTypes")):
            found.update(re.findall(r"\b([a-z][a-z0-9-]*\d[a-z0-9-]*\.[0-9]*[a-z]+)\b", f["message"]))
    return {t for t in found if t.split(".")[1] in set(_SIZES) | set(_BURSTABLE) | {"medium", "metal"}}


def rule_arm64_instance_type_means_arm64_platform(c):
    """EB on Graviton: the EC2 stack uses the arm64 AMI; Fargate asks for ARM64 (JSON and stack)."""
    problems = []
    types = _eb_instance_types(c)
    if c.launch_type == "EC2" and _param_default(c, "InstanceType"):
        types.add(_param_default(c, "InstanceType"))
    arm = sorted(t for t in types if is_arm64(t))
    if not arm:
        return []
    if c.launch_type == "EC2":
        if _param_default(c, "EcsAmiId") != ARM64_AMI:
            problems.append(f"{arm} is arm64 but the AMI is {_param_default(c, 'EcsAmiId')!r}")
        if not is_arm64(_param_default(c, "InstanceType") or ""):
            problems.append(f"EB ran on {arm} but InstanceType defaults to an x86 type")
    else:
        json_arch = (c.task_definition.get("runtimePlatform") or {}).get("cpuArchitecture")
        stack_arch = [(p.get("RuntimePlatform") or {}).get("CpuArchitecture")
                      for _, p in c.of_type("AWS::ECS::TaskDefinition")]
        if json_arch != "ARM64" or stack_arch != ["ARM64"]:
            problems.append(f"EB ran on {arm} but the task asks for {json_arch} / {stack_arch}")
    if "ARM64-IMAGES" not in c.finding_codes():
        problems.append("no ARM64-IMAGES finding tells to build arm64 images")
    return problems


def rule_public_instances_get_a_public_ip(c):
    """EC2: when EB's instances had public IPs (or ran in the default VPC), the launch template
    gives the container instances one, in the service security group."""
    codes = c.finding_codes()
    if c.launch_type != "EC2" or not {"PUBLIC-IP", "LAUNCH-TEMPLATE-PUBLIC-IP", "DEFAULT-VPC"} & set(codes):
        return []
    problems = []
    for lid, props in c.of_type("AWS::EC2::LaunchTemplate"):
        data = props.get("LaunchTemplateData") or {}
        nics = data.get("NetworkInterfaces") or []
        ok = any(n.get("AssociatePublicIpAddress") is True and n.get("DeviceIndex") == 0
                 and {"Ref": "ServiceSecurityGroup"} in (n.get("Groups") or []) for n in nics)
        if not ok:
            problems.append(f"{lid}: no network interface 0 with a public IP in the service SG")
        if nics and "SecurityGroupIds" in data:
            problems.append(f"{lid}: SecurityGroupIds beside NetworkInterfaces (EC2 rejects both)")
    return problems


def _can_move(d, lo, hi):
    return math.floor(d * hi / 100) > math.ceil(d * lo / 100) or (lo == 0 and hi >= 100)


def rule_deployment_can_replace_a_task(c):
    """With desiredCount d, at least one task can be started or stopped by a deployment."""
    problems = []
    svc = c.service
    dc = svc.get("deploymentConfiguration") or {}
    if svc and not _can_move(svc.get("desiredCount", 1), dc.get("minimumHealthyPercent", 100),
                             dc.get("maximumPercent", 200)):
        problems.append(f"service.json: desiredCount {svc.get('desiredCount')} with {dc} never moves")
    for sid, props in c.of_type("AWS::ECS::Service"):
        d = props.get("DeploymentConfiguration") or {}
        # Without DesiredCount (scaling owns the count), the scalable target's minimum is the
        # count after creation; service.json's desiredCount says the same.
        count = props.get("DesiredCount")
        if count is None:
            mins = [p.get("MinCapacity") for _, p in
                    c.of_type("AWS::ApplicationAutoScaling::ScalableTarget")]
            ints = [m for m in mins if isinstance(m, int)]
            count = ints[0] if ints else (svc or {}).get("desiredCount", 1)
        if not _can_move(count, d.get("MinimumHealthyPercent", 100), d.get("MaximumPercent", 200)):
            problems.append(f"{sid}: DesiredCount {count} with {d} never moves")
    return problems


def rule_default_vpc_tasks_can_reach_aws(c):
    """No VPC in the settings (the default VPC): Fargate tasks get a public IP by default, in the
    JSON, the stack and the deploy command; private subnets get a finding naming the endpoints."""
    codes = c.finding_codes()
    problems = []
    if "DEFAULT-VPC" in codes and c.launch_type == "FARGATE":
        if _param_default(c, "AssignPublicIp") != "ENABLED":
            problems.append(f"AssignPublicIp defaults to {_param_default(c, 'AssignPublicIp')!r}")
        awsvpc = ((c.service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {})
        if awsvpc.get("assignPublicIp") != "ENABLED":
            problems.append("service.json assignPublicIp is not ENABLED")
        if "AssignPublicIp=ENABLED" not in c.checklist:
            problems.append("the deploy command does not set AssignPublicIp=ENABLED")
    if c.launch_type == "FARGATE" and _param_default(c, "AssignPublicIp") == "DISABLED":
        endpoints = [f for f in c.report.get("findings", []) if f["code"] == "PRIVATE-SUBNET-ENDPOINTS"]
        if not endpoints or not all(e in endpoints[0]["action"] for e in ("ecr.api", "ecr.dkr", "logs", "s3")):
            problems.append("private subnets without a finding naming the NAT gateway / VPC endpoints")
    return problems


def rule_client_cidr_is_not_a_silent_default(c):
    """An internal load balancer's ClientCidr has no silent 10.0.0.0/8 default: it is the VPC's
    CIDR or required, named in the deploy command and a finding."""
    param = (c.template.get("Parameters") or {}).get("ClientCidr")
    if param is None:
        return []
    problems = []
    if param.get("Default") == "10.0.0.0/8":
        problems.append("ClientCidr defaults to 10.0.0.0/8")
    if "ClientCidr=" not in c.checklist:
        problems.append("the deploy command does not give ClientCidr")
    if "CLIENT-CIDR" not in c.finding_codes():
        problems.append("no CLIENT-CIDR finding")
    return problems


def rule_instance_type_fits_the_containers(c):
    """EC2: the InstanceType default's memory covers the containers' reservations (unless a
    blocker says nothing fits)."""
    if c.launch_type != "EC2":
        return []
    it = _param_default(c, "InstanceType")
    need = sum(max(d.get("memory") or 0, d.get("memoryReservation") or 0)
               for d in c.task_definition.get("containerDefinitions", []))
    mem = instance_memory(it or "")
    if mem is None:
        return [f"InstanceType defaults to {it!r}, whose memory is unknown"]
    nothing_fits = need > registrable(16 * 8 * 1024)  # more than the largest r*.4xlarge offers
    if registrable(mem) < need and not (nothing_fits and "CAPACITY-EXCEEDED" in c.finding_codes()):
        return [f"{it} registers about {registrable(mem)} MiB; the containers reserve {need} MiB"]
    return []


_METRICS = {
    "SCALING-REQUESTS": "ALBRequestCountPerTarget",
    "SCALING-MEMORY": "ECSServiceAverageMemoryUtilization",
    "SCALING-CPU": "ECSServiceAverageCPUUtilization",
}


def rule_scaling_metric_matches_the_eb_trigger(c):
    """The scaling policy tracks EB's trigger: RequestCount -> ALBRequestCountPerTarget (with a
    ResourceLabel of the stack's load balancer and target group), memory -> memory, CPU -> CPU."""
    codes = c.finding_codes()
    # SCALING-PROPOSED after SCALING-REQUESTS: no load balancer to count requests, CPU instead.
    wanted = [m for code, m in _METRICS.items() if code in codes and "SCALING-PROPOSED" not in codes]
    policies = c.of_type("AWS::ApplicationAutoScaling::ScalingPolicy")
    metrics = [((p.get("TargetTrackingScalingPolicyConfiguration") or {})
                .get("PredefinedMetricSpecification") or {}) for _, p in policies]
    types = [m.get("PredefinedMetricType") for m in metrics]
    problems = []
    if wanted and types != wanted[:1]:
        problems.append(f"EB's trigger means {wanted[0]}, the stack tracks {types}")
    for m in metrics:
        if m.get("PredefinedMetricType") == "ALBRequestCountPerTarget":
            label = str(m.get("ResourceLabel"))
            if "LoadBalancerFullName" not in label or "TargetGroupFullName" not in label:
                problems.append(f"ALBRequestCountPerTarget label {label} is not the stack's LB/TG")
    return problems
