#include "report/internal/scan_view.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace icts::report::internal {
namespace {

using rules::Outcome;

void Bump(CountRow& row, std::optional<Outcome> worst, bool unattributed) {
  ++row.items;
  if (unattributed) {
    ++row.unattributed;
  } else if (!worst || *worst == Outcome::kClear) {
    ++row.clear;
  } else if (*worst == Outcome::kProhibited) {
    ++row.prohibited;
  } else {
    ++row.needs_review;
  }
}

std::vector<CountRow> Rows(std::map<std::string, CountRow>& m) {
  std::vector<CountRow> out;
  out.reserve(m.size());
  for (auto& [key, row] : m) {
    row.key = key;
    out.push_back(std::move(row));
  }
  // Most items first; the key breaks ties.
  std::stable_sort(out.begin(), out.end(),
                   [](const CountRow& a, const CountRow& b) { return a.items > b.items; });
  return out;
}

bool ParseSize(std::string_view s, size_t& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string_view OutcomeWord(Outcome o) { return rules::OutcomeName(o); }

std::string_view OutcomeLabel(Outcome o) {
  switch (o) {
    case Outcome::kProhibited:
      return "prohibited";
    case Outcome::kNeedsReview:
      return "needs review";
    default:
      return "clear";
  }
}

std::string_view FindingWord(const scan::ItemFinding& f) {
  return f.outcome == Outcome::kClear ? "info" : OutcomeWord(f.outcome);
}

std::string_view FindingLabel(const scan::ItemFinding& f) {
  return f.outcome == Outcome::kClear ? "info" : OutcomeLabel(f.outcome);
}

LineCol ParseLinePointer(std::string_view pointer) {
  LineCol lc;
  if (pointer.rfind("line ", 0) == 0) {
    size_t n = 0;
    if (ParseSize(pointer.substr(5), n) && n > 0) lc.line = n;
    return lc;
  }
  size_t colon = pointer.find(':');
  if (colon == std::string_view::npos) return lc;
  size_t n = 0, m = 0;
  if (ParseSize(pointer.substr(0, colon), n) && ParseSize(pointer.substr(colon + 1), m) && n > 0) {
    lc.line = n;
    lc.column = m;
  }
  return lc;
}

std::string ItemLabel(const inventory::Item& item) {
  std::string s = item.name.empty() ? item.ref : item.name;
  if (!item.group.empty() && !item.name.empty()) s = item.group + "/" + s;
  if (!item.version.empty()) s += " " + item.version;
  if (s.empty()) s = "(unnamed item)";
  return s;
}

std::string DecisionLine(const scan::Decision& d) {
  std::string s = d.status.empty() ? "decided" : d.status;
  if (!d.by.empty()) s += " by " + d.by;
  if (d.decided) s += " on " + d.decided->ToIso();
  if (d.expires) s += " until " + d.expires->ToIso();
  if (!d.reason.empty()) s += ": " + d.reason;
  if (!d.where.empty()) s += " (" + d.where + ")";
  return s;
}

ScanView BuildView(const scan::ScanResult& result) {
  ScanView v;
  const size_t n_items = result.items.size();
  std::vector<std::optional<Outcome>> item_worst(n_items);
  std::vector<bool> unattributed(n_items, false);
  for (size_t i : result.unattributed) {
    if (i < n_items) unattributed[i] = true;
  }

  std::map<std::string, size_t> group_of;  // supplier name → index in v.suppliers
  std::map<size_t, size_t> item_group_of;
  std::set<std::pair<size_t, size_t>> group_items;  // (supplier group, item) seen
  std::map<std::string, ScanView::RuleInfo> rules;
  v.findings.reserve(result.findings.size());
  for (size_t fi = 0; fi < result.findings.size(); ++fi) {
    const scan::ItemFinding& f = result.findings[fi];
    FindingView fv;
    fv.finding = &f;
    if (f.item < n_items) fv.item = &result.items[f.item];
    const rules::Determination* det = nullptr;
    if (fv.item != nullptr) {
      for (const scan::SupplierRef& s : fv.item->suppliers) {
        if (s.name == f.supplier) {
          fv.supplier = &s;
          break;
        }
      }
      if (fv.item->determination < result.determinations.size()) {
        det = &result.determinations[fv.item->determination];
        for (const rules::Finding& df : det->findings) {
          if (df.rule == f.rule) {
            fv.rule_kind = df.kind;
            fv.citation_url = df.citation.url;
            break;
          }
        }
      }
    }
    // Counts.
    if (f.outcome == Outcome::kProhibited) {
      ++v.findings_prohibited;
    } else if (f.outcome == Outcome::kNeedsReview) {
      ++v.findings_needs_review;
    } else {
      ++v.findings_other;
    }
    if (f.decision != nullptr) ++v.decided;
    if (f.decision_expired) ++v.decision_expired;
    if (fv.item != nullptr) {
      auto& w = item_worst[f.item];
      if (!w || *w < f.outcome) w = f.outcome;
    }
    // Rules.
    if (!f.rule.empty()) {
      auto [it, fresh] = rules.try_emplace(f.rule);
      ScanView::RuleInfo& r = it->second;
      if (fresh) {
        r.id = f.rule;
        r.worst = f.outcome;
      }
      if (r.kind.empty()) r.kind = fv.rule_kind;
      if (r.citation.empty()) r.citation = f.citation;
      if (r.verification.empty()) r.verification = f.verification;
      if (r.url.empty()) r.url = fv.citation_url;
      r.worst = std::max(r.worst, f.outcome);
    }
    // Supplier groups.
    auto [git, gfresh] = group_of.try_emplace(f.supplier, v.suppliers.size());
    if (gfresh) {
      SupplierGroup g;
      g.name = f.supplier;
      g.ref = fv.supplier;
      g.worst = f.outcome;
      v.suppliers.push_back(std::move(g));
    }
    SupplierGroup& g = v.suppliers[git->second];
    if (g.ref == nullptr) g.ref = fv.supplier;
    g.findings.push_back(fi);
    if (group_items.insert({git->second, f.item}).second) g.items.push_back(f.item);
    g.worst = std::max(g.worst, f.outcome);
    if (f.decision == nullptr && (!g.worst_open || *g.worst_open < f.outcome)) {
      g.worst_open = f.outcome;
    }
    if (!f.rule.empty()) g.rules.push_back(f.rule);
    if (det != nullptr && !f.supplier.empty()) {
      for (const rules::PartyNexus& p : det->parties) {
        if (p.name != f.supplier) continue;
        for (const rules::NexusFact& n : p.nexus) g.adversaries.push_back(n.adversary);
      }
    }
    // Item groups.
    auto [iit, ifresh] = item_group_of.try_emplace(f.item, v.items.size());
    if (ifresh) {
      ItemGroup ig;
      ig.item = f.item;
      ig.worst = f.outcome;
      v.items.push_back(std::move(ig));
    }
    ItemGroup& ig = v.items[iit->second];
    ig.findings.push_back(fi);
    ig.worst = std::max(ig.worst, f.outcome);
    v.findings.push_back(fv);
  }
  for (SupplierGroup& g : v.suppliers) {
    std::sort(g.rules.begin(), g.rules.end());
    g.rules.erase(std::unique(g.rules.begin(), g.rules.end()), g.rules.end());
    std::sort(g.adversaries.begin(), g.adversaries.end());
    g.adversaries.erase(std::unique(g.adversaries.begin(), g.adversaries.end()),
                        g.adversaries.end());
  }
  std::stable_sort(v.suppliers.begin(), v.suppliers.end(),
                   [](const SupplierGroup& a, const SupplierGroup& b) {
                     if (a.worst != b.worst) return a.worst > b.worst;
                     return a.name < b.name;
                   });
  std::stable_sort(v.items.begin(), v.items.end(), [](const ItemGroup& a, const ItemGroup& b) {
    if (a.worst != b.worst) return a.worst > b.worst;
    return a.item < b.item;
  });
  for (auto& [id, r] : rules) v.rules.push_back(std::move(r));

  // Items: by outcome, category, tag and adversary.
  std::map<std::string, CountRow> by_category, by_tag, by_adversary;
  for (size_t i = 0; i < n_items; ++i) {
    const scan::ItemResult& ir = result.items[i];
    const std::optional<Outcome> w = item_worst[i];
    if (unattributed[i]) {
      ++v.items_unattributed;
    } else if (!w || *w == Outcome::kClear) {
      ++v.items_clear;
    } else if (*w == Outcome::kProhibited) {
      ++v.items_prohibited;
    } else {
      ++v.items_needs_review;
    }
    Bump(by_category[ir.item.kind.empty() ? "unknown" : ir.item.kind], w, unattributed[i]);
    std::set<std::string> tags(ir.tags.begin(), ir.tags.end());
    for (const std::string& t : tags) Bump(by_tag[t], w, unattributed[i]);
    if (ir.determination < result.determinations.size()) {
      std::set<std::string> adv;
      for (const rules::PartyNexus& p : result.determinations[ir.determination].parties) {
        for (const rules::NexusFact& n : p.nexus) {
          if (!n.adversary.empty()) adv.insert(n.adversary);
        }
      }
      for (const std::string& a : adv) Bump(by_adversary[a], w, unattributed[i]);
    }
  }
  for (const ItemGroup& ig : v.items) {
    if (ig.item >= n_items) continue;
    const scan::ItemResult& ir = result.items[ig.item];
    by_category[ir.item.kind.empty() ? "unknown" : ir.item.kind].findings += ig.findings.size();
    std::set<std::string> tags(ir.tags.begin(), ir.tags.end());
    for (const std::string& t : tags) by_tag[t].findings += ig.findings.size();
    if (ir.determination < result.determinations.size()) {
      std::set<std::string> adv;
      for (const rules::PartyNexus& p : result.determinations[ir.determination].parties) {
        for (const rules::NexusFact& n : p.nexus) {
          if (!n.adversary.empty()) adv.insert(n.adversary);
        }
      }
      for (const std::string& a : adv) by_adversary[a].findings += ig.findings.size();
    }
  }
  v.by_category = Rows(by_category);
  v.by_tag = Rows(by_tag);
  v.by_adversary = Rows(by_adversary);

  // Provenance.
  std::set<std::tuple<std::string, std::string, std::string>> packs;
  for (const rules::Determination& d : result.determinations) {
    if (v.engine_version.empty()) v.engine_version = d.provenance.engine_version;
    for (const rules::Provenance::PackRef& p : d.provenance.packs) {
      packs.insert({p.id, p.version, p.sha256});
    }
  }
  for (const auto& [id, version, sha] : packs) v.packs.push_back({id, version, sha});
  return v;
}

}  // namespace icts::report::internal
