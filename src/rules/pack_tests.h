// Pack tests as data: every rules/<pack>/tests/*.yaml holds cases, each a
// transaction (the review input format), an optional as_of date and what the
// evaluator must return. Run by `icts rules test` and by ctest.
//
//   cases:
//     - name: Macau supplier before the final rule
//       as_of: 2025-02-03
//       transaction: { ... }
//       expect:
//         outcome: clear            # clear | needs_review | prohibited
//         covered: true             # true | false | null (unknown); optional
//         determining: [pack/rule]  # exact set; optional
//         fires: [pack/rule]        # each must fire; optional
//         not_fires: [pack/rule]    # none may fire; optional
//         skipped: [pack/rule]      # each must be skipped by date; optional
//         unknowns_contain: [text]  # each a substring of some unknown; optional
//         findings_contain: [text]  # each a substring of some explanation; optional
#ifndef ICTS_RULES_PACK_TESTS_H_
#define ICTS_RULES_PACK_TESTS_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "rules/pack.h"

namespace icts::rules {

struct PackTestResult {
  std::string pack;
  std::string file;
  std::string name;
  std::vector<std::string> failures;  // Empty: passed.
};

// Runs the tests of every pack of `set` whose id is `only` (all when empty),
// each case evaluated against the whole set. A test file that does not
// parse, or a case whose transaction is invalid, is an error naming the file
// and the case.
Result<std::vector<PackTestResult>> RunPackTests(const PackSet& set, const std::string& only = "");

}  // namespace icts::rules

#endif  // ICTS_RULES_PACK_TESTS_H_
