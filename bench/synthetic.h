// Synthetic reference data for benchmarks: entities shaped like real list
// entries (company names from a syllable pool, aliases, countries, an
// identifier, an address, list and program), generated deterministically.
#ifndef ICTS_BENCH_SYNTHETIC_H_
#define ICTS_BENCH_SYNTHETIC_H_

#include <cstdint>
#include <string>

#include "refdata/snapshot.h"

namespace icts::bench {

// `n` entities in one source, plus n/4 ownership relations between them.
refdata::SnapshotContent MakeSyntheticContent(uint64_t n, uint32_t seed = 1);

// The same entities as FollowTheMoney-style JSON lines (reference format).
std::string MakeSyntheticJsonLines(const refdata::SnapshotContent& content);

}  // namespace icts::bench

#endif  // ICTS_BENCH_SYNTHETIC_H_
