// The pack loader is strict: each mistake is an error naming file:line:column.
#include <string>

#include <gtest/gtest.h>

#include "rules/pack.h"

namespace icts::rules {
namespace {

Taxonomy SmallTaxonomy() {
  Result<Taxonomy> t = ParseTaxonomy(R"(tags:
  - {id: router, group: hardware, description: Routers}
  - {id: antivirus, group: security, description: Anti-virus}
)",
                                     "taxonomy.yaml");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return *t;
}

const char* const kGood = R"(id: p
version: "1"
title: A pack
status: in-force
source: {text: "15 CFR 791.3", verification: V}
rules:
  - id: a
    kind: list-flag
    title: A flag
    series: s
    effective: {from: 2021-01-19, to: 2025-02-03}
    citation: {text: "x", verification: S}
    severity: review
    params: {lists: [FCC Covered List], consequence: "c"}
  - id: b
    kind: list-flag
    title: Next version
    series: s
    effective: {from: 2025-02-04}
    citation: {text: "x", verification: V}
    severity: info
    params: {lists: [FCC Covered List], consequence: "c"}
)";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t i = s.find(from);
  EXPECT_NE(i, std::string::npos) << from;
  if (i != std::string::npos) s.replace(i, from.size(), to);
  return s;
}

std::string ErrorOf(const std::string& yaml) {
  Result<Pack> p = ParsePack(yaml, "pack.yaml", SmallTaxonomy());
  EXPECT_FALSE(p.ok()) << yaml;
  return p.ok() ? "" : std::string(p.status().message());
}

TEST(PackLoader, ParsesAGoodPack) {
  Result<Pack> p = ParsePack(kGood, "pack.yaml", SmallTaxonomy());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, "p");
  ASSERT_EQ(p->rules.size(), 2u);
  EXPECT_EQ(p->rules[0].kind, RuleKind::kListFlag);
  EXPECT_EQ(p->rules[0].citation.verification, Verification::kSecondary);
  EXPECT_EQ(p->rules[0].effective.to->ToIso(), "2025-02-03");
  EXPECT_EQ(p->rules[1].line, 15);
  EXPECT_EQ(p->sha256.size(), 64u);
}

struct BadCase {
  const char* what;
  std::string from, to;
  std::string expect;  // Substring of the error, with its location.
};

TEST(PackLoader, RejectsMistakesWithTheirLocation) {
  const BadCase cases[] = {
      {"unknown top key", "status: in-force", "status: in-force\nowner: me",
       "pack.yaml:5:1: unknown key 'owner'"},
      {"unknown rule key", "    severity: info", "    severity: info\n    priority: 1",
       "pack.yaml:22:5: unknown key 'priority' in a rule"},
      {"bad date", "from: 2025-02-04}", "from: 2025-02-30}",
       "pack.yaml:19:23: effective.from: '2025-02-30' is not a date"},
      {"end before start", "{from: 2021-01-19, to: 2025-02-03}",
       "{from: 2021-01-19, to: 2020-02-03}",
       "pack.yaml:11:16: effective ends (2020-02-03) before it starts"},
      {"overlapping versions", "from: 2025-02-04}", "from: 2025-02-03}",
       "pack.yaml:15:5: rule 'b' overlaps rule 'a' (line 7)"},
      {"unknown kind", "kind: list-flag\n    title: Next", "kind: policy\n    title: Next",
       "pack.yaml:16:11: unknown rule kind 'policy'"},
      {"bad verification", "verification: S}", "verification: X}",
       "pack.yaml:12:41: verification 'X' must be V"},
      {"bad severity", "severity: review", "severity: fatal", "pack.yaml:13:15: severity 'fatal'"},
      {"bad status", "status: in-force", "status: draft", "pack.yaml:4:9: status 'draft'"},
      {"duplicate rule id", "  - id: b", "  - id: a", "pack.yaml:15:9: rule id 'a' used twice"},
      {"missing params key", "params: {lists: [FCC Covered List], consequence: \"c\"}\n  - id: b",
       "params: {lists: [FCC Covered List]}\n  - id: b", "lacks the required key 'consequence'"},
      {"yaml syntax", "rules:", "rules: [", "pack.yaml:"},
  };
  for (const BadCase& c : cases) {
    const std::string err = ErrorOf(Replace(kGood, c.from, c.to));
    EXPECT_NE(err.find(c.expect), std::string::npos) << c.what << ": " << err;
  }
}

TEST(PackLoader, ChecksItemTagsAgainstTheTaxonomy) {
  const std::string pack = R"(id: k
version: "1"
title: K
status: in-force
source: {text: "x", verification: S}
rules:
  - id: k
    kind: entity-prohibition
    title: K
    citation: {text: "x", verification: S}
    severity: prohibited
    params:
      family: k
      roles: [supplier]
      product_tags: [antivirus, toaster]
      activities: [{acts: [new-agreement], from: 2024-07-20, severity: prohibited}]
)";
  const std::string err = ErrorOf(pack);
  EXPECT_NE(err.find("pack.yaml:15:33: unknown item tag 'toaster'"), std::string::npos) << err;
}

TEST(PackLoader, TaxonomyRejectsDuplicatesAndUnknownGroups) {
  EXPECT_FALSE(ParseTaxonomy("tags:\n  - {id: a, group: hardware, description: x}\n  - {id: a, "
                             "group: hardware, description: y}\n",
                             "t.yaml")
                   .ok());
  Result<Taxonomy> bad =
      ParseTaxonomy("tags:\n  - {id: a, group: gadgets, description: x}\n", "t.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("t.yaml:2:"), std::string::npos) << bad.status().ToString();
}

TEST(PackLoader, AddPackRejectsDuplicateIds) {
  PackSet set;
  set.taxonomy = SmallTaxonomy();
  Result<Pack> a = ParsePack(kGood, "a.yaml", set.taxonomy);
  Result<Pack> b = ParsePack(kGood, "b.yaml", set.taxonomy);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(AddPack(&set, *a).ok());
  Status s = AddPack(&set, *b);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("already used by a.yaml"), std::string::npos);
}

}  // namespace
}  // namespace icts::rules
