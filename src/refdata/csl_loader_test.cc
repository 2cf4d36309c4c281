#include "refdata/csl_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
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
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

struct Loaded {
  Status status;
  CollectingSink sink;
  LoadReport report;
};

Loaded LoadText(std::string_view text, std::string path = "t.csv") {
  Loaded out;
  out.status = LoadCsl(Input{std::move(path), text}, out.sink, out.report);
  return out;
}

// Keeps the mapping alive for the whole load.
struct LoadedFile : Loaded {
  MappedFile file;
};

LoadedFile LoadPath(const std::string& path) {
  LoadedFile out;
  auto file = MappedFile::Open(path);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  if (!file.ok()) return out;
  out.file = std::move(file).value();
  out.status = LoadCsl(Input{path, out.file.data()}, out.sink, out.report);
  return out;
}

const Entity* FindById(const Loaded& loaded, std::string_view id) {
  for (const Entity& e : loaded.sink.entities) {
    if (e.id == id) return &e;
  }
  return nullptr;
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

std::vector<std::string> PropertyValues(const Entity& e, std::string_view key) {
  std::vector<std::string> out;
  for (const Property& p : e.properties) {
    if (p.key == key) out.push_back(p.value);
  }
  return out;
}

bool HasCountry(const Entity& e, std::string_view code, CountryRole role) {
  for (const Country& c : e.countries) {
    if (c.code == code && c.role == role) return true;
  }
  return false;
}

bool HasDate(const Entity& e, DateKind kind, std::string_view value) {
  for (const DateFact& d : e.dates) {
    if (d.kind == kind && d.value == value) return true;
  }
  return false;
}

const Identifier* FindIdentifier(const Entity& e, std::string_view value) {
  for (const Identifier& id : e.identifiers) {
    if (id.value == value) return &id;
  }
  return nullptr;
}

std::vector<std::string> Aliases(const Entity& e) {
  std::vector<std::string> out;
  for (const Name& n : e.names) {
    if (n.kind != NameKind::kPrimary) out.push_back(n.value);
  }
  return out;
}

// ---------------------------------------------------------------------------
// An independent reading of a CSV file, to check the loader's counts against:
// a few lines of quote tracking, sharing no code with CsvReader.
struct SimpleRecord {
  size_t line = 0;
  std::vector<std::string> fields;
  bool complete = true;  // False when the input ends inside quotes.
};

std::vector<SimpleRecord> SimpleSplit(std::string_view text) {
  std::vector<SimpleRecord> records;
  SimpleRecord current;
  std::string field;
  bool quoted = false;
  bool record_open = false;
  size_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!record_open) {
      current = SimpleRecord{line, {}, true};
      record_open = true;
    }
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      current.fields.push_back(field);
      field.clear();
    } else if (c == '\n') {
      ++line;
      current.fields.push_back(field);
      field.clear();
      records.push_back(current);
      record_open = false;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (record_open) {
    current.fields.push_back(field);
    current.complete = !quoted;
    records.push_back(current);
  }
  return records;
}

// ---------------------------------------------------------------------------
// The published files.

TEST(CslLoader, Csl2023FileCountsMatchAnIndependentCount) {
  std::string path = icts::testing::SharedData("us-csl/csl-2023-11-30.csv");
  ICTS_REQUIRE_SHARED_DATA(path);
  auto file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok());
  std::string_view text = file->data();

  // Independent count of the data rows: quote-aware splitting, header and its
  // repeat left out.
  std::vector<SimpleRecord> records = SimpleSplit(text);
  ASSERT_GE(records.size(), 3u);
  const std::vector<std::string> header = records[0].fields;
  size_t source_col = 0;
  while (source_col < header.size() && header[source_col] != "source") {
    ++source_col;
  }
  ASSERT_LT(source_col, header.size());
  size_t complete = 0, incomplete = 0, header_repeats = 0;
  size_t truncated_line = 0;
  std::map<std::string, size_t> per_source;
  for (size_t i = 1; i < records.size(); ++i) {
    const SimpleRecord& r = records[i];
    if (r.fields == header) {
      ++header_repeats;
      continue;
    }
    if (!r.complete) {
      ++incomplete;
      truncated_line = r.line;
      continue;
    }
    ASSERT_EQ(r.fields.size(), header.size()) << "line " << r.line;
    ++complete;
    ++per_source[r.fields[source_col]];
  }
  EXPECT_EQ(header_repeats, 1u);
  // A second, cruder count: every record starts with a quoted hex or decimal
  // _id at the start of a line.
  std::regex row_start("^\"[0-9a-f]+\",\"");
  size_t starts = 0;
  for (std::string_view line : SplitTrimmed(text, '\n')) {
    if (std::regex_search(line.begin(), line.end(), row_start)) ++starts;
  }
  EXPECT_EQ(starts, complete + incomplete);
  EXPECT_EQ(complete + incomplete, 4227u);

  LoadedFile loaded = LoadPath(path);
  // The file ends in the middle of a quoted field on its last line (the
  // sample was cut off): that one row is rejected with its line, and every
  // row before the cut is loaded.
  ASSERT_EQ(incomplete, 1u);
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  EXPECT_EQ(loaded.report.rows, complete + 1);
  EXPECT_EQ(loaded.report.entities, complete);
  EXPECT_EQ(loaded.report.rejected, 1u);
  ASSERT_EQ(loaded.report.rejects.size(), 1u);
  EXPECT_EQ(loaded.report.rejects[0].line, truncated_line);
  EXPECT_THAT(loaded.report.rejects[0].reason, HasSubstr("truncated"));
  EXPECT_EQ(loaded.sink.entities.size(), complete);

  std::map<std::string, size_t> loaded_per_source;
  std::set<std::string> ids;
  for (const Entity& e : loaded.sink.entities) {
    ASSERT_EQ(e.lists.size(), 1u);
    ++loaded_per_source[e.lists[0]];
    EXPECT_TRUE(ids.insert(e.id).second) << "duplicate id " << e.id;
  }
  EXPECT_EQ(loaded_per_source, per_source);
  // MANIFEST.md figures; its SDN count (1 738) includes the cut-off last row,
  // which is an SDN entry.
  EXPECT_EQ(loaded_per_source["Specially Designated Nationals (SDN) - Treasury Department"], 1737u);
  EXPECT_EQ(loaded_per_source["Entity List (EL) - Bureau of Industry and Security"], 919u);
  EXPECT_EQ(loaded_per_source["Denied Persons List (DPL) - Bureau of Industry and Security"], 577u);
  EXPECT_EQ(
      loaded_per_source["Sectoral Sanctions Identifications List (SSI) - Treasury Department"],
      288u);
  EXPECT_EQ(loaded_per_source["Unverified List (UVL) - Bureau of Industry and Security"], 186u);
  EXPECT_EQ(loaded_per_source["ITAR Debarred (DTC) - State Department"], 142u);
  EXPECT_EQ(loaded_per_source["Non-SDN Chinese Military-Industrial Complex Companies List "
                              "(CMIC) - Treasury Department"],
            68u);
}

class Csl2023Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string path = icts::testing::SharedData("us-csl/csl-2023-11-30.csv");
    if (!std::filesystem::exists(path)) return;
    suite_loaded = new LoadedFile(LoadPath(path));
  }
  static void TearDownTestSuite() {
    delete suite_loaded;
    suite_loaded = nullptr;
  }
  void SetUp() override {
    ICTS_REQUIRE_SHARED_DATA(icts::testing::SharedData("us-csl/csl-2023-11-30.csv"));
  }
  static LoadedFile* suite_loaded;
};
LoadedFile* Csl2023Test::suite_loaded = nullptr;

TEST_F(Csl2023Test, HuaweiCmicEntries) {
  const Entity* e = FindById(*suite_loaded, "csl:cmic-30947");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->PrimaryName(), "HUAWEI TECHNOLOGIES CO., LTD.");
  EXPECT_EQ(e->source_id, "30947");
  EXPECT_EQ(e->schema, Schema::kOrganization);
  EXPECT_THAT(Aliases(*e), Contains("Huawei Investment & Holding Co Ltd"));
  EXPECT_THAT(e->topics, Contains("sanction"));
  EXPECT_THAT(e->topics, Contains("cmic"));
  EXPECT_THAT(e->programs, Contains("CMIC-EO13959"));
  ASSERT_EQ(e->addresses.size(), 1u);
  EXPECT_EQ(e->addresses[0].country, "CN");
  EXPECT_EQ(e->addresses[0].postal_code, "518129");
  EXPECT_EQ(e->addresses[0].city, "Shenzhen");
  EXPECT_TRUE(HasCountry(*e, "CN", CountryRole::kAddress));
  const Identifier* uscc = FindIdentifier(*e, "914403001922038216");
  ASSERT_NE(uscc, nullptr);
  EXPECT_EQ(uscc->kind, IdKind::kRegistration);
  EXPECT_EQ(uscc->country, "CN");
  EXPECT_EQ(uscc->label, "Unified Social Credit Code (USCC)");
  EXPECT_EQ(PropertyValue(*e, "cmic_listing_date"), "2021-06-03");
  EXPECT_EQ(PropertyValue(*e, "cmic_divestment_date"), "2022-06-03");
  EXPECT_EQ(PropertyValue(*e, "target_type"), "Private Company");

  // Both Huawei rows of this sample are on the CMIC list.
  size_t huawei = 0;
  for (const Entity& x : suite_loaded->sink.entities) {
    if (ToLowerAscii(x.PrimaryName()).find("huawei") != std::string::npos) {
      ++huawei;
      EXPECT_THAT(x.topics, Contains("cmic"));
      EXPECT_TRUE(HasCountry(x, "CN", CountryRole::kAddress));
    }
  }
  EXPECT_EQ(huawei, 2u);
}

TEST_F(Csl2023Test, EntityListEntryCarriesLicenseAndNotice) {
  const Entity* e =
      FindByName(*suite_loaded, "China Aerospace Science and Technology Corporation (CASC)");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "csl:5fe80d5c6a5cbba1082e18adeef87f1135482f525aee0cfa52ff8dea");
  EXPECT_EQ(e->schema, Schema::kLegalEntity);
  EXPECT_THAT(e->lists, Contains("Entity List (EL) - Bureau of Industry and Security"));
  EXPECT_THAT(e->topics, Contains("export.control"));
  EXPECT_THAT(Aliases(*e), Contains("13th Institute"));
  ASSERT_FALSE(e->addresses.empty());
  EXPECT_EQ(e->addresses[0].country, "CN");
  EXPECT_EQ(e->addresses[0].city, "Beijing");
  EXPECT_EQ(e->addresses[0].postal_code, "100094");
  EXPECT_TRUE(HasCountry(*e, "CN", CountryRole::kAddress));
  EXPECT_EQ(PropertyValue(*e, "federal_register_notice"), "66 FR 24265; 84 FR 40241");
  EXPECT_THAT(PropertyValue(*e, "license_requirement"),
              StartsWith("For all items subject to the EAR"));
  EXPECT_FALSE(PropertyValue(*e, "license_policy").empty());
  EXPECT_TRUE(HasDate(*e, DateKind::kListed, "2001-05-14"));
  ASSERT_EQ(e->citations.size(), 1u);
  EXPECT_EQ(e->citations[0].text, "66 FR 24265; 84 FR 40241");
  EXPECT_EQ(e->citations[0].effective, "2001-05-14");

  // Every Entity List row with a Chinese address resolves its country.
  size_t el_cn = 0;
  for (const Entity& x : suite_loaded->sink.entities) {
    if (x.lists[0] != "Entity List (EL) - Bureau of Industry and Security") {
      continue;
    }
    EXPECT_THAT(x.topics, Contains("export.control"));
    for (const Address& a : x.addresses) {
      if (EndsWith(a.full, ", CN")) {
        EXPECT_EQ(a.country, "CN") << a.full;
        ++el_cn;
      }
    }
  }
  EXPECT_GT(el_cn, 100u);
}

TEST_F(Csl2023Test, SdnIndividualWithIdsAndBirthFacts) {
  const Entity* e = FindById(*suite_loaded, "csl:sdn-2676");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->PrimaryName(), "AL ZAWAHIRI, Dr. Ayman");
  EXPECT_EQ(e->schema, Schema::kPerson);
  EXPECT_THAT(e->topics, Contains("sanction"));
  EXPECT_THAT(e->programs, Contains("SDGT"));
  EXPECT_THAT(Aliases(*e), Contains("SALIM, Ahmad Fuad"));
  EXPECT_EQ(PropertyValue(*e, "title"), "Operational and Military Leader of JIHAD GROUP");
  EXPECT_TRUE(HasDate(*e, DateKind::kBirth, "1951-06-19"));
  EXPECT_EQ(PropertyValue(*e, "birth_place"), "Giza, Egypt");
  EXPECT_TRUE(HasCountry(*e, "EG", CountryRole::kBirthPlace));
  const Identifier* p1 = FindIdentifier(*e, "19820215");
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->kind, IdKind::kPassport);
  EXPECT_EQ(p1->country, "");
  const Identifier* p2 = FindIdentifier(*e, "1084010");
  ASSERT_NE(p2, nullptr);
  EXPECT_EQ(p2->kind, IdKind::kPassport);
  EXPECT_EQ(p2->country, "EG");
  EXPECT_EQ(p2->label, "Passport");
}

TEST_F(Csl2023Test, TreasuryNumbersOnTwoListsGetDistinctIds) {
  const Entity* sdn = FindById(*suite_loaded, "csl:sdn-9659");
  const Entity* plc = FindById(*suite_loaded, "csl:plc-9659");
  ASSERT_NE(sdn, nullptr);
  ASSERT_NE(plc, nullptr);
  EXPECT_EQ(sdn->source_id, "9659");
  EXPECT_EQ(plc->source_id, "9659");
  EXPECT_EQ(sdn->PrimaryName(), "HAMMAD, Fathi Ahmad Mohammad");
  EXPECT_EQ(plc->PrimaryName(), "Fathi Ahmad Mohammad HAMMAD");
}

TEST_F(Csl2023Test, AddressCountryCodesResolve) {
  size_t with_code = 0;
  std::set<std::string> unresolved;
  for (const Entity& e : suite_loaded->sink.entities) {
    for (const Address& a : e.addresses) {
      std::vector<std::string_view> parts = SplitTrimmed(a.full, ',');
      if (parts.empty()) continue;
      std::string_view last = parts.back();
      if (last.size() == 2 && last[0] >= 'A' && last[0] <= 'Z' && last[1] >= 'A' &&
          last[1] <= 'Z') {
        ++with_code;
        if (a.country.empty()) unresolved.insert(std::string(last));
      }
    }
  }
  EXPECT_GT(with_code, 5000u);
  // One address writes New Mexico's abbreviation where the country goes.
  EXPECT_EQ(unresolved, std::set<std::string>{"NM"});
}

TEST(CslLoader, Sample2019OlderColumnSet) {
  std::string path = icts::testing::SharedData("us-csl/csl-2019-sample.csv");
  ICTS_REQUIRE_SHARED_DATA(path);
  LoadedFile loaded = LoadPath(path);
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  // 116 lines: the header and 115 single-line rows (counted with wc -l and a
  // CSV reader in another language).
  EXPECT_EQ(loaded.report.rows, 115u);
  EXPECT_EQ(loaded.report.entities, 115u);
  EXPECT_EQ(loaded.report.rejected, 0u);
  std::set<std::string> ids;
  for (const Entity& e : loaded.sink.entities) {
    // No _id column: "csl:" + 16 hex digits.
    EXPECT_TRUE(std::regex_match(e.id, std::regex("csl:[0-9a-f]{16}"))) << e.id;
    EXPECT_TRUE(ids.insert(e.id).second) << e.id;
    EXPECT_FALSE(e.PrimaryName().empty());
    EXPECT_EQ(e.PrimaryName(), std::string(TrimAscii(e.PrimaryName())));
  }

  const Entity* holdings = FindByName(loaded, "200G PSA HOLDINGS LLC");
  ASSERT_NE(holdings, nullptr);
  EXPECT_EQ(holdings->source_id, "20264");
  // Older order: "country, number, type".
  const Identifier* tax = FindIdentifier(*holdings, "80-0890696");
  ASSERT_NE(tax, nullptr);
  EXPECT_EQ(tax->kind, IdKind::kTax);
  EXPECT_EQ(tax->country, "US");
  EXPECT_EQ(tax->label, "Tax ID No.");
  ASSERT_EQ(holdings->addresses.size(), 1u);
  const Address& a = holdings->addresses[0];
  EXPECT_EQ(a.street, "80 SW 8th Street Suite 2000");
  EXPECT_EQ(a.city, "Miami");
  EXPECT_EQ(a.region, "FL");
  EXPECT_EQ(a.postal_code, "33130");
  EXPECT_EQ(a.country, "US");

  const Entity* canada = FindByName(loaded, "2904977 CANADA, INC.");
  ASSERT_NE(canada, nullptr);
  EXPECT_THAT(Aliases(*canada), Contains("CARIBE SOL"));
  EXPECT_THAT(Aliases(*canada), Contains("HAVANTUR CANADA INC."));

  const Entity* vessel = FindByName(loaded, "7-28");
  ASSERT_NE(vessel, nullptr);
  EXPECT_EQ(vessel->schema, Schema::kVessel);
  const Identifier* imo = FindIdentifier(*vessel, "8898831");
  ASSERT_NE(imo, nullptr);
  EXPECT_EQ(imo->kind, IdKind::kImo);
  EXPECT_TRUE(HasCountry(*vessel, "KP", CountryRole::kFlag));
  EXPECT_EQ(PropertyValue(*vessel, "vessel_flag"), "Democratic People's Republic of Korea");

  // "(Linked To: X)" remarks: one relation each, resolved by primary name
  // where the sample holds the linked entry.
  size_t links = 0;
  for (size_t pos = 0; (pos = loaded.file.data().find("Linked To:", pos)) != std::string::npos;
       ++pos) {
    ++links;
  }
  EXPECT_EQ(links, 29u);
  EXPECT_EQ(loaded.report.relations, links);
  ASSERT_EQ(loaded.sink.relations.size(), links);
  const Entity* bank = FindByName(loaded, "GAZPROMBANK OAO");
  const Entity* leasing = FindByName(loaded, "GAZPROMBANK LEASING ZAO");
  ASSERT_NE(bank, nullptr);
  ASSERT_NE(leasing, nullptr);
  bool found = false;
  for (const Relation& r : loaded.sink.relations) {
    EXPECT_EQ(r.kind, RelationKind::kLinkedTo);
    if (r.from_id == leasing->id) {
      EXPECT_EQ(r.to_id, bank->id);
      EXPECT_EQ(r.to_name, "GAZPROMBANK OAO");
      found = true;
    }
  }
  EXPECT_TRUE(found);

  const Entity* tanker = FindByName(loaded, "ADRIAN DARYA 1");
  ASSERT_NE(tanker, nullptr);
  EXPECT_EQ(PropertyValue(*tanker, "former_vessel_flag"), "Panama");
  EXPECT_EQ(PropertyValue(*tanker, "vessel_type"), "Crude Oil Tanker");
  EXPECT_TRUE(HasCountry(*tanker, "IR", CountryRole::kFlag));
}

TEST(CslLoader, Sample2025CurrentColumnSet) {
  std::string path = icts::testing::SharedData("us-csl/consolidated-2025-sample.csv");
  ICTS_REQUIRE_SHARED_DATA(path);
  LoadedFile loaded = LoadPath(path);
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  // 13 data rows (the file has no final line break, so `wc -l` says 13 for
  // 14 lines; a CSV reader in another language also finds 13).
  EXPECT_EQ(loaded.report.rows, 13u);
  EXPECT_EQ(loaded.report.entities, 13u);
  EXPECT_EQ(loaded.report.rejected, 0u);

  const Entity* rim = FindById(loaded, "csl:sdn-52291");
  ASSERT_NE(rim, nullptr);
  EXPECT_EQ(rim->PrimaryName(), "RIM, Ryong Nam");
  EXPECT_EQ(rim->schema, Schema::kPerson);
  const Identifier* passport = FindIdentifier(*rim, "836238033");
  ASSERT_NE(passport, nullptr);
  EXPECT_EQ(passport->kind, IdKind::kPassport);
  EXPECT_EQ(passport->country, "KP");
  EXPECT_TRUE(HasCountry(*rim, "KP", CountryRole::kNationality));
  EXPECT_TRUE(HasCountry(*rim, "CN", CountryRole::kAddress));
  EXPECT_TRUE(HasDate(*rim, DateKind::kBirth, "1978-12-05"));
  EXPECT_EQ(PropertyValue(*rim, "gender"), "Male");
  EXPECT_THAT(PropertyValues(*rim, "sanctions_info"),
              Contains(StartsWith("Secondary sanctions risk: North Korea")));
  // "Shenyang, CN; Pyongyang, KP".
  ASSERT_EQ(rim->addresses.size(), 2u);
  EXPECT_EQ(rim->addresses[0].city, "Shenyang");
  EXPECT_EQ(rim->addresses[1].country, "KP");

  const Entity* plc = FindById(loaded, "csl:plc-9673");
  ASSERT_NE(plc, nullptr);
  EXPECT_TRUE(HasDate(*plc, DateKind::kBirth, "1955"));
  EXPECT_EQ(PropertyValue(*plc, "birth_place"), "Izna, Hebron");
  EXPECT_EQ(PropertyValue(*plc, "remarks"), "HAMAS - Hebron");
  EXPECT_THAT(plc->topics, Contains("sanction"));
}

// ---------------------------------------------------------------------------
// Small inline files.

constexpr std::string_view kHeader =
    "_id,source,entity_number,type,programs,name,title,addresses,"
    "federal_register_notice,start_date,end_date,standard_order,"
    "license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,"
    "gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,"
    "alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    "source_information_url,ids\n";

// A data row for kHeader: the named columns set, all others empty, every
// field quoted as the published file does.
std::string Row(const std::map<std::string, std::string>& values) {
  std::vector<std::string_view> columns = SplitTrimmed(TrimAscii(kHeader), ',');
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ',';
    auto it = values.find(std::string(columns[i]));
    std::string v = it == values.end() ? "" : it->second;
    out += '"';
    for (char c : v) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\n";
}

constexpr char kEl[] = "Entity List (EL) - Bureau of Industry and Security";
constexpr char kSdn[] = "Specially Designated Nationals (SDN) - Treasury Department";

TEST(CslLoader, QuotedCommasAndLineBreaks) {
  std::string text = std::string(kHeader) +
                     Row({{"_id", "abc1"},
                          {"source", kEl},
                          {"name", "Acme, \"Best\" Ltd"},
                          {"addresses", "1 Main St,\nSuite 2, Dubai, AE"},
                          {"alt_names", "Acme;  Acme   Trading ; "}}) +
                     Row({{"_id", "abc2"}, {"source", kEl}, {"name", "Second"}});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 2u);
  ASSERT_EQ(l.sink.entities.size(), 2u);
  const Entity& e = l.sink.entities[0];
  EXPECT_EQ(e.id, "csl:abc1");
  EXPECT_EQ(e.source_id, "abc1");
  EXPECT_EQ(e.PrimaryName(), "Acme, \"Best\" Ltd");
  EXPECT_THAT(Aliases(e), ::testing::ElementsAre("Acme", "Acme Trading"));
  ASSERT_EQ(e.addresses.size(), 1u);
  EXPECT_EQ(e.addresses[0].full, "1 Main St, Suite 2, Dubai, AE");
  EXPECT_EQ(e.addresses[0].country, "AE");
  EXPECT_EQ(e.addresses[0].city, "Dubai");
  EXPECT_EQ(e.addresses[0].street, "1 Main St, Suite 2");
  EXPECT_EQ(e.schema, Schema::kLegalEntity);
  EXPECT_THAT(e.topics, ::testing::ElementsAre("export.control"));
}

TEST(CslLoader, RepeatedHeaderIsNeitherRowNorReject) {
  std::string text = std::string(kHeader) + std::string(kHeader) +
                     Row({{"_id", "1a"}, {"source", kEl}, {"name", "A"}}) + std::string(kHeader) +
                     Row({{"_id", "2b"}, {"source", kEl}, {"name", "B"}});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 2u);
  EXPECT_EQ(l.report.entities, 2u);
  EXPECT_EQ(l.report.rejected, 0u);
}

TEST(CslLoader, WrongFieldCountIsRejectedWithItsLine) {
  std::string text = std::string(kHeader) +
                     Row({{"_id", "1a"}, {"source", kEl}, {"name", "A"}, {"remarks", "x\ny"}}) +
                     "\"2b\",\"" + kEl + "\",\"\",\"\",\"\",\"Too short\"\n" +
                     Row({{"_id", "3c"}, {"source", kEl}, {"name", "C"}});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 3u);
  EXPECT_EQ(l.report.entities, 2u);
  EXPECT_EQ(l.report.rejected, 1u);
  ASSERT_EQ(l.report.rejects.size(), 1u);
  EXPECT_EQ(l.report.rejects[0].file, "t.csv");
  // Header on line 1, the first row on lines 2-3, the short row on line 4.
  EXPECT_EQ(l.report.rejects[0].line, 4u);
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr("expected 29 fields"));
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr("found 6"));
}

TEST(CslLoader, EmptyNameIsRejected) {
  std::string text = std::string(kHeader) + Row({{"_id", "1a"}, {"source", kEl}, {"name", "   "}}) +
                     Row({{"_id", "2b"}, {"source", kEl}, {"name", "B"}});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok());
  EXPECT_EQ(l.report.rows, 2u);
  EXPECT_EQ(l.report.entities, 1u);
  ASSERT_EQ(l.report.rejects.size(), 1u);
  EXPECT_EQ(l.report.rejects[0].line, 2u);
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr("empty name"));
}

TEST(CslLoader, DuplicateIdIsRejected) {
  std::string text = std::string(kHeader) + Row({{"_id", "1a"}, {"source", kEl}, {"name", "A"}}) +
                     Row({{"_id", "1a"}, {"source", kEl}, {"name", "A again"}});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok());
  EXPECT_EQ(l.report.entities, 1u);
  ASSERT_EQ(l.report.rejects.size(), 1u);
  EXPECT_EQ(l.report.rejects[0].line, 3u);
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr("first on line 2"));
}

TEST(CslLoader, UnterminatedQuoteIsDataLossWithPosition) {
  std::string text = std::string(kHeader) + Row({{"_id", "1a"}, {"source", kEl}, {"name", "A"}}) +
                     "\"2b\",\"" + kEl + "\",\"\",\"\",\"\",\"Never closed\n";
  Loaded l = LoadText(text, "bad.csv");
  EXPECT_EQ(l.status.code(), StatusCode::kDataLoss);
  // The open quote is the 6th field of line 3.
  size_t col = 1 + std::string("\"2b\",\"").size() + std::string(kEl).size() +
               std::string("\",\"\",\"\",\"\",").size();
  EXPECT_THAT(l.status.message(), StartsWith("bad.csv:3:" + std::to_string(col) + ": "));
  EXPECT_EQ(l.report.entities, 1u);
}

TEST(CslLoader, CharacterAfterClosingQuoteIsDataLoss) {
  std::string text = std::string(kHeader) + "\"1a\"x,\"a\"\n";
  Loaded l = LoadText(text, "bad.csv");
  EXPECT_EQ(l.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(l.status.message(), StartsWith("bad.csv:2:5: "));
}

TEST(CslLoader, InvalidUtf8NamesTheLine) {
  std::string text = std::string(kHeader) + Row({{"_id", "1a"}, {"source", kEl}, {"name", "A"}}) +
                     Row({{"_id", "2b"}, {"source", kEl}, {"name", "B\xff"}});
  Loaded l = LoadText(text, "enc.csv");
  EXPECT_EQ(l.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(l.status.message(), StartsWith("enc.csv:3:"));
  EXPECT_THAT(l.status.message(), HasSubstr("UTF-8"));
  // Nothing is sent for a file that is not UTF-8.
  EXPECT_THAT(l.sink.entities, IsEmpty());
}

TEST(CslLoader, HeaderWithoutNameOrSourceIsInvalid) {
  Loaded no_name = LoadText("_id,source,type\n\"1\",\"x\",\"\"\n", "h.csv");
  EXPECT_EQ(no_name.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(no_name.status.message(), StartsWith("h.csv:1: "));
  EXPECT_THAT(no_name.status.message(), HasSubstr("\"name\""));

  Loaded no_source = LoadText("_id,name\n\"1\",\"x\"\n", "h.csv");
  EXPECT_EQ(no_source.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(no_source.status.message(), StartsWith("h.csv:1: "));
  EXPECT_THAT(no_source.status.message(), HasSubstr("\"source\""));
}

TEST(CslLoader, EmptyFileIsInvalidAndHeaderOnlyIsEmpty) {
  Loaded empty = LoadText("", "e.csv");
  EXPECT_EQ(empty.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status.message(), StartsWith("e.csv:1: "));

  Loaded header_only = LoadText(kHeader);
  EXPECT_TRUE(header_only.status.ok());
  EXPECT_EQ(header_only.report.rows, 0u);
}

TEST(CslLoader, ColumnsAreFoundByNameInAnyOrder) {
  // A minimal file: two columns, reversed, upper case, CRLF, with a BOM.
  std::string text =
      "\xEF\xBB\xBFNAME, Source \r\n"
      "Acme Ltd,Entity List (EL) - Bureau of Industry and Security\r\n"
      "Bob,Capta List (CAP) - Treasury Department\r\n";
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  ASSERT_EQ(l.sink.entities.size(), 2u);
  EXPECT_EQ(l.sink.entities[0].PrimaryName(), "Acme Ltd");
  EXPECT_THAT(l.sink.entities[0].lists, Contains(std::string(kEl)));
  EXPECT_THAT(l.sink.entities[1].topics, ::testing::ElementsAre("sanction"));
}

TEST(CslLoader, HashIdsAreStable) {
  // Without _id the id hashes source|entity_number|name|addresses|start_date.
  // The expected value was computed with another SHA-256 implementation.
  std::string text =
      "source,entity_number,name,addresses,start_date\n"
      "Entity List (EL) - Bureau of Industry and Security,,Acme Ltd,"
      "\"1 Main St, Dubai, AE\",2020-01-02\n";
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  ASSERT_EQ(l.sink.entities.size(), 1u);
  EXPECT_EQ(l.sink.entities[0].id, "csl:f479537cc5b8c27d");
  EXPECT_TRUE(HasDate(l.sink.entities[0], DateKind::kListed, "2020-01-02"));
}

TEST(CslLoader, TopicsPerList) {
  struct Case {
    const char* source;
    std::vector<std::string> topics;
  };
  std::vector<Case> cases = {
      {kSdn, {"sanction"}},
      {"Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", {"sanction"}},
      {"Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - "
       "Treasury Department",
       {"sanction", "cmic"}},
      {"ITAR Debarred (DTC) - State Department", {"export.control", "debarment"}},
      {"Military End User (MEU) List - Bureau of Industry and Security", {"export.control"}},
      {"Nonproliferation Sanctions (ISN) - State Department", {"export.control"}},
      {"Denied Persons List (DPL) - Bureau of Industry and Security", {"export.control"}},
  };
  for (const Case& c : cases) {
    std::string text =
        std::string(kHeader) + Row({{"_id", "x1"}, {"source", c.source}, {"name", "N"}});
    Loaded l = LoadText(text);
    ASSERT_EQ(l.sink.entities.size(), 1u) << c.source;
    EXPECT_EQ(l.sink.entities[0].topics, c.topics) << c.source;
  }
}

TEST(CslLoader, IdsInBothOrders) {
  std::string text = std::string(kHeader) +
                     Row({{"_id", "5"},
                          {"source", kSdn},
                          {"type", "Entity"},
                          {"name", "Bank"},
                          {"ids",
                           "SWIFT/BIC, RUDVRUMM; Website, mspbank.ru; Email Address, a@b.ru; "
                           "Tax ID No., 7702070139, RU; Legal Entity Number, 253400V1H6ART1UQ0N98, "
                           "RU; Digital Currency Address - XBT, 1AbCd; Organization Established "
                           "Date, 17 Oct 1990; Nationality of Registration, Russia; "
                           "Executive Order 13662 Directive Determination -, Subject to "
                           "Directive 2; Identification Number, AO 2879097, IT, 30 Oct 2012; "
                           "Vessel Registration Identification, IMO 7406784; ISIN, US1694261033"}});
  Loaded l = LoadText(text);
  ASSERT_EQ(l.sink.entities.size(), 1u);
  const Entity& e = l.sink.entities[0];
  EXPECT_EQ(e.id, "csl:sdn-5");
  auto kind_of = [&e](std::string_view value) {
    const Identifier* id = FindIdentifier(e, value);
    return id ? id->kind : static_cast<IdKind>(255);
  };
  EXPECT_EQ(kind_of("RUDVRUMM"), IdKind::kSwiftBic);
  EXPECT_EQ(kind_of("mspbank.ru"), IdKind::kWebsite);
  EXPECT_EQ(kind_of("a@b.ru"), IdKind::kEmail);
  EXPECT_EQ(kind_of("7702070139"), IdKind::kTax);
  EXPECT_EQ(FindIdentifier(e, "7702070139")->country, "RU");
  EXPECT_EQ(kind_of("253400V1H6ART1UQ0N98"), IdKind::kLei);
  EXPECT_EQ(kind_of("1AbCd"), IdKind::kCryptoWallet);
  EXPECT_EQ(kind_of("AO 2879097"), IdKind::kNationalId);
  EXPECT_EQ(FindIdentifier(e, "AO 2879097")->country, "IT");
  EXPECT_EQ(kind_of("7406784"), IdKind::kImo);
  EXPECT_EQ(kind_of("US1694261033"), IdKind::kOther);
  EXPECT_EQ(FindIdentifier(e, "US1694261033")->label, "ISIN");
  EXPECT_TRUE(HasDate(e, DateKind::kIncorporation, "1990-10-17"));
  EXPECT_TRUE(HasCountry(e, "RU", CountryRole::kIncorporation));
  EXPECT_THAT(PropertyValues(e, "sanctions_info"),
              ::testing::ElementsAre("Executive Order 13662 Directive Determination: Subject to "
                                     "Directive 2"));
  EXPECT_EQ(e.identifiers.size(), 9u);

  // The older column set writes "[country, ]value, type".
  std::string old =
      "source,entity_number,name,ids\n"
      "Specially Designated Nationals (SDN) - Treasury Department,1,X,"
      "\"CO, 1978075, Matricula Mercantil No; 21795618, Passport; "
      "IMO 8898831, Vessel Registration Identification; Panama, Former Vessel "
      "Flag; Subject to Directive 3, Executive Order 13662 Directive "
      "Determination -\"\n";
  Loaded lo = LoadText(old);
  ASSERT_EQ(lo.sink.entities.size(), 1u);
  const Entity& o = lo.sink.entities[0];
  ASSERT_NE(FindIdentifier(o, "1978075"), nullptr);
  EXPECT_EQ(FindIdentifier(o, "1978075")->kind, IdKind::kRegistration);
  EXPECT_EQ(FindIdentifier(o, "1978075")->country, "CO");
  ASSERT_NE(FindIdentifier(o, "21795618"), nullptr);
  EXPECT_EQ(FindIdentifier(o, "21795618")->kind, IdKind::kPassport);
  ASSERT_NE(FindIdentifier(o, "8898831"), nullptr);
  EXPECT_EQ(PropertyValue(o, "former_vessel_flag"), "Panama");
  EXPECT_EQ(PropertyValue(o, "sanctions_info"),
            "Executive Order 13662 Directive Determination: Subject to "
            "Directive 3");
  EXPECT_EQ(o.source_id, "1");
}

TEST(CslLoader, CountriesDatesAndProperties) {
  std::string text =
      std::string(kHeader) +
      Row({{"_id", "7"},
           {"source", kSdn},
           {"type", "Individual"},
           {"name", "DOE, John"},
           {"addresses", "Shenyang, CN; 3 Rd, Kowloon, Hong Kong, HK; Jabaliya"},
           {"citizenships", "IR; Atlantis"},
           {"nationalities", "KP"},
           {"dates_of_birth", "1960; circa 1962; 12 Mar 1958; sometime"},
           {"places_of_birth", "Jalisco Mexico; Valle de"},
           {"start_date", "2019-02-03"},
           {"end_date", "2021-04-05"},
           {"remarks", "(Linked To: ACME CORP; Linked To: NOBODY (X) LTD.)"},
           {"vessel_owner", " "}}) +
      Row({{"_id", "8"}, {"source", kSdn}, {"type", "Entity"}, {"name", "ACME CORP"}});
  Loaded l = LoadText(text);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  ASSERT_EQ(l.sink.entities.size(), 2u);
  const Entity& e = l.sink.entities[0];
  EXPECT_EQ(e.schema, Schema::kPerson);
  ASSERT_EQ(e.addresses.size(), 3u);
  EXPECT_EQ(e.addresses[0].city, "Shenyang");
  EXPECT_EQ(e.addresses[1].country, "HK");
  EXPECT_EQ(e.addresses[1].city, "Kowloon");
  EXPECT_EQ(e.addresses[2].city, "Jabaliya");
  EXPECT_EQ(e.addresses[2].country, "");
  EXPECT_TRUE(HasCountry(e, "CN", CountryRole::kAddress));
  EXPECT_TRUE(HasCountry(e, "HK", CountryRole::kAddress));
  EXPECT_TRUE(HasCountry(e, "IR", CountryRole::kCitizenship));
  EXPECT_TRUE(HasCountry(e, "", CountryRole::kCitizenship));  // Atlantis.
  EXPECT_TRUE(HasCountry(e, "KP", CountryRole::kNationality));
  EXPECT_TRUE(HasCountry(e, "MX", CountryRole::kBirthPlace));
  EXPECT_FALSE(HasCountry(e, "DE", CountryRole::kBirthPlace));
  EXPECT_TRUE(HasDate(e, DateKind::kBirth, "1960"));
  EXPECT_TRUE(HasDate(e, DateKind::kBirth, "1962"));
  EXPECT_TRUE(HasDate(e, DateKind::kBirth, "1958-03-12"));
  EXPECT_EQ(PropertyValue(e, "birth_date_text"), "sometime");
  EXPECT_TRUE(HasDate(e, DateKind::kListed, "2019-02-03"));
  EXPECT_TRUE(HasDate(e, DateKind::kDelisted, "2021-04-05"));
  EXPECT_EQ(PropertyValue(e, "vessel_owner"), "");
  EXPECT_EQ(PropertyValue(e, "entity_number"), "");

  ASSERT_EQ(l.sink.relations.size(), 2u);
  EXPECT_EQ(l.report.relations, 2u);
  EXPECT_EQ(l.sink.relations[0].kind, RelationKind::kLinkedTo);
  EXPECT_EQ(l.sink.relations[0].from_id, "csl:sdn-7");
  EXPECT_EQ(l.sink.relations[0].to_id, "csl:sdn-8");
  EXPECT_EQ(l.sink.relations[0].to_name, "ACME CORP");
  EXPECT_EQ(l.sink.relations[1].to_id, "");
  EXPECT_EQ(l.sink.relations[1].to_name, "NOBODY (X) LTD");
}

}  // namespace
}  // namespace icts::refdata
