#!/usr/bin/env python3
"""Structural check of JSON output against the project's JSON Schema files.

Usage: check_schema.py SCHEMA FILE [--jsonl] [--def NAME]

Checks the subset of JSON Schema the files in docs/schema/ use: type, enum,
const, pattern, minimum, maximum, minLength, minItems, required, properties,
additionalProperties, items, $ref to "#/$defs/...", anyOf and oneOf. No
validator library is needed. With --jsonl every non-blank line of FILE is
one document; with --def NAME documents are checked against $defs/NAME
instead of the schema's root. Exits 1 with the first mismatch's location.
"""
import json
import re
import sys

PYTYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
           "object": dict, "array": list, "null": type(None)}


class Mismatch(Exception):
    pass


def is_type(value, name):
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, PYTYPES[name])


def resolve(root, sch):
    while "$ref" in sch:
        ref = sch["$ref"]
        if not ref.startswith("#/"):
            raise Mismatch(f"unsupported $ref {ref}")
        node = root
        for part in ref[2:].split("/"):
            node = node[part]
        sch = node
    return sch


def check(root, value, sch, where):
    sch = resolve(root, sch)
    for key in ("anyOf", "oneOf"):
        if key in sch:
            ok = 0
            errors = []
            for alt in sch[key]:
                try:
                    check(root, value, alt, where)
                    ok += 1
                except Mismatch as e:
                    errors.append(str(e))
            if ok == 0 or (key == "oneOf" and ok > 1):
                raise Mismatch(f"{where}: {ok} of the {key} alternatives match ({'; '.join(errors)})")
    t = sch.get("type")
    types = t if isinstance(t, list) else [t] if t else []
    if types and not any(is_type(value, x) for x in types):
        raise Mismatch(f"{where}: {value!r} is not {types}")
    if "enum" in sch and value not in sch["enum"]:
        raise Mismatch(f"{where}: {value!r} not in {sch['enum']}")
    if "const" in sch and value != sch["const"]:
        raise Mismatch(f"{where}: {value!r} is not {sch['const']!r}")
    if isinstance(value, str):
        if "pattern" in sch and not re.search(sch["pattern"], value):
            raise Mismatch(f"{where}: {value!r} does not match {sch['pattern']}")
        if len(value) < sch.get("minLength", 0):
            raise Mismatch(f"{where}: shorter than {sch['minLength']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in sch and value < sch["minimum"]:
            raise Mismatch(f"{where}: {value} < minimum {sch['minimum']}")
        if "maximum" in sch and value > sch["maximum"]:
            raise Mismatch(f"{where}: {value} > maximum {sch['maximum']}")
    if isinstance(value, dict):
        props = sch.get("properties", {})
        for k in sch.get("required", []):
            if k not in value:
                raise Mismatch(f"{where}: missing {k}")
        extra = sch.get("additionalProperties", True)
        for k, v in value.items():
            if k in props:
                check(root, v, props[k], f"{where}.{k}")
            elif extra is False:
                raise Mismatch(f"{where}: unexpected {k}")
            elif isinstance(extra, dict):
                check(root, v, extra, f"{where}.{k}")
    if isinstance(value, list):
        if len(value) < sch.get("minItems", 0):
            raise Mismatch(f"{where}: fewer than {sch['minItems']} items")
        if "items" in sch:
            for i, v in enumerate(value):
                check(root, v, sch["items"], f"{where}[{i}]")


def main(argv):
    args = [a for a in argv[1:]]
    jsonl = "--jsonl" in args
    if jsonl:
        args.remove("--jsonl")
    definition = None
    if "--def" in args:
        i = args.index("--def")
        definition = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    root = json.load(open(args[0], encoding="utf-8"))
    sch = root["$defs"][definition] if definition else root
    with open(args[1], encoding="utf-8") as f:
        if jsonl:
            docs = [(f"line {n}", json.loads(line)) for n, line in enumerate(f, 1) if line.strip()]
        else:
            docs = [("", json.load(f))]
    try:
        for label, doc in docs:
            check(root, doc, sch, f"{label}: $" if label else "$")
    except Mismatch as e:
        sys.exit(f"{args[1]}: does not follow {args[0]}: {e}")


if __name__ == "__main__":
    main(sys.argv)
