"""Rules about Docker platform projects (docker-compose.yml, Dockerfile-only)."""

import re


def _containers(c):
    return (c.task_definition or {}).get("containerDefinitions", [])


def rule_one_shot_dependencies_are_not_essential(c):
    """A container others wait on to finish (dependsOn SUCCESS/COMPLETE) is not essential:
    ECS refuses the task definition otherwise, and its exit would stop the task."""
    defs = {d["name"]: d for d in _containers(c)}
    problems = []
    for d in defs.values():
        for dep in d.get("dependsOn", []):
            target = defs.get(dep.get("containerName"))
            if dep.get("condition") in ("SUCCESS", "COMPLETE") and target and target.get("essential", True):
                problems.append(f"{d['name']} waits for {target['name']} to finish, but it is essential")
    return problems


def rule_healthy_dependencies_have_a_health_check(c):
    """dependsOn HEALTHY needs a health check on the container waited for."""
    defs = {d["name"]: d for d in _containers(c)}
    return [
        f"{d['name']} waits for {dep['containerName']} to be healthy, which has no healthCheck"
        for d in defs.values()
        for dep in d.get("dependsOn", [])
        if dep.get("condition") == "HEALTHY" and "healthCheck" not in defs.get(dep["containerName"], {"healthCheck": 1})
    ]


def rule_compose_properties_only_reach_env_file_containers(c):
    """In a compose project EB's properties reached only the containers with `env_file: .env`:
    the containers the finding names as not receiving them get none of them."""
    for f in c.report.get("findings", []):
        if f.get("code") != "COMPOSE-PROPERTIES-ENV-FILE":
            continue
        m = re.search(r"and not (.*?); the task definition", f.get("message", ""))
        props = re.search(r"its (\d+) environment properties", f.get("message", ""))
        if not m or not props:
            continue
        excluded = set(re.findall(r"`([^`]+)`", m.group(1)))
        name = f.get("location", "").rsplit(":", 1)[-1]
        return [
            f"{d['name']} gets EB property {name} although it had no env_file: .env"
            for d in _containers(c)
            if d["name"] in excluded
            and any(e.get("name") == name for e in d.get("environment", []) + d.get("secrets", []))
        ]
    return []
