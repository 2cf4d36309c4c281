// Fuzz target: the ownership-graph CSV contract format. The input is split at
// the first NUL byte (or the first blank line) into a nodes file and an edges
// file; both go through their loaders into one graph.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/graph_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t cut = all.find('\0');
  size_t skip = 1;
  if (cut == std::string_view::npos) {
    cut = all.find("\n\n");
    skip = 2;
  }
  if (cut == std::string_view::npos) {
    cut = all.size();
    skip = 0;
  }
  icts::graph::GraphBuilder builder;
  icts::Status s = icts::graph::LoadCsvNodes({"nodes.csv", all.substr(0, cut)}, builder);
  if (!s.ok()) return 0;
  s = icts::graph::LoadCsvEdges({"edges.csv", all.substr(cut + skip)}, builder);
  if (!s.ok()) return 0;
  auto g = builder.Finish();
  if (g.ok()) icts::fuzz::CheckAndAnalyse(*g);
  return 0;
}
