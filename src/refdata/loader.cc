#include "refdata/loader.h"

#include <fmt/format.h>

#include "base/file.h"
#include "base/strings.h"

namespace icts::refdata {

void LoadReport::AddReject(const std::string& file, uint64_t line,
                           std::string reason) {
  ++rejected;
  if (rejects.size() < kMaxRejectDetails) {
    rejects.push_back(Reject{file, line, std::move(reason)});
  }
}

Status ErrorAt(StatusCode code, const std::string& path, std::string_view data,
               size_t offset, std::string_view message) {
  LineCol lc = LineColAt(data, offset);
  return Status(code, fmt::format("{}:{}:{}: {}", path, lc.line, lc.column, message));
}

Status ErrorAtLine(StatusCode code, const std::string& path, uint64_t line,
                   std::string_view message) {
  return Status(code, fmt::format("{}:{}: {}", path, line, message));
}

Status CheckUtf8(const Input& input) {
  size_t bad = FindInvalidUtf8(input.data);
  if (bad == std::string_view::npos) return Status::Ok();
  return ErrorAt(StatusCode::kDataLoss, input.path, input.data, bad,
                 fmt::format("invalid UTF-8 (byte 0x{:02X}); the file is damaged "
                             "or not UTF-8 encoded",
                             static_cast<unsigned char>(input.data[bad])));
}

std::string_view StripBomAndEof(std::string_view data) {
  if (StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
  while (!data.empty() && data.back() == '\x1A') data.remove_suffix(1);
  return data;
}

}  // namespace icts::refdata
