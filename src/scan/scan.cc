#include "scan/scan.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <yaml-cpp/yaml.h>

#include "base/file.h"
#include "base/strings.h"
#include "inventory/assets/assets.h"
#include "inventory/assets/oui.h"
#include "inventory/cyclonedx/cyclonedx.h"
#include "inventory/spdx/spdx.h"
#include "review/review.h"
#include "rules/facts.h"

namespace icts::scan {
namespace {

// A name pattern: exact (case-insensitive) or a prefix with a trailing '*'.
bool NameMatches(std::string_view pattern, std::string_view value) {
  if (pattern.empty()) return true;
  const std::string p = ToLowerAscii(pattern), v = ToLowerAscii(value);
  if (!p.empty() && p.back() == '*') return v.rfind(p.substr(0, p.size() - 1), 0) == 0;
  return p == v;
}

// The vendor field of a CPE 2.3 ("cpe:2.3:a:vendor:product:...") or 2.2
// ("cpe:/a:vendor:product") name.
std::string CpeVendor(std::string_view cpe) {
  size_t start;
  if (cpe.rfind("cpe:2.3:", 0) == 0) {
    start = 10;  // After "cpe:2.3:a:".
  } else if (cpe.rfind("cpe:/", 0) == 0) {
    start = 7;  // After "cpe:/a:".
  } else {
    return "";
  }
  if (start > cpe.size()) return "";
  size_t end = cpe.find(':', start);
  std::string v(cpe.substr(start, end == std::string_view::npos ? std::string_view::npos
                                                                  : end - start));
  if (v == "*" || v == "-") return "";
  return v;
}

// Party role for an inventory organisation role.
std::string PartyRole(std::string_view role, std::string_view kind) {
  if (role == "manufacturer" || role == "mac-registrant") return "manufacturer";
  if (role == "publisher" || role == "author" || role == "originator") return "developer";
  if (role == "provider") return "service-provider";
  if (role == "vendor" || role == "supplier") return kind == "service" ? "provider" : "supplier";
  return "supplier";
}

// Tags the taxonomy knows from what the item states about itself.
void DefaultTags(const inventory::Item& item, const rules::Taxonomy& taxonomy,
                 std::vector<std::string>* tags) {
  auto add = [&](const std::string& t) {
    if (taxonomy.Has(t) && std::find(tags->begin(), tags->end(), t) == tags->end()) {
      tags->push_back(t);
    }
  };
  for (const std::string& t : item.tags) add(ToLowerAscii(t));
  for (const auto& [k, v] : item.properties) {
    if (k != "icts:tags" && k != "icts:tag") continue;
    for (std::string_view part : SplitTrimmed(v, ';')) {
      for (std::string_view t : SplitTrimmed(part, ',')) add(ToLowerAscii(t));
    }
  }
  const std::string type = ToLowerAscii(item.type);
  if (type == "operating-system" || type == "operating_system") add("operating-system");
  if (item.kind == "firmware" || type == "firmware") add("firmware");
}

struct Prepared {
  std::vector<SupplierRef> suppliers;
  std::vector<std::string> tags;
  std::string signature;  // Same signature → same determination.
};

Prepared Prepare(const inventory::Item& item, const ScanOptions& options,
                 const rules::Taxonomy& taxonomy) {
  Prepared p;
  for (const inventory::OrgRef& o : item.orgs) {
    if (o.name.empty()) continue;
    const std::string role = PartyRole(o.role, item.kind);
    bool dup = false;
    for (SupplierRef& s : p.suppliers) {
      if (ToLowerAscii(s.name) == ToLowerAscii(o.name) && s.role == role) {
        dup = true;
        if (s.country.empty()) s.country = o.country;
      }
    }
    if (!dup) p.suppliers.push_back({o.name, role, o.role, o.country});
  }
  DefaultTags(item, taxonomy, &p.tags);
  // Mapping rules.
  std::vector<std::string> cpe_vendors;
  for (const std::string& c : item.cpes) cpe_vendors.push_back(CpeVendor(c));
  for (const ItemMapping::Rule& r : options.mapping.rules) {
    if (!r.purl_prefix.empty() && item.purl.rfind(r.purl_prefix, 0) != 0) continue;
    if (!r.cpe_vendor.empty() &&
        std::none_of(cpe_vendors.begin(), cpe_vendors.end(),
                     [&](const std::string& v) { return ToLowerAscii(v) == ToLowerAscii(r.cpe_vendor); })) {
      continue;
    }
    if (!r.name.empty() && !NameMatches(r.name, item.name)) continue;
    if (!r.supplier.empty() &&
        std::none_of(p.suppliers.begin(), p.suppliers.end(),
                     [&](const SupplierRef& s) { return NameMatches(r.supplier, s.name); })) {
      continue;
    }
    for (const std::string& t : r.tags) {
      if (std::find(p.tags.begin(), p.tags.end(), t) == p.tags.end()) p.tags.push_back(t);
    }
    if (!r.set_supplier.empty()) {
      bool have = false;
      for (const SupplierRef& s : p.suppliers) have |= ToLowerAscii(s.name) == ToLowerAscii(r.set_supplier);
      if (!have) {
        p.suppliers.push_back({r.set_supplier, item.kind == "service" ? "provider" : "supplier",
                               "mapping " + r.where, r.set_country});
      }
    }
  }
  for (const std::string& t : options.mapping.sector_tags) {
    if (std::find(p.tags.begin(), p.tags.end(), t) == p.tags.end()) p.tags.push_back(t);
  }
  std::sort(p.tags.begin(), p.tags.end());
  std::vector<std::string> keys;
  for (const SupplierRef& s : p.suppliers) {
    keys.push_back(fmt::format("{}\x1f{}\x1f{}", ToLowerAscii(s.name), s.role, s.country));
  }
  std::sort(keys.begin(), keys.end());
  p.signature = item.kind + "\x1e";
  for (const std::string& t : p.tags) p.signature += t + "\x1f";
  p.signature += "\x1e";
  for (const std::string& k : keys) p.signature += k + "\x1e";
  return p;
}

rules::Transaction MakeTransaction(const inventory::Item& item, const Prepared& p,
                                   const ScanOptions& options, Date as_of) {
  rules::Transaction tx;
  tx.id = item.ref;
  tx.date = as_of;
  tx.activity = options.activity;
  tx.agreement = options.agreement;
  if (options.agreement == "new") tx.contract_date = as_of;
  tx.us_jurisdiction = options.organization_us ? rules::Tri::kYes : rules::Tri::kUnknown;
  tx.item.kind = item.kind == "firmware" ? "software" : item.kind;
  if (tx.item.kind != "hardware" && tx.item.kind != "software" && tx.item.kind != "service") {
    tx.item.kind.clear();
  }
  tx.item.product = item.group.empty() ? item.name : item.group + "/" + item.name;
  if (!item.version.empty()) tx.item.product += " " + item.version;
  tx.item.description = item.description;
  tx.item.tags = p.tags;
  rules::Party org;
  org.id = "organization";
  org.role = options.activity == "use" ? "end-user" : "buyer";
  org.name = options.organization;
  org.type = "organization";
  org.us_person = options.organization_us ? rules::Tri::kYes : rules::Tri::kUnknown;
  org.screened = rules::Tri::kYes;  // The scanning organisation itself.
  org.family_known = rules::Tri::kYes;
  org.ownership_known = rules::Tri::kYes;
  tx.parties.push_back(std::move(org));
  for (size_t i = 0; i < p.suppliers.size(); ++i) {
    const SupplierRef& s = p.suppliers[i];
    rules::Party party;
    party.id = fmt::format("s{}", i + 1);
    party.role = s.role;
    party.name = s.name;
    party.type = "organization";
    if (!s.country.empty()) {
      party.countries.push_back({s.country, "incorporation"});
      // An organisation incorporated abroad is not a U.S. person.
      if (s.country != "US") party.us_person = rules::Tri::kNo;
    }
    party.pointer = item.pointer;
    tx.parties.push_back(std::move(party));
  }
  return tx;
}

std::string OutcomeOf(rules::Severity s) {
  switch (s) {
    case rules::Severity::kProhibited:
      return "prohibited";
    case rules::Severity::kReview:
      return "needs_review";
    default:
      return "info";
  }
}

bool DecisionMatches(const Decision& d, const inventory::Item& item, std::string_view supplier,
                     std::string_view rule) {
  if (!d.item.empty() && d.item != item.ref && d.item != item.purl && !NameMatches(d.item, item.name)) {
    return false;
  }
  if (!d.supplier.empty() && !NameMatches(d.supplier, supplier)) return false;
  if (!d.rule.empty() && d.rule != rule) return false;
  return true;
}

// Reads a YAML (or JSON, which YAML reads) file with a top-level key.
Result<YAML::Node> LoadYaml(const std::string& path) {
  ICTS_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(fmt::format("{}:{}:{}: {}", path, e.mark.line + 1,
                                            e.mark.column + 1, e.msg));
  }
}

std::string Where(const std::string& path, const YAML::Node& n) {
  return fmt::format("{}:{}:{}", path, n.Mark().line + 1, n.Mark().column + 1);
}

Status Unknown(const std::string& path, const YAML::Node& map,
               std::initializer_list<std::string_view> keys, std::string_view what) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string k = it->first.as<std::string>();
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      return InvalidArgumentError(
          fmt::format("{}: {}: unknown key '{}'", Where(path, it->first), what, k));
    }
  }
  return Status::Ok();
}

Result<std::string> Text(const std::string& path, const YAML::Node& map, const char* key) {
  const YAML::Node n = map[key];
  if (!n) return std::string();
  if (!n.IsScalar()) {
    return InvalidArgumentError(fmt::format("{}: '{}' must be a string", Where(path, n), key));
  }
  return n.as<std::string>();
}

}  // namespace

Result<std::vector<Decision>> ReadDecisions(const std::string& path) {
  ICTS_ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(path));
  std::vector<Decision> out;
  try {
    YAML::Node list = root.IsMap() ? root["decisions"] : root;
    if (!list || !list.IsSequence()) {
      return InvalidArgumentError(
          fmt::format("{}: expected a list of decisions (under `decisions:`)", path));
    }
    for (const YAML::Node& n : list) {
      if (!n.IsMap()) {
        return InvalidArgumentError(fmt::format("{}: a decision must be a map", Where(path, n)));
      }
      ICTS_RETURN_IF_ERROR(Unknown(path, n,
                                   {"item", "supplier", "rule", "status", "reason", "by",
                                    "decided", "expires"},
                                   "decision"));
      Decision d;
      d.where = Where(path, n);
      ICTS_ASSIGN_OR_RETURN(d.item, Text(path, n, "item"));
      ICTS_ASSIGN_OR_RETURN(d.supplier, Text(path, n, "supplier"));
      ICTS_ASSIGN_OR_RETURN(d.rule, Text(path, n, "rule"));
      ICTS_ASSIGN_OR_RETURN(d.status, Text(path, n, "status"));
      ICTS_ASSIGN_OR_RETURN(d.reason, Text(path, n, "reason"));
      ICTS_ASSIGN_OR_RETURN(d.by, Text(path, n, "by"));
      if (d.item.empty() && d.supplier.empty()) {
        return InvalidArgumentError(
            fmt::format("{}: a decision needs `item` or `supplier`", d.where));
      }
      static const char* kStatuses[] = {"accepted-risk", "false-positive", "mitigated",
                                        "not-applicable"};
      if (std::find(std::begin(kStatuses), std::end(kStatuses), d.status) == std::end(kStatuses)) {
        return InvalidArgumentError(fmt::format(
            "{}: status '{}' is not one of accepted-risk, false-positive, mitigated, "
            "not-applicable",
            d.where, d.status));
      }
      if (d.reason.empty() || d.by.empty()) {
        return InvalidArgumentError(
            fmt::format("{}: a decision needs a `reason` and who made it (`by`)", d.where));
      }
      for (const char* key : {"decided", "expires"}) {
        ICTS_ASSIGN_OR_RETURN(std::string text, Text(path, n, key));
        if (text.empty()) continue;
        Result<Date> date = Date::ParseIso(text);
        if (!date.ok()) {
          return InvalidArgumentError(fmt::format("{}: {} '{}' is not a YYYY-MM-DD date",
                                                  Where(path, n[key]), key, text));
        }
        (std::string_view(key) == "decided" ? d.decided : d.expires) = *date;
      }
      out.push_back(std::move(d));
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(fmt::format("{}:{}:{}: {}", path, e.mark.line + 1,
                                            e.mark.column + 1, e.msg));
  }
  return out;
}

Result<ItemMapping> ReadItemMapping(const std::string& path, const rules::Taxonomy& taxonomy) {
  ICTS_ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(path));
  ItemMapping m;
  try {
    if (!root.IsMap()) return InvalidArgumentError(fmt::format("{}: expected a map", path));
    ICTS_RETURN_IF_ERROR(Unknown(path, root, {"sector", "rules"}, "mapping"));
    auto tags = [&](const YAML::Node& n, std::vector<std::string>* out) -> Status {
      if (!n) return Status::Ok();
      std::vector<YAML::Node> list;
      if (n.IsScalar()) {
        list.push_back(n);
      } else if (n.IsSequence()) {
        for (const YAML::Node& x : n) list.push_back(x);
      } else {
        return InvalidArgumentError(fmt::format("{}: expected tags", Where(path, n)));
      }
      for (const YAML::Node& x : list) {
        const std::string t = x.as<std::string>();
        if (!taxonomy.Has(t)) {
          return InvalidArgumentError(fmt::format(
              "{}: unknown item tag '{}' (see icts rules tags)", Where(path, x), t));
        }
        out->push_back(t);
      }
      return Status::Ok();
    };
    ICTS_RETURN_IF_ERROR(tags(root["sector"], &m.sector_tags));
    if (root["rules"]) {
      if (!root["rules"].IsSequence()) {
        return InvalidArgumentError(
            fmt::format("{}: `rules` must be a list", Where(path, root["rules"])));
      }
      for (const YAML::Node& n : root["rules"]) {
        ICTS_RETURN_IF_ERROR(Unknown(path, n,
                                     {"purl", "cpe_vendor", "name", "supplier", "tags",
                                      "set_supplier", "set_country"},
                                     "mapping rule"));
        ItemMapping::Rule r;
        r.where = Where(path, n);
        ICTS_ASSIGN_OR_RETURN(r.purl_prefix, Text(path, n, "purl"));
        ICTS_ASSIGN_OR_RETURN(r.cpe_vendor, Text(path, n, "cpe_vendor"));
        ICTS_ASSIGN_OR_RETURN(r.name, Text(path, n, "name"));
        ICTS_ASSIGN_OR_RETURN(r.supplier, Text(path, n, "supplier"));
        ICTS_ASSIGN_OR_RETURN(r.set_supplier, Text(path, n, "set_supplier"));
        ICTS_ASSIGN_OR_RETURN(r.set_country, Text(path, n, "set_country"));
        ICTS_RETURN_IF_ERROR(tags(n["tags"], &r.tags));
        if (r.purl_prefix.empty() && r.cpe_vendor.empty() && r.name.empty() &&
            r.supplier.empty()) {
          return InvalidArgumentError(fmt::format(
              "{}: a mapping rule needs a matcher (purl, cpe_vendor, name or supplier)",
              r.where));
        }
        if (r.tags.empty() && r.set_supplier.empty()) {
          return InvalidArgumentError(
              fmt::format("{}: a mapping rule needs `tags` or `set_supplier`", r.where));
        }
        m.rules.push_back(std::move(r));
      }
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(fmt::format("{}:{}:{}: {}", path, e.mark.line + 1,
                                            e.mark.column + 1, e.msg));
  }
  return m;
}

Status ReadInventoryFile(const std::string& path, inventory::ItemSink* sink) {
  std::string head;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return NotFoundError(fmt::format("{}: cannot open", path));
    head.resize(8192);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
  }
  const std::string lower = ToLowerAscii(path);
  // Content first; the name decides between formats the content leaves open.
  if (inventory::LooksLikeCycloneDxJson(head)) return inventory::ReadCycloneDxJson(path, sink);
  if (inventory::LooksLikeCycloneDxXml(head)) return inventory::ReadCycloneDxXml(path, sink);
  if (inventory::LooksLikeSpdx3(head)) return inventory::ReadSpdx3JsonLd(path, sink);
  if (inventory::LooksLikeSpdxJson(head)) return inventory::ReadSpdxJson(path, sink);
  if (inventory::LooksLikeSpdxTagValue(head)) return inventory::ReadSpdxTagValue(path, sink);
  if (inventory::LooksLikeServices(head)) return inventory::ReadServices(path, sink);
  if (inventory::LooksLikeAssetCsv(head) || EndsWith(lower, ".csv")) {
    static const Result<inventory::OuiRegistry>* registry = [] {
      return new Result<inventory::OuiRegistry>(
          inventory::OuiRegistry::LoadDirectory(inventory::OuiRegistry::kDefaultDirectory));
    }();
    inventory::AssetCsvOptions options;
    if (registry->ok()) options.oui = &registry->value();
    return inventory::ReadAssetCsv(path, sink, options);
  }
  if (EndsWith(lower, ".json")) return inventory::ReadCycloneDxJson(path, sink);
  return InvalidArgumentError(fmt::format(
      "{}: not a recognised inventory (CycloneDX JSON/XML, SPDX 2.2/2.3 JSON or tag-value, SPDX "
      "3.0 JSON-LD, asset CSV, services CSV/JSON)",
      path));
}

namespace {

// Keeps what the scan uses: hashes are never reviewed or reported, so the
// readers need not copy them (they still check them).
class ScanSink : public inventory::CollectingSink {
 public:
  uint32_t WantedFields() const override {
    return inventory::kItemAllFields & ~uint32_t{inventory::kItemHashes};
  }
};

}  // namespace

Status ReadInventoryFiles(const std::vector<std::string>& paths,
                          std::vector<inventory::DocumentInfo>* documents,
                          std::vector<inventory::Item>* items,
                          const std::function<void(const std::string&, size_t)>& read) {
  for (const std::string& path : paths) {
    ScanSink sink;
    ICTS_RETURN_IF_ERROR(ReadInventoryFile(path, &sink));
    if (sink.document.file.empty()) sink.document.file = path;
    if (read) read(path, sink.items.size());
    documents->push_back(std::move(sink.document));
    for (inventory::Item& it : sink.items) items->push_back(std::move(it));
  }
  return Status::Ok();
}

ScanResult Scan(std::vector<inventory::DocumentInfo> documents,
                std::vector<inventory::Item> items, const review::Reviewer& reviewer,
                const ScanOptions& options) {
  ScanResult result;
  result.documents = std::move(documents);
  const Date as_of = options.as_of;
  result.as_of = as_of.ToIso();
  const rules::Taxonomy& taxonomy = reviewer.packs().taxonomy;
  // Group items by what their review depends on; review each group once,
  // groups in parallel (Review() is thread-safe).
  std::unordered_map<std::string, size_t> by_signature;
  std::vector<rules::Transaction> groups;
  result.items.reserve(items.size());
  // The component a BOM describes takes the document's supplier and
  // manufacturer (CycloneDX metadata.supplier / metadata.manufacturer) when
  // it names none itself.
  std::unordered_map<std::string, const inventory::DocumentInfo*> doc_of;
  for (const inventory::DocumentInfo& d : result.documents) doc_of[d.file] = &d;
  for (inventory::Item& item : items) {
    if (item.orgs.empty() &&
        (item.pointer == "/metadata/component" || item.pointer == "/bom/metadata/component")) {
      auto d = doc_of.find(item.file);
      if (d != doc_of.end()) {
        for (const inventory::OrgRef& o : d->second->creators) {
          if (o.role == "supplier" || o.role == "manufacturer") item.orgs.push_back(o);
        }
      }
    }
  }
  for (inventory::Item& item : items) {
    Prepared p = Prepare(item, options, taxonomy);
    ItemResult r;
    r.suppliers = p.suppliers;
    r.tags = p.tags;
    auto it = by_signature.find(p.signature);
    if (it == by_signature.end()) {
      groups.push_back(MakeTransaction(item, p, options, as_of));
      it = by_signature.emplace(p.signature, groups.size() - 1).first;
    }
    r.determination = it->second;
    // What the reports do not show goes now: a 300,000-item scan keeps
    // every item until the report is written.
    std::vector<std::pair<std::string, std::string>>().swap(item.properties);
    std::vector<std::string>().swap(item.hashes);
    r.item = std::move(item);
    if (r.suppliers.empty()) result.unattributed.push_back(result.items.size());
    result.items.push_back(std::move(r));
  }
  std::vector<inventory::Item>().swap(items);  // The moved-from shells.
  result.determinations.resize(groups.size());
  std::atomic<size_t> done{0};
  std::mutex progress_mu;
  tbb::parallel_for(size_t{0}, groups.size(), [&](size_t g) {
    result.determinations[g] = reviewer.Review(std::move(groups[g]), as_of);
    const size_t n = ++done;
    if (options.progress && (n % 64 == 0 || n == groups.size())) {
      std::lock_guard<std::mutex> lock(progress_mu);
      options.progress(n, groups.size());
    }
  });
  if (!result.determinations.empty()) {
    result.snapshot_sha256 = result.determinations.front().provenance.snapshot_sha256;
  }
  // Findings: each prohibiting or review finding of an item's determination,
  // and for an item needing review only for unknowns, one finding naming them.
  for (size_t i = 0; i < result.items.size(); ++i) {
    const ItemResult& ir = result.items[i];
    if (ir.suppliers.empty()) continue;  // Counted as unattributed.
    const rules::Determination& d = result.determinations[ir.determination];
    std::vector<ItemFinding> mine;
    for (const rules::Finding& f : d.findings) {
      // The risk-factor checklist and the scope statement describe the
      // transaction, not a problem with the item.
      if (f.severity == rules::Severity::kInfo &&
          (f.kind == "risk-factors" || f.kind == "covered-scope" || f.kind == "foreign-adversaries")) {
        continue;
      }
      ItemFinding x;
      x.item = i;
      // The party named by the finding ("s2") → its supplier name.
      if (f.party.size() > 1 && f.party[0] == 's') {
        size_t k = static_cast<size_t>(std::atoi(f.party.c_str() + 1));
        if (k >= 1 && k <= ir.suppliers.size()) x.supplier = ir.suppliers[k - 1].name;
      }
      x.outcome = f.severity == rules::Severity::kProhibited ? rules::Outcome::kProhibited
                  : f.severity == rules::Severity::kReview   ? rules::Outcome::kNeedsReview
                                                             : rules::Outcome::kClear;
      x.rule = f.rule;
      x.citation = f.citation.text;
      x.verification = std::string(rules::VerificationTag(f.citation.verification));
      x.severity = OutcomeOf(f.severity);
      x.explanation = f.explanation;
      mine.push_back(std::move(x));
    }
    bool counted = false;
    for (const ItemFinding& x : mine) counted |= x.outcome != rules::Outcome::kClear;
    if (!counted && d.outcome == rules::Outcome::kNeedsReview) {
      ItemFinding x;
      x.item = i;
      x.outcome = rules::Outcome::kNeedsReview;
      x.rule = d.determining.empty() ? "unknowns" : d.determining.front();
      x.severity = "needs_review";
      std::string text = "Needs review: unknown ";
      for (size_t k = 0; k < d.unknowns.size(); ++k) text += (k ? "; " : "") + d.unknowns[k];
      x.explanation = d.unknowns.empty() ? "Needs review" : text;
      for (const rules::Finding& f : d.findings) {
        if (f.rule == x.rule) {
          x.citation = f.citation.text;
          x.verification = std::string(rules::VerificationTag(f.citation.verification));
        }
      }
      if (ir.suppliers.size() == 1) x.supplier = ir.suppliers[0].name;
      mine.push_back(std::move(x));
    }
    for (ItemFinding& x : mine) {
      // The first decision that matches and is in force applies.
      for (const Decision& dec : options.decisions) {
        const std::string supplier = x.supplier.empty() && !ir.suppliers.empty()
                                         ? ir.suppliers[0].name
                                         : x.supplier;
        if (!DecisionMatches(dec, ir.item, supplier, x.rule)) continue;
        if (dec.expires && *dec.expires < as_of) {
          x.decision_expired = true;
          continue;
        }
        x.decision = &dec;
        break;
      }
      if (x.outcome == rules::Outcome::kClear) {
        // Informational: shown, never counted.
      } else if (x.decision != nullptr) {
        ++result.suppressed;
      } else if (x.outcome == rules::Outcome::kProhibited) {
        ++result.prohibited;
      } else {
        ++result.needs_review;
      }
      result.findings.push_back(std::move(x));
    }
  }
  return result;
}

bool Fails(const ScanResult& result, const std::string& fail_on) {
  if (fail_on == "prohibited") return result.prohibited > 0;
  if (fail_on == "needs-review") return result.prohibited > 0 || result.needs_review > 0;
  if (fail_on == "any") {
    return result.prohibited > 0 || result.needs_review > 0 || !result.unattributed.empty();
  }
  return false;
}

}  // namespace icts::scan
