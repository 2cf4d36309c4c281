#include "base/file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace icts {
namespace {

namespace fs = std::filesystem;

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("icts-file-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FileTest, MapsAndReads) {
  std::string path = (dir_ / "a.txt").string();
  std::ofstream(path) << "hello\nworld";
  auto f = MappedFile::Open(path);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->data(), "hello\nworld");
  MappedFile moved = std::move(*f);
  EXPECT_EQ(moved.data(), "hello\nworld");
  EXPECT_EQ(*ReadFileToString(path), "hello\nworld");
}

TEST_F(FileTest, EmptyFileAndErrors) {
  std::string path = (dir_ / "empty").string();
  std::ofstream(path).close();
  auto f = MappedFile::Open(path);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->data().empty());
  auto missing = MappedFile::Open((dir_ / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  auto dir = MappedFile::Open(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(FileTest, AtomicWriteReplacesOrLeavesAlone) {
  std::string path = (dir_ / "out.bin").string();
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "second").ok());
  EXPECT_EQ(*ReadFileToString(path), "second");
  // No temporary files are left behind.
  int count = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    (void)e;
    ++count;
  }
  EXPECT_EQ(count, 1);
  // Writing into a missing folder fails and creates nothing.
  Status s = WriteFileAtomically((dir_ / "missing" / "x").string(), "data");
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
}

TEST(LineCol, CountsLinesAndColumns) {
  std::string_view text = "ab\ncde\n\nf";
  EXPECT_EQ(LineColAt(text, 0).line, 1u);
  EXPECT_EQ(LineColAt(text, 1).column, 2u);
  EXPECT_EQ(LineColAt(text, 3).line, 2u);
  EXPECT_EQ(LineColAt(text, 3).column, 1u);
  EXPECT_EQ(LineColAt(text, 8).line, 4u);
  EXPECT_EQ(LineColAt(text, 100).line, 4u);
}

TEST(ResolveRelativeTo, JoinsAgainstConfigFolder) {
  EXPECT_EQ(ResolveRelativeTo("conf/lists.yaml", "data/a.csv"), "conf/data/a.csv");
  EXPECT_EQ(ResolveRelativeTo("conf/lists.yaml", "../x.csv"), "x.csv");
  EXPECT_EQ(ResolveRelativeTo("conf/lists.yaml", "/abs/x.csv"), "/abs/x.csv");
  EXPECT_EQ(ResolveRelativeTo("lists.yaml", "x.csv"), "x.csv");
}

}  // namespace
}  // namespace icts
