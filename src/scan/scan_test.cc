// Scanning items against the shipped packs and the curated registry.
#include "scan/scan.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "match/screener.h"
#include "refdata/build.h"
#include "refdata/snapshot.h"
#include "review/review.h"
#include "rules/pack.h"
#include "tests/test_util.h"

namespace icts::scan {
namespace {

using ::testing::HasSubstr;

class ScanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<rules::PackSet> set = rules::LoadPackDir(testing::SourceDir() + "/rules");
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    packs_ = new rules::PackSet(std::move(*set));
    refdata::BuildConfig config;
    for (const char* f :
         {"ndaa-889.yaml", "fcc-covered-list.yaml", "kaspersky.yaml", "ict-vendors.yaml"}) {
      const std::string path = testing::SourceDir() + "/data/curated/" + f;
      config.sources.push_back({"curated", path, path, ""});
    }
    auto image = refdata::BuildSnapshotImage(config, {}, nullptr);
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    snapshot_ = refdata::Snapshot::FromBytes(*image, "curated")->release();
    screener_ = match::Screener::Build(*snapshot_)->release();
    review::ReviewerOptions o;
    o.snapshot = snapshot_;
    o.screener = screener_;
    reviewer_ = review::Reviewer::Create(*packs_, o)->release();
  }
  static void TearDownTestSuite() {
    delete reviewer_;
    delete screener_;
    delete snapshot_;
    delete packs_;
  }

  static inventory::Item Item(std::string ref, std::string name, std::string supplier,
                              std::string kind = "hardware") {
    inventory::Item it;
    it.ref = std::move(ref);
    it.name = std::move(name);
    it.kind = std::move(kind);
    it.file = "bom.json";
    it.pointer = "/components/0";
    if (!supplier.empty()) it.orgs.push_back({"supplier", std::move(supplier), "", "", "", ""});
    return it;
  }

  static ScanOptions Options() {
    ScanOptions o;
    o.as_of = *Date::ParseIso("2025-06-01");
    o.organization = "Example Hospital";
    return o;
  }

  static rules::PackSet* packs_;
  static refdata::Snapshot* snapshot_;
  static match::Screener* screener_;
  static review::Reviewer* reviewer_;
};

rules::PackSet* ScanTest::packs_ = nullptr;
refdata::Snapshot* ScanTest::snapshot_ = nullptr;
match::Screener* ScanTest::screener_ = nullptr;
review::Reviewer* ScanTest::reviewer_ = nullptr;

TEST_F(ScanTest, ListedSupplierGivesAnExplainedFinding) {
  std::vector<inventory::Item> items = {
      Item("cam-1", "DS-2CD2143G2-I", "Hangzhou Hikvision Digital Technology Co., Ltd.")};
  items[0].tags = {"surveillance-camera"};
  ScanResult r = Scan({}, std::move(items), *reviewer_, Options());
  ASSERT_EQ(r.items.size(), 1u);
  ASSERT_FALSE(r.findings.empty());
  bool covered = false;
  for (const ItemFinding& f : r.findings) {
    EXPECT_EQ(f.item, 0u);
    if (f.rule == "list-flags/fcc-covered-list") {
      covered = true;
      EXPECT_THAT(f.explanation, HasSubstr("Hikvision"));
      EXPECT_FALSE(f.citation.empty());
      EXPECT_EQ(f.supplier, "Hangzhou Hikvision Digital Technology Co., Ltd.");
    }
  }
  EXPECT_TRUE(covered);
  EXPECT_TRUE(Fails(r, "needs-review"));
  EXPECT_TRUE(r.unattributed.empty());
}

TEST_F(ScanTest, ItemsWithTheSameFactsShareOneReview) {
  std::vector<inventory::Item> items;
  for (int i = 0; i < 500; ++i) {
    items.push_back(Item("lib-" + std::to_string(i), "lib" + std::to_string(i),
                         i % 2 ? "Example Software GmbH" : "Beispiel Werkzeuge AG", "software"));
  }
  ScanResult r = Scan({}, std::move(items), *reviewer_, Options());
  EXPECT_EQ(r.items.size(), 500u);
  EXPECT_EQ(r.determinations.size(), 2u);
}

TEST_F(ScanTest, UnattributedItemsAreCountedNotDropped) {
  std::vector<inventory::Item> items = {Item("a", "left-pad", "", "software"),
                                        Item("b", "right-pad", "", "software")};
  ScanResult r = Scan({}, std::move(items), *reviewer_, Options());
  EXPECT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.unattributed.size(), 2u);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_FALSE(Fails(r, "needs-review"));
  EXPECT_TRUE(Fails(r, "any"));
}

TEST_F(ScanTest, DecisionsSuppressUntilTheyExpire) {
  const std::string path = ::testing::TempDir() + "/decisions.yaml";
  {
    std::ofstream out(path);
    out << "decisions:\n"
           "  - supplier: \"Hangzhou Hikvision*\"\n"
           "    status: accepted-risk\n"
           "    reason: Cameras isolated on a separate VLAN; replacement ordered (PO 4411)\n"
           "    by: j.doe@example.org\n"
           "    expires: 2025-12-31\n";
  }
  Result<std::vector<Decision>> decisions = ReadDecisions(path);
  ASSERT_TRUE(decisions.ok()) << decisions.status().ToString();
  ScanOptions o = Options();
  o.decisions = *decisions;
  auto items = [] {
    std::vector<inventory::Item> v = {
        Item("cam-1", "DS-2CD2143G2-I", "Hangzhou Hikvision Digital Technology Co., Ltd.")};
    return v;
  };
  ScanResult in_force = Scan({}, items(), *reviewer_, o);
  ASSERT_FALSE(in_force.findings.empty());
  for (const ItemFinding& f : in_force.findings) ASSERT_NE(f.decision, nullptr);
  EXPECT_EQ(in_force.prohibited + in_force.needs_review, 0u);
  EXPECT_FALSE(Fails(in_force, "needs-review"));

  o.as_of = *Date::ParseIso("2026-01-01");  // The day after it expires.
  ScanResult expired = Scan({}, items(), *reviewer_, o);
  ASSERT_FALSE(expired.findings.empty());
  for (const ItemFinding& f : expired.findings) {
    EXPECT_EQ(f.decision, nullptr);
    EXPECT_TRUE(f.decision_expired);
  }
  EXPECT_TRUE(Fails(expired, "needs-review"));
}

TEST_F(ScanTest, BadDecisionsNameTheirLine) {
  const std::string path = ::testing::TempDir() + "/bad-decisions.yaml";
  {
    std::ofstream out(path);
    out << "decisions:\n  - item: cam-1\n    status: ignored\n    reason: r\n    by: me\n";
  }
  Result<std::vector<Decision>> d = ReadDecisions(path);
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("bad-decisions.yaml:2:"));
  EXPECT_THAT(d.status().message(), HasSubstr("ignored"));
}

TEST_F(ScanTest, MappingAddsTagsAndSuppliers) {
  const std::string path = ::testing::TempDir() + "/mapping.yaml";
  {
    std::ofstream out(path);
    out << "sector: [sector-healthcare]\n"
           "rules:\n"
           "  - purl: pkg:generic/kaspersky\n"
           "    tags: [antivirus]\n"
           "    set_supplier: Kaspersky Lab, Inc.\n";
  }
  Result<ItemMapping> m = ReadItemMapping(path, packs_->taxonomy);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ScanOptions o = Options();
  o.mapping = *m;
  inventory::Item it = Item("kes", "Kaspersky Endpoint Security", "", "software");
  it.purl = "pkg:generic/kaspersky/endpoint-security@12.3";
  ScanResult r = Scan({}, {it}, *reviewer_, o);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_THAT(r.items[0].tags, ::testing::ElementsAre("antivirus", "sector-healthcare"));
  ASSERT_EQ(r.items[0].suppliers.size(), 1u);
  EXPECT_EQ(r.items[0].suppliers[0].name, "Kaspersky Lab, Inc.");
  // Continued use of an installed product: shown, not prohibited.
  auto kaspersky = [](const ScanResult& x, rules::Outcome want) {
    for (const ItemFinding& f : x.findings) {
      if (f.rule.rfind("kaspersky-final-determination/", 0) == 0 && f.outcome == want) return true;
    }
    return false;
  };
  EXPECT_TRUE(kaspersky(r, rules::Outcome::kClear));
  EXPECT_FALSE(Fails(r, "prohibited"));
  // A renewal (a new agreement) is prohibited from 2024-07-20.
  o.activity = "acquisition";
  o.agreement = "new";
  ScanResult renewal = Scan({}, {it}, *reviewer_, o);
  EXPECT_TRUE(kaspersky(renewal, rules::Outcome::kProhibited));
  EXPECT_TRUE(Fails(renewal, "prohibited"));

  // An unknown tag in a mapping is an error with its location.
  {
    std::ofstream out(path);
    out << "rules:\n  - name: \"x*\"\n    tags: [toaster]\n";
  }
  Result<ItemMapping> bad = ReadItemMapping(path, packs_->taxonomy);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("mapping.yaml:3:"));
}

TEST_F(ScanTest, ReadsEachInventoryFormat) {
  const std::string dir = ::testing::TempDir();
  struct Case {
    const char* file;
    const char* text;
  } cases[] = {
      {"a.cdx.json",
       R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
          {"type": "device", "name": "IPC-HDW2431T", "bom-ref": "c1",
           "manufacturer": {"name": "Zhejiang Dahua Technology Co., Ltd."}}]})"},
      {"b.spdx.json",
       R"({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "b",
          "dataLicense": "CC0-1.0", "documentNamespace": "https://example.org/b",
          "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: x"]},
          "packages": [{"SPDXID": "SPDXRef-p1", "name": "p1", "downloadLocation": "NOASSERTION",
                        "supplier": "Organization: Example Software GmbH"}]})"},
      {"c.csv", "id,vendor,model,mac\nsw1,Example Networks,EX-1,00:11:22:33:44:55\n"},
  };
  for (const Case& c : cases) {
    const std::string path = dir + "/" + c.file;
    std::ofstream(path) << c.text;
    inventory::CollectingSink sink;
    Status s = ReadInventoryFile(path, &sink);
    ASSERT_TRUE(s.ok()) << c.file << ": " << s.ToString();
    ASSERT_EQ(sink.items.size(), 1u) << c.file;
    EXPECT_FALSE(sink.items[0].orgs.empty()) << c.file;
  }
  const std::string junk = dir + "/junk.txt";
  std::ofstream(junk) << "hello\n";
  inventory::CollectingSink sink;
  Status s = ReadInventoryFile(junk, &sink);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("not a recognised inventory"));
}

}  // namespace
}  // namespace icts::scan
