// JSON, CSV and table writers; SARIF and HTML are in scan_sarif.cc and
// scan_html.cc.
#include "report/scan_report.h"

#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/internal/scan_view.h"

namespace icts::report {
namespace {

using internal::FindingView;
using internal::ScanView;
using nlohmann::json;
using rules::Outcome;

json DecisionToJson(const scan::Decision& d) {
  return {{"item", d.item},
          {"supplier", d.supplier},
          {"rule", d.rule},
          {"status", d.status},
          {"reason", d.reason},
          {"by", d.by},
          {"decided", d.decided ? json(d.decided->ToIso()) : json(nullptr)},
          {"expires", d.expires ? json(d.expires->ToIso()) : json(nullptr)},
          {"where", d.where}};
}

json FindingToJson(size_t index, const FindingView& fv) {
  const scan::ItemFinding& f = *fv.finding;
  static const inventory::Item kNoItem;
  const inventory::Item& it = fv.item != nullptr ? fv.item->item : kNoItem;
  json j = {{"index", index},
            {"item", it.ref},
            {"item_name", it.name},
            {"item_version", it.version},
            {"item_group", it.group},
            {"item_purl", it.purl},
            {"item_kind", it.kind},
            {"item_type", it.type},
            {"file", it.file},
            {"pointer", it.pointer},
            {"supplier", f.supplier},
            {"supplier_role", fv.supplier != nullptr ? fv.supplier->role : ""},
            {"supplier_source", fv.supplier != nullptr ? fv.supplier->source : ""},
            {"supplier_country", fv.supplier != nullptr ? fv.supplier->country : ""},
            {"outcome", internal::OutcomeWord(f.outcome)},
            {"severity", f.severity},
            {"rule", f.rule},
            {"rule_kind", fv.rule_kind},
            {"citation", f.citation},
            {"citation_url", fv.citation_url},
            {"verification", f.verification},
            {"explanation", f.explanation},
            {"decision", f.decision != nullptr ? DecisionToJson(*f.decision) : json(nullptr)},
            {"decision_expired", f.decision_expired},
            {"open", f.decision == nullptr}};
  return j;
}

json CountRowsToJson(const std::vector<internal::CountRow>& rows, const char* key) {
  json out = json::array();
  for (const internal::CountRow& r : rows) {
    out.push_back({{key, r.key},
                   {"items", r.items},
                   {"prohibited", r.prohibited},
                   {"needs_review", r.needs_review},
                   {"clear", r.clear},
                   {"unattributed", r.unattributed},
                   {"findings", r.findings}});
  }
  return out;
}

std::string AsOf(const scan::ScanResult& r) {
  if (!r.as_of.empty()) return r.as_of;
  return r.determinations.empty() ? "" : r.determinations.front().provenance.as_of;
}

// --- CSV -------------------------------------------------------------------

// RFC 4180 field; a leading = + - @ TAB or CR (a spreadsheet formula) is
// prefixed with an apostrophe so that opening the file runs nothing.
void CsvField(std::string& out, std::string_view s) {
  std::string v;
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                     s[0] == '\r')) {
    v = "'";
  }
  v.append(s);
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void CsvRow(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out += ',';
    first = false;
    CsvField(out, f);
  }
  out += "\r\n";
}

// --- Table -----------------------------------------------------------------

// Replaces C0 and C1 control characters and DEL with '?' (line breaks and
// tabs with a space): an SBOM must not send escape sequences to the terminal.
std::string Safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : '?';
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      out += '?';  // C1 control (U+0080..U+009F), e.g. the 8-bit CSI.
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

struct Palette {
  bool on;
  std::string Paint(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return fmt::format("\033[{}m{}\033[0m", code, text);
  }
  std::string For(Outcome o, std::string_view text) const {
    switch (o) {
      case Outcome::kProhibited:
        return Paint("1;31", text);
      case Outcome::kNeedsReview:
        return Paint("33", text);
      default:
        return Paint("32", text);
    }
  }
  std::string Dim(std::string_view text) const { return Paint("2", text); }
  std::string Bold(std::string_view text) const { return Paint("1", text); }
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

json ScanToJson(const scan::ScanResult& result) {
  const ScanView v = internal::BuildView(result);
  json j;
  j["items"] = result.items.size();
  j["findings"] = json::array();
  for (size_t i = 0; i < v.findings.size(); ++i) {
    j["findings"].push_back(FindingToJson(i, v.findings[i]));
  }
  j["unattributed"] = result.unattributed.size();
  json un = json::array();
  for (size_t i : result.unattributed) {
    if (un.size() >= kMaxUnattributedListed) break;
    if (i >= result.items.size()) continue;
    const inventory::Item& it = result.items[i].item;
    un.push_back({{"item", it.ref},
                  {"name", it.name},
                  {"version", it.version},
                  {"purl", it.purl},
                  {"kind", it.kind},
                  {"file", it.file},
                  {"pointer", it.pointer}});
  }
  j["unattributed_listed"] = un.size();
  j["unattributed_items"] = std::move(un);

  json by_supplier = json::array();
  for (const internal::SupplierGroup& g : v.suppliers) {
    by_supplier.push_back(
        {{"supplier", g.name},
         {"role", g.ref != nullptr ? g.ref->role : ""},
         {"source", g.ref != nullptr ? g.ref->source : ""},
         {"country", g.ref != nullptr ? g.ref->country : ""},
         {"items", g.items.size()},
         {"outcome", internal::OutcomeWord(g.worst)},
         {"open_outcome",
          g.worst_open ? json(std::string(internal::OutcomeWord(*g.worst_open))) : json(nullptr)},
         {"rules", g.rules},
         {"adversaries", g.adversaries},
         {"findings", g.findings}});
  }
  j["by_supplier"] = std::move(by_supplier);

  json by_item = json::array();
  for (const internal::ItemGroup& g : v.items) {
    if (g.item >= result.items.size()) continue;
    const inventory::Item& it = result.items[g.item].item;
    by_item.push_back({{"item", it.ref},
                       {"name", it.name},
                       {"version", it.version},
                       {"file", it.file},
                       {"pointer", it.pointer},
                       {"outcome", internal::OutcomeWord(g.worst)},
                       {"findings", g.findings}});
  }
  j["by_item"] = std::move(by_item);

  j["summary"] = {
      {"items",
       {{"prohibited", v.items_prohibited},
        {"needs_review", v.items_needs_review},
        {"clear", v.items_clear},
        {"unattributed", v.items_unattributed}}},
      {"findings",
       {{"prohibited", v.findings_prohibited},
        {"needs_review", v.findings_needs_review},
        {"decided", v.decided},
        {"decision_expired", v.decision_expired}}},
      {"gate",
       {{"prohibited", result.prohibited},
        {"needs_review", result.needs_review},
        {"suppressed", result.suppressed}}},
      {"by_adversary", CountRowsToJson(v.by_adversary, "adversary")},
      {"by_category", CountRowsToJson(v.by_category, "category")},
      {"by_tag", CountRowsToJson(v.by_tag, "tag")}};

  json docs = json::array();
  for (const inventory::DocumentInfo& d : result.documents) {
    docs.push_back({{"file", d.file},
                    {"format", d.format},
                    {"spec_version", d.spec_version},
                    {"serial", d.serial},
                    {"name", d.name},
                    {"warnings", d.warnings}});
  }
  j["documents"] = std::move(docs);

  json packs = json::array();
  for (const rules::Provenance::PackRef& p : v.packs) {
    packs.push_back({{"id", p.id}, {"version", p.version}, {"sha256", p.sha256}});
  }
  j["provenance"] = {{"snapshot_sha256", result.snapshot_sha256},
                     {"as_of", AsOf(result)},
                     {"engine_version", v.engine_version},
                     {"packs", std::move(packs)}};
  return j;
}

std::string ScanToJsonText(const scan::ScanResult& result) {
  return ScanToJson(result).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string ScanToCsv(const scan::ScanResult& result) {
  const ScanView v = internal::BuildView(result);
  std::string out;
  CsvRow(out, {"outcome", "severity", "rule", "item", "name", "version", "purl", "kind", "file",
               "pointer", "supplier", "supplier_source", "citation", "verification",
               "explanation", "decision_status", "decision_reason", "decision_by",
               "decision_expires", "decision_where", "decision_expired"});
  for (const FindingView& fv : v.findings) {
    const scan::ItemFinding& f = *fv.finding;
    static const inventory::Item kNoItem;
    const inventory::Item& it = fv.item != nullptr ? fv.item->item : kNoItem;
    const scan::Decision* d = f.decision;
    const std::string expires = d != nullptr && d->expires ? d->expires->ToIso() : "";
    CsvRow(out, {internal::OutcomeWord(f.outcome), f.severity, f.rule, it.ref, it.name,
                 it.version, it.purl, it.kind, it.file, it.pointer, f.supplier,
                 fv.supplier != nullptr ? fv.supplier->source : "", f.citation, f.verification,
                 f.explanation, d != nullptr ? d->status : "", d != nullptr ? d->reason : "",
                 d != nullptr ? d->by : "", expires, d != nullptr ? d->where : "",
                 f.decision_expired ? "true" : "false"});
  }
  for (size_t i : result.unattributed) {
    if (i >= result.items.size()) continue;
    const inventory::Item& it = result.items[i].item;
    CsvRow(out, {"unattributed", "", "", it.ref, it.name, it.version, it.purl, it.kind, it.file,
                 it.pointer, "", "", "", "",
                 "no supplier, manufacturer, publisher, author or provider is named", "", "", "",
                 "", "", "false"});
  }
  return out;
}

std::string ScanToTable(const scan::ScanResult& result, bool color) {
  const ScanView v = internal::BuildView(result);
  const Palette p{color};
  std::string out;
  const std::string as_of = AsOf(result);
  out += p.Bold(fmt::format("icts scan: {} item{} in {} document{}", result.items.size(),
                            result.items.size() == 1 ? "" : "s", result.documents.size(),
                            result.documents.size() == 1 ? "" : "s"));
  if (!as_of.empty()) out += ", as of " + as_of;
  if (!result.snapshot_sha256.empty()) {
    out += ", snapshot " + result.snapshot_sha256.substr(0, 12);
  }
  out += "\n";
  out += fmt::format("  findings: {} {}, {} {} ({} decided, not counted), {} unattributed item{}\n",
                     p.For(Outcome::kProhibited, std::to_string(result.prohibited)),
                     "prohibited",
                     p.For(Outcome::kNeedsReview, std::to_string(result.needs_review)),
                     "needs review", result.suppressed, result.unattributed.size(),
                     result.unattributed.size() == 1 ? "" : "s");
  out += fmt::format("  items: {} prohibited, {} needs review, {} clear, {} unattributed\n",
                     v.items_prohibited, v.items_needs_review, v.items_clear,
                     v.items_unattributed);
  if (!v.by_adversary.empty()) {
    out += "  by adversary:";
    for (const internal::CountRow& r : v.by_adversary) {
      out += fmt::format(" {} {} item{};", Safe(r.key), r.items, r.items == 1 ? "" : "s");
    }
    out.back() = '\n';
  }
  if (!v.by_category.empty()) {
    out += "  by category:";
    for (const internal::CountRow& r : v.by_category) {
      out += fmt::format(" {} {} ({} prohibited, {} review);", Safe(r.key), r.items, r.prohibited,
                         r.needs_review);
    }
    out.back() = '\n';
  }
  for (const internal::SupplierGroup& g : v.suppliers) {
    out += "\n";
    std::string head = g.name.empty() ? "(the items themselves)" : Safe(g.name);
    if (g.ref != nullptr && !g.ref->source.empty()) head += " (" + Safe(g.ref->source) + ")";
    out += p.Bold(head) + " — " + p.For(g.worst, internal::OutcomeLabel(g.worst));
    if (!g.adversaries.empty()) {
      std::string adv;
      for (const std::string& a : g.adversaries) adv += (adv.empty() ? "" : ", ") + Safe(a);
      out += " — nexus: " + adv;
    }
    out += fmt::format(", {} item{}\n", g.items.size(), g.items.size() == 1 ? "" : "s");
    for (size_t fi : g.findings) {
      const FindingView& fv = v.findings[fi];
      const scan::ItemFinding& f = *fv.finding;
      static const inventory::Item kNoItem;
      const inventory::Item& it = fv.item != nullptr ? fv.item->item : kNoItem;
      std::string tag = "[" + Upper(internal::OutcomeLabel(f.outcome)) + "]";
      tag = f.decision != nullptr ? p.Dim(tag + " decided") : p.For(f.outcome, tag);
      out += fmt::format("  {} {}  {}\n", tag, Safe(f.rule), Safe(internal::ItemLabel(it)));
      std::string where = it.file;
      if (!it.pointer.empty()) where += (where.empty() ? "" : " ") + it.pointer;
      out += fmt::format("      component  {}{}{}\n", Safe(it.ref.empty() ? "-" : it.ref),
                         it.purl.empty() ? "" : "  " + Safe(it.purl),
                         where.empty() ? "" : "  (" + Safe(where) + ")");
      if (!f.supplier.empty()) {
        std::string how;
        if (fv.supplier != nullptr) {
          how = fv.supplier->source.empty() ? fv.supplier->role : fv.supplier->source;
          if (!fv.supplier->country.empty()) how += ", " + fv.supplier->country;
        }
        out += fmt::format("      supplier   {}{}\n", Safe(f.supplier),
                           how.empty() ? "" : " (" + Safe(how) + ")");
      }
      out += fmt::format("      because    {}\n", Safe(f.explanation));
      out += fmt::format("      rule       {}{}\n", Safe(f.rule),
                         f.severity.empty() ? "" : " (" + Safe(f.severity) + ")");
      if (!f.citation.empty()) {
        out += fmt::format("      citation   {}{}\n", Safe(f.citation),
                           f.verification.empty() ? "" : " [" + Safe(f.verification) + "]");
      }
      if (f.decision != nullptr) {
        out += "      decision   " + p.Dim(Safe(internal::DecisionLine(*f.decision))) + "\n";
      }
      if (f.decision_expired) {
        out += "      decision   " +
               p.For(Outcome::kNeedsReview, "a matching decision has expired and no longer applies") +
               "\n";
      }
    }
  }
  if (!result.unattributed.empty()) {
    out += fmt::format("\n{} item{} with no supplier-side name (not evaluated):\n",
                       result.unattributed.size(), result.unattributed.size() == 1 ? "" : "s");
    size_t shown = 0;
    for (size_t i : result.unattributed) {
      if (i >= result.items.size()) continue;
      if (shown == 20) {
        out += fmt::format("  ... and {} more (-o json or csv lists them)\n",
                           result.unattributed.size() - shown);
        break;
      }
      const inventory::Item& it = result.items[i].item;
      out += fmt::format("  {}  {}{}\n", Safe(internal::ItemLabel(it)), Safe(it.file),
                         it.pointer.empty() ? "" : " " + Safe(it.pointer));
      ++shown;
    }
  }
  if (result.findings.empty()) out += "\nno findings\n";
  return out;
}

}  // namespace icts::report
