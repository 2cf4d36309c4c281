// The review pipeline: facts from the input, screening and the ownership
// graph, then the shipped packs.
#include "review/review.h"

#include <filesystem>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graph/rules.h"
#include "match/screener.h"
#include "refdata/build.h"
#include "refdata/snapshot.h"
#include "rules/evaluate.h"
#include "tests/test_util.h"

namespace icts::review {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ReviewTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<rules::PackSet> set = rules::LoadPackDir(testing::SourceDir() + "/rules");
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    packs_ = new rules::PackSet(std::move(*set));
  }
  static void TearDownTestSuite() {
    delete packs_;
    packs_ = nullptr;
  }

  static rules::Transaction Tx(const json& j) {
    Result<rules::Transaction> tx = rules::ReadTransaction(j, packs_->taxonomy);
    EXPECT_TRUE(tx.ok()) << tx.status().ToString();
    return tx.ok() ? *tx : rules::Transaction();
  }

  // A U.S. buyer installs radios from a Swiss supplier; `owners` and
  // `edges` describe who stands behind the supplier.
  static json Swiss(const json& entities, const json& edges, const char* date = "2025-06-16") {
    json j = json::parse(R"({
      "id": "t", "activity": "installation", "agreement": "new",
      "us_jurisdiction": true, "foreign_interest": true,
      "item": {"kind": "hardware", "tags": ["mobile-network-equipment"]},
      "parties": [
        {"id": "buyer", "role": "buyer", "name": "Tri-County Wireless Inc.", "type": "organization",
         "countries": [{"code": "US", "role": "incorporation"}], "us_person": true, "screened": true},
        {"id": "supplier", "role": "supplier", "name": "AlpenSignal AG", "type": "organization",
         "countries": [{"code": "CH", "role": "incorporation"}], "us_person": false,
         "screened": true, "lists": []}
      ]})");
    j["date"] = date;
    j["contract_date"] = date;
    j["entities"] = entities;
    j["ownership"] = edges;
    return j;
  }

  static const rules::PartyNexus& Supplier(const rules::Determination& d) {
    for (const rules::PartyNexus& p : d.parties) {
      if (p.party == "supplier") return p;
    }
    static rules::PartyNexus none;
    ADD_FAILURE() << "no supplier in the determination";
    return none;
  }

  static rules::PackSet* packs_;
};

rules::PackSet* ReviewTest::packs_ = nullptr;

const json kRussianChain = json::parse(R"([
  {"id": "ivanov", "name": "Ivan Ivanov", "type": "person",
   "countries": [{"code": "RU", "role": "citizenship"}], "us_person": false},
  {"id": "aurora", "name": "Aurora Holdings Ltd", "type": "organization",
   "countries": [{"code": "CY", "role": "incorporation"}]},
  {"id": "pension", "name": "Helvetia Pension Fund", "type": "organization",
   "countries": [{"code": "CH", "role": "incorporation"}]}
])");

TEST_F(ReviewTest, IndirectMajorityThroughAHoldingIsOwnershipControl) {
  auto reviewer = Reviewer::Create(*packs_);
  ASSERT_TRUE(reviewer.ok()) << reviewer.status().ToString();
  json edges = json::parse(R"([
    {"owner": "ivanov", "owned": "aurora", "share": 1.0},
    {"owner": "aurora", "owned": "supplier", "share": 0.56},
    {"owner": "pension", "owned": "supplier", "share": 0.44}])");
  rules::Determination d = (*reviewer)->Review(Tx(Swiss(kRussianChain, edges)), std::nullopt);
  const rules::PartyNexus& s = Supplier(d);
  EXPECT_EQ(s.holds, rules::Tri::kYes);
  ASSERT_FALSE(s.nexus.empty());
  bool found = false;
  for (const rules::NexusFact& n : s.nexus) {
    if (n.prong != "ownership-control") continue;
    found = true;
    EXPECT_EQ(n.adversary, "RU");
    EXPECT_EQ(n.definition, "791.2-final");
    EXPECT_THAT(n.evidence, HasSubstr("ownership graph"));
    EXPECT_THAT(n.evidence, HasSubstr("56"));
  }
  EXPECT_TRUE(found);
  EXPECT_NE(d.outcome, rules::Outcome::kClear);
}

TEST_F(ReviewTest, MinorityStakeNeedsReviewAndSaysWhy) {
  auto reviewer = Reviewer::Create(*packs_);
  ASSERT_TRUE(reviewer.ok());
  json edges = json::parse(R"([
    {"owner": "ivanov", "owned": "supplier", "share": 0.30},
    {"owner": "pension", "owned": "supplier", "share": 0.70}])");
  rules::Transaction tx = Tx(Swiss(kRussianChain, edges));
  ASSERT_TRUE((*reviewer)->Resolve(&tx, std::nullopt).ok());
  const rules::Party& supplier = tx.parties[1];
  EXPECT_EQ(supplier.ownership_known, rules::Tri::kUnknown);
  ASSERT_FALSE(supplier.ownership_open.empty());
  std::string all;
  for (const std::string& o : supplier.ownership_open) all += o + "\n";
  EXPECT_THAT(all, HasSubstr("RU"));
  rules::Determination d = rules::Evaluate(*packs_, tx);
  EXPECT_EQ(Supplier(d).holds, rules::Tri::kUnknown);
  EXPECT_EQ(d.outcome, rules::Outcome::kNeedsReview);
  bool named = false;
  for (const std::string& u : d.unknowns) named |= u.find("ownership or control of AlpenSignal AG") != std::string::npos;
  EXPECT_TRUE(named);
}

TEST_F(ReviewTest, FullyAccountedNonAdversaryOwnersSettleTheProng) {
  auto reviewer = Reviewer::Create(*packs_);
  ASSERT_TRUE(reviewer.ok());
  json entities = json::parse(R"([
    {"id": "pension", "name": "Helvetia Pension Fund", "type": "organization",
     "countries": [{"code": "CH", "role": "incorporation"}]}])");
  json edges = json::parse(R"([{"owner": "pension", "owned": "supplier", "share": 1.0}])");
  rules::Transaction tx = Tx(Swiss(entities, edges));
  ASSERT_TRUE((*reviewer)->Resolve(&tx, std::nullopt).ok());
  EXPECT_EQ(tx.parties[1].ownership_known, rules::Tri::kYes);
  rules::Determination d = rules::Evaluate(*packs_, tx);
  EXPECT_EQ(Supplier(d).holds, rules::Tri::kNo);
}

TEST_F(ReviewTest, NoOwnershipDataStaysUnknown) {
  auto reviewer = Reviewer::Create(*packs_);
  ASSERT_TRUE(reviewer.ok());
  rules::Transaction tx = Tx(Swiss(json::array(), json::array()));
  ASSERT_TRUE((*reviewer)->Resolve(&tx, std::nullopt).ok());
  EXPECT_EQ(tx.parties[1].ownership_known, rules::Tri::kUnknown);
  rules::Determination d = rules::Evaluate(*packs_, tx);
  EXPECT_EQ(Supplier(d).holds, rules::Tri::kUnknown);
  EXPECT_EQ(d.outcome, rules::Outcome::kNeedsReview);
}

TEST_F(ReviewTest, MacauOwnerCountsFromItsDateOnly) {
  // The adversary list comes from the pack: Macau joins China on 2025-02-04.
  auto reviewer = Reviewer::Create(*packs_);
  ASSERT_TRUE(reviewer.ok());
  json entities = json::parse(R"([
    {"id": "macau", "name": "Exemplo Holdings Macau Limitada", "type": "organization",
     "countries": [{"code": "MO", "role": "incorporation"}]}])");
  json edges = json::parse(R"([{"owner": "macau", "owned": "supplier", "share": 1.0}])");
  rules::Transaction after = Tx(Swiss(entities, edges, "2025-06-16"));
  ASSERT_TRUE((*reviewer)->Resolve(&after, std::nullopt).ok());
  bool cn = false;
  for (const rules::NexusFact& n : after.parties[1].nexus) cn |= n.prong == "ownership-control";
  EXPECT_TRUE(cn);
  // Under the interim definition (before 2025-02-04) Macau was not listed.
  rules::Transaction before = Tx(Swiss(entities, edges, "2024-06-16"));
  ASSERT_TRUE((*reviewer)->Resolve(&before, std::nullopt).ok());
  for (const rules::NexusFact& n : before.parties[1].nexus) {
    EXPECT_NE(n.prong, "ownership-control") << n.evidence;
  }
  EXPECT_EQ(before.parties[1].ownership_known, rules::Tri::kYes);
}

TEST_F(ReviewTest, InterimDefinitionHasNoUsPersonCarveOut) {
  auto reviewer = Reviewer::Create(*packs_);
  ASSERT_TRUE(reviewer.ok());
  // A Russian citizen who is also a U.S. citizen holds 60%.
  json entities = json::parse(R"([
    {"id": "dual", "name": "Olga Dual", "type": "person",
     "countries": [{"code": "RU", "role": "citizenship"}], "us_person": true},
    {"id": "pension", "name": "Helvetia Pension Fund", "type": "organization",
     "countries": [{"code": "CH", "role": "incorporation"}]}])");
  json edges = json::parse(R"([
    {"owner": "dual", "owned": "supplier", "share": 0.6},
    {"owner": "pension", "owned": "supplier", "share": 0.4}])");
  auto owned = [&](const char* date) {
    rules::Transaction tx = Tx(Swiss(entities, edges, date));
    EXPECT_TRUE((*reviewer)->Resolve(&tx, std::nullopt).ok());
    for (const rules::NexusFact& n : tx.parties[1].nexus) {
      if (n.prong == "ownership-control") return n.definition;
    }
    return std::string();
  };
  EXPECT_EQ(owned("2024-06-16"), "791.2-interim");
  EXPECT_EQ(owned("2025-06-16"), "");  // Final rule: U.S. citizens are carved out.
}

TEST_F(ReviewTest, StatedOwnershipIsNotOverridden) {
  auto reviewer = Reviewer::Create(*packs_);
  ASSERT_TRUE(reviewer.ok());
  json j = Swiss(kRussianChain, json::parse(R"([
    {"owner": "ivanov", "owned": "supplier", "share": 0.9}])"));
  j["parties"][1]["ownership_known"] = true;  // The analyst says: examined, nothing found.
  rules::Transaction tx = Tx(j);
  ASSERT_TRUE((*reviewer)->Resolve(&tx, std::nullopt).ok());
  EXPECT_TRUE(tx.parties[1].nexus.empty());
}

TEST_F(ReviewTest, SharesAboveTheWholeAreAnError) {
  auto reviewer = Reviewer::Create(*packs_);
  ASSERT_TRUE(reviewer.ok());
  json edges = json::parse(R"([
    {"owner": "ivanov", "owned": "supplier", "share": 0.7},
    {"owner": "pension", "owned": "supplier", "share": 0.7}])");
  rules::Transaction tx = Tx(Swiss(kRussianChain, edges));
  Status s = (*reviewer)->Resolve(&tx, std::nullopt);
  EXPECT_FALSE(s.ok());
  rules::Determination d = (*reviewer)->Review(Tx(Swiss(kRussianChain, edges)), std::nullopt);
  EXPECT_NE(d.outcome, rules::Outcome::kClear);
}

TEST_F(ReviewTest, EdgesMustNameKnownIds) {
  json j = Swiss(json::array(), json::parse(R"([{"owner": "ghost", "owned": "supplier", "share": 1}])"));
  Result<rules::Transaction> tx = rules::ReadTransaction(j, packs_->taxonomy);
  ASSERT_FALSE(tx.ok());
  EXPECT_THAT(tx.status().message(), HasSubstr("/ownership/0/owner"));
  EXPECT_THAT(tx.status().message(), HasSubstr("ghost"));
}

// With the shipped curated registry as the snapshot: screening decides who
// a party is, and the registry's parents become its owners.
class ReviewSnapshotTest : public ReviewTest {
 protected:
  static void SetUpTestSuite() {
    ReviewTest::SetUpTestSuite();
    refdata::BuildConfig config;
    for (const char* f :
         {"ndaa-889.yaml", "fcc-covered-list.yaml", "kaspersky.yaml", "ict-vendors.yaml"}) {
      const std::string path = testing::SourceDir() + "/data/curated/" + f;
      ASSERT_TRUE(std::filesystem::exists(path)) << path;
      config.sources.push_back({"curated", path, path, ""});
    }
    auto image = refdata::BuildSnapshotImage(config, {}, nullptr);
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    auto snap = refdata::Snapshot::FromBytes(*image, "curated");
    ASSERT_TRUE(snap.ok()) << snap.status().ToString();
    snapshot_ = snap->release();
    auto built = match::Screener::Build(*snapshot_);
    ASSERT_TRUE(built.ok()) << built.status().ToString();
    screener_ = built->release();
  }
  static void TearDownTestSuite() {
    delete screener_;
    delete snapshot_;
    ReviewTest::TearDownTestSuite();
  }
  static std::unique_ptr<Reviewer> Make() {
    ReviewerOptions o;
    o.snapshot = snapshot_;
    o.screener = screener_;
    auto r = Reviewer::Create(*packs_, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : nullptr;
  }
  static refdata::Snapshot* snapshot_;
  static match::Screener* screener_;
};

refdata::Snapshot* ReviewSnapshotTest::snapshot_ = nullptr;
match::Screener* ReviewSnapshotTest::screener_ = nullptr;

TEST_F(ReviewSnapshotTest, SubsidiaryOfAFamilyMemberBelongsToTheFamily) {
  std::unique_ptr<Reviewer> reviewer = Make();
  ASSERT_NE(reviewer, nullptr);
  // A reseller not in any list, wholly owned by Kaspersky Labs Limited.
  json j = json::parse(R"({
    "id": "k", "date": "2025-01-10", "activity": "dealing-in",
    "agreement": "new", "contract_date": "2025-01-10", "us_jurisdiction": true,
    "item": {"kind": "software", "tags": ["cybersecurity-software"]},
    "parties": [
      {"id": "buyer", "role": "buyer", "name": "Example County Schools", "type": "organization",
       "countries": [{"code": "US", "role": "incorporation"}], "us_person": true, "screened": true},
      {"id": "reseller", "role": "supplier", "name": "Northwind Antivirus Distribution Oy",
       "type": "organization", "countries": [{"code": "FI", "role": "incorporation"}]}
    ],
    "entities": [{"id": "parent", "name": "Kaspersky Labs Limited", "type": "organization"}],
    "ownership": [{"owner": "parent", "owned": "reseller", "share": 1.0}]
  })");
  rules::Transaction tx = Tx(j);
  ASSERT_TRUE(reviewer->Resolve(&tx, std::nullopt).ok());
  const rules::Party& reseller = tx.parties[1];
  ASSERT_THAT(reseller.families, ::testing::Contains("kaspersky"));
  EXPECT_THAT(reseller.family_evidence.at("kaspersky"), HasSubstr("Kaspersky Labs Limited"));
  rules::Determination d = rules::Evaluate(*packs_, tx);
  EXPECT_EQ(d.outcome, rules::Outcome::kProhibited);
  bool cited = false;
  for (const rules::Finding& f : d.findings) {
    cited |= f.explanation.find("Northwind") != std::string::npos &&
             f.explanation.find("Kaspersky Labs Limited") != std::string::npos;
  }
  EXPECT_TRUE(cited);
}

TEST_F(ReviewSnapshotTest, UnrelatedSupplierIsNotAFamilyMember) {
  std::unique_ptr<Reviewer> reviewer = Make();
  ASSERT_NE(reviewer, nullptr);
  json j = json::parse(R"({
    "id": "k", "date": "2025-01-10", "activity": "dealing-in",
    "item": {"kind": "software", "tags": ["cybersecurity-software"]},
    "parties": [
      {"id": "reseller", "role": "supplier", "name": "Northwind Antivirus Distribution Oy",
       "type": "organization", "countries": [{"code": "FI", "role": "incorporation"}]}
    ]})");
  rules::Transaction tx = Tx(j);
  ASSERT_TRUE(reviewer->Resolve(&tx, std::nullopt).ok());
  EXPECT_EQ(tx.parties[0].screened, rules::Tri::kYes);
  EXPECT_TRUE(tx.parties[0].families.empty());
}

}  // namespace
}  // namespace icts::review
