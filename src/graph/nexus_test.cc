#include "graph/nexus.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file.h"
#include "graph/loaders.h"
#include "tests/test_util.h"

namespace icts::graph {
namespace {

using ::testing::HasSubstr;

Date D(const char* iso) { return *Date::ParseIso(iso); }

// The shipped example graph (examples/ownership/).
class ExampleGraph : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = icts::testing::SourceDir() + "/examples/ownership/";
    auto nodes = ReadFileToString(dir + "nodes.csv");
    auto edges = ReadFileToString(dir + "edges.csv");
    ASSERT_TRUE(nodes.ok() && edges.ok());
    GraphBuilder b;
    ASSERT_TRUE(LoadCsvNodes({"nodes.csv", *nodes}, b).ok());
    ASSERT_TRUE(LoadCsvEdges({"edges.csv", *edges}, b).ok());
    auto g = b.Finish();
    ASSERT_TRUE(g.ok()) << g.status().message();
    graph_ = std::move(*g);
    list_ = *ParseAdversaryList(EmbeddedRule("foreign-adversaries"), "fa.yaml");
    ab_ = *ParseNexusDefinition(EmbeddedRule("nexus/subpart-ab"), "ab.yaml");
    d_ = *ParseNexusDefinition(EmbeddedRule("nexus/subpart-d"), "d.yaml");
  }

  OwnersResult Explain(const char* id, const char* as_of = "2025-06-01", bool subpart_d = false) {
    auto an = Analysis::Run(graph_, list_, subpart_d ? d_ : ab_, D(as_of));
    EXPECT_TRUE(an.ok());
    return (*an)->Explain(*graph_.Find(id));
  }

  static double Share(const OwnersResult& r, const std::string& code) {
    for (const auto& [c, s] : r.adversary_shares) {
      if (c == code) return s;
    }
    return 0;
  }
  static bool HasProng(const std::vector<NexusFinding>& fs, const std::string& adv, Prong p) {
    for (const auto& f : fs) {
      if (f.adversary == adv && f.prong == p) return true;
    }
    return false;
  }
  static bool HasUnknown(const OwnersResult& r, const std::string& kind) {
    for (const auto& u : r.unknowns) {
      if (u.kind == kind) return true;
    }
    return false;
  }

  Graph graph_;
  AdversaryList list_;
  NexusDefinition ab_, d_;
};

TEST_F(ExampleGraph, SwissCompanyMajorityRussianThroughCyprus) {
  OwnersResult r = Explain("alpensignal-ch");
  EXPECT_EQ(r.outcome, "holds");
  EXPECT_NEAR(Share(r, "RU"), 0.56, 1e-12);
  ASSERT_EQ(r.paths.size(), 1u);
  EXPECT_EQ(r.paths[0].via, (std::vector<std::string>{"ivanov", "aurora-cy", "alpensignal-ch"}));
  EXPECT_EQ(r.paths[0].shares, (std::vector<double>{1.0, 0.56}));
  EXPECT_TRUE(r.paths_complete);
  EXPECT_TRUE(HasProng(r.nexus, "RU", Prong::kOwnershipControl));
  EXPECT_FALSE(HasProng(r.nexus, "RU", Prong::kOrganization));
  ASSERT_EQ(r.control.size(), 1u);
  EXPECT_EQ(r.control[0].via.front(), "ivanov");
  EXPECT_TRUE(r.unknowns.empty());
}

TEST_F(ExampleGraph, UsSubsidiaryCarriesParentNexus) {
  OwnersResult r = Explain("kaspersky-lab-inc");
  EXPECT_NEAR(Share(r, "RU"), 1.0, 1e-12);
  EXPECT_TRUE(HasProng(r.nexus, "RU", Prong::kOwnershipControl));
  // The parent itself: place of organisation.
  OwnersResult p = Explain("kaspersky-ao");
  EXPECT_TRUE(HasProng(p.nexus, "RU", Prong::kOrganization));
}

TEST_F(ExampleGraph, MinorityStakeWithBoardMajorityIsControl) {
  OwnersResult r = Explain("nordlicht-de");
  EXPECT_NEAR(Share(r, "CN"), 0.30, 1e-12);
  EXPECT_TRUE(HasProng(r.nexus, "CN", Prong::kOwnershipControl));
  ASSERT_FALSE(r.control.empty());
  EXPECT_EQ(r.control[0].how[0].substr(0, 14), "board-majority");
  // Under Subpart D the threshold is unknown: review, never a finding.
  OwnersResult d = Explain("nordlicht-de", "2025-06-01", true);
  EXPECT_TRUE(d.nexus.empty());
  EXPECT_TRUE(HasProng(d.review, "CN", Prong::kOwnershipControl));
  EXPECT_EQ(d.outcome, "needs-review");
}

TEST_F(ExampleGraph, PassiveFivePercentIsReportedButNoNexus) {
  OwnersResult r = Explain("maple-networks");
  EXPECT_NEAR(Share(r, "IR"), 0.05, 1e-12);
  EXPECT_TRUE(r.nexus.empty());
  EXPECT_TRUE(r.review.empty());
  EXPECT_EQ(r.outcome, "none-found");
}

TEST_F(ExampleGraph, CrossHoldingRing) {
  // HK holder 50% of ring-a; ring-b 30% of ring-a; ring-a 40% of ring-b:
  // x_a = 0.5 / 0.88 = 56.82% (> 50%: owned), x_b = 0.2 / 0.88.
  OwnersResult a = Explain("ring-a");
  EXPECT_NEAR(Share(a, "CN"), 0.5 / 0.88, 1e-12);
  EXPECT_TRUE(HasProng(a.nexus, "CN", Prong::kOwnershipControl));
  EXPECT_FALSE(a.paths_complete);  // The ring adds infinitely many walks.
  EXPECT_TRUE(HasUnknown(a, "unaccounted-ownership"));
  OwnersResult sub = Explain("ring-sub");
  EXPECT_NEAR(Share(sub, "CN"), 0.2 / 0.88, 1e-12);
  EXPECT_TRUE(HasProng(sub.review, "CN", Prong::kOwnershipControl));
  EXPECT_EQ(sub.outcome, "needs-review");
}

TEST_F(ExampleGraph, MacauCountsFromFebruary2025) {
  OwnersResult before = Explain("pacific-ops", "2025-02-03");
  EXPECT_TRUE(before.adversary_shares.empty());
  EXPECT_TRUE(before.nexus.empty());
  OwnersResult after = Explain("pacific-ops", "2025-02-04");
  EXPECT_NEAR(Share(after, "CN"), 0.60, 1e-12);
  EXPECT_TRUE(HasProng(after.nexus, "CN", Prong::kOwnershipControl));
}

TEST_F(ExampleGraph, DirectionIsTheAgencyProng) {
  OwnersResult r = Explain("caribe-telecom");
  EXPECT_TRUE(HasProng(r.nexus, "VE-MADURO", Prong::kAgency));
  EXPECT_TRUE(HasUnknown(r, "no-ownership-data"));
  OwnersResult m = Explain("maduro-regime");
  EXPECT_TRUE(HasProng(m.nexus, "VE-MADURO", Prong::kIsAdversary));
}

TEST_F(ExampleGraph, UsPersonCarveOut) {
  OwnersResult holder = Explain("dual-national");
  EXPECT_TRUE(holder.nexus.empty());
  EXPECT_TRUE(HasProng(holder.review, "RU", Prong::kCitizenship));
  OwnersResult owned = Explain("ohio-ict");
  EXPECT_TRUE(owned.adversary_shares.empty());
  EXPECT_TRUE(owned.nexus.empty());
}

TEST_F(ExampleGraph, SubpartDIsLimitedToChinaAndRussia) {
  OwnersResult r = Explain("maple-networks", "2025-06-01", true);
  EXPECT_TRUE(r.adversary_shares.empty());  // Iran is outside Subpart D.
  OwnersResult k = Explain("kaspersky-lab-inc", "2025-06-01", true);
  EXPECT_TRUE(k.nexus.empty());
  EXPECT_TRUE(HasProng(k.review, "RU", Prong::kOwnershipControl));
  EXPECT_TRUE(HasUnknown(k, "threshold-unverified"));
  ASSERT_FALSE(k.review.empty());
  EXPECT_THAT(k.review[0].evidence, HasSubstr("25%"));
}

TEST(Nexus, MissingSharesAndUndisclosedParentsAreUnknowns) {
  GraphBuilder b;
  Node t;
  t.id = "t";
  t.type = NodeType::kOrganization;
  b.AddNode(t);
  Node p;
  p.id = "p";
  p.type = NodeType::kOrganization;
  p.parent_unknown = "GLEIF reporting exception: NON_PUBLIC";
  b.AddNode(p);
  Edge e;
  e.origin = {"edges.csv", 2};
  b.AddEdge("p", "t", e, GraphBuilder::Dangling::kError);
  auto g = b.Finish();
  ASSERT_TRUE(g.ok());
  auto list = *ParseAdversaryList(EmbeddedRule("foreign-adversaries"), "fa.yaml");
  auto def = *ParseNexusDefinition(EmbeddedRule("nexus/subpart-ab"), "ab.yaml");
  auto an = Analysis::Run(*g, list, def, D("2025-06-01"));
  ASSERT_TRUE(an.ok());
  OwnersResult r = (*an)->Explain(*g->Find("t"));
  EXPECT_EQ(r.outcome, "needs-review");
  ASSERT_GE(r.unknowns.size(), 2u);
  EXPECT_EQ(r.unknowns[0].kind, "missing-share");
  EXPECT_EQ(r.unknowns[0].origin, "edges.csv:2");
  EXPECT_EQ(r.unknowns[1].kind, "parent-unknown");
}

}  // namespace
}  // namespace icts::graph
