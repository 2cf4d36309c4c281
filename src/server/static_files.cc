#include "server/static_files.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <string>
#include <utility>

#include "base/file.h"
#include "base/strings.h"

namespace icts::server {
namespace {

bool PlainSegment(std::string_view s) {
  if (s.empty() || s.front() == '.') return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// `path` with symbolic links resolved, or "" when it does not exist.
std::string RealPath(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return "";
  std::string out(resolved);
  ::free(resolved);
  return out;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& UiSecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      // A rebuilt UI is picked up at once; the files are small.
      {"Cache-Control", "no-cache"},
  };
  return kHeaders;
}

std::string_view ContentTypeFor(std::string_view path) {
  std::string lower = ToLowerAscii(path);
  struct Type {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const Type& t : kTypes) {
    if (EndsWith(lower, t.ext)) return t.type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

std::string StaticFiles::Unavailable() const {
  struct stat st;
  if (root_.empty() || ::stat(root_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return "the web UI folder " + (root_.empty() ? std::string("(none)") : root_) +
           " does not exist";
  }
  for (std::string_view f : kRequiredUiFiles) {
    std::string path = root_ + "/" + std::string(f);
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return path + " is missing" +
             (StartsWith(f, "vendor/")
                  ? " (the npm packages were not installed when the project was built: run "
                    "scripts/install-npm.sh, then build again)"
                  : "");
    }
  }
  return "";
}

Result<StaticFile> StaticFiles::Read(std::string_view relative) const {
  if (relative.empty()) relative = "index.html";
  if (relative.size() > 512) return InvalidArgumentError("path too long");
  std::string joined = root_;
  size_t start = 0;
  while (start <= relative.size()) {
    size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    std::string_view segment = relative.substr(start, end - start);
    if (!PlainSegment(segment)) return InvalidArgumentError("path not allowed");
    joined += "/";
    joined += segment;
    start = end + 1;
  }
  const std::string root = RealPath(root_);
  const std::string real = RealPath(joined);
  if (root.empty() || real.empty()) return NotFoundError("no such file");
  if (real.size() <= root.size() || real.compare(0, root.size(), root) != 0 ||
      real[root.size()] != '/') {
    return NotFoundError("no such file");
  }
  struct stat st;
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return NotFoundError("no such file");
  }
  Result<std::string> body = ReadFileToString(real);
  if (!body.ok()) return NotFoundError("no such file");
  return StaticFile{std::move(*body), std::string(ContentTypeFor(real))};
}

}  // namespace icts::server
