// The ownership and control graph: persons and organisations (nodes) with
// ownership edges (a direct share of equity and/or voting interest) and
// control edges (board majority, special share, proxy, contract, direction).
//
// Graphs are assembled with a GraphBuilder from any mix of sources (the CSV
// contract format, GLEIF, BODS, FollowTheMoney, a snapshot's relations).
// Every node and edge remembers where it came from (file:line). Finish()
// validates the whole graph at once and either returns a complete Graph or an
// error listing every problem: nothing is ever loaded half-way.
//
// A Graph is immutable after Finish(); all const methods are thread-safe.
#ifndef ICTS_GRAPH_GRAPH_H_
#define ICTS_GRAPH_GRAPH_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/date.h"
#include "base/status.h"

namespace icts::graph {

inline constexpr uint32_t kNoNode = 0xFFFFFFFFu;
inline constexpr double kUnknownShare = std::numeric_limits<double>::quiet_NaN();

enum class NodeType : uint8_t { kUnknown = 0, kPerson = 1, kOrganization = 2 };

// The role a country plays for a node. The 791.2 prongs read: citizenship,
// nationality and residence (persons); incorporation, headquarters and
// principal place of business (organisations); kGovernment marks the node as
// the government or state of that country itself. kPermanentResidence is
// only read for the U.S.-person carve-out. kOther (an address, or a country
// the source gives with no role) proves no prong and is reported as unknown
// when it names an adversary.
enum class CountryRole : uint8_t {
  kOther = 0,
  kIncorporation = 1,
  kHeadquarters = 2,
  kPrincipalPlace = 3,
  kCitizenship = 4,
  kNationality = 5,
  kResidence = 6,
  kPermanentResidence = 7,
  kGovernment = 8,
};

// Control that does not follow shares. kNone marks a pure ownership edge.
// kUnspecified is control a source states without saying how (a snapshot's
// "control" relation, a GLEIF accounting-consolidation parent).
enum class ControlKind : uint8_t {
  kNone = 0,
  kBoardMajority = 1,
  kSpecialShare = 2,
  kProxy = 3,
  kContract = 4,
  kDirection = 5,
  kUnspecified = 6,
};

// Ownership and control edges take part in the computation; directorships
// are kept as evidence of ties only.
enum class EdgeKind : uint8_t { kOwnership = 0, kControl = 1, kDirectorship = 2 };

std::string_view NodeTypeName(NodeType t);
std::string_view CountryRoleName(CountryRole r);
std::string_view ControlKindName(ControlKind k);
std::string_view EdgeKindName(EdgeKind k);
std::optional<NodeType> ParseNodeType(std::string_view s);
std::optional<CountryRole> ParseCountryRole(std::string_view s);
// The contract names: board-majority, special-share, proxy, contract,
// direction ("control" gives kUnspecified).
std::optional<ControlKind> ParseControlKind(std::string_view s);

// Where a node or edge was read: file and 1-based line (0 when the source has
// no lines, e.g. a snapshot).
struct Origin {
  std::string file;
  uint64_t line = 0;
  std::string ToString() const;  // "file:line" or "file".
};

struct NodeCountry {
  std::string code;  // ISO 3166-1 alpha-2 upper case, or an adversary code
                     // such as "VE-MADURO".
  CountryRole role = CountryRole::kOther;
  Origin origin;
};

struct Node {
  std::string id;
  std::string name;
  NodeType type = NodeType::kUnknown;
  std::vector<NodeCountry> countries;
  std::string lei;  // When known.
  // A source says the node's parent or owner exists but is not disclosed
  // (GLEIF reporting exception, BODS unknown person); the text says why.
  std::string parent_unknown;
  Origin origin;
};

struct Edge {
  uint32_t owner = kNoNode;  // Owner or controller.
  uint32_t owned = kNoNode;  // Asset / controlled organisation.
  EdgeKind kind = EdgeKind::kOwnership;
  double share = kUnknownShare;      // 0..1; NaN when not stated.
  double share_max = kUnknownShare;  // Upper end of a stated range, else NaN.
  ControlKind control = ControlKind::kNone;
  std::optional<Date> start;  // In effect from this day (inclusive).
  std::optional<Date> end;    // Up to this day (inclusive).
  std::string role;           // The source's wording ("parent", "director").
  Origin origin;

  bool share_known() const { return !std::isnan(share); }
  bool InEffect(std::optional<Date> as_of) const;
};

// A problem found while loading or validating, with its location.
struct Issue {
  enum class Severity : uint8_t { kWarning = 0, kError = 1 };
  Severity severity = Severity::kError;
  Origin origin;
  std::string message;
  std::string ToString() const;  // "file:line: message".
};

class Graph {
 public:
  size_t node_count() const { return nodes_.size(); }
  size_t edge_count() const { return edges_.size(); }
  const Node& node(uint32_t i) const { return nodes_[i]; }
  const Edge& edge(uint32_t i) const { return edges_[i]; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Edge>& edges() const { return edges_; }

  // Exact id, then LEI.
  std::optional<uint32_t> Find(std::string_view id_or_lei) const;
  // Edge indexes into / out of a node.
  const std::vector<uint32_t>& EdgesInto(uint32_t node) const { return in_[node]; }
  const std::vector<uint32_t>& EdgesFrom(uint32_t node) const { return out_[node]; }
  // Warnings kept by Finish() (duplicates dropped, unresolved references
  // turned into placeholder nodes, ...).
  const std::vector<Issue>& warnings() const { return warnings_; }

 private:
  friend class GraphBuilder;
  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::vector<std::vector<uint32_t>> in_, out_;
  std::unordered_map<std::string, uint32_t> by_id_, by_lei_;
  std::vector<Issue> warnings_;
};

// Collects nodes and edges (by node id), then validates and freezes them.
// Not thread-safe.
class GraphBuilder {
 public:
  // How references to ids that no node defines are treated: the CSV contract
  // requires every id to be defined (an error); registers such as GLEIF
  // legitimately point at records outside the file, which become placeholder
  // nodes of unknown type with a warning.
  enum class Dangling : uint8_t { kError = 0, kPlaceholder = 1 };

  // Adds a node. A second node with the same id merges into the first (its
  // name fills a missing name, its countries are added) when
  // `merge_duplicates`; otherwise it is an error naming both lines.
  void AddNode(Node node, bool merge_duplicates = false);
  // Adds an edge between node ids (they may be defined later).
  void AddEdge(std::string owner_id, std::string owned_id, Edge edge, Dangling dangling);
  // Records a loader problem (an error makes Finish() fail).
  void AddIssue(Issue issue);
  // True when an error was recorded so far.
  bool has_errors() const;

  // Validates: dangling references, self-ownership, duplicate edges (an
  // identical repeat is dropped with a warning; a repeat with a different
  // share is an error), shares outside [0, 1], one asset's known shares
  // adding up to more than 100% (an error when an edge into the asset came
  // with Dangling::kError, i.e. from the strict CSV format; a warning for
  // register data, whose history often overlaps). On any error returns INVALID_ARGUMENT whose
  // message lists the errors ("file:line: ...", at most kMaxListedIssues).
  Result<Graph> Finish();

  static constexpr size_t kMaxListedIssues = 50;
  // Shares of one asset may exceed 1 by this much (rounding in sources).
  static constexpr double kShareSumTolerance = 1e-6;

 private:
  struct PendingEdge {
    std::string owner_id, owned_id;
    Edge edge;
    Dangling dangling;
  };
  std::vector<Node> nodes_;
  std::unordered_map<std::string, uint32_t> by_id_;
  std::vector<PendingEdge> edges_;
  std::vector<Issue> issues_;
};

// Parses a share: a fraction "0.56", or a percent with the sign "56%"
// (0..100%). Fractions must lie in [0, 1] and percents in [0%, 100%]; a bare
// number above 1 is refused (it is ambiguous). Empty text gives NaN.
// Errors name the text.
Result<double> ParseShare(std::string_view text);

}  // namespace icts::graph

#endif  // ICTS_GRAPH_GRAPH_H_
