// Building a snapshot from a set of list sources.
//
// A build config (YAML) names the sources:
//
//   sources:
//     - {format: csl, path: lists/consolidated.csv}
//     - {format: ofac, path: lists/ofac-sdn}        # folder with sdn.csv ...
//     - {format: curated, path: ../data/curated/ict-vendors.yaml}
//
// Relative paths resolve against the config file's folder. A source may also
// carry `url` (used by `lists fetch`, see fetch.h).
//
// The build loads every source, then writes the snapshot in one step: on any
// error nothing is written and an existing snapshot at the output path stays
// as it was.
#ifndef ICTS_REFDATA_BUILD_H_
#define ICTS_REFDATA_BUILD_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "refdata/loader.h"
#include "refdata/snapshot.h"

namespace icts::refdata {

// The formats `lists build` understands.
const std::vector<std::string>& SourceFormats();
bool IsKnownFormat(std::string_view format);

struct SourceSpec {
  std::string format;
  std::string path;           // As written (recorded in the snapshot).
  std::string resolved_path;  // Relative to the config's folder; "" if none.
  std::string url;            // Optional download address.
};

struct BuildConfig {
  std::vector<SourceSpec> sources;
};

// Parses a build config. Errors are INVALID_ARGUMENT "path:line:col: ...".
Result<BuildConfig> ParseBuildConfig(std::string_view yaml,
                                     const std::string& config_path);
Result<BuildConfig> ReadBuildConfig(const std::string& config_path);

struct BuildOptions {
  // Any rejected row fails the build (INVALID_ARGUMENT naming file:line).
  bool strict = false;
  // Called after each source with its report (progress, reject listing).
  std::function<void(const SourceSpec&, const SourceInfo&, const LoadReport&)>
      on_source;
};

struct BuildResult {
  std::vector<SourceInfo> sources;
  std::vector<LoadReport> reports;  // Same order as `sources`.
  uint64_t entities = 0;
  uint64_t relations = 0;
  std::string hash;
  uint64_t bytes = 0;
};

// Loads one source into `sink`, filling `info` (sha256, counts, published).
// For an OFAC set (`ofac`, `ofac-cons`) `path` is the folder holding the four
// files, or the main file itself; its sha256 is the SHA-256 of the lines
// "<file name> <sha256 of file>\n" for the files present, in set order.
Status LoadSource(const SourceSpec& spec, EntitySink& sink, SourceInfo& info,
                  LoadReport& report);

// Loads every source and returns the serialised snapshot (not written).
Result<std::string> BuildSnapshotImage(const BuildConfig& config,
                                       const BuildOptions& options,
                                       BuildResult* result);

// Builds and writes the snapshot atomically to `out_path`.
Result<BuildResult> BuildSnapshot(const BuildConfig& config,
                                  const BuildOptions& options,
                                  const std::string& out_path);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_BUILD_H_
