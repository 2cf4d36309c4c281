#include "refdata/ftm_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/file.h"
#include "tests/test_util.h"

namespace icts::refdata {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::string SampleFile(std::string_view name) {
  return icts::testing::SharedData("yente-ftm-samples/" + std::string(name) + "-entities.ftm.json");
}

size_t CountNonEmptyLines(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  size_t count = 0;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++count;
  }
  return count;
}

// Lines whose schema is `schema`, counted on the raw text (the samples write
// both `"schema":"X"` and `"schema": "X"`).
size_t CountSchema(const std::string& text, std::string_view schema) {
  size_t count = 0;
  for (std::string needle : {"\"schema\":\"" + std::string(schema) + "\"",
                             "\"schema\": \"" + std::string(schema) + "\""}) {
    for (size_t pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + needle.size())) {
      ++count;
    }
  }
  return count;
}

const Entity* FindEntity(const CollectingSink& sink, std::string_view id) {
  for (const Entity& e : sink.entities) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

const Relation* FindRelation(const CollectingSink& sink, std::string_view id) {
  for (const Relation& r : sink.relations) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::vector<std::string> NamesOfKind(const Entity& e, NameKind kind) {
  std::vector<std::string> out;
  for (const Name& n : e.names) {
    if (n.kind == kind) out.push_back(n.value);
  }
  return out;
}

std::vector<std::string> DatesOfKind(const Entity& e, DateKind kind) {
  std::vector<std::string> out;
  for (const DateFact& d : e.dates) {
    if (d.kind == kind) out.push_back(d.value);
  }
  return out;
}

std::vector<std::string> PropertyValues(const Entity& e, std::string_view key) {
  std::vector<std::string> out;
  for (const Property& p : e.properties) {
    if (p.key == key) out.push_back(p.value);
  }
  return out;
}

size_t CountRelations(const CollectingSink& sink, RelationKind kind) {
  size_t count = 0;
  for (const Relation& r : sink.relations) {
    if (r.kind == kind) ++count;
  }
  return count;
}

Status LoadText(std::string_view text, CollectingSink& sink, LoadReport& report,
                std::string path = "inline.ftm.json") {
  return LoadFtm(Input{std::move(path), text}, sink, report);
}

class FtmSampleTest : public ::testing::Test {
 protected:
  void Load(std::string_view name) {
    path_ = SampleFile(name);
    ICTS_REQUIRE_SHARED_DATA(path_);
    auto bytes = ReadFileToString(path_);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    raw_ = std::move(bytes).value();
    Status status = LoadFtm(Input{path_, raw_}, sink_, report_);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  size_t ThingCount() const {
    size_t count = 0;
    for (std::string_view schema :
         {"Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel", "Airplane"}) {
      count += CountSchema(raw_, schema);
    }
    return count;
  }

  std::string path_;
  std::string raw_;
  CollectingSink sink_;
  LoadReport report_;
};

TEST_F(FtmSampleTest, T1CountsAndMultilingualNames) {
  Load("t1");
  if (HasFatalFailure() || IsSkipped()) return;
  // The last line has no newline; it still counts.
  EXPECT_EQ(report_.rows, CountNonEmptyLines(raw_));
  EXPECT_EQ(report_.rows, 7u);
  EXPECT_EQ(report_.rejected, 0u);
  EXPECT_EQ(report_.entities, ThingCount());
  EXPECT_EQ(report_.entities, 6u);
  EXPECT_EQ(sink_.entities.size(), report_.entities);
  EXPECT_THAT(sink_.relations, IsEmpty());

  const Entity* org = FindEntity(sink_, "ftm:NK-2GdmHtZTeNXjNVrBGEXZNj");
  ASSERT_NE(org, nullptr);
  EXPECT_EQ(org->source_id, "NK-2GdmHtZTeNXjNVrBGEXZNj");
  EXPECT_EQ(org->schema, Schema::kOrganization);
  EXPECT_EQ(org->PrimaryName(), "LLC “Inter Tobacco”");
  std::vector<std::string> aliases = NamesOfKind(*org, NameKind::kStrongAlias);
  EXPECT_EQ(aliases.size(), 11u);
  EXPECT_THAT(aliases, Contains("Εταιρία περιορισμένης ευθύνης “Inter Tobacco”"));
  EXPECT_THAT(aliases, Contains("Общество с ограниченной ответственностью “Интер Тобако”"));
  EXPECT_THAT(aliases, Contains("„Inter Tobacco“, společnost s ručením omezeným"));
  ASSERT_EQ(org->countries.size(), 1u);
  EXPECT_EQ(org->countries[0].code, "BY");
  EXPECT_EQ(org->countries[0].label, "by");
  EXPECT_EQ(org->countries[0].role, CountryRole::kUnspecified);
  ASSERT_EQ(org->identifiers.size(), 1u);
  EXPECT_EQ(org->identifiers[0].kind, IdKind::kRegistration);
  EXPECT_EQ(org->identifiers[0].value, "808000714");
  EXPECT_THAT(org->topics, ElementsAre("sanction"));
  EXPECT_THAT(PropertyValues(*org, "notes"), ElementsAre("Belarus (Minsk Free Economic Zone)"));
  EXPECT_THAT(PropertyValues(*org, "dataset"), ElementsAre("eu_fsf"));
  // Its addressEntity names an Address this file does not hold.
  EXPECT_THAT(org->addresses, IsEmpty());

  const Entity* person = FindEntity(sink_, "ftm:NK-2Ka3UvopqbpZmVDFjWd4LA");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->schema, Schema::kPerson);
  EXPECT_EQ(person->PrimaryName(), "Vitalij Kuzmenko");
  EXPECT_THAT(NamesOfKind(*person, NameKind::kStrongAlias),
              ElementsAre("Виталий Юрьевич КУЗЬМЕНКО", "Vitaly Yurievich KUZMENKO"));
  EXPECT_THAT(DatesOfKind(*person, DateKind::kBirth), ElementsAre("1971-01-22"));
  ASSERT_EQ(person->identifiers.size(), 1u);
  EXPECT_EQ(person->identifiers[0].kind, IdKind::kTax);
  EXPECT_EQ(person->identifiers[0].value, "366510784303");
  ASSERT_EQ(person->countries.size(), 1u);
  EXPECT_EQ(person->countries[0].role, CountryRole::kNationality);
  EXPECT_EQ(person->countries[0].code, "RU");
  EXPECT_THAT(PropertyValues(*person, "gender"), ElementsAre("male"));
}

TEST_F(FtmSampleTest, ZalaOwnershipBecomesRelations) {
  Load("zala");
  if (HasFatalFailure() || IsSkipped()) return;
  EXPECT_EQ(report_.rows, CountNonEmptyLines(raw_));
  EXPECT_EQ(report_.rows, 91u);
  EXPECT_EQ(report_.rejected, 0u);
  EXPECT_EQ(report_.entities, ThingCount());
  EXPECT_EQ(report_.entities, 17u);

  const size_t ownerships = CountSchema(raw_, "Ownership");
  EXPECT_EQ(ownerships, 14u);
  EXPECT_EQ(CountRelations(sink_, RelationKind::kOwnership), ownerships);
  EXPECT_EQ(CountRelations(sink_, RelationKind::kDirectorship), CountSchema(raw_, "Directorship"));
  EXPECT_EQ(CountRelations(sink_, RelationKind::kFamily), CountSchema(raw_, "Family"));
  EXPECT_EQ(report_.relations, sink_.relations.size());
  EXPECT_EQ(report_.relations, 14u + 3u + 4u);

  // Only Ownership rows carry "percentage", and every one can be read.
  size_t with_share = 0;
  for (const Relation& r : sink_.relations) {
    EXPECT_THAT(r.id, StartsWith("ftm:"));
    EXPECT_THAT(r.from_id, StartsWith("ftm:"));
    EXPECT_THAT(r.to_id, StartsWith("ftm:"));
    if (!std::isnan(r.share_min)) ++with_share;
  }
  size_t percentage_lines = 0;
  for (size_t pos = raw_.find("\"percentage\""); pos != std::string::npos;
       pos = raw_.find("\"percentage\"", pos + 1)) {
    ++percentage_lines;
  }
  EXPECT_EQ(with_share, percentage_lines);
  EXPECT_EQ(with_share, 10u);

  const Relation* full = FindRelation(sink_, "ftm:ru-159c785ad927d3e153b23a26620730465ed26f1c");
  ASSERT_NE(full, nullptr);
  EXPECT_EQ(full->kind, RelationKind::kOwnership);
  EXPECT_EQ(full->from_id, "ftm:NK-aU5ybkbRFJucf8YMwsJvDw");
  EXPECT_EQ(full->to_id, "ftm:NK-iE6m5ryPeTAMZozfECVSL7");
  EXPECT_EQ(full->from_name, "Aleksandr Vyacheslavovich Zakharov");
  EXPECT_EQ(full->to_name, "AEROSCAN");
  EXPECT_DOUBLE_EQ(full->share_min, 100.0);
  EXPECT_DOUBLE_EQ(full->share_max, 100.0);
  EXPECT_EQ(full->start_date, "2024-03-01");
  EXPECT_EQ(full->end_date, "2024-03-24");

  const Relation* subsidiary = FindRelation(sink_, "ftm:NK-3NyeuT6JeJDLhGEyH3JD52");
  ASSERT_NE(subsidiary, nullptr);
  EXPECT_EQ(subsidiary->role, "subsidiary of");
  EXPECT_TRUE(std::isnan(subsidiary->share_min));
  EXPECT_EQ(subsidiary->from_id, "ftm:NK-nR5AXM9AVPq4pQaSPSaVam");
  EXPECT_EQ(subsidiary->to_id, "ftm:NK-abdzbEBkqyT29GyREbiURZ");
}

TEST_F(FtmSampleTest, ZalaSanctionsAttachToTheirEntities) {
  Load("zala");
  if (HasFatalFailure() || IsSkipped()) return;
  const Entity* company = FindEntity(sink_, "ftm:NK-abdzbEBkqyT29GyREbiURZ");
  ASSERT_NE(company, nullptr);
  EXPECT_EQ(company->schema, Schema::kCompany);
  EXPECT_THAT(company->topics, Contains("sanction"));
  // 28 Sanction rows name this company; they come from 20 authorities and
  // state 19 distinct programmes (program, or programId when no program).
  EXPECT_EQ(company->lists.size(), 20u);
  EXPECT_THAT(company->lists, Contains("Department of Foreign Affairs and Trade"));
  EXPECT_THAT(company->lists, Contains("Office of Foreign Assets Control"));
  EXPECT_EQ(company->programs.size(), 19u);
  EXPECT_THAT(company->programs, Contains("Autonomous (Russia)"));
  EXPECT_THAT(company->programs, Contains("RUSSIA-EO14024"));
  std::vector<std::string> listed = DatesOfKind(*company, DateKind::kListed);
  EXPECT_EQ(listed.size(), 20u);
  EXPECT_THAT(listed, Contains("2023-12-18"));
  EXPECT_THAT(listed, Contains("2025-03-15"));
  EXPECT_EQ(company->citations.size(), 28u);

  const Entity* person = FindEntity(sink_, "ftm:NK-aU5ybkbRFJucf8YMwsJvDw");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->lists.size(), 13u);
  EXPECT_EQ(person->programs.size(), 9u);
  EXPECT_EQ(DatesOfKind(*person, DateKind::kListed).size(), 8u);
  // The file's one Passport row has no number, so it adds nothing.
  for (const Identifier& id : person->identifiers) {
    EXPECT_NE(id.kind, IdKind::kPassport);
  }

  size_t sanctioned = 0;
  for (const Entity& e : sink_.entities) {
    if (!e.lists.empty()) ++sanctioned;
  }
  EXPECT_EQ(sanctioned, 2u);
}

TEST_F(FtmSampleTest, ParteispendenResolvesAddressEntities) {
  Load("parteispenden");
  if (HasFatalFailure() || IsSkipped()) return;
  EXPECT_EQ(report_.rows, CountNonEmptyLines(raw_));
  EXPECT_EQ(report_.rows, 475u);
  EXPECT_EQ(report_.rejected, 0u);
  EXPECT_EQ(report_.entities, ThingCount());
  EXPECT_EQ(report_.entities, 96u);
  // Payments are read and left out.
  EXPECT_EQ(CountSchema(raw_, "Payment"), 290u);
  EXPECT_THAT(sink_.relations, IsEmpty());

  const Entity* e = FindEntity(sink_, "ftm:f9c295f21b233ac878fbac4d271bb6fd13d7952a");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->PrimaryName(), "Frau Lina Dachner");
  ASSERT_EQ(e->addresses.size(), 1u);
  EXPECT_EQ(e->addresses[0].full, "Schillerstraße 19, 76135 Karlsruhe");
  EXPECT_EQ(e->addresses[0].street, "Schillerstraße 19");
  EXPECT_EQ(e->addresses[0].city, "76135 Karlsruhe");
  EXPECT_EQ(e->addresses[0].country, "DE");
  bool address_country = false;
  for (const Country& c : e->countries) {
    if (c.role == CountryRole::kAddress && c.code == "DE") address_country = true;
  }
  EXPECT_TRUE(address_country);

  size_t with_address = 0;
  for (const Entity& entity : sink_.entities) {
    if (!entity.addresses.empty()) ++with_address;
  }
  EXPECT_EQ(with_address, 84u);
}

TEST(FtmLoaderTest, BadLinesAreRejectedWithTheirLineNumber) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(
      R"({"id":"a","schema":"Person","properties":{"name":["Ann One"]}}
{"id":"b","schema":"Person","properties":{"name":["Bob"]
["not", "an", "object"]

{"schema":"Person","properties":{"name":["No Id"]}}
{"id":"c","properties":{"name":["No Schema"]}}
{"id":"d","schema":"Company","properties":{"country":["de"]}}
{"id":"e","schema":"Company","properties":{"name":["Eve GmbH"]}}
)",
      sink, report, "mixed.json");
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(report.rows, 7u);
  EXPECT_EQ(report.entities, 2u);
  EXPECT_EQ(report.rejected, 5u);
  ASSERT_EQ(report.rejects.size(), 5u);
  EXPECT_EQ(report.rejects[0].file, "mixed.json");
  EXPECT_EQ(report.rejects[0].line, 2u);
  EXPECT_THAT(report.rejects[0].reason, HasSubstr("invalid JSON"));
  EXPECT_EQ(report.rejects[1].line, 3u);
  EXPECT_EQ(report.rejects[2].line, 5u);
  EXPECT_THAT(report.rejects[2].reason, HasSubstr("id"));
  EXPECT_EQ(report.rejects[3].line, 6u);
  EXPECT_THAT(report.rejects[3].reason, HasSubstr("schema"));
  EXPECT_EQ(report.rejects[4].line, 7u);
  EXPECT_THAT(report.rejects[4].reason, HasSubstr("no name"));
  ASSERT_EQ(sink.entities.size(), 2u);
  EXPECT_EQ(sink.entities[0].id, "ftm:a");
  EXPECT_EQ(sink.entities[1].id, "ftm:e");
}

TEST(FtmLoaderTest, FileThatIsNotJsonIsInvalidArgument) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText("id,name\n1,Ann\n", sink, report, "list.csv");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), StartsWith("list.csv:1:"));
  EXPECT_THAT(status.message(), HasSubstr("not FollowTheMoney"));
  EXPECT_THAT(sink.entities, IsEmpty());
}

TEST(FtmLoaderTest, NotJsonErrorNamesTheFirstNonEmptyLine) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText("\n  \n<xml/>\n", sink, report, "x.json");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), StartsWith("x.json:3:1: "));
}

TEST(FtmLoaderTest, PrettyPrintedJsonIsNotJsonLines) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText("{\n  \"id\": \"a\"\n}\n", sink, report, "p.json");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), StartsWith("p.json:1:"));
}

TEST(FtmLoaderTest, InvalidUtf8IsDataLoss) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(
      "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
      "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[\"\xFF\"]}}\n",
      sink, report, "bad.json");
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), StartsWith("bad.json:2:"));
  EXPECT_THAT(status.message(), HasSubstr("UTF-8"));
  EXPECT_THAT(sink.entities, IsEmpty());
}

TEST(FtmLoaderTest, ForwardReferencesResolveAtTheEnd) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(
      R"({"id":"s1","schema":"Sanction","properties":{"entity":["co"],"authority":["Office of Foreign Assets Control"],"program":["RUSSIA-EO14024"],"listingDate":["2024-02-23"],"endDate":["2025-01-01"],"sourceUrl":["https://example.org/s1"]}}
{"id":"p1","schema":"Passport","properties":{"holder":["pe"],"number":["P123"],"country":["fr"]}}
{"id":"i1","schema":"Identification","properties":{"holder":["pe"],"number":["ID-9"],"type":["National ID card"]}}
{"id":"o1","schema":"Ownership","properties":{"owner":["pe"],"asset":["co"],"percentage":["25-50%"],"startDate":["2020"]}}
{"id":"d1","schema":"Directorship","properties":{"director":["pe"],"organization":["elsewhere"],"role":["CEO"]}}
{"id":"s2","schema":"Sanction","properties":{"entity":["ghost"],"program":["X"]}}
{"id":"p2","schema":"Passport","properties":{"holder":["ghost"],"number":["Z"]}}
{"id":"co","schema":"Company","properties":{"name":["Example Co"],"addressEntity":["ad"],"leiCode":["5299000J2N45DDNE4Y28"],"jurisdiction":["ru"]}}
{"id":"pe","schema":"Person","properties":{"firstName":["Jean"],"lastName":["Dupont"],"alias":["JD"],"weakAlias":["Johnny"],"previousName":["Jean Durand"]}}
{"id":"ad","schema":"Address","properties":{"full":["1 Rue X, Paris"],"city":["Paris"],"country":["fr"]}}
)",
      sink, report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(report.rows, 10u);
  EXPECT_EQ(report.entities, 2u);
  EXPECT_EQ(report.relations, 2u);
  EXPECT_EQ(report.rejected, 2u);
  ASSERT_EQ(report.rejects.size(), 2u);
  EXPECT_EQ(report.rejects[0].line, 6u);
  EXPECT_THAT(report.rejects[0].reason, HasSubstr("ghost"));
  EXPECT_EQ(report.rejects[1].line, 7u);

  ASSERT_EQ(sink.entities.size(), 2u);
  const Entity& co = sink.entities[0];
  EXPECT_EQ(co.id, "ftm:co");
  EXPECT_EQ(co.schema, Schema::kCompany);
  EXPECT_THAT(co.programs, ElementsAre("RUSSIA-EO14024"));
  EXPECT_THAT(co.lists, ElementsAre("Office of Foreign Assets Control"));
  EXPECT_THAT(co.topics, ElementsAre("sanction"));
  EXPECT_THAT(DatesOfKind(co, DateKind::kListed), ElementsAre("2024-02-23"));
  EXPECT_THAT(DatesOfKind(co, DateKind::kDelisted), ElementsAre("2025-01-01"));
  ASSERT_EQ(co.citations.size(), 1u);
  EXPECT_EQ(co.citations[0].url, "https://example.org/s1");
  EXPECT_EQ(co.citations[0].effective, "2024-02-23");
  ASSERT_EQ(co.addresses.size(), 1u);
  EXPECT_EQ(co.addresses[0].full, "1 Rue X, Paris");
  EXPECT_EQ(co.addresses[0].city, "Paris");
  EXPECT_EQ(co.addresses[0].country, "FR");
  ASSERT_EQ(co.identifiers.size(), 1u);
  EXPECT_EQ(co.identifiers[0].kind, IdKind::kLei);
  ASSERT_EQ(co.countries.size(), 2u);
  EXPECT_EQ(co.countries[0].role, CountryRole::kJurisdiction);
  EXPECT_EQ(co.countries[0].code, "RU");
  EXPECT_EQ(co.countries[1].role, CountryRole::kAddress);
  EXPECT_EQ(co.countries[1].code, "FR");

  const Entity& pe = sink.entities[1];
  EXPECT_EQ(pe.PrimaryName(), "Jean Dupont");
  EXPECT_THAT(NamesOfKind(pe, NameKind::kStrongAlias), ElementsAre("JD"));
  EXPECT_THAT(NamesOfKind(pe, NameKind::kWeakAlias), ElementsAre("Johnny"));
  EXPECT_THAT(NamesOfKind(pe, NameKind::kPrevious), ElementsAre("Jean Durand"));
  ASSERT_EQ(pe.identifiers.size(), 2u);
  EXPECT_EQ(pe.identifiers[0].kind, IdKind::kPassport);
  EXPECT_EQ(pe.identifiers[0].value, "P123");
  EXPECT_EQ(pe.identifiers[0].country, "FR");
  EXPECT_EQ(pe.identifiers[1].kind, IdKind::kNationalId);
  EXPECT_EQ(pe.identifiers[1].label, "National ID card");
  EXPECT_TRUE(pe.lists.empty());

  // Relations come after every entity, in file order.
  ASSERT_EQ(sink.relations.size(), 2u);
  const Relation& own = sink.relations[0];
  EXPECT_EQ(own.id, "ftm:o1");
  EXPECT_EQ(own.kind, RelationKind::kOwnership);
  EXPECT_EQ(own.from_name, "Jean Dupont");
  EXPECT_EQ(own.to_name, "Example Co");
  EXPECT_DOUBLE_EQ(own.share_min, 25.0);
  EXPECT_DOUBLE_EQ(own.share_max, 50.0);
  EXPECT_EQ(own.start_date, "2020");
  // An end outside this file is kept: another source may describe it.
  const Relation& dir = sink.relations[1];
  EXPECT_EQ(dir.kind, RelationKind::kDirectorship);
  EXPECT_EQ(dir.to_id, "ftm:elsewhere");
  EXPECT_EQ(dir.to_name, "");
  EXPECT_EQ(dir.role, "CEO");
}

TEST(FtmLoaderTest, EdgesWithoutBothEndsAreRejected) {
  CollectingSink sink;
  LoadReport report;
  ASSERT_TRUE(LoadText(
                  R"({"id":"o","schema":"Ownership","properties":{"owner":["a"]}}
{"id":"s","schema":"Sanction","properties":{"program":["P"]}}
{"id":"u","schema":"UnknownLink","properties":{"subject":["a"],"object":["b"]}}
{"id":"m","schema":"Membership","properties":{"member":["a"],"organization":["b"]}}
{"id":"f","schema":"Associate","properties":{"person":["a"],"associate":["b"],"relationship":["friend"]}}
)",
                  sink, report)
                  .ok());
  EXPECT_EQ(report.rejected, 2u);
  ASSERT_EQ(report.rejects.size(), 2u);
  EXPECT_EQ(report.rejects[0].line, 1u);
  EXPECT_THAT(report.rejects[0].reason, HasSubstr("asset"));
  EXPECT_EQ(report.rejects[1].line, 2u);
  ASSERT_EQ(sink.relations.size(), 3u);
  EXPECT_EQ(sink.relations[0].kind, RelationKind::kLinkedTo);
  EXPECT_EQ(sink.relations[1].kind, RelationKind::kMembership);
  EXPECT_EQ(sink.relations[2].kind, RelationKind::kAssociate);
  EXPECT_EQ(sink.relations[2].role, "friend");
}

TEST(FtmLoaderTest, EdgeWithManyEndsPairsThemUpToALimit) {
  std::string owners;
  for (int i = 0; i < 11; ++i) owners += (i ? ",\"o" : "\"o") + std::to_string(i) + "\"";
  std::string text =
      R"({"id":"few","schema":"Ownership","properties":{"owner":["a","b"],"asset":["c","d"]}})"
      "\n"
      R"({"id":"many","schema":"Ownership","properties":{"owner":[)" +
      owners + R"(],"asset":[)" + owners + "]}}\n";
  CollectingSink sink;
  LoadReport report;
  ASSERT_TRUE(LoadText(text, sink, report).ok());
  EXPECT_EQ(sink.relations.size(), 4u);
  ASSERT_EQ(report.rejects.size(), 1u);
  EXPECT_EQ(report.rejects[0].line, 2u);
}

TEST(FtmLoaderTest, RepeatedIdsMergeIntoOneEntity) {
  CollectingSink sink;
  LoadReport report;
  ASSERT_TRUE(
      LoadText("\xEF\xBB\xBF{\"id\":\"x\",\"schema\":\"Vessel\",\"properties\":"
               "{\"name\":[\"Sea Star\"],\"imoNumber\":[\"IMO 9187629\"],\"flag\":[\"pa\"]}}\r\n"
               "{\"id\":\"x\",\"schema\":\"Vessel\",\"properties\":"
               "{\"name\":[\"Sea Star II\"],\"topics\":[\"sanction\"]}}\r\n"
               "{\"id\":\"y\",\"schema\":\"Airplane\",\"properties\":"
               "{\"name\":[\"Jet\"],\"registrationNumber\":[\"EP-ABC\"]}}\r\n",
               sink, report)
          .ok());
  EXPECT_EQ(report.rows, 3u);
  ASSERT_EQ(sink.entities.size(), 2u);
  const Entity& vessel = sink.entities[0];
  EXPECT_EQ(vessel.schema, Schema::kVessel);
  EXPECT_EQ(vessel.PrimaryName(), "Sea Star");
  EXPECT_THAT(NamesOfKind(vessel, NameKind::kStrongAlias), ElementsAre("Sea Star II"));
  EXPECT_THAT(vessel.topics, ElementsAre("sanction"));
  ASSERT_EQ(vessel.identifiers.size(), 1u);
  EXPECT_EQ(vessel.identifiers[0].kind, IdKind::kImo);
  ASSERT_EQ(vessel.countries.size(), 1u);
  EXPECT_EQ(vessel.countries[0].role, CountryRole::kFlag);
  const Entity& plane = sink.entities[1];
  EXPECT_EQ(plane.schema, Schema::kAircraft);
  ASSERT_EQ(plane.identifiers.size(), 1u);
  EXPECT_EQ(plane.identifiers[0].kind, IdKind::kAircraftTail);
  EXPECT_EQ(plane.identifiers[0].value, "EP-ABC");
}

TEST(FtmLoaderTest, EmptyInputLoadsNothing) {
  CollectingSink sink;
  LoadReport report;
  EXPECT_TRUE(LoadText("", sink, report).ok());
  EXPECT_TRUE(LoadText("\n\n", sink, report).ok());
  EXPECT_EQ(report.rows, 0u);
  EXPECT_THAT(sink.entities, IsEmpty());
}

}  // namespace
}  // namespace icts::refdata
