// Every shipped pack loads and passes its own tests (rules/<pack>/tests).
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "rules/pack.h"
#include "rules/pack_tests.h"
#include "tests/test_util.h"

namespace icts::rules {
namespace {

TEST(ShippedPacks, LoadAndPassTheirTests) {
  Result<PackSet> set = LoadPackDir(testing::SourceDir() + "/rules");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  std::set<std::string> ids;
  for (const Pack& p : set->packs) ids.insert(p.id);
  for (const char* want : {"foreign-adversaries", "part-791-scope", "part-791-nexus",
                           "kaspersky-final-determination", "list-flags", "risk-factors"}) {
    EXPECT_EQ(ids.count(want), 1u) << want;
  }
  Result<std::vector<PackTestResult>> results = RunPackTests(*set);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  std::set<std::string> packs_with_tests;
  for (const PackTestResult& r : *results) {
    packs_with_tests.insert(r.pack);
    std::string why;
    for (const std::string& f : r.failures) why += "\n  " + f;
    EXPECT_TRUE(r.failures.empty()) << r.pack << ": " << r.name << why;
  }
  EXPECT_EQ(packs_with_tests, ids) << "every pack ships tests";
  EXPECT_GE(results->size(), 40u);
}

TEST(ShippedPacks, EveryRuleCarriesAVerificationTag) {
  Result<PackSet> set = LoadPackDir(testing::SourceDir() + "/rules");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  for (const Pack& p : set->packs) {
    for (const Rule& r : p.rules) {
      EXPECT_FALSE(r.citation.text.empty()) << p.id << "/" << r.id;
      // The loader only accepts V, S or M; a tag other than V must be said
      // in the pack source too (the weakest of the pack's rules).
      if (r.citation.verification != Verification::kVerified) {
        EXPECT_NE(VerificationTag(r.citation.verification), "V");
      }
    }
  }
}

TEST(ShippedPacks, RunOnlyOnePack) {
  Result<PackSet> set = LoadPackDir(testing::SourceDir() + "/rules");
  ASSERT_TRUE(set.ok());
  Result<std::vector<PackTestResult>> one = RunPackTests(*set, "kaspersky-final-determination");
  ASSERT_TRUE(one.ok());
  ASSERT_FALSE(one->empty());
  for (const PackTestResult& r : *one) EXPECT_EQ(r.pack, "kaspersky-final-determination");
  EXPECT_FALSE(RunPackTests(*set, "no-such-pack").ok());
}

}  // namespace
}  // namespace icts::rules
