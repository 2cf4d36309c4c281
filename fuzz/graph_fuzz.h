// Shared body of the ownership-graph fuzz targets: load arbitrary bytes with
// one graph loader, and when the graph is accepted check its invariants and
// run the whole analysis on it (effective shares must stay in [0, 1]).
#ifndef ICTS_FUZZ_GRAPH_FUZZ_H_
#define ICTS_FUZZ_GRAPH_FUZZ_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "graph/graph.h"
#include "graph/loaders.h"
#include "graph/nexus.h"
#include "graph/rules.h"

namespace icts::fuzz {

inline void CheckGraph(bool condition) {
  if (!condition) std::abort();
}

inline void CheckAndAnalyse(const graph::Graph& g) {
  for (const graph::Edge& e : g.edges()) {
    CheckGraph(e.owner < g.node_count() && e.owned < g.node_count());
    CheckGraph(e.owner != e.owned || e.kind == graph::EdgeKind::kDirectorship);
    CheckGraph(!e.share_known() || (e.share >= 0 && e.share <= 1));
  }
  static const graph::AdversaryList list =
      *graph::ParseAdversaryList(graph::EmbeddedRule("foreign-adversaries"), "fa.yaml");
  static const graph::NexusDefinition def =
      *graph::ParseNexusDefinition(graph::EmbeddedRule("nexus/subpart-ab"), "ab.yaml");
  auto an = graph::Analysis::Run(g, list, def, *Date::ParseIso("2025-06-01"));
  CheckGraph(an.ok());
  for (uint32_t v = 0; v < g.node_count() && v < 64; ++v) {
    graph::OwnersResult r = (*an)->Explain(v);
    for (const auto& [code, s] : r.adversary_shares) CheckGraph(s > 0 && s <= 1 + 1e-9);
    for (const auto& p : r.paths) CheckGraph(p.via.size() == p.shares.size() + 1);
  }
}

using GraphLoaderFn = Status (*)(const refdata::Input&, graph::GraphBuilder&);

inline int RunGraphLoader(GraphLoaderFn load, const uint8_t* data, size_t size) {
  refdata::Input input{"fuzz-input", std::string_view(reinterpret_cast<const char*>(data), size)};
  graph::GraphBuilder builder;
  Status s = load(input, builder);
  if (!s.ok()) return 0;
  auto g = builder.Finish();
  if (g.ok()) CheckAndAnalyse(*g);
  return 0;
}

}  // namespace icts::fuzz

#endif  // ICTS_FUZZ_GRAPH_FUZZ_H_
