// Screening: a query (name plus optional country, type, identifiers, birth
// date) → the list entries that plausibly are that party, ranked, each with
// its explanation.
//
// Build() normalises every name and alias of the snapshot once and indexes
// them (token postings with rarity weights, plus keys for joined syllables,
// abbreviations and other romanisations), so a query looks at a bounded set
// of candidates instead of the whole list. Screen() is thread-safe.
#ifndef ICTS_MATCH_SCREENER_H_
#define ICTS_MATCH_SCREENER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "match/score.h"
#include "refdata/model.h"
#include "refdata/snapshot.h"
#include "text/normalize.h"

namespace icts::match {

struct Query {
  std::string name;
  text::NameType type = text::NameType::kUnknown;
  std::string country;  // ISO alpha-2, or a country name (resolved).
  std::vector<std::string> identifiers;  // Any kind; compared exactly after
                                         // removing spaces and punctuation.
  std::string birth_date;  // ISO prefix (YYYY, YYYY-MM or YYYY-MM-DD).
};

// What one Screen() call did, for tests and benchmarks.
struct ScreenTrace {
  size_t keys = 0;        // Index keys whose postings were read.
  size_t postings = 0;    // Posting entries read.
  size_t candidates = 0;  // Distinct names reached through the keys.
  size_t bounded = 0;     // Names whose tokens were compared for a bound.
  size_t scored = 0;      // Names scored (at most max_candidates).
};

struct ScreenOptions {
  double threshold = kDefaultThreshold;
  size_t top = 10;               // Most hits returned (best first).
  size_t max_candidates = 1000;  // Most names scored per query.
  ScreenTrace* trace = nullptr;  // When set, Screen() fills it.
};

struct Hit {
  uint32_t entity_index = 0;
  std::string entity_id;
  std::string name;          // The entity's primary name.
  std::string matched_name;  // The name or alias that matched.
  refdata::NameKind matched_kind = refdata::NameKind::kPrimary;
  double score = 0;
  std::string source;  // Source path as recorded in the snapshot.
  std::vector<std::string> lists;
  std::vector<std::string> programs;
  std::string source_id;
  ScoreExplanation explanation;
};

struct ScreenerStats {
  uint64_t names = 0;      // Names and aliases indexed.
  uint64_t tokens = 0;     // Distinct tokens.
  uint64_t postings = 0;
  double build_seconds = 0;
};

// How Build() prepares the index.
struct BuildOptions {
  // The fuzzy neighbours of every word the index holds, computed when it is
  // built (for indexes of up to 60,000 words; about 2.5 CPU seconds for
  // the 45,000 names of the U.S. lists). Hits are the same without them:
  // a query word then has its neighbours searched, as unknown words always
  // are. They pay for a long-lived process or a very large batch, and cost
  // more than they save for a few thousand queries.
  bool precompute_neighbours = true;
};

class Screener {
 public:
  // `snapshot` must outlive the Screener.
  static Result<std::unique_ptr<Screener>> Build(const refdata::Snapshot& snapshot,
                                                 const BuildOptions& options = {});
  virtual ~Screener() = default;

  // Hits at or above options.threshold, best first, one per entity (its best
  // name), at most options.top. An empty or all-legal-form name gives no hits.
  virtual std::vector<Hit> Screen(const Query& query, const ScreenOptions& options) const = 0;
  // The same scorer over every name of the snapshot (no index): the reference
  // for candidate recall. Slow; for tests and benchmarks.
  virtual std::vector<Hit> ScreenExhaustive(const Query& query,
                                            const ScreenOptions& options) const = 0;
  // Drops what Screen() remembers between calls (fuzzy neighbours of words
  // the index does not hold); results never depend on it. For benchmarks
  // that measure a cold start.
  virtual void ClearCaches() const = 0;
  // The rarity weights the scorer gives this index's words (IDF over the
  // snapshot's names, in [0.1, 1]; 1 for a word no name holds). Thread-safe;
  // valid while the Screener lives.
  virtual TokenWeightFn TokenWeights() const = 0;
  virtual ScreenerStats stats() const = 0;
  virtual const refdata::Snapshot& snapshot() const = 0;
};

}  // namespace icts::match

#endif  // ICTS_MATCH_SCREENER_H_
