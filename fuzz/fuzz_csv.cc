// Fuzz target: CsvReader over arbitrary bytes, once comma-separated and once
// tab-separated. Checks that every call makes progress, that line numbers
// never go back, and that a failed read leaves a positioned error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "refdata/csv.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void ReadAll(std::string_view data, char separator) {
  icts::refdata::CsvReader reader(data, "fuzz-input", separator);
  icts::refdata::CsvRecord record;
  uint64_t last_line = 0;
  size_t records = 0;
  while (reader.Next(&record)) {
    Check(!record.fields.empty());
    Check(record.line >= last_line);  // A lone CR ends a record on the same line.
    last_line = record.line;
    // Each record consumes at least one byte.
    Check(++records <= data.size());
  }
  if (!reader.status().ok()) {
    Check(reader.status().message().rfind("fuzz-input:", 0) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ReadAll(bytes, ',');
  ReadAll(bytes, '\t');
  return 0;
}
