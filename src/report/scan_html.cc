// HTML writer: one self-contained page. Everything taken from the inputs is
// escaped; the page's Content-Security-Policy allows its own inline style
// and, by hash, its one inline script, and nothing else, so even a missed
// escape could neither run a script nor fetch anything.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "base/sha256.h"
#include "base/strings.h"
#include "report/internal/scan_view.h"
#include "report/scan_report.h"

namespace icts::report {
namespace {

using internal::FindingView;
using internal::ScanView;
using rules::Outcome;

std::string Esc(std::string_view s) { return HtmlEscape(s); }

std::string Base64(const uint8_t* data, size_t n) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = static_cast<uint32_t>(data[i]) << 16;
    if (i + 1 < n) v |= static_cast<uint32_t>(data[i + 1]) << 8;
    if (i + 2 < n) v |= data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < n ? kAlphabet[v & 63] : '=';
  }
  return out;
}

std::string_view Css(Outcome o) {
  switch (o) {
    case Outcome::kProhibited:
      return "prohibited";
    case Outcome::kNeedsReview:
      return "review";
    default:
      return "clear";
  }
}

std::string Badge(Outcome o) {
  return fmt::format("<span class=\"badge {}\">{}</span>", Css(o), internal::OutcomeLabel(o));
}

bool IsWebUrl(std::string_view url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

constexpr std::string_view kStyle = R"(
:root{--fg:#1b1f24;--muted:#5b6570;--line:#d6dbe0;--bg:#fff;--soft:#f5f7f9;
--red:#b42318;--redbg:#fde8e6;--amber:#8a5a00;--amberbg:#fff4d6;--green:#1f6f43;--greenbg:#e3f4ea}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;
color:var(--fg);background:var(--bg);margin:0;padding:24px 32px;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:130px}
.card b{display:block;font-size:22px}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.prohibited{background:var(--redbg);color:var(--red)}.badge.review{background:var(--amberbg);color:var(--amber)}
.badge.clear{background:var(--greenbg);color:var(--green)}.badge.decided{background:var(--soft);color:var(--muted)}
.supplier{border:1px solid var(--line);border-radius:6px;padding:4px 12px 8px;margin:12px 0}
details.finding{border-top:1px solid var(--line);padding:4px 0}
details.finding>summary{cursor:pointer;padding:2px 0}
details.finding.is-decided>summary{color:var(--muted)}
ol.chain{margin:6px 0 6px 8px;padding-left:18px}ol.chain li{margin:2px 0}
ol.chain .k{display:inline-block;min-width:86px;color:var(--muted)}
.decision{background:var(--soft);border-left:3px solid var(--muted);padding:4px 8px;margin:4px 0}
.expired{background:var(--amberbg);border-left:3px solid var(--amber);padding:4px 8px;margin:4px 0}
.tools{margin:8px 0}.tools button{font:inherit;margin-right:6px}
.tools input{font:inherit;padding:2px 6px;min-width:260px}
.hidden{display:none}
@media print{body{padding:0;max-width:none}.tools{display:none}
details>summary{list-style:none}details:not([open])>*:not(summary){display:block}
.supplier,details.finding{break-inside:avoid}a{color:inherit}}
)";

constexpr std::string_view kScript = R"(
(function(){
function all(open){document.querySelectorAll('details').forEach(function(d){d.open=open;});}
var e=document.getElementById('expand'),c=document.getElementById('collapse'),f=document.getElementById('filter');
if(e)e.addEventListener('click',function(){all(true);});
if(c)c.addEventListener('click',function(){all(false);});
window.addEventListener('beforeprint',function(){all(true);});
if(f)f.addEventListener('input',function(){
var q=f.value.toLowerCase();
document.querySelectorAll('section.supplier').forEach(function(s){
var any=false;
s.querySelectorAll('details.finding').forEach(function(d){
var hit=!q||d.textContent.toLowerCase().indexOf(q)>=0||s.dataset.name.toLowerCase().indexOf(q)>=0;
d.classList.toggle('hidden',!hit);if(hit)any=true;});
s.classList.toggle('hidden',!any);});});
})();
)";

void CountTable(std::string& out, const std::vector<internal::CountRow>& rows,
                std::string_view head) {
  out += fmt::format(
      "<table><thead><tr><th>{}</th><th>items</th><th>prohibited</th><th>needs review</th>"
      "<th>clear</th><th>unattributed</th><th>findings</th></tr></thead><tbody>\n",
      head);
  for (const internal::CountRow& r : rows) {
    out += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
        Esc(r.key), r.items, r.prohibited, r.needs_review, r.clear, r.unattributed, r.findings);
  }
  out += "</tbody></table>\n";
}

void Finding(std::string& out, const FindingView& fv) {
  const scan::ItemFinding& f = *fv.finding;
  static const inventory::Item kNoItem;
  const inventory::Item& it = fv.item != nullptr ? fv.item->item : kNoItem;
  const bool decided = f.decision != nullptr;
  out += fmt::format("<details class=\"finding {}{}\"{}><summary>", Css(f.outcome),
                     decided ? " is-decided" : "",
                     f.outcome == Outcome::kProhibited && !decided ? " open" : "");
  out += f.outcome == Outcome::kClear
             ? std::string("<span class=\"badge clear\">") + std::string(internal::FindingLabel(f)) +
                   "</span>"
             : Badge(f.outcome);
  if (decided) out += " <span class=\"badge decided\">decided</span>";
  out += fmt::format(" <b>{}</b> <span class=\"muted\">— <code>{}</code></span></summary>\n",
                     Esc(internal::ItemLabel(it)), Esc(f.rule));
  out += "<ol class=\"chain\">\n";
  std::string where = it.file;
  if (!it.pointer.empty()) where += (where.empty() ? "" : " ") + it.pointer;
  out += fmt::format("<li><span class=\"k\">component</span>{}{}{}{}</li>\n",
                     Esc(internal::ItemLabel(it)),
                     it.ref.empty() ? "" : " <code>" + Esc(it.ref) + "</code>",
                     it.purl.empty() ? "" : " <code>" + Esc(it.purl) + "</code>",
                     where.empty() ? "" : " <span class=\"muted\">in " + Esc(where) + "</span>");
  if (!f.supplier.empty()) {
    std::string how;
    if (fv.supplier != nullptr) {
      how = fv.supplier->source.empty() ? fv.supplier->role : "named as " + fv.supplier->source;
      if (!fv.supplier->country.empty()) how += ", country " + fv.supplier->country;
    }
    out += fmt::format("<li><span class=\"k\">supplier</span>{}{}</li>\n", Esc(f.supplier),
                       how.empty() ? "" : " <span class=\"muted\">(" + Esc(how) + ")</span>");
  }
  out += fmt::format("<li><span class=\"k\">evidence</span>{}</li>\n", Esc(f.explanation));
  out += fmt::format(
      "<li><span class=\"k\">rule</span><code>{}</code>{}{}</li>\n", Esc(f.rule),
      fv.rule_kind.empty() ? "" : " <span class=\"muted\">" + Esc(fv.rule_kind) + "</span>",
      f.severity.empty() ? "" : " — " + Esc(f.severity));
  if (!f.citation.empty()) {
    std::string cite = Esc(f.citation);
    if (IsWebUrl(fv.citation_url)) {
      cite = fmt::format("<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>", Esc(fv.citation_url),
                         cite);
    }
    out += fmt::format(
        "<li><span class=\"k\">citation</span>{}{}</li>\n", cite,
        f.verification.empty()
            ? ""
            : fmt::format(" <span class=\"badge decided\" title=\"V verified in the text, S "
                          "secondary source, M not verified\">{}</span>",
                          Esc(f.verification)));
  }
  out += "</ol>\n";
  if (decided) {
    out += "<div class=\"decision\">Decision: " + Esc(internal::DecisionLine(*f.decision)) +
           ". Not counted by the gate.</div>\n";
  }
  if (f.decision_expired) {
    out +=
        "<div class=\"expired\">A decision about this finding has expired and no longer "
        "applies.</div>\n";
  }
  out += "</details>\n";
}

}  // namespace

std::string ScanToHtml(const scan::ScanResult& result) {
  const ScanView v = internal::BuildView(result);
  const Sha256Digest script_hash = Sha256Of(kScript);
  std::string as_of = result.as_of;
  if (as_of.empty() && !result.determinations.empty()) {
    as_of = result.determinations.front().provenance.as_of;
  }
  std::string out;
  out.reserve(4096 + result.findings.size() * 1200);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'sha256-{}'; img-src data:\">\n",
      Base64(script_hash.data(), script_hash.size()));
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>icts scan report" + (as_of.empty() ? "" : " as of " + Esc(as_of)) + "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";

  // Header and provenance.
  out += "<header><h1>ICTS supply-chain scan</h1>\n<table class=\"prov\">\n";
  out += fmt::format("<tr><th>as of</th><td>{}</td></tr>\n", Esc(as_of.empty() ? "-" : as_of));
  out += fmt::format("<tr><th>snapshot</th><td class=\"mono\">{}</td></tr>\n",
                     result.snapshot_sha256.empty() ? "none (names not screened against lists)"
                                                    : Esc(result.snapshot_sha256));
  out += fmt::format("<tr><th>engine</th><td>icts {}</td></tr>\n",
                     Esc(v.engine_version.empty() ? "-" : v.engine_version));
  out += "<tr><th>rule packs</th><td>";
  for (size_t i = 0; i < v.packs.size(); ++i) {
    const rules::Provenance::PackRef& p = v.packs[i];
    out += fmt::format("{}{} {} <span class=\"mono muted\">{}</span>", i ? "<br>" : "", Esc(p.id),
                       Esc(p.version), Esc(p.sha256.substr(0, 16)));
  }
  out += "</td></tr>\n<tr><th>inputs</th><td>";
  for (size_t i = 0; i < result.documents.size(); ++i) {
    const inventory::DocumentInfo& d = result.documents[i];
    out += fmt::format("{}<span class=\"mono\">{}</span> {} {}{}", i ? "<br>" : "", Esc(d.file),
                       Esc(d.format), Esc(d.spec_version),
                       d.warnings.empty()
                           ? ""
                           : fmt::format(" <span class=\"muted\">({} warning{})</span>",
                                         d.warnings.size(), d.warnings.size() == 1 ? "" : "s"));
  }
  out += "</td></tr>\n</table></header>\n";

  // Summary.
  out += "<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cards\">\n";
  out += fmt::format("<div class=\"card\"><b>{}</b>items scanned</div>\n", result.items.size());
  out += fmt::format(
      "<div class=\"card\"><b><span class=\"badge prohibited\">{}</span></b>prohibited findings "
      "open</div>\n",
      result.prohibited);
  out += fmt::format(
      "<div class=\"card\"><b><span class=\"badge review\">{}</span></b>findings to review</div>\n",
      result.needs_review);
  out +=
      fmt::format("<div class=\"card\"><b>{}</b>decided (not counted)</div>\n", result.suppressed);
  out += fmt::format("<div class=\"card\"><b>{}</b>unattributed items</div>\n",
                     result.unattributed.size());
  out += "</div>\n";
  out += fmt::format(
      "<p>Items by their worst finding: {} prohibited, {} needs review, {} clear, {} with no "
      "supplier-side name.</p>\n",
      v.items_prohibited, v.items_needs_review, v.items_clear, v.items_unattributed);
  out += "<h3>By category</h3>\n";
  CountTable(out, v.by_category, "category");
  if (!v.by_tag.empty()) {
    out += "<h3>By item tag</h3>\n";
    CountTable(out, v.by_tag, "tag");
  }
  out += "<h3>By foreign adversary</h3>\n";
  if (v.by_adversary.empty()) {
    out += "<p class=\"muted\">No item's parties have a foreign-adversary nexus.</p>\n";
  } else {
    CountTable(out, v.by_adversary, "adversary");
  }
  out += "</section>\n";

  // Findings by supplier.
  out += "<section id=\"findings\"><h2>Findings by supplier</h2>\n";
  if (v.findings.empty()) {
    out += "<p>No findings.</p>\n";
  } else {
    out +=
        "<div class=\"tools\"><button type=\"button\" id=\"expand\">Expand all</button>"
        "<button type=\"button\" id=\"collapse\">Collapse all</button>"
        "<input type=\"search\" id=\"filter\" placeholder=\"Filter by supplier, component, "
        "rule\" aria-label=\"Filter findings\"></div>\n";
  }
  for (const internal::SupplierGroup& g : v.suppliers) {
    const std::string name = g.name.empty() ? "(the items themselves)" : g.name;
    out += fmt::format("<section class=\"supplier {}\" data-name=\"{}\">\n<h3>{} {}", Css(g.worst),
                       Esc(name), Badge(g.worst), Esc(name));
    if (g.ref != nullptr && !g.ref->source.empty()) {
      out += " <span class=\"muted\">(named as " + Esc(g.ref->source) + ")</span>";
    }
    out += "</h3>\n<p class=\"muted\">";
    out += fmt::format("{} item{}, {} finding{}", g.items.size(), g.items.size() == 1 ? "" : "s",
                       g.findings.size(), g.findings.size() == 1 ? "" : "s");
    if (!g.adversaries.empty()) {
      std::string adv;
      for (const std::string& a : g.adversaries) adv += (adv.empty() ? "" : ", ") + Esc(a);
      out += "; foreign-adversary nexus: " + adv;
    }
    if (!g.worst_open) out += "; every finding decided";
    out += "</p>\n";
    for (size_t fi : g.findings) Finding(out, v.findings[fi]);
    out += "</section>\n";
  }
  out += "</section>\n";

  // Unattributed.
  out += "<section id=\"unattributed\"><h2>Unattributed items</h2>\n";
  if (result.unattributed.empty()) {
    out += "<p>Every item names a supplier, manufacturer, publisher, author or provider.</p>\n";
  } else {
    out += fmt::format(
        "<p>{} item{} name no supplier-side party and could not be evaluated; they are listed "
        "so they can be attributed.</p>\n",
        result.unattributed.size(), result.unattributed.size() == 1 ? "" : "s");
    out +=
        "<table><thead><tr><th>item</th><th>ref</th><th>kind</th><th>file</th>"
        "<th>location</th></tr></thead><tbody>\n";
    size_t shown = 0;
    for (size_t i : result.unattributed) {
      if (i >= result.items.size()) continue;
      if (shown == kMaxUnattributedListed) break;
      const inventory::Item& it = result.items[i].item;
      out += fmt::format(
          "<tr><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td class=\"mono\">{}</td>"
          "<td class=\"mono\">{}</td></tr>\n",
          Esc(internal::ItemLabel(it)), Esc(it.ref), Esc(it.kind), Esc(it.file), Esc(it.pointer));
      ++shown;
    }
    out += "</tbody></table>\n";
    if (shown < result.unattributed.size()) {
      out += fmt::format(
          "<p class=\"muted\">{} more not listed here; -o json or -o csv lists "
          "them.</p>\n",
          result.unattributed.size() - shown);
    }
  }
  out += "</section>\n";

  // Document warnings.
  bool any_warning = false;
  for (const inventory::DocumentInfo& d : result.documents) any_warning |= !d.warnings.empty();
  if (any_warning) {
    out += "<section id=\"warnings\"><h2>Input warnings</h2>\n";
    for (const inventory::DocumentInfo& d : result.documents) {
      if (d.warnings.empty()) continue;
      out += "<h3 class=\"mono\">" + Esc(d.file) + "</h3>\n<ul>\n";
      for (const std::string& w : d.warnings) out += "<li>" + Esc(w) + "</li>\n";
      out += "</ul>\n";
    }
    out += "</section>\n";
  }
  out +=
      "<footer><p class=\"muted\">Verification tags: V verified in the text, S secondary "
      "source, M not verified. A decision changes how a finding counts for the gate, never "
      "the finding.</p></footer>\n";
  out += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace icts::report
