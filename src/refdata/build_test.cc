#include "refdata/build.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/file.h"
#include "base/sha256.h"
#include "tests/test_util.h"

namespace icts::refdata {
namespace {

namespace fs = std::filesystem;

TEST(BuildConfig, ParsesSourcesAndResolvesPaths) {
  auto c = ParseBuildConfig(
      "sources:\n"
      "  - {format: csl, path: lists/csl.csv}\n"
      "  - format: ofac\n"
      "    path: /abs/ofac\n"
      "  - {format: un, url: 'https://example.org/un.xml'}\n",
      "conf/lists.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->sources.size(), 3u);
  EXPECT_EQ(c->sources[0].path, "lists/csl.csv");
  EXPECT_EQ(c->sources[0].resolved_path, "conf/lists/csl.csv");
  EXPECT_EQ(c->sources[1].resolved_path, "/abs/ofac");
  EXPECT_EQ(c->sources[2].url, "https://example.org/un.xml");
  EXPECT_TRUE(c->sources[2].resolved_path.empty());
}

struct BadConfig {
  const char* yaml;
  const char* where;   // Expected "file:line:col" prefix.
  const char* words;   // Expected words in the message.
};

TEST(BuildConfig, ErrorsNameTheirLocation) {
  const BadConfig cases[] = {
      {"sources:\n  - {format: xml, path: a}\n", "c.yaml:2:5", "unknown or missing format"},
      {"sources:\n  - {format: csl}\n", "c.yaml:2:5", "needs a 'path'"},
      {"sources:\n  - {format: csl, path: a, extra: 1}\n", "c.yaml:2:28", "unknown key 'extra'"},
      {"source:\n  - {format: csl, path: a}\n", "c.yaml:1:1", "unknown key 'source'"},
      {"sources: []\n", "c.yaml:1:1", "non-empty list"},
      {"sources:\n  - {format: csl, path: [a, b]}\n", "c.yaml:2:25", "must be a string"},
      {"sources:\n  - {format: csl, path: a\n", "c.yaml:3:", ""},
      {"- a\n- b\n", "c.yaml:1:1", "expected a mapping"},
  };
  for (const auto& c : cases) {
    auto r = ParseBuildConfig(c.yaml, "c.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind(c.where, 0), 0u)
        << c.yaml << " -> " << r.status().message();
    EXPECT_NE(r.status().message().find(c.words), std::string::npos) << r.status().message();
  }
}

class BuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("icts-build-test-{}-{}", ::testing::UnitTest::GetInstance()->random_seed(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  std::string Path(const std::string& rel) { return (dir_ / rel).string(); }
  fs::path dir_;
};

constexpr char kCurated[] = R"(source: {id: test, title: Test registry, published: 2026-01-15}
entities:
  - id: parent-group
    schema: Company
    names: [Parent Group Co., Ltd.]
    countries: [{code: CN, role: headquarters}]
    citations: [{fact: headquarters, text: "Annual report 2024", verification: S}]
  - id: child-co
    schema: Company
    names: [Child Co.]
    countries: [{code: HK, role: headquarters}]
    citations: [{fact: headquarters, text: "Companies Registry", verification: M}]
relations:
  - kind: ownership
    from: icts:parent-group
    to: icts:child-co
    share: "100"
    citations: [{fact: parent, text: "Annual report 2024", verification: S}]
)";

constexpr char kCuratedWithReject[] = R"(source: {id: test2, title: Test registry 2}
entities:
  - id: fine
    schema: Company
    names: [Fine Corp]
    countries: [{code: RU, role: headquarters}]
    citations: [{fact: headquarters, text: "Registry", verification: M}]
  - id: uncited
    schema: Company
    names: [Uncited Corp]
)";

TEST_F(BuildTest, BuildsDeterministicallyAndRecordsSources) {
  Write("in/a.yaml", kCurated);
  Write("lists.yaml", "sources:\n  - {format: curated, path: in/a.yaml}\n");
  auto config = ReadBuildConfig(Path("lists.yaml"));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto first = BuildSnapshot(*config, BuildOptions(), Path("one.snap"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = BuildSnapshot(*config, BuildOptions(), Path("two.snap"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->hash, second->hash);
  EXPECT_EQ(*ReadFileToString(Path("one.snap")), *ReadFileToString(Path("two.snap")));

  auto snap = Snapshot::Open(Path("one.snap"));
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE((*snap)->Verify().ok());
  ASSERT_EQ((*snap)->source_count(), 1u);
  SourceInfo s = (*snap)->source(0);
  EXPECT_EQ(s.format, "curated");
  EXPECT_EQ(s.path, "in/a.yaml");  // As written in the config.
  EXPECT_EQ(s.sha256, Sha256Hex(kCurated));
  EXPECT_EQ(s.entities, 2u);
  EXPECT_EQ(s.relations, 1u);
  EXPECT_EQ(s.published, "2026-01-15");
  auto child = (*snap)->FindById("icts:child-co");
  ASSERT_TRUE(child.has_value());
  auto owners = (*snap)->RelationsTo(child->index());
  ASSERT_EQ(owners.size(), 1u);
  EXPECT_DOUBLE_EQ(owners[0].share_min(), 100);

  // Changing one input byte changes the hash.
  Write("in/a.yaml", std::string(kCurated) + "\n# comment\n");
  auto third = BuildSnapshot(*config, BuildOptions(), Path("three.snap"));
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->hash, first->hash);
}

TEST_F(BuildTest, StrictFailsOnRejectsAndWritesNothing) {
  Write("in/a.yaml", kCurated);
  Write("in/b.yaml", kCuratedWithReject);
  Write("lists.yaml",
        "sources:\n  - {format: curated, path: in/a.yaml}\n  - {format: curated, path: in/b.yaml}\n");
  auto config = ReadBuildConfig(Path("lists.yaml"));
  ASSERT_TRUE(config.ok());
  auto lenient = BuildSnapshot(*config, BuildOptions(), Path("out.snap"));
  ASSERT_TRUE(lenient.ok()) << lenient.status().ToString();
  EXPECT_EQ(lenient->sources[1].rejected, 1u);
  EXPECT_EQ(lenient->sources[1].entities, 1u);
  ASSERT_EQ(lenient->reports[1].rejects.size(), 1u);
  EXPECT_EQ(lenient->reports[1].rejects[0].file, "in/b.yaml");
  EXPECT_EQ(lenient->reports[1].rejects[0].line, 8u);
  std::string before = *ReadFileToString(Path("out.snap"));

  BuildOptions strict;
  strict.strict = true;
  auto failed = BuildSnapshot(*config, strict, Path("out.snap"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(ExitCodeFor(failed.status()), 2);
  EXPECT_EQ(failed.status().message().rfind("in/b.yaml:8:", 0), 0u) << failed.status().message();
  EXPECT_EQ(*ReadFileToString(Path("out.snap")), before);
}

TEST_F(BuildTest, CorruptSourceWritesNothing) {
  Write("in/a.yaml", kCurated);
  Write("in/bad.csv", "_id,source,name\nx,\"Entity List,\"ACME\n");
  Write("lists.yaml",
        "sources:\n  - {format: curated, path: in/a.yaml}\n  - {format: csl, path: in/bad.csv}\n");
  auto config = ReadBuildConfig(Path("lists.yaml"));
  ASSERT_TRUE(config.ok());
  auto r = BuildSnapshot(*config, BuildOptions(), Path("new.snap"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ExitCodeFor(r.status()), 2);
  EXPECT_EQ(r.status().message().rfind("in/bad.csv:2:", 0), 0u) << r.status().message();
  EXPECT_FALSE(fs::exists(Path("new.snap")));
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos);
  }
}

TEST_F(BuildTest, DuplicateIdsAcrossSourcesFail) {
  Write("in/a.yaml", kCurated);
  Write("lists.yaml",
        "sources:\n  - {format: curated, path: in/a.yaml}\n  - {format: curated, path: in/a.yaml}\n");
  auto config = ReadBuildConfig(Path("lists.yaml"));
  ASSERT_TRUE(config.ok());
  auto r = BuildSnapshot(*config, BuildOptions(), Path("dup.snap"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("icts:child-co"), std::string::npos) << r.status().message();
  EXPECT_FALSE(fs::exists(Path("dup.snap")));
}

TEST_F(BuildTest, MissingOfacSetIsNotFound) {
  Write("lists.yaml", "sources:\n  - {format: ofac, path: in}\n");
  auto config = ReadBuildConfig(Path("lists.yaml"));
  ASSERT_TRUE(config.ok());
  auto r = BuildSnapshot(*config, BuildOptions(), Path("x.snap"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("sdn.csv"), std::string::npos);
}

TEST_F(BuildTest, ShippedDemoConfigBuildsStrictly) {
  std::string config_path = testing::SourceDir() + "/examples/lists.yaml";
  auto config = ReadBuildConfig(config_path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  BuildOptions strict;
  strict.strict = true;
  auto r = BuildSnapshot(*config, strict, Path("demo.snap"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(r->entities, 60u);
  EXPECT_GT(r->relations, 10u);
}

TEST_F(BuildTest, OfacSetHashCoversAllFiles) {
  std::string sdn = testing::SharedData("ofac-small-2025");
  ICTS_REQUIRE_SHARED_DATA(sdn + "/sdn.csv");
  SourceSpec spec{"ofac", sdn, sdn, ""};
  CollectingSink sink;
  SourceInfo info;
  LoadReport report;
  ASSERT_TRUE(LoadSource(spec, sink, info, report).ok());
  std::string manifest;
  for (const char* f : {"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"}) {
    manifest += fmt::format("{} {}\n", f, Sha256Hex(*ReadFileToString(sdn + "/" + f)));
  }
  EXPECT_EQ(info.sha256, Sha256Hex(manifest));
  EXPECT_EQ(info.entities, sink.entities.size());
  // Pointing at the main file instead of the folder loads the same set.
  SourceSpec by_file{"ofac", sdn + "/sdn.csv", sdn + "/sdn.csv", ""};
  CollectingSink sink2;
  SourceInfo info2;
  LoadReport report2;
  ASSERT_TRUE(LoadSource(by_file, sink2, info2, report2).ok());
  EXPECT_EQ(info2.sha256, info.sha256);
  EXPECT_EQ(sink2.entities.size(), sink.entities.size());
}

}  // namespace
}  // namespace icts::refdata
