// SHA-256 (OpenSSL libcrypto), one-shot and incremental.
#ifndef ICTS_BASE_SHA256_H_
#define ICTS_BASE_SHA256_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace icts {

using Sha256Digest = std::array<uint8_t, 32>;

// Incremental hasher. Not thread-safe; one instance per thread.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // Ends the hash; the hasher may not be updated afterwards.
  Sha256Digest Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Sha256Digest Sha256Of(std::string_view data);
// Lower-case hex of any byte string.
std::string ToHex(const uint8_t* data, size_t size);
std::string ToHex(const Sha256Digest& digest);
std::string Sha256Hex(std::string_view data);

}  // namespace icts

#endif  // ICTS_BASE_SHA256_H_
