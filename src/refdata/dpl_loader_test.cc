#include "refdata/dpl_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "refdata/loader.h"
#include "refdata/model.h"
#include "tests/test_util.h"

namespace icts::refdata {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

struct Loaded {
  Status status;
  CollectingSink sink;
  LoadReport report;
};

Loaded LoadText(std::string_view text, std::string path = "dpl.txt") {
  Loaded out;
  out.status = LoadDpl(Input{std::move(path), text}, out.sink, out.report);
  return out;
}

const Entity* FindByName(const Loaded& loaded, std::string_view name) {
  for (const Entity& e : loaded.sink.entities) {
    if (e.PrimaryName() == name) return &e;
  }
  return nullptr;
}

std::string PropertyValue(const Entity& e, std::string_view key) {
  for (const Property& p : e.properties) {
    if (p.key == key) return p.value;
  }
  return "";
}

std::string DateValue(const Entity& e, DateKind kind) {
  for (const DateFact& d : e.dates) {
    if (d.kind == kind) return d.value;
  }
  return "";
}

std::vector<std::string> Aliases(const Entity& e) {
  std::vector<std::string> out;
  for (const Name& n : e.names) {
    if (n.kind != NameKind::kPrimary) out.push_back(n.value);
  }
  return out;
}

// Independent reading of a tab-separated, quoted file: records and their
// fields, with quote tracking written for this test only.
std::vector<std::vector<std::string>> SimpleSplitTsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '\t') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      fields.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(fields));
      fields.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !fields.empty()) {
    fields.push_back(std::move(field));
    records.push_back(std::move(fields));
  }
  return records;
}

class Dpl2022Test : public ::testing::Test {
 protected:
  static std::string Path() { return icts::testing::SharedData("bis-dpl/dpl-2022.txt"); }
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(Path())) return;
    auto file = MappedFile::Open(Path());
    if (!file.ok()) return;
    suite_file = new MappedFile(std::move(file).value());
    suite_loaded = new Loaded;
    suite_loaded->status =
        LoadDpl(Input{Path(), suite_file->data()}, suite_loaded->sink, suite_loaded->report);
  }
  static void TearDownTestSuite() {
    delete suite_loaded;
    delete suite_file;
    suite_loaded = nullptr;
    suite_file = nullptr;
  }
  void SetUp() override {
    ICTS_REQUIRE_SHARED_DATA(Path());
    ASSERT_NE(suite_loaded, nullptr);
  }
  static MappedFile* suite_file;
  static Loaded* suite_loaded;
};
MappedFile* Dpl2022Test::suite_file = nullptr;
Loaded* Dpl2022Test::suite_loaded = nullptr;

TEST_F(Dpl2022Test, CountsMatchAnIndependentCount) {
  ASSERT_TRUE(suite_loaded->status.ok()) << suite_loaded->status.ToString();
  std::vector<std::vector<std::string>> records = SimpleSplitTsv(suite_file->data());
  ASSERT_EQ(records.size(), 582u);  // Header + 581 rows; `wc -l` agrees.
  std::set<std::vector<std::string>> orders;
  for (size_t i = 1; i < records.size(); ++i) {
    ASSERT_EQ(records[i].size(), 12u) << "record " << i;
    // Name, street, city, effective date: what the id hashes.
    orders.insert(
        {std::string(TrimAscii(records[i][0])), records[i][1], records[i][2], records[i][6]});
  }
  EXPECT_EQ(suite_loaded->report.rows, 581u);
  // Two orders are published twice, word for word (lines 143/144 and
  // 402/403); the repeats are rejected.
  EXPECT_EQ(orders.size(), 579u);
  EXPECT_EQ(suite_loaded->report.entities, 579u);
  EXPECT_EQ(suite_loaded->sink.entities.size(), 579u);
  EXPECT_EQ(suite_loaded->report.rejected, 2u);
  ASSERT_EQ(suite_loaded->report.rejects.size(), 2u);
  EXPECT_EQ(suite_loaded->report.rejects[0].line, 144u);
  EXPECT_EQ(suite_loaded->report.rejects[1].line, 403u);
  EXPECT_THAT(suite_loaded->report.rejects[0].reason, HasSubstr("first on line 143"));

  std::set<std::string> ids;
  for (const Entity& e : suite_loaded->sink.entities) {
    EXPECT_TRUE(ids.insert(e.id).second) << e.id;
    EXPECT_EQ(e.schema, Schema::kLegalEntity);
    EXPECT_THAT(e.lists, ElementsAre("Denied Persons List (DPL) - Bureau of "
                                     "Industry and Security"));
    EXPECT_THAT(e.topics, ElementsAre("export.control"));
    EXPECT_FALSE(DateValue(e, DateKind::kListed).empty()) << e.PrimaryName();
    EXPECT_FALSE(DateValue(e, DateKind::kModified).empty()) << e.PrimaryName();
  }
}

TEST_F(Dpl2022Test, FirstEntry) {
  const Entity* e = FindByName(*suite_loaded, "I. ASH");
  ASSERT_NE(e, nullptr);
  // SHA-256 of "I. ASH|UPON THE DATE ... HIGHWAY 175|SEAGOVILLE|06/19/2003",
  // computed with another implementation.
  EXPECT_EQ(e->id, "dpl:81a45c0646d636e0");
  ASSERT_EQ(e->addresses.size(), 1u);
  const Address& a = e->addresses[0];
  EXPECT_EQ(a.street,
            "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI "
            "SEAGOVILLE, 2113 NORTH HIGHWAY 175");
  EXPECT_EQ(a.city, "SEAGOVILLE");
  EXPECT_EQ(a.region, "TX");
  EXPECT_EQ(a.postal_code, "75159");
  EXPECT_EQ(a.country, "US");
  EXPECT_EQ(a.full,
            "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI "
            "SEAGOVILLE, 2113 NORTH HIGHWAY 175, SEAGOVILLE, TX, 75159, US");
  ASSERT_EQ(e->countries.size(), 1u);
  EXPECT_EQ(e->countries[0].code, "US");
  EXPECT_EQ(e->countries[0].role, CountryRole::kAddress);
  EXPECT_EQ(DateValue(*e, DateKind::kListed), "2003-06-19");
  EXPECT_EQ(DateValue(*e, DateKind::kDelisted), "2056-06-29");
  EXPECT_EQ(DateValue(*e, DateKind::kModified), "2007-01-31");
  EXPECT_EQ(PropertyValue(*e, "standard_order"), "Y");
  EXPECT_EQ(PropertyValue(*e, "action"), "FEDERAL REGISTER NOTICE UPDATED");
  EXPECT_EQ(PropertyValue(*e, "federal_register_notice"),
            "68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06 72 F.R. 4236 1/30/07");
  ASSERT_EQ(e->citations.size(), 1u);
  EXPECT_EQ(e->citations[0].effective, "2003-06-19");
}

TEST_F(Dpl2022Test, CountriesAndAliases) {
  // "PRC" in the country column.
  const Entity* hu = FindByName(*suite_loaded, "JOHNSON HU");
  ASSERT_NE(hu, nullptr);
  ASSERT_EQ(hu->addresses.size(), 1u);
  EXPECT_EQ(hu->addresses[0].country, "CN");
  EXPECT_EQ(hu->countries[0].label, "PRC");

  const Entity* sun = FindByName(*suite_loaded, "FUYI SUN A/K/A FRANK SUN");
  ASSERT_NE(sun, nullptr);
  EXPECT_THAT(Aliases(*sun), ElementsAre("FUYI SUN", "FRANK SUN"));
  const Entity* li = FindByName(*suite_loaded, "PEARL (A.K.A. NEI-CHIEN CHU) LI");
  ASSERT_NE(li, nullptr);
  EXPECT_THAT(Aliases(*li), ElementsAre("NEI-CHIEN CHU", "PEARL LI"));

  // Every non-empty country value resolves, except one row that puts New
  // Mexico's abbreviation in the country column.
  size_t resolved = 0;
  std::set<std::string> unresolved;
  for (const Entity& e : suite_loaded->sink.entities) {
    for (const Address& a : e.addresses) {
      if (!a.country.empty()) {
        ++resolved;
      } else if (EndsWith(a.full, ", NM")) {
        unresolved.insert(e.PrimaryName());
      }
    }
  }
  EXPECT_GT(resolved, 370u);
  EXPECT_THAT(unresolved, ElementsAre("STEPHEN EDWARD SMITH"));
}

// ---------------------------------------------------------------------------
// Small inline files.

constexpr std::string_view kHeader =
    "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t"
    "\"Postal_Code\"\t\"Effective_Date\"\t\"Expiration_Date\"\t"
    "\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t\"FR_Citation\"\n";

std::string Row(std::vector<std::string> fields) {
  fields.resize(12);
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += '\t';
    out += '"' + fields[i] + '"';
  }
  return out + "\n";
}

TEST(DplLoader, MinimalRows) {
  std::string text = std::string(kHeader) +
                     Row({"ACME TRADING", "1 MAIN ST\tUNIT 2", "DUBAI", "", "AE", "", "01/02/2020",
                          "", "Y", "2020-01-05", "ADDED", "85 F.R. 1 1/5/20"}) +
                     Row({"JOHN DOE", "", "", "", "", "", "03/04/2021", "03/04/2031"});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 2u);
  ASSERT_EQ(l.sink.entities.size(), 2u);
  const Entity& acme = l.sink.entities[0];
  EXPECT_THAT(acme.id, StartsWith("dpl:"));
  EXPECT_EQ(acme.id.size(), 4u + 16u);
  EXPECT_EQ(acme.addresses[0].street, "1 MAIN ST UNIT 2");
  EXPECT_EQ(acme.addresses[0].full, "1 MAIN ST UNIT 2, DUBAI, AE");
  EXPECT_EQ(DateValue(acme, DateKind::kListed), "2020-01-02");
  EXPECT_EQ(DateValue(acme, DateKind::kDelisted), "");
  EXPECT_EQ(DateValue(acme, DateKind::kModified), "2020-01-05");
  const Entity& doe = l.sink.entities[1];
  EXPECT_THAT(doe.addresses, IsEmpty());
  EXPECT_THAT(doe.countries, IsEmpty());
  EXPECT_EQ(DateValue(doe, DateKind::kDelisted), "2031-03-04");
  EXPECT_EQ(PropertyValue(doe, "action"), "");

  // The same text loads to the same ids.
  Loaded again = LoadText(text);
  EXPECT_EQ(again.sink.entities[0].id, acme.id);
}

TEST(DplLoader, RepeatedHeaderIsSkipped) {
  std::string text =
      std::string(kHeader) + std::string(kHeader) + Row({"A", "", "", "", "", "", "01/02/2020"});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok());
  EXPECT_EQ(l.report.rows, 1u);
  EXPECT_EQ(l.report.rejected, 0u);
}

TEST(DplLoader, BadRowsAreRejectedWithTheirLines) {
  std::string text = std::string(kHeader) + Row({"A", "", "", "", "", "", "01/02/2020"}) +
                     "\"SHORT\"\t\"ROW\"\n" + Row({"  ", "NO NAME"}) +
                     Row({"B", "", "", "", "", "", "01/02/2020"});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok());
  EXPECT_EQ(l.report.rows, 4u);
  EXPECT_EQ(l.report.entities, 2u);
  ASSERT_EQ(l.report.rejects.size(), 2u);
  EXPECT_EQ(l.report.rejects[0].file, "dpl.txt");
  EXPECT_EQ(l.report.rejects[0].line, 3u);
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr("expected 12 fields"));
  EXPECT_EQ(l.report.rejects[1].line, 4u);
  EXPECT_THAT(l.report.rejects[1].reason, HasSubstr("empty name"));
}

TEST(DplLoader, UnterminatedQuoteIsDataLoss) {
  std::string text = std::string(kHeader) + Row({"A", "", "", "", "", "", "01/02/2020"}) +
                     "\"B\"\t\"NEVER CLOSED\n";
  Loaded l = LoadText(text, "cut.txt");
  EXPECT_EQ(l.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(l.status.message(), StartsWith("cut.txt:3:5: "));
}

TEST(DplLoader, InvalidUtf8NamesTheLine) {
  std::string text = std::string(kHeader) + Row({"A", "", "", "", "", "", "01/02/2020"}) +
                     Row({"B\xC3", "", "", "", "", "", "01/02/2020"});
  Loaded l = LoadText(text, "enc.txt");
  EXPECT_EQ(l.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(l.status.message(), StartsWith("enc.txt:3:3: "));
  EXPECT_THAT(l.sink.entities, IsEmpty());
}

TEST(DplLoader, FileErrors) {
  Loaded empty = LoadText("", "e.txt");
  EXPECT_EQ(empty.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status.message(), StartsWith("e.txt:1: "));

  Loaded no_name = LoadText("\"Street_Address\"\t\"City\"\n\"x\"\t\"y\"\n", "h.txt");
  EXPECT_EQ(no_name.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(no_name.status.message(), StartsWith("h.txt:1: "));
  EXPECT_THAT(no_name.status.message(), HasSubstr("\"Name\""));

  Loaded header_only = LoadText(kHeader);
  EXPECT_TRUE(header_only.status.ok());
  EXPECT_EQ(header_only.report.rows, 0u);
}

TEST(DplLoader, ColumnsFoundByName) {
  // Fewer columns, another order, no quotes, CRLF and a BOM.
  std::string text =
      "\xEF\xBB\xBF"
      "country\tNAME\teffective_date\r\n"
      "CN\tLI WEI\t05/06/2019\r\n";
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  ASSERT_EQ(l.sink.entities.size(), 1u);
  const Entity& e = l.sink.entities[0];
  EXPECT_EQ(e.PrimaryName(), "LI WEI");
  EXPECT_EQ(DateValue(e, DateKind::kListed), "2019-05-06");
  ASSERT_EQ(e.addresses.size(), 1u);
  EXPECT_EQ(e.addresses[0].country, "CN");
  EXPECT_THAT(e.countries, Contains(::testing::Field(&Country::code, "CN")));
}

}  // namespace
}  // namespace icts::refdata
