#include "graph/rules.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace icts::graph {
namespace {

using ::testing::HasSubstr;

Date D(const char* iso) { return *Date::ParseIso(iso); }

TEST(Rules, ShippedAdversaryListIsEffectiveDated) {
  auto list = ParseAdversaryList(EmbeddedRule("foreign-adversaries"), "fa.yaml");
  ASSERT_TRUE(list.ok()) << list.status().message();
  std::vector<std::string> codes;
  for (const auto& a : list->adversaries) codes.push_back(a.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"CN", "CU", "IR", "KP", "RU", "VE-MADURO"}));
  // Hong Kong counts as China from 2021-01-19; Macau only from 2025-02-04.
  EXPECT_EQ(list->Match("HK", D("2021-01-19")), 0u);
  EXPECT_FALSE(list->Match("HK", D("2021-01-18")).has_value());
  EXPECT_FALSE(list->Match("MO", D("2025-02-03")).has_value());
  EXPECT_EQ(list->Match("MO", D("2025-02-04")), 0u);
  EXPECT_EQ(list->Match("RU", D("2024-01-01")), 4u);
  EXPECT_EQ(list->Match("VE-MADURO", D("2024-01-01")), 5u);
  EXPECT_FALSE(list->Match("VE", D("2024-01-01")).has_value());
  const Jurisdiction* mo = list->MatchJurisdiction("MO", D("2025-06-01"));
  ASSERT_NE(mo, nullptr);
  EXPECT_THAT(mo->citation.text, HasSubstr("89 FR 96893"));
  EXPECT_EQ(mo->citation.verification, 'V');
}

TEST(Rules, ShippedNexusDefinitions) {
  auto ab = ParseNexusDefinition(EmbeddedRule("nexus/subpart-ab"), "ab.yaml");
  ASSERT_TRUE(ab.ok()) << ab.status().message();
  EXPECT_TRUE(ab->agency && ab->citizenship && ab->organization && ab->ownership);
  EXPECT_TRUE(ab->us_person_carveout);
  ASSERT_TRUE(ab->majority.has_value());
  EXPECT_DOUBLE_EQ(*ab->majority, 0.5);
  EXPECT_DOUBLE_EQ(ab->review_from, 0.10);
  EXPECT_TRUE(ab->adversaries.empty());
  EXPECT_EQ(ab->ownership_citation.verification, 'V');
  EXPECT_EQ(ab->control_holds.size(), 5u);

  auto d = ParseNexusDefinition(EmbeddedRule("nexus/subpart-d"), "d.yaml");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_FALSE(d->majority.has_value());  // Threshold unknown until 791.301 is read.
  ASSERT_TRUE(d->reported_threshold.has_value());
  EXPECT_DOUBLE_EQ(*d->reported_threshold, 0.25);
  EXPECT_EQ(d->threshold_citation.verification, 'M');
  EXPECT_EQ(d->adversaries, (std::vector<std::string>{"CN", "RU"}));
  EXPECT_TRUE(d->control_holds.empty());
  auto interim = ParseNexusDefinition(EmbeddedRule("nexus/subpart-ab-interim"), "i.yaml");
  ASSERT_TRUE(interim.ok()) << interim.status().message();
  EXPECT_FALSE(interim->us_person_carveout);  // The interim 7.2 has no carve-out.
  ASSERT_TRUE(interim->to.has_value());
  EXPECT_EQ(interim->to->ToIso(), "2025-02-03");
  EXPECT_EQ(EmbeddedNexusNames().size(), 3u);
  EXPECT_TRUE(EmbeddedRule("nope").empty());
}

struct BadCase {
  const char* yaml;
  const char* error;
};

TEST(Rules, StrictAdversaryList) {
  const BadCase cases[] = {
      {"id: x\nadversaries:\n  - code: CN\n    name: China\n    colour: red\n",
       "x.yaml:5: adversary: unknown key 'colour'"},
      {"id: x\nadversaries:\n  - code: CN\n    name: China\n    from: 2021-02-30\n    citation: "
       "{text: t, verification: V}\n    jurisdictions: []\n",
       "x.yaml:5: adversary: from '2021-02-30' is not a YYYY-MM-DD date"},
      {"id: x\nadversaries:\n  - code: CN\n    name: China\n    citation: {text: t, verification: "
       "Q}\n    jurisdictions: []\n",
       "verification must be V, S or M"},
      {"id: x\nadversaries:\n  - code: CN\n    name: China\n    citation: {text: t}\n    "
       "jurisdictions: []\n",
       "missing required key 'verification'"},
      {"id: x\n", "missing required key 'adversaries'"},
      {"id: [x\n", "x.yaml:"},
      {"- a\n", "expected a mapping at the top"},
  };
  for (const auto& c : cases) {
    auto r = ParseAdversaryList(c.yaml, "x.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_THAT(r.status().message(), HasSubstr(c.error)) << c.yaml;
  }
}

TEST(Rules, StrictNexusDefinition) {
  std::string base = std::string(EmbeddedRule("nexus/subpart-ab"));
  auto bad = base;
  bad.replace(bad.rfind("review_from: 0.10"), 17, "review_from: 0.60");
  auto r = ParseNexusDefinition(bad, "n.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("review_from is above majority"));
  bad = base;
  bad.replace(bad.rfind("majority: 0.5"), 13, "majority: 50");
  r = ParseNexusDefinition(bad, "n.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("majority: expected a fraction in [0, 1]"));
  bad = base;
  bad.replace(bad.rfind("board-majority"), 14, "golden-share");
  r = ParseNexusDefinition(bad, "n.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unknown control kind 'golden-share'"));
  bad = base + "extra: 1\n";
  r = ParseNexusDefinition(bad, "n.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unknown key 'extra'"));
  r = ParseNexusDefinition(std::string(100, '[') + "\n", "n.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("nested too deeply"));
}

}  // namespace
}  // namespace icts::graph
