#include "graph/graph.h"

#include <cmath>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "graph/loaders.h"

namespace icts::graph {
namespace {

using ::testing::HasSubstr;

TEST(ParseShare, FractionsAndPercents) {
  struct Case {
    const char* text;
    double want;
  };
  for (const Case& c : {Case{"0.56", 0.56}, Case{"56%", 0.56}, Case{" 56 % ", 0.56}, Case{"1", 1.0},
                        Case{"0", 0.0}, Case{"100%", 1.0}, Case{"0.5%", 0.005}}) {
    auto v = ParseShare(c.text);
    ASSERT_TRUE(v.ok()) << c.text;
    EXPECT_DOUBLE_EQ(*v, c.want) << c.text;
  }
  EXPECT_TRUE(std::isnan(*ParseShare("")));
}

TEST(ParseShare, RejectsOutOfRangeAndAmbiguous) {
  for (const char* bad : {"56", "1.2", "-0.1", "101%", "-5%", "abc", "0.5x", "%", "nan", "inf"}) {
    auto v = ParseShare(bad);
    EXPECT_FALSE(v.ok()) << bad;
  }
  EXPECT_THAT(ParseShare("56").status().message(), HasSubstr("56%"));
}

Node Org(std::string id, int line = 1) {
  Node n;
  n.id = std::move(id);
  n.type = NodeType::kOrganization;
  n.origin = {"nodes.csv", static_cast<uint64_t>(line)};
  return n;
}

Edge Own(double share, int line) {
  Edge e;
  e.share = share;
  e.origin = {"edges.csv", static_cast<uint64_t>(line)};
  return e;
}

TEST(GraphBuilder, BuildsIndexes) {
  GraphBuilder b;
  b.AddNode(Org("a"));
  b.AddNode(Org("b"));
  b.AddEdge("a", "b", Own(0.4, 2), GraphBuilder::Dangling::kError);
  auto g = b.Finish();
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->node_count(), 2u);
  ASSERT_EQ(g->EdgesInto(*g->Find("b")).size(), 1u);
  EXPECT_EQ(g->edge(0).owner, *g->Find("a"));
  EXPECT_FALSE(g->Find("c").has_value());
}

TEST(GraphBuilder, SelfOwnershipIsAnError) {
  GraphBuilder b;
  b.AddNode(Org("a"));
  b.AddEdge("a", "a", Own(0.1, 7), GraphBuilder::Dangling::kError);
  auto g = b.Finish();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("edges.csv:7: 'a' cannot own or control itself"));
}

TEST(GraphBuilder, DanglingReferences) {
  GraphBuilder strict;
  strict.AddNode(Org("a"));
  strict.AddEdge("a", "ghost", Own(0.1, 3), GraphBuilder::Dangling::kError);
  auto g = strict.Finish();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("edges.csv:3: edge refers to node 'ghost'"));

  GraphBuilder lenient;
  lenient.AddNode(Org("a"));
  lenient.AddEdge("a", "ghost", Own(0.1, 3), GraphBuilder::Dangling::kPlaceholder);
  auto g2 = lenient.Finish();
  ASSERT_TRUE(g2.ok());
  EXPECT_TRUE(g2->Find("ghost").has_value());
  ASSERT_EQ(g2->warnings().size(), 1u);
  EXPECT_THAT(g2->warnings()[0].ToString(), HasSubstr("placeholder"));
}

TEST(GraphBuilder, DuplicateEdges) {
  GraphBuilder same;
  same.AddNode(Org("a"));
  same.AddNode(Org("b"));
  same.AddEdge("a", "b", Own(0.4, 2), GraphBuilder::Dangling::kError);
  same.AddEdge("a", "b", Own(0.4, 3), GraphBuilder::Dangling::kError);
  auto g = same.Finish();
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->edge_count(), 1u);
  ASSERT_EQ(g->warnings().size(), 1u);
  EXPECT_THAT(g->warnings()[0].ToString(), HasSubstr("edges.csv:3: duplicate edge"));

  GraphBuilder differ;
  differ.AddNode(Org("a"));
  differ.AddNode(Org("b"));
  differ.AddEdge("a", "b", Own(0.4, 2), GraphBuilder::Dangling::kError);
  differ.AddEdge("a", "b", Own(0.5, 3), GraphBuilder::Dangling::kError);
  auto g2 = differ.Finish();
  ASSERT_FALSE(g2.ok());
  EXPECT_THAT(g2.status().message(),
              HasSubstr("edges.csv:3: edge 'a' -> 'b' repeats edges.csv:2 with a different share"));
}

TEST(GraphBuilder, SharesOfOneAssetOverOneHundredPercent) {
  GraphBuilder b;
  b.AddNode(Org("a"));
  b.AddNode(Org("b"));
  b.AddNode(Org("c"));
  b.AddEdge("a", "c", Own(0.6, 2), GraphBuilder::Dangling::kError);
  b.AddEdge("b", "c", Own(0.5, 3), GraphBuilder::Dangling::kError);
  auto g = b.Finish();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("known shares of 'c' add up to 110%"));
}

TEST(GraphBuilder, SuccessiveHoldingsOverTimeAreNotSummed) {
  GraphBuilder b;
  b.AddNode(Org("a"));
  b.AddNode(Org("b"));
  b.AddNode(Org("c"));
  Edge e1 = Own(0.8, 2);
  e1.end = *Date::ParseIso("2020-12-31");
  Edge e2 = Own(0.8, 3);
  e2.start = *Date::ParseIso("2021-01-01");
  b.AddEdge("a", "c", e1, GraphBuilder::Dangling::kError);
  b.AddEdge("b", "c", e2, GraphBuilder::Dangling::kError);
  auto g = b.Finish();
  EXPECT_TRUE(g.ok()) << g.status().message();
}

TEST(GraphBuilder, NodeDefinedTwice) {
  GraphBuilder b;
  b.AddNode(Org("a", 2));
  b.AddNode(Org("a", 5));
  auto g = b.Finish();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("nodes.csv:5: node 'a' is defined twice (first at "
                                              "nodes.csv:2)"));
}

// --- CSV contract format -----------------------------------------------------

Result<Graph> LoadCsv(const std::string& nodes, const std::string& edges) {
  GraphBuilder b;
  ICTS_RETURN_IF_ERROR(LoadCsvNodes({"nodes.csv", nodes}, b));
  ICTS_RETURN_IF_ERROR(LoadCsvEdges({"edges.csv", edges}, b));
  return b.Finish();
}

constexpr char kNodes[] =
    "id,name,type,country,country_role\n"
    "p,Petrov,person,RU,citizenship\n"
    "h,Holding,organization,CY,incorporation\n"
    "t,Target AG,organization,CH,incorporation\n"
    "t,,,CH,headquarters\n";

TEST(CsvLoader, ReadsContractFormat) {
  auto g = LoadCsv(kNodes,
                   "owner_id,owned_id,share,control\n"
                   "p,h,100%,\n"
                   "h,t,0.56,board-majority\n");
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->node_count(), 3u);
  const Node& t = g->node(*g->Find("t"));
  ASSERT_EQ(t.countries.size(), 2u);
  EXPECT_EQ(t.countries[1].role, CountryRole::kHeadquarters);
  EXPECT_EQ(t.countries[1].origin.ToString(), "nodes.csv:5");
  // "0.56,board-majority" is an ownership edge and a control edge.
  ASSERT_EQ(g->EdgesInto(*g->Find("t")).size(), 2u);
  EXPECT_EQ(g->edge_count(), 3u);
  EXPECT_DOUBLE_EQ(g->edge(0).share, 1.0);
  EXPECT_EQ(g->edge(2).control, ControlKind::kBoardMajority);
  EXPECT_EQ(g->edge(2).origin.ToString(), "edges.csv:3");
}

TEST(CsvLoader, BadRowsAreErrorsWithFileAndLineAndNothingIsLoaded) {
  auto g = LoadCsv(kNodes,
                   "owner_id,owned_id,share,control\n"
                   "p,h,56,\n"
                   "h,t,0.5,veto\n"
                   "h,nowhere,0.1,\n"
                   "t,t,0.1,\n"
                   "h,t,0.5\n");
  ASSERT_FALSE(g.ok());
  const std::string& m = g.status().message();
  EXPECT_THAT(m, HasSubstr("edges.csv:2: share '56' is outside [0, 1]"));
  EXPECT_THAT(m, HasSubstr("edges.csv:3: control 'veto' is not one of"));
  EXPECT_THAT(m, HasSubstr("edges.csv:4: edge refers to node 'nowhere'"));
  EXPECT_THAT(m, HasSubstr("edges.csv:5: 't' cannot own or control itself"));
  EXPECT_THAT(m, HasSubstr("edges.csv:6: expected 4 fields, found 3"));
}

TEST(CsvLoader, NodeRowsMustAgree) {
  auto g = LoadCsv(
      "id,name,type,country,country_role\n"
      "a,Alpha,organization,CN,incorporation\n"
      "a,Beta,organization,CN,headquarters\n"
      "b,Bravo,person,XX1,citizenship\n"
      "c,Charlie,robot,,\n"
      "d,Delta,person,RU,spouse\n"
      "e,,,RU,citizenship\n",
      "owner_id,owned_id,share,control\n");
  ASSERT_FALSE(g.ok());
  const std::string& m = g.status().message();
  EXPECT_THAT(m, HasSubstr("nodes.csv:3: node 'a' is named 'Beta' here but 'Alpha'"));
  EXPECT_THAT(m, HasSubstr("nodes.csv:4: country 'XX1'"));
  EXPECT_THAT(m, HasSubstr("nodes.csv:5: type 'robot'"));
  EXPECT_THAT(m, HasSubstr("nodes.csv:6: country_role 'spouse'"));
  EXPECT_THAT(m, HasSubstr("nodes.csv:7: node 'e': type is required"));
}

TEST(CsvLoader, HeaderErrors) {
  GraphBuilder b;
  Status s = LoadCsvNodes({"n.csv", "id,name,type,country\n"}, b);
  EXPECT_THAT(s.message(), HasSubstr("n.csv:1: missing column 'country_role'"));
  s = LoadCsvEdges({"e.csv", "owner_id,owned_id,share,control,weight\n"}, b);
  EXPECT_THAT(s.message(), HasSubstr("e.csv:1: unknown column 'weight'"));
  s = LoadCsvEdges({"e.csv", "owner_id,owned_id,share,control\n\"a,b,,\n"}, b);
  EXPECT_FALSE(s.ok() && !b.has_errors());
  s = LoadCsvNodes({"n.csv", ""}, b);
  EXPECT_THAT(s.message(), HasSubstr("empty file"));
}

TEST(CsvLoader, DatesOnEdges) {
  GraphBuilder b;
  ASSERT_TRUE(LoadCsvNodes({"nodes.csv", kNodes}, b).ok());
  ASSERT_TRUE(LoadCsvEdges({"edges.csv",
                            "owner_id,owned_id,share,control,start,end\n"
                            "p,h,1,,2020-01-01,\n"
                            "h,t,0.2,,2021-13-01,\n"},
                           b)
                  .ok());
  auto g = b.Finish();
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("edges.csv:3: start '2021-13-01' is not a"));
}

}  // namespace
}  // namespace icts::graph
