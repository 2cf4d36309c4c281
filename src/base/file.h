// Files: read-only mappings of inputs and all-or-nothing writes of outputs.
#ifndef ICTS_BASE_FILE_H_
#define ICTS_BASE_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace icts {

// A whole file mapped read-only (or held in memory for empty files and
// non-regular files such as pipes). Movable, not copyable. The bytes stay valid
// while the object lives.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Errors: NOT_FOUND when missing, PERMISSION_DENIED, or UNAVAILABLE for
  // other I/O failures; the message names the path.
  static Result<MappedFile> Open(const std::string& path);

  std::string_view data() const { return {data_, size_}; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  void Reset();
  const char* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
  std::string buffer_;  // Used when the file could not be mapped.
  std::string path_;
};

Result<std::string> ReadFileToString(const std::string& path);

// Writes `data` to `path` atomically: a temporary file in the same folder,
// fsync, then rename over `path`. On any error `path` is left as it was.
Status WriteFileAtomically(const std::string& path, std::string_view data);

// Joins a relative `path` to the folder holding `base_file`; absolute paths
// are returned unchanged.
std::string ResolveRelativeTo(const std::string& base_file,
                              const std::string& path);

// Line and column (both 1-based, column in bytes) of `offset` within `data`.
struct LineCol {
  size_t line = 1;
  size_t column = 1;
};
LineCol LineColAt(std::string_view data, size_t offset);

}  // namespace icts

#endif  // ICTS_BASE_FILE_H_
