#include "base/strings.h"

#include <string>

#include <gtest/gtest.h>

namespace icts {
namespace {

TEST(Strings, TrimSplitCase) {
  EXPECT_EQ(TrimAscii("  a b \t\r\n"), "a b");
  auto parts = SplitTrimmed(" a; b ;;c ", ';');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[2], "c");
  auto multi = SplitTrimmed("x; Linked To: y", "; ");
  ASSERT_EQ(multi.size(), 2u);
  EXPECT_EQ(multi[1], "Linked To: y");
  EXPECT_EQ(ToUpperAscii("Huawei Tech."), "HUAWEI TECH.");
  EXPECT_TRUE(EqualsIgnoreCaseAscii("aka", "AKA"));
  EXPECT_TRUE(StartsWithIgnoreCaseAscii("Linked To: X", "linked to:"));
  EXPECT_EQ(CollapseWhitespace("  HUAWEI \t TECHNOLOGIES\n CO. "), "HUAWEI TECHNOLOGIES CO.");
}

struct Utf8Case {
  std::string bytes;
  size_t bad;  // npos when valid
};

TEST(Strings, Utf8Validation) {
  const size_t ok = std::string_view::npos;
  const Utf8Case cases[] = {
      {"plain ascii", ok},
      {"\xE5\x8D\x8E\xE4\xB8\xBA", ok},          // 华为
      {"\xD0\x9E\xD0\x9E\xD0\x9E", ok},          // ООО
      {"\xF0\x9F\x98\x80", ok},                  // U+1F600
      {"ab\xFF", 2},                             // invalid byte
      {"a\xC0\xAF", 1},                          // overlong '/'
      {"\xED\xA0\x80", 0},                       // surrogate U+D800
      {"\xF4\x90\x80\x80", 0},                   // above U+10FFFF
      {"\xE5\x8D", 0},                           // truncated sequence
      {"x\x80y", 1},                             // stray continuation
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FindInvalidUtf8(c.bytes), c.bad) << c.bytes;
  }
}

}  // namespace
}  // namespace icts

namespace icts {
namespace {

TEST(HtmlEscape, EscapesMarkupQuotesAndNul) {
  EXPECT_EQ(HtmlEscape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape(std::string_view("a\0b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(HtmlEscape("Ünïcode 长鑫"), "Ünïcode 长鑫");
}

}  // namespace
}  // namespace icts
