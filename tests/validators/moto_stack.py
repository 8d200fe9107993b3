"""Create eb2ecs stacks for real in a moto server on loopback, and read resources back.

Usage: moto_stack.py DIR...  Each DIR holds cloudformation.yaml and expect.json:
  {"family": ..., "containers": [[name, image], ...], "health_check_path": ... or null,
   "listener_ports": [...], "existing_cluster_variant": bool}
Parameters without a default get a value (image parameters: registry.example.com/<name>:test).
Every stack must reach CREATE_COMPLETE, and what ECS and ELBv2 report must match expect.json.
Golden cases (existing_cluster_variant) are also created twice side by side from the same
template (production and staging in one account) and once on an existing cluster.
Exits 1 on any mismatch. Never leaves loopback.
"""
import json
import logging
import os
import socket
import sys
import warnings

import boto3
from moto.server import ThreadedMotoServer

REGION = "eu-west-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parameters_without_default(body):
    """Names of the template's parameters that have no default."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    params = (yaml.load(body, Loader=Loader) or {}).get("Parameters") or {}
    return [k for k, v in params.items() if "Default" not in (v or {})]


def create(cfn, name, body, params):
    """Create a stack; return (stack, moto's 'not supported' notes)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cfn.create_stack(StackName=name, TemplateBody=body, Parameters=params, Capabilities=["CAPABILITY_IAM"])
    notes = {str(w.message).split("Tried to parse ")[-1].split(" but")[0] for w in caught if "not supported by moto" in str(w.message)}
    return cfn.describe_stacks(StackName=name)["Stacks"][0], notes


def one_off_problems(ecs, expect, outputs):
    """The one-off task definition exists with the expected container, no ports, its own log
    stream prefix, and the outputs the checklist's run-task reads name it and the network."""
    want = expect.get("one_off")
    if want is None:
        return ["a OneOffTaskDefinitionArn output but no one-off task was expected"] if "OneOffTaskDefinitionArn" in outputs else []
    arn = outputs.get("OneOffTaskDefinitionArn")
    if arn is None:
        return ["no OneOffTaskDefinitionArn output"]
    td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
    problems = []
    got = [[c["name"], c["image"]] for c in td["containerDefinitions"]]
    if td["family"] != want["family"] or got != [want["container"]]:
        problems.append(f"one-off task {td['family']} {got} != {want['family']} {[want['container']]}")
    c = td["containerDefinitions"][0]
    if c.get("portMappings") or not c.get("command"):
        problems.append(f"one-off container has ports {c.get('portMappings')} or no command")
    prefix = (c.get("logConfiguration") or {}).get("options", {}).get("awslogs-stream-prefix")
    if prefix != "oneoff":
        problems.append(f"one-off container logs with stream prefix {prefix!r}")
    if want["awsvpc"] and not all(k in outputs for k in ("TaskSubnets", "TaskSecurityGroup")):
        problems.append(f"the run-task network outputs are missing: {sorted(outputs)}")
    return problems


def main(dirs):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    })
    os.environ.pop("AWS_PROFILE", None)
    endpoint = f"http://127.0.0.1:{port}"
    client = lambda name: boto3.client(name, region_name=REGION, endpoint_url=endpoint)
    ec2, cfn, ecs, elb, ssm, acm = (client(n) for n in ("ec2", "cloudformation", "ecs", "elbv2", "ssm", "acm"))
    certificate = acm.request_certificate(DomainName="example.com")["CertificateArn"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}")["Subnet"]["SubnetId"]
        for i, az in enumerate("ab")
    ]
    try:
        ssm.put_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
                          Value=ec2.describe_images()["Images"][0]["ImageId"], Type="String")
    except Exception:  # moto may already know it
        pass
    problems = []
    skipped = set()
    for n, where in enumerate(dirs):
        # Each problem names the conversion (its label), not only the temporary folder.
        label_file = os.path.join(where, "label")
        label = open(label_file, encoding="utf-8").read().strip() if os.path.isfile(label_file) else ""
        d = f"{where} ({label})" if label else where
        with open(os.path.join(where, "cloudformation.yaml"), encoding="utf-8") as f:
            body = f.read()
        with open(os.path.join(where, "expect.json"), encoding="utf-8") as f:
            expect = json.load(f)
        declared = body.split("\nConditions:")[0]
        params = [{"ParameterKey": "VpcId", "ParameterValue": vpc},
                  {"ParameterKey": "Subnets", "ParameterValue": ",".join(subnets)}]
        if "LoadBalancerSubnets:" in declared:
            params.append({"ParameterKey": "LoadBalancerSubnets", "ParameterValue": ",".join(subnets)})
        if "CertificateArn:" in declared:
            params.append({"ParameterKey": "CertificateArn", "ParameterValue": certificate})
        if "ClientCidr:" in declared:
            # As the deploy command does: the VPC's CIDR (the parameter may have no default).
            params.append({"ParameterKey": "ClientCidr", "ParameterValue": "10.0.0.0/16"})
        if "EnableExecuteCommand:" in declared:
            # ECS Exec on: moto keeps an `!If [..., !Ref AWS::NoValue]` item of a role's Policies
            # list as None and fails (CloudFormation drops it); the "false" side is the
            # parameter's default, which cfn-lint checks.
            params.append({"ParameterKey": "EnableExecuteCommand", "ParameterValue": "true"})
        if "ExecuteCommandKmsKeyArn:" in declared:
            # The same: a key given, so the conditional ecs-exec-kms policy is there too.
            params.append({"ParameterKey": "ExecuteCommandKmsKeyArn",
                           "ParameterValue": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"})
        given = {p["ParameterKey"] for p in params}
        for key in parameters_without_default(body):
            if key == "EfsFileSystemId":
                params.append({"ParameterKey": key, "ParameterValue": "fs-0123456789abcdef0"})
            elif key not in given:
                params.append({"ParameterKey": key, "ParameterValue": f"registry.example.com/{key.lower()}:test"})
        name = f"s{n}"
        try:
            stack, notes = create(cfn, name, body, params)
            skipped.update(notes)
        except Exception as e:  # noqa: BLE001 - report every failure, keep going
            problems.append(f"{d}: create-stack failed: {e}")
            continue
        if stack["StackStatus"] != "CREATE_COMPLETE":
            problems.append(f"{d}: {stack['StackStatus']}: {stack.get('StackStatusReason')}")
            continue
        td = ecs.describe_task_definition(taskDefinition=expect["family"])["taskDefinition"]
        got = [[c["name"], c["image"]] for c in td["containerDefinitions"]]
        if got != expect["containers"]:
            problems.append(f"{d}: containers {got} != {expect['containers']}")
        tgs = elb.describe_target_groups()["TargetGroups"]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        problems.extend(f"{d}: {p}" for p in one_off_problems(ecs, expect, outputs))
        if expect["health_check_path"] is None:
            if "LoadBalancerDNSName" in outputs:
                problems.append(f"{d}: a load balancer was created but none was expected")
        else:
            lbs = [lb for lb in elb.describe_load_balancers()["LoadBalancers"] if lb["DNSName"] == outputs.get("LoadBalancerDNSName")]
            if len(lbs) != 1:
                problems.append(f"{d}: load balancer from the outputs not found")
                continue
            ports = sorted(l["Port"] for l in elb.describe_listeners(LoadBalancerArn=lbs[0]["LoadBalancerArn"])["Listeners"])
            if ports != sorted(expect["listener_ports"]):
                problems.append(f"{d}: listener ports {ports} != {expect['listener_ports']}")
            tg = [t for t in tgs if lbs[0]["LoadBalancerArn"] in t.get("LoadBalancerArns", [])]
            paths = sorted({t["HealthCheckPath"] for t in tg})
            if paths != [expect["health_check_path"]]:
                problems.append(f"{d}: health check paths {paths} != {expect['health_check_path']}")
        if expect.get("existing_cluster_variant"):
            # A second stack from the same template beside the first (staging beside production).
            try:
                second, _ = create(cfn, f"{name}b", body, params)
                if second["StackStatus"] != "CREATE_COMPLETE":
                    problems.append(f"{d}: a second stack from the same template: {second['StackStatus']}: {second.get('StackStatusReason')}")
                cfn.delete_stack(StackName=f"{name}b")
            except Exception as e:  # noqa: BLE001
                problems.append(f"{d}: a second stack from the same template: create-stack failed: {e}")
        cfn.delete_stack(StackName=name)
        if expect.get("existing_cluster_variant"):
            # The same template on an existing cluster (and its capacity, for EC2).
            cluster = f"existing{n}"
            ecs.create_cluster(clusterName=cluster)
            variant = params + [{"ParameterKey": "ExistingClusterName", "ParameterValue": cluster}]
            if "CreateCapacity:" in declared:
                variant.append({"ParameterKey": "CreateCapacity", "ParameterValue": "false"})
            if "ExistingInstanceSecurityGroup:" in declared:
                instances = ec2.create_security_group(GroupName=f"instances{n}", Description="existing instances", VpcId=vpc)["GroupId"]
                variant.append({"ParameterKey": "ExistingInstanceSecurityGroup", "ParameterValue": instances})
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    cfn.create_stack(StackName=f"{name}x", TemplateBody=body, Parameters=variant, Capabilities=["CAPABILITY_IAM"])
                status = cfn.describe_stacks(StackName=f"{name}x")["Stacks"][0]["StackStatus"]
                services = ecs.list_services(cluster=cluster)["serviceArns"]
                if status != "CREATE_COMPLETE" or len(services) != 1:
                    problems.append(f"{d}: on an existing cluster: {status}, {len(services)} services")
                logical = {r.get("LogicalResourceId") for r in cfn.list_stack_resources(StackName=f"{name}x")["StackResourceSummaries"]}
                unwanted = logical & {"Cluster", "AutoScalingGroup", "LaunchTemplate", "CapacityProvider", "ClusterCapacityProviders"}
                if unwanted:
                    problems.append(f"{d}: on an existing cluster the stack still created {sorted(unwanted)}")
                if "ExistingInstanceSecurityGroup:" in declared:
                    perms = ec2.describe_security_groups(GroupIds=[instances])["SecurityGroups"][0]["IpPermissions"]
                    if not any(p.get("FromPort") == 32768 and p.get("ToPort") == 65535 for p in perms):
                        problems.append(f"{d}: the existing instances do not admit the load balancer: {perms}")
                cfn.delete_stack(StackName=f"{name}x")
            except Exception as e:  # noqa: BLE001
                problems.append(f"{d}: on an existing cluster: create-stack failed: {e}")
    server.stop()
    for t in sorted(skipped):
        print(f"note: moto does not implement {t} in CloudFormation; cfn-lint still checks it")
    for p in problems:
        print(p)
    print(f"moto_stack: {len(dirs)} stacks, {len(problems)} problems")
    return 1 if problems or not dirs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
