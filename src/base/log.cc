#include "base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>

namespace icts {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kWarn};

spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("icts");
    l->set_pattern("%^%l%$: %v");
    l->set_level(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

void Emit(LogLevel level, spdlog::level::level_enum sl, std::string_view msg) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  Logger().log(sl, "{}", msg);
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(level); }
LogLevel GetLogLevel() { return g_level.load(); }
void LogDebug(std::string_view m) { Emit(LogLevel::kDebug, spdlog::level::debug, m); }
void LogInfo(std::string_view m) { Emit(LogLevel::kInfo, spdlog::level::info, m); }
void LogWarn(std::string_view m) { Emit(LogLevel::kWarn, spdlog::level::warn, m); }
void LogError(std::string_view m) { Emit(LogLevel::kError, spdlog::level::err, m); }

}  // namespace icts
