#include "rules/pack.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "base/file.h"
#include "base/sha256.h"
#include "refdata/countries.h"

namespace icts::rules {
namespace {

// Packs are small; the cap keeps a hostile file from tying up the parser.
constexpr size_t kMaxPackBytes = size_t{4} << 20;

// Errors carry file:line:column of the offending node.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Status Error(const YAML::Node& node, std::string_view message) const {
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0) return InvalidArgumentError(fmt::format("{}: {}", file_, message));
    return InvalidArgumentError(
        fmt::format("{}:{}:{}: {}", file_, mark.line + 1, mark.column + 1, message));
  }

  // `node` must be a mapping whose keys are all in `allowed` and which has
  // every key of `required`.
  Status CheckKeys(const YAML::Node& node, std::string_view what,
                   std::initializer_list<std::string_view> allowed,
                   std::initializer_list<std::string_view> required = {}) const {
    if (!node.IsMap()) return Error(node, fmt::format("{} must be a mapping", what));
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) return Error(kv.first, "keys must be plain strings");
      const std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
        return Error(kv.first,
                     fmt::format("unknown key '{}' in {} (expected one of: {})", key, what, list));
      }
    }
    for (std::string_view r : required) {
      if (!node[std::string(r)]) {
        return Error(node, fmt::format("{} lacks the required key '{}'", what, r));
      }
    }
    return Status::Ok();
  }

  Result<std::string> String(const YAML::Node& node, std::string_view what,
                             bool allow_empty = false) const {
    if (!node.IsScalar()) return Error(node, fmt::format("{} must be a string", what));
    std::string s = node.Scalar();
    if (!allow_empty && s.empty()) return Error(node, fmt::format("{} must not be empty", what));
    return s;
  }

  Result<std::vector<std::string>> Strings(const YAML::Node& node, std::string_view what) const {
    std::vector<std::string> out;
    if (!node.IsSequence()) return Error(node, fmt::format("{} must be a list of strings", what));
    for (const YAML::Node& n : node) {
      ICTS_ASSIGN_OR_RETURN(std::string s, String(n, what));
      out.push_back(std::move(s));
    }
    return out;
  }

  Result<bool> Bool(const YAML::Node& node, std::string_view what) const {
    if (node.IsScalar()) {
      const std::string& s = node.Scalar();
      if (s == "true") return true;
      if (s == "false") return false;
    }
    return Error(node, fmt::format("{} must be true or false", what));
  }

  Result<int64_t> Integer(const YAML::Node& node, std::string_view what) const {
    if (node.IsScalar()) {
      const std::string& s = node.Scalar();
      size_t used = 0;
      try {
        const long long v = std::stoll(s, &used);
        if (used == s.size()) return static_cast<int64_t>(v);
      } catch (const std::exception&) {
      }
    }
    return Error(node, fmt::format("{} must be an integer", what));
  }

  Result<Date> DateOf(const YAML::Node& node, std::string_view what) const {
    if (!node.IsScalar()) return Error(node, fmt::format("{} must be a date YYYY-MM-DD", what));
    Result<Date> d = Date::ParseIso(node.Scalar());
    if (!d.ok()) {
      return Error(node, fmt::format("{}: '{}' is not a date YYYY-MM-DD", what, node.Scalar()));
    }
    return *d;
  }

  Result<Effective> EffectiveOf(const YAML::Node& node, std::string_view what) const {
    ICTS_RETURN_IF_ERROR(CheckKeys(node, what, {"from", "to"}));
    Effective e;
    if (node["from"]) {
      ICTS_ASSIGN_OR_RETURN(Date d, DateOf(node["from"], "effective.from"));
      e.from = d;
    }
    if (node["to"]) {
      ICTS_ASSIGN_OR_RETURN(Date d, DateOf(node["to"], "effective.to"));
      e.to = d;
    }
    if (e.from && e.to && *e.to < *e.from) {
      return Error(node, fmt::format("{} ends ({}) before it starts ({})", what, e.to->ToIso(),
                                     e.from->ToIso()));
    }
    return e;
  }

  Result<Citation> CitationOf(const YAML::Node& node, std::string_view what) const {
    ICTS_RETURN_IF_ERROR(
        CheckKeys(node, what, {"text", "verification", "url"}, {"text", "verification"}));
    Citation c;
    ICTS_ASSIGN_OR_RETURN(c.text, String(node["text"], "citation text"));
    ICTS_ASSIGN_OR_RETURN(std::string v, String(node["verification"], "verification"));
    if (v == "V") {
      c.verification = Verification::kVerified;
    } else if (v == "S") {
      c.verification = Verification::kSecondary;
    } else if (v == "M") {
      c.verification = Verification::kUnverified;
    } else {
      return Error(node["verification"],
                   fmt::format("verification '{}' must be V (verified in the text), S "
                               "(secondary source) or M (not verified)",
                               v));
    }
    if (node["url"]) {
      ICTS_ASSIGN_OR_RETURN(c.url, String(node["url"], "url"));
    }
    return c;
  }

  Result<std::vector<std::string>> Tags(const YAML::Node& node, std::string_view what,
                                        const Taxonomy& taxonomy) const {
    ICTS_ASSIGN_OR_RETURN(std::vector<std::string> tags, Strings(node, what));
    for (size_t i = 0; i < tags.size(); ++i) {
      if (!taxonomy.Has(tags[i])) {
        return Error(node[i], fmt::format("unknown item tag '{}' (not in the taxonomy)", tags[i]));
      }
    }
    return tags;
  }

  Result<std::string> CountryCode(const YAML::Node& node, std::string_view what) const {
    ICTS_ASSIGN_OR_RETURN(std::string s, String(node, what));
    if (s.find('-') != std::string::npos) return s;  // "VE-MADURO"
    if (refdata::CountryName(s).empty()) {
      return Error(node, fmt::format("{} '{}' is not an ISO 3166 alpha-2 code", what, s));
    }
    return s;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

Result<Severity> SeverityOf(const Reader& r, const YAML::Node& node) {
  ICTS_ASSIGN_OR_RETURN(std::string s, r.String(node, "severity"));
  if (s == "prohibited") return Severity::kProhibited;
  if (s == "review") return Severity::kReview;
  if (s == "info") return Severity::kInfo;
  return r.Error(node, fmt::format("severity '{}' must be prohibited, review or info", s));
}

Status ParseAdversaries(const Reader& r, const YAML::Node& p, Rule* rule) {
  ICTS_RETURN_IF_ERROR(
      r.CheckKeys(p, "params of foreign-adversaries", {"adversaries"}, {"adversaries"}));
  const YAML::Node list = p["adversaries"];
  if (!list.IsSequence() || list.size() == 0) {
    return r.Error(list, "adversaries must be a non-empty list");
  }
  std::set<std::string> seen;
  for (const YAML::Node& n : list) {
    ICTS_RETURN_IF_ERROR(r.CheckKeys(n, "adversary",
                                     {"code", "name", "effective", "territories", "countries"},
                                     {"code", "name"}));
    AdversaryEntry a;
    ICTS_ASSIGN_OR_RETURN(a.code, r.CountryCode(n["code"], "adversary code"));
    if (!seen.insert(a.code).second) {
      return r.Error(n["code"], fmt::format("adversary '{}' listed twice", a.code));
    }
    ICTS_ASSIGN_OR_RETURN(a.name, r.String(n["name"], "adversary name"));
    if (n["effective"]) {
      ICTS_ASSIGN_OR_RETURN(a.effective, r.EffectiveOf(n["effective"], "effective"));
    }
    if (n["territories"]) {
      if (!n["territories"].IsSequence())
        return r.Error(n["territories"], "territories must be a list");
      for (const YAML::Node& t : n["territories"]) {
        ICTS_RETURN_IF_ERROR(r.CheckKeys(t, "territory", {"code", "effective"}, {"code"}));
        AdversaryEntry::Territory terr;
        ICTS_ASSIGN_OR_RETURN(terr.code, r.CountryCode(t["code"], "territory code"));
        if (t["effective"]) {
          ICTS_ASSIGN_OR_RETURN(terr.effective, r.EffectiveOf(t["effective"], "effective"));
        }
        a.territories.push_back(std::move(terr));
      }
    }
    if (n["countries"]) {
      if (!n["countries"].IsSequence()) return r.Error(n["countries"], "countries must be a list");
      for (const YAML::Node& c : n["countries"]) {
        ICTS_ASSIGN_OR_RETURN(std::string code, r.CountryCode(c, "country"));
        a.countries.push_back(std::move(code));
      }
    } else if (a.code.find('-') == std::string::npos) {
      a.countries.push_back(a.code);
    }
    rule->adversaries.adversaries.push_back(std::move(a));
  }
  return Status::Ok();
}

Status ParseNexus(const Reader& r, const YAML::Node& p, Rule* rule) {
  ICTS_RETURN_IF_ERROR(r.CheckKeys(
      p, "params of nexus",
      {"definition", "agency", "citizenship_roles", "us_person_carve_out", "organization_roles",
       "ownership_control", "roles", "service_rule", "adversaries", "when_roles"},
      {"definition", "roles"}));
  NexusParams& n = rule->nexus;
  ICTS_ASSIGN_OR_RETURN(n.definition, r.String(p["definition"], "definition"));
  if (p["when_roles"]) {
    ICTS_ASSIGN_OR_RETURN(n.when_roles, r.Strings(p["when_roles"], "when_roles"));
  }
  if (p["agency"]) {
    ICTS_ASSIGN_OR_RETURN(n.agency, r.Bool(p["agency"], "agency"));
  }
  if (p["citizenship_roles"]) {
    ICTS_ASSIGN_OR_RETURN(n.citizenship_roles, r.Strings(p["citizenship_roles"], "roles"));
  }
  if (p["us_person_carve_out"]) {
    ICTS_ASSIGN_OR_RETURN(n.us_person_carve_out,
                          r.Bool(p["us_person_carve_out"], "us_person_carve_out"));
  }
  if (p["organization_roles"]) {
    ICTS_ASSIGN_OR_RETURN(n.organization_roles, r.Strings(p["organization_roles"], "roles"));
  }
  if (p["ownership_control"]) {
    ICTS_ASSIGN_OR_RETURN(n.ownership_control, r.Bool(p["ownership_control"], "ownership_control"));
  }
  ICTS_ASSIGN_OR_RETURN(n.roles, r.Strings(p["roles"], "roles"));
  if (p["service_rule"]) {
    ICTS_ASSIGN_OR_RETURN(n.service_rule, r.Bool(p["service_rule"], "service_rule"));
  }
  if (p["adversaries"]) {
    ICTS_ASSIGN_OR_RETURN(n.adversaries, r.Strings(p["adversaries"], "adversaries"));
  }
  return Status::Ok();
}

Status ParseScope(const Reader& r, const YAML::Node& p, const Taxonomy& taxonomy, Rule* rule) {
  ICTS_RETURN_IF_ERROR(
      r.CheckKeys(p, "params of covered-scope",
                  {"version", "start_date", "categories", "exclusions", "nexus_series"},
                  {"version", "start_date", "categories", "nexus_series"}));
  CoveredScopeParams& s = rule->scope;
  ICTS_ASSIGN_OR_RETURN(s.version, r.String(p["version"], "version"));
  ICTS_ASSIGN_OR_RETURN(s.start_date, r.DateOf(p["start_date"], "start_date"));
  ICTS_ASSIGN_OR_RETURN(s.nexus_series, r.String(p["nexus_series"], "nexus_series"));
  const YAML::Node cats = p["categories"];
  if (!cats.IsSequence() || cats.size() == 0)
    return r.Error(cats, "categories must be a non-empty list");
  for (const YAML::Node& c : cats) {
    ICTS_RETURN_IF_ERROR(
        r.CheckKeys(c, "category", {"id", "title", "tags", "threshold"}, {"id", "title", "tags"}));
    Category cat;
    ICTS_ASSIGN_OR_RETURN(cat.id, r.String(c["id"], "category id"));
    ICTS_ASSIGN_OR_RETURN(cat.title, r.String(c["title"], "category title"));
    ICTS_ASSIGN_OR_RETURN(cat.tags, r.Tags(c["tags"], "category tags", taxonomy));
    if (c["threshold"]) {
      const YAML::Node t = c["threshold"];
      ICTS_RETURN_IF_ERROR(
          r.CheckKeys(t, "threshold", {"count", "more_than"}, {"count", "more_than"}));
      ICTS_ASSIGN_OR_RETURN(cat.count, r.String(t["count"], "threshold count"));
      ICTS_ASSIGN_OR_RETURN(cat.more_than, r.Integer(t["more_than"], "more_than"));
    }
    s.categories.push_back(std::move(cat));
  }
  if (p["exclusions"]) {
    ICTS_ASSIGN_OR_RETURN(s.exclusions, r.Strings(p["exclusions"], "exclusions"));
    for (size_t i = 0; i < s.exclusions.size(); ++i) {
      if (s.exclusions[i] != "industrial-security-program" && s.exclusions[i] != "cfius") {
        return r.Error(p["exclusions"][i],
                       fmt::format("unknown exclusion '{}' (industrial-security-program, cfius)",
                                   s.exclusions[i]));
      }
    }
  }
  return Status::Ok();
}

Status ParseProhibition(const Reader& r, const YAML::Node& p, const Taxonomy& taxonomy,
                        Rule* rule) {
  ICTS_RETURN_IF_ERROR(r.CheckKeys(
      p, "params of entity-prohibition",
      {"family", "product_tags", "carve_out_tags", "activities", "roles", "entity_id_prefixes"},
      {"family", "product_tags", "activities", "roles"}));
  EntityProhibitionParams& e = rule->prohibition;
  ICTS_ASSIGN_OR_RETURN(e.family, r.String(p["family"], "family"));
  ICTS_ASSIGN_OR_RETURN(e.product_tags, r.Tags(p["product_tags"], "product_tags", taxonomy));
  if (p["carve_out_tags"]) {
    ICTS_ASSIGN_OR_RETURN(e.carve_out_tags,
                          r.Tags(p["carve_out_tags"], "carve_out_tags", taxonomy));
  }
  ICTS_ASSIGN_OR_RETURN(e.roles, r.Strings(p["roles"], "roles"));
  if (p["entity_id_prefixes"]) {
    ICTS_ASSIGN_OR_RETURN(e.entity_id_prefixes,
                          r.Strings(p["entity_id_prefixes"], "entity_id_prefixes"));
  }
  const YAML::Node acts = p["activities"];
  if (!acts.IsSequence() || acts.size() == 0)
    return r.Error(acts, "activities must be a non-empty list");
  for (const YAML::Node& a : acts) {
    ICTS_RETURN_IF_ERROR(r.CheckKeys(a, "activity class", {"acts", "from", "severity", "note"},
                                     {"acts", "severity"}));
    ActivityClass ac;
    ICTS_ASSIGN_OR_RETURN(ac.acts, r.Strings(a["acts"], "acts"));
    if (a["from"]) {
      ICTS_ASSIGN_OR_RETURN(Date d, r.DateOf(a["from"], "from"));
      ac.from = d;
    }
    ICTS_ASSIGN_OR_RETURN(ac.severity, SeverityOf(r, a["severity"]));
    if (a["note"]) {
      ICTS_ASSIGN_OR_RETURN(ac.note, r.String(a["note"], "note"));
    }
    e.activities.push_back(std::move(ac));
  }
  return Status::Ok();
}

Status ParseListFlag(const Reader& r, const YAML::Node& p, Rule* rule, const Taxonomy& taxonomy) {
  ICTS_RETURN_IF_ERROR(r.CheckKeys(p, "params of list-flag",
                                   {"lists", "programs", "consequence", "roles", "item_tags"},
                                   {"consequence"}));
  ListFlagParams& l = rule->list_flag;
  if (p["lists"]) {
    ICTS_ASSIGN_OR_RETURN(l.lists, r.Strings(p["lists"], "lists"));
  }
  if (p["programs"]) {
    ICTS_ASSIGN_OR_RETURN(l.programs, r.Strings(p["programs"], "programs"));
  }
  if (l.lists.empty() && l.programs.empty()) {
    return r.Error(p, "a list-flag needs 'lists' or 'programs'");
  }
  ICTS_ASSIGN_OR_RETURN(l.consequence, r.String(p["consequence"], "consequence"));
  if (p["roles"]) {
    ICTS_ASSIGN_OR_RETURN(l.roles, r.Strings(p["roles"], "roles"));
  }
  if (p["item_tags"]) {
    ICTS_ASSIGN_OR_RETURN(l.item_tags, r.Tags(p["item_tags"], "item_tags", taxonomy));
  }
  return Status::Ok();
}

Status ParseRisk(const Reader& r, const YAML::Node& p, Rule* rule) {
  ICTS_RETURN_IF_ERROR(
      r.CheckKeys(p, "params of risk-factors", {"criteria", "military_programs"}, {"criteria"}));
  RiskFactorsParams& k = rule->risk;
  const YAML::Node cs = p["criteria"];
  if (!cs.IsSequence() || cs.size() == 0) return r.Error(cs, "criteria must be a non-empty list");
  for (const YAML::Node& c : cs) {
    ICTS_RETURN_IF_ERROR(
        r.CheckKeys(c, "criterion", {"id", "title", "evidence"}, {"id", "title", "evidence"}));
    RiskCriterion rc;
    ICTS_ASSIGN_OR_RETURN(rc.id, r.String(c["id"], "criterion id"));
    ICTS_ASSIGN_OR_RETURN(rc.title, r.String(c["title"], "criterion title"));
    ICTS_ASSIGN_OR_RETURN(rc.evidence, r.String(c["evidence"], "evidence"));
    static const std::set<std::string> kEvidence = {"item",        "nexus",   "military-links",
                                                    "cyber-links", "parties", "none"};
    if (kEvidence.count(rc.evidence) == 0) {
      return r.Error(c["evidence"],
                     fmt::format("evidence '{}' must be one of item, nexus, military-links, "
                                 "cyber-links, parties, none",
                                 rc.evidence));
    }
    k.criteria.push_back(std::move(rc));
  }
  if (p["military_programs"]) {
    ICTS_ASSIGN_OR_RETURN(k.military_programs,
                          r.Strings(p["military_programs"], "military_programs"));
  }
  return Status::Ok();
}

Status ParseConnectedVehicle(const Reader& r, const YAML::Node& p, const Taxonomy& taxonomy,
                             Rule* rule) {
  ICTS_RETURN_IF_ERROR(r.CheckKeys(
      p, "params of connected-vehicle",
      {"role", "item_classes", "excluded_classes", "model_year_from", "no_model_year_from",
       "repair_exemption", "nexus_series", "filer_nexus", "max_gvwr_lb", "declaration_lead_days",
       "declaration_citation", "legacy_before"},
      {"role", "item_classes", "model_year_from", "nexus_series", "declaration_citation"}));
  ConnectedVehicleParams& v = rule->vehicle;
  ICTS_ASSIGN_OR_RETURN(v.role, r.String(p["role"], "role"));
  ICTS_ASSIGN_OR_RETURN(v.item_classes, r.Tags(p["item_classes"], "item_classes", taxonomy));
  if (p["excluded_classes"]) {
    ICTS_ASSIGN_OR_RETURN(v.excluded_classes,
                          r.Tags(p["excluded_classes"], "excluded_classes", taxonomy));
  }
  ICTS_ASSIGN_OR_RETURN(int64_t my, r.Integer(p["model_year_from"], "model_year_from"));
  if (my < 1900 || my > 2200) return r.Error(p["model_year_from"], "model_year_from out of range");
  v.model_year_from = static_cast<int>(my);
  if (p["no_model_year_from"]) {
    ICTS_ASSIGN_OR_RETURN(Date d, r.DateOf(p["no_model_year_from"], "no_model_year_from"));
    v.no_model_year_from = d;
  }
  if (p["repair_exemption"]) {
    ICTS_ASSIGN_OR_RETURN(v.repair_exemption, r.Bool(p["repair_exemption"], "repair_exemption"));
  }
  if (p["legacy_before"]) {
    ICTS_ASSIGN_OR_RETURN(Date d, r.DateOf(p["legacy_before"], "legacy_before"));
    v.legacy_before = d;
  }
  ICTS_ASSIGN_OR_RETURN(v.nexus_series, r.String(p["nexus_series"], "nexus_series"));
  if (p["filer_nexus"]) {
    ICTS_ASSIGN_OR_RETURN(v.filer_nexus, r.Bool(p["filer_nexus"], "filer_nexus"));
  }
  if (p["max_gvwr_lb"]) {
    ICTS_ASSIGN_OR_RETURN(v.max_gvwr_lb, r.Integer(p["max_gvwr_lb"], "max_gvwr_lb"));
  }
  if (p["declaration_lead_days"]) {
    ICTS_ASSIGN_OR_RETURN(int64_t d, r.Integer(p["declaration_lead_days"], "declaration_lead_days"));
    if (d < 0 || d > 3650) return r.Error(p["declaration_lead_days"], "out of range");
    v.declaration_lead_days = static_cast<int>(d);
  }
  ICTS_ASSIGN_OR_RETURN(v.declaration_citation,
                        r.CitationOf(p["declaration_citation"], "declaration_citation"));
  return Status::Ok();
}

Result<RuleKind> KindOf(const Reader& r, const YAML::Node& node) {
  ICTS_ASSIGN_OR_RETURN(std::string k, r.String(node, "kind"));
  for (RuleKind kind :
       {RuleKind::kForeignAdversaries, RuleKind::kNexus, RuleKind::kCoveredScope,
        RuleKind::kEntityProhibition, RuleKind::kListFlag, RuleKind::kRiskFactors,
        RuleKind::kConnectedVehicle}) {
    if (RuleKindName(kind) == k) return kind;
  }
  return r.Error(node, fmt::format("unknown rule kind '{}' (foreign-adversaries, nexus, "
                                   "covered-scope, entity-prohibition, list-flag, risk-factors, "
                                   "connected-vehicle)",
                                   k));
}

bool Overlap(const Effective& a, const Effective& b) {
  // [a.from, a.to] ∩ [b.from, b.to] ≠ ∅ with open ends.
  const bool a_before_b = a.to && b.from && *a.to < *b.from;
  const bool b_before_a = b.to && a.from && *b.to < *a.from;
  return !a_before_b && !b_before_a;
}

Result<Pack> ParsePackNode(const Reader& r, const YAML::Node& root, const Taxonomy& taxonomy) {
  ICTS_RETURN_IF_ERROR(r.CheckKeys(root, "a pack",
                                   {"id", "version", "title", "status", "source", "rules"},
                                   {"id", "version", "title", "status", "source", "rules"}));
  Pack pack;
  pack.file = r.file();
  ICTS_ASSIGN_OR_RETURN(pack.id, r.String(root["id"], "pack id"));
  ICTS_ASSIGN_OR_RETURN(pack.version, r.String(root["version"], "version"));
  ICTS_ASSIGN_OR_RETURN(pack.title, r.String(root["title"], "title"));
  ICTS_ASSIGN_OR_RETURN(std::string status, r.String(root["status"], "status"));
  if (status == "in-force") {
    pack.status = PackStatus::kInForce;
  } else if (status == "proposed") {
    pack.status = PackStatus::kProposed;
  } else if (status == "watch") {
    pack.status = PackStatus::kWatch;
  } else {
    return r.Error(root["status"],
                   fmt::format("status '{}' must be in-force, proposed or watch", status));
  }
  ICTS_ASSIGN_OR_RETURN(pack.source, r.CitationOf(root["source"], "source"));
  const YAML::Node rules = root["rules"];
  if (!rules.IsSequence() || rules.size() == 0)
    return r.Error(rules, "rules must be a non-empty list");
  std::set<std::string> ids;
  for (const YAML::Node& n : rules) {
    ICTS_RETURN_IF_ERROR(r.CheckKeys(
        n, "a rule",
        {"id", "kind", "series", "title", "effective", "citation", "severity", "params"},
        {"id", "kind", "title", "citation", "severity", "params"}));
    Rule rule;
    rule.file = r.file();
    rule.line = n.Mark().line + 1;
    ICTS_ASSIGN_OR_RETURN(rule.id, r.String(n["id"], "rule id"));
    if (!ids.insert(rule.id).second) {
      return r.Error(n["id"], fmt::format("rule id '{}' used twice in the pack", rule.id));
    }
    ICTS_ASSIGN_OR_RETURN(rule.kind, KindOf(r, n["kind"]));
    if (n["series"]) {
      ICTS_ASSIGN_OR_RETURN(rule.series, r.String(n["series"], "series"));
    }
    ICTS_ASSIGN_OR_RETURN(rule.title, r.String(n["title"], "title"));
    if (n["effective"]) {
      ICTS_ASSIGN_OR_RETURN(rule.effective, r.EffectiveOf(n["effective"], "effective"));
    }
    ICTS_ASSIGN_OR_RETURN(rule.citation, r.CitationOf(n["citation"], "citation"));
    ICTS_ASSIGN_OR_RETURN(rule.severity, SeverityOf(r, n["severity"]));
    const YAML::Node p = n["params"];
    switch (rule.kind) {
      case RuleKind::kForeignAdversaries:
        ICTS_RETURN_IF_ERROR(ParseAdversaries(r, p, &rule));
        break;
      case RuleKind::kNexus:
        ICTS_RETURN_IF_ERROR(ParseNexus(r, p, &rule));
        break;
      case RuleKind::kCoveredScope:
        ICTS_RETURN_IF_ERROR(ParseScope(r, p, taxonomy, &rule));
        break;
      case RuleKind::kEntityProhibition:
        ICTS_RETURN_IF_ERROR(ParseProhibition(r, p, taxonomy, &rule));
        break;
      case RuleKind::kListFlag:
        ICTS_RETURN_IF_ERROR(ParseListFlag(r, p, &rule, taxonomy));
        break;
      case RuleKind::kConnectedVehicle:
        ICTS_RETURN_IF_ERROR(ParseConnectedVehicle(r, p, taxonomy, &rule));
        break;
      case RuleKind::kRiskFactors:
        ICTS_RETURN_IF_ERROR(ParseRisk(r, p, &rule));
        break;
    }
    // Versions of one series may not be in effect on the same day.
    if (!rule.series.empty()) {
      for (const Rule& other : pack.rules) {
        if (other.series == rule.series && Overlap(other.effective, rule.effective)) {
          return r.Error(n, fmt::format("rule '{}' overlaps rule '{}' (line {}) of series '{}': "
                                        "versions of a series need disjoint effective dates",
                                        rule.id, other.id, other.line, rule.series));
        }
      }
    }
    pack.rules.push_back(std::move(rule));
  }
  return pack;
}

Result<YAML::Node> ParseYaml(std::string_view yaml, const std::string& file) {
  if (yaml.size() > kMaxPackBytes) {
    return InvalidArgumentError(
        fmt::format("{}: file too large ({} bytes; at most {})", file, yaml.size(), kMaxPackBytes));
  }
  // yaml-cpp recurses per nesting level; packs need fewer than 10.
  size_t depth = 0, max_depth = 0;
  for (char c : yaml) {
    if (c == '[' || c == '{') max_depth = std::max(max_depth, ++depth);
    if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  if (max_depth > 32) return InvalidArgumentError(fmt::format("{}: nesting too deep", file));
  try {
    return YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    if (e.mark.line >= 0) {
      return InvalidArgumentError(
          fmt::format("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg));
    }
    return InvalidArgumentError(fmt::format("{}: {}", file, e.msg));
  }
}

}  // namespace

std::string_view PackStatusName(PackStatus s) {
  switch (s) {
    case PackStatus::kInForce:
      return "in-force";
    case PackStatus::kProposed:
      return "proposed";
    case PackStatus::kWatch:
      return "watch";
  }
  return "?";
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kReview:
      return "review";
    case Severity::kProhibited:
      return "prohibited";
  }
  return "?";
}

std::string_view VerificationTag(Verification v) {
  switch (v) {
    case Verification::kVerified:
      return "V";
    case Verification::kSecondary:
      return "S";
    case Verification::kUnverified:
      return "M";
  }
  return "?";
}

std::string_view RuleKindName(RuleKind k) {
  switch (k) {
    case RuleKind::kForeignAdversaries:
      return "foreign-adversaries";
    case RuleKind::kNexus:
      return "nexus";
    case RuleKind::kCoveredScope:
      return "covered-scope";
    case RuleKind::kEntityProhibition:
      return "entity-prohibition";
    case RuleKind::kListFlag:
      return "list-flag";
    case RuleKind::kRiskFactors:
      return "risk-factors";
    case RuleKind::kConnectedVehicle:
      return "connected-vehicle";
  }
  return "?";
}

bool Taxonomy::Has(std::string_view tag) const {
  for (const Tag& t : tags) {
    if (t.id == tag) return true;
  }
  return false;
}

Result<Taxonomy> ParseTaxonomy(std::string_view yaml, const std::string& file) {
  ICTS_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(yaml, file));
  Reader r(file);
  Taxonomy t;
  try {
    ICTS_RETURN_IF_ERROR(r.CheckKeys(root, "the taxonomy", {"tags"}, {"tags"}));
    const YAML::Node tags = root["tags"];
    if (!tags.IsSequence() || tags.size() == 0)
      return r.Error(tags, "tags must be a non-empty list");
    std::set<std::string> seen;
    for (const YAML::Node& n : tags) {
      ICTS_RETURN_IF_ERROR(
          r.CheckKeys(n, "a tag", {"id", "group", "description"}, {"id", "group", "description"}));
      Taxonomy::Tag tag;
      ICTS_ASSIGN_OR_RETURN(tag.id, r.String(n["id"], "tag id"));
      ICTS_ASSIGN_OR_RETURN(tag.group, r.String(n["group"], "group"));
      ICTS_ASSIGN_OR_RETURN(tag.description, r.String(n["description"], "description"));
      static const std::set<std::string> kGroups = {"hardware",   "software", "service", "sector",
                                                    "technology", "security", "vehicle"};
      if (kGroups.count(tag.group) == 0) {
        return r.Error(n["group"], fmt::format("group '{}' must be one of hardware, software, "
                                               "service, sector, technology, security, vehicle",
                                               tag.group));
      }
      if (!seen.insert(tag.id).second) {
        return r.Error(n["id"], fmt::format("tag '{}' listed twice", tag.id));
      }
      t.tags.push_back(std::move(tag));
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(fmt::format("{}: {}", file, e.msg));
  }
  t.sha256 = Sha256Hex(yaml);
  return t;
}

Result<Taxonomy> LoadTaxonomy(const std::string& path) {
  ICTS_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path));
  return ParseTaxonomy(bytes, path);
}

Result<Pack> ParsePack(std::string_view yaml, const std::string& file, const Taxonomy& taxonomy) {
  ICTS_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(yaml, file));
  Reader r(file);
  Result<Pack> pack = InternalError("unset");
  try {
    pack = ParsePackNode(r, root, taxonomy);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(fmt::format("{}: {}", file, e.msg));
  }
  if (pack.ok()) pack->sha256 = Sha256Hex(yaml);
  return pack;
}

Result<Pack> LoadPack(const std::string& path, const Taxonomy& taxonomy) {
  ICTS_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path));
  return ParsePack(bytes, path, taxonomy);
}

Status AddPack(PackSet* set, Pack pack) {
  for (const Pack& p : set->packs) {
    if (p.id == pack.id) {
      return InvalidArgumentError(
          fmt::format("{}: pack id '{}' is already used by {}", pack.file, pack.id, p.file));
    }
  }
  set->packs.push_back(std::move(pack));
  std::sort(set->packs.begin(), set->packs.end(),
            [](const Pack& a, const Pack& b) { return a.id < b.id; });
  return Status::Ok();
}

Result<PackSet> LoadPackDir(const std::string& dir) {
  namespace fs = std::filesystem;
  PackSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return NotFoundError(fmt::format("{}: not a directory of rule packs", dir));
  }
  ICTS_ASSIGN_OR_RETURN(set.taxonomy, LoadTaxonomy((fs::path(dir) / "taxonomy.yaml").string()));
  std::vector<std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const fs::path pack = e.path() / "pack.yaml";
    if (e.is_directory() && fs::exists(pack)) files.push_back(pack.string());
  }
  if (ec) return UnavailableError(fmt::format("{}: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    ICTS_ASSIGN_OR_RETURN(Pack p, LoadPack(f, set.taxonomy));
    ICTS_RETURN_IF_ERROR(AddPack(&set, std::move(p)));
  }
  return set;
}

}  // namespace icts::rules
