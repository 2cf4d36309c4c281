// Review: assembles the facts of a transaction from its input, the lists and
// the ownership graph, and evaluates the rule packs on them.
//
//   input facts ─► screen parties (lists, families) ─► ownership graph
//   (parties + entities + inline edges + the snapshot's owners of matched
//   parties) ─► nexus per supplier-side party ─► rules::Evaluate
//
// Facts the input states are never overridden: a party with `screened`
// given is not screened again; a party with `ownership_known` given keeps
// its stated nexus. What the analysis adds is marked in the evidence text.
//
// A Reviewer is immutable after Create(); Review() is thread-safe.
#ifndef ICTS_REVIEW_REVIEW_H_
#define ICTS_REVIEW_REVIEW_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "rules/evaluate.h"
#include "rules/facts.h"
#include "rules/pack.h"

namespace icts::refdata {
class Snapshot;
}
namespace icts::match {
class Screener;
}

namespace icts::review {

struct ReviewerOptions {
  // Optional. With a snapshot and its screener, parties are screened and
  // the owners of matched entities join the ownership graph.
  const refdata::Snapshot* snapshot = nullptr;
  const match::Screener* screener = nullptr;
  // Screening: hits at or above `threshold` become list memberships.
  double threshold = 0.80;
  size_t top = 10;
  // A party is taken to be a snapshot entity (so that entity's owners are
  // its owners) only when the best hit reaches this score and no other
  // entity comes within `identity_margin` of it.
  double identity_threshold = 0.90;
  double identity_margin = 0.03;
};

class Reviewer {
 public:
  // `packs` and the objects in `options` must outlive the Reviewer.
  static Result<std::unique_ptr<Reviewer>> Create(const rules::PackSet& packs,
                                                  const ReviewerOptions& options = {});
  ~Reviewer();

  // Fills what the input leaves unknown: list memberships and families by
  // screening, and ownership-control nexus through the graph, for the date
  // the transaction is evaluated at. Errors only on an inconsistent graph
  // (e.g. shares of one entity adding up far beyond 100%).
  Status Resolve(rules::Transaction* tx, std::optional<Date> as_of) const;

  // Resolve() then rules::Evaluate(). On a Resolve() error the determination
  // is needs_review with the error named in its unknowns.
  rules::Determination Review(rules::Transaction tx, std::optional<Date> as_of) const;

  const rules::PackSet& packs() const { return packs_; }

 private:
  Reviewer(const rules::PackSet& packs, const ReviewerOptions& options);
  void Screen(rules::Transaction* tx) const;
  Status ResolveOwnership(rules::Transaction* tx, Date as_of) const;

  struct Data;
  const rules::PackSet& packs_;
  ReviewerOptions options_;
  std::unique_ptr<Data> data_;
};

}  // namespace icts::review

#endif  // ICTS_REVIEW_REVIEW_H_
