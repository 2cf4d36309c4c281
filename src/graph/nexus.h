// Nexus analysis: for a graph, an adversary list, a nexus definition and a
// date, which prongs hold for an entity, for which adversary, with the
// evidence (effective shares, explaining paths with percentages, control
// chains) and what is unknown.
//
// Analysis::Run() does the whole-graph work once (seeds as of the date,
// effective shares, control links); Explain() then answers for one node in
// time proportional to its neighbourhood. An Analysis refers to the Graph and
// the rule data given to Run(), which must outlive it. Explain() is
// thread-safe.
#ifndef ICTS_GRAPH_NEXUS_H_
#define ICTS_GRAPH_NEXUS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "graph/graph.h"
#include "graph/ownership.h"
#include "graph/rules.h"

namespace icts::graph {

// One finding: a prong that holds (in `nexus`) or needs review (in `review`).
struct NexusFinding {
  std::string adversary;  // Code.
  Prong prong = Prong::kOwnershipControl;
  std::string evidence;          // Human-readable, naming ids, shares and file:line.
  std::vector<std::string> via;  // Node ids from the adversary-linked party down.
  double share = -1;             // Effective share when the finding rests on one.
  RuleCitation citation;
};

// One chain of ownership from an adversary-linked holder down to the entity.
struct OwnershipPath {
  std::string adversary;
  double share = 0;              // Product of the shares along the path.
  std::vector<std::string> via;  // Node ids, holder first, the entity last.
  std::vector<double> shares;    // Share of each step (via.size() - 1).
};

// Control that does not follow shares, or majority chains.
struct ControlChain {
  std::string adversary;
  std::vector<std::string> via;  // Node ids, controller first.
  std::vector<std::string> how;  // Per step: a control kind or "majority 56%".
  bool holds = false;            // Proves the prong under the definition.
};

struct Unknown {
  std::string kind;    // missing-share, parent-unknown, no-ownership-data,
                       // unaccounted-ownership, country-role-unknown,
                       // threshold-unverified, not-converged, share-range
  std::string node;    // Node id concerned.
  std::string detail;  // What is missing, in words.
  std::string origin;  // file:line when known.
};

struct OwnersResult {
  std::string id;
  std::string name;
  std::string type;
  std::string as_of;       // ISO date.
  std::string definition;  // NexusDefinition id.
  // Effective share per adversary code (only those above 0), in list order.
  std::vector<std::pair<std::string, double>> adversary_shares;
  std::vector<ControlChain> control;
  std::vector<NexusFinding> nexus;   // Prongs that hold.
  std::vector<NexusFinding> review;  // Prongs that need human review.
  std::vector<OwnershipPath> paths;  // Best first.
  bool paths_complete = true;        // Paths listed add up to the shares.
  std::vector<Unknown> unknowns;
  // "holds", "needs-review" or "none-found" (no prong holds, nothing needs
  // review and nothing is unknown). Unknowns never give "none-found".
  std::string outcome;
};

struct ExplainOptions {
  size_t max_paths = 20;  // Most paths listed (over all adversaries).
  size_t max_path_length = 32;
  double min_path_share = 1e-6;  // Paths below this are not enumerated.
  size_t max_unknowns = 50;
};

class Analysis {
 public:
  // Computes seeds, effective shares and control links for `def` as of
  // `as_of`. Edges outside their dates are left out. Errors: a definition
  // naming an adversary the list does not have.
  static Result<std::unique_ptr<Analysis>> Run(const Graph& graph, const AdversaryList& list,
                                               const NexusDefinition& def, Date as_of,
                                               const SolveOptions& options = {});

  OwnersResult Explain(uint32_t node, const ExplainOptions& options = {}) const;

  const Solution& solution() const { return solution_; }
  const std::vector<std::string>& adversary_codes() const { return codes_; }
  // Seed mask of a node (bit a: a person of adversary a under this
  // definition and date).
  uint8_t seed(uint32_t node) const { return seeds_[node]; }

 private:
  Analysis(const Graph& g, const AdversaryList& l, const NexusDefinition& d, Date as_of)
      : graph_(g), list_(l), def_(d), as_of_(as_of) {}
  bool Linked(uint32_t node, uint32_t a) const;

  const Graph& graph_;
  const AdversaryList& list_;
  const NexusDefinition& def_;
  Date as_of_;
  std::vector<std::string> codes_;  // Adversary codes in scope (bit order).
  std::vector<size_t> list_index_;  // Bit -> index in list_.adversaries.
  std::vector<uint8_t> seeds_;
  std::vector<uint8_t> in_effect_;                      // Per edge.
  std::unordered_map<uint32_t, double> overallocated_;  // Node -> stated sum > 1.
  std::unique_ptr<OwnershipSolver> solver_;
  Solution solution_;
  Links links_;
};

}  // namespace icts::graph

#endif  // ICTS_GRAPH_NEXUS_H_
