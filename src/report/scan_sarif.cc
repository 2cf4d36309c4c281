// SARIF 2.1.0 writer, in the subset GitHub code scanning reads: one run, a
// rule per pack rule seen, a result per finding with a stable partial
// fingerprint, decided findings as external suppressions.
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "base/sha256.h"
#include "report/internal/json_writer.h"
#include "report/internal/scan_view.h"
#include "report/scan_report.h"

namespace icts::report {
namespace {

using internal::FindingView;
using internal::JsonWriter;
using internal::ScanView;
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

void WriteRule(JsonWriter& w, const ScanView::RuleInfo& r) {
  const std::string short_text =
      r.kind.empty() ? "ICTS rule " + r.id : fmt::format("ICTS {} rule {}", r.kind, r.id);
  const std::string full = r.citation.empty() ? short_text : r.citation;
  std::string help = "Citation: " + (r.citation.empty() ? std::string("none") : r.citation);
  if (!r.verification.empty()) {
    help += fmt::format(" [{}] (V verified in the text, S secondary source, M not verified)",
                        r.verification);
  }
  if (!r.url.empty()) help += "\n" + r.url;
  w.BeginObject();
  w.Field("id", r.id);
  w.Key("shortDescription");
  w.BeginObject();
  w.Field("text", Clip(short_text, kMaxDescription));
  w.EndObject();
  w.Key("fullDescription");
  w.BeginObject();
  w.Field("text", Clip(full, kMaxDescription));
  w.EndObject();
  w.Key("help");
  w.BeginObject();
  w.Field("text", help);
  w.EndObject();
  if (r.url.rfind("https://", 0) == 0 || r.url.rfind("http://", 0) == 0) w.Field("helpUri", r.url);
  w.Key("defaultConfiguration");
  w.BeginObject();
  w.Field("level", Level(r.worst));
  w.EndObject();
  w.Key("properties");
  w.BeginObject();
  w.Field("verification", r.verification);
  std::vector<std::string> tags = {"security", "supply-chain", "icts"};
  if (!r.kind.empty()) tags.push_back(r.kind);
  w.StringArray("tags", tags);
  w.Field("security-severity", SecuritySeverity(r.worst));
  w.EndObject();
  w.EndObject();
}

void WriteResult(JsonWriter& w, const FindingView& fv, const std::map<std::string, size_t>& index) {
  const scan::ItemFinding& f = *fv.finding;
  w.BeginObject();
  w.Field("ruleId", f.rule.empty() ? "icts/unknown" : f.rule);
  if (auto it = index.find(f.rule); it != index.end()) w.Field("ruleIndex", it->second);
  w.Field("level", Level(f.outcome));
  w.Key("message");
  w.BeginObject();
  w.Field("text", Message(fv));
  w.EndObject();
  w.Key("locations");
  w.BeginArray();
  if (fv.item != nullptr) {
    const inventory::Item& item = fv.item->item;
    const bool logical = !item.pointer.empty() && item.pointer[0] == '/';
    if (!item.file.empty() || logical) {
      w.BeginObject();
      if (!item.file.empty()) {
        w.Key("physicalLocation");
        w.BeginObject();
        w.Key("artifactLocation");
        w.BeginObject();
        w.Field("uri", FileUri(item.file));
        w.EndObject();
        // Code scanning places an alert only with a region that has a
        // startLine (SARIF multitool rule GH1003); an item known by its JSON
        // pointer is placed on line 1 of its file, the pointer going in the
        // logical location.
        const internal::LineCol lc = internal::ParseLinePointer(item.pointer);
        w.Key("region");
        w.BeginObject();
        w.Field("startLine", lc.line > 0 ? lc.line : size_t{1});
        if (lc.line > 0 && lc.column > 0) w.Field("startColumn", lc.column);
        w.EndObject();
        w.EndObject();
      }
      if (logical) {
        w.Key("logicalLocations");
        w.BeginArray();
        w.BeginObject();
        w.Field("fullyQualifiedName", item.pointer);
        w.Field("kind", "element");
        const std::string& name = item.name.empty() ? item.ref : item.name;
        if (!name.empty()) w.Field("name", name);
        w.EndObject();
        w.EndArray();
      }
      w.EndObject();
    }
  }
  w.EndArray();
  w.Key("partialFingerprints");
  w.BeginObject();
  w.Field("icts/v1", Fingerprint(fv));
  w.EndObject();
  if (f.decision != nullptr) {
    const scan::Decision& d = *f.decision;
    w.Key("suppressions");
    w.BeginArray();
    w.BeginObject();
    w.Field("kind", "external");
    w.Field("status", "accepted");
    if (!d.reason.empty()) w.Field("justification", d.reason);
    w.Key("properties");
    w.BeginObject();
    w.Field("decision_status", d.status);
    w.Field("by", d.by);
    w.Field("where", d.where);
    if (d.expires) w.Field("expires", d.expires->ToIso());
    w.EndObject();
    w.EndObject();
    w.EndArray();
  }
  w.Key("properties");
  w.BeginObject();
  w.Field("supplier", f.supplier);
  w.Field("outcome", internal::FindingWord(f));
  w.Field("severity", f.severity);
  w.Field("citation", f.citation);
  w.Field("verification", f.verification);
  w.FieldBool("decision_expired", f.decision_expired);
  if (fv.item != nullptr) {
    const inventory::Item& item = fv.item->item;
    w.Field("item", item.ref);
    w.Field("item_name", item.name);
    w.Field("item_version", item.version);
    if (!item.purl.empty()) w.Field("purl", item.purl);
    if (fv.supplier != nullptr) w.Field("supplier_source", fv.supplier->source);
  }
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string ScanToSarif(const scan::ScanResult& result) {
  const ScanView v = internal::BuildView(result);
  std::map<std::string, size_t> rule_index;
  for (const ScanView::RuleInfo& r : v.rules) rule_index.emplace(r.id, rule_index.size());
  std::string out;
  out.reserve(2048 + result.findings.size() * 1200);
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("$schema", kSarifSchema);
  w.Field("version", "2.1.0");
  w.Key("runs");
  w.BeginArray();
  w.BeginObject();
  w.Key("tool");
  w.BeginObject();
  w.Key("driver");
  w.BeginObject();
  w.Field("name", "icts");
  if (!v.engine_version.empty()) {
    w.Field("version", v.engine_version);
    w.Field("semanticVersion", v.engine_version);
  }
  w.Field("informationUri", kInformationUri);
  w.Key("rules");
  w.BeginArray();
  for (const ScanView::RuleInfo& r : v.rules) WriteRule(w, r);
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.Key("results");
  w.BeginArray();
  for (const FindingView& fv : v.findings) WriteResult(w, fv, rule_index);
  w.EndArray();
  std::string as_of = result.as_of;
  if (as_of.empty() && !result.determinations.empty()) {
    as_of = result.determinations.front().provenance.as_of;
  }
  w.Key("properties");
  w.BeginObject();
  w.Field("as_of", as_of);
  w.Field("snapshot_sha256", result.snapshot_sha256);
  w.Key("packs");
  w.BeginArray();
  for (const rules::Provenance::PackRef& p : v.packs) {
    w.BeginObject();
    w.Field("id", p.id);
    w.Field("version", p.version);
    w.Field("sha256", p.sha256);
    w.EndObject();
  }
  w.EndArray();
  w.Field("items", result.items.size());
  w.Field("unattributed", result.unattributed.size());
  w.Field("prohibited", result.prohibited);
  w.Field("needs_review", result.needs_review);
  w.Field("suppressed", result.suppressed);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

}  // namespace icts::report
