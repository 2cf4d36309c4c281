#include "base/date.h"

#include <gtest/gtest.h>

namespace icts {
namespace {

TEST(Date, EpochAndRoundTrip) {
  EXPECT_EQ(Date().ToIso(), "1970-01-01");
  for (int32_t d = -700000; d <= 700000; d += 997) {
    Date x = Date::FromDays(d);
    auto back = Date::ParseIso(x.ToIso());
    ASSERT_TRUE(back.ok()) << x.ToIso();
    EXPECT_EQ(back->days(), d);
  }
}

TEST(Date, KnownDaysAndDifferences) {
  // Kaspersky final determination published 2024-06-24; the prohibition on
  // updates starts 2024-09-29 (97 days later).
  Date published = *Date::ParseIso("2024-06-24");
  Date updates = *Date::ParseIso("2024-09-29");
  EXPECT_EQ(updates - published, 97);
  EXPECT_EQ(published.AddDays(97), updates);
  EXPECT_LT(published, updates);
  // The Dec 2024 final rule took effect 2025-02-04.
  EXPECT_EQ(Date::ParseIso("2024-12-06")->AddDays(60).ToIso(), "2025-02-04");
}

TEST(Date, LeapYearsAndValidation) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(Date::FromYmd(2024, 2, 29).ok());
  EXPECT_FALSE(Date::FromYmd(2023, 2, 29).ok());
  EXPECT_FALSE(Date::FromYmd(2023, 13, 1).ok());
  EXPECT_FALSE(Date::ParseIso("2023-1-01").ok());
  EXPECT_FALSE(Date::ParseIso("2023-01-0x").ok());
  EXPECT_EQ(Date::ParseIso("2024-02-29")->AddYears(1).ToIso(), "2025-02-28");
  // Records kept for ten years.
  EXPECT_EQ(Date::ParseIso("2025-02-04")->AddYears(10).ToIso(), "2035-02-04");
}

TEST(Date, OtherFormats) {
  EXPECT_EQ(Date::ParseUs("06/19/2003")->ToIso(), "2003-06-19");
  EXPECT_FALSE(Date::ParseUs("13/19/2003").ok());
  EXPECT_FALSE(Date::ParseUs("06/19/03").ok());
  EXPECT_EQ(Date::ParseDayMonthYear("12 Jan 1960")->ToIso(), "1960-01-12");
  EXPECT_EQ(Date::ParseDayMonthYear("1 September 2001")->ToIso(), "2001-09-01");
  EXPECT_FALSE(Date::ParseDayMonthYear("1 Foo 2001").ok());
}

struct PartialCase {
  const char* in;
  const char* out;
};

TEST(Date, NormalizePartialDate) {
  const PartialCase cases[] = {
      {"1957", "1957"},           {"1957-06", "1957-06"},
      {"1957-06-30", "1957-06-30"}, {"30 Jun 1957", "1957-06-30"},
      {"Jun 1957", "1957-06"},    {"June 1957", "1957-06"},
      {"06/30/1957", "1957-06-30"}, {"circa 1957", "1957"},
      {" 1957 ", "1957"},         {"2010-06-09T00:00:00", "2010-06-09"},
      {"", ""},                   {"unknown", ""},
      {"1957-13", ""},            {"31 Feb 1957", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(NormalizePartialDate(c.in), c.out) << c.in;
  }
}

}  // namespace
}  // namespace icts
