// `lists fetch` against a loopback HTTP server that serves the public
// reference files: a good fetch builds a snapshot; a failed download or a
// corrupt file leaves the previous snapshot and downloads exactly as they were.
#include "refdata/fetch.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/file.h"
#include "tests/test_util.h"

namespace icts::refdata {
namespace {

namespace fs = std::filesystem;

class LoopbackServer {
 public:
  explicit LoopbackServer(const std::string& root) {
    server_.set_mount_point("/data", root);
    server_.Get("/broken/UN_consolidated.xml", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIV",
                      "application/xml");
    });
    server_.Get("/redirect/dpl.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("/data/bis-dpl/dpl-2022.txt");
    });
    server_.Get("/count", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::to_string(hits_.load()), "text/plain");
    });
    server_.set_logger([this](const httplib::Request&, const httplib::Response&) { ++hits_; });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return fmt::format("http://127.0.0.1:{}{}", port_, path);
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> hits_{0};
};

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = testing::SharedDataDir();
    dir_ = fs::temp_directory_path() /
           fmt::format("icts-fetch-test-{}", ::testing::UnitTest::GetInstance()->random_seed());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  BuildConfig Config(const LoopbackServer& server, const std::string& un_path) {
    std::string yaml = fmt::format(
        "sources:\n"
        "  - {{format: csl, url: '{}'}}\n"
        "  - {{format: ofac, url: '{}'}}\n"
        "  - {{format: un, url: '{}'}}\n"
        "  - {{format: dpl, url: '{}'}}\n",
        server.Url("/data/us-csl/consolidated-2025-sample.csv"),
        server.Url("/data/ofac-small-2025/"), server.Url(un_path),
        server.Url("/redirect/dpl.txt"));
    auto config = ParseBuildConfig(yaml, (dir_ / "fetch.yaml").string());
    EXPECT_TRUE(config.ok()) << config.status().ToString();
    return *config;
  }

  FetchOptions Options() {
    FetchOptions o;
    o.download_dir = (dir_ / "downloads").string();
    o.out_path = (dir_ / "lists.snap").string();
    o.connect_timeout_seconds = 2;
    o.read_timeout_seconds = 10;
    return o;
  }

  std::string data_;
  fs::path dir_;
};

TEST_F(FetchTest, BuildsFromDownloadsThenKeepsLastGoodOnFailure) {
  ICTS_REQUIRE_SHARED_DATA(data_ + "/un-consolidated/UN_consolidated.xml");
  ICTS_REQUIRE_SHARED_DATA(data_ + "/ofac-small-2025/sdn.csv");
  LoopbackServer server(data_);
  FetchOptions options = Options();

  auto first = FetchAndBuild(Config(server, "/data/un-consolidated/UN_consolidated.xml"), options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->sources.size(), 4u);
  EXPECT_EQ(first->sources[0].rows, 13u);  // The 2025 CSL sample.
  EXPECT_GT(first->sources[2].entities, 500u);  // UN list.
  EXPECT_GT(first->sources[3].rows, 500u);  // DPL, through a redirect.
  EXPECT_TRUE(fs::exists(dir_ / "downloads" / "ofac" / "sdn.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "downloads" / "un" / "UN_consolidated.xml"));
  auto snap = Snapshot::Open(options.out_path);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->hash(), first->hash);
  EXPECT_EQ((*snap)->source(2).path, (dir_ / "downloads" / "un" / "UN_consolidated.xml").string());
  std::string good_bytes = *ReadFileToString(options.out_path);
  std::string good_un = *ReadFileToString((dir_ / "downloads/un/UN_consolidated.xml").string());

  // A file that fails to parse: nothing changes, the error names the file.
  auto corrupt = FetchAndBuild(Config(server, "/broken/UN_consolidated.xml"), options);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(corrupt.status().message().find("UN_consolidated.xml:4:"), std::string::npos)
      << corrupt.status().message();
  EXPECT_EQ(*ReadFileToString(options.out_path), good_bytes);
  EXPECT_EQ(*ReadFileToString((dir_ / "downloads/un/UN_consolidated.xml").string()), good_un);

  // A download that fails (404): nothing changes, the error names the address.
  auto missing = FetchAndBuild(Config(server, "/data/un-consolidated/missing.xml"), options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(missing.status().message().find("missing.xml: HTTP 404"), std::string::npos)
      << missing.status().message();
  EXPECT_EQ(*ReadFileToString(options.out_path), good_bytes);

  // No staging folders or partial files are left behind.
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "downloads")) {
    std::string name = e.path().filename().string();
    EXPECT_EQ(name.find(".staging-"), std::string::npos) << e.path();
    EXPECT_EQ(name.find(".part-"), std::string::npos) << e.path();
  }

  // Fetching the same files again gives the same snapshot hash.
  auto again = FetchAndBuild(Config(server, "/data/un-consolidated/UN_consolidated.xml"), options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->hash, first->hash);
}

TEST_F(FetchTest, UnreachableServerIsUnavailable) {
  // Port 9 on loopback (discard) is closed on test machines; the connection
  // is refused at once.
  auto config = ParseBuildConfig("sources:\n  - {format: csl, url: 'http://127.0.0.1:9/x.csv'}\n",
                                 (dir_ / "f.yaml").string());
  ASSERT_TRUE(config.ok());
  auto r = FetchAndBuild(*config, Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("127.0.0.1:9/x.csv"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "lists.snap"));
}

TEST_F(FetchTest, RejectsUnsupportedAddresses) {
  auto config = ParseBuildConfig("sources:\n  - {format: csl, url: 'ftp://example.org/x.csv'}\n",
                                 (dir_ / "f.yaml").string());
  ASSERT_TRUE(config.ok());
  auto r = FetchAndBuild(*config, Options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(FetchConfig, OfficialConfigParses) {
  auto config = ParseBuildConfig(OfficialFetchConfig(), "official");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(config->sources.size(), 4u);
  for (const SourceSpec& s : config->sources) {
    EXPECT_EQ(s.url.rfind("https://", 0), 0u) << s.url;
  }
}

}  // namespace
}  // namespace icts::refdata
