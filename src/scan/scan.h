// Inventory scanning: every item of one or more inventories (SBOMs, asset
// lists, service lists) goes through the same review as a transaction — its
// suppliers screened and their ownership analysed — and the findings are
// grouped by item and by supplier, with decisions (suppressions) applied
// before the gate.
//
// Items with the same suppliers, tags and kind get the same determination,
// so each distinct combination is reviewed once: a 300,000-component SBOM
// from a few hundred suppliers costs a few hundred reviews.
#ifndef ICTS_SCAN_SCAN_H_
#define ICTS_SCAN_SCAN_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "inventory/item.h"
#include "rules/evaluate.h"

namespace icts::review {
class Reviewer;
}

namespace icts::scan {

// A decision about an item or a supplier (VEX-like), read from a decisions
// file: it changes how a finding counts for the gate, never the finding.
struct Decision {
  // What it applies to: an item (ref, purl or exact name) and/or a supplier
  // (name, case-insensitive), and optionally one rule ("pack/rule").
  std::string item;
  std::string supplier;
  std::string rule;
  // accepted-risk | false-positive | mitigated | not-applicable
  std::string status;
  std::string reason;
  std::string by;  // Who decided.
  std::optional<Date> decided;
  std::optional<Date> expires;  // Inclusive; after it the decision stops applying.
  std::string where;            // file:line of the decision.
};

// Reads a decisions file (YAML or JSON: a list under `decisions`). Errors
// name file:line:col.
Result<std::vector<Decision>> ReadDecisions(const std::string& path);

// How an item's facts are derived; see docs/scan.md.
struct ItemMapping {
  // A rule: when every given matcher matches, add tags and/or set the
  // supplier. Matchers: purl prefix, CPE vendor, name (case-insensitive
  // exact or a trailing-* prefix), supplier name.
  struct Rule {
    std::string purl_prefix, cpe_vendor, name, supplier;
    std::vector<std::string> tags;
    std::string set_supplier;
    std::string set_country;  // ISO code of the supplier's incorporation.
    std::string where;        // file:line
  };
  std::vector<Rule> rules;
  std::vector<std::string> sector_tags;  // The organisation's sector(s), for every item.
};
Result<ItemMapping> ReadItemMapping(const std::string& path, const rules::Taxonomy& taxonomy);

struct ScanOptions {
  Date as_of;                    // The date the rules apply at (the CLI's default: today).
  std::string activity = "use";  // The organisation's transaction with each item.
  std::string agreement;         // "new" (a purchase or renewal), "existing" or "".
  std::string organization = "The organisation";  // The buyer / user party.
  bool organization_us = true;   // A U.S. person (the scan's usual user).
  ItemMapping mapping;
  std::vector<Decision> decisions;
  // Called now and then with (distinct reviews done, distinct reviews in
  // all); may be empty.
  std::function<void(size_t, size_t)> progress;
};

// One supplier-side name attached to an item.
struct SupplierRef {
  std::string name;
  std::string role;     // Party role: supplier, manufacturer, developer, service-provider.
  std::string source;   // Where it came from: supplier, manufacturer, publisher, author,
                        // vendor, provider, mac-registrant, mapping.
  std::string country;  // When the inventory states it.
};

struct ItemResult {
  inventory::Item item;
  std::vector<SupplierRef> suppliers;
  std::vector<std::string> tags;  // Taxonomy tags used.
  size_t determination = 0;       // Index into ScanResult::determinations.
};

// A finding attached to an item (one per item and rule).
struct ItemFinding {
  size_t item = 0;        // Index into ScanResult::items.
  std::string supplier;   // The party the finding is about ("" for item-level rules).
  // Of this finding alone; kClear for an informational finding (severity
  // "info": continued use of a Kaspersky product, a nexus that holds where
  // no rule asks for review), which never counts for the gate.
  rules::Outcome outcome = rules::Outcome::kNeedsReview;
  std::string rule;
  std::string citation;
  std::string verification;
  std::string severity;
  std::string explanation;
  const Decision* decision = nullptr;  // Applied decision, if any.
  bool decision_expired = false;       // A matching decision had expired.
};

struct ScanResult {
  std::vector<inventory::DocumentInfo> documents;
  std::vector<ItemResult> items;
  std::vector<rules::Determination> determinations;  // Distinct, shared by items.
  std::vector<ItemFinding> findings;
  std::vector<size_t> unattributed;  // Items with no supplier-side name at all.
  std::string snapshot_sha256;
  std::string as_of;
  // Counts after decisions.
  size_t prohibited = 0, needs_review = 0, suppressed = 0;
};

// Reads an inventory file of any supported format (sniffed from its first
// bytes and name) into `sink`. Errors: INVALID_ARGUMENT with the location.
Status ReadInventoryFile(const std::string& path, inventory::ItemSink* sink);

// Reads every file into `documents` and `items` (appending); `read` is
// called after each file with its path and item count. On an error nothing
// of the failing file is kept and the error is returned.
Status ReadInventoryFiles(const std::vector<std::string>& paths,
                          std::vector<inventory::DocumentInfo>* documents,
                          std::vector<inventory::Item>* items,
                          const std::function<void(const std::string&, size_t)>& read = {});

// Scans items already read. `reviewer` screens and evaluates. The result
// points into `options.decisions`, which must outlive it.
ScanResult Scan(std::vector<inventory::DocumentInfo> documents,
                std::vector<inventory::Item> items, const review::Reviewer& reviewer,
                const ScanOptions& options);

// The gate: does anything reach `fail_on` (prohibited | needs-review | any)?
bool Fails(const ScanResult& result, const std::string& fail_on);

}  // namespace icts::scan

#endif  // ICTS_SCAN_SCAN_H_
