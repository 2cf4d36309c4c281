// `icts screen` and `icts compare`: name screening against a snapshot, one
// name or a whole file, and the scorer on pairs of names.
//
// Argument parsing stays in main.cc; these functions take the parsed flags,
// do the work, print to stdout (results) and stderr (messages, progress,
// summary) and return the process exit code: 0 success, 1 hits found with
// `fail_on_hit`, 2 usage or input error (the message names file and line),
// 3 environment failure.
//
// Batches are read in chunks (kBatchChunkRows rows), each chunk is screened
// in parallel with TBB and written in input order before the next is read,
// so memory stays bounded whatever the file size.
#ifndef ICTS_CLI_SCREEN_CMD_H_
#define ICTS_CLI_SCREEN_CMD_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "match/score.h"

namespace icts::cli {

inline constexpr size_t kBatchChunkRows = 4096;

struct ScreenArgs {
  std::string snapshot;  // Snapshot file (required).

  // Single-name mode (when `input` is empty). An empty name is valid and
  // gives no hits; a missing one is a usage error.
  std::optional<std::string> name;
  std::string country;  // ISO code or country name.
  std::string type;     // "", "person" or "organization".
  std::vector<std::string> identifiers;
  std::string birth_date;  // YYYY, YYYY-MM or YYYY-MM-DD.

  // Batch mode.
  std::string input;         // CSV, TSV or JSONL file; "-" reads stdin.
  std::string input_format;  // "csv", "tsv", "jsonl"; "" = by file extension.
  std::string name_column;   // "" = "name".
  std::string country_column;
  std::string type_column;
  std::vector<std::string> id_columns;
  std::string dob_column;

  double threshold = match::kDefaultThreshold;
  size_t top = 10;
  std::string output = "table";  // table | json | jsonl | csv
  bool fail_on_hit = false;
  bool quiet = false;
  // Store URL ("" = none): results are recorded there and its decisions
  // shown on the hits; a hit with a false-positive or not-applicable
  // decision in force does not count for `fail_on_hit`.
  std::string store;
};

struct CompareArgs {
  // One pair A B (when `input` is empty): exactly two names.
  std::vector<std::string> names;
  // A CSV/TSV file of pairs; other columns are passed through.
  std::string input;
  std::string input_format;  // "csv" or "tsv"; "" = by file extension.
  std::string a_column = "a";
  std::string b_column = "b";
  // When set, words weigh by their rarity in this snapshot's names, as
  // `icts screen` weighs them; otherwise every word weighs the same.
  std::string snapshot;
  // "person" | "organization" | "": the rules of that type (screening
  // scores a list entry as its own type).
  std::string type;

  double threshold = match::kDefaultThreshold;
  std::string output = "table";  // table | json | jsonl | csv
  bool quiet = false;
};

// Returns the exit code (see the file comment).
int RunScreen(const ScreenArgs& args);
int RunCompare(const CompareArgs& args);

}  // namespace icts::cli

#endif  // ICTS_CLI_SCREEN_CMD_H_
