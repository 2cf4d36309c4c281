#include <string>

#include <gtest/gtest.h>

#include "base/date.h"
#include "cases/case.h"

namespace icts::cases {
namespace {

Date D(const char* iso) { return *Date::ParseIso(iso); }

TEST(DeadlineRules, ShippedFileParses) {
  auto rules = ShippedDeadlineRules();
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const DeadlineRules& r = **rules;
  EXPECT_EQ(r.id, "part-791-case-deadlines");
  ASSERT_NE(r.Period(RuleVersion::kInterim), nullptr);
  ASSERT_NE(r.Period(RuleVersion::kFinal), nullptr);
  EXPECT_EQ(r.Period(RuleVersion::kFinal)->from->ToIso(), "2025-02-04");
  EXPECT_EQ(r.Period(RuleVersion::kInterim)->to->ToIso(), "2025-02-03");
  for (const DeadlineRule& rule : r.rules) {
    EXPECT_FALSE(rule.citation.text.empty()) << rule.id;
    EXPECT_NE(std::string("VSM").find(rule.citation.verification), std::string::npos) << rule.id;
  }
}

TEST(DeadlineRules, VersionBoundary) {
  const DeadlineRules& r = **ShippedDeadlineRules();
  EXPECT_FALSE(r.VersionOn(D("2021-03-21")).has_value());
  EXPECT_EQ(r.VersionOn(D("2021-03-22")), RuleVersion::kInterim);
  EXPECT_EQ(r.VersionOn(D("2025-02-03")), RuleVersion::kInterim);
  EXPECT_EQ(r.VersionOn(D("2025-02-04")), RuleVersion::kFinal);
}

// The numbers that matter, read from the data with their tags: the final
// response window is a working assumption [M]; the rest were read [V].
TEST(DeadlineRules, ShippedNumbersAndTags) {
  const DeadlineRules& r = **ShippedDeadlineRules();
  struct Want {
    const char* id;
    int days, years;
    char tag;
  } wants[] = {
      {"interim/response-window", 30, 0, 'V'}, {"interim/final-determination", 180, 0, 'V'},
      {"final/agency-notice", 21, 0, 'V'},     {"final/response-window", 30, 0, 'M'},
      {"final/concurrence", 14, 0, 'V'},       {"final/final-determination", 180, 0, 'V'},
      {"final/records-after-fd", 0, 10, 'V'},  {"final/records-no-id", 0, 10, 'V'},
      {"subpart-d/records", 0, 10, 'V'},
  };
  ASSERT_EQ(r.rules.size(), std::size(wants));
  for (const Want& w : wants) {
    const DeadlineRule* found = nullptr;
    for (const DeadlineRule& rule : r.rules) {
      if (rule.id == w.id) found = &rule;
    }
    ASSERT_NE(found, nullptr) << w.id;
    EXPECT_EQ(found->days, w.days) << w.id;
    EXPECT_EQ(found->years, w.years) << w.id;
    EXPECT_EQ(found->citation.verification, w.tag) << w.id;
  }
}

constexpr char kMinimal[] = R"(id: t
versions:
  - id: final
    from: 2025-02-04
    citation: {text: x, verification: V}
deadlines:
  - id: a
    what: w
    version: final
    kind: due
    start: [id-served]
    days: 30
    closes_with: [response-received]
    citation: {text: c, verification: M}
)";

TEST(DeadlineRules, MinimalParses) {
  auto r = ParseDeadlineRules(kMinimal, "t.yaml");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rules.size(), 1u);
  EXPECT_EQ(r->rules[0].line, 7);
}

void ExpectError(const std::string& from, const std::string& to, const std::string& want) {
  std::string text = kMinimal;
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  auto r = ParseDeadlineRules(text, "t.yaml");
  ASSERT_FALSE(r.ok()) << "accepted: " << to;
  EXPECT_NE(r.status().message().find(want), std::string::npos)
      << "want: " << want << "\ngot:  " << r.status().message();
}

TEST(DeadlineRules, StrictErrorsNameFileAndLine) {
  ExpectError("    days: 30\n", "    days: 30\n    dayz: 3\n",
              "t.yaml:13: deadline 'a': unknown key 'dayz'");
  ExpectError("from: 2025-02-04", "from: 2025-02-30", "t.yaml:4: versions[0]: from '2025-02-30'");
  ExpectError("[response-received]", "[response-recieved]",
              "t.yaml:13: deadline 'a' closes_with: unknown event kind 'response-recieved'");
  ExpectError("{text: c, verification: M}", "{text: c}", "missing required key 'verification'");
  ExpectError("{text: c, verification: M}", "{text: c, verification: X}", "must be V, S or M");
  ExpectError("version: final\n    kind", "version: interim\n    kind",
              "not defined under 'versions'");
  ExpectError("days: 30", "days: -3", "t.yaml:12: deadline 'a' days: expected a whole number");
  ExpectError("days: 30", "days: 30\n    years: 1", "exactly one of 'days' and 'years'");
  ExpectError("kind: due", "kind: someday", "kind must be not-before, due or retain-until");
  ExpectError("    closes_with: [response-received]\n", "", "needs closes_with");
  ExpectError("id: t\n", "id: t\nextra: 1\n", "t.yaml:2: deadline rules: unknown key 'extra'");
  ExpectError("days: 30", "days: [30", "t.yaml:");
}

TEST(DeadlineRules, OverlappingVersionsRefused) {
  std::string text = kMinimal;
  text.replace(text.find("deadlines:"), 0,
               "  - id: interim\n    from: 2021-03-22\n    to: 2025-02-04\n"
               "    citation: {text: y, verification: V}\n");
  auto r = ParseDeadlineRules(text, "t.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("overlap"), std::string::npos) << r.status().message();
}

TEST(DeadlineRules, DuplicateIdsRefused) {
  std::string text = kMinimal;
  std::string rule = text.substr(text.find("  - id: a"));
  text += rule;
  auto r = ParseDeadlineRules(text, "t.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("given twice"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace icts::cases
