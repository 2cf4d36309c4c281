// JSON, CSV and table writers; SARIF and HTML are in scan_sarif.cc and
// scan_html.cc.
#include "report/scan_report.h"

#include <algorithm>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/internal/json_writer.h"
#include "report/internal/scan_view.h"

namespace icts::report {
namespace {

using internal::FindingView;
using internal::JsonWriter;
using internal::ScanView;
using nlohmann::json;
using rules::Outcome;

void WriteDecision(JsonWriter& w, const scan::Decision& d) {
  w.BeginObject();
  w.Field("status", d.status);
  w.Field("reason", d.reason);
  w.Field("by", d.by);
  w.FieldOrNull("decided", d.decided ? d.decided->ToIso() : "");
  w.FieldOrNull("expires", d.expires ? d.expires->ToIso() : "");
  w.Field("where", d.where);
  w.Field("item", d.item);
  w.Field("supplier", d.supplier);
  w.Field("rule", d.rule);
  w.EndObject();
}

void WriteFinding(JsonWriter& w, size_t index, const FindingView& fv) {
  const scan::ItemFinding& f = *fv.finding;
  static const inventory::Item kNoItem;
  const inventory::Item& it = fv.item != nullptr ? fv.item->item : kNoItem;
  const scan::SupplierRef* s = fv.supplier;
  w.BeginObject();
  w.Field("index", index);
  w.Field("item", it.ref);
  w.Field("supplier", f.supplier);
  w.Field("outcome", internal::FindingWord(f));
  w.Field("rule", f.rule);
  w.Field("citation", f.citation);
  w.Field("verification", f.verification);
  w.Field("severity", f.severity);
  w.Field("explanation", f.explanation);
  w.Field("item_name", it.name);
  w.Field("item_version", it.version);
  w.Field("item_group", it.group);
  w.Field("item_purl", it.purl);
  w.Field("item_kind", it.kind);
  w.Field("item_type", it.type);
  w.Field("file", it.file);
  w.Field("pointer", it.pointer);
  w.Field("supplier_role", s != nullptr ? s->role : "");
  w.Field("supplier_source", s != nullptr ? s->source : "");
  w.Field("supplier_country", s != nullptr ? s->country : "");
  w.Field("rule_kind", fv.rule_kind);
  w.Field("citation_url", fv.citation_url);
  w.Key("decision");
  if (f.decision != nullptr) {
    WriteDecision(w, *f.decision);
  } else {
    w.Null();
  }
  w.FieldBool("decision_expired", f.decision_expired);
  w.FieldBool("open", f.decision == nullptr);
  w.EndObject();
}

void WriteCountRows(JsonWriter& w, std::string_view name,
                    const std::vector<internal::CountRow>& rows, std::string_view key) {
  w.Key(name);
  w.BeginArray();
  for (const internal::CountRow& r : rows) {
    w.BeginObject();
    w.Field(key, r.key);
    w.Field("items", r.items);
    w.Field("prohibited", r.prohibited);
    w.Field("needs_review", r.needs_review);
    w.Field("clear", r.clear);
    w.Field("unattributed", r.unattributed);
    w.Field("findings", r.findings);
    w.EndObject();
  }
  w.EndArray();
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
  if (!s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
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

// prefix + s + suffix, or "" when s is empty.
std::string Around(std::string_view prefix, std::string_view s, std::string_view suffix) {
  if (s.empty()) return {};
  std::string out;
  out.reserve(prefix.size() + s.size() + suffix.size());
  out.append(prefix).append(s).append(suffix);
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

std::string ScanToJsonText(const scan::ScanResult& result) {
  const ScanView v = internal::BuildView(result);
  std::string out;
  out.reserve(1024 + result.findings.size() * 900);
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("items", result.items.size());
  w.Key("findings");
  w.BeginArray();
  for (size_t i = 0; i < v.findings.size(); ++i) WriteFinding(w, i, v.findings[i]);
  w.EndArray();
  w.Field("unattributed", result.unattributed.size());
  size_t listed = 0;
  for (size_t i : result.unattributed) listed += i < result.items.size() ? 1 : 0;
  listed = std::min(listed, kMaxUnattributedListed);
  w.Field("unattributed_listed", listed);
  w.Key("unattributed_items");
  w.BeginArray();
  size_t shown = 0;
  for (size_t i : result.unattributed) {
    if (shown == listed) break;
    if (i >= result.items.size()) continue;
    const inventory::Item& it = result.items[i].item;
    w.BeginObject();
    w.Field("item", it.ref);
    w.Field("name", it.name);
    w.Field("version", it.version);
    w.Field("purl", it.purl);
    w.Field("kind", it.kind);
    w.Field("file", it.file);
    w.Field("pointer", it.pointer);
    w.EndObject();
    ++shown;
  }
  w.EndArray();

  w.Key("by_supplier");
  w.BeginArray();
  for (const internal::SupplierGroup& g : v.suppliers) {
    w.BeginObject();
    w.Field("supplier", g.name);
    w.Field("role", g.ref != nullptr ? g.ref->role : "");
    w.Field("source", g.ref != nullptr ? g.ref->source : "");
    w.Field("country", g.ref != nullptr ? g.ref->country : "");
    w.Field("items", g.items.size());
    w.Field("outcome", internal::OutcomeWord(g.worst));
    w.FieldOrNull("open_outcome", g.worst_open ? internal::OutcomeWord(*g.worst_open) : "");
    w.StringArray("rules", g.rules);
    w.StringArray("adversaries", g.adversaries);
    w.UintArray("findings", g.findings);
    w.EndObject();
  }
  w.EndArray();

  w.Key("by_item");
  w.BeginArray();
  for (const internal::ItemGroup& g : v.items) {
    if (g.item >= result.items.size()) continue;
    const inventory::Item& it = result.items[g.item].item;
    w.BeginObject();
    w.Field("item", it.ref);
    w.Field("name", it.name);
    w.Field("version", it.version);
    w.Field("file", it.file);
    w.Field("pointer", it.pointer);
    w.Field("outcome", internal::OutcomeWord(g.worst));
    w.UintArray("findings", g.findings);
    w.EndObject();
  }
  w.EndArray();

  w.Key("summary");
  w.BeginObject();
  w.Key("items");
  w.BeginObject();
  w.Field("prohibited", v.items_prohibited);
  w.Field("needs_review", v.items_needs_review);
  w.Field("clear", v.items_clear);
  w.Field("unattributed", v.items_unattributed);
  w.EndObject();
  w.Key("findings");
  w.BeginObject();
  w.Field("prohibited", v.findings_prohibited);
  w.Field("needs_review", v.findings_needs_review);
  w.Field("decided", v.decided);
  w.Field("decision_expired", v.decision_expired);
  w.EndObject();
  w.Key("gate");
  w.BeginObject();
  w.Field("prohibited", result.prohibited);
  w.Field("needs_review", result.needs_review);
  w.Field("suppressed", result.suppressed);
  w.EndObject();
  WriteCountRows(w, "by_adversary", v.by_adversary, "adversary");
  WriteCountRows(w, "by_category", v.by_category, "category");
  WriteCountRows(w, "by_tag", v.by_tag, "tag");
  w.EndObject();

  w.Key("documents");
  w.BeginArray();
  for (const inventory::DocumentInfo& d : result.documents) {
    w.BeginObject();
    w.Field("file", d.file);
    w.Field("format", d.format);
    w.Field("spec_version", d.spec_version);
    w.Field("serial", d.serial);
    w.Field("name", d.name);
    w.StringArray("warnings", d.warnings);
    w.EndObject();
  }
  w.EndArray();

  w.Key("provenance");
  w.BeginObject();
  w.Field("snapshot_sha256", result.snapshot_sha256);
  w.Field("as_of", AsOf(result));
  w.Field("engine_version", v.engine_version);
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
  w.EndObject();
  w.EndObject();
  out += '\n';
  return out;
}

json ScanToJson(const scan::ScanResult& result) { return json::parse(ScanToJsonText(result)); }

std::string ScanToCsv(const scan::ScanResult& result) {
  const ScanView v = internal::BuildView(result);
  std::string out;
  CsvRow(out, {"outcome",
               "severity",
               "rule",
               "item",
               "name",
               "version",
               "purl",
               "kind",
               "file",
               "pointer",
               "supplier",
               "supplier_source",
               "citation",
               "verification",
               "explanation",
               "decision_status",
               "decision_reason",
               "decision_by",
               "decision_expires",
               "decision_where",
               "decision_expired"});
  for (const FindingView& fv : v.findings) {
    const scan::ItemFinding& f = *fv.finding;
    static const inventory::Item kNoItem;
    const inventory::Item& it = fv.item != nullptr ? fv.item->item : kNoItem;
    const scan::Decision* d = f.decision;
    const std::string expires = d != nullptr && d->expires ? d->expires->ToIso() : "";
    CsvRow(out, {internal::FindingWord(f),
                 f.severity,
                 f.rule,
                 it.ref,
                 it.name,
                 it.version,
                 it.purl,
                 it.kind,
                 it.file,
                 it.pointer,
                 f.supplier,
                 fv.supplier != nullptr ? fv.supplier->source : "",
                 f.citation,
                 f.verification,
                 f.explanation,
                 d != nullptr ? d->status : "",
                 d != nullptr ? d->reason : "",
                 d != nullptr ? d->by : "",
                 expires,
                 d != nullptr ? d->where : "",
                 f.decision_expired ? "true" : "false"});
  }
  for (size_t i : result.unattributed) {
    if (i >= result.items.size()) continue;
    const inventory::Item& it = result.items[i].item;
    CsvRow(out, {"unattributed",
                 "",
                 "",
                 it.ref,
                 it.name,
                 it.version,
                 it.purl,
                 it.kind,
                 it.file,
                 it.pointer,
                 "",
                 "",
                 "",
                 "",
                 "no supplier, manufacturer, publisher, author or provider is named",
                 "",
                 "",
                 "",
                 "",
                 "",
                 "false"});
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
                     p.For(Outcome::kProhibited, std::to_string(result.prohibited)), "prohibited",
                     p.For(Outcome::kNeedsReview, std::to_string(result.needs_review)),
                     "needs review", result.suppressed, result.unattributed.size(),
                     result.unattributed.size() == 1 ? "" : "s");
  out += fmt::format("  items: {} prohibited, {} needs review, {} clear, {} unattributed\n",
                     v.items_prohibited, v.items_needs_review, v.items_clear, v.items_unattributed);
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
    if (g.ref != nullptr && !g.ref->source.empty()) head += Around(" (", Safe(g.ref->source), ")");
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
      std::string tag = Around("[", Upper(internal::FindingLabel(f)), "]");
      tag = f.decision != nullptr ? p.Dim(tag + " decided") : p.For(f.outcome, tag);
      out += fmt::format("  {} {}  {}\n", tag, Safe(f.rule), Safe(internal::ItemLabel(it)));
      std::string where = it.file;
      if (!it.pointer.empty()) where += (where.empty() ? "" : " ") + it.pointer;
      out += fmt::format("      component  {}{}{}\n", Safe(it.ref.empty() ? "-" : it.ref),
                         Around("  ", Safe(it.purl), ""), Around("  (", Safe(where), ")"));
      if (!f.supplier.empty()) {
        std::string how;
        if (fv.supplier != nullptr) {
          how = fv.supplier->source.empty() ? fv.supplier->role : fv.supplier->source;
          if (!fv.supplier->country.empty()) how += ", " + fv.supplier->country;
        }
        out +=
            fmt::format("      supplier   {}{}\n", Safe(f.supplier), Around(" (", Safe(how), ")"));
      }
      out += fmt::format("      because    {}\n", Safe(f.explanation));
      out +=
          fmt::format("      rule       {}{}\n", Safe(f.rule), Around(" (", Safe(f.severity), ")"));
      if (!f.citation.empty()) {
        out += fmt::format("      citation   {}{}\n", Safe(f.citation),
                           Around(" [", Safe(f.verification), "]"));
      }
      if (f.decision != nullptr) {
        out += "      decision   " + p.Dim(Safe(internal::DecisionLine(*f.decision))) + "\n";
      }
      if (f.decision_expired) {
        out +=
            "      decision   " +
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
                         Around(" ", Safe(it.pointer), ""));
      ++shown;
    }
  }
  if (result.findings.empty()) out += "\nno findings\n";
  return out;
}

}  // namespace icts::report
