// Private to src/report: what every scan writer shows, computed once from a
// ScanResult (groupings, counts, the per-finding look-ups into items and
// determinations). Holds pointers into the ScanResult it was built from,
// which must outlive it.
#ifndef ICTS_REPORT_INTERNAL_SCAN_VIEW_H_
#define ICTS_REPORT_INTERNAL_SCAN_VIEW_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scan/scan.h"

namespace icts::report::internal {

struct FindingView {
  const scan::ItemFinding* finding = nullptr;
  const scan::ItemResult* item = nullptr;
  const scan::SupplierRef* supplier = nullptr;  // Null for item-level findings.
  std::string rule_kind;                        // From the determination; "" if not found.
  std::string citation_url;                     // Likewise.
  bool decided() const { return finding->decision != nullptr; }
};

struct SupplierGroup {
  std::string name;                        // "" = findings about the item itself.
  const scan::SupplierRef* ref = nullptr;  // First item's reference to it.
  std::vector<size_t> findings;            // Indexes into ScanResult::findings.
  std::vector<size_t> items;               // Distinct item indexes, in finding order.
  rules::Outcome worst = rules::Outcome::kClear;
  std::optional<rules::Outcome> worst_open;  // Over findings without a decision.
  std::vector<std::string> rules;            // Sorted, distinct.
  std::vector<std::string> adversaries;      // Nexus of the party, sorted, distinct.
};

struct ItemGroup {
  size_t item = 0;
  std::vector<size_t> findings;
  rules::Outcome worst = rules::Outcome::kClear;
};

struct CountRow {
  std::string key;
  size_t items = 0, prohibited = 0, needs_review = 0, clear = 0, unattributed = 0;
  size_t findings = 0;
};

struct ScanView {
  std::vector<FindingView> findings;     // Parallel to ScanResult::findings.
  std::vector<SupplierGroup> suppliers;  // Worst first, then by name.
  std::vector<ItemGroup> items;          // Items with findings: worst first, then input order.
  std::vector<CountRow> by_category;     // Item kind ("unknown" when not stated).
  std::vector<CountRow> by_tag;          // Taxonomy tags used.
  std::vector<CountRow> by_adversary;    // Items whose parties have a nexus to it.
  // Items by their worst finding (decisions not applied); unattributed apart.
  size_t items_prohibited = 0, items_needs_review = 0, items_clear = 0, items_unattributed = 0;
  size_t findings_prohibited = 0, findings_needs_review = 0, findings_other = 0;
  size_t decided = 0, decision_expired = 0;
  // Provenance gathered from the determinations.
  std::string engine_version;
  std::vector<rules::Provenance::PackRef> packs;  // Distinct by id+version+sha256, sorted.
  // Rules seen, sorted: id → (kind, citation, verification, url, worst severity outcome).
  struct RuleInfo {
    std::string id, kind, citation, verification, url;
    rules::Outcome worst = rules::Outcome::kClear;
  };
  std::vector<RuleInfo> rules;
};

ScanView BuildView(const scan::ScanResult& result);

// "prohibited" | "needs_review" | "clear".
std::string_view OutcomeWord(rules::Outcome o);
// For people: "prohibited" | "needs review" | "clear".
std::string_view OutcomeLabel(rules::Outcome o);
// A finding's own outcome: as above, but "info" for an informational
// finding (never counted by the gate) instead of "clear".
std::string_view FindingWord(const scan::ItemFinding& f);
std::string_view FindingLabel(const scan::ItemFinding& f);

// The line and column of an item pointer: "line N" → (N, 0), "N:M" → (N, M);
// 0 when the pointer is not a line (a JSON pointer, "row:3", empty).
struct LineCol {
  size_t line = 0, column = 0;
};
LineCol ParseLinePointer(std::string_view pointer);

// Human label for an item: name, else ref; with the version when given.
std::string ItemLabel(const inventory::Item& item);

// A decision in one line: "accepted-risk by alice until 2025-12-31: reason (file:3)".
std::string DecisionLine(const scan::Decision& d);

}  // namespace icts::report::internal

#endif  // ICTS_REPORT_INTERNAL_SCAN_VIEW_H_
