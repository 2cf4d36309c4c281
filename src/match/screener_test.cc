#include "match/screener.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "refdata/build.h"
#include "refdata/snapshot.h"
#include "tests/test_util.h"
#include "text/normalize.h"

namespace icts::match {
namespace {

using refdata::CountryRole;
using refdata::DateFact;
using refdata::DateKind;
using refdata::Entity;
using refdata::Identifier;
using refdata::IdKind;
using refdata::NameKind;
using refdata::Schema;
using refdata::Snapshot;
using refdata::SnapshotContent;
using refdata::SourceInfo;

struct EntitySpec {
  std::string id;
  Schema schema;
  std::vector<std::pair<std::string, NameKind>> names;
  std::vector<std::string> countries;
  std::vector<Identifier> identifiers = {};
  std::string birth_date = "";
  std::string program = "";
};

Entity MakeEntity(const EntitySpec& spec) {
  Entity e;
  e.id = spec.id;
  e.source_id = spec.id.substr(spec.id.find(':') + 1);
  e.schema = spec.schema;
  for (const auto& [value, kind] : spec.names) e.AddName(value, kind);
  for (const std::string& c : spec.countries) e.AddCountry(c, CountryRole::kUnspecified);
  e.identifiers = spec.identifiers;
  if (!spec.birth_date.empty()) e.dates.push_back(DateFact{DateKind::kBirth, spec.birth_date});
  e.lists.push_back(spec.id.rfind("ofac:", 0) == 0 ? "Specially Designated Nationals (SDN)"
                                                   : "Entity List (EL)");
  if (!spec.program.empty()) e.programs.push_back(spec.program);
  return e;
}

constexpr NameKind kP = NameKind::kPrimary;
constexpr NameKind kA = NameKind::kStrongAlias;
constexpr NameKind kW = NameKind::kWeakAlias;

std::vector<EntitySpec> Specs() {
  return {
      {"csl:huawei",
       Schema::kCompany,
       {{"Huawei Technologies Co., Ltd.", kP}, {"华为技术有限公司", kA}, {"Huawei", kW}},
       {"CN"},
       {Identifier{IdKind::kRegistration, "914403001922038216", "CN", "USCC"}},
       "",
       "EAR"},
      {"csl:huawei-device", Schema::kCompany, {{"Huawei Device Co., Ltd.", kP}}, {"CN"}},
      {"csl:huawei-cloud",
       Schema::kCompany,
       {{"Huawei Cloud Computing Technologies Co., Ltd.", kP}},
       {"CN"}},
      {"csl:dahua",
       Schema::kCompany,
       {{"Zhejiang Dahua Technology Co., Ltd.", kP}, {"浙江大华技术股份有限公司", kA}},
       {"CN"}},
      {"csl:dahua-us", Schema::kCompany, {{"DAHUA ELECTRONICS CORPORATION", kP}}, {"US"}},
      {"csl:dahua-usa", Schema::kCompany, {{"Dahua Technology USA Inc.", kP}}, {"US"}},
      {"csl:zte",
       Schema::kCompany,
       {{"ZTE Corporation", kP},
        {"Zhongxing Telecommunication Equipment Corporation", kA},
        {"中兴通讯股份有限公司", kA}},
       {"CN"}},
      {"csl:zte-parsian", Schema::kCompany, {{"ZTE Parsian", kP}}, {"IR"}},
      {"csl:kaspersky",
       Schema::kCompany,
       {{"Kaspersky Lab", kP}, {"Лаборатория Касперского", kA}, {"AO Kaspersky Lab", kA}},
       {"RU"}},
      {"ofac:ijg",
       Schema::kOrganization,
       {{"Islamic Jihad Group", kP}, {"Islamic Jihad Union", kA}, {"Jama'at al-Jihad", kW}},
       {"UZ"},
       {},
       "",
       "SDGT"},
      {"ofac:putin",
       Schema::kPerson,
       {{"PUTIN, Vladimir Vladimirovich", kP}, {"Владимир Владимирович Путин", kA}},
       {"RU"},
       {Identifier{IdKind::kPassport, "100000001", "RU", "Passport"}},
       "1952-10-07",
       "RUSSIA-EO14024"},
      {"ofac:kim",
       Schema::kPerson,
       {{"KIM, Jong Un", kP}, {"김정은", kA}},
       {"KP"},
       {},
       "1984-01-08",
       "DPRK3"},
      {"ofac:shoigu",
       Schema::kPerson,
       {{"SHOIGU, Sergei Kuzhugetovich", kP}},
       {"RU"},
       {},
       "1955-05-21",
       "UKRAINE-EO13661"},
      {"ofac:petrov", Schema::kPerson, {{"PETROV, Ivan Sergeyevich", kP}}, {"RU"}, {}, "1970"},
      {"ofac:ivanov", Schema::kPerson, {{"IVANOV, Petr Alexandrovich", kP}}, {"RU"}, {}, "1965"},
      {"ofac:baghdadi",
       Schema::kPerson,
       {{"AL-BAGHDADI, Abu Bakr", kP}, {"أبو بكر البغدادي", kA}},
       {"IQ"},
       {},
       "1971"},
      {"ofac:rosoboron",
       Schema::kCompany,
       {{"Rosoboronexport", kP}, {"Рособоронэкспорт", kA}},
       {"RU"}},
      {"ofac:irgc",
       Schema::kOrganization,
       {{"Islamic Revolutionary Guard Corps", kP},
        {"IRGC", kA},
        {"سپاه پاسداران انقلاب اسلامی", kA}},
       {"IR"}},
      {"ofac:mahan", Schema::kCompany, {{"Mahan Air", kP}}, {"IR"}},
      {"ofac:kwangson", Schema::kCompany, {{"Korea Kwangson Banking Corp", kP}}, {"KP"}},
      {"ofac:vessel", Schema::kVessel, {{"NEW HORIZON", kP}}, {"IR"}},
      {"csl:dji",
       Schema::kCompany,
       {{"SZ DJI Technology Co., Ltd.", kP},
        {"Da-Jiang Innovations", kA},
        {"深圳市大疆创新科技有限公司", kA}},
       {"CN"}},
      {"csl:hikvision",
       Schema::kCompany,
       {{"Hangzhou Hikvision Digital Technology Co., Ltd.", kP}, {"Hikvision", kW}},
       {"CN"}},
      {"csl:hytera", Schema::kCompany, {{"Hytera Communications Corporation Limited", kP}}, {"CN"}},
      {"csl:china-mobile",
       Schema::kCompany,
       {{"China Mobile Communications Group Co., Ltd.", kP}},
       {"CN"}},
      {"csl:china-telecom", Schema::kCompany, {{"China Telecom Corporation Limited", kP}}, {"CN"}},
      {"csl:china-unicom",
       Schema::kCompany,
       {{"China United Network Communications Group Co., Ltd.", kP}},
       {"CN"}},
      {"csl:smic",
       Schema::kCompany,
       {{"Semiconductor Manufacturing International Corporation", kP}, {"SMIC", kA}},
       {"CN"}},
      {"csl:sugon",
       Schema::kCompany,
       {{"Dawning Information Industry Co., Ltd.", kP}, {"Sugon", kA}},
       {"CN"}},
      {"csl:inspur", Schema::kCompany, {{"Inspur Group Co., Ltd.", kP}}, {"CN"}},
      {"csl:uniview", Schema::kCompany, {{"Zhejiang Uniview Technologies Co., Ltd.", kP}}, {"CN"}},
      {"csl:global-trading", Schema::kCompany, {{"Global Trading LLC", kP}}, {"AE"}},
      {"csl:global-tech", Schema::kCompany, {{"Global Technology Trading Co., Ltd.", kP}}, {"HK"}},
      {"csl:technopromexport", Schema::kCompany, {{"Technopromexport", kP}}, {"RU"}},
      {"csl:positive", Schema::kCompany, {{"Positive Technologies", kP}}, {"RU"}},
      {"csl:legal-only", Schema::kCompany, {{"Limited Liability Company", kP}}, {}},
      {"ofac:no-country", Schema::kCompany, {{"Nordic Shipping Agency", kP}}, {}},
  };
}

std::unique_ptr<Snapshot> MakeSnapshot() {
  SnapshotContent c;
  c.sources.push_back(SourceInfo{"csl", "lists/csl.csv", "", "2023-11-30", 0, 0, 0, 0});
  c.sources.push_back(SourceInfo{"ofac", "lists/ofac-sdn", "", "2021-01-01", 0, 0, 0, 0});
  for (const EntitySpec& spec : Specs()) {
    c.entities.push_back(MakeEntity(spec));
    c.entity_source.push_back(spec.id.rfind("ofac:", 0) == 0 ? 1 : 0);
  }
  auto image = refdata::SerializeSnapshot(c);
  EXPECT_TRUE(image.ok()) << image.status().ToString();
  auto snap = Snapshot::FromBytes(*image, "test");
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  return std::move(snap).value();
}

class ScreenerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    snapshot_ = MakeSnapshot().release();
    auto built = Screener::Build(*snapshot_);
    ASSERT_TRUE(built.ok()) << built.status().ToString();
    screener_ = std::move(built).value().release();
  }
  static void TearDownTestSuite() {
    delete screener_;
    delete snapshot_;
    screener_ = nullptr;
    snapshot_ = nullptr;
  }

  static std::vector<Hit> Screen(const std::string& name, ScreenOptions options = {}) {
    Query q;
    q.name = name;
    return screener_->Screen(q, options);
  }
  static std::string Top(const std::string& name) {
    std::vector<Hit> hits = Screen(name);
    return hits.empty() ? "" : hits[0].entity_id;
  }
  static const Adjustment* FindAdjustment(const Hit& hit, const std::string& factor) {
    for (const Adjustment& a : hit.explanation.adjustments) {
      if (a.factor == factor) return &a;
    }
    return nullptr;
  }
  static const Hit* FindHit(const std::vector<Hit>& hits, const std::string& id) {
    for (const Hit& h : hits) {
      if (h.entity_id == id) return &h;
    }
    return nullptr;
  }

  static Snapshot* snapshot_;
  static Screener* screener_;
};

Snapshot* ScreenerTest::snapshot_ = nullptr;
Screener* ScreenerTest::screener_ = nullptr;

TEST_F(ScreenerTest, StatsDescribeTheIndex) {
  ScreenerStats s = screener_->stats();
  EXPECT_GE(s.names, Specs().size());
  EXPECT_GT(s.tokens, 30u);
  EXPECT_GT(s.postings, s.names);
  EXPECT_GE(s.build_seconds, 0.0);
  EXPECT_EQ(&screener_->snapshot(), snapshot_);
}

TEST_F(ScreenerTest, PrimaryNamesFindTheirEntityFirst) {
  for (const EntitySpec& spec : Specs()) {
    if (spec.id == "csl:legal-only") continue;  // Only legal-form words.
    std::vector<Hit> hits = Screen(spec.names[0].first);
    ASSERT_FALSE(hits.empty()) << spec.names[0].first;
    EXPECT_EQ(hits[0].entity_id, spec.id) << spec.names[0].first;
    EXPECT_DOUBLE_EQ(hits[0].score, 1.0) << spec.names[0].first;
  }
}

TEST_F(ScreenerTest, VariantsFindTheRightEntityFirst) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"HUAWEI TECHNOLOGIES", "csl:huawei"},
      {"Huawei Technologies Company Limited", "csl:huawei"},
      {"huawei technologies co ltd", "csl:huawei"},
      {"华为技术有限公司", "csl:huawei"},
      {"Hua Wei Technologies", "csl:huawei"},
      {"Huawai Technologies", "csl:huawei"},
      {"Technologies Huawei", "csl:huawei"},
      {"Zhejiang Dahua Technology", "csl:dahua"},
      {"Zhejiang Dahau Technology Co", "csl:dahua"},
      {"Dahua Electronics Corp", "csl:dahua-us"},
      {"ZTE Corp", "csl:zte"},
      {"ZTE Parsian Co", "csl:zte-parsian"},
      {"Zhongxing Telecommunication Equipment Corp", "csl:zte"},
      {"Kaspersky Lab", "csl:kaspersky"},
      {"Kasperski Lab", "csl:kaspersky"},
      {"Лаборатория Касперского", "csl:kaspersky"},
      {"Vladimir Putin", "ofac:putin"},
      {"Putin Vladimir Vladimirovich", "ofac:putin"},
      {"Vladimir Vladimirovich Putin", "ofac:putin"},
      {"Islamic Jihad Group", "ofac:ijg"},
      {"Rosoboronexport JSC", "ofac:rosoboron"},
      {"Hangzhou Hikvision Digital Technology", "csl:hikvision"},
      {"Semiconductor Manufacturing International Corp", "csl:smic"},
      {"Islamic Revolutionary Guards Corps", "ofac:irgc"},
  };
  for (const auto& [query, id] : cases) EXPECT_EQ(Top(query), id) << query;
}

TEST_F(ScreenerTest, ShortNameDoesNotHitUnrelatedEntity) {
  for (const char* q : {"DJI", "dji", "D.J.I."}) {
    std::vector<Hit> hits = Screen(q);
    EXPECT_EQ(FindHit(hits, "ofac:ijg"), nullptr) << q;
    Query query;
    query.name = q;
    EXPECT_EQ(FindHit(screener_->ScreenExhaustive(query, {}), "ofac:ijg"), nullptr) << q;
  }
  EXPECT_EQ(FindHit(Screen("Jihad"), "csl:dji"), nullptr);
}

TEST_F(ScreenerTest, EmptyAndLegalFormOnlyQueriesGiveNoHits) {
  for (const char* q : {"", "   ", "...", "Co., Ltd.", "LLC", "Limited Liability Company",
                        "GmbH & Co. KG", "the", "Inc"}) {
    Query query;
    query.name = q;
    EXPECT_TRUE(screener_->Screen(query, {}).empty()) << "'" << q << "'";
    EXPECT_TRUE(screener_->ScreenExhaustive(query, {}).empty()) << "'" << q << "'";
  }
}

TEST_F(ScreenerTest, HitCarriesEveryField) {
  std::vector<Hit> hits = Screen("Лаборатория Касперского");
  ASSERT_FALSE(hits.empty());
  const Hit& h = hits[0];
  EXPECT_EQ(h.entity_id, "csl:kaspersky");
  EXPECT_EQ(h.source_id, "kaspersky");
  EXPECT_EQ(h.name, "Kaspersky Lab");
  EXPECT_EQ(h.matched_name, "Лаборатория Касперского");
  EXPECT_EQ(h.matched_kind, NameKind::kStrongAlias);
  EXPECT_EQ(h.source, "lists/csl.csv");
  EXPECT_EQ(h.lists, std::vector<std::string>{"Entity List (EL)"});
  EXPECT_TRUE(h.programs.empty());
  EXPECT_EQ(snapshot_->entity(h.entity_index).id(), h.entity_id);
  EXPECT_GE(h.score, kDefaultThreshold);
  EXPECT_DOUBLE_EQ(h.score, h.explanation.score);
  EXPECT_FALSE(h.explanation.alignment.empty());

  std::vector<Hit> putin = Screen("Vladimir Putin");
  ASSERT_FALSE(putin.empty());
  EXPECT_EQ(putin[0].source, "lists/ofac-sdn");
  EXPECT_EQ(putin[0].programs, std::vector<std::string>{"RUSSIA-EO14024"});
  EXPECT_EQ(putin[0].matched_kind, NameKind::kPrimary);
  EXPECT_EQ(putin[0].matched_name, "PUTIN, Vladimir Vladimirovich");
}

// `icts compare --snapshot` scores a pair with the index's rarity weights:
// the name score of a hit is the pair's score with them.
TEST_F(ScreenerTest, TokenWeightsAreTheScorersRarity) {
  const TokenWeightFn weights = screener_->TokenWeights();
  ASSERT_TRUE(weights);
  EXPECT_DOUBLE_EQ(weights("qqzzxw"), 1.0);         // No name holds it.
  EXPECT_LT(weights("huawei"), weights("device"));  // Four names against one.
  EXPECT_GE(weights("huawei"), 0.1);

  const std::string query = "Huawei Devise Co., Ltd.";
  const Hit* hit = nullptr;
  const std::vector<Hit> hits = Screen(query, ScreenOptions{.threshold = 0.5});
  hit = FindHit(hits, "csl:huawei-device");
  ASSERT_NE(hit, nullptr);
  EXPECT_TRUE(hit->explanation.adjustments.empty());
  const ScoreExplanation weighted = CompareNames(query, hit->matched_name, weights);
  EXPECT_DOUBLE_EQ(weighted.name_score, hit->explanation.name_score);
  // Uniform weights give the misspelt rare word less say.
  EXPECT_GT(CompareNames(query, hit->matched_name).name_score, weighted.name_score);

  // A person, as a person: the same score with the type.
  Query person;
  person.name = "Vladimir Putin";
  person.type = text::NameType::kPerson;
  const std::vector<Hit> putin = screener_->Screen(person, ScreenOptions{});
  ASSERT_FALSE(putin.empty());
  EXPECT_DOUBLE_EQ(
      CompareNames(person.name, putin[0].matched_name, weights, text::NameType::kPerson).name_score,
      putin[0].explanation.name_score);
}

TEST_F(ScreenerTest, CountryAdjusts) {
  Query q;
  q.name = "Huawei Technologies Co Ltd";
  q.country = "China";
  std::vector<Hit> hits = screener_->Screen(q, {});
  const Hit* h = FindHit(hits, "csl:huawei");
  ASSERT_NE(h, nullptr);
  const Adjustment* a = FindAdjustment(*h, "country");
  ASSERT_NE(a, nullptr);
  EXPECT_DOUBLE_EQ(a->delta, 0.03);
  EXPECT_EQ(a->detail, "query CN = list CN");

  q.name = "Dahua Electronics Corporation";
  q.country = "RU";
  hits = screener_->Screen(q, {});
  h = FindHit(hits, "csl:dahua-us");
  ASSERT_NE(h, nullptr);
  a = FindAdjustment(*h, "country");
  ASSERT_NE(a, nullptr);
  EXPECT_DOUBLE_EQ(a->delta, -0.05);
  EXPECT_EQ(a->detail, "query RU vs list US");
  EXPECT_NEAR(h->score, h->explanation.name_score - 0.05, 1e-9);

  // No adjustment when the entity has no country.
  q.name = "Nordic Shipping Agency";
  hits = screener_->Screen(q, {});
  h = FindHit(hits, "ofac:no-country");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(FindAdjustment(*h, "country"), nullptr);
}

TEST_F(ScreenerTest, TypeConflictLowers) {
  Query q;
  q.name = "Mahan Air";
  q.type = text::NameType::kPerson;
  ScreenOptions options;
  options.threshold = 0.5;
  std::vector<Hit> hits = screener_->Screen(q, options);
  const Hit* h = FindHit(hits, "ofac:mahan");
  ASSERT_NE(h, nullptr);
  const Adjustment* a = FindAdjustment(*h, "type");
  ASSERT_NE(a, nullptr);
  EXPECT_DOUBLE_EQ(a->delta, -0.15);
  EXPECT_EQ(a->detail, "query Person vs list Company");
  EXPECT_LE(h->score, 0.85 + 1e-9);

  q.name = "Vladimir Putin";
  q.type = text::NameType::kOrganization;
  hits = screener_->Screen(q, options);
  h = FindHit(hits, "ofac:putin");
  ASSERT_NE(h, nullptr);
  ASSERT_NE(FindAdjustment(*h, "type"), nullptr);

  q.type = text::NameType::kPerson;  // Agrees: nothing to report.
  hits = screener_->Screen(q, options);
  h = FindHit(hits, "ofac:putin");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(FindAdjustment(*h, "type"), nullptr);
}

TEST_F(ScreenerTest, IdentifierMatchRaisesAndFindsWeakNames) {
  Query q;
  q.name = "Huawei Technologies";
  q.identifiers = {"91-4403 0019.2203/8216"};
  std::vector<Hit> hits = screener_->Screen(q, {});
  const Hit* h = FindHit(hits, "csl:huawei");
  ASSERT_NE(h, nullptr);
  const Adjustment* a = FindAdjustment(*h, "identifier");
  ASSERT_NE(a, nullptr);
  EXPECT_DOUBLE_EQ(a->delta, 0.2);
  EXPECT_NE(a->detail.find("914403001922038216"), std::string::npos) << a->detail;
  EXPECT_NE(a->detail.find("registration"), std::string::npos) << a->detail;

  // A name that alone stays below the threshold passes with the identifier.
  q.name = "Huawei Tech Holdings";
  ScreenOptions options;
  std::vector<Hit> without = screener_->Screen(Query{q.name, {}, "", {}, ""}, options);
  hits = screener_->Screen(q, options);
  h = FindHit(hits, "csl:huawei");
  ASSERT_NE(h, nullptr);
  EXPECT_NE(FindAdjustment(*h, "identifier"), nullptr);
  const Hit* before = FindHit(without, "csl:huawei");
  if (before != nullptr) {
    EXPECT_GT(h->score, before->score);
  }
}

TEST_F(ScreenerTest, BirthYearAdjustsPersonsOnly) {
  Query q;
  q.name = "Vladimir Putin";
  q.birth_date = "1952-10-07";
  std::vector<Hit> hits = screener_->Screen(q, {});
  const Hit* h = FindHit(hits, "ofac:putin");
  ASSERT_NE(h, nullptr);
  const Adjustment* a = FindAdjustment(*h, "birth_date");
  ASSERT_NE(a, nullptr);
  EXPECT_DOUBLE_EQ(a->delta, 0.03);

  q.birth_date = "1960";
  ScreenOptions options;
  options.threshold = 0.5;
  hits = screener_->Screen(q, options);
  h = FindHit(hits, "ofac:putin");
  ASSERT_NE(h, nullptr);
  a = FindAdjustment(*h, "birth_date");
  ASSERT_NE(a, nullptr);
  EXPECT_DOUBLE_EQ(a->delta, -0.1);
  EXPECT_EQ(a->detail, "query 1960 vs list 1952-10-07");

  q.name = "Mahan Air";  // An organisation: no birth date check.
  hits = screener_->Screen(q, options);
  h = FindHit(hits, "ofac:mahan");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(FindAdjustment(*h, "birth_date"), nullptr);
}

TEST_F(ScreenerTest, ScoresStayInRange) {
  Query q;
  q.name = "Huawei Technologies Co., Ltd.";
  q.country = "CN";
  q.identifiers = {"914403001922038216"};
  std::vector<Hit> hits = screener_->Screen(q, {});
  ASSERT_FALSE(hits.empty());
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
  EXPECT_EQ(hits[0].explanation.adjustments.size(), 2u);
}

TEST_F(ScreenerTest, TopThresholdAndOrder) {
  ScreenOptions options;
  options.threshold = 0.3;
  std::vector<Hit> hits = Screen("Huawei Technologies", options);
  ASSERT_GE(hits.size(), 2u);
  for (size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score);
  std::set<std::string> ids;
  for (const Hit& h : hits) EXPECT_TRUE(ids.insert(h.entity_id).second) << "one hit per entity";
  options.top = 1;
  EXPECT_EQ(Screen("Huawei Technologies", options).size(), 1u);
  options.top = 0;
  EXPECT_TRUE(Screen("Huawei Technologies", options).empty());
  options.top = 10;
  options.threshold = 1.01;
  EXPECT_TRUE(Screen("Huawei Technologies", options).empty());
}

TEST_F(ScreenerTest, TraceAndCandidateCap) {
  ScreenTrace trace;
  ScreenOptions options;
  options.trace = &trace;
  Screen("Zhejiang Dahua Technology", options);
  EXPECT_GT(trace.keys, 0u);
  EXPECT_GT(trace.candidates, 0u);
  EXPECT_LE(trace.scored, trace.candidates);
  options.max_candidates = 1;
  options.threshold = 0.0;
  Screen("Huawei", options);
  EXPECT_EQ(trace.scored, 1u);
}

// Every hit of the exhaustive scan must also come out of the index.
TEST_F(ScreenerTest, CandidateRecallMatchesExhaustive) {
  std::vector<std::string> queries;
  for (const EntitySpec& spec : Specs()) {
    for (const auto& n : spec.names) queries.push_back(n.first);
  }
  for (const char* q : {"Huawei",
                        "Hua Wei",
                        "HUAWEI TECH",
                        "Huawei Device",
                        "Huawai Cloud Computing",
                        "Dahua",
                        "Dahua Technology",
                        "Dahua Tech USA",
                        "ZTE",
                        "ZTE Parsian",
                        "Zhongxing",
                        "Kaspersky",
                        "Kaspersky Labs",
                        "AO Kasperskiy Lab",
                        "Putin",
                        "V. Putin",
                        "Vladimir V Putin",
                        "Putin Vladimir",
                        "Kim Jong Un",
                        "Jong Un Kim",
                        "Sergei Shoigu",
                        "Ivan Petrov",
                        "Petr Ivanov",
                        "Abu Bakr al Baghdadi",
                        "Global Trading",
                        "Global Technology",
                        "Global Trading Co Ltd",
                        "Technology Trading",
                        "China Mobile",
                        "China Telecom Corp",
                        "China United Network",
                        "Hikvision",
                        "Hik Vision Digital",
                        "Hytera",
                        "Uniview Technologies",
                        "Positive Tech",
                        "Technopromexport",
                        "Rosoboronexport",
                        "Rosoboron Export",
                        "Islamic Jihad",
                        "Islamic Revolutionary Guard",
                        "IRGC",
                        "Mahan Airlines",
                        "Korea Kwangson Banking",
                        "New Horizon",
                        "SMIC",
                        "Sugon",
                        "Dawning Information",
                        "Inspur",
                        "Inspur Group",
                        "DJI",
                        "DJI Technology",
                        "Da Jiang Innovations",
                        "Nordic Shipping",
                        "中兴通讯",
                        "华为",
                        "Путин",
                        "Касперский",
                        "Рособоронэкспорт",
                        "김정은"}) {
    queries.push_back(q);
  }
  for (double threshold : {kDefaultThreshold, 0.6}) {
    size_t expected = 0, found = 0;
    for (const std::string& name : queries) {
      Query q;
      q.name = name;
      ScreenOptions options;
      options.threshold = threshold;
      options.top = 1000;
      std::vector<Hit> exhaustive = screener_->ScreenExhaustive(q, options);
      std::vector<Hit> indexed = screener_->Screen(q, options);
      std::map<std::string, double> got;
      for (const Hit& h : indexed) got[h.entity_id] = h.score;
      for (const Hit& h : exhaustive) {
        ++expected;
        auto it = got.find(h.entity_id);
        if (it == got.end()) {
          ADD_FAILURE() << "'" << name << "' missed " << h.entity_id << " (" << h.score
                        << ") at threshold " << threshold;
          continue;
        }
        ++found;
        EXPECT_DOUBLE_EQ(it->second, h.score) << name << " " << h.entity_id;
      }
      EXPECT_EQ(indexed.size(), exhaustive.size()) << name;
    }
    std::printf("recall at %.2f: %zu / %zu\n", threshold, found, expected);
    EXPECT_EQ(found, expected);
    EXPECT_GT(expected, queries.size() / 2);
  }
}

TEST_F(ScreenerTest, ConcurrentQueriesAgree) {
  const std::vector<std::string> names = {"Huawei Technologies", "Vladimir Putin", "Kaspersky Lab",
                                          "Zhejiang Dahua", "ZTE Corp"};
  std::vector<std::vector<Hit>> expected;
  for (const std::string& n : names) expected.push_back(Screen(n));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (size_t i = 0; i < names.size(); ++i) {
          std::vector<Hit> hits = Screen(names[i]);
          if (hits.size() != expected[i].size() ||
              (!hits.empty() && hits[0].entity_id != expected[i][0].entity_id)) {
            mismatches[t]++;
          }
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

// Words the index does not hold have their fuzzy neighbours remembered
// between queries; the hits must not depend on whether they were.
TEST_F(ScreenerTest, RememberedNeighboursGiveTheSameHits) {
  const std::vector<std::string> names = {"Huawai Technolgies", "Kasperskyy Labb", "Zhejang Dahau",
                                          "Vladimyr Putn", "Hikvison Digitl"};
  auto flatten = [](const std::vector<Hit>& hits) {
    std::vector<std::pair<std::string, double>> out;
    for (const Hit& h : hits) out.emplace_back(h.entity_id + "/" + h.matched_name, h.score);
    return out;
  };
  ScreenOptions options;
  options.threshold = 0.5;
  screener_->ClearCaches();
  std::vector<std::vector<std::pair<std::string, double>>> cold;
  size_t hits = 0;
  for (const std::string& n : names) {
    cold.push_back(flatten(Screen(n, options)));
    hits += cold.back().size();
  }
  EXPECT_GT(hits, 0u);
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(flatten(Screen(names[i], options)), cold[i]) << names[i] << " (remembered)";
  }
  screener_->ClearCaches();
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(flatten(Screen(names[i], options)), cold[i]) << names[i] << " (cleared)";
  }
}

TEST(Screener, EmptySnapshot) {
  SnapshotContent c;
  c.sources.push_back(SourceInfo{"csl", "empty.csv", "", "", 0, 0, 0, 0});
  auto image = refdata::SerializeSnapshot(c);
  ASSERT_TRUE(image.ok());
  auto snap = Snapshot::FromBytes(*image, "empty");
  ASSERT_TRUE(snap.ok());
  auto screener = Screener::Build(**snap);
  ASSERT_TRUE(screener.ok());
  Query q;
  q.name = "Huawei";
  EXPECT_TRUE((*screener)->Screen(q, {}).empty());
  EXPECT_TRUE((*screener)->ScreenExhaustive(q, {}).empty());
  EXPECT_EQ((*screener)->stats().names, 0u);
}

// --- Real lists (skipped when the shared data is absent) -----------------

// Resident set size in MiB.
double ResidentMiB() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages = 0, resident = 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

// CPU time of the calling thread, so that timings do not depend on what
// else runs on the machine.
double ThreadCpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Deterministic small perturbations of a list name.
std::string Perturb(const std::string& name, uint32_t variant, uint64_t* rng) {
  auto next = [&] {
    *rng = *rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(*rng >> 33);
  };
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < name.size()) {
    size_t end = name.find(' ', pos);
    if (end == std::string::npos) end = name.size();
    if (end > pos) words.push_back(name.substr(pos, end - pos));
    pos = end + 1;
  }
  auto join = [&] {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
  };
  auto is_legal = [](std::string w) {
    std::string lower;
    for (char c : w) {
      if (c == '.' || c == ',') continue;
      lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
    return !lower.empty() && text::IsLegalFormToken(lower);
  };
  switch (variant % 4) {
    case 0: {  // Drop a legal form (the last one), if any.
      for (size_t i = words.size(); i-- > 0;) {
        if (is_legal(words[i]) && words.size() > 1) {
          words.erase(words.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
      }
      return join();
    }
    case 1:  // Swap two tokens.
      if (words.size() >= 2) {
        size_t i = next() % (words.size() - 1);
        std::swap(words[i], words[i + 1]);
      }
      return join();
    case 2: {  // One typo in the longest ASCII word.
      size_t best = 0;
      for (size_t i = 1; i < words.size(); ++i) {
        if (words[i].size() > words[best].size()) best = i;
      }
      if (words.empty()) return name;
      std::string& w = words[best];
      bool ascii = std::all_of(w.begin(), w.end(),
                               [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      if (!ascii || w.size() < 4) return join();
      size_t at = 1 + next() % (w.size() - 2);
      switch (next() % 3) {
        case 0:
          w[at] = w[at] == 'x' ? 'q' : 'x';
          break;
        case 1:
          w.erase(at, 1);
          break;
        default:
          std::swap(w[at], w[at + 1]);
          break;
      }
      return join();
    }
    default:
      return name;
  }
}

// The character-profile scan has AVX-512, AVX2, POPCNT and portable
// versions, picked at run time (ICTS_SCREENER_SIMD caps the choice); every
// version must give the same hits. Thousands of generated words make the
// fuzzy tables' groups long enough for the vector loops.
TEST(Screener, EveryScanVersionGivesTheSameHits) {
  const char* syllables[] = {"ka", "lo", "min", "tar", "zu", "ren", "vos", "pi", "del", "ham",
                             "sor", "eb", "qua", "nit", "gor", "ul", "fen", "ja", "wes", "ox"};
  uint64_t rng = 42;
  auto next = [&] {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(rng >> 33);
  };
  auto word = [&] {
    std::string w;
    const uint32_t parts = 2 + next() % 3;
    for (uint32_t i = 0; i < parts; ++i) w += syllables[next() % 20];
    w[0] = static_cast<char>(w[0] - 'a' + 'A');
    return w;
  };
  SnapshotContent c;
  c.sources.push_back(SourceInfo{"csl", "generated.csv", "", "", 0, 0, 0, 0});
  std::vector<std::string> names;
  for (int i = 0; i < 3000; ++i) {
    std::string name = word() + " " + word() + (i % 2 == 0 ? " Trading Co" : "");
    names.push_back(name);
    c.entities.push_back(MakeEntity({"csl:g" + std::to_string(i), Schema::kCompany,
                                     {{name, kP}}, {}}));
    c.entity_source.push_back(0);
  }
  auto image = refdata::SerializeSnapshot(c);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  auto snap = Snapshot::FromBytes(*image, "generated");
  ASSERT_TRUE(snap.ok());
  std::vector<std::string> queries;
  for (size_t i = 0; i < 300; ++i) queries.push_back(Perturb(names[i * 7], next(), &rng));
  for (int i = 0; i < 100; ++i) queries.push_back(word() + " " + word());
  auto run = [&](const char* cap, bool precompute = true) {
    if (cap != nullptr) {
      setenv("ICTS_SCREENER_SIMD", cap, 1);
    } else {
      unsetenv("ICTS_SCREENER_SIMD");
    }
    BuildOptions build;
    build.precompute_neighbours = precompute;
    auto screener = Screener::Build(**snap, build);
    unsetenv("ICTS_SCREENER_SIMD");
    EXPECT_TRUE(screener.ok());
    std::vector<std::string> out;
    if (!screener.ok()) return out;
    ScreenOptions options;
    options.threshold = 0.6;
    for (const std::string& q : queries) {
      Query query;
      query.name = q;
      std::string line = q + ":";
      for (const Hit& h : (*screener)->Screen(query, options)) {
        line += " " + h.entity_id + "=" + std::to_string(h.score);
      }
      out.push_back(line);
    }
    return out;
  };
  const std::vector<std::string> portable = run("scalar");
  size_t with_hits = 0;
  for (const std::string& line : portable) with_hits += line.find('=') != std::string::npos;
  EXPECT_GT(with_hits, queries.size() / 2);
  for (const char* cap : {"popcnt", "avx2", "avx512"}) {
    const std::vector<std::string> got = run(cap);
    ASSERT_EQ(got.size(), portable.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], portable[i]) << cap;
  }
  // Without the neighbours precomputed for the index's own words, searched
  // for each query instead.
  for (const char* cap : {"scalar", "avx512"}) {
    const std::vector<std::string> got = run(cap, false);
    ASSERT_EQ(got.size(), portable.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i], portable[i]) << cap << ", neighbours not precomputed";
    }
  }
}

TEST(ScreenerData, CandidateRecallOnRealLists) {
  const std::string csl = testing::SharedData("us-csl/csl-2023-11-30.csv");
  const std::string sdn = testing::SharedData("ofac-sdn-2021");
  const std::string un = testing::SharedData("un-consolidated/UN_consolidated.xml");
  ICTS_REQUIRE_SHARED_DATA(csl);
  ICTS_REQUIRE_SHARED_DATA(sdn);
  ICTS_REQUIRE_SHARED_DATA(un);
  refdata::BuildConfig config;
  config.sources.push_back({"csl", csl, csl, ""});
  config.sources.push_back({"ofac", sdn, sdn, ""});
  config.sources.push_back({"un", un, un, ""});
  for (const char* f :
       {"ndaa-889.yaml", "fcc-covered-list.yaml", "kaspersky.yaml", "ict-vendors.yaml"}) {
    std::string path = testing::SourceDir() + "/data/curated/" + f;
    if (std::filesystem::exists(path)) config.sources.push_back({"curated", path, path, ""});
  }
  auto image = refdata::BuildSnapshotImage(config, {}, nullptr);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  auto snap = Snapshot::FromBytes(*image, "real");
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  const double rss_before = ResidentMiB();
  auto built = Screener::Build(**snap);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const Screener& screener = **built;
  ScreenerStats stats = screener.stats();
  std::printf(
      "entities %zu, names %llu, tokens %llu, postings %llu, build %.3f s, index RSS %.0f MiB\n",
      (*snap)->entity_count(), static_cast<unsigned long long>(stats.names),
      static_cast<unsigned long long>(stats.tokens),
      static_cast<unsigned long long>(stats.postings), stats.build_seconds,
      ResidentMiB() - rss_before);

  // 300 names sampled deterministically, each perturbed.
  std::vector<std::string> queries;
  uint64_t rng = 20231130;
  const size_t n_entities = (*snap)->entity_count();
  for (uint32_t i = 0; queries.size() < 300 && i < 3000; ++i) {
    uint32_t e = static_cast<uint32_t>((uint64_t{i} * 2654435761u) % n_entities);
    std::vector<std::string_view> names = (*snap)->entity(e).Values(refdata::PropKind::kName);
    if (names.empty()) continue;
    std::string name(names[i % names.size()]);
    if (name.empty()) continue;
    queries.push_back(Perturb(name, i, &rng));
  }

  // Timing first (two passes, the second measured), then recall.
  size_t expected = 0, found = 0, max_candidates = 0, total_candidates = 0;
  size_t total_reached = 0, total_postings = 0, total_bounded = 0;
  double exhaustive_seconds = 0;
  std::vector<double> micros;
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& name : queries) {
      Query q;
      q.name = name;
      ScreenOptions options;
      ScreenTrace trace;
      options.trace = &trace;
      const double cpu_start = ThreadCpuMicros();
      (void)screener.Screen(q, options);
      if (pass == 0) continue;
      micros.push_back(ThreadCpuMicros() - cpu_start);
      total_candidates += trace.scored;
      total_reached += trace.candidates;
      total_bounded += trace.bounded;
      total_postings += trace.postings;
      max_candidates = std::max(max_candidates, trace.scored);
    }
  }
  for (const std::string& name : queries) {
    Query q;
    q.name = name;
    ScreenOptions options;
    options.top = 1000;
    std::vector<Hit> indexed = screener.Screen(q, options);
    const auto start = std::chrono::steady_clock::now();
    std::vector<Hit> exhaustive = screener.ScreenExhaustive(q, options);
    exhaustive_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::set<std::string> got;
    for (const Hit& h : indexed) got.insert(h.entity_id);
    for (const Hit& h : exhaustive) {
      ++expected;
      if (got.count(h.entity_id) != 0) {
        ++found;
      } else {
        std::string how;
        for (const TokenAlignment& a : h.explanation.alignment) {
          if (a.how == "legal_form" || a.how == "stop_word" || a.how == "unmatched") continue;
          how += " " + a.query_token + "~" + a.list_token + ":" + a.how;
        }
        std::printf("  missed: '%s' -> %s '%s' (%.3f)%s\n", name.c_str(), h.entity_id.c_str(),
                    h.matched_name.c_str(), h.score, how.c_str());
      }
    }
  }
  std::sort(micros.begin(), micros.end());
  std::vector<double> normalize_micros;
  for (const std::string& name : queries) {
    const double t0 = ThreadCpuMicros();
    text::NormalizedName n = text::NormalizeName(name);
    normalize_micros.push_back(ThreadCpuMicros() - t0);
  }
  std::sort(normalize_micros.begin(), normalize_micros.end());
  std::printf("NormalizeName alone: p50 %.1f us p99 %.1f us\n",
              normalize_micros[normalize_micros.size() / 2],
              normalize_micros[normalize_micros.size() * 99 / 100]);
  std::printf(
      "per query: postings read %.1f, names reached %.1f, token-bounded %.1f, scored %.1f\n",
      static_cast<double>(total_postings) / static_cast<double>(queries.size()),
      static_cast<double>(total_reached) / static_cast<double>(queries.size()),
      static_cast<double>(total_bounded) / static_cast<double>(queries.size()),
      static_cast<double>(total_candidates) / static_cast<double>(queries.size()));
  std::printf("exhaustive scan: %.1f ms per query (%.0f ns per name, all threads)\n",
              1e3 * exhaustive_seconds / static_cast<double>(queries.size()),
              1e9 * exhaustive_seconds / static_cast<double>(queries.size()) /
                  static_cast<double>(stats.names));
  double recall = expected == 0 ? 1.0 : static_cast<double>(found) / static_cast<double>(expected);
  std::printf(
      "queries %zu, exhaustive hits %zu, found %zu, recall %.4f; candidates mean %.1f max %zu; "
      "CPU per query p50 %.1f us p99 %.1f us max %.1f us (this build)\n",
      queries.size(), expected, found, recall,
      static_cast<double>(total_candidates) / static_cast<double>(queries.size()), max_candidates,
      micros[micros.size() / 2], micros[micros.size() * 99 / 100], micros.back());
  EXPECT_EQ(queries.size(), 300u);
  EXPECT_GT(expected, 200u);
  EXPECT_GE(recall, 0.999);
}

// --- Scale (run by hand: --gtest_also_run_disabled_tests) ---------------

// Synthetic list in the spirit of PERFORMANCE.md §6 (A2): pseudo-word
// company and person names, some written in Cyrillic, Han or Arabic, three
// names per entity.
class SyntheticNames {
 public:
  explicit SyntheticNames(uint64_t seed) : rng_(seed) {}

  uint32_t Next(uint32_t n) {
    rng_ = rng_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((rng_ >> 33) % n);
  }

  std::string Word() {
    static const char* kOnsets[] = {"b", "d", "f", "g", "h",  "k",  "l",  "m",  "n",  "p", "r",
                                    "s", "t", "v", "z", "sh", "ch", "zh", "tr", "br", "kr"};
    static const char* kVowels[] = {"a",  "e",  "i",  "o",  "u",  "ai", "ao", "ei",
                                    "ou", "an", "en", "in", "un", "ar", "or"};
    std::string w;
    const uint32_t syllables = 1 + Next(3);
    for (uint32_t i = 0; i < syllables; ++i) {
      w += kOnsets[Next(sizeof(kOnsets) / sizeof(kOnsets[0]))];
      w += kVowels[Next(sizeof(kVowels) / sizeof(kVowels[0]))];
    }
    return w;
  }

  std::string Company() {
    static const char* kIndustry[] = {
        "Global",    "Trading",        "Technology", "Holdings",   "International", "Industrial",
        "Systems",   "Electronics",    "Energy",     "Logistics",  "Shipping",      "Engineering",
        "Import",    "Export",         "Group",      "Investment", "Development",   "Resources",
        "Network",   "Communications", "Digital",    "Software",   "Security",      "Services",
        "Solutions", "Machinery",      "Materials",  "Chemical",   "Petroleum",     "Mining",
        "Aviation",  "Marine",         "Capital",    "Finance",    "Construction",  "Manufacturing",
        "Science",   "Research",       "Precision",  "Optical"};
    static const char* kLegal[] = {
        "Co., Ltd.", "Ltd",      "LLC",  "GmbH", "JSC", "OOO",
        "Inc.",      "Corp.",    "S.A.", "PJSC", "AO",  "Limited",
        "PLC",       "SARL",     "B.V.", "AG",   "Co.", "Company Limited",
        "LLP",       "Pte. Ltd."};
    std::string name = Capital(Word());
    if (Next(10) < 4) name += " " + Capital(Word());
    for (uint32_t i = Next(4); i > 0; --i) name += std::string(" ") + kIndustry[Next(40)];
    if (Next(100) < 85) name += std::string(" ") + kLegal[Next(20)];
    return name;
  }

  std::string Person() {
    static const char* kGiven[] = {"Ivan",   "Sergei", "Ali",  "Mohammad", "Wei",  "Li",    "Olga",
                                   "Anna",   "Hassan", "Jose", "Maria",    "Kim",  "Pavel", "Omar",
                                   "Fatima", "Yuri",   "Chen", "Elena",    "Reza", "Jamal"};
    return Upper(Word() + "ov") + ", " + kGiven[Next(20)] + " " + Capital(Word());
  }

  // The name written in another script (a rough letter-by-letter mapping;
  // the normaliser romanises it back, not always to the same spelling).
  std::string Script(const std::string& latin, uint32_t which) {
    static const char* kCyrillic[26] = {"а", "б", "ц", "д", "е", "ф",  "г", "х", "и",
                                        "й", "к", "л", "м", "н", "о",  "п", "к", "р",
                                        "с", "т", "у", "в", "в", "кс", "ы", "з"};
    static const char* kArabic[26] = {"ا", "ب", "ك", "د", "ي", "ف",  "ج", "ه", "ي",
                                      "ج", "ك", "ل", "م", "ن", "و",  "ب", "ق", "ر",
                                      "س", "ت", "و", "ف", "و", "كس", "ي", "ز"};
    std::string out;
    uint32_t han = 0;
    for (char c : latin) {
      const char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (lower < 'a' || lower > 'z') {
        if (which != 2) out.push_back(c == ',' ? ' ' : c);
        continue;
      }
      if (which == 0) {
        out += kCyrillic[lower - 'a'];
      } else if (which == 1) {
        out += kArabic[lower - 'a'];
      } else {
        han = han * 31 + static_cast<uint32_t>(lower);
        if (lower == 'a' || lower == 'e' || lower == 'i' || lower == 'o' || lower == 'u') {
          const uint32_t cp = 0x4E00 + han % 2000;
          out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          han = 0;
        }
      }
    }
    return out;
  }

 private:
  static std::string Capital(std::string w) {
    if (!w.empty()) w[0] = static_cast<char>(w[0] - 'a' + 'A');
    return w;
  }
  static std::string Upper(std::string w) {
    for (char& c : w) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return w;
  }
  uint64_t rng_;
};

TEST(ScreenerScale, DISABLED_SyntheticMillionEntities) {
  const size_t n_entities = std::getenv("ICTS_SCALE_ENTITIES")
                                ? std::strtoul(std::getenv("ICTS_SCALE_ENTITIES"), nullptr, 10)
                                : 1000000;
  SyntheticNames gen(42);
  std::vector<std::string> sample;
  std::string image;
  {
    SnapshotContent c;
    c.sources.push_back(SourceInfo{"ftm", "synthetic", "", "", 0, 0, 0, 0});
    c.entities.reserve(n_entities);
    for (size_t i = 0; i < n_entities; ++i) {
      Entity e;
      e.id = "syn:" + std::to_string(i);
      e.source_id = std::to_string(i);
      const bool person = gen.Next(10) < 3;
      e.schema = person ? Schema::kPerson : Schema::kCompany;
      const std::string primary = person ? gen.Person() : gen.Company();
      const uint32_t script = gen.Next(100);
      std::string first = primary;
      if (script < 15) {
        first = gen.Script(primary, 0);
      } else if (script < 20) {
        first = gen.Script(primary, 1);
      } else if (script < 30) {
        first = gen.Script(primary, 2);
      }
      e.AddName(first, NameKind::kPrimary);
      if (first != primary) e.AddName(primary, NameKind::kStrongAlias);
      e.AddName(person ? gen.Person() : gen.Company(), NameKind::kWeakAlias);
      if (e.names.size() < 3) e.AddName(primary + " " + gen.Word(), NameKind::kWeakAlias);
      e.AddCountry(gen.Next(2) == 0 ? "CN" : "RU", CountryRole::kUnspecified);
      if (i % 997 == 0) sample.push_back(primary);
      c.entities.push_back(std::move(e));
      c.entity_source.push_back(0);
    }
    auto built = refdata::SerializeSnapshot(c);
    ASSERT_TRUE(built.ok());
    image = std::move(built).value();
  }
  auto snap = Snapshot::FromBytes(image, "synthetic");
  ASSERT_TRUE(snap.ok());
  image.clear();
  image.shrink_to_fit();
  const double rss_before = ResidentMiB();
  auto built = Screener::Build(**snap);
  ASSERT_TRUE(built.ok());
  const Screener& screener = **built;
  const ScreenerStats stats = screener.stats();
  const double rss_after = ResidentMiB();
  std::printf("entities %zu, names %llu, tokens %llu, postings %llu\n", n_entities,
              static_cast<unsigned long long>(stats.names),
              static_cast<unsigned long long>(stats.tokens),
              static_cast<unsigned long long>(stats.postings));
  std::printf("build %.1f s (wall, all threads); index RSS %.0f MiB (%.0f bytes per name)\n",
              stats.build_seconds, rss_after - rss_before,
              (rss_after - rss_before) * 1024.0 * 1024.0 / static_cast<double>(stats.names));

  // Near hits (perturbed list names) and non-hits (fresh names).
  std::vector<std::string> queries;
  uint64_t rng = 7;
  for (size_t i = 0; i < sample.size(); ++i) {
    queries.push_back(Perturb(sample[i], static_cast<uint32_t>(i), &rng));
  }
  SyntheticNames fresh(4242);
  const size_t near_hits = queries.size();
  for (size_t i = 0; i < near_hits; ++i) {
    queries.push_back(fresh.Next(10) < 3 ? fresh.Person() : fresh.Company());
  }
  std::vector<double> near_micros, miss_micros;
  size_t scored = 0, reached = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    Query q;
    q.name = queries[i];
    ScreenOptions options;
    ScreenTrace trace;
    options.trace = &trace;
    const double t0 = ThreadCpuMicros();
    (void)screener.Screen(q, options);
    (i < near_hits ? near_micros : miss_micros).push_back(ThreadCpuMicros() - t0);
    scored += trace.scored;
    reached += trace.candidates;
  }
  for (std::vector<double>* v : {&near_micros, &miss_micros}) std::sort(v->begin(), v->end());
  std::printf(
      "queries %zu near hits + %zu non-hits; names reached %.0f, scored %.1f per query\n"
      "CPU per query: near hits p50 %.0f us p99 %.0f us; non-hits p50 %.0f us p99 %.0f us\n",
      near_hits, queries.size() - near_hits,
      static_cast<double>(reached) / static_cast<double>(queries.size()),
      static_cast<double>(scored) / static_cast<double>(queries.size()),
      near_micros[near_micros.size() / 2], near_micros[near_micros.size() * 99 / 100],
      miss_micros[miss_micros.size() / 2], miss_micros[miss_micros.size() * 99 / 100]);

  // Candidate recall against the exhaustive scan on a few queries.
  size_t expected = 0, found = 0;
  for (size_t i = 0; i < queries.size(); i += std::max<size_t>(1, queries.size() / 40)) {
    Query q;
    q.name = queries[i];
    ScreenOptions options;
    options.top = 1000;
    std::set<std::string> got;
    for (const Hit& h : screener.Screen(q, options)) got.insert(h.entity_id);
    for (const Hit& h : screener.ScreenExhaustive(q, options)) {
      ++expected;
      if (got.count(h.entity_id) != 0) {
        ++found;
      } else {
        std::printf("  missed: '%s' -> '%s' (%.3f)\n", q.name.c_str(), h.matched_name.c_str(),
                    h.score);
      }
    }
  }
  std::printf("recall vs exhaustive: %zu / %zu\n", found, expected);
}

}  // namespace
}  // namespace icts::match
