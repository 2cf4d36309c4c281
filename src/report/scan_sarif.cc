// SARIF 2.1.0 writer, in the subset GitHub code scanning reads: one run, a
// rule per pack rule seen, a result per finding with a stable partial
// fingerprint, decided findings as external suppressions.
#include <cctype>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "report/internal/scan_view.h"
#include "report/scan_report.h"

namespace icts::report {
namespace {

using internal::FindingView;
using internal::ScanView;
using nlohmann::json;
using rules::Outcome;

constexpr std::string_view kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view kInformationUri = "https://icts.example/docs/scan-output.md";
// GitHub shows at most this much of a rule's descriptions.
constexpr size_t kMaxDescription = 1000;

std::string_view Level(Outcome o) {
  switch (o) {
    case Outcome::kProhibited:
      return "error";
    case Outcome::kNeedsReview:
      return "warning";
    default:
      return "note";
  }
}

// GitHub maps this number to critical / high / medium / low.
std::string_view SecuritySeverity(Outcome o) {
  switch (o) {
    case Outcome::kProhibited:
      return "9.0";
    case Outcome::kNeedsReview:
      return "5.0";
    default:
      return "1.0";
  }
}

// Cuts UTF-8 text to at most `max` bytes on a character boundary.
std::string Clip(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max - 3;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

// A file name as a URI reference: '\' becomes '/', bytes outside the
// unreserved and path characters are percent-encoded; absolute paths become
// file: URIs. ':' is encoded in relative paths so the first segment never
// reads as a scheme.
std::string FileUri(std::string_view file) {
  std::string path(file);
  for (char& c : path) {
    if (c == '\\') c = '/';
  }
  std::string prefix;
  bool absolute = false;
  if (!path.empty() && path[0] == '/') {
    prefix = "file://";
    absolute = true;
  } else if (path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) &&
             path[1] == ':' && path[2] == '/') {
    prefix = "file:///";
    absolute = true;
  }
  static const char* kHex = "0123456789ABCDEF";
  std::string out = prefix;
  for (size_t i = 0; i < path.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(path[i]);
    const bool plain = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
                       c == '/' || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' ||
                       c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=' ||
                       c == '@' || (c == ':' && absolute);
    if (plain && c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Fingerprint(const FindingView& fv) {
  const scan::ItemFinding& f = *fv.finding;
  std::string key;
  if (fv.item != nullptr) {
    const inventory::Item& it = fv.item->item;
    key = it.file;
    key += '\0';
    key += it.ref.empty() ? it.name + "@" + it.version : it.ref;
  }
  key += '\0';
  key += f.rule;
  key += '\0';
  key += f.supplier;
  return Sha256Hex(key).substr(0, 32);
}

std::string Message(const FindingView& fv) {
  const scan::ItemFinding& f = *fv.finding;
  std::string text;
  if (fv.item != nullptr) {
    const inventory::Item& it = fv.item->item;
    text = "Component " + internal::ItemLabel(it);
    if (!it.ref.empty() && it.ref != it.name) text += " (" + it.ref + ")";
    if (!f.supplier.empty()) text += ", supplier " + f.supplier;
    text += ": ";
  }
  text += f.explanation.empty() ? f.rule : f.explanation;
  return text;
}

json RuleToJson(const ScanView::RuleInfo& r) {
  std::string short_text = r.kind.empty() ? "ICTS rule " + r.id : "ICTS " + r.kind + " rule " + r.id;
  std::string full = r.citation.empty() ? short_text : r.citation;
  std::string help = "Citation: " + (r.citation.empty() ? std::string("none") : r.citation);
  if (!r.verification.empty()) {
    help += " [" + r.verification + "] (V verified in the text, S secondary source, M not verified)";
  }
  if (!r.url.empty()) help += "\n" + r.url;
  json tags = json::array({"security", "supply-chain", "icts"});
  if (!r.kind.empty()) tags.push_back(r.kind);
  json j = {{"id", r.id},
            {"shortDescription", {{"text", Clip(short_text, kMaxDescription)}}},
            {"fullDescription", {{"text", Clip(full, kMaxDescription)}}},
            {"help", {{"text", help}}},
            {"defaultConfiguration", {{"level", Level(r.worst)}}},
            {"properties",
             {{"verification", r.verification},
              {"tags", tags},
              {"security-severity", SecuritySeverity(r.worst)}}}};
  if (r.url.rfind("https://", 0) == 0 || r.url.rfind("http://", 0) == 0) j["helpUri"] = r.url;
  return j;
}

}  // namespace

std::string ScanToSarif(const scan::ScanResult& result) {
  const ScanView v = internal::BuildView(result);
  json rules_json = json::array();
  std::map<std::string, size_t> rule_index;
  for (const ScanView::RuleInfo& r : v.rules) {
    rule_index[r.id] = rules_json.size();
    rules_json.push_back(RuleToJson(r));
  }
  json driver = {{"name", "icts"}, {"informationUri", kInformationUri}, {"rules", rules_json}};
  if (!v.engine_version.empty()) {
    driver["version"] = v.engine_version;
    driver["semanticVersion"] = v.engine_version;
  }

  json results = json::array();
  for (const FindingView& fv : v.findings) {
    const scan::ItemFinding& f = *fv.finding;
    json r = {{"ruleId", f.rule.empty() ? "icts/unknown" : f.rule},
              {"level", Level(f.outcome)},
              {"message", {{"text", Message(fv)}}}};
    if (auto it = rule_index.find(f.rule); it != rule_index.end()) r["ruleIndex"] = it->second;
    json location = json::object();
    if (fv.item != nullptr) {
      const inventory::Item& item = fv.item->item;
      if (!item.file.empty()) {
        json physical = {{"artifactLocation", {{"uri", FileUri(item.file)}}}};
        const internal::LineCol lc = internal::ParseLinePointer(item.pointer);
        if (lc.line > 0) {
          json region = {{"startLine", lc.line}};
          if (lc.column > 0) region["startColumn"] = lc.column;
          physical["region"] = region;
        }
        location["physicalLocation"] = physical;
      }
      if (!item.pointer.empty() && item.pointer[0] == '/') {
        json logical = {{"fullyQualifiedName", item.pointer}, {"kind", "element"}};
        const std::string name = item.name.empty() ? item.ref : item.name;
        if (!name.empty()) logical["name"] = name;
        location["logicalLocations"] = json::array({logical});
      }
    }
    r["locations"] = location.empty() ? json::array() : json::array({location});
    r["partialFingerprints"] = {{"icts/v1", Fingerprint(fv)}};
    if (f.decision != nullptr) {
      const scan::Decision& d = *f.decision;
      json s = {{"kind", "external"}, {"status", "accepted"}};
      if (!d.reason.empty()) s["justification"] = d.reason;
      json props = {{"decision_status", d.status}, {"by", d.by}, {"where", d.where}};
      if (d.expires) props["expires"] = d.expires->ToIso();
      s["properties"] = props;
      r["suppressions"] = json::array({s});
    }
    json props = {{"supplier", f.supplier},
                  {"outcome", internal::OutcomeWord(f.outcome)},
                  {"severity", f.severity},
                  {"citation", f.citation},
                  {"verification", f.verification},
                  {"decision_expired", f.decision_expired}};
    if (fv.item != nullptr) {
      const inventory::Item& item = fv.item->item;
      props["item"] = item.ref;
      props["item_name"] = item.name;
      props["item_version"] = item.version;
      if (!item.purl.empty()) props["purl"] = item.purl;
      if (fv.supplier != nullptr) props["supplier_source"] = fv.supplier->source;
    }
    r["properties"] = props;
    results.push_back(std::move(r));
  }

  json run = {{"tool", {{"driver", driver}}}, {"results", results}};
  json packs = json::array();
  for (const rules::Provenance::PackRef& p : v.packs) {
    packs.push_back({{"id", p.id}, {"version", p.version}, {"sha256", p.sha256}});
  }
  std::string as_of = result.as_of;
  if (as_of.empty() && !result.determinations.empty()) {
    as_of = result.determinations.front().provenance.as_of;
  }
  run["properties"] = {{"as_of", as_of},
                       {"snapshot_sha256", result.snapshot_sha256},
                       {"packs", packs},
                       {"items", result.items.size()},
                       {"unattributed", result.unattributed.size()},
                       {"prohibited", result.prohibited},
                       {"needs_review", result.needs_review},
                       {"suppressed", result.suppressed}};
  json log = {{"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", json::array({run})}};
  return log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace icts::report
