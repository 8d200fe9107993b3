"""Rules about secrets and hostile input: no artefact holds a value that was moved to secrets,
and no control or bidi character reaches the documents people read (CHECKLIST.md, report.json).
"""
import json
import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]

# ESC, BEL and the other C0 controls but tab and newline, DEL, C1 controls, bidi overrides and
# isolates, zero-width characters, line/paragraph separators and noncharacters.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                    "\u2060-\u2069\ufeff\ufdd0-\ufdef\ufffe\uffff]")

MOVED = re.compile(r"^`([^`]+)` of `[^`]*` was a plain environment variable")

# Values shorter than this are too common to look for in the artefacts ("1", "true", "app").
MIN_LEN = 6


def _input_of(label):
    """The input file or folder a conversion was made from, by its label."""
    if label.startswith("case "):
        return ROOT / "testdata/cases" / label[5:] / "input"
    rel = label.rsplit(" ", 1)[0]
    path = ROOT / "testdata/corpus" / rel
    return path if path.exists() else None


def _documents(path):
    """Every JSON/YAML document under path (a file or folder), parsed; unreadable ones skipped."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    for f in files:
        try:
            text = f.read_text()
        except (OSError, UnicodeDecodeError):
            continue
        try:
            yield json.loads(text)
            continue
        except ValueError:
            pass
        try:
            yield from yaml.safe_load_all(text)
        except yaml.YAMLError:
            continue


def _values_named(doc, names, out):
    """Collect the values the inputs give the variables in `names`, in every shape EB accepts:
    {"name": N, "value": V}, {N: V}, "N=V" and {"option_name": N, "value": V}."""
    if isinstance(doc, dict):
        key = doc.get("name", doc.get("option_name", doc.get("OptionName")))
        value = doc.get("value", doc.get("Value"))
        if key in names and isinstance(value, (str, int, float)):
            out.add(str(value))
        for k, v in doc.items():
            if k in names and isinstance(v, (str, int, float)):
                out.add(str(v))
            _values_named(v, names, out)
    elif isinstance(doc, list):
        for item in doc:
            if isinstance(item, str) and "=" in item:
                k, v = item.split("=", 1)
                if k.strip() in names:
                    out.add(v.strip())
            _values_named(item, names, out)


def moved_values(c):
    """The input values of the variables the report says were moved to secrets, plus the
    case's must-not-contain list."""
    names = set()
    for f in c.report.get("findings", []):
        m = MOVED.match(f.get("message", "")) if f.get("code") == "SECRET-MOVED" else None
        if m:
            names.add(m.group(1))
    values = set()
    source = _input_of(c.label)
    if source is not None and names:
        for doc in _documents(source):
            _values_named(doc, names, values)
        values = {v for v in values if _distinctive(v, source)}
    if c.label.startswith("case "):
        listed = ROOT / "testdata/cases" / c.label[5:] / "must-not-contain"
        if listed.is_file():
            values.update(l.strip() for l in listed.read_text().splitlines() if l.strip())
    return {v for v in values if len(v) >= MIN_LEN and not v.startswith("<secret withheld")}


def _distinctive(value, source):
    """Whether finding `value` in an artefact means it leaked: not a plain word ("password",
    "postgres"), not one repeated character ("XXXXXXXX"), and used nowhere else in the input."""
    if value.isalpha() or len(set(value)) <= 2:
        return False
    files = [source] if source.is_file() else [p for p in source.rglob("*") if p.is_file()]
    uses = sum(f.read_text(errors="replace").count(value) for f in files)
    return uses <= 1


ARTEFACTS = ["task-definition.json", "service.json", "cloudformation.yaml", "CHECKLIST.md",
             "report.json"]


def rule_moved_secrets_are_in_no_artefact(c):
    """A value moved to SSM / Secrets Manager (or listed in must-not-contain) is written nowhere."""
    problems = []
    for value in sorted(moved_values(c)):
        for name in ARTEFACTS:
            if value in c._text(name):
                problems.append(f"{name} contains the secret value {value[:4]}... "
                                f"({len(value)} characters)")
    return problems


def rule_no_control_characters_in_documents(c):
    """CHECKLIST.md and report.json (raw text and parsed strings) hold no control, bidi or
    noncharacter: inputs cannot rewrite a terminal or reorder what a reviewer reads."""
    problems = []
    texts = [("CHECKLIST.md", c.checklist), ("report.json", c._text("report.json")),
             ("report.json (parsed)", json.dumps(c.report, ensure_ascii=False))]
    for name, text in texts:
        if name.endswith("(parsed)"):
            # json.dumps escapes C0 itself; look at what the strings really hold.
            text = "\n".join(_strings(c.report))
        for m in UNSAFE.finditer(text):
            problems.append(f"{name} has the control character U+{ord(m.group()):04X} "
                            f"at offset {m.start()}")
    return problems


def _strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from _strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from _strings(x)


def rule_registry_credentials_json_is_built_by_jq(c):
    """The registry credentials secret is JSON built by jq from the values (a password with `"` or
    `\\` stays one string), never by printf or echo of a JSON template."""
    problems = []
    for line in c.checklist.splitlines():
        if "registry-credentials" not in line or "create-secret" not in line:
            continue
        if "jq " not in line or "--arg username" not in line:
            problems.append("the registry credentials secret is not built with jq --arg")
        if "{\"username\"" in line or '\\"username' in line:
            problems.append("the registry credentials JSON is written by hand")
    return problems
