// Every SPDX file in the shared reference data (the spdx-examples repository,
// the same container described by three tools, and the real-world SBOMs of
// bom-shelter) either reads or is rejected with a clear reason. The reader is
// chosen by sniffing the first bytes, as `icts scan` does; files that no
// sniffer claims go by extension. The tally is printed and asserted.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file.h"
#include "inventory/spdx/spdx.h"
#include "tests/test_util.h"

namespace icts::inventory {
namespace {

namespace fs = std::filesystem;

class CountingSink : public ItemSink {
 public:
  Status OnDocument(const DocumentInfo& info) override {
    ++documents;
    document = info;
    return Status::Ok();
  }
  Status OnItem(Item&& item) override {
    ++items;
    if (!item.orgs.empty()) ++with_orgs;
    if (!item.purl.empty()) ++with_purl;
    if (item.ref.empty() || item.name.empty() || item.pointer.empty()) ++incomplete;
    return Status::Ok();
  }
  Status OnRelation(std::string_view, std::string_view, std::string_view) override {
    ++relations;
    return Status::Ok();
  }
  int documents = 0;
  DocumentInfo document;
  size_t items = 0, with_orgs = 0, with_purl = 0, incomplete = 0, relations = 0;
};

struct Outcome {
  std::string format;
  Status status;
  size_t items = 0;
};

Outcome ReadAny(const std::string& path, CountingSink* sink) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  Outcome outcome;
  if (LooksLikeSpdx3(head)) {
    outcome.format = "spdx3";
    outcome.status = ReadSpdx3JsonLd(path, sink);
  } else if (LooksLikeSpdxJson(head)) {
    outcome.format = "json";
    outcome.status = ReadSpdxJson(path, sink);
  } else if (LooksLikeSpdxTagValue(head)) {
    outcome.format = "tv";
    outcome.status = ReadSpdxTagValue(path, sink);
  } else if (fs::path(path).extension() == ".json") {
    outcome.format = "json?";
    outcome.status = ReadSpdxJson(path, sink);
  } else {
    outcome.format = "tv?";
    outcome.status = ReadSpdxTagValue(path, sink);
  }
  outcome.items = sink->items;
  return outcome;
}

std::vector<std::string> SpdxFiles() {
  std::vector<std::string> files;
  for (const char* folder : {"spdx-examples", "sbom-lab-multitool", "sbom-in-the-wild"}) {
    fs::path root = testing::SharedData(folder);
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      std::string name = entry.path().filename().string();
      std::string ext = entry.path().extension().string();
      bool spdx = name.find("spdx") != std::string::npos || ext == ".spdx";
      if (std::string(folder) == "spdx-examples") spdx = ext == ".json" || ext == ".spdx";
      if (spdx && ext != ".csv" && ext != ".md") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SpdxDataTest, EverySharedSpdxFileReadsOrIsRejectedWithAReason) {
  ICTS_REQUIRE_SHARED_DATA(testing::SharedData("spdx-examples"));
  ICTS_REQUIRE_SHARED_DATA(testing::SharedData("sbom-in-the-wild/spdx"));
  ICTS_REQUIRE_SHARED_DATA(testing::SharedData("sbom-lab-multitool"));
  std::vector<std::string> files = SpdxFiles();
  std::map<std::string, int> read_by_format;
  std::map<std::string, std::string> rejected;  // File name → message.
  size_t items = 0, relations = 0, with_orgs = 0, with_purl = 0;
  for (const std::string& path : files) {
    CountingSink sink;
    Outcome outcome = ReadAny(path, &sink);
    std::string name = fs::path(path).filename().string();
    if (outcome.status.ok()) {
      ++read_by_format[outcome.format];
      EXPECT_EQ(sink.documents, 1) << path;
      EXPECT_EQ(sink.incomplete, 0u) << path;
      items += sink.items;
      relations += sink.relations;
      with_orgs += sink.with_orgs;
      with_purl += sink.with_purl;
      std::printf("  read     %-6s %6zu items %6zu relations  %s\n", outcome.format.c_str(),
                  sink.items, sink.relations, path.c_str());
    } else {
      rejected[name] = outcome.status.message();
      std::printf("  rejected %-6s %s\n", outcome.format.c_str(), outcome.status.message().c_str());
      // The message names the file.
      EXPECT_NE(outcome.status.message().find(path), std::string::npos);
    }
  }
  int read = 0;
  for (const auto& [format, count] : read_by_format) read += count;
  std::printf(
      "SPDX tally: %zu files, %d read (spdx3 %d, json %d, tag-value %d), %zu rejected; "
      "%zu items (%zu with a supplier or originator, %zu with a purl), %zu relations\n",
      files.size(), read, read_by_format["spdx3"], read_by_format["json"], read_by_format["tv"],
      rejected.size(), items, with_orgs, with_purl, relations);

  // The rejections we expect, each for its reason.
  std::map<std::string, std::string> expected = {
      // SPDX 2.1 is older than this reader takes.
      {"usbutils.spdx", "unsupported SPDX version \"SPDX-2.1\""},
      // The SPDX licence list saved under an SBOM's name.
      {"maubot-spdx.json", "not an SPDX 2 JSON document"},
      // Cut off inside a PackageCopyrightText <text> block.
      {"istio-source.spdx", ":59827:23: <text> is never closed"},
      // A web page's footer after the JSON.
      {"powershell-2.2.6.spdx.json", ":2765:36: JSON syntax error: the JSON text does not end"},
      // Two different packages (other CPEs) under one SPDXID.
      {"chronicle-sbom.spdx.json", "/packages/27: duplicate SPDXID"},
      // Every file entry is "SPDXRef-File".
      {"vast-sbom.spdx", ":17:9: duplicate SPDXID \"SPDXRef-File\""},
  };
  for (const auto& [name, message] : rejected) {
    ASSERT_TRUE(expected.count(name)) << name << " rejected: " << message;
    EXPECT_NE(message.find(expected[name]), std::string::npos) << message;
  }
  EXPECT_EQ(rejected.size(), expected.size());
  EXPECT_EQ(files.size(), 95u);
  EXPECT_EQ(read, 89);
  EXPECT_EQ(read_by_format["spdx3"], 26);
  EXPECT_EQ(read_by_format["json"], 31);
  EXPECT_EQ(read_by_format["tv"], 32);
  EXPECT_EQ(items, 12993u);
  EXPECT_EQ(relations, 10812u);
}

// The same container image described by three tools: all three list the
// Debian packages dpkg and libgcrypt20, and name their creators.
TEST(SpdxDataTest, ThreeToolsOneImage) {
  std::string dir = testing::SharedData("sbom-lab-multitool");
  ICTS_REQUIRE_SHARED_DATA(dir);
  for (const char* name : {"bitnami_nginx-bom.spdx.json", "bitnami_nginx-syft.spdx.json",
                           "bitnami_nginx-trivy.spdx.json"}) {
    CollectingSink sink;
    Status status = ReadSpdxJson(dir + "/" + name, &sink);
    ASSERT_TRUE(status.ok()) << status.message();
    std::set<std::string> names;
    for (const Item& item : sink.items) {
      names.insert(item.name);
      EXPECT_EQ(item.file, dir + "/" + name);
    }
    EXPECT_TRUE(names.count("dpkg")) << name;
    EXPECT_TRUE(names.count("libgcrypt20")) << name;
    EXPECT_FALSE(sink.document.creators.empty()) << name;
  }
}

}  // namespace
}  // namespace icts::inventory
