// The web UI's static files for `icts serve` (docs/web-ui.md): index.html at
// "/" and everything else under "/ui/", read from one folder (the build
// tree's `web/`, which the build fills from the source `web/` and the
// vendored npm modules).
//
// A URL path maps to a file only when every segment is a plain name
// ([A-Za-z0-9_.-], not starting with a dot) and the file, with symbolic links
// resolved, lies inside the folder: no "..", no hidden files, no escape.
//
// Thread safety: const methods may be called from any thread.
#ifndef ICTS_SERVER_STATIC_FILES_H_
#define ICTS_SERVER_STATIC_FILES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace icts::server {

// Files the UI cannot work without; when one is missing the server answers
// "/" with 503 and names it.
inline constexpr std::string_view kRequiredUiFiles[] = {"index.html", "app.js",
                                                        "vendor/preact.mjs"};

// The security headers sent with every UI file: a Content-Security-Policy
// allowing scripts, styles and requests from the server's own origin only
// (no inline scripts), nosniff, no framing, no referrer.
const std::vector<std::pair<std::string, std::string>>& UiSecurityHeaders();

// "text/javascript; charset=utf-8" and the like, by file extension;
// "application/octet-stream" for unknown ones.
std::string_view ContentTypeFor(std::string_view path);

struct StaticFile {
  std::string body;
  std::string content_type;
};

class StaticFiles {
 public:
  // `root` is the folder served; it may be missing (see Unavailable()).
  explicit StaticFiles(std::string root);

  const std::string& root() const { return root_; }

  // "" when the UI can be served, else why not (a required file missing).
  std::string Unavailable() const;

  // The file for `relative` (a URL path below "/ui/", without the leading
  // slash; "" = index.html). NOT_FOUND for anything that is not a regular
  // file inside the root, INVALID_ARGUMENT for a path that is not allowed.
  Result<StaticFile> Read(std::string_view relative) const;

 private:
  std::string root_;
};

}  // namespace icts::server

#endif  // ICTS_SERVER_STATIC_FILES_H_
