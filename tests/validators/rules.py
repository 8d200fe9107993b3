"""eb2ecs's own rules over every generated conversion: what botocore, cfn-lint, checkov and moto
cannot see (how ECS, IAM and ELB really behave on a deployment).

Usage: rules.py DIR...  Each DIR holds the artefacts of one conversion (task-definition.json,
service.json, cloudformation.yaml, CHECKLIST.md, report.json) and a `label` file.

Rules live in rules_*.py beside this file. Every function named `rule_*` takes a Conversion and
returns a list of problems (strings; empty when the conversion follows the rule). Prints one line
per problem and then `rules: N conversions, M rules, P problems`; exits 1 when P > 0.
"""
import importlib.util
import json
import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).parent


class CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags, read as their long JSON forms."""


def _tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", _tag)


class Conversion:
    """The artefacts of one conversion, parsed."""

    def __init__(self, folder):
        self.dir = pathlib.Path(folder)
        self.label = self._text("label").strip() or self.dir.name
        self.template = yaml.load(self._text("cloudformation.yaml"), Loader=CfnLoader) or {}
        self.task_definition = json.loads(self._text("task-definition.json") or "{}")
        self.service = json.loads(self._text("service.json") or "{}")
        self.report = json.loads(self._text("report.json") or "{}")
        self.checklist = self._text("CHECKLIST.md")
        self.launch_type = (self.task_definition.get("requiresCompatibilities") or ["FARGATE"])[0]

    def _text(self, name):
        path = self.dir / name
        return path.read_text() if path.is_file() else ""

    @property
    def resources(self):
        """Logical id -> resource of the stack."""
        return self.template.get("Resources") or {}

    def of_type(self, cfn_type):
        """(logical id, properties) of every resource of one type."""
        return [(k, r.get("Properties") or {}) for k, r in self.resources.items()
                if r.get("Type") == cfn_type]

    def finding_codes(self):
        return [f["code"] for f in self.report.get("findings", [])]


def load_rules():
    rules = []
    for path in sorted(HERE.glob("rules_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rules.extend((f"{path.stem}.{name}", fn) for name, fn in sorted(vars(module).items())
                     if name.startswith("rule_") and callable(fn))
    return rules


def main(dirs):
    rules = load_rules()
    problems = 0
    for folder in dirs:
        conversion = Conversion(folder)
        for name, rule in rules:
            for problem in rule(conversion) or []:
                problems += 1
                print(f"{conversion.label}: {name}: {problem}")
    print(f"rules: {len(dirs)} conversions, {len(rules)} rules, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
