"""Validate eb2ecs's ECS JSON with botocore's own parameter validation.

Usage: validate_ecs.py FILE...  (task-definition.json and oneoff-task-definition.json ->
RegisterTaskDefinition, service.json -> CreateService). Exits 1 and prints every problem when any file is invalid.
"""
import json
import sys

import botocore.session
from botocore.validate import ParamValidator

OPERATIONS = {
    "task-definition.json": "RegisterTaskDefinition",
    "service.json": "CreateService",
    "oneoff-task-definition.json": "RegisterTaskDefinition",
}


def main(paths):
    model = botocore.session.get_session().get_service_model("ecs")
    validator = ParamValidator()
    problems = []
    checked = 0
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        op = OPERATIONS.get(name)
        if op is None:
            problems.append(f"{path}: not a file this validator knows")
            continue
        with open(path, encoding="utf-8") as f:
            params = json.load(f)
        report = validator.validate(params, model.operation_model(op).input_shape)
        checked += 1
        if report.has_errors():
            problems.append(f"{path} ({op}):\n{report.generate_report()}")
    for p in problems:
        print(p)
    print(f"validate_ecs: {checked} files checked, {len(problems)} invalid")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
