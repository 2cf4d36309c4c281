// Helpers for tests that read the public reference data beside the project
// (../shared/data by default, or $ICTS_SHARED_DATA). Tests that need it call
// ICTS_REQUIRE_SHARED_DATA(path), which skips with a clear message when the
// file is absent.
#ifndef ICTS_TESTS_TEST_UTIL_H_
#define ICTS_TESTS_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <string>

namespace icts::testing {

inline std::string SharedDataDir() {
  if (const char* env = std::getenv("ICTS_SHARED_DATA")) return env;
#ifdef ICTS_SHARED_DATA_DIR
  return ICTS_SHARED_DATA_DIR;
#else
  return "../shared/data";
#endif
}

inline std::string SharedData(const std::string& relative) {
  return SharedDataDir() + "/" + relative;
}

inline std::string SourceDir() {
#ifdef ICTS_SOURCE_DIR
  return ICTS_SOURCE_DIR;
#else
  return ".";
#endif
}

}  // namespace icts::testing

#define ICTS_REQUIRE_SHARED_DATA(path)                                      \
  do {                                                                      \
    if (!std::filesystem::exists(path)) {                                   \
      GTEST_SKIP() << "reference data not found: " << (path)                \
                   << " (set ICTS_SHARED_DATA to the shared data folder)";  \
    }                                                                       \
  } while (0)

#endif  // ICTS_TESTS_TEST_UTIL_H_
