// Fuzz target: the rule-pack loader (rules::ParsePack) over arbitrary bytes,
// with a small fixed taxonomy. Whatever it accepts must be usable: rule ids
// are unique, versions of one series never overlap, and evaluating a fixed
// transaction against the pack never crashes and gives a known outcome.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rules/evaluate.h"
#include "rules/facts.h"
#include "rules/pack.h"

namespace {

using icts::rules::Pack;
using icts::rules::PackSet;
using icts::rules::Rule;

const icts::rules::Taxonomy& SmallTaxonomy() {
  static const icts::rules::Taxonomy* taxonomy = [] {
    auto t = icts::rules::ParseTaxonomy(R"(tags:
  - {id: router, group: hardware, description: Routers}
  - {id: surveillance-camera, group: hardware, description: Cameras}
  - {id: antivirus, group: security, description: Anti-virus software}
  - {id: cloud-hosting, group: service, description: Cloud hosting}
  - {id: sector-energy, group: sector, description: Energy sector}
)",
                                        "taxonomy.yaml");
    if (!t.ok()) std::abort();
    return new icts::rules::Taxonomy(std::move(*t));
  }();
  return *taxonomy;
}

const icts::rules::Transaction& FixedTransaction() {
  static const icts::rules::Transaction* tx = [] {
    const nlohmann::json j = nlohmann::json::parse(R"({
      "id": "fuzz", "date": "2025-02-04", "activity": "acquisition",
      "acts": [{"kind": "update", "date": "2024-09-29"}],
      "item": {"kind": "hardware", "tags": ["router", "antivirus"],
               "counts": {"us_units_sold_12m": 1000001}},
      "parties": [
        {"role": "buyer", "name": "Buyer Inc.", "countries": [{"code": "US", "role": "incorporation"}],
         "us_person": true, "screened": true, "lists": []},
        {"role": "manufacturer", "name": "Maker Ltd.", "countries": [{"code": "MO", "role": "incorporation"}],
         "families": ["kaspersky"], "lists": [{"list": "FCC Covered List", "program": "FCC"}],
         "nexus": [{"adversary": "RU", "prong": "ownership-control"}]}]})");
    auto t = icts::rules::ReadTransaction(j, SmallTaxonomy());
    if (!t.ok()) std::abort();
    return new icts::rules::Transaction(std::move(*t));
  }();
  return *tx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pack = icts::rules::ParsePack(text, "fuzz.yaml", SmallTaxonomy());
  if (!pack.ok()) return 0;
  std::set<std::string> ids;
  for (const Rule& r : pack->rules) {
    if (!ids.insert(r.id).second) std::abort();
    for (const Rule& other : pack->rules) {
      if (&r == &other || r.series.empty() || r.series != other.series) continue;
      const auto& a = r.effective;
      const auto& b = other.effective;
      const bool disjoint =
          (a.to && b.from && *a.to < *b.from) || (b.to && a.from && *b.to < *a.from);
      if (!disjoint) std::abort();
    }
  }
  PackSet set;
  set.taxonomy = SmallTaxonomy();
  set.packs.push_back(std::move(*pack));
  const icts::rules::Determination d = icts::rules::Evaluate(set, FixedTransaction());
  if (icts::rules::OutcomeName(d.outcome).empty()) std::abort();
  (void)icts::rules::DeterminationToJson(d).dump();
  return 0;
}
