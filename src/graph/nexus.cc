#include "graph/nexus.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <string>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

namespace icts::graph {
namespace {

constexpr size_t kMaxUpstreamNodes = 10000;
constexpr size_t kMaxPathSteps = 200000;

bool IsOrgRole(CountryRole r) {
  return r == CountryRole::kIncorporation || r == CountryRole::kHeadquarters ||
         r == CountryRole::kPrincipalPlace;
}
bool IsPersonRole(CountryRole r) {
  return r == CountryRole::kCitizenship || r == CountryRole::kNationality ||
         r == CountryRole::kResidence;
}

bool IsUsPerson(const Node& n) {
  for (const NodeCountry& c : n.countries) {
    if (c.code == "US" &&
        (c.role == CountryRole::kCitizenship || c.role == CountryRole::kNationality ||
         c.role == CountryRole::kPermanentResidence)) {
      return true;
    }
  }
  return false;
}

std::string Percent(double share) {
  std::string s = fmt::format("{:.4f}", share * 100);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + "%";
}

std::string RoleVerb(CountryRole r) {
  switch (r) {
    case CountryRole::kIncorporation:
      return "incorporated in";
    case CountryRole::kHeadquarters:
      return "headquartered in";
    case CountryRole::kPrincipalPlace:
      return "has its principal place of business in";
    case CountryRole::kCitizenship:
      return "is a citizen of";
    case CountryRole::kNationality:
      return "is a national of";
    case CountryRole::kResidence:
      return "is a resident of";
    case CountryRole::kGovernment:
      return "is the government or state of";
    default:
      return "is tied to";
  }
}

}  // namespace

Result<std::unique_ptr<Analysis>> Analysis::Run(const Graph& graph, const AdversaryList& list,
                                                const NexusDefinition& def, Date as_of,
                                                const SolveOptions& options) {
  std::unique_ptr<Analysis> an(new Analysis(graph, list, def, as_of));
  // Adversaries in scope, in list order.
  for (const std::string& code : def.adversaries) {
    bool found = false;
    for (const Adversary& a : list.adversaries) found = found || a.code == code;
    if (!found) {
      return InvalidArgumentError(
          fmt::format("{}: adversary '{}' is not in the list {}", def.file, code, list.file));
    }
  }
  for (size_t i = 0; i < list.adversaries.size(); ++i) {
    const std::string& code = list.adversaries[i].code;
    if (!def.adversaries.empty() &&
        std::find(def.adversaries.begin(), def.adversaries.end(), code) == def.adversaries.end()) {
      continue;
    }
    if (an->codes_.size() == kMaxAdversaries) {
      return InvalidArgumentError(fmt::format("more than {} adversaries", kMaxAdversaries));
    }
    an->codes_.push_back(code);
    an->list_index_.push_back(i);
  }
  const uint32_t k = static_cast<uint32_t>(an->codes_.size());
  auto bit_of = [&](size_t list_index) -> int {
    for (uint32_t b = 0; b < k; ++b) {
      if (an->list_index_[b] == list_index) return static_cast<int>(b);
    }
    return -1;
  };

  // Seeds: persons and organisations of an adversary under the enabled prongs.
  const uint32_t n = static_cast<uint32_t>(graph.node_count());
  an->seeds_.assign(n, 0);
  for (uint32_t v = 0; v < n; ++v) {
    const Node& node = graph.node(v);
    bool us_person = def.us_person_carveout && IsUsPerson(node);
    for (const NodeCountry& c : node.countries) {
      bool counts = c.role == CountryRole::kGovernment || (def.organization && IsOrgRole(c.role)) ||
                    (def.citizenship && IsPersonRole(c.role) && !us_person);
      if (!counts) continue;
      auto li = list.Match(c.code, as_of);
      if (!li) continue;
      int b = bit_of(*li);
      if (b >= 0) an->seeds_[v] |= static_cast<uint8_t>(1u << b);
    }
  }

  // Edges in effect.
  std::vector<SolverEdge> edges;
  an->in_effect_.assign(graph.edge_count(), 0);
  for (uint32_t i = 0; i < graph.edge_count(); ++i) {
    const Edge& e = graph.edge(i);
    if (!e.InEffect(as_of) || e.kind == EdgeKind::kDirectorship) continue;
    an->in_effect_[i] = 1;
    SolverEdge se;
    se.owner = e.owner;
    se.owned = e.owned;
    se.share = e.kind == EdgeKind::kOwnership ? (e.share_known() ? e.share : 0.0) : 0.0;
    se.control = e.kind == EdgeKind::kControl ? static_cast<uint8_t>(e.control) : 0;
    if (e.kind == EdgeKind::kControl && se.control == 0) {
      se.control = static_cast<uint8_t>(ControlKind::kUnspecified);
    }
    edges.push_back(se);
  }
  // Register data may over-allocate an asset (overlapping history): scale
  // its shares down to 100% so the system stays well-posed, and say so.
  std::vector<double> in_sum(n, 0.0);
  for (const SolverEdge& se : edges) {
    if (se.control == 0) in_sum[se.owned] += se.share;
  }
  for (SolverEdge& se : edges) {
    if (se.control == 0 && in_sum[se.owned] > 1 + GraphBuilder::kShareSumTolerance) {
      se.share /= in_sum[se.owned];
    }
  }
  for (uint32_t v = 0; v < n; ++v) {
    if (in_sum[v] > 1 + GraphBuilder::kShareSumTolerance) an->overallocated_.emplace(v, in_sum[v]);
  }
  an->solver_ = std::make_unique<OwnershipSolver>(n, edges);
  an->solution_ = an->solver_->Solve(an->seeds_, k, options);
  LinkOptions lo;
  lo.majority = def.majority ? *def.majority : std::nan("");
  for (ControlKind ck : def.control_holds) lo.control_kinds |= 1u << static_cast<uint32_t>(ck);
  if (def.agency) lo.control_kinds |= 1u << static_cast<uint32_t>(ControlKind::kDirection);
  an->links_ = an->solver_->Link(an->seeds_, k, lo);
  return an;
}

bool Analysis::Linked(uint32_t node, uint32_t a) const {
  uint8_t m = seeds_[node] | links_.controlled[node] | links_.directed[node];
  return (m >> a) & 1;
}

OwnersResult Analysis::Explain(uint32_t t, const ExplainOptions& options) const {
  OwnersResult r;
  const Node& target = graph_.node(t);
  r.id = target.id;
  r.name = target.name;
  r.type = std::string(NodeTypeName(target.type));
  r.as_of = as_of_.ToIso();
  r.definition = def_.id;
  const uint32_t k = static_cast<uint32_t>(codes_.size());
  auto id_of = [&](uint32_t v) { return graph_.node(v).id; };
  auto adversary_citation = [&](uint32_t a, std::string_view country) {
    const Adversary& adv = list_.adversaries[list_index_[a]];
    const Jurisdiction* j = list_.MatchJurisdiction(country, as_of_);
    if (j && !j->citation.text.empty()) return j->citation;
    return adv.citation;
  };
  auto bit_of_country = [&](std::string_view code) -> int {
    auto li = list_.Match(code, as_of_);
    if (!li) return -1;
    for (uint32_t b = 0; b < k; ++b) {
      if (list_index_[b] == *li) return static_cast<int>(b);
    }
    return -1;
  };
  auto add_unknown = [&](Unknown u) {
    if (r.unknowns.size() < options.max_unknowns) r.unknowns.push_back(std::move(u));
  };

  // 1. Prongs read from the entity's own countries.
  bool us_person = def_.us_person_carveout && IsUsPerson(target);
  for (const NodeCountry& c : target.countries) {
    int b = bit_of_country(c.code);
    if (b < 0) continue;
    const std::string& code = codes_[b];
    std::string where = c.origin.ToString();
    std::string evidence = fmt::format("{} {} {} ({})", target.id, RoleVerb(c.role), c.code,
                                       where.empty() ? "input" : where);
    if (c.role == CountryRole::kGovernment) {
      r.nexus.push_back(
          {code, Prong::kIsAdversary, evidence, {target.id}, -1, adversary_citation(b, c.code)});
    } else if (IsOrgRole(c.role) && def_.organization) {
      r.nexus.push_back(
          {code, Prong::kOrganization, evidence, {target.id}, -1, def_.organization_citation});
    } else if (IsPersonRole(c.role) && def_.citizenship) {
      if (us_person) {
        r.review.push_back({code,
                            Prong::kCitizenship,
                            evidence + "; also a U.S. citizen or permanent resident, so the "
                                       "carve-out applies (check the facts)",
                            {target.id},
                            -1,
                            def_.citizenship_citation});
      } else {
        r.nexus.push_back(
            {code, Prong::kCitizenship, evidence, {target.id}, -1, def_.citizenship_citation});
      }
    } else if (c.role == CountryRole::kOther) {
      add_unknown({"country-role-unknown", target.id,
                   fmt::format("country {} ({}) is given without a role; whether {} is "
                               "organised, headquartered, a citizen or a resident there is "
                               "not known",
                               c.code, code, target.id),
                   where});
    }
  }

  // 2. Effective shares.
  for (uint32_t a = 0; a < k; ++a) {
    double s = solution_.Share(t, a);
    if (s > 0) r.adversary_shares.emplace_back(codes_[a], s);
  }

  // 3. Explaining paths: simple paths from adversary persons down to t.
  {
    std::vector<OwnershipPath> found;
    std::vector<double> sums(k, 0.0);
    std::vector<uint32_t> stack_nodes{t};
    std::vector<double> stack_shares;
    size_t steps = 0;
    bool truncated = false;
    std::function<void(uint32_t, double, uint32_t)> dfs = [&](uint32_t v, double product,
                                                              uint32_t a) {
      for (uint32_t ei : graph_.EdgesInto(v)) {
        if (!in_effect_[ei]) continue;
        const Edge& e = graph_.edge(ei);
        if (e.kind != EdgeKind::kOwnership || !e.share_known() || e.share <= 0) continue;
        if (++steps > kMaxPathSteps) {
          truncated = true;
          return;
        }
        uint32_t u = e.owner;
        if (std::find(stack_nodes.begin(), stack_nodes.end(), u) != stack_nodes.end()) {
          continue;  // Around a ring: the share is in x, the path is not simple.
        }
        double p = product * e.share;
        if (p < options.min_path_share) {
          truncated = true;
          continue;
        }
        stack_nodes.push_back(u);
        stack_shares.push_back(e.share);
        if ((seeds_[u] >> a) & 1) {
          OwnershipPath path;
          path.adversary = codes_[a];
          path.share = p;
          for (auto it = stack_nodes.rbegin(); it != stack_nodes.rend(); ++it) {
            path.via.push_back(id_of(*it));
          }
          path.shares.assign(stack_shares.rbegin(), stack_shares.rend());
          sums[a] += p;
          found.push_back(std::move(path));
        } else if (stack_nodes.size() <= options.max_path_length) {
          dfs(u, p, a);
        } else {
          truncated = true;
        }
        stack_nodes.pop_back();
        stack_shares.pop_back();
      }
    };
    for (uint32_t a = 0; a < k; ++a) {
      if (solution_.Share(t, a) <= 0) continue;
      dfs(t, 1.0, a);
      if (std::fabs(sums[a] - solution_.Share(t, a)) > 1e-9) r.paths_complete = false;
    }
    std::stable_sort(
        found.begin(), found.end(),
        [](const OwnershipPath& x, const OwnershipPath& y) { return x.share > y.share; });
    if (found.size() > options.max_paths) {
      found.resize(options.max_paths);
      truncated = true;
    }
    if (truncated) r.paths_complete = false;
    r.paths = std::move(found);
  }

  // 4. Control chains and direction.
  auto counted = [&](ControlKind ck) {
    return std::find(def_.control_holds.begin(), def_.control_holds.end(), ck) !=
           def_.control_holds.end();
  };
  auto chain_for = [&](uint32_t a, bool direction) {
    ControlChain ch;
    ch.adversary = codes_[a];
    ch.holds = true;
    std::vector<uint32_t> nodes{t};
    std::vector<std::string> how;
    uint32_t v = t;
    bool first = true;
    for (size_t guard = 0; guard < graph_.node_count(); ++guard) {
      if (!first && ((seeds_[v] >> a) & 1)) break;
      uint32_t next = kNoNode;
      std::string step;
      // A control edge of a counted kind (or direction, for the first step
      // of an agency chain) from a linked node.
      for (uint32_t ei : graph_.EdgesInto(v)) {
        if (!in_effect_[ei]) continue;
        const Edge& e = graph_.edge(ei);
        if (e.kind != EdgeKind::kControl || !Linked(e.owner, a)) continue;
        bool is_dir = e.control == ControlKind::kDirection;
        if (first && direction != is_dir) continue;
        if (!is_dir && !counted(e.control)) continue;
        if (is_dir && !def_.agency) continue;
        if (std::find(nodes.begin(), nodes.end(), e.owner) != nodes.end()) continue;
        next = e.owner;
        step = std::string(ControlKindName(e.control));
        if (!e.origin.file.empty()) step += " (" + e.origin.ToString() + ")";
        break;
      }
      if (next == kNoNode && !(first && direction) && def_.majority) {
        double total = 0, top = 0;
        uint32_t arg = kNoNode;
        std::string origin;
        for (uint32_t ei : graph_.EdgesInto(v)) {
          if (!in_effect_[ei]) continue;
          const Edge& e = graph_.edge(ei);
          if (e.kind != EdgeKind::kOwnership || !e.share_known() || !Linked(e.owner, a)) {
            continue;
          }
          total += e.share;
          if (e.share > top && std::find(nodes.begin(), nodes.end(), e.owner) == nodes.end()) {
            top = e.share;
            arg = e.owner;
            origin = e.origin.ToString();
          }
        }
        if (total > *def_.majority && arg != kNoNode) {
          next = arg;
          step = total > top + 1e-12 ? fmt::format("holds {} ({} with other linked holders)",
                                                   Percent(top), Percent(total))
                                     : fmt::format("holds {}", Percent(top));
          if (!origin.empty()) step += " (" + origin + ")";
        }
      }
      if (next == kNoNode) break;
      nodes.push_back(next);
      how.push_back(step);
      v = next;
      first = false;
    }
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) ch.via.push_back(id_of(*it));
    ch.how.assign(how.rbegin(), how.rend());
    return ch;
  };
  auto chain_text = [&](const ControlChain& ch) {
    std::string s;
    for (size_t i = 0; i < ch.via.size(); ++i) {
      if (i > 0) s += fmt::format(" -[{}]-> ", ch.how[i - 1]);
      s += ch.via[i];
    }
    return s;
  };

  for (uint32_t a = 0; a < k; ++a) {
    bool own_prong_found = false;
    if (def_.agency && ((links_.directed[t] >> a) & 1)) {
      ControlChain ch = chain_for(a, true);
      r.nexus.push_back({codes_[a], Prong::kAgency,
                         "acts at the direction of an adversary-linked party: " + chain_text(ch),
                         ch.via, -1, def_.agency_citation});
      r.control.push_back(std::move(ch));
    }
    if (def_.ownership && ((links_.controlled[t] >> a) & 1)) {
      ControlChain ch = chain_for(a, false);
      r.nexus.push_back({codes_[a], Prong::kOwnershipControl,
                         "controlled through " + chain_text(ch), ch.via, solution_.Share(t, a),
                         def_.ownership_citation});
      r.control.push_back(std::move(ch));
      own_prong_found = true;
    }
    // Control edges of kinds that do not prove control under this definition.
    for (uint32_t ei : graph_.EdgesInto(t)) {
      if (!in_effect_[ei]) continue;
      const Edge& e = graph_.edge(ei);
      if (e.kind != EdgeKind::kControl || e.control == ControlKind::kDirection) continue;
      if (counted(e.control) || !Linked(e.owner, a)) continue;
      ControlChain ch;
      ch.adversary = codes_[a];
      ch.via = {id_of(e.owner), target.id};
      ch.how = {std::string(ControlKindName(e.control))};
      ch.holds = false;
      if (def_.ownership) {
        r.review.push_back({codes_[a], Prong::kOwnershipControl,
                            fmt::format("{} has {} over {} ({}); whether that is control under "
                                        "this definition is not settled",
                                        id_of(e.owner), ControlKindName(e.control), target.id,
                                        e.origin.ToString()),
                            ch.via, -1, def_.ownership_citation});
      }
      r.control.push_back(std::move(ch));
    }
    if (!def_.ownership || own_prong_found) continue;
    double s = solution_.Share(t, a);
    if (s <= 0) continue;
    std::vector<std::string> best_via;
    for (const OwnershipPath& p : r.paths) {
      if (p.adversary == codes_[a]) {
        best_via = p.via;
        break;
      }
    }
    std::string evidence =
        fmt::format("effective share held by {} persons: {}", codes_[a], Percent(s));
    if (!best_via.empty()) {
      std::string chain;
      for (size_t i = 0; i < best_via.size(); ++i) chain += (i ? " -> " : "") + best_via[i];
      evidence += "; largest path " + chain;
    }
    if (def_.majority && s > *def_.majority) {
      r.nexus.push_back({codes_[a], Prong::kOwnershipControl,
                         evidence + fmt::format(" (more than {})", Percent(*def_.majority)),
                         best_via, s, def_.ownership_citation});
    } else if (!def_.majority) {
      std::string reported =
          def_.reported_threshold
              ? fmt::format(
                    "; a threshold of {} is reported [{}] but not verified, so it is "
                    "not applied",
                    Percent(*def_.reported_threshold), def_.threshold_citation.verification)
              : "";
      r.review.push_back(
          {codes_[a], Prong::kOwnershipControl,
           evidence + "; the ownership threshold of this definition is unknown" + reported,
           best_via, s, def_.ownership_citation});
      add_unknown(
          {"threshold-unverified", target.id,
           fmt::format("{}: the ownership threshold is not verified{}", def_.id,
                       def_.reported_threshold
                           ? fmt::format(" (reported: {})", Percent(*def_.reported_threshold))
                           : ""),
           def_.file});
    } else if (s >= def_.review_from) {
      r.review.push_back({codes_[a], Prong::kOwnershipControl,
                          evidence + fmt::format("; a minority stake of at least {} may be a "
                                                 "dominant minority (no number in the rule)",
                                                 Percent(def_.review_from)),
                          best_via, s, def_.ownership_citation});
    }
  }

  // 5. Unknowns upstream: missing shares, undisclosed parents, undescribed
  // nodes, countries without a role.
  {
    std::unordered_set<uint32_t> seen{t};
    std::deque<uint32_t> queue{t};
    bool capped = false;
    while (!queue.empty()) {
      uint32_t v = queue.front();
      queue.pop_front();
      const Node& node = graph_.node(v);
      if (!node.parent_unknown.empty()) {
        add_unknown({"parent-unknown", node.id, node.parent_unknown, node.origin.ToString()});
      }
      if (auto it = overallocated_.find(v); it != overallocated_.end()) {
        add_unknown({"shares-over-100", node.id,
                     fmt::format("the stated shares of {} add up to {} on {}; they were scaled "
                                 "down to 100%",
                                 node.id, Percent(it->second), as_of_.ToIso()),
                     node.origin.ToString()});
      }
      if (v != t) {
        for (const NodeCountry& c : node.countries) {
          if (c.role == CountryRole::kOther && bit_of_country(c.code) >= 0) {
            add_unknown(
                {"country-role-unknown", node.id,
                 fmt::format("country {} of owner {} is given without a role", c.code, node.id),
                 c.origin.ToString()});
          }
        }
        if (node.type == NodeType::kUnknown && node.countries.empty() &&
            graph_.EdgesInto(v).empty() && node.parent_unknown.empty()) {
          add_unknown({"undescribed-node", node.id,
                       fmt::format("{} is referenced but nothing is known about it (country, "
                                   "owners)",
                                   node.id),
                       node.origin.ToString()});
        }
      }
      if (seeds_[v] && v != t) continue;  // An adversary person: above it does not matter.
      for (uint32_t ei : graph_.EdgesInto(v)) {
        if (!in_effect_[ei]) continue;
        const Edge& e = graph_.edge(ei);
        if (e.kind == EdgeKind::kOwnership && !e.share_known()) {
          add_unknown({"missing-share", node.id,
                       fmt::format("{} owns part of {}, share not stated{}", id_of(e.owner),
                                   node.id, e.role.empty() ? "" : " (" + e.role + ")"),
                       e.origin.ToString()});
        } else if (e.kind == EdgeKind::kOwnership && !std::isnan(e.share_max) &&
                   e.share_max > e.share) {
          add_unknown({"share-range", node.id,
                       fmt::format("{} holds between {} and {} of {}; the lower bound is used",
                                   id_of(e.owner), Percent(e.share), Percent(e.share_max), node.id),
                       e.origin.ToString()});
        }
        if (seen.insert(e.owner).second) {
          if (seen.size() > kMaxUpstreamNodes) {
            capped = true;
            break;
          }
          queue.push_back(e.owner);
        }
      }
      if (capped) break;
    }
    if (capped) {
      add_unknown({"upstream-truncated", target.id,
                   fmt::format("more than {} owners upstream; unknowns further up are not listed",
                               kMaxUpstreamNodes),
                   ""});
    }
  }
  // The entity's own ownership: none known, or not all of it.
  if (target.type != NodeType::kPerson && !seeds_[t] && target.parent_unknown.empty()) {
    double known = 0;
    bool any = false, any_ownership = false, any_unknown_share = false;
    for (uint32_t ei : graph_.EdgesInto(t)) {
      if (!in_effect_[ei]) continue;
      const Edge& e = graph_.edge(ei);
      if (e.kind == EdgeKind::kDirectorship) continue;
      any = true;
      if (e.kind == EdgeKind::kOwnership) {
        any_ownership = true;
        if (e.share_known()) {
          known += e.share;
        } else {
          any_unknown_share = true;
        }
      }
    }
    if (!any) {
      add_unknown({"no-ownership-data", target.id,
                   fmt::format("no owner or controller of {} is known", target.id),
                   target.origin.ToString()});
    } else if (!any_ownership) {
      add_unknown({"no-ownership-data", target.id,
                   fmt::format("no owner of {} is known (only controllers)", target.id),
                   target.origin.ToString()});
    } else if (!any_unknown_share && known < 1 - 1e-9) {
      add_unknown({"unaccounted-ownership", target.id,
                   fmt::format("the known owners of {} hold {}; who holds the other {} is not "
                               "known",
                               target.id, Percent(known), Percent(1 - known)),
                   target.origin.ToString()});
    }
  }
  if (!solution_.unconverged.empty()) {
    add_unknown({"not-converged", target.id,
                 fmt::format("{} ring(s) of cross-holdings did not converge; shares are lower "
                             "bounds",
                             solution_.unconverged.size()),
                 ""});
  }

  if (!r.nexus.empty()) {
    r.outcome = "holds";
  } else if (!r.review.empty() || !r.unknowns.empty()) {
    r.outcome = "needs-review";
  } else {
    r.outcome = "none-found";
  }
  return r;
}

}  // namespace icts::graph
