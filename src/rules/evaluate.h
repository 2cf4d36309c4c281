// The evaluator: a pure function of (packs, facts, as_of) → Determination.
//
// No I/O and no clock. Kinds are evaluated in a fixed order (adversary
// lists, nexus definitions, list flags and entity prohibitions, covered
// scope, risk factors) so that the order of rules and packs never changes
// the result. Outcomes combine as DESIGN.md §3 says: any prohibiting rule
// → prohibited; else any review rule or any unknown a rule needed → needs_review;
// else clear. A rule that errors forces needs_review. Rules outside their
// effective dates are listed as skipped; rules of packs with status
// `proposed` or `watch` never prohibit (their findings are capped at review
// and say so).
#ifndef ICTS_RULES_EVALUATE_H_
#define ICTS_RULES_EVALUATE_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/date.h"
#include "rules/facts.h"
#include "rules/pack.h"

namespace icts::rules {

enum class Outcome : uint8_t { kClear, kNeedsReview, kProhibited };
std::string_view OutcomeName(Outcome o);  // "clear", "needs_review", "prohibited"

struct Finding {
  std::string rule;  // "pack-id/rule-id"
  std::string kind;
  Citation citation;
  Severity severity = Severity::kInfo;
  std::string explanation;
  std::string party;  // Party id, when the finding is about one party.
};

struct Condition {
  std::string name;    // "date on or after 2021-01-19"
  std::string value;   // "yes" | "no" | "unknown" | free text
  std::string detail;  // The facts seen.
};

enum class RuleResult : uint8_t { kFires, kDoesNotFire, kUnknown, kError };
std::string_view RuleResultName(RuleResult r);

struct TraceEntry {
  std::string rule;
  std::string kind;
  RuleResult result = RuleResult::kDoesNotFire;
  std::vector<Condition> conditions;
};

struct Skipped {
  std::string rule;
  std::string reason;  // "effective from 2025-02-04; as of 2024-06-01"
};

struct PartyNexus {
  std::string party;  // Party id
  std::string role;
  std::string name;
  std::vector<NexusFact> nexus;  // Holding as of the date, adversary mapped.
  Tri holds = Tri::kUnknown;
};

struct Provenance {
  std::string input_sha256;
  std::string snapshot_sha256;
  struct PackRef {
    std::string id, version, sha256;
  };
  std::vector<PackRef> packs;
  std::string engine_version;
  std::string as_of;
};

// Whether a Declaration of Conformity (15 CFR 791.305) is needed for the
// transaction, from the connected-vehicle rules.
struct DeclarationNeed {
  Tri required = Tri::kUnknown;
  std::optional<int> model_year;
  std::optional<Date> due;  // First import or sale minus the lead time.
  std::string rule;         // The rule that set it.
  std::string basis;        // In words, with the lead-time citation and its tag.
};

struct Determination {
  std::string id;
  Outcome outcome = Outcome::kNeedsReview;
  Tri covered = Tri::kUnknown;
  std::vector<PartyNexus> parties;
  std::vector<Finding> findings;         // Determining findings first (by severity).
  std::vector<std::string> determining;  // Rule ids that set the outcome.
  std::vector<TraceEntry> trace;
  std::vector<Skipped> skipped;
  std::vector<std::string> unknowns;
  // The weakest verification tag among the rules the outcome rests on.
  std::optional<Verification> weakest;
  std::optional<DeclarationNeed> declaration;  // Set by connected-vehicle rules.
  Provenance provenance;
};

struct EvaluateOptions {
  std::optional<Date> as_of;    // Default: the transaction's date.
  std::string snapshot_sha256;  // Recorded in the provenance.
};

// Never fails: problems inside a rule become a kError trace entry and
// needs_review. A transaction without a date and without as_of is evaluated
// with every date-dependent condition unknown.
Determination Evaluate(const PackSet& packs, const Transaction& tx,
                       const EvaluateOptions& options = {});

nlohmann::json DeterminationToJson(const Determination& d);

}  // namespace icts::rules

#endif  // ICTS_RULES_EVALUATE_H_
