#!/usr/bin/env python3
"""Structural check of a SARIF 2.1.0 log written by `icts scan -o sarif`.

Usage: check_sarif.py FILE

Checks the properties the SARIF 2.1.0 schema requires of the objects icts
writes (sarifLog, run, tool, toolComponent, reportingDescriptor, result,
message, location, physicalLocation, artifactLocation, region,
logicalLocation, suppression) with their types, enums and minimums, that no
other properties appear where the schema forbids them, and the limits and
conventions of GitHub code scanning (driver name, rule ids, levels,
partialFingerprints, description lengths, result and tag counts).

When the environment names the official schema file (SARIF_SCHEMA=path) and
the Python `jsonschema` package is importable, the log is also validated
against that schema. Exits 1 with the first problem's location.
"""
import json
import os
import re
import sys


class Problem(Exception):
    pass


def need(cond, where, msg):
    if not cond:
        raise Problem(f"{where}: {msg}")


def only(obj, allowed, where):
    for k in obj:
        need(k in allowed, where, f"property {k!r} is not allowed here")


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_message(m, where):
    need(isinstance(m, dict), where, "message must be an object")
    only(m, {"text", "markdown", "id", "arguments", "properties"}, where)
    need("text" in m or "id" in m, where, "message needs text or id")
    if "text" in m:
        need(isinstance(m["text"], str) and m["text"], where, "text must be a non-empty string")


def check_mfms(m, where):  # multiformatMessageString
    need(isinstance(m, dict), where, "must be an object")
    only(m, {"text", "markdown", "properties"}, where)
    need(isinstance(m.get("text"), str), where, "text is required")
    need(len(m["text"]) <= 1024, where, "GitHub accepts at most 1024 characters")


def check_props(p, where):
    need(isinstance(p, dict), where, "properties must be an object")
    if "tags" in p:
        tags = p["tags"]
        need(isinstance(tags, list) and all(isinstance(t, str) for t in tags), where,
             "tags must be strings")
        need(len(set(tags)) == len(tags), where, "tags must be unique")
        need(len(tags) <= 20, where, "GitHub reads at most 20 tags")
    if "security-severity" in p:
        need(re.fullmatch(r"\d+(\.\d+)?", p["security-severity"] or "") is not None, where,
             "security-severity must be a number in a string")
        need(0 <= float(p["security-severity"]) <= 10, where, "security-severity is 0.0 to 10.0")


def check_rule(r, where):
    only(r, {"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames",
             "shortDescription", "fullDescription", "messageStrings", "defaultConfiguration",
             "helpUri", "help", "relationships", "properties"}, where)
    need(isinstance(r.get("id"), str) and r["id"], where, "id is required")
    need(len(r["id"]) <= 255, where, "GitHub rule ids are at most 255 characters")
    for k in ("shortDescription", "fullDescription", "help"):
        if k in r:
            check_mfms(r[k], f"{where}.{k}")
    if "helpUri" in r:
        need(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", r["helpUri"]) is not None, where,
             "helpUri must be an absolute URI")
    if "defaultConfiguration" in r:
        dc = r["defaultConfiguration"]
        only(dc, {"enabled", "level", "rank", "parameters", "properties"}, where)
        if "level" in dc:
            need(dc["level"] in ("none", "note", "warning", "error"), where, "bad level")
    if "properties" in r:
        check_props(r["properties"], f"{where}.properties")


def check_location(loc, where):
    only(loc, {"id", "physicalLocation", "logicalLocations", "message", "annotations",
               "relationships", "properties"}, where)
    if "physicalLocation" in loc:
        pl = loc["physicalLocation"]
        only(pl, {"address", "artifactLocation", "region", "contextRegion", "properties"}, where)
        need("artifactLocation" in pl or "address" in pl, where,
             "physicalLocation needs artifactLocation or address")
        al = pl["artifactLocation"]
        only(al, {"uri", "uriBaseId", "index", "description", "properties"}, where)
        uri = al.get("uri")
        need(isinstance(uri, str) and uri, where, "artifactLocation.uri is required")
        need(re.search(r"[\s\\\"<>^`{|}]", uri) is None and all(ord(c) < 128 for c in uri),
             where, f"uri {uri!r} is not a URI reference")
        if "region" in pl:
            rg = pl["region"]
            only(rg, {"startLine", "startColumn", "endLine", "endColumn", "charOffset",
                      "charLength", "byteOffset", "byteLength", "snippet", "message",
                      "sourceLanguage", "properties"}, where)
            need(is_int(rg.get("startLine")) and rg["startLine"] >= 1, where,
                 "region.startLine must be an integer >= 1")
            if "startColumn" in rg:
                need(is_int(rg["startColumn"]) and rg["startColumn"] >= 1, where,
                     "startColumn must be >= 1")
    for i, ll in enumerate(loc.get("logicalLocations", [])):
        w = f"{where}.logicalLocations[{i}]"
        only(ll, {"name", "index", "fullyQualifiedName", "decoratedName", "parentIndex", "kind",
                  "properties"}, w)
        for k in ("name", "fullyQualifiedName", "kind"):
            if k in ll:
                need(isinstance(ll[k], str), w, f"{k} must be a string")


def check_result(r, where, rule_ids):
    only(r, {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget",
             "locations", "guid", "correlationGuid", "occurrenceCount", "partialFingerprints",
             "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
             "relatedLocations", "suppressions", "baselineState", "rank", "attachments",
             "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa",
             "webRequest", "webResponse", "properties"}, where)
    need(isinstance(r.get("ruleId"), str) and r["ruleId"], where, "ruleId is required")
    need(r["ruleId"] in rule_ids, where, f"ruleId {r['ruleId']!r} is not among the rules")
    if "ruleIndex" in r:
        need(is_int(r["ruleIndex"]) and 0 <= r["ruleIndex"] < len(rule_ids), where,
             "bad ruleIndex")
        need(rule_ids[r["ruleIndex"]] == r["ruleId"], where, "ruleIndex names another rule")
    need(r.get("level") in ("none", "note", "warning", "error"), where, "bad level")
    check_message(r.get("message"), f"{where}.message")
    locs = r.get("locations")
    need(isinstance(locs, list), where, "locations must be an array")
    need(len(locs) <= 10, where, "GitHub reads at most 10 locations")
    for i, loc in enumerate(locs):
        check_location(loc, f"{where}.locations[{i}]")
    pf = r.get("partialFingerprints")
    need(isinstance(pf, dict) and pf, where, "partialFingerprints are needed to track results")
    for k, v in pf.items():
        need(isinstance(v, str) and v, where, f"partialFingerprints.{k} must be a string")
    for i, s in enumerate(r.get("suppressions", [])):
        w = f"{where}.suppressions[{i}]"
        only(s, {"guid", "kind", "status", "justification", "location", "properties"}, w)
        need(s.get("kind") in ("inSource", "external"), w, "kind must be inSource or external")
        if "status" in s:
            need(s["status"] in ("accepted", "underReview", "rejected"), w, "bad status")
        if "justification" in s:
            need(isinstance(s["justification"], str), w, "justification must be a string")
    if "properties" in r:
        check_props(r["properties"], f"{where}.properties")


def check(log):
    need(isinstance(log, dict), "$", "the log must be an object")
    only(log, {"$schema", "version", "runs", "inlineExternalProperties", "properties"}, "$")
    need(log.get("version") == "2.1.0", "$", "version must be 2.1.0")
    need("sarif-2.1.0" in log.get("$schema", "") or "sarif-schema-2.1.0" in log.get("$schema", ""),
         "$", "$schema should name the 2.1.0 schema")
    runs = log.get("runs")
    need(isinstance(runs, list) and len(runs) == 1, "$.runs", "icts writes one run")
    run = runs[0]
    only(run, {"tool", "invocations", "conversion", "language", "versionControlProvenance",
               "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
               "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
               "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
               "externalPropertyFileReferences", "threadFlowLocations", "taxonomies",
               "addresses", "translations", "policies", "webRequests", "webResponses",
               "specialLocations", "properties"}, "$.runs[0]")
    driver = run.get("tool", {}).get("driver")
    need(isinstance(driver, dict), "$.runs[0].tool", "tool.driver is required")
    only(run["tool"], {"driver", "extensions", "properties"}, "$.runs[0].tool")
    only(driver, {"guid", "name", "organization", "product", "productSuite", "shortDescription",
                  "fullDescription", "fullName", "version", "semanticVersion",
                  "dottedQuadFileVersion", "releaseDateUtc", "downloadUri", "informationUri",
                  "globalMessageStrings", "notifications", "rules", "taxa", "locations",
                  "language", "contents", "isComprehensive", "localizedDataSemanticVersion",
                  "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
                  "translationMetadata", "supportedTaxonomies", "properties"},
         "$.runs[0].tool.driver")
    need(driver.get("name") == "icts", "$.runs[0].tool.driver", "name must be icts")
    rules = driver.get("rules", [])
    ids = []
    for i, r in enumerate(rules):
        check_rule(r, f"$.runs[0].tool.driver.rules[{i}]")
        ids.append(r["id"])
    need(len(set(ids)) == len(ids), "$.runs[0].tool.driver.rules", "rule ids must be unique")
    need(len(rules) <= 25000, "$.runs[0].tool.driver.rules", "GitHub reads 25,000 rules a run")
    results = run.get("results")
    need(isinstance(results, list), "$.runs[0].results", "results must be an array")
    need(len(results) <= 25000, "$.runs[0].results", "GitHub reads 25,000 results a run")
    seen = set()
    for i, r in enumerate(results):
        check_result(r, f"$.runs[0].results[{i}]", ids)
        key = json.dumps(r["partialFingerprints"], sort_keys=True)
        need(key not in seen, f"$.runs[0].results[{i}]", "partialFingerprints repeat")
        seen.add(key)


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        log = json.load(f)
    try:
        check(log)
    except Problem as e:
        sys.exit(f"{argv[1]}: not accepted: {e}")
    schema_path = os.environ.get("SARIF_SCHEMA")
    if schema_path:
        try:
            import jsonschema  # noqa: PLC0415
        except ImportError:
            print("SARIF_SCHEMA set but jsonschema is not installed; structural check only")
            return
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
        if errors:
            e = errors[0]
            sys.exit(f"{argv[1]}: does not follow {schema_path}: "
                     f"{'/'.join(map(str, e.absolute_path))}: {e.message}")
        print(f"{argv[1]}: valid against {schema_path}")


if __name__ == "__main__":
    main(sys.argv)
