// `icts review`, `icts rules list|test|tags`: the rule packs and the
// determination of transactions.
//
// Argument parsing stays in main.cc. Exit codes: 0 success (review: whatever
// the outcomes, unless --fail-on), 1 a determination at or above --fail-on or
// a failing pack test, 2 usage or input error (messages name the file and
// the JSON pointer or file:line:column), 3 environment failure.
#ifndef ICTS_CLI_REVIEW_CMD_H_
#define ICTS_CLI_REVIEW_CMD_H_

#include <string>
#include <vector>

#include <memory>

#include "base/status.h"
#include "match/screener.h"
#include "refdata/snapshot.h"
#include "review/review.h"
#include "rules/pack.h"

namespace icts::cli {

struct RulesArgs {
  std::string rules_dir;           // Default: see DefaultRulesDir().
  std::vector<std::string> packs;  // Extra pack files (a company's own).
  std::string pack;                // `rules test PACK`
  std::string output = "table";    // table | json
};

struct ReviewArgs {
  RulesArgs rules;
  std::string input;     // JSON object, JSON array or JSON lines; "-" = stdin.
  std::string as_of;     // YYYY-MM-DD; default each transaction's date.
  std::string snapshot;  // Screen parties against it when given.
  std::string fail_on;   // "", "prohibited", "needs-review"
  std::string store;     // Store URL: record each determination ("" = none).
};

// --rules, else $ICTS_RULES_DIR, else ./rules, else the rules directory of
// the source tree the binary was built from.
std::string DefaultRulesDir();

// Prints "icts: <message>" on stderr and returns the status's exit code.
int FailWith(const Status& s);

// The packs of --rules (or the default directory) plus each --pack.
Result<rules::PackSet> LoadRules(const RulesArgs& args);

// A reviewer over `packs`, screening against the snapshot at
// `snapshot_path` when it is not empty; it owns the snapshot and screener.
struct ReviewSetup {
  std::unique_ptr<refdata::Snapshot> snapshot;
  std::unique_ptr<match::Screener> screener;
  std::unique_ptr<review::Reviewer> reviewer;
};
// `precompute_neighbours` (match::BuildOptions): for a long-lived process;
// a review or scan screens its parties' names, a few thousand at most, and
// starts sooner without.
Result<ReviewSetup> MakeReviewer(const rules::PackSet& packs, const std::string& snapshot_path,
                                 bool precompute_neighbours = false);

int RunRulesList(const RulesArgs& args);
int RunRulesTest(const RulesArgs& args);
int RunRulesTags(const RulesArgs& args);
int RunReview(const ReviewArgs& args);

}  // namespace icts::cli

#endif  // ICTS_CLI_REVIEW_CMD_H_
