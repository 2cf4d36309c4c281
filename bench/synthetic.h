// Synthetic reference data for benchmarks: entities shaped like real list
// entries (company names from a syllable pool, aliases, countries, an
// identifier, an address, list and program), generated deterministically.
#ifndef ICTS_BENCH_SYNTHETIC_H_
#define ICTS_BENCH_SYNTHETIC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "refdata/snapshot.h"

namespace icts::bench {

// `n` entities in one source, plus n/4 ownership relations between them.
refdata::SnapshotContent MakeSyntheticContent(uint64_t n, uint32_t seed = 1);

// The same entities as FollowTheMoney-style JSON lines (reference format).
std::string MakeSyntheticJsonLines(const refdata::SnapshotContent& content);

// A name variant of an entity that the multi-script set deliberately leaves
// out of the entity, for planted-positive tests: the same name in another
// romanisation standard, or in its original script.
struct HeldOutName {
  std::string entity_id;
  std::string name;
  std::string kind;    // "romanisation" or "original_script"
  std::string script;  // "Cyrillic", "Arabic", "Han", "Greek", "Georgian"
};

// `n` entities with about three names each, in several scripts: 60% Latin
// (pseudo-word company names with industry words and legal forms, or
// persons), 15% Cyrillic, 10% Arabic, 8% Han, 4% Greek, 3% Georgian. A
// non-Latin entity is generated in its own script and romanised by two
// standards (Cyrillic: BGN/PCGN and scholarly; Arabic: English and French
// transcriptions; Han: pinyin and Wade-Giles; Greek: ELOT 743 and BGN;
// Georgian: the national system and the older one with apostrophes), so its
// aliases are real variants. Of the original script and the two
// romanisations, one is held out (appended to `held_out` when given) and
// the entity keeps the other two plus one more alias. Ids are "ms:%08d".
refdata::SnapshotContent MakeMultiScriptContent(uint64_t n, uint32_t seed = 7,
                                                std::vector<HeldOutName>* held_out = nullptr);

}  // namespace icts::bench

#endif  // ICTS_BENCH_SYNTHETIC_H_
