"""Rules about the stack as a whole."""


def rule_service_uses_the_stack_task_definition(c):
    """The service runs the task definition of the same stack."""
    services = c.of_type("AWS::ECS::Service")
    if len(services) != 1:
        return [f"{len(services)} services in the stack"]
    td = services[0][1].get("TaskDefinition")
    if td == {"Ref": "TaskDefinition"}:
        return []
    # With a deploy workflow: the stack's first, then the revision the workflow recorded.
    piped = {"Fn::If": ["UseStackTaskDefinition", {"Ref": "TaskDefinition"}, {"Ref": "DeployedTaskDefinition"}]}
    return [] if td == piped and "DeployRole" in c.resources else [f"service runs {td!r}"]
