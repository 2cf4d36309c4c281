// Fuzz target: a transaction as `icts review` reads it (JSON → ReadTransaction
// → Evaluate against the shipped packs, loaded once). Nothing may crash; an
// accepted transaction written back with TransactionToJson must be read again
// to the same determination outcome, and evaluating it twice gives the same
// result (the evaluator is pure).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "rules/evaluate.h"
#include "rules/facts.h"
#include "rules/pack.h"

#ifndef ICTS_SOURCE_RULES_DIR
#define ICTS_SOURCE_RULES_DIR "rules"
#endif

namespace {

const icts::rules::PackSet& Shipped() {
  static const icts::rules::PackSet* set = [] {
    auto s = icts::rules::LoadPackDir(ICTS_SOURCE_RULES_DIR);
    if (!s.ok()) std::abort();
    return new icts::rules::PackSet(std::move(*s));
  }();
  return *set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  const icts::rules::PackSet& set = Shipped();
  auto tx = icts::rules::ReadTransaction(j, set.taxonomy, "/0");
  if (!tx.ok()) return 0;
  icts::rules::EvaluateOptions options;
  const icts::rules::Determination d = icts::rules::Evaluate(set, *tx, options);
  const std::string out = icts::rules::DeterminationToJson(d).dump();
  if (icts::rules::DeterminationToJson(icts::rules::Evaluate(set, *tx, options)).dump() != out) {
    std::abort();
  }
  options.as_of = *icts::Date::ParseIso("2025-02-04");
  (void)icts::rules::DeterminationToJson(icts::rules::Evaluate(set, *tx, options)).dump();
  auto again = icts::rules::ReadTransaction(icts::rules::TransactionToJson(*tx), set.taxonomy);
  if (!again.ok()) std::abort();
  if (icts::rules::Evaluate(set, *again).outcome != d.outcome) std::abort();
  return 0;
}
