#include "inventory/assets/oui.h"

#include <cstdio>
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace icts::inventory {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A few real registrations, copied from the IEEE registries as Debian's
// ieee-data 20220827 ships them, so these tests do not need the package.
constexpr char kOuiCsv[] =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-L,44D791,\"HUAWEI TECHNOLOGIES CO.,LTD\",\"No.2 Xin Cheng Road, Room R6,Songshan Lake "
    "Technology Park Dongguan  CN 523808 \"\n"
    "MA-L,F4BD9E,\"Cisco Systems, Inc\",80 West Tasman Drive San Jose CA US 94568 \n"
    "MA-L,402C76,IEEE Registration Authority,445 Hoes Lane Piscataway NJ US 08554 \n"
    "MA-L,70B3D5,IEEE Registration Authority,445 Hoes Lane Piscataway NJ US 08554 \n";
constexpr char kMamCsv[] =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-M,402C761,Shanghai Dahua Scale Factory,\"No.1013 Wangqiao Road,Pudong New District "
    "Shanghai Shanghai CN 201201 \"\n"
    "MA-M,741AE09,Private,\n";
constexpr char kOui36Csv[] =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-S,70B3D5F2F,TELEPLATFORMS,\"Polbina st., 3/1 Moscow  RU 109388 \"\n";

OuiRegistry InlineRegistry() {
  OuiRegistry registry;
  EXPECT_TRUE(registry.AddCsv(kOuiCsv, "oui.csv").ok());
  EXPECT_TRUE(registry.AddCsv(kMamCsv, "mam.csv").ok());
  EXPECT_TRUE(registry.AddCsv(kOui36Csv, "oui36.csv").ok());
  return registry;
}

MacAddress Mac(const char* text) {
  auto mac = ParseMac(text);
  EXPECT_TRUE(mac.ok()) << text;
  return mac.ok() ? *mac : MacAddress{};
}

TEST(MacTest, ParsesTheUsualLayouts) {
  EXPECT_EQ(Mac("44:d7:91:01:02:03").ToString(), "44:D7:91:01:02:03");
  EXPECT_EQ(Mac("44-D7-91-01-02-03").ToString(), "44:D7:91:01:02:03");
  EXPECT_EQ(Mac("44d7.9101.0203").ToString(), "44:D7:91:01:02:03");
  EXPECT_EQ(Mac(" 44D791010203 ").ToString(), "44:D7:91:01:02:03");
  for (const char* bad : {"", "44:D7:91:01:02", "44:D7:91:01:02:0G", "44:D7-91:01:02:03",
                          "44D79101020", "44d7.9101-0203", "44:D7:91:01:02:03:04"}) {
    auto mac = ParseMac(bad);
    EXPECT_FALSE(mac.ok()) << bad;
    if (!mac.ok()) {
      EXPECT_THAT(mac.status().message(), StartsWith("bad MAC address"));
    }
  }
}

TEST(MacTest, MulticastAndLocalBits) {
  EXPECT_TRUE(Mac("01:00:5E:00:00:01").multicast());
  EXPECT_FALSE(Mac("01:00:5E:00:00:01").locally_administered());
  EXPECT_TRUE(Mac("02:42:AC:11:00:02").locally_administered());  // A container's address.
  EXPECT_FALSE(Mac("02:42:AC:11:00:02").multicast());
  EXPECT_FALSE(Mac("44:D7:91:01:02:03").multicast());
  EXPECT_FALSE(Mac("44:D7:91:01:02:03").locally_administered());
}

TEST(OuiRegistryTest, LongestPrefixWins) {
  OuiRegistry registry = InlineRegistry();
  EXPECT_EQ(registry.size(), 7u);

  OuiLookup huawei = registry.Lookup(Mac("44:D7:91:AA:BB:CC"));
  EXPECT_TRUE(huawei.found());
  EXPECT_EQ(huawei.organization, "HUAWEI TECHNOLOGIES CO.,LTD");
  EXPECT_EQ(huawei.country, "CN");
  EXPECT_EQ(huawei.registry, "MA-L");
  EXPECT_EQ(huawei.assignment, "44D791");

  // MA-M inside an MA-L block held by the registration authority.
  OuiLookup scale = registry.Lookup(Mac("40:2C:76:1A:BB:CC"));
  EXPECT_EQ(scale.organization, "Shanghai Dahua Scale Factory");
  EXPECT_EQ(scale.registry, "MA-M");
  EXPECT_EQ(scale.assignment, "402C761");
  EXPECT_EQ(scale.country, "CN");
  // Outside the MA-M block: only the authority's MA-L.
  EXPECT_EQ(registry.Lookup(Mac("40:2C:76:2A:BB:CC")).organization, "IEEE Registration Authority");

  OuiLookup mas = registry.Lookup(Mac("70:B3:D5:F2:FA:BC"));
  EXPECT_EQ(mas.organization, "TELEPLATFORMS");
  EXPECT_EQ(mas.registry, "MA-S");
  EXPECT_EQ(mas.country, "RU");

  OuiLookup hidden = registry.Lookup(Mac("74:1A:E0:9F:00:01"));
  EXPECT_EQ(hidden.outcome, OuiLookup::Outcome::kPrivate);
  EXPECT_THAT(hidden.Explain(), HasSubstr("registered privately"));

  EXPECT_EQ(registry.Lookup(Mac("00:11:22:33:44:55")).outcome, OuiLookup::Outcome::kNotFound);
}

TEST(OuiRegistryTest, LocalAndMulticastAreNotLookedUp) {
  OuiRegistry registry = InlineRegistry();
  // 46:D7:91 is Huawei's 44:D7:91 with the local bit set: not Huawei's.
  OuiLookup local = registry.Lookup(Mac("46:D7:91:01:02:03"));
  EXPECT_EQ(local.outcome, OuiLookup::Outcome::kLocallyAdministered);
  EXPECT_TRUE(local.organization.empty());
  EXPECT_THAT(local.Explain(), HasSubstr("locally administered"));
  OuiLookup group = registry.Lookup(Mac("45:D7:91:01:02:03"));
  EXPECT_EQ(group.outcome, OuiLookup::Outcome::kMulticast);
  EXPECT_THAT(group.Explain(), HasSubstr("multicast"));
}

TEST(OuiRegistryTest, CountryFromAddress) {
  EXPECT_EQ(OuiRegistry::CountryFromAddress("No.555 Qianmo Road Hangzhou Zhejiang CN 310052"),
            "CN");
  EXPECT_EQ(OuiRegistry::CountryFromAddress("80 West Tasman Drive San Jose CA US 94568"), "US");
  EXPECT_EQ(OuiRegistry::CountryFromAddress("High Tech Campus 27 Eindhoven NB NL 5656 AE"), "NL");
  EXPECT_EQ(OuiRegistry::CountryFromAddress("Güterstraße 5 DE"), "DE");
  EXPECT_EQ(OuiRegistry::CountryFromAddress("Emdalavägen 14 LUND SE 22369"), "SE");
  EXPECT_EQ(OuiRegistry::CountryFromAddress(""), "");
  EXPECT_EQ(OuiRegistry::CountryFromAddress("somewhere without a code"), "");
}

TEST(OuiRegistryTest, BadFilesNameTheLine) {
  OuiRegistry registry;
  EXPECT_THAT(registry.AddCsv("a,b,c\n", "x.csv").message(), StartsWith("x.csv:1: expected the "
                                                                        "header"));
  EXPECT_THAT(registry
                  .AddCsv("Registry,Assignment,Organization Name,Organization Address\n"
                          "MA-L,44D79,Someone,Somewhere US\n",
                          "x.csv")
                  .message(),
              StartsWith("x.csv:2: assignment \"44D79\" is not 6, 7 or 9 hex digits"));
  EXPECT_THAT(registry
                  .AddCsv("Registry,Assignment,Organization Name,Organization Address\n"
                          "MA-L,44D791,Someone\n",
                          "x.csv")
                  .message(),
              StartsWith("x.csv:2: expected 4 fields, found 3"));
  auto missing = OuiRegistry::LoadDirectory("/nonexistent-dir");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("ieee-data"));
}

// The installed registry (Debian package ieee-data).
class InstalledOuiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(std::string(OuiRegistry::kDefaultDirectory) + "/oui.csv")) {
      GTEST_SKIP() << "IEEE registry not installed at " << OuiRegistry::kDefaultDirectory
                   << " (apt-get install ieee-data)";
    }
    auto loaded = OuiRegistry::LoadDirectory(OuiRegistry::kDefaultDirectory);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    registry_ = std::move(loaded).value();
  }
  OuiRegistry registry_;
};

TEST_F(InstalledOuiTest, NamesChineseAndOtherVendors) {
  std::printf("IEEE registry: %zu assignments\n", registry_.size());
  EXPECT_GT(registry_.size(), 40000u);
  struct Case {
    const char* mac;
    const char* organization;
    const char* country;
    const char* registry;
  };
  // Prefixes found in the registry files themselves (grep), not made up.
  const Case cases[] = {
      {"44:D7:91:12:34:56", "HUAWEI TECHNOLOGIES CO.,LTD", "CN", "MA-L"},
      {"10:32:7E:12:34:56", "Huawei Device Co., Ltd.", "CN", "MA-L"},
      {"08:60:83:12:34:56", "zte corporation", "CN", "MA-L"},
      {"44:47:CC:12:34:56", "Hangzhou Hikvision Digital Technology Co.,Ltd.", "CN", "MA-L"},
      {"08:ED:ED:12:34:56", "Zhejiang Dahua Technology Co., Ltd.", "CN", "MA-L"},
      {"00:31:92:12:34:56", "TP-Link Corporation Limited", "HK", "MA-L"},
      {"F4:BD:9E:12:34:56", "Cisco Systems, Inc", "US", "MA-L"},
      {"AC:CC:8E:12:34:56", "Axis Communications AB", "SE", "MA-L"},
      {"40:2C:76:1A:BC:DE", "Shanghai Dahua Scale Factory", "CN", "MA-M"},
      {"70:B3:D5:F2:F1:23", "TELEPLATFORMS", "RU", "MA-S"},
      {"00:50:C2:7D:51:23", "DEUTA-WERKE GmbH", "DE", "IAB"},
  };
  for (const Case& c : cases) {
    OuiLookup lookup = registry_.Lookup(Mac(c.mac));
    EXPECT_TRUE(lookup.found()) << c.mac;
    EXPECT_EQ(lookup.organization, c.organization) << c.mac;
    EXPECT_EQ(lookup.country, c.country) << c.mac;
    EXPECT_EQ(lookup.registry, c.registry) << c.mac;
  }
  EXPECT_EQ(registry_.Lookup(Mac("74:1A:E0:9F:00:01")).outcome, OuiLookup::Outcome::kPrivate);
}

}  // namespace
}  // namespace icts::inventory
