"""Rules about delivery (--ci github): the deploy role lets exactly the generated workflow deploy
exactly this service, as IAM evaluates it on a real deployment (whole ARNs, exact conditions).
"""
import json
import re

import yaml

# Actions whose API has no resource-level permissions: "*" is the only resource they accept.
STAR_ONLY = {"ecr:GetAuthorizationToken", "ecs:RegisterTaskDefinition",
             "ecs:DescribeTaskDefinition"}
ECR_PUSH = {"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
            "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage",
            "ecr:UploadLayerPart"}
PARTITION_ARN = "arn:${AWS::Partition}:"


def _listed(x):
    return x if isinstance(x, list) else [x]


def _statements(props):
    for policy in props.get("Policies") or []:
        if isinstance(policy, dict) and "PolicyDocument" in policy:
            yield from _listed(policy["PolicyDocument"].get("Statement") or [])


def _deploy_role(c):
    role = c.resources.get("DeployRole")
    return (role or {}).get("Properties")


def _repositories(c):
    """Repository names delivery.yaml creates."""
    path = c.dir / "delivery.yaml"
    if not path.is_file():
        return set()
    from rules import CfnLoader  # the parser every rule shares
    doc = yaml.load(path.read_text(), Loader=CfnLoader) or {}
    return {r["Properties"]["RepositoryName"] for r in (doc.get("Resources") or {}).values()
            if r.get("Type") == "AWS::ECR::Repository"}


def _sub_arn(res):
    """(template, variables) of a !Sub resource, or None."""
    sub = res.get("Fn::Sub") if isinstance(res, dict) else None
    if isinstance(sub, str):
        return sub, {}
    if isinstance(sub, list) and len(sub) == 2:
        return sub[0], sub[1]
    return None


def _own_resource(c, action, res):
    """Why `res` is not one of the stack's own resources for `action`, or None."""
    if res == {"Ref": "Service"}:
        return None if action in ("ecs:UpdateService", "ecs:DescribeServices", "ecs:ListTagsForResource") else "service"
    if res in ({"Fn::GetAtt": ["ExecutionRole", "Arn"]}, {"Fn::GetAtt": ["TaskRole", "Arn"]}):
        return None if action == "iam:PassRole" else "role"
    sub = _sub_arn(res)
    if sub is None:
        return f"{res!r} is not a reference to the stack's own resources"
    template, names = sub
    if not template.startswith(PARTITION_ARN):
        return f"{template} does not use ${{AWS::Partition}}"
    if action in ECR_PUSH:
        name = names.get("Name")
        ok = template.endswith(":repository/${Name}") and name in _repositories(c)
        return None if ok else f"{template} ({name}) is not a repository delivery.yaml creates"
    if action == "ecs:RunTask":
        oneoff = c.resources.get("OneOffTaskDefinition", {}).get("Properties", {}).get("Family")
        ok = template.endswith(":task-definition/${Family}:*") and names.get("Family") == oneoff
        return None if ok else f"RunTask on {names.get('Family')}, not the one-off family"
    if action in ("cloudformation:DescribeStacks", "cloudformation:UpdateStack"):
        # The workflow records the revision it deployed in this stack, and only this one.
        ok = template.endswith(":cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*")
        return None if ok else f"{action} on {template}, not this stack"
    if action == "ecs:DescribeTasks":
        return None if template.endswith(":task/${ClusterName}/*") else template
    return f"{action} on {template}"


def rule_deploy_role_has_no_wildcard_action_and_only_own_resources(c):
    props = _deploy_role(c)
    if props is None:
        return []
    problems = []
    for st in _statements(props):
        actions = _listed(st.get("Action"))
        if st.get("Effect") != "Allow" or "NotAction" in st or "NotResource" in st:
            problems.append(f"statement {st.get('Sid')} is not a plain Allow")
        for a in actions:
            if "*" in a:
                problems.append(f"wildcard action {a}")
        for res in _listed(st.get("Resource")):
            for a in actions:
                if res == "*":
                    if a not in STAR_ONLY:
                        problems.append(f'{a} on Resource "*" (only {sorted(STAR_ONLY)} need it)')
                    continue
                why = _own_resource(c, a, res)
                if why:
                    problems.append(f"{st.get('Sid')}: {why}")
    return problems


def rule_deploy_role_passes_exactly_the_two_task_roles(c):
    props = _deploy_role(c)
    if props is None:
        return []
    passes = [st for st in _statements(props) if "iam:PassRole" in _listed(st.get("Action"))]
    want = [{"Fn::GetAtt": ["ExecutionRole", "Arn"]}, {"Fn::GetAtt": ["TaskRole", "Arn"]}]
    problems = []
    if len(passes) != 1:
        return [f"{len(passes)} PassRole statements, want 1"]
    st = passes[0]
    if sorted(map(json.dumps, _listed(st.get("Resource")))) != sorted(map(json.dumps, want)):
        problems.append(f"PassRole on {st.get('Resource')!r}, want the execution and task roles")
    cond = (st.get("Condition") or {}).get("StringEquals") or {}
    if cond.get("iam:PassedToService") != "ecs-tasks.amazonaws.com":
        problems.append("PassRole without iam:PassedToService ecs-tasks.amazonaws.com")
    return problems


def rule_deploy_role_trusts_one_branch_of_one_repository(c):
    props = _deploy_role(c)
    if props is None:
        return []
    problems = []
    for st in _listed(props["AssumeRolePolicyDocument"]["Statement"]):
        if st.get("Action") != "sts:AssumeRoleWithWebIdentity":
            problems.append(f"trust action {st.get('Action')}")
        cond = st.get("Condition") or {}
        if set(cond) != {"StringEquals"}:
            problems.append(f"trust conditions {sorted(cond)}, want StringEquals only")
        eq = cond.get("StringEquals") or {}
        if eq.get("token.actions.githubusercontent.com:aud") != "sts.amazonaws.com":
            problems.append("trust audience is not sts.amazonaws.com")
        sub = _sub_arn(eq.get("token.actions.githubusercontent.com:sub"))
        if sub is None or sub[0] != "repo:${Repository}:ref:refs/heads/${Branch}":
            problems.append(f"trust subject {eq.get('token.actions.githubusercontent.com:sub')!r}")
            continue
        repo, branch = sub[1].get("Repository"), sub[1].get("Branch")
        if isinstance(repo, str) and not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
            problems.append(f"trust repository {repo!r}")
        if repo != {"Ref": "GitHubRepository"} and not isinstance(repo, str):
            problems.append(f"trust repository {repo!r}")
        if not isinstance(branch, str) or "*" in branch or not branch:
            problems.append(f"trust branch {branch!r}")
    return problems


def rule_workflow_deploys_what_the_role_allows(c):
    """The workflow exists exactly when the role does, its actions are pinned to commit SHAs,
    its permissions are minimal, and it pushes only to repositories delivery.yaml creates."""
    path = c.dir / ".github/workflows/deploy-ecs.yml"
    if (_deploy_role(c) is None) != (not path.is_file()):
        return ["the workflow and the deploy role do not come together"] if c.template else []
    if not path.is_file():
        return []
    wf = yaml.safe_load(path.read_text())
    problems = []
    if wf.get("permissions") != {"id-token": "write", "contents": "read"}:
        problems.append(f"permissions {wf.get('permissions')!r}")
    if not (wf.get("concurrency") or {}).get("group"):
        problems.append("no concurrency group")
    repos = _repositories(c)
    for job in wf["jobs"].values():
        for st in job["steps"]:
            uses = st.get("uses")
            if uses and not re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses):
                problems.append(f"{uses} is not pinned to a commit SHA")
            if "${{" in (st.get("run") or ""):
                problems.append(f"step {st.get('name')!r} has an expression inside its script")
            repo = (st.get("env") or {}).get("REPOSITORY")
            if repo is not None and repo not in repos:
                problems.append(f"the workflow pushes to {repo}, which delivery.yaml does not create")
    return problems
