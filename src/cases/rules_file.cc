// Strict reader of rules/cases/deadlines.yaml.
#include <yaml-cpp/yaml.h>

#include <exception>
#include <initializer_list>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cases/case.h"

namespace icts::cases {

// Defined in the generated deadlines_embedded.cc (see CMakeLists.txt).
std::string_view EmbeddedDeadlinesText();

namespace {

constexpr size_t kMaxBytes = size_t{1} << 20;
constexpr size_t kMaxItems = 256;
constexpr int kMaxDays = 36600;
constexpr int kMaxYears = 100;

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Status Error(const YAML::Node& at, std::string_view message) const {
    YAML::Mark m = at.Mark();
    if (m.line < 0) return InvalidArgumentError(fmt::format("{}: {}", file_, message));
    return InvalidArgumentError(fmt::format("{}:{}: {}", file_, m.line + 1, message));
  }

  Status Keys(const YAML::Node& node, std::string_view what,
              std::initializer_list<std::string_view> allowed,
              std::initializer_list<std::string_view> required) const {
    if (!node.IsMap()) return Error(node, fmt::format("{}: expected a mapping", what));
    std::set<std::string> seen;
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) return Error(kv.first, fmt::format("{}: bad key", what));
      const std::string& k = kv.first.Scalar();
      bool ok = false;
      for (std::string_view a : allowed) ok = ok || a == k;
      if (!ok) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return Error(kv.first,
                     fmt::format("{}: unknown key '{}' (expected one of: {})", what, k, list));
      }
      if (!seen.insert(k).second) {
        return Error(kv.first, fmt::format("{}: key '{}' given twice", what, k));
      }
    }
    for (std::string_view r : required) {
      if (!node[std::string(r)]) {
        return Error(node, fmt::format("{}: missing required key '{}'", what, r));
      }
    }
    return Status::Ok();
  }

  Result<std::string> Text(const YAML::Node& node, std::string_view what) const {
    if (!node.IsScalar() || node.Scalar().empty()) {
      return Error(node, fmt::format("{}: expected text", what));
    }
    return node.Scalar();
  }

  Result<std::optional<Date>> OptDate(const YAML::Node& parent, const char* key,
                                      std::string_view what) const {
    YAML::Node n = parent[key];
    if (!n || n.IsNull()) return std::optional<Date>();
    if (!n.IsScalar()) return Error(n, fmt::format("{}: {} must be a date", what, key));
    auto d = Date::ParseIso(n.Scalar());
    if (!d.ok()) {
      return Error(n, fmt::format("{}: {} '{}' is not a YYYY-MM-DD date", what, key, n.Scalar()));
    }
    return std::optional<Date>(*d);
  }

  Result<int> Int(const YAML::Node& node, std::string_view what, int max) const {
    if (node.IsScalar()) {
      const std::string& s = node.Scalar();
      int v = 0;
      bool ok = !s.empty() && s.size() <= 6;
      for (char ch : s) {
        if (ch < '0' || ch > '9') ok = false;
        v = v * 10 + (ch - '0');
      }
      if (ok && v >= 1 && v <= max) return v;
    }
    return Error(node, fmt::format("{}: expected a whole number from 1 to {}", what, max));
  }

  Result<Citation> Cite(const YAML::Node& node, std::string_view what) const {
    ICTS_RETURN_IF_ERROR(
        Keys(node, what, {"text", "url", "verification"}, {"text", "verification"}));
    Citation c;
    ICTS_ASSIGN_OR_RETURN(c.text, Text(node["text"], what));
    if (node["url"]) {
      ICTS_ASSIGN_OR_RETURN(c.url, Text(node["url"], what));
    }
    ICTS_ASSIGN_OR_RETURN(std::string tag, Text(node["verification"], what));
    if (tag != "V" && tag != "S" && tag != "M") {
      return Error(node["verification"], fmt::format("{}: verification must be V, S or M", what));
    }
    c.verification = tag[0];
    return c;
  }

  Status Seq(const YAML::Node& node, std::string_view what) const {
    if (!node.IsSequence()) return Error(node, fmt::format("{}: expected a list", what));
    if (node.size() > kMaxItems) {
      return Error(node, fmt::format("{}: more than {} items", what, kMaxItems));
    }
    return Status::Ok();
  }

  Result<std::vector<EventKind>> Kinds(const YAML::Node& node, std::string_view what) const {
    ICTS_RETURN_IF_ERROR(Seq(node, what));
    std::vector<EventKind> out;
    for (const auto& item : node) {
      ICTS_ASSIGN_OR_RETURN(std::string name, Text(item, what));
      auto k = ParseEventKind(name);
      if (!k.ok()) return Error(item, fmt::format("{}: {}", what, k.status().message()));
      out.push_back(*k);
    }
    return out;
  }

 private:
  std::string file_;
};

Status CheckPeriod(const Reader& r, const YAML::Node& at, const std::optional<Date>& from,
                   const std::optional<Date>& to, std::string_view what) {
  if (from && to && *to < *from) return r.Error(at, fmt::format("{}: 'to' is before 'from'", what));
  return Status::Ok();
}

Result<DeadlineRule> ParseRule(const Reader& r, const YAML::Node& n, size_t index,
                               const DeadlineRules& file) {
  std::string what = fmt::format("deadlines[{}]", index);
  if (n.IsMap() && n["id"] && n["id"].IsScalar()) {
    what = fmt::format("deadline '{}'", n["id"].Scalar());
  }
  ICTS_RETURN_IF_ERROR(r.Keys(
      n, what,
      {"id", "what", "version", "effective", "subpart", "kind", "start", "occurrence", "days",
       "years", "closes_with", "late", "after_end", "extended_by", "void_if", "citation"},
      {"id", "what", "version", "kind", "start", "citation"}));
  DeadlineRule rule;
  rule.line = n.Mark().line + 1;
  ICTS_ASSIGN_OR_RETURN(rule.id, r.Text(n["id"], what));
  ICTS_ASSIGN_OR_RETURN(rule.what, r.Text(n["what"], what));
  ICTS_ASSIGN_OR_RETURN(std::string version, r.Text(n["version"], what));
  if (version == "interim") {
    rule.version = RuleVersion::kInterim;
  } else if (version == "final") {
    rule.version = RuleVersion::kFinal;
  } else if (version != "any") {
    return r.Error(n["version"], fmt::format("{}: version must be interim, final or any", what));
  }
  if (rule.version && !file.Period(*rule.version)) {
    return r.Error(n["version"],
                   fmt::format("{}: version '{}' is not defined under 'versions'", what, version));
  }
  if (YAML::Node eff = n["effective"]) {
    ICTS_RETURN_IF_ERROR(r.Keys(eff, what + " effective", {"from", "to"}, {}));
    ICTS_ASSIGN_OR_RETURN(rule.from, r.OptDate(eff, "from", what));
    ICTS_ASSIGN_OR_RETURN(rule.to, r.OptDate(eff, "to", what));
    ICTS_RETURN_IF_ERROR(CheckPeriod(r, eff, rule.from, rule.to, what));
  }
  if (n["subpart"]) {
    ICTS_ASSIGN_OR_RETURN(rule.subpart, r.Text(n["subpart"], what));
    if (rule.subpart != "d" && rule.subpart != "ab") {
      return r.Error(n["subpart"], fmt::format("{}: subpart must be ab or d", what));
    }
  }
  ICTS_ASSIGN_OR_RETURN(std::string kind, r.Text(n["kind"], what));
  if (kind == "not-before") {
    rule.kind = DeadlineKind::kNotBefore;
  } else if (kind == "due") {
    rule.kind = DeadlineKind::kDue;
  } else if (kind == "retain-until") {
    rule.kind = DeadlineKind::kRetainUntil;
  } else {
    return r.Error(n["kind"],
                   fmt::format("{}: kind must be not-before, due or retain-until", what));
  }
  YAML::Node start = n["start"];
  ICTS_RETURN_IF_ERROR(r.Seq(start, what + " start"));
  if (start.size() == 0) return r.Error(start, fmt::format("{}: start is empty", what));
  for (const auto& item : start) {
    ICTS_ASSIGN_OR_RETURN(std::string name, r.Text(item, what + " start"));
    if (name == "transaction") {
      rule.start_transaction = true;
      continue;
    }
    auto k = ParseEventKind(name);
    if (!k.ok()) return r.Error(item, fmt::format("{} start: {}", what, k.status().message()));
    rule.start.push_back(*k);
  }
  if (rule.start_transaction && !rule.start.empty()) {
    return r.Error(start, fmt::format("{}: 'transaction' cannot be mixed with event kinds", what));
  }
  if (n["occurrence"]) {
    ICTS_ASSIGN_OR_RETURN(std::string occ, r.Text(n["occurrence"], what));
    if (occ != "first" && occ != "last") {
      return r.Error(n["occurrence"], fmt::format("{}: occurrence must be first or last", what));
    }
    rule.first_occurrence = occ == "first";
  }
  if (n["days"].IsDefined() == n["years"].IsDefined()) {
    return r.Error(n, fmt::format("{}: give exactly one of 'days' and 'years'", what));
  }
  if (n["days"]) {
    ICTS_ASSIGN_OR_RETURN(rule.days, r.Int(n["days"], what + " days", kMaxDays));
  } else {
    ICTS_ASSIGN_OR_RETURN(rule.years, r.Int(n["years"], what + " years", kMaxYears));
  }
  if (n["closes_with"]) {
    ICTS_ASSIGN_OR_RETURN(rule.closes_with, r.Kinds(n["closes_with"], what + " closes_with"));
  }
  if (n["after_end"]) {
    ICTS_ASSIGN_OR_RETURN(rule.after_end, r.Kinds(n["after_end"], what + " after_end"));
  }
  if (n["void_if"]) {
    ICTS_ASSIGN_OR_RETURN(rule.void_if, r.Kinds(n["void_if"], what + " void_if"));
  }
  if (n["extended_by"]) {
    ICTS_ASSIGN_OR_RETURN(std::string name, r.Text(n["extended_by"], what));
    auto k = ParseEventKind(name);
    if (!k.ok()) {
      return r.Error(n["extended_by"], fmt::format("{}: {}", what, k.status().message()));
    }
    rule.extended_by = *k;
  }
  if (n["late"]) {
    ICTS_ASSIGN_OR_RETURN(std::string late, r.Text(n["late"], what));
    if (late != "refuse" && late != "flag") {
      return r.Error(n["late"], fmt::format("{}: late must be refuse or flag", what));
    }
    rule.refuse_late = late == "refuse";
  }
  // Which keys make sense for which kind.
  if (rule.kind != DeadlineKind::kRetainUntil && rule.closes_with.empty()) {
    return r.Error(n, fmt::format("{}: a {} deadline needs closes_with", what, kind));
  }
  if (rule.kind == DeadlineKind::kRetainUntil && n["closes_with"]) {
    return r.Error(n["closes_with"],
                   fmt::format("{}: a retain-until period has no closes_with", what));
  }
  if (rule.kind != DeadlineKind::kDue && (n["late"] || n["after_end"] || n["extended_by"])) {
    return r.Error(n,
                   fmt::format("{}: late, after_end and extended_by are for due deadlines", what));
  }
  if (rule.start_transaction && rule.kind != DeadlineKind::kRetainUntil) {
    return r.Error(start,
                   fmt::format("{}: only retain-until periods start at the transaction", what));
  }
  ICTS_ASSIGN_OR_RETURN(rule.citation, r.Cite(n["citation"], what + " citation"));
  return rule;
}

Result<DeadlineRules> ParseImpl(const YAML::Node& root, const std::string& file) {
  Reader r(file);
  DeadlineRules out;
  out.file = file;
  ICTS_RETURN_IF_ERROR(r.Keys(root, "deadline rules", {"id", "title", "versions", "deadlines"},
                              {"id", "versions", "deadlines"}));
  ICTS_ASSIGN_OR_RETURN(out.id, r.Text(root["id"], "id"));
  if (root["title"]) {
    ICTS_ASSIGN_OR_RETURN(out.title, r.Text(root["title"], "title"));
  }
  YAML::Node versions = root["versions"];
  ICTS_RETURN_IF_ERROR(r.Seq(versions, "versions"));
  for (size_t i = 0; i < versions.size(); ++i) {
    YAML::Node v = versions[i];
    std::string what = fmt::format("versions[{}]", i);
    ICTS_RETURN_IF_ERROR(
        r.Keys(v, what, {"id", "title", "from", "to", "citation"}, {"id", "from", "citation"}));
    VersionPeriod p;
    ICTS_ASSIGN_OR_RETURN(std::string id, r.Text(v["id"], what));
    if (id == "interim") {
      p.version = RuleVersion::kInterim;
    } else if (id == "final") {
      p.version = RuleVersion::kFinal;
    } else {
      return r.Error(v["id"], fmt::format("{}: id must be interim or final", what));
    }
    if (out.Period(p.version)) {
      return r.Error(v["id"], fmt::format("{}: version '{}' given twice", what, id));
    }
    if (v["title"]) {
      ICTS_ASSIGN_OR_RETURN(p.title, r.Text(v["title"], what));
    }
    ICTS_ASSIGN_OR_RETURN(p.from, r.OptDate(v, "from", what));
    ICTS_ASSIGN_OR_RETURN(p.to, r.OptDate(v, "to", what));
    ICTS_RETURN_IF_ERROR(CheckPeriod(r, v, p.from, p.to, what));
    ICTS_ASSIGN_OR_RETURN(p.citation, r.Cite(v["citation"], what + " citation"));
    out.versions.push_back(std::move(p));
  }
  // Versions may not overlap.
  for (size_t i = 0; i < out.versions.size(); ++i) {
    for (size_t j = i + 1; j < out.versions.size(); ++j) {
      const VersionPeriod& a = out.versions[i];
      const VersionPeriod& b = out.versions[j];
      bool a_before_b = a.to && b.from && *a.to < *b.from;
      bool b_before_a = b.to && a.from && *b.to < *a.from;
      if (!a_before_b && !b_before_a) {
        return r.Error(versions[j],
                       fmt::format("versions '{}' and '{}' overlap", RuleVersionName(a.version),
                                   RuleVersionName(b.version)));
      }
    }
  }
  YAML::Node deadlines = root["deadlines"];
  ICTS_RETURN_IF_ERROR(r.Seq(deadlines, "deadlines"));
  std::set<std::string> ids;
  for (size_t i = 0; i < deadlines.size(); ++i) {
    ICTS_ASSIGN_OR_RETURN(DeadlineRule rule, ParseRule(r, deadlines[i], i, out));
    if (!ids.insert(rule.id).second) {
      return r.Error(deadlines[i]["id"], fmt::format("deadline id '{}' given twice", rule.id));
    }
    out.rules.push_back(std::move(rule));
  }
  return out;
}

}  // namespace

std::optional<RuleVersion> DeadlineRules::VersionOn(Date date) const {
  for (const VersionPeriod& p : versions) {
    if (p.from && date < *p.from) continue;
    if (p.to && date > *p.to) continue;
    return p.version;
  }
  return std::nullopt;
}

const VersionPeriod* DeadlineRules::Period(RuleVersion v) const {
  for (const VersionPeriod& p : versions) {
    if (p.version == v) return &p;
  }
  return nullptr;
}

Result<DeadlineRules> ParseDeadlineRules(std::string_view yaml, const std::string& file) {
  if (yaml.size() > kMaxBytes) {
    return InvalidArgumentError(fmt::format("{}: larger than {} bytes", file, kMaxBytes));
  }
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) {
      return InvalidArgumentError(fmt::format("{}:1: expected a mapping at the top", file));
    }
    return ParseImpl(root, file);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(
        fmt::format("{}:{}: {}", file, e.mark.line < 0 ? 0 : e.mark.line + 1, e.msg));
  } catch (const std::exception& e) {
    return InvalidArgumentError(fmt::format("{}: {}", file, e.what()));
  }
}

std::string_view ShippedDeadlineRulesText() { return EmbeddedDeadlinesText(); }

Result<const DeadlineRules*> ShippedDeadlineRules() {
  static std::once_flag once;
  static Result<DeadlineRules>* parsed = nullptr;
  std::call_once(once, [] {
    parsed = new Result<DeadlineRules>(
        ParseDeadlineRules(EmbeddedDeadlinesText(), "rules/cases/deadlines.yaml"));
  });
  if (!parsed->ok()) return parsed->status();
  return &parsed->value();
}

}  // namespace icts::cases
