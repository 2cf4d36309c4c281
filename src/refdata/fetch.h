// `lists fetch`: download the published list files and build a new snapshot.
//
// Sources with a `url` are downloaded (http, https or file) into a staging
// folder beside the download folder; then the snapshot is built from the
// staged files plus the local sources. Only when every download and every
// load succeeds are the staged files moved into place and the snapshot
// written (atomically). On any failure the previous files and snapshot stay
// exactly as they were and the error names the address or file:line.
//
// For `ofac` and `ofac-cons` the url is the folder address (ending in '/');
// the set's four file names are appended to it.
#ifndef ICTS_REFDATA_FETCH_H_
#define ICTS_REFDATA_FETCH_H_

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "refdata/build.h"

namespace icts::refdata {

// The official addresses, as a build config text (see examples/).
std::string_view OfficialFetchConfig();

struct FetchOptions {
  std::string download_dir;  // Files land in <dir>/<format>/<file name>.
  std::string out_path;      // The snapshot to replace.
  BuildOptions build;
  int connect_timeout_seconds = 10;
  int read_timeout_seconds = 120;
  uint64_t max_bytes = 4ull << 30;  // Per file.
  std::function<void(std::string_view)> progress;
};

// Downloads one address to `dest_path` (written atomically). Errors are
// UNAVAILABLE naming the address and the HTTP status or network error.
Status DownloadTo(const std::string& url, const std::string& dest_path,
                  const FetchOptions& options);

Result<BuildResult> FetchAndBuild(const BuildConfig& config,
                                  const FetchOptions& options);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_FETCH_H_
