#include "graph/graph.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "base/strings.h"

namespace icts::graph {
namespace {

struct RoleName {
  CountryRole role;
  std::string_view name;
};
constexpr RoleName kRoleNames[] = {
    {CountryRole::kOther, "other"},
    {CountryRole::kIncorporation, "incorporation"},
    {CountryRole::kHeadquarters, "headquarters"},
    {CountryRole::kPrincipalPlace, "principal-place"},
    {CountryRole::kCitizenship, "citizenship"},
    {CountryRole::kNationality, "nationality"},
    {CountryRole::kResidence, "residence"},
    {CountryRole::kPermanentResidence, "permanent-residence"},
    {CountryRole::kGovernment, "government"},
};

struct ControlName {
  ControlKind kind;
  std::string_view name;
};
constexpr ControlName kControlNames[] = {
    {ControlKind::kNone, ""},
    {ControlKind::kBoardMajority, "board-majority"},
    {ControlKind::kSpecialShare, "special-share"},
    {ControlKind::kProxy, "proxy"},
    {ControlKind::kContract, "contract"},
    {ControlKind::kDirection, "direction"},
    {ControlKind::kUnspecified, "control"},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view NodeTypeName(NodeType t) {
  switch (t) {
    case NodeType::kPerson:
      return "person";
    case NodeType::kOrganization:
      return "organization";
    case NodeType::kUnknown:
      break;
  }
  return "unknown";
}

std::string_view CountryRoleName(CountryRole r) {
  for (const auto& n : kRoleNames) {
    if (n.role == r) return n.name;
  }
  return "other";
}

std::string_view ControlKindName(ControlKind k) {
  for (const auto& n : kControlNames) {
    if (n.kind == k) return n.name;
  }
  return "";
}

std::string_view EdgeKindName(EdgeKind k) {
  switch (k) {
    case EdgeKind::kOwnership:
      return "ownership";
    case EdgeKind::kControl:
      return "control";
    case EdgeKind::kDirectorship:
      return "directorship";
  }
  return "ownership";
}

std::optional<NodeType> ParseNodeType(std::string_view s) {
  if (s == "person") return NodeType::kPerson;
  if (s == "organization" || s == "organisation") return NodeType::kOrganization;
  return std::nullopt;
}

std::optional<CountryRole> ParseCountryRole(std::string_view s) {
  if (s.empty()) return CountryRole::kOther;
  for (const auto& n : kRoleNames) {
    if (n.name == s) return n.role;
  }
  if (s == "principal-place-of-business") return CountryRole::kPrincipalPlace;
  return std::nullopt;
}

std::optional<ControlKind> ParseControlKind(std::string_view s) {
  for (const auto& n : kControlNames) {
    if (n.name == s) return n.kind;
  }
  return std::nullopt;
}

std::string Origin::ToString() const {
  if (line == 0) return file;
  return fmt::format("{}:{}", file, line);
}

std::string Issue::ToString() const {
  std::string where = origin.ToString();
  if (where.empty()) return message;
  return where + ": " + message;
}

bool Edge::InEffect(std::optional<Date> as_of) const {
  if (!as_of) return true;
  if (start && *as_of < *start) return false;
  if (end && *as_of > *end) return false;
  return true;
}

std::optional<uint32_t> Graph::Find(std::string_view id_or_lei) const {
  std::string key(id_or_lei);
  if (auto it = by_id_.find(key); it != by_id_.end()) return it->second;
  if (auto it = by_lei_.find(ToUpperAscii(key)); it != by_lei_.end()) return it->second;
  return std::nullopt;
}

void GraphBuilder::AddNode(Node node, bool merge_duplicates) {
  auto it = by_id_.find(node.id);
  if (it == by_id_.end()) {
    by_id_.emplace(node.id, static_cast<uint32_t>(nodes_.size()));
    nodes_.push_back(std::move(node));
    return;
  }
  Node& prev = nodes_[it->second];
  if (!merge_duplicates) {
    issues_.push_back(
        {Issue::Severity::kError, node.origin,
         fmt::format("node '{}' is defined twice (first at {})", node.id, prev.origin.ToString())});
    return;
  }
  if (prev.name.empty()) prev.name = std::move(node.name);
  if (prev.type == NodeType::kUnknown) prev.type = node.type;
  if (prev.lei.empty()) prev.lei = std::move(node.lei);
  if (prev.parent_unknown.empty()) prev.parent_unknown = std::move(node.parent_unknown);
  for (NodeCountry& c : node.countries) {
    bool seen = false;
    for (const NodeCountry& p : prev.countries) {
      if (p.code == c.code && p.role == c.role) seen = true;
    }
    if (!seen) prev.countries.push_back(std::move(c));
  }
}

void GraphBuilder::AddEdge(std::string owner_id, std::string owned_id, Edge edge,
                           Dangling dangling) {
  edges_.push_back({std::move(owner_id), std::move(owned_id), std::move(edge), dangling});
}

void GraphBuilder::AddIssue(Issue issue) { issues_.push_back(std::move(issue)); }

bool GraphBuilder::has_errors() const {
  return std::any_of(issues_.begin(), issues_.end(),
                     [](const Issue& i) { return i.severity == Issue::Severity::kError; });
}

Result<Graph> GraphBuilder::Finish() {
  Graph g;
  auto error = [&](const Origin& o, std::string m) {
    issues_.push_back({Issue::Severity::kError, o, std::move(m)});
  };
  auto warn = [&](const Origin& o, std::string m) {
    issues_.push_back({Issue::Severity::kWarning, o, std::move(m)});
  };
  auto resolve = [&](const std::string& id, const PendingEdge& pe) -> uint32_t {
    if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
    if (pe.dangling == Dangling::kError) {
      error(pe.edge.origin, fmt::format("edge refers to node '{}', which no node defines", id));
      return kNoNode;
    }
    warn(pe.edge.origin,
         fmt::format("node '{}' is not defined in the input; kept as a placeholder", id));
    Node n;
    n.id = id;
    n.origin = pe.edge.origin;
    by_id_.emplace(id, static_cast<uint32_t>(nodes_.size()));
    nodes_.push_back(std::move(n));
    return static_cast<uint32_t>(nodes_.size() - 1);
  };

  // (owner, owned, kind, control) -> edge index, for duplicates.
  std::map<std::tuple<uint32_t, uint32_t, int, int>, uint32_t> seen;
  for (PendingEdge& pe : edges_) {
    Edge& e = pe.edge;
    e.owner = resolve(pe.owner_id, pe);
    e.owned = resolve(pe.owned_id, pe);
    if (e.owner == kNoNode || e.owned == kNoNode) continue;
    if (e.owner == e.owned && e.kind != EdgeKind::kDirectorship) {
      error(e.origin, fmt::format("'{}' cannot own or control itself", pe.owner_id));
      continue;
    }
    if (e.share_known() && (e.share < 0 || e.share > 1)) {
      error(e.origin, fmt::format("share {} of '{}' in '{}' is outside [0, 1]", e.share,
                                  pe.owner_id, pe.owned_id));
      continue;
    }
    if (e.start && e.end && *e.end < *e.start) {
      error(e.origin, fmt::format("edge '{}' -> '{}' ends ({}) before it starts ({})", pe.owner_id,
                                  pe.owned_id, e.end->ToIso(), e.start->ToIso()));
      continue;
    }
    auto key =
        std::make_tuple(e.owner, e.owned, static_cast<int>(e.kind), static_cast<int>(e.control));
    auto [it, inserted] = seen.emplace(key, static_cast<uint32_t>(g.edges_.size()));
    if (!inserted) {
      const Edge& first = g.edges_[it->second];
      bool same = (first.share == e.share) || (!first.share_known() && !e.share_known());
      if (same && first.start == e.start && first.end == e.end) {
        warn(e.origin, fmt::format("duplicate edge '{}' -> '{}' (first at {}); ignored",
                                   pe.owner_id, pe.owned_id, first.origin.ToString()));
      } else if (first.start != e.start || first.end != e.end) {
        // The same pair over different periods is history, not a duplicate.
        g.edges_.push_back(std::move(e));
      } else {
        error(e.origin, fmt::format("edge '{}' -> '{}' repeats {} with a different share",
                                    pe.owner_id, pe.owned_id, first.origin.ToString()));
      }
      continue;
    }
    g.edges_.push_back(std::move(e));
  }

  g.nodes_ = std::move(nodes_);
  g.by_id_ = std::move(by_id_);
  g.in_.assign(g.nodes_.size(), {});
  g.out_.assign(g.nodes_.size(), {});
  for (uint32_t i = 0; i < g.edges_.size(); ++i) {
    g.in_[g.edges_[i].owned].push_back(i);
    g.out_[g.edges_[i].owner].push_back(i);
  }
  for (uint32_t i = 0; i < g.nodes_.size(); ++i) {
    if (!g.nodes_[i].lei.empty()) g.by_lei_.emplace(ToUpperAscii(g.nodes_[i].lei), i);
  }

  // Assets with an edge from a strict source (the CSV contract) must not have
  // known shares over 100%; for register data it is a warning.
  std::vector<uint8_t> strict_sum(g.nodes_.size(), 0);
  for (const PendingEdge& pe : edges_) {
    if (pe.dangling == Dangling::kError && pe.edge.owned != kNoNode) strict_sum[pe.edge.owned] = 1;
  }
  // Known ownership shares of one asset must not add up to more than 100%.
  // Edges over different periods are summed per period start only when they
  // overlap; the simple check below sums edges in effect on each edge's
  // start day.
  for (uint32_t v = 0; v < g.nodes_.size(); ++v) {
    std::vector<const Edge*> own;
    for (uint32_t ei : g.in_[v]) {
      const Edge& e = g.edges_[ei];
      if (e.kind == EdgeKind::kOwnership && e.share_known()) own.push_back(&e);
    }
    if (own.size() < 2) continue;
    std::vector<std::optional<Date>> probes;
    probes.push_back(std::nullopt);
    for (const Edge* e : own) {
      if (e->start) probes.push_back(e->start);
    }
    for (const auto& probe : probes) {
      double sum = 0;
      for (const Edge* e : own) {
        if (!probe || e->InEffect(probe)) sum += e->share;
      }
      bool has_dates =
          std::any_of(own.begin(), own.end(), [](const Edge* e) { return e->start || e->end; });
      if (!probe && has_dates) continue;
      if (sum > 1 + kShareSumTolerance && !strict_sum[v]) {
        warn(own.front()->origin,
             fmt::format("the known shares of '{}' add up to {:.6g}%, more than 100%{}; they "
                         "are scaled down to 100% in the computation and reported as unknown",
                         g.nodes_[v].id, sum * 100,
                         probe ? " on " + probe->ToIso() : std::string()));
        break;
      }
      if (sum > 1 + kShareSumTolerance) {
        error(own.front()->origin,
              fmt::format("the known shares of '{}' add up to {:.6g}%, more than 100%{}",
                          g.nodes_[v].id, sum * 100,
                          probe ? " on " + probe->ToIso() : std::string()));
        break;
      }
    }
  }

  std::string errors;
  size_t n_errors = 0;
  for (Issue& i : issues_) {
    if (i.severity == Issue::Severity::kError) {
      if (n_errors < kMaxListedIssues) {
        if (!errors.empty()) errors += "\n";
        errors += i.ToString();
      }
      ++n_errors;
    } else {
      g.warnings_.push_back(std::move(i));
    }
  }
  if (n_errors > 0) {
    if (n_errors > kMaxListedIssues) {
      errors += fmt::format("\n... and {} more errors", n_errors - kMaxListedIssues);
    }
    return InvalidArgumentError(errors);
  }
  return g;
}

Result<double> ParseShare(std::string_view text) {
  std::string_view t = Trim(text);
  if (t.empty()) return kUnknownShare;
  bool percent = false;
  if (t.back() == '%') {
    percent = true;
    t.remove_suffix(1);
    t = Trim(t);
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v) || t.empty()) {
    return InvalidArgumentError(fmt::format("share '{}' is not a number (give 0.56 or 56%)", text));
  }
  if (percent) {
    if (v < 0 || v > 100) {
      return InvalidArgumentError(fmt::format("share '{}' is outside 0%..100%", text));
    }
    return v / 100.0;
  }
  if (v < 0 || v > 1) {
    return InvalidArgumentError(fmt::format(
        "share '{}' is outside [0, 1] (write a percent with the sign, e.g. 56%)", text));
  }
  return v;
}

}  // namespace icts::graph
