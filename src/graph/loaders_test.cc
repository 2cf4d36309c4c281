// GLEIF, BODS and FollowTheMoney loaders over the public samples in the
// shared data folder (skipped when it is absent) and over small inline inputs.
#include "graph/loaders.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file.h"
#include "graph/nexus.h"
#include "tests/test_util.h"

namespace icts::graph {
namespace {

using icts::testing::SharedData;
using ::testing::HasSubstr;

Result<Graph> LoadOne(Status (*load)(const refdata::Input&, GraphBuilder&),
                      const std::string& path) {
  ICTS_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  GraphBuilder b;
  ICTS_RETURN_IF_ERROR(load({path, text}, b));
  return b.Finish();
}

OwnersResult ExplainAt(const Graph& g, const std::string& id, const char* as_of) {
  static const AdversaryList list =
      *ParseAdversaryList(EmbeddedRule("foreign-adversaries"), "fa.yaml");
  static const NexusDefinition def =
      *ParseNexusDefinition(EmbeddedRule("nexus/subpart-ab"), "ab.yaml");
  auto an = Analysis::Run(g, list, def, *Date::ParseIso(as_of));
  return (*an)->Explain(*g.Find(id));
}

TEST(GleifLoader, Level2UltimateParentInChina) {
  std::string path = SharedData("gleif-samples/rr-level2-cn-hk-sample.json");
  ICTS_REQUIRE_SHARED_DATA(path);
  auto g = LoadOne(&LoadGleif, path);
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->node_count(), 2u);
  const Node& hk = g->node(*g->Find("3003005JY7KTP8L48N10"));
  EXPECT_EQ(hk.lei, "3003005JY7KTP8L48N10");
  ASSERT_EQ(hk.countries.size(), 2u);
  EXPECT_EQ(hk.countries[0].code, "HK");
  EXPECT_EQ(hk.countries[0].role, CountryRole::kIncorporation);
  ASSERT_EQ(g->edge_count(), 1u);
  const Edge& e = g->edge(0);
  EXPECT_EQ(g->node(e.owner).id, "30030096HNNZNN7BZK36");
  EXPECT_EQ(e.kind, EdgeKind::kControl);
  ASSERT_TRUE(e.start.has_value());
  EXPECT_EQ(e.start->ToIso(), "2016-02-23");
  // The HK company is organised in China (HK counts from 2021-01-19) and
  // controlled by its PRC parent.
  OwnersResult r = ExplainAt(*g, "3003005JY7KTP8L48N10", "2025-06-01");
  EXPECT_EQ(r.outcome, "holds");
  bool control = false;
  for (const auto& f : r.nexus) {
    control = control || (f.adversary == "CN" && f.prong == Prong::kOwnershipControl);
  }
  EXPECT_TRUE(control);
  // Found by LEI, case-insensitively.
  EXPECT_TRUE(g->Find("3003005jy7ktp8l48n10").has_value());
}

TEST(GleifLoader, Level1XmlAndReportingExceptions) {
  std::string l1 = SharedData("gleif-samples/lei2-level1-sample.xml");
  std::string repex = SharedData("gleif-samples/repex-sample.xml");
  ICTS_REQUIRE_SHARED_DATA(l1);
  ICTS_REQUIRE_SHARED_DATA(repex);
  auto a = ReadFileToString(l1), b = ReadFileToString(repex);
  GraphBuilder builder;
  ASSERT_TRUE(LoadGleif({l1, *a}, builder).ok());
  ASSERT_TRUE(LoadGleif({repex, *b}, builder).ok());
  auto g = builder.Finish();
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->node_count(), 7u + 10u);
  const Node& fund = g->node(*g->Find("00TR8NKAEL48RGTZEW89"));
  EXPECT_EQ(fund.name, "ESG DOMESTIC OPPORTUNITY OFFSHORE FUND LTD.");
  EXPECT_EQ(fund.countries[0].code, "KY");
  EXPECT_EQ(fund.countries[1].code, "CW");
  EXPECT_EQ(fund.origin.line, 8u);  // Where <lei:LEIRecord> starts.
  const Node& ex = g->node(*g->Find("001GPB6A9XPE8XJICC14"));
  EXPECT_THAT(ex.parent_unknown, HasSubstr("NO_KNOWN_PERSON"));
  OwnersResult r = ExplainAt(*g, "001GPB6A9XPE8XJICC14", "2025-06-01");
  EXPECT_EQ(r.outcome, "needs-review");
  ASSERT_FALSE(r.unknowns.empty());
  EXPECT_EQ(r.unknowns[0].kind, "parent-unknown");
}

TEST(GleifLoader, BrokenInput) {
  GraphBuilder b;
  EXPECT_THAT(LoadGleif({"x.xml", "<a><b></a>"}, b).message(), HasSubstr("x.xml:1:"));
  EXPECT_THAT(LoadGleif({"x.json", "[{\"Relationship\": {}}]"}, b).message(), HasSubstr(""));
  EXPECT_TRUE(b.has_errors());
  EXPECT_FALSE(LoadGleif({"x", "hello"}, b).ok());
  EXPECT_FALSE(LoadGleif({"x", std::string(1000, '[')}, b).ok());
}

TEST(BodsLoader, DirectAndIndirectOwnership) {
  std::string path = SharedData("bods-examples/examples/indirect-ownership.json");
  ICTS_REQUIRE_SHARED_DATA(path);
  auto g = LoadOne(&LoadBods, path);
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->node_count(), 3u);
  const Node& person = g->node(*g->Find("bods:c25d4d612c2c"));
  EXPECT_EQ(person.type, NodeType::kPerson);
  EXPECT_EQ(person.name, "Person 1");
  ASSERT_EQ(person.countries.size(), 1u);
  EXPECT_EQ(person.countries[0].code, "GB");
  // The two component relationships; the indirect statement (30%, with
  // components) is not added on top of its chain.
  ASSERT_EQ(g->edge_count(), 2u);
  const Edge& a = g->edge(g->EdgesInto(*g->Find("bods:ad3f6c2fcc9e"))[0]);
  EXPECT_DOUBLE_EQ(a.share, 0.60);
  const Edge& b = g->edge(g->EdgesInto(*g->Find("bods:d4ab89ea169a"))[0]);
  EXPECT_FALSE(b.share_known());
}

TEST(BodsLoader, EveryExampleLoads) {
  for (const char* name : {"bods-package.json", "joint-ownership.json", "bods-package-fi-soe.json",
                           "multiple-indirect-ownership.json", "fermcat.json", "tecido.json",
                           "levent.json", "nomination.json"}) {
    std::string path = SharedData(std::string("bods-examples/examples/") + name);
    ICTS_REQUIRE_SHARED_DATA(path);
    auto g = LoadOne(&LoadBods, path);
    EXPECT_TRUE(g.ok()) << name << ": " << g.status().message();
  }
}

TEST(BodsLoader, StateBodyIsGovernmentAndSharesAreChecked) {
  const char* kStatements = R"([
    {"recordId": "s", "recordType": "entity", "recordDetails": {"name": "State Property Fund",
      "entityType": {"type": "stateBody"}, "jurisdiction": {"name": "Russia", "code": "RU"}}},
    {"recordId": "c", "recordType": "entity", "recordDetails": {"name": "Telecom JSC",
      "entityType": {"type": "registeredEntity"}, "jurisdiction": {"code": "AM"}}},
    {"recordId": "r", "recordType": "relationship", "recordDetails": {"subject": "c",
      "interestedParty": "s", "interests": [{"type": "shareholding", "share": {"minimum": 50,
      "maximum": 75}}, {"type": "appointmentOfBoard"}]}}
  ])";
  GraphBuilder b;
  ASSERT_TRUE(LoadBods({"soe.json", kStatements}, b).ok());
  auto g = b.Finish();
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->node(*g->Find("bods:s")).countries[0].role, CountryRole::kGovernment);
  ASSERT_EQ(g->edge_count(), 2u);
  EXPECT_DOUBLE_EQ(g->edge(0).share, 0.50);
  EXPECT_DOUBLE_EQ(g->edge(0).share_max, 0.75);
  EXPECT_EQ(g->edge(1).control, ControlKind::kBoardMajority);
  OwnersResult r = ExplainAt(*g, "bods:c", "2025-06-01");
  EXPECT_EQ(r.outcome, "holds");
  bool range = false;
  for (const auto& u : r.unknowns) range = range || u.kind == "share-range";
  EXPECT_TRUE(range);

  GraphBuilder bad;
  ASSERT_TRUE(LoadBods({"bad.json", R"([{"recordId": "r", "recordType": "relationship",
      "recordDetails": {"subject": "c", "interestedParty": "s",
      "interests": [{"type": "shareholding", "share": {"exact": 150}}]}}])"},
                       bad)
                  .ok());
  auto g2 = bad.Finish();
  ASSERT_FALSE(g2.ok());
  EXPECT_THAT(g2.status().message(), HasSubstr("bad.json#/0: share 150"));
}

TEST(FtmGraphLoader, OwnershipAndDirectorshipFromSanctionsData) {
  std::string path = SharedData("yente-ftm-samples/zala-entities.ftm.json");
  ICTS_REQUIRE_SHARED_DATA(path);
  auto g = LoadOne(&LoadFtmGraph, path);
  ASSERT_TRUE(g.ok()) << g.status().message();
  size_t ownership = 0, directorship = 0;
  for (const Edge& e : g->edges()) {
    ownership += e.kind == EdgeKind::kOwnership;
    directorship += e.kind == EdgeKind::kDirectorship;
  }
  EXPECT_EQ(ownership, 14u);
  EXPECT_GE(directorship, 1u);
  // Register history overlaps: over 100% is a warning there, and the
  // analysis reports it as unknown.
  bool over = false;
  for (const auto& w : g->warnings())
    over = over || w.message.find("more than 100%") != std::string::npos;
  EXPECT_TRUE(over);
  OwnersResult r = ExplainAt(*g, "ftm:NK-abdzbEBkqyT29GyREbiURZ", "2020-01-01");
  bool scaled = false;
  for (const auto& u : r.unknowns) scaled = scaled || u.kind == "shares-over-100";
  EXPECT_TRUE(scaled);
}

}  // namespace
}  // namespace icts::graph
