// Data-driven tests over the CycloneDX specification's conformance files and
// over real-world BOMs: every valid-* file is accepted, every invalid-* file
// rejected with a message, and every other BOM either read or rejected with a
// reason. Each test prints its tally.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file.h"
#include "inventory/cyclonedx/cyclonedx.h"
#include "tests/test_util.h"

namespace icts::inventory {
namespace {

namespace fs = std::filesystem;

// Files deliberately treated otherwise than their name says, with the reason.
// (Empty: every conformance file gets the outcome its name asks for.)
const std::map<std::string, std::string> kExceptions = {};

bool IsBomFile(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".json" || ext == ".xml";
}

Status ReadAny(const fs::path& path, CollectingSink* sink) {
  if (path.extension() == ".xml") return ReadCycloneDxXml(path.string(), sink);
  return ReadCycloneDxJson(path.string(), sink);
}

std::vector<fs::path> FilesUnder(const std::string& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(CycloneDxConformance, ValidAcceptedInvalidRejected) {
  const std::string root = testing::SharedData("cyclonedx-spec-conformance");
  ICTS_REQUIRE_SHARED_DATA(root);
  size_t accepted = 0, rejected = 0, exceptions = 0;
  for (const char* version : {"1.6", "1.7"}) {
    for (const fs::path& path : FilesUnder(root + "/" + version)) {
      if (!IsBomFile(path)) continue;
      std::string name = std::string(version) + "/" + path.filename().string();
      bool valid = path.filename().string().rfind("valid-", 0) == 0;
      CollectingSink sink;
      Status s = ReadAny(path, &sink);
      if (kExceptions.count(name) != 0) {
        ++exceptions;
        std::printf("exception %s: %s\n", name.c_str(), kExceptions.at(name).c_str());
        continue;
      }
      if (valid) {
        EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
        if (s.ok()) ++accepted;
      } else {
        EXPECT_FALSE(s.ok()) << name << " was accepted";
        if (!s.ok()) {
          ++rejected;
          EXPECT_FALSE(s.message().empty());
          std::printf("rejected %s: %s\n", name.c_str(), s.message().c_str());
        }
      }
    }
  }
  std::printf("conformance: %zu valid accepted, %zu invalid rejected, %zu exceptions\n",
              accepted, rejected, exceptions);
  EXPECT_GT(accepted, 200u);
  EXPECT_GT(rejected, 100u);
}

// The BOM examples and real-world BOMs: each is read or rejected with a
// reason. Every rejection is listed here with (part of) its message; any
// other file must be read.
const std::map<std::string, std::string> kExpectedRejections = {
    // Spec 1.1 is older than this reader supports.
    {"cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.1.xml",
     "unsupported CycloneDX namespace \"http://cyclonedx.org/schema/bom/1.1\""},
    // Schema violations in real-world output: an expression beside other
    // licence entries (allowed only from 1.7) and a licence with neither id
    // nor name.
    {"sbom-in-the-wild/cyclonedx/ascii-boxes-sbom-cdx.json",
     "/components/0/licenses/0: a license expression must be the only entry"},
    {"sbom-in-the-wild/cyclonedx/obsidian-sailboat-sbom-cdx.json",
     "/components/0/licenses/0/license: license needs an \"id\" or a \"name\""},
    // Named *-cdx.json but not CycloneDX at all (SCANOSS output).
    {"sbom-in-the-wild/cyclonedx/bashrc2-sbom-cdx.json", "bomFormat \"CycloneDX\" is missing"},
    {"sbom-in-the-wild/cyclonedx/scanoss-sbom-cdx.json", "the top level is not a JSON object"},
};

TEST(CycloneDxConformance, ExamplesAndRealWorldBoms) {
  const std::string examples = testing::SharedData("cyclonedx-bom-examples");
  const std::string wild = testing::SharedData("sbom-in-the-wild/cyclonedx");
  ICTS_REQUIRE_SHARED_DATA(examples);
  ICTS_REQUIRE_SHARED_DATA(wild);
  size_t read = 0, rejected = 0, items = 0, not_sniffed = 0;
  for (const std::string& dir : {examples, wild}) {
    for (const fs::path& path : FilesUnder(dir)) {
      if (!IsBomFile(path)) continue;
      std::string rel = fs::relative(path, testing::SharedDataDir()).string();
      auto bytes = ReadFileToString(path.string());
      ASSERT_TRUE(bytes.ok());
      std::string_view head(bytes->data(), std::min<size_t>(bytes->size(), 8192));
      bool json = path.extension() == ".json";
      if (json ? !LooksLikeCycloneDxJson(head) : !LooksLikeCycloneDxXml(head)) ++not_sniffed;
      CollectingSink sink;
      Status s = ReadAny(path, &sink);
      auto expected = kExpectedRejections.find(rel);
      if (s.ok()) {
        ++read;
        items += sink.items.size();
        EXPECT_TRUE(expected == kExpectedRejections.end()) << rel << " was read";
      } else {
        ++rejected;
        std::printf("rejected %s: %s\n", rel.c_str(), s.message().c_str());
        ASSERT_TRUE(expected != kExpectedRejections.end()) << rel << ": " << s.ToString();
        EXPECT_NE(s.message().find(expected->second), std::string::npos) << s.message();
      }
    }
  }
  std::printf("examples and real-world BOMs: %zu read (%zu items), %zu rejected with a reason "
              "(%zu of them not sniffed as CycloneDX)\n",
              read, items, rejected, not_sniffed);
  EXPECT_EQ(rejected, kExpectedRejections.size());
  EXPECT_EQ(read, 79u);
}

}  // namespace
}  // namespace icts::inventory
