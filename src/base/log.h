// Logging facade. spdlog stays behind this header (its headers are heavy).
// Logs go to stderr; the audit trail never goes through the logger.
// Thread-safe.
#ifndef ICTS_BASE_LOG_H_
#define ICTS_BASE_LOG_H_

#include <string_view>

namespace icts {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
void LogDebug(std::string_view message);
void LogInfo(std::string_view message);
void LogWarn(std::string_view message);
void LogError(std::string_view message);

}  // namespace icts

#endif  // ICTS_BASE_LOG_H_
