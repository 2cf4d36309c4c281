#include "refdata/model.h"

#include <cmath>

#include <gtest/gtest.h>

namespace icts::refdata {
namespace {

TEST(Model, EnumNamesRoundTrip) {
  for (int i = 0; i <= 6; ++i) {
    auto s = static_cast<Schema>(i);
    EXPECT_EQ(ParseSchema(SchemaName(s)), s);
  }
  for (int i = 0; i <= 4; ++i) {
    auto k = static_cast<NameKind>(i);
    EXPECT_EQ(ParseNameKind(NameKindName(k)), k);
  }
  for (int i = 0; i <= 9; ++i) {
    auto r = static_cast<CountryRole>(i);
    EXPECT_EQ(ParseCountryRole(CountryRoleName(r)), r);
  }
  for (int i = 0; i <= 15; ++i) {
    auto k = static_cast<IdKind>(i);
    EXPECT_EQ(ParseIdKind(IdKindName(k)), k);
  }
  for (int i = 0; i <= 6; ++i) {
    auto k = static_cast<RelationKind>(i);
    EXPECT_EQ(ParseRelationKind(RelationKindName(k)), k);
  }
  EXPECT_EQ(ParseVerification("V"), Verification::kVerified);
  EXPECT_EQ(ParseVerification("S"), Verification::kSecondary);
  EXPECT_EQ(ParseVerification("M"), Verification::kUnverified);
  EXPECT_FALSE(ParseVerification("").has_value());
  EXPECT_FALSE(ParseVerification("X").has_value());
  EXPECT_FALSE(ParseSchema("Spaceship").has_value());
}

TEST(Model, EntityHelpers) {
  Entity e;
  EXPECT_EQ(e.PrimaryName(), "");
  e.AddName("HUAWEI", NameKind::kWeakAlias);
  EXPECT_EQ(e.PrimaryName(), "HUAWEI");  // First name when none is primary.
  e.AddName("HUAWEI TECHNOLOGIES CO., LTD.", NameKind::kPrimary);
  e.AddName("HUAWEI", NameKind::kStrongAlias);  // Duplicate value ignored.
  e.AddName("", NameKind::kStrongAlias);        // Empty ignored.
  EXPECT_EQ(e.names.size(), 2u);
  EXPECT_EQ(e.PrimaryName(), "HUAWEI TECHNOLOGIES CO., LTD.");
  e.AddCountry("CN", CountryRole::kHeadquarters);
  e.AddCountry("CN", CountryRole::kHeadquarters);
  e.AddCountry("CN", CountryRole::kAddress);
  EXPECT_EQ(e.countries.size(), 2u);
  e.AddProperty("remarks", "");
  e.AddProperty("remarks", "x");
  EXPECT_EQ(e.properties.size(), 1u);
}

struct ShareCase {
  const char* text;
  bool ok;
  double lo, hi;
};

TEST(Model, ParseShareRange) {
  const ShareCase cases[] = {
      {"51", true, 51, 51},          {"51%", true, 51, 51},
      {"25-50%", true, 25, 50},      {"75% to 100%", true, 75, 100},
      {"more than 50%", true, 50, 50}, {"12.5", true, 12.5, 12.5},
      {"", false, 0, 0},             {"n/a", false, 0, 0},
      {"150%", false, 0, 0},         {"60-40", false, 0, 0},
      {"1-2-3", false, 0, 0},
  };
  for (const auto& c : cases) {
    double lo = NAN, hi = NAN;
    EXPECT_EQ(ParseShareRange(c.text, &lo, &hi), c.ok) << c.text;
    if (c.ok) {
      EXPECT_DOUBLE_EQ(lo, c.lo) << c.text;
      EXPECT_DOUBLE_EQ(hi, c.hi) << c.text;
    }
  }
}

}  // namespace
}  // namespace icts::refdata
