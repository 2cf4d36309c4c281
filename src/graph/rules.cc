#include "graph/rules.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <exception>
#include <initializer_list>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "base/file.h"
#include "graph/ownership.h"
#include "rules/pack.h"

namespace icts::graph {

// Defined in the generated rules_embedded.cc (see CMakeLists.txt).
std::string_view EmbeddedRuleText(std::string_view name);

namespace {

constexpr size_t kMaxRuleBytes = size_t{1} << 20;
constexpr size_t kMaxNesting = 32;
constexpr size_t kMaxItems = 256;

// A rough upper bound on YAML nesting: indentation plus flow brackets plus
// block-sequence dashes on one line. yaml-cpp recurses per level, so very
// deep input is refused before it is parsed.
size_t NestingEstimate(std::string_view data) {
  size_t worst = 0, flow = 0, pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    size_t indent = 0;
    while (pos + indent < end && data[pos + indent] == ' ') ++indent;
    size_t dashes = 0, line_flow = flow;
    for (size_t i = pos + indent; i < end; ++i) {
      char c = data[i];
      if (c == '#') break;
      if (c == '[' || c == '{') line_flow = std::max(line_flow, ++flow);
      if ((c == ']' || c == '}') && flow > 0) --flow;
      if (c == '-' || c == '?') ++dashes;
    }
    worst = std::max(worst, indent / 2 + dashes + line_flow);
    pos = end + 1;
  }
  return worst;
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Status Error(const YAML::Node& at, std::string_view message) const {
    YAML::Mark m = at.Mark();
    if (m.line < 0) return InvalidArgumentError(fmt::format("{}: {}", file_, message));
    return InvalidArgumentError(fmt::format("{}:{}: {}", file_, m.line + 1, message));
  }

  // Checks that `node` is a mapping whose keys are all in `allowed` and that
  // every key in `required` is present.
  Status Keys(const YAML::Node& node, std::string_view what,
              std::initializer_list<std::string_view> allowed,
              std::initializer_list<std::string_view> required) const {
    if (!node.IsMap()) return Error(node, fmt::format("{}: expected a mapping", what));
    std::vector<std::string> seen;
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
      for (const auto& s : seen) {
        if (s == k) return Error(kv.first, fmt::format("{}: key '{}' given twice", what, k));
      }
      seen.push_back(k);
    }
    for (std::string_view r : required) {
      if (!node[std::string(r)]) {
        return Error(node, fmt::format("{}: missing required key '{}'", what, r));
      }
    }
    return Status::Ok();
  }

  Result<std::string> Text(const YAML::Node& node, std::string_view what) const {
    if (!node.IsScalar()) return Error(node, fmt::format("{}: expected text", what));
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

  Result<bool> Bool(const YAML::Node& node, std::string_view what) const {
    if (node.IsScalar()) {
      if (node.Scalar() == "true") return true;
      if (node.Scalar() == "false") return false;
    }
    return Error(node, fmt::format("{}: expected true or false", what));
  }

  // A fraction in [0, 1], or nullopt for "unknown".
  Result<std::optional<double>> Fraction(const YAML::Node& node, std::string_view what,
                                         bool allow_unknown) const {
    if (node.IsScalar() && allow_unknown && node.Scalar() == "unknown") {
      return std::optional<double>();
    }
    if (node.IsScalar()) {
      auto v = ParseShare(node.Scalar());
      if (v.ok() && !std::isnan(*v)) return std::optional<double>(*v);
    }
    return Error(node, fmt::format("{}: expected a fraction in [0, 1]{}", what,
                                   allow_unknown ? " or 'unknown'" : ""));
  }

  Result<RuleCitation> Citation(const YAML::Node& node, std::string_view what) const {
    ICTS_RETURN_IF_ERROR(Keys(node, what, {"text", "url", "verification"}, {"text"}));
    RuleCitation c;
    ICTS_ASSIGN_OR_RETURN(c.text, Text(node["text"], what));
    if (node["url"]) {
      ICTS_ASSIGN_OR_RETURN(c.url, Text(node["url"], what));
    }
    if (YAML::Node v = node["verification"]) {
      ICTS_ASSIGN_OR_RETURN(std::string tag, Text(v, what));
      if (tag != "V" && tag != "S" && tag != "M") {
        return Error(v, fmt::format("{}: verification must be V, S or M", what));
      }
      c.verification = tag[0];
    } else {
      return Error(node, fmt::format("{}: missing required key 'verification'", what));
    }
    return c;
  }

  Status Seq(const YAML::Node& node, std::string_view what) const {
    if (!node.IsSequence()) return Error(node, fmt::format("{}: expected a list", what));
    if (node.size() > kMaxItems) {
      return Error(node, fmt::format("{}: more than {} items", what, kMaxItems));
    }
    return Status::Ok();
  }

 private:
  std::string file_;
};

Result<YAML::Node> Load(std::string_view yaml, const std::string& file) {
  if (yaml.size() > kMaxRuleBytes) {
    return InvalidArgumentError(fmt::format("{}: larger than {} bytes", file, kMaxRuleBytes));
  }
  if (NestingEstimate(yaml) > kMaxNesting) {
    return InvalidArgumentError(fmt::format("{}: nested too deeply", file));
  }
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) {
      return InvalidArgumentError(fmt::format("{}:1: expected a mapping at the top", file));
    }
    return root;
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(
        fmt::format("{}:{}: {}", file, e.mark.line < 0 ? 0 : e.mark.line + 1, e.msg));
  } catch (const std::exception& e) {
    return InvalidArgumentError(fmt::format("{}: {}", file, e.what()));
  }
}

Status CheckPeriod(const Reader& r, const YAML::Node& at, const std::optional<Date>& from,
                   const std::optional<Date>& to, std::string_view what) {
  if (from && to && *to < *from) return r.Error(at, fmt::format("{}: 'to' is before 'from'", what));
  return Status::Ok();
}

Result<AdversaryList> ParseAdversaryListImpl(const YAML::Node& root, const std::string& file) {
  Reader r(file);
  AdversaryList list;
  list.file = file;
  ICTS_RETURN_IF_ERROR(
      r.Keys(root, "adversary list", {"id", "title", "adversaries"}, {"id", "adversaries"}));
  ICTS_ASSIGN_OR_RETURN(list.id, r.Text(root["id"], "id"));
  if (root["title"]) {
    ICTS_ASSIGN_OR_RETURN(list.title, r.Text(root["title"], "title"));
  }
  YAML::Node advs = root["adversaries"];
  ICTS_RETURN_IF_ERROR(r.Seq(advs, "adversaries"));
  for (const YAML::Node& a : advs) {
    Adversary adv;
    ICTS_RETURN_IF_ERROR(r.Keys(a, "adversary",
                                {"code", "name", "from", "to", "citation", "jurisdictions"},
                                {"code", "name", "citation", "jurisdictions"}));
    ICTS_ASSIGN_OR_RETURN(adv.code, r.Text(a["code"], "adversary code"));
    ICTS_ASSIGN_OR_RETURN(adv.name, r.Text(a["name"], "adversary name"));
    ICTS_ASSIGN_OR_RETURN(adv.from, r.OptDate(a, "from", "adversary"));
    ICTS_ASSIGN_OR_RETURN(adv.to, r.OptDate(a, "to", "adversary"));
    ICTS_RETURN_IF_ERROR(CheckPeriod(r, a, adv.from, adv.to, "adversary"));
    ICTS_ASSIGN_OR_RETURN(adv.citation, r.Citation(a["citation"], "adversary citation"));
    for (const Adversary& prev : list.adversaries) {
      if (prev.code == adv.code) {
        return r.Error(a["code"], fmt::format("adversary '{}' listed twice", adv.code));
      }
    }
    YAML::Node js = a["jurisdictions"];
    ICTS_RETURN_IF_ERROR(r.Seq(js, "jurisdictions"));
    for (const YAML::Node& j : js) {
      Jurisdiction jur;
      ICTS_RETURN_IF_ERROR(
          r.Keys(j, "jurisdiction", {"country", "from", "to", "citation"}, {"country"}));
      ICTS_ASSIGN_OR_RETURN(jur.country, r.Text(j["country"], "jurisdiction country"));
      ICTS_ASSIGN_OR_RETURN(jur.from, r.OptDate(j, "from", "jurisdiction"));
      ICTS_ASSIGN_OR_RETURN(jur.to, r.OptDate(j, "to", "jurisdiction"));
      ICTS_RETURN_IF_ERROR(CheckPeriod(r, j, jur.from, jur.to, "jurisdiction"));
      if (j["citation"]) {
        ICTS_ASSIGN_OR_RETURN(jur.citation, r.Citation(j["citation"], "jurisdiction citation"));
      }
      adv.jurisdictions.push_back(std::move(jur));
    }
    list.adversaries.push_back(std::move(adv));
    if (list.adversaries.size() > kMaxAdversaries) {
      return r.Error(a, fmt::format("more than {} adversaries", kMaxAdversaries));
    }
  }
  return list;
}

Result<NexusDefinition> ParseNexusImpl(const YAML::Node& root, const std::string& file) {
  Reader r(file);
  NexusDefinition d;
  d.file = file;
  ICTS_RETURN_IF_ERROR(r.Keys(root, "nexus definition",
                              {"id", "title", "from", "to", "citation", "adversaries", "prongs"},
                              {"id", "citation", "prongs"}));
  ICTS_ASSIGN_OR_RETURN(d.id, r.Text(root["id"], "id"));
  if (root["title"]) {
    ICTS_ASSIGN_OR_RETURN(d.title, r.Text(root["title"], "title"));
  }
  ICTS_ASSIGN_OR_RETURN(d.from, r.OptDate(root, "from", "nexus definition"));
  ICTS_ASSIGN_OR_RETURN(d.to, r.OptDate(root, "to", "nexus definition"));
  ICTS_RETURN_IF_ERROR(CheckPeriod(r, root, d.from, d.to, "nexus definition"));
  ICTS_ASSIGN_OR_RETURN(d.citation, r.Citation(root["citation"], "citation"));
  if (YAML::Node a = root["adversaries"]) {
    if (!(a.IsScalar() && a.Scalar() == "all")) {
      ICTS_RETURN_IF_ERROR(r.Seq(a, "adversaries"));
      for (const YAML::Node& c : a) {
        ICTS_ASSIGN_OR_RETURN(std::string code, r.Text(c, "adversary code"));
        d.adversaries.push_back(std::move(code));
      }
    }
  }
  YAML::Node prongs = root["prongs"];
  ICTS_RETURN_IF_ERROR(
      r.Keys(prongs, "prongs", {"agency", "citizenship", "organization", "ownership_control"}, {}));
  if (YAML::Node p = prongs["agency"]) {
    ICTS_RETURN_IF_ERROR(r.Keys(p, "agency prong", {"citation"}, {"citation"}));
    d.agency = true;
    ICTS_ASSIGN_OR_RETURN(d.agency_citation, r.Citation(p["citation"], "agency citation"));
  }
  if (YAML::Node p = prongs["citizenship"]) {
    ICTS_RETURN_IF_ERROR(r.Keys(p, "citizenship prong", {"citation", "us_person_carveout"},
                                {"citation", "us_person_carveout"}));
    d.citizenship = true;
    ICTS_ASSIGN_OR_RETURN(d.citizenship_citation,
                          r.Citation(p["citation"], "citizenship citation"));
    ICTS_ASSIGN_OR_RETURN(d.us_person_carveout,
                          r.Bool(p["us_person_carveout"], "us_person_carveout"));
  }
  if (YAML::Node p = prongs["organization"]) {
    ICTS_RETURN_IF_ERROR(r.Keys(p, "organization prong", {"citation"}, {"citation"}));
    d.organization = true;
    ICTS_ASSIGN_OR_RETURN(d.organization_citation,
                          r.Citation(p["citation"], "organization citation"));
  }
  if (YAML::Node p = prongs["ownership_control"]) {
    ICTS_RETURN_IF_ERROR(r.Keys(p, "ownership_control prong",
                                {"citation", "majority", "reported_threshold", "threshold_citation",
                                 "review_from", "control_holds"},
                                {"citation", "majority", "review_from", "control_holds"}));
    d.ownership = true;
    ICTS_ASSIGN_OR_RETURN(d.ownership_citation,
                          r.Citation(p["citation"], "ownership_control citation"));
    ICTS_ASSIGN_OR_RETURN(d.majority, r.Fraction(p["majority"], "majority", true));
    if (YAML::Node t = p["reported_threshold"]) {
      ICTS_ASSIGN_OR_RETURN(d.reported_threshold, r.Fraction(t, "reported_threshold", false));
    }
    if (YAML::Node t = p["threshold_citation"]) {
      ICTS_ASSIGN_OR_RETURN(d.threshold_citation, r.Citation(t, "threshold_citation"));
    }
    ICTS_ASSIGN_OR_RETURN(std::optional<double> review,
                          r.Fraction(p["review_from"], "review_from", false));
    d.review_from = *review;
    if (d.majority && d.review_from > *d.majority) {
      return r.Error(p["review_from"], "review_from is above majority");
    }
    YAML::Node kinds = p["control_holds"];
    ICTS_RETURN_IF_ERROR(r.Seq(kinds, "control_holds"));
    for (const YAML::Node& k : kinds) {
      ICTS_ASSIGN_OR_RETURN(std::string name, r.Text(k, "control kind"));
      auto kind = ParseControlKind(name);
      if (!kind || *kind == ControlKind::kNone || *kind == ControlKind::kDirection) {
        return r.Error(k, fmt::format("unknown control kind '{}' (expected board-majority, "
                                      "special-share, proxy, contract or control)",
                                      name));
      }
      d.control_holds.push_back(*kind);
    }
  }
  return d;
}

template <typename T, typename F>
Result<T> Guarded(std::string_view yaml, const std::string& file, F parse) {
  ICTS_ASSIGN_OR_RETURN(YAML::Node root, Load(yaml, file));
  try {
    return parse(root, file);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(
        fmt::format("{}:{}: {}", file, e.mark.line < 0 ? 0 : e.mark.line + 1, e.msg));
  }
}

}  // namespace

std::string_view ProngName(Prong p) {
  switch (p) {
    case Prong::kIsAdversary:
      return "is-adversary";
    case Prong::kAgency:
      return "agency";
    case Prong::kCitizenship:
      return "citizenship";
    case Prong::kOrganization:
      return "organization";
    case Prong::kOwnershipControl:
      return "ownership-control";
  }
  return "";
}

const Jurisdiction* AdversaryList::MatchJurisdiction(std::string_view country, Date as_of) const {
  for (const Adversary& a : adversaries) {
    if ((a.from && as_of < *a.from) || (a.to && as_of > *a.to)) continue;
    for (const Jurisdiction& j : a.jurisdictions) {
      if (j.country != country) continue;
      if ((j.from && as_of < *j.from) || (j.to && as_of > *j.to)) continue;
      return &j;
    }
  }
  return nullptr;
}

std::optional<size_t> AdversaryList::Match(std::string_view country, Date as_of) const {
  for (size_t i = 0; i < adversaries.size(); ++i) {
    const Adversary& a = adversaries[i];
    if ((a.from && as_of < *a.from) || (a.to && as_of > *a.to)) continue;
    if (a.code == country) return i;
    for (const Jurisdiction& j : a.jurisdictions) {
      if (j.country != country) continue;
      if ((j.from && as_of < *j.from) || (j.to && as_of > *j.to)) continue;
      return i;
    }
  }
  return std::nullopt;
}

Result<AdversaryList> AdversaryListFromPack(const rules::Pack& pack) {
  AdversaryList list;
  list.id = pack.id;
  list.title = pack.title;
  list.file = pack.file;
  auto later = [](std::optional<Date> a, std::optional<Date> b) -> std::optional<Date> {
    if (!a) return b;
    if (!b) return a;
    return *a < *b ? b : a;
  };
  auto earlier = [](std::optional<Date> a, std::optional<Date> b) -> std::optional<Date> {
    if (!a) return b;
    if (!b) return a;
    return *a < *b ? a : b;
  };
  auto tag = [](rules::Verification v) { return rules::VerificationTag(v).front(); };
  for (const rules::Rule& rule : pack.rules) {
    if (rule.kind != rules::RuleKind::kForeignAdversaries) continue;
    for (const rules::AdversaryEntry& e : rule.adversaries.adversaries) {
      // In effect while both the rule version and the entry are.
      const std::optional<Date> from = later(rule.effective.from, e.effective.from);
      const std::optional<Date> to = earlier(rule.effective.to, e.effective.to);
      Adversary* adv = nullptr;
      for (Adversary& a : list.adversaries) {
        if (a.code == e.code) adv = &a;
      }
      if (adv == nullptr) {
        list.adversaries.emplace_back();
        adv = &list.adversaries.back();
        adv->code = e.code;
        adv->name = e.name;
        adv->from = from;
        adv->to = to;
        adv->citation = {rule.citation.text, rule.citation.url, tag(rule.citation.verification)};
      } else {
        // Another version of the list: the adversary spans both.
        adv->from = (!adv->from || !from) ? std::nullopt : earlier(adv->from, from);
        adv->to = (!adv->to || !to) ? std::nullopt : later(adv->to, to);
      }
      std::vector<std::string> countries = e.countries;
      const bool is_country = e.code.size() == 2;
      if (countries.empty() && is_country) countries.push_back(e.code);
      if (!is_country) countries.push_back(e.code);  // A person (VE-MADURO): the code itself.
      for (const std::string& c : countries) {
        adv->jurisdictions.push_back({c, from, to, {}});
      }
      for (const auto& t : e.territories) {
        adv->jurisdictions.push_back({t.code, later(from, t.effective.from),
                                      earlier(to, t.effective.to),
                                      {rule.citation.text, rule.citation.url,
                                       tag(rule.citation.verification)}});
      }
    }
  }
  if (list.adversaries.empty()) {
    return InvalidArgumentError(
        fmt::format("{}: pack '{}' has no foreign-adversaries rule", pack.file, pack.id));
  }
  return list;
}

Result<AdversaryList> ParseAdversaryList(std::string_view yaml, const std::string& file) {
  // A rule pack (rules/foreign-adversaries/pack.yaml) or the graph's own
  // list format.
  ICTS_ASSIGN_OR_RETURN(YAML::Node root, Load(yaml, file));
  if (root.IsMap() && root["rules"]) {
    ICTS_ASSIGN_OR_RETURN(rules::Pack pack, rules::ParsePack(yaml, file, rules::Taxonomy{}));
    return AdversaryListFromPack(pack);
  }
  return Guarded<AdversaryList>(yaml, file, ParseAdversaryListImpl);
}

Result<NexusDefinition> ParseNexusDefinition(std::string_view yaml, const std::string& file) {
  return Guarded<NexusDefinition>(yaml, file, ParseNexusImpl);
}

Result<AdversaryList> ReadAdversaryList(const std::string& path) {
  ICTS_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseAdversaryList(text, path);
}

Result<NexusDefinition> ReadNexusDefinition(const std::string& path) {
  ICTS_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseNexusDefinition(text, path);
}

std::string_view EmbeddedRule(std::string_view name) {
  if (name == "foreign-adversaries") return EmbeddedRuleText("foreign-adversaries/pack");
  return EmbeddedRuleText(name);
}

std::vector<std::string> EmbeddedNexusNames() {
  return {"subpart-ab", "subpart-ab-interim", "subpart-d"};
}

}  // namespace icts::graph
