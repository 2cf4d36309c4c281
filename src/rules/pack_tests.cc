#include "rules/pack_tests.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "rules/evaluate.h"
#include "rules/facts.h"

namespace icts::rules {
namespace {

using nlohmann::json;

Result<std::vector<std::string>> StringList(const json& j, const std::string& where) {
  std::vector<std::string> out;
  if (!j.is_array())
    return InvalidArgumentError(fmt::format("{}: must be a list of strings", where));
  for (const json& v : j) {
    if (!v.is_string())
      return InvalidArgumentError(fmt::format("{}: must be a list of strings", where));
    out.push_back(v.get<std::string>());
  }
  return out;
}

Status RunCase(const PackSet& set, const Pack& pack, const std::string& file, const json& c,
               size_t index, std::vector<PackTestResult>* out) {
  const std::string where = fmt::format("{}: case {}", file, index + 1);
  if (!c.is_object()) return InvalidArgumentError(where + ": must be a mapping");
  for (auto it = c.begin(); it != c.end(); ++it) {
    if (it.key() != "name" && it.key() != "as_of" && it.key() != "transaction" &&
        it.key() != "expect") {
      return InvalidArgumentError(
          fmt::format("{}: unknown key '{}' (name, as_of, transaction, expect)", where, it.key()));
    }
  }
  if (!c.contains("name") || !c["name"].is_string())
    return InvalidArgumentError(where + ": needs a name");
  PackTestResult r{pack.id, file, c["name"].get<std::string>(), {}};
  const std::string label = fmt::format("{}: case '{}'", file, r.name);
  if (!c.contains("transaction")) return InvalidArgumentError(label + ": needs a transaction");
  Result<Transaction> tx = ReadTransaction(c["transaction"], set.taxonomy, "/transaction");
  if (!tx.ok()) return InvalidArgumentError(fmt::format("{}: {}", label, tx.status().message()));
  EvaluateOptions options;
  if (c.contains("as_of")) {
    Result<Date> d = c["as_of"].is_string() ? Date::ParseIso(c["as_of"].get<std::string>())
                                            : Result<Date>(InvalidArgumentError("not a string"));
    if (!d.ok()) return InvalidArgumentError(label + ": as_of must be a date YYYY-MM-DD");
    options.as_of = *d;
  }
  if (!c.contains("expect") || !c["expect"].is_object()) {
    return InvalidArgumentError(label + ": needs an expect mapping");
  }
  const json& e = c["expect"];
  const Determination d = Evaluate(set, *tx, options);
  auto fail = [&](std::string s) { r.failures.push_back(std::move(s)); };
  std::set<std::string> fired;
  for (const TraceEntry& t : d.trace) {
    if (t.result == RuleResult::kFires) fired.insert(t.rule);
  }
  for (auto it = e.begin(); it != e.end(); ++it) {
    const std::string key = it.key();
    const json& v = it.value();
    const std::string at = fmt::format("{}: expect.{}", label, key);
    if (key == "outcome") {
      if (!v.is_string()) return InvalidArgumentError(at + ": must be a string");
      if (OutcomeName(d.outcome) != v.get<std::string>()) {
        fail(fmt::format("outcome {} (expected {}); unknowns: {}", OutcomeName(d.outcome),
                         v.get<std::string>(), json(d.unknowns).dump()));
      }
    } else if (key == "covered") {
      const Tri want =
          v.is_null() ? Tri::kUnknown : (v.is_boolean() && v.get<bool>() ? Tri::kYes : Tri::kNo);
      if (!v.is_null() && !v.is_boolean())
        return InvalidArgumentError(at + ": must be true, false or null");
      if (d.covered != want)
        fail(fmt::format("covered {} (expected {})", TriName(d.covered), TriName(want)));
    } else if (key == "determining") {
      ICTS_ASSIGN_OR_RETURN(std::vector<std::string> want, StringList(v, at));
      std::sort(want.begin(), want.end());
      if (want != d.determining) {
        fail(fmt::format("determining {} (expected {})", json(d.determining).dump(),
                         json(want).dump()));
      }
    } else if (key == "fires" || key == "not_fires") {
      ICTS_ASSIGN_OR_RETURN(std::vector<std::string> rules, StringList(v, at));
      for (const std::string& rule : rules) {
        const bool f = fired.count(rule) > 0;
        if (key == "fires" && !f) fail(fmt::format("rule {} did not fire", rule));
        if (key == "not_fires" && f) fail(fmt::format("rule {} fired", rule));
      }
    } else if (key == "skipped") {
      ICTS_ASSIGN_OR_RETURN(std::vector<std::string> rules, StringList(v, at));
      for (const std::string& rule : rules) {
        bool found = false;
        for (const Skipped& s : d.skipped) found |= s.rule == rule;
        if (!found) fail(fmt::format("rule {} was not skipped", rule));
      }
    } else if (key == "unknowns_contain" || key == "findings_contain") {
      ICTS_ASSIGN_OR_RETURN(std::vector<std::string> texts, StringList(v, at));
      for (const std::string& text : texts) {
        bool found = false;
        if (key == "unknowns_contain") {
          for (const std::string& u : d.unknowns) found |= u.find(text) != std::string::npos;
        } else {
          for (const Finding& f : d.findings)
            found |= f.explanation.find(text) != std::string::npos;
        }
        if (!found)
          fail(fmt::format("no {} contains '{}'", key == "unknowns_contain" ? "unknown" : "finding",
                           text));
      }
    } else if (key == "declaration") {
      // {required: true|false|null, due: YYYY-MM-DD|null}
      if (!v.is_object()) return InvalidArgumentError(at + ": must be a mapping");
      const json req = v.contains("required") ? v["required"] : json(nullptr);
      const std::string want_req = req.is_null() ? "unknown" : (req.get<bool>() ? "yes" : "no");
      const std::string got_req =
          d.declaration ? std::string(TriName(d.declaration->required)) : "none";
      if (got_req != want_req) {
        fail(fmt::format("declaration required {} (expected {})", got_req, want_req));
      }
      if (v.contains("due")) {
        const std::string want_due = v["due"].is_null() ? "" : v["due"].get<std::string>();
        const std::string got_due =
            d.declaration && d.declaration->due ? d.declaration->due->ToIso() : "";
        if (got_due != want_due) {
          fail(fmt::format("declaration due '{}' (expected '{}')", got_due, want_due));
        }
      }
    } else {
      return InvalidArgumentError(fmt::format("{}: unknown expectation '{}'", label, key));
    }
  }
  out->push_back(std::move(r));
  return Status::Ok();
}

}  // namespace

Result<std::vector<PackTestResult>> RunPackTests(const PackSet& set, const std::string& only) {
  namespace fs = std::filesystem;
  std::vector<PackTestResult> results;
  bool found_pack = only.empty();
  for (const Pack& pack : set.packs) {
    if (!only.empty() && pack.id != only) continue;
    found_pack = true;
    const fs::path dir = fs::path(pack.file).parent_path() / "tests";
    std::vector<std::string> files;
    std::error_code ec;
    if (fs::is_directory(dir, ec)) {
      for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".yaml") files.push_back(e.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      ICTS_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(file));
      ICTS_ASSIGN_OR_RETURN(json doc, YamlToJson(bytes, file));
      if (!doc.is_object() || !doc.contains("cases") || !doc["cases"].is_array() ||
          doc.size() != 1) {
        return InvalidArgumentError(file +
                                    ": a test file is a mapping with one key, 'cases' (a list)");
      }
      for (size_t i = 0; i < doc["cases"].size(); ++i) {
        ICTS_RETURN_IF_ERROR(RunCase(set, pack, file, doc["cases"][i], i, &results));
      }
    }
  }
  if (!found_pack) return NotFoundError(fmt::format("no pack with id '{}'", only));
  return results;
}

}  // namespace icts::rules
