#include "report/scan_report.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "refdata/csv.h"
#include "report/internal/json_writer.h"
#include "report/internal/scan_view.h"
#include "tests/test_util.h"

namespace icts::report {
namespace {

using nlohmann::json;
using rules::Outcome;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kScriptName[] = "<script>alert(1)</script>";

Date D(const char* iso) { return *Date::ParseIso(iso); }

rules::Determination Det(Outcome outcome, std::string party, std::string adversary,
                         std::string rule, std::string kind, rules::Severity severity,
                         std::string citation, std::string url) {
  rules::Determination d;
  d.id = "d";
  d.outcome = outcome;
  rules::PartyNexus p;
  p.party = "s1";
  p.role = "supplier";
  p.name = party;
  if (!adversary.empty()) p.nexus.push_back({adversary, "organization", "incorporated", ""});
  d.parties.push_back(p);
  if (!rule.empty()) {
    rules::Finding f;
    f.rule = rule;
    f.kind = kind;
    f.citation.text = citation;
    f.citation.verification = rules::Verification::kVerified;
    f.citation.url = url;
    f.severity = severity;
    f.explanation = "listed";
    f.party = "s1";
    d.findings.push_back(f);
  }
  d.provenance.engine_version = "0.1.0";
  d.provenance.as_of = "2025-06-01";
  d.provenance.snapshot_sha256 = std::string(64, 'a');
  d.provenance.packs.push_back({"part-791-scope", "1.0.0", std::string(64, 'b')});
  return d;
}

scan::ItemResult Item(std::string ref, std::string name, std::string version, std::string kind,
                      std::string file, std::string pointer, std::string supplier,
                      size_t determination) {
  scan::ItemResult r;
  r.item.ref = std::move(ref);
  r.item.name = std::move(name);
  r.item.version = std::move(version);
  r.item.kind = std::move(kind);
  r.item.file = std::move(file);
  r.item.pointer = std::move(pointer);
  if (!supplier.empty()) r.suppliers.push_back({supplier, "supplier", "manufacturer", "CN"});
  r.determination = determination;
  return r;
}

scan::ItemFinding Finding(size_t item, std::string supplier, Outcome outcome, std::string rule,
                          std::string citation, std::string explanation) {
  scan::ItemFinding f;
  f.item = item;
  f.supplier = std::move(supplier);
  f.outcome = outcome;
  f.rule = std::move(rule);
  f.citation = std::move(citation);
  f.verification = "V";
  f.severity = outcome == Outcome::kProhibited ? "prohibited" : "needs_review";
  f.explanation = std::move(explanation);
  return f;
}

// A scan with: a prohibited finding (line-located CSV asset), a review
// finding with an applied decision (HTML in the name and the reason), a
// review finding whose decision expired (non-ASCII), a clear item, and two
// unattributed items (a spreadsheet formula; control characters).
class ScanReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scan::Decision accepted;
    accepted.supplier = "Kaspersky Lab, \"AO\"";
    accepted.status = "accepted-risk";
    accepted.reason = "Replaced by <b>vendor</b> & co by Q3";
    accepted.by = "alice";
    accepted.decided = D("2025-01-10");
    accepted.expires = D("2026-01-01");
    accepted.where = "decisions.yaml:3";
    decisions_.push_back(accepted);

    r_.documents.push_back({"inventory/assets.csv", "asset-csv", "", "", "", {}, {}});
    r_.documents.push_back({"sbom/app.cdx.json",
                            "cyclonedx-json",
                            "1.6",
                            "urn:uuid:1",
                            "app",
                            {},
                            {"/dependencies/0: depends on unknown ref \"x\""}});
    r_.determinations.push_back(Det(Outcome::kProhibited, "Hangzhou Hikvision", "CN",
                                    "fcc-covered/hikvision", "list-flag",
                                    rules::Severity::kProhibited, "47 CFR 1.50002",
                                    "https://www.fcc.gov/supplychain/coveredlist"));
    r_.determinations.push_back(Det(Outcome::kNeedsReview, "Kaspersky Lab, \"AO\"", "RU",
                                    "kaspersky/final-determination", "entity-prohibition",
                                    rules::Severity::kReview, "89 FR 52434", ""));
    r_.determinations.push_back(
        Det(Outcome::kClear, "Acme GmbH", "", "", "", rules::Severity::kInfo, "", ""));
    r_.determinations[1].parties.push_back(r_.determinations[1].parties[0]);
    r_.determinations[1].parties[1].name = "Лаборатория Касперского";

    r_.items.push_back(Item("row:3", "DS-2CD2143G2-I", "5.7", "hardware", "inventory/assets.csv",
                            "line 3", "Hangzhou Hikvision", 0));
    r_.items.back().tags = {"surveillance-camera"};
    r_.items.push_back(Item("pkg-1", kScriptName, "1.0\",", "software", "sbom/app.cdx.json",
                            "/components/4", "Kaspersky Lab, \"AO\"", 1));
    r_.items.push_back(Item("pkg-2", "Антивирус 北京 ünïcödé", "21.3", "software",
                            "sbom/app.cdx.json", "/components/5", "Лаборатория Касперского", 1));
    r_.items.push_back(
        Item("pkg-3", "=cmd|' /C calc'!A0", "", "", "sbom/app.cdx.json", "/components/6", "", 2));
    r_.items.push_back(Item("pkg-4", "acme-lib", "2.0", "software", "sbom/app.cdx.json",
                            "/components/7", "Acme GmbH", 2));
    r_.items.push_back(Item("pkg-5", "evil\x1b[2J\nname", "", "firmware", "sbom/app.cdx.json",
                            "/components/8", "", 2));
    r_.unattributed = {3, 5};

    r_.findings.push_back(Finding(0, "Hangzhou Hikvision", Outcome::kProhibited,
                                  "fcc-covered/hikvision", "47 CFR 1.50002",
                                  "Hangzhou Hikvision is on the FCC Covered List"));
    r_.findings.push_back(Finding(1, "Kaspersky Lab, \"AO\"", Outcome::kNeedsReview,
                                  "kaspersky/final-determination", "89 FR 52434",
                                  "Kaspersky Lab, \"AO\" belongs to the Kaspersky family, a,b"));
    r_.findings.back().decision = &decisions_[0];
    r_.findings.push_back(Finding(2, "Лаборатория Касперского", Outcome::kNeedsReview,
                                  "kaspersky/final-determination", "89 FR 52434",
                                  "Лаборатория Касперского: owned through\n«АО Лаборатория»"));
    r_.findings.back().decision_expired = true;
    r_.snapshot_sha256 = std::string(64, 'a');
    r_.as_of = "2025-06-01";
    r_.prohibited = 1;
    r_.needs_review = 1;
    r_.suppressed = 1;
  }

  std::string Write(const std::string& name, const std::string& text) {
    auto dir =
        std::filesystem::temp_directory_path() / ("icts_scan_report_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Runs a checker from tests/cli/ with python3; skips when python3 is absent.
  int Python(const std::string& args) {
    if (std::system("python3 -c pass >/dev/null 2>&1") != 0) return -1;
    const std::string cmd = "python3 " + testing::SourceDir() + "/" + args;
    return std::system(cmd.c_str());
  }

  std::vector<scan::Decision> decisions_;
  scan::ScanResult r_;
};

TEST_F(ScanReportTest, JsonHasTheContractFields) {
  const json j = ScanToJson(r_);
  EXPECT_EQ(j["items"], 6);
  EXPECT_EQ(j["unattributed"], 2);
  ASSERT_EQ(j["findings"].size(), 3u);
  const json& f0 = j["findings"][0];
  EXPECT_EQ(f0["item"], "row:3");
  EXPECT_EQ(f0["supplier"], "Hangzhou Hikvision");
  EXPECT_EQ(f0["outcome"], "prohibited");
  EXPECT_EQ(f0["rule"], "fcc-covered/hikvision");
  EXPECT_EQ(f0["citation"], "47 CFR 1.50002");
  EXPECT_EQ(f0["citation_url"], "https://www.fcc.gov/supplychain/coveredlist");
  EXPECT_EQ(f0["rule_kind"], "list-flag");
  EXPECT_EQ(f0["supplier_source"], "manufacturer");
  EXPECT_TRUE(f0["decision"].is_null());
  EXPECT_EQ(f0["open"], true);

  const json& f1 = j["findings"][1];
  EXPECT_EQ(f1["decision"]["status"], "accepted-risk");
  EXPECT_EQ(f1["decision"]["by"], "alice");
  EXPECT_EQ(f1["decision"]["expires"], "2026-01-01");
  EXPECT_EQ(f1["decision"]["where"], "decisions.yaml:3");
  EXPECT_EQ(f1["open"], false);
  EXPECT_EQ(j["findings"][2]["decision_expired"], true);
  EXPECT_TRUE(j["findings"][2]["decision"].is_null());

  EXPECT_EQ(j["unattributed_listed"], 2);
  EXPECT_EQ(j["unattributed_items"][0]["item"], "pkg-3");
  EXPECT_EQ(j["summary"]["items"]["prohibited"], 1);
  EXPECT_EQ(j["summary"]["items"]["needs_review"], 2);
  EXPECT_EQ(j["summary"]["items"]["clear"], 1);
  EXPECT_EQ(j["summary"]["items"]["unattributed"], 2);
  EXPECT_EQ(j["summary"]["gate"]["suppressed"], 1);
  EXPECT_EQ(j["summary"]["findings"]["decision_expired"], 1);

  // Suppliers: worst first; Kaspersky's only finding is decided.
  ASSERT_EQ(j["by_supplier"].size(), 3u);
  EXPECT_EQ(j["by_supplier"][0]["supplier"], "Hangzhou Hikvision");
  EXPECT_EQ(j["by_supplier"][0]["adversaries"], json::array({"CN"}));
  const json* kasp = nullptr;
  for (const json& s : j["by_supplier"]) {
    if (s["supplier"] == "Kaspersky Lab, \"AO\"") kasp = &s;
  }
  ASSERT_NE(kasp, nullptr);
  EXPECT_TRUE((*kasp)["open_outcome"].is_null());
  EXPECT_EQ((*kasp)["outcome"], "needs_review");
  EXPECT_EQ((*kasp)["adversaries"], json::array({"RU"}));
  ASSERT_EQ(j["by_item"].size(), 3u);
  EXPECT_EQ(j["by_item"][0]["item"], "row:3");
  EXPECT_EQ(j["by_item"][0]["findings"], json::array({0}));

  // Adversaries: CN for one item, RU for two (each counted once per item).
  const json& adv = j["summary"]["by_adversary"];
  ASSERT_EQ(adv.size(), 2u);
  EXPECT_EQ(adv[0]["adversary"], "RU");
  EXPECT_EQ(adv[0]["items"], 2);
  EXPECT_EQ(adv[1]["adversary"], "CN");
  EXPECT_EQ(j["provenance"]["packs"][0]["id"], "part-791-scope");
  EXPECT_EQ(j["provenance"]["engine_version"], "0.1.0");
  EXPECT_EQ(j["documents"][1]["warnings"].size(), 1u);
}

TEST_F(ScanReportTest, JsonFollowsItsSchema) {
  const std::string path = Write("scan.json", ScanToJsonText(r_));
  const int rc = Python("tests/cli/check_schema.py " + testing::SourceDir() +
                        "/docs/schema/scan-result.schema.json " + path);
  if (rc == -1) GTEST_SKIP() << "python3 not found";
  EXPECT_EQ(rc, 0);
  // An empty scan too.
  const std::string empty = Write("empty.json", ScanToJsonText(scan::ScanResult{}));
  EXPECT_EQ(Python("tests/cli/check_schema.py " + testing::SourceDir() +
                   "/docs/schema/scan-result.schema.json " + empty),
            0);
}

TEST_F(ScanReportTest, JsonReplacesInvalidUtf8) {
  r_.items[0].item.name = "bad \xff\xfe name";
  const std::string text = ScanToJsonText(r_);
  EXPECT_THAT(text, HasSubstr("bad \xEF\xBF\xBD\xEF\xBF\xBD name"));
  EXPECT_NO_THROW({
    const json parsed = json::parse(text);
    EXPECT_TRUE(parsed.is_object());
  });
}

TEST_F(ScanReportTest, UnattributedListIsCapped) {
  scan::ScanResult big;
  for (size_t i = 0; i < kMaxUnattributedListed + 5; ++i) {
    big.items.push_back(Item("c" + std::to_string(i), "n", "", "", "f.json", "", "", 0));
    big.unattributed.push_back(i);
  }
  const json j = ScanToJson(big);
  EXPECT_EQ(j["unattributed"], kMaxUnattributedListed + 5);
  EXPECT_EQ(j["unattributed_listed"], kMaxUnattributedListed);
  EXPECT_EQ(j["unattributed_items"].size(), kMaxUnattributedListed);
}

TEST_F(ScanReportTest, CsvRoundTripsThroughAnRfc4180Reader) {
  const std::string csv = ScanToCsv(r_);
  refdata::CsvReader reader(csv, "scan.csv");
  std::vector<std::vector<std::string>> rows;
  refdata::CsvRecord rec;
  while (reader.Next(&rec)) rows.push_back(rec.fields);
  ASSERT_TRUE(reader.status().ok()) << reader.status().message();
  ASSERT_EQ(rows.size(), 1u + 3u + 2u);
  const std::vector<std::string>& head = rows[0];
  ASSERT_EQ(head[0], "outcome");
  auto col = [&](const std::string& name) {
    return static_cast<size_t>(std::find(head.begin(), head.end(), name) - head.begin());
  };
  for (const auto& row : rows) ASSERT_EQ(row.size(), head.size());
  EXPECT_EQ(rows[1][col("outcome")], "prohibited");
  EXPECT_EQ(rows[2][col("name")], kScriptName);
  EXPECT_EQ(rows[2][col("version")], "1.0\",");
  EXPECT_EQ(rows[2][col("supplier")], "Kaspersky Lab, \"AO\"");
  EXPECT_EQ(rows[2][col("decision_status")], "accepted-risk");
  EXPECT_EQ(rows[2][col("decision_expires")], "2026-01-01");
  EXPECT_EQ(rows[3][col("explanation")],
            "Лаборатория Касперского: owned through\n«АО Лаборатория»");
  EXPECT_EQ(rows[3][col("decision_expired")], "true");
  EXPECT_EQ(rows[4][col("outcome")], "unattributed");
  // A formula is defused.
  EXPECT_EQ(rows[4][col("name")], "'=cmd|' /C calc'!A0");
  EXPECT_EQ(rows[5][col("item")], "pkg-5");
  EXPECT_THAT(csv, HasSubstr("\r\n"));
}

TEST_F(ScanReportTest, TableShowsTheExplanationChain) {
  const std::string t = ScanToTable(r_, false);
  EXPECT_THAT(t, Not(HasSubstr("\033")));
  EXPECT_THAT(t, HasSubstr("1 prohibited"));
  EXPECT_THAT(t, HasSubstr("component  row:3"));
  EXPECT_THAT(t, HasSubstr("supplier   Hangzhou Hikvision (manufacturer, CN)"));
  EXPECT_THAT(t, HasSubstr("because    Hangzhou Hikvision is on the FCC Covered List"));
  EXPECT_THAT(t, HasSubstr("rule       fcc-covered/hikvision (prohibited)"));
  EXPECT_THAT(t, HasSubstr("citation   47 CFR 1.50002 [V]"));
  EXPECT_THAT(t, HasSubstr("decision   accepted-risk by alice"));
  EXPECT_THAT(t, HasSubstr("expired"));
  EXPECT_THAT(t, HasSubstr("2 items with no supplier-side name"));
  EXPECT_THAT(t, HasSubstr("Антивирус 北京 ünïcödé"));
  // Hikvision (prohibited) comes before the review-only suppliers.
  EXPECT_LT(t.find("Hangzhou Hikvision"), t.find("Kaspersky Lab"));
  // Control characters from the input never reach the terminal.
  EXPECT_THAT(t, HasSubstr("evil?[2J name"));
  const std::string colored = ScanToTable(r_, true);
  EXPECT_THAT(colored, HasSubstr("\033[1;31m"));
}

TEST_F(ScanReportTest, TableOfAnEmptyScan) {
  const std::string t = ScanToTable(scan::ScanResult{}, false);
  EXPECT_THAT(t, HasSubstr("0 items"));
  EXPECT_THAT(t, HasSubstr("no findings"));
}

TEST_F(ScanReportTest, SarifStructure) {
  const json s = json::parse(ScanToSarif(r_));
  EXPECT_EQ(s["version"], "2.1.0");
  EXPECT_THAT(s["$schema"].get<std::string>(), HasSubstr("sarif-2.1.0"));
  ASSERT_EQ(s["runs"].size(), 1u);
  const json& run = s["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "icts");
  const json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 2u);  // One per rule seen.
  EXPECT_EQ(rules[0]["id"], "fcc-covered/hikvision");
  EXPECT_EQ(rules[0]["fullDescription"]["text"], "47 CFR 1.50002");
  EXPECT_EQ(rules[0]["helpUri"], "https://www.fcc.gov/supplychain/coveredlist");
  EXPECT_EQ(rules[0]["properties"]["verification"], "V");
  EXPECT_FALSE(rules[1].contains("helpUri"));
  const json& results = run["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["ruleId"], "fcc-covered/hikvision");
  EXPECT_EQ(results[0]["ruleIndex"], 0);
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[1]["level"], "warning");
  EXPECT_THAT(results[0]["message"]["text"].get<std::string>(),
              HasSubstr("Hangzhou Hikvision is on the FCC Covered List"));
  const json& loc0 = results[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc0["artifactLocation"]["uri"], "inventory/assets.csv");
  EXPECT_EQ(loc0["region"]["startLine"], 3);
  const json& loc1 = results[1]["locations"][0];
  // A JSON-pointer item sits on line 1 (code scanning needs a startLine).
  EXPECT_EQ(loc1["physicalLocation"]["region"]["startLine"], 1);
  EXPECT_FALSE(loc1["physicalLocation"]["region"].contains("startColumn"));
  EXPECT_EQ(loc1["logicalLocations"][0]["fullyQualifiedName"], "/components/4");
  EXPECT_EQ(loc1["logicalLocations"][0]["kind"], "element");
  EXPECT_EQ(results[1]["suppressions"][0]["kind"], "external");
  EXPECT_EQ(results[1]["suppressions"][0]["status"], "accepted");
  EXPECT_EQ(results[1]["suppressions"][0]["justification"], "Replaced by <b>vendor</b> & co by Q3");
  EXPECT_FALSE(results[2].contains("suppressions"));
  EXPECT_EQ(results[0]["properties"]["supplier"], "Hangzhou Hikvision");
  EXPECT_EQ(results[0]["properties"]["outcome"], "prohibited");
  EXPECT_EQ(results[0]["properties"]["citation"], "47 CFR 1.50002");
  // Fingerprints are stable and distinct.
  const json again = json::parse(ScanToSarif(r_));
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i]["partialFingerprints"],
              again["runs"][0]["results"][i]["partialFingerprints"]);
  }
  EXPECT_NE(results[1]["partialFingerprints"]["icts/v1"],
            results[2]["partialFingerprints"]["icts/v1"]);
}

TEST_F(ScanReportTest, SarifLineAndColumnAndUris) {
  r_.items[0].item.pointer = "12:7";
  r_.items[0].item.file = "my inventory\\assets 1.csv";
  r_.items[1].item.file = "/abs/sbom.json";
  const json s = json::parse(ScanToSarif(r_));
  const json& results = s["runs"][0]["results"];
  const json& p0 = results[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(p0["region"]["startLine"], 12);
  EXPECT_EQ(p0["region"]["startColumn"], 7);
  EXPECT_EQ(p0["artifactLocation"]["uri"], "my%20inventory/assets%201.csv");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///abs/sbom.json");
}

TEST_F(ScanReportTest, SarifPassesTheStructuralCheck) {
  const std::string path = Write("scan.sarif", ScanToSarif(r_));
  const int rc = Python("tests/cli/check_sarif.py " + path);
  if (rc == -1) GTEST_SKIP() << "python3 not found";
  EXPECT_EQ(rc, 0);
  const std::string empty = Write("empty.sarif", ScanToSarif(scan::ScanResult{}));
  EXPECT_EQ(Python("tests/cli/check_sarif.py " + empty), 0);
}

TEST_F(ScanReportTest, HtmlEscapesEverythingFromTheInput) {
  const std::string h = ScanToHtml(r_);
  EXPECT_THAT(h, Not(HasSubstr(kScriptName)));
  EXPECT_THAT(h, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(h, HasSubstr("Replaced by &lt;b&gt;vendor&lt;/b&gt; &amp; co by Q3"));
  EXPECT_THAT(h, HasSubstr("Kaspersky Lab, &quot;AO&quot;"));
  EXPECT_THAT(h, HasSubstr("Антивирус 北京 ünïcödé"));
  // Exactly one script element: the page's own.
  size_t scripts = 0;
  for (size_t p = h.find("<script"); p != std::string::npos; p = h.find("<script", p + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 1u);
  EXPECT_THAT(h, HasSubstr("Content-Security-Policy"));
  EXPECT_THAT(h, HasSubstr("@media print"));
  // Nothing is fetched: no stylesheet links, no src attributes.
  EXPECT_THAT(h, Not(HasSubstr("<link")));
  EXPECT_THAT(h, Not(HasSubstr(" src=")));
}

TEST_F(ScanReportTest, HtmlShowsEveryFindingAndDecision) {
  const std::string h = ScanToHtml(r_);
  size_t details = 0;
  for (size_t p = h.find("<details class=\"finding"); p != std::string::npos;
       p = h.find("<details class=\"finding", p + 1)) {
    ++details;
  }
  EXPECT_EQ(details, r_.findings.size());
  EXPECT_THAT(h, HasSubstr("Decision: accepted-risk by alice"));
  EXPECT_THAT(h, HasSubstr("has expired and no longer applies"));
  EXPECT_THAT(h, HasSubstr("href=\"https://www.fcc.gov/supplychain/coveredlist\""));
  EXPECT_THAT(h, HasSubstr("=cmd|&#39; /C calc&#39;!A0"));
  EXPECT_THAT(h, HasSubstr("By foreign adversary"));
  EXPECT_THAT(h, HasSubstr("surveillance-camera"));
  const std::string path = Write("scan.html", h);
  const int rc =
      Python("tests/cli/check_html.py " + path + " " + std::to_string(r_.findings.size()));
  if (rc == -1) GTEST_SKIP() << "python3 not found";
  EXPECT_EQ(rc, 0);
}

TEST_F(ScanReportTest, HtmlDropsLinksThatAreNotWebUrls) {
  r_.determinations[0].findings[0].citation.url = "javascript:alert(1)";
  const std::string h = ScanToHtml(r_);
  EXPECT_THAT(h, Not(HasSubstr("javascript:")));
}

TEST_F(ScanReportTest, ManyFindingsOfOneSupplier) {
  scan::ScanResult big;
  big.determinations.push_back(r_.determinations[0]);
  const size_t n = 5000;
  for (size_t i = 0; i < n; ++i) {
    big.items.push_back(Item("c" + std::to_string(i), "cam", "1", "hardware", "a.csv",
                             "line " + std::to_string(i + 2), "Hangzhou Hikvision", 0));
    big.findings.push_back(Finding(i, "Hangzhou Hikvision", Outcome::kProhibited,
                                   "fcc-covered/hikvision", "47 CFR 1.50002", "listed"));
  }
  big.prohibited = n;
  const json j = ScanToJson(big);
  ASSERT_EQ(j["by_supplier"].size(), 1u);
  EXPECT_EQ(j["by_supplier"][0]["items"], n);
  EXPECT_EQ(j["by_item"].size(), n);
}

TEST_F(ScanReportTest, HtmlOfAnEmptyScan) {
  const std::string path = Write("empty.html", ScanToHtml(scan::ScanResult{}));
  const int rc = Python("tests/cli/check_html.py " + path + " 0");
  if (rc == -1) GTEST_SKIP() << "python3 not found";
  EXPECT_EQ(rc, 0);
}

TEST_F(ScanReportTest, JsonDomAndTextAgree) {
  const json dom = ScanToJson(r_);
  EXPECT_EQ(json::parse(ScanToJsonText(r_)), dom);
  // Indented like nlohmann's dump(2).
  const std::string text = ScanToJsonText(r_);
  EXPECT_EQ(text, nlohmann::ordered_json::parse(text).dump(2) + "\n");
}

TEST(JsonWriterTest, StringsRoundTrip) {
  const std::vector<std::string> valid = {"",
                                          "plain",
                                          "quote \" backslash \\ slash /",
                                          "\n\r\t\b\f",
                                          std::string("nul\0x", 5),
                                          "\x01\x1f\x7f",
                                          "Лаборатория 北京 😀 ünï",
                                          "<script>&amp;"};
  for (const std::string& s : valid) {
    std::string out;
    internal::AppendJsonString(out, s);
    EXPECT_EQ(json::parse(out).get<std::string>(), s) << out;
  }
  // Ill-formed UTF-8: each bad byte becomes U+FFFD and the result is valid.
  const std::vector<std::string> invalid = {"\xff",
                                            "a\xc0\x80"
                                            "b",
                                            "\xed\xa0\x80",
                                            "\xf4\x90\x80\x80",
                                            "\xe2\x82",
                                            "x\x80"};
  for (const std::string& s : invalid) {
    std::string out;
    internal::AppendJsonString(out, s);
    EXPECT_EQ(FindInvalidUtf8(out), std::string::npos) << out;
    EXPECT_THAT(json::parse(out).get<std::string>(), HasSubstr("\xEF\xBF\xBD"));
  }
}

TEST(ParseLinePointerTest, Forms) {
  EXPECT_EQ(internal::ParseLinePointer("line 4").line, 4u);
  EXPECT_EQ(internal::ParseLinePointer("3:9").line, 3u);
  EXPECT_EQ(internal::ParseLinePointer("3:9").column, 9u);
  EXPECT_EQ(internal::ParseLinePointer("/components/3").line, 0u);
  EXPECT_EQ(internal::ParseLinePointer("row:3").line, 0u);
  EXPECT_EQ(internal::ParseLinePointer("line x").line, 0u);
  EXPECT_EQ(internal::ParseLinePointer("").line, 0u);
}

}  // namespace
}  // namespace icts::report
