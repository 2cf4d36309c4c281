#include "base/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include <fmt/format.h>

namespace icts {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  std::string msg = fmt::format("{}: cannot {}: {}", path, what, std::strerror(err));
  if (err == ENOENT) return NotFoundError(std::move(msg));
  if (err == EACCES || err == EPERM) return PermissionDeniedError(std::move(msg));
  if (err == EISDIR) return InvalidArgumentError(std::move(msg));
  return UnavailableError(std::move(msg));
}

}  // namespace

MappedFile::~MappedFile() { Reset(); }

MappedFile::MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this == &other) return *this;
  Reset();
  mapped_ = other.mapped_;
  size_ = other.size_;
  path_ = std::move(other.path_);
  buffer_ = std::move(other.buffer_);
  data_ = mapped_ ? other.data_ : buffer_.data();
  other.data_ = nullptr;
  other.size_ = 0;
  other.mapped_ = false;
  return *this;
}

void MappedFile::Reset() {
  if (mapped_ && data_ != nullptr) {
    munmap(const_cast<char*>(data_), size_);
  }
  data_ = nullptr;
  size_ = 0;
  mapped_ = false;
  buffer_.clear();
}

Result<MappedFile> MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path, errno);
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return InvalidArgumentError(fmt::format("{}: is a directory, expected a file", path));
  }
  MappedFile out;
  out.path_ = path;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ,
                   MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
      ::close(fd);
      out.data_ = static_cast<const char*>(p);
      out.size_ = static_cast<size_t>(st.st_size);
      out.mapped_ = true;
      return out;
    }
  }
  // Fallback: read (pipes, empty files, mapping failures).
  std::string buf;
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus("read", path, err);
    }
    if (n == 0) break;
    buf.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  out.buffer_ = std::move(buf);
  out.data_ = out.buffer_.data();
  out.size_ = out.buffer_.size();
  return out;
}

Result<std::string> ReadFileToString(const std::string& path) {
  ICTS_ASSIGN_OR_RETURN(MappedFile f, MappedFile::Open(path));
  return std::string(f.data());
}

Status WriteFileAtomically(const std::string& path, std::string_view data) {
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::random_device rd;
  std::string tmp = (dir / fmt::format(".{}.tmp-{:x}", target.filename().string(),
                                       (static_cast<uint64_t>(rd()) << 32) | rd()))
                        .string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("create", tmp, errno);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return ErrnoStatus("write", tmp, err);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return ErrnoStatus("fsync", tmp, err);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("rename into place", path, err);
  }
  return Status::Ok();
}

std::string ResolveRelativeTo(const std::string& base_file,
                              const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  std::filesystem::path base = std::filesystem::path(base_file).parent_path();
  if (base.empty()) return path;
  return (base / p).lexically_normal().string();
}

LineCol LineColAt(std::string_view data, size_t offset) {
  LineCol lc;
  if (offset > data.size()) offset = data.size();
  for (size_t i = 0; i < offset; ++i) {
    if (data[i] == '\n') {
      ++lc.line;
      lc.column = 1;
    } else {
      ++lc.column;
    }
  }
  return lc;
}

}  // namespace icts
