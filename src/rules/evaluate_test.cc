// Evaluator properties that pack tests cannot state: order independence,
// errors forcing needs_review, non-binding packs, and input validation with
// JSON pointers.
#include <algorithm>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "rules/evaluate.h"
#include "rules/facts.h"
#include "rules/pack.h"
#include "tests/test_util.h"

namespace icts::rules {
namespace {

using nlohmann::json;

PackSet Shipped() {
  Result<PackSet> set = LoadPackDir(testing::SourceDir() + "/rules");
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return set.ok() ? *set : PackSet();
}

json RouterTx() {
  return json::parse(R"({
    "id": "tx", "date": "2025-06-01", "activity": "acquisition",
    "item": {"kind": "hardware", "tags": ["router"]},
    "parties": [
      {"role": "buyer", "name": "Acme Inc.", "type": "organization",
       "countries": [{"code": "US", "role": "incorporation"}], "us_person": true, "screened": true},
      {"role": "manufacturer", "name": "Example Networks Co., Ltd.", "type": "organization",
       "countries": [{"code": "CN", "role": "incorporation"}], "us_person": false,
       "ownership_known": true, "lists": [{"list": "FCC Covered List", "score": 0.95}]}
    ]})");
}

Transaction Read(const json& j, const Taxonomy& t) {
  Result<Transaction> tx = ReadTransaction(j, t);
  EXPECT_TRUE(tx.ok()) << tx.status().ToString();
  return *tx;
}

TEST(Evaluate, OrderOfPacksAndRulesNeverChangesTheResult) {
  const PackSet set = Shipped();
  const Transaction tx = Read(RouterTx(), set.taxonomy);
  const std::string want = DeterminationToJson(Evaluate(set, tx)).dump();
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    PackSet shuffled = set;
    std::shuffle(shuffled.packs.begin(), shuffled.packs.end(), rng);
    for (Pack& p : shuffled.packs) std::shuffle(p.rules.begin(), p.rules.end(), rng);
    EXPECT_EQ(DeterminationToJson(Evaluate(shuffled, tx)).dump(), want) << "round " << round;
  }
  const Determination d = Evaluate(set, tx);
  EXPECT_EQ(d.outcome, Outcome::kNeedsReview);
  EXPECT_EQ(d.covered, Tri::kYes);
}

TEST(Evaluate, AnErroringRuleForcesNeedsReview) {
  PackSet set = Shipped();
  // Without the adversary list the nexus rules cannot run.
  set.packs.erase(std::remove_if(set.packs.begin(), set.packs.end(),
                                 [](const Pack& p) { return p.id == "foreign-adversaries"; }),
                  set.packs.end());
  json j = RouterTx();
  j["parties"][1].erase("lists");
  j["parties"][1]["screened"] = true;
  const Determination d = Evaluate(set, Read(j, set.taxonomy));
  EXPECT_EQ(d.outcome, Outcome::kNeedsReview);
  bool error = false;
  for (const TraceEntry& t : d.trace) error |= t.result == RuleResult::kError;
  EXPECT_TRUE(error);
  EXPECT_FALSE(d.determining.empty());
}

TEST(Evaluate, ProposedPacksNeverProhibit) {
  PackSet set = Shipped();
  for (Pack& p : set.packs) {
    if (p.id == "kaspersky-final-determination") p.status = PackStatus::kProposed;
  }
  const json j = json::parse(R"({
    "id": "k", "date": "2025-01-10", "activity": "acquisition", "agreement": "new",
    "item": {"tags": ["antivirus"]},
    "parties": [
      {"role": "buyer", "name": "Acme", "us_person": true, "screened": true},
      {"role": "supplier", "name": "Kaspersky Lab, Inc.", "type": "organization",
       "countries": [{"code": "US", "role": "incorporation"}], "us_person": true,
       "ownership_known": true, "families": ["kaspersky"]}]})");
  const Determination d = Evaluate(set, Read(j, set.taxonomy));
  EXPECT_EQ(d.outcome, Outcome::kNeedsReview);
  bool capped = false;
  for (const Finding& f : d.findings)
    capped |= f.explanation.find("not binding") != std::string::npos;
  EXPECT_TRUE(capped);
}

TEST(Evaluate, AsOfChangesTheAnswerByDesign) {
  const PackSet set = Shipped();
  json j = RouterTx();
  j["parties"][1]["countries"][0]["code"] = "MO";
  j["parties"][1].erase("lists");
  j["parties"][1]["screened"] = true;
  j["item"]["counts"] = {{"us_units_sold_12m", 5000000}};
  const Transaction tx = Read(j, set.taxonomy);
  EvaluateOptions before, after;
  before.as_of = *Date::ParseIso("2025-02-03");
  after.as_of = *Date::ParseIso("2025-02-04");
  EXPECT_EQ(Evaluate(set, tx, before).outcome, Outcome::kClear);
  EXPECT_EQ(Evaluate(set, tx, after).outcome, Outcome::kNeedsReview);
  const Determination d = Evaluate(set, tx, after);
  EXPECT_EQ(d.provenance.as_of, "2025-02-04");
  EXPECT_EQ(d.provenance.packs.size(), set.packs.size());
  EXPECT_EQ(d.provenance.input_sha256.size(), 64u);
  ASSERT_TRUE(d.weakest.has_value());
}

struct InputCase {
  const char* what;
  const char* patch;  // JSON merge patch applied to RouterTx()
  const char* error;  // Expected start of the error (its JSON pointer).
};

TEST(Evaluate, ListFlagItemTagsLimitTheRule) {
  PackSet set = Shipped();
  Result<Pack> company =
      LoadPack(testing::SourceDir() + "/docs/examples/company-pack.yaml", set.taxonomy);
  ASSERT_TRUE(company.ok()) << company.status().ToString();
  ASSERT_TRUE(AddPack(&set, std::move(*company)).ok());
  auto result = [&](const json& item) {
    json j = RouterTx();
    j["item"] = item;
    const Determination d = Evaluate(set, Read(j, set.taxonomy));
    for (const TraceEntry& t : d.trace) {
      if (t.rule == "acme-camera-policy/no-covered-list-cameras") return t.result;
    }
    return RuleResult::kError;  // Not in the trace: not what any case expects.
  };
  EXPECT_EQ(result(json::parse(R"({"kind": "hardware", "tags": ["surveillance-camera"]})")),
            RuleResult::kFires);
  EXPECT_EQ(result(json::parse(R"({"kind": "hardware", "tags": ["router"]})")),
            RuleResult::kDoesNotFire);
  EXPECT_EQ(result(json::parse(R"({"kind": "hardware", "tags": []})")), RuleResult::kUnknown);
}

TEST(Evaluate, OneListFindingPerPartyNamingEveryEntry) {
  const PackSet set = Shipped();
  json j = RouterTx();
  j["parties"][1]["lists"] = json::parse(R"([
    {"list": "FCC Covered List", "entity_id": "a", "name": "Example Networks", "score": 0.95},
    {"list": "FCC Covered List", "entity_id": "b", "name": "Example Networks Co", "score": 0.91}])");
  const Determination d = Evaluate(set, Read(j, set.taxonomy));
  size_t n = 0;
  for (const Finding& f : d.findings) {
    if (f.rule != "list-flags/fcc-covered-list") continue;
    ++n;
    EXPECT_NE(f.explanation.find("(a)"), std::string::npos) << f.explanation;
    EXPECT_NE(f.explanation.find("(b)"), std::string::npos) << f.explanation;
  }
  EXPECT_EQ(n, 1u);
}

TEST(ReadTransaction, ErrorsCarryTheJsonPointer) {
  const PackSet set = Shipped();
  const InputCase cases[] = {
      {"missing date", R"({"date": null})", "/date: required"},
      {"bad date", R"({"date": "2025-13-01"})", "/date: '2025-13-01' is not a date"},
      {"unknown activity", R"({"activity": "borrowing"})", "/activity: unknown value 'borrowing'"},
      {"unknown tag", R"({"item": {"tags": ["router", "toaster"]}})",
       "/item/tags/1: unknown tag 'toaster'"},
      {"unknown field", R"({"colour": "red"})", "/colour: unknown field 'colour'"},
      {"bad count", R"({"item": {"counts": {"us_units_sold_12m": -1}}})",
       "/item/counts/us_units_sold_12m: must be a non-negative integer"},
      {"no parties", R"({"parties": []})", "/parties: required"},
      {"empty activity", R"({"activity": ""})", "/activity: required: must not be empty"},
      {"empty id", R"({"id": ""})", "/id: required: must not be empty"},
  };
  for (const InputCase& c : cases) {
    json j = RouterTx();
    j.merge_patch(json::parse(c.patch));
    Result<Transaction> tx = ReadTransaction(j, set.taxonomy);
    ASSERT_FALSE(tx.ok()) << c.what;
    EXPECT_EQ(tx.status().message().rfind(c.error, 0), 0u)
        << c.what << ": " << tx.status().ToString();
  }
  json contradictory = RouterTx();
  contradictory["parties"][1]["countries"].push_back({{"code", "DE"}, {"role", "incorporation"}});
  Result<Transaction> tx = ReadTransaction(contradictory, set.taxonomy, "/4");
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.status().message().rfind("/4/parties/1/countries/1: contradictory countries", 0), 0u)
      << tx.status().ToString();
  json bad_role = RouterTx();
  bad_role["parties"][0]["role"] = "owner";
  tx = ReadTransaction(bad_role, set.taxonomy);
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.status().message().rfind("/parties/0/role: unknown value 'owner'", 0), 0u);
  bad_role["parties"][0]["role"] = "";
  tx = ReadTransaction(bad_role, set.taxonomy);
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.status().message().rfind("/parties/0/role: required: must not be empty", 0), 0u)
      << tx.status().ToString();
}

TEST(ReadTransaction, RoundTripsThroughJson) {
  const PackSet set = Shipped();
  const Transaction a = Read(RouterTx(), set.taxonomy);
  const Transaction b = Read(TransactionToJson(a), set.taxonomy);
  EXPECT_EQ(TransactionToJson(a).dump(), TransactionToJson(b).dump());
  EXPECT_EQ(a.parties[1].lists.size(), 1u);
  EXPECT_EQ(b.parties[1].screened, Tri::kYes);
}

}  // namespace
}  // namespace icts::rules
