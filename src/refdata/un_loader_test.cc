#include "refdata/un_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "refdata/countries.h"
#include "tests/test_util.h"

namespace icts::refdata {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

const std::string kUnFile = icts::testing::SharedData("un-consolidated/UN_consolidated.xml");

// Counts non-overlapping occurrences of `needle` in `haystack`.
size_t CountOccurrences(const std::string& haystack, std::string_view needle) {
  size_t count = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

const Entity* FindEntity(const CollectingSink& sink, std::string_view id) {
  for (const Entity& e : sink.entities) {
    if (e.id == id) return &e;
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

const Country* FindCountry(const Entity& e, CountryRole role) {
  for (const Country& c : e.countries) {
    if (c.role == role) return &c;
  }
  return nullptr;
}

Status LoadText(std::string_view text, CollectingSink& sink, LoadReport& report,
                std::string path = "inline.xml") {
  Input input{std::move(path), text};
  return LoadUn(input, sink, report);
}

class UnFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ICTS_REQUIRE_SHARED_DATA(kUnFile);
    auto bytes = ReadFileToString(kUnFile);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    raw_ = std::move(bytes).value();
    Status status = LoadUn(Input{kUnFile, raw_}, sink_, report_);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  std::string raw_;
  CollectingSink sink_;
  LoadReport report_;
};

TEST_F(UnFileTest, CountsMatchAnIndependentCount) {
  // Every record opens with a bare tag, so counting the text is independent of
  // any XML parsing.
  size_t individuals = CountOccurrences(raw_, "<INDIVIDUAL>");
  size_t entities = CountOccurrences(raw_, "<ENTITY>");
  EXPECT_EQ(individuals, 730u);
  EXPECT_EQ(entities, 273u);
  EXPECT_EQ(report_.rows, individuals + entities);
  EXPECT_EQ(report_.rejected, 0u);
  EXPECT_EQ(report_.entities, individuals + entities);
  EXPECT_EQ(sink_.entities.size(), report_.entities);
  EXPECT_TRUE(sink_.relations.empty());

  size_t persons = 0;
  std::set<std::string> ids;
  for (const Entity& e : sink_.entities) {
    EXPECT_THAT(e.id, StartsWith("un:"));
    EXPECT_FALSE(e.PrimaryName().empty()) << e.id;
    EXPECT_THAT(e.lists, ElementsAre("UN Security Council Consolidated List"));
    EXPECT_THAT(e.topics, ElementsAre("sanction"));
    EXPECT_EQ(e.programs.size(), 1u) << e.id;
    ids.insert(e.id);
    if (e.schema == Schema::kPerson) ++persons;
  }
  EXPECT_EQ(ids.size(), sink_.entities.size());
  EXPECT_EQ(persons, individuals);
}

TEST_F(UnFileTest, PublishedDateComesFromDateGenerated) {
  EXPECT_EQ(report_.published, "2026-02-27");
}

TEST_F(UnFileTest, DprkEntityWithAliasesAndAddress) {
  const Entity* e = FindEntity(sink_, "un:KPe.001");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->source_id, "KPe.001");
  EXPECT_EQ(e->schema, Schema::kOrganization);
  EXPECT_EQ(e->PrimaryName(), "KOREA MINING DEVELOPMENT TRADING CORPORATION");
  EXPECT_THAT(
      NamesOfKind(*e, NameKind::kStrongAlias),
      ElementsAre("CHANGGWANG SINYONG CORPORATION", "EXTERNAL TECHNOLOGY GENERAL CORPORATION",
                  "DPRKN MINING DEVELOPMENT TRADING COOPERATION", "\"KOMID\""));
  EXPECT_THAT(e->programs, ElementsAre("DPRK"));
  EXPECT_THAT(DatesOfKind(*e, DateKind::kListed), ElementsAre("2009-04-24"));

  ASSERT_EQ(e->addresses.size(), 1u);
  const Address& a = e->addresses[0];
  EXPECT_EQ(a.street, "Central District");
  EXPECT_EQ(a.city, "Pyongyang");
  EXPECT_EQ(a.full, "Central District, Pyongyang, Democratic People's Republic of Korea");
  EXPECT_EQ(a.country, CountryCode("Democratic People's Republic of Korea"));
  const Country* c = FindCountry(*e, CountryRole::kAddress);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->label, "Democratic People's Republic of Korea");
  EXPECT_EQ(c->code, a.country);
  if (!CountryCode("North Korea").empty()) {
    EXPECT_EQ(c->code, "KP");
  }

  // The comment spans two lines in the file; whitespace is collapsed.
  EXPECT_THAT(PropertyValues(*e, "remarks"),
              ElementsAre("Primary arms dealer and main exporter of goods and "
                          "equipment related to ballistic missiles and "
                          "conventional weapons."));
}

TEST_F(UnFileTest, IndividualWithLowQualityAliasesPassportAndBirthDates) {
  const Entity* e = FindEntity(sink_, "un:LYi.014");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->schema, Schema::kPerson);
  EXPECT_EQ(e->PrimaryName(), "MUTASSIM QADHAFI");
  EXPECT_THAT(
      NamesOfKind(*e, NameKind::kStrongAlias),
      ElementsAre("Almuatesem Bellah Muammer Qadhafi", "Mutassim Billah Abuminyar Qadhafi"));
  EXPECT_THAT(NamesOfKind(*e, NameKind::kLowQualityAlias),
              ElementsAre("Muatasmblla", "Muatasimbllah", "Moatassam"));
  EXPECT_THAT(DatesOfKind(*e, DateKind::kBirth), ElementsAre("1976", "1974-02-05"));
  EXPECT_THAT(DatesOfKind(*e, DateKind::kListed), ElementsAre("2011-02-26"));
  // Three update days are listed; the latest is kept.
  EXPECT_THAT(DatesOfKind(*e, DateKind::kModified), ElementsAre("2016-04-01"));

  ASSERT_EQ(e->identifiers.size(), 1u);
  const Identifier& id = e->identifiers[0];
  EXPECT_EQ(id.kind, IdKind::kPassport);
  EXPECT_EQ(id.value, "B/001897");  // Trailing space in the file.
  EXPECT_EQ(id.label, "Passport");
  EXPECT_EQ(id.country, CountryCode("Libya"));

  EXPECT_THAT(PropertyValues(*e, "birth_place"), ElementsAre("Tripoli, Libya"));
  const Country* born = FindCountry(*e, CountryRole::kBirthPlace);
  ASSERT_NE(born, nullptr);
  EXPECT_EQ(born->label, "Libya");
  EXPECT_THAT(PropertyValues(*e, "designation"), ElementsAre("National Security Adviser"));
  // An address with only an empty COUNTRY adds nothing.
  EXPECT_TRUE(e->addresses.empty());
}

TEST_F(UnFileTest, FormerNamesAndZonedListingDates) {
  size_t previous = 0;
  for (const Entity& e : sink_.entities) {
    previous += NamesOfKind(e, NameKind::kPrevious).size();
  }
  // The file has 19 "f.k.a." aliases; AddName drops repeats within an entry.
  EXPECT_GT(previous, 0u);
  EXPECT_LE(previous, CountOccurrences(raw_, "<QUALITY>f.k.a.</QUALITY>"));

  // "2015-04-07-04:00" carries a zone suffix; the day is kept.
  bool found = false;
  for (const Entity& e : sink_.entities) {
    for (const std::string& d : DatesOfKind(e, DateKind::kListed)) {
      EXPECT_EQ(d.size(), 10u) << e.id;
      if (d == "2015-04-07") found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(UnLoaderTest, TruncatedFileIsDataLoss) {
  ICTS_REQUIRE_SHARED_DATA(kUnFile);
  auto bytes = ReadFileToString(kUnFile);
  ASSERT_TRUE(bytes.ok());
  std::string half = bytes->substr(0, bytes->size() / 2);
  // Do not cut a multi-byte character in two: that would be a UTF-8 error
  // instead of the XML error this test is about.
  while (!half.empty() && (static_cast<unsigned char>(half.back()) & 0xC0) == 0x80) {
    half.pop_back();
  }
  if (!half.empty() && static_cast<unsigned char>(half.back()) >= 0xC0) {
    half.pop_back();
  }
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(half, sink, report, "half.xml");
  EXPECT_EQ(status.code(), StatusCode::kDataLoss) << status.ToString();
  EXPECT_THAT(status.message(), MatchesRegex("half\\.xml:[0-9]+:[0-9]+: .+"));
  EXPECT_TRUE(sink.entities.empty());
}

TEST(UnLoaderTest, TinyTruncatedDocumentNamesLineAndColumn) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>A", sink,
                           report, "tiny.xml");
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), MatchesRegex("tiny\\.xml:3:[0-9]+: .+"));
}

TEST(UnLoaderTest, MismatchedTagIsDataLoss) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(
      "<CONSOLIDATED_LIST>\n  <INDIVIDUALS></ENTITIES>\n"
      "</CONSOLIDATED_LIST>\n",
      sink, report, "bad.xml");
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), StartsWith("bad.xml:2:"));
}

TEST(UnLoaderTest, EmptyInputIsDataLoss) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText("", sink, report, "empty.xml");
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), StartsWith("empty.xml:1:1: "));
}

TEST(UnLoaderTest, InvalidUtf8IsRejectedBeforeParsing) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(
      "<CONSOLIDATED_LIST>\n<ENTITIES><ENTITY><FIRST_NAME>A\xC3\x28</FIRST_NAME>"
      "</ENTITY></ENTITIES></CONSOLIDATED_LIST>",
      sink, report, "latin.xml");
  EXPECT_EQ(status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), StartsWith("latin.xml:2:"));
  EXPECT_THAT(status.message(), HasSubstr("UTF-8"));
  EXPECT_TRUE(sink.entities.empty());
}

TEST(UnLoaderTest, OtherRootElementIsInvalidArgument) {
  CollectingSink sink;
  LoadReport report;
  Status status =
      LoadText("<?xml version=\"1.0\"?>\n<sdnList></sdnList>\n", sink, report, "sdn.xml");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), StartsWith("sdn.xml:2:"));
}

constexpr std::string_view kSmallList = R"(<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2024-05-06T10:00:00Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <FIRST_NAME>ANNA</FIRST_NAME>
      <SECOND_NAME>MARIA</SECOND_NAME>
      <THIRD_NAME>EXAMPLE</THIRD_NAME>
      <UN_LIST_TYPE>Iraq</UN_LIST_TYPE>
      <REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>
      <LISTED_ON>2003-04-25</LISTED_ON>
      <GENDER>Female</GENDER>
      <NAME_ORIGINAL_SCRIPT>Анна</NAME_ORIGINAL_SCRIPT>
      <TITLE><VALUE>Dr.</VALUE></TITLE>
      <NATIONALITY><VALUE>Iraq</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Ann</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Anna Old</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Nana</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>
        <FROM_YEAR>1960</FROM_YEAR>
        <TO_YEAR>1962</TO_YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE>
        <YEAR>1958</YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT>
        <TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
        <TYPE_OF_DOCUMENT2>Civil ID</TYPE_OF_DOCUMENT2>
        <NUMBER>12345</NUMBER>
        <COUNTRY_OF_ISSUE>Iraq</COUNTRY_OF_ISSUE>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT>
        <TYPE_OF_DOCUMENT>Numéro de passeport</TYPE_OF_DOCUMENT>
        <NUMBER>P-9</NUMBER>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT><NOTE>no number</NOTE></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>2</DATAID>
      <REFERENCE_NUMBER>XXi.002</REFERENCE_NUMBER>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>3</DATAID>
      <FIRST_NAME><![CDATA[CDATA]]> NAME</FIRST_NAME>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>4</DATAID>
      <FIRST_NAME>EXAMPLE TRADING CO</FIRST_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
      <REFERENCE_NUMBER>XXe.001</REFERENCE_NUMBER>
      <ENTITY_ADDRESS>
        <STREET>1 Main St</STREET>
        <CITY>Town</CITY>
        <STATE_PROVINCE>North</STATE_PROVINCE>
        <ZIP_CODE>999</ZIP_CODE>
        <COUNTRY>Iraq</COUNTRY>
        <NOTE>as of 2020</NOTE>
      </ENTITY_ADDRESS>
    </ENTITY>
    <ENTITY>
      <DATAID>5</DATAID>
      <FIRST_NAME>DUPLICATE</FIRST_NAME>
      <REFERENCE_NUMBER>XXe.001</REFERENCE_NUMBER>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
)";

TEST(UnLoaderTest, SmallListMapsEveryField) {
  CollectingSink sink;
  LoadReport report;
  ASSERT_TRUE(LoadText(kSmallList, sink, report, "small.xml").ok());
  EXPECT_EQ(report.published, "2024-05-06");
  EXPECT_EQ(report.rows, 5u);
  EXPECT_EQ(report.entities, 3u);
  EXPECT_EQ(report.rejected, 2u);
  ASSERT_EQ(report.rejects.size(), 2u);
  // The nameless INDIVIDUAL opens on line 40, the duplicate ENTITY on line 65.
  EXPECT_EQ(report.rejects[0].file, "small.xml");
  EXPECT_EQ(report.rejects[0].line, 40u);
  EXPECT_THAT(report.rejects[0].reason, HasSubstr("no name"));
  EXPECT_EQ(report.rejects[1].line, 65u);
  EXPECT_THAT(report.rejects[1].reason, HasSubstr("duplicate"));
  ASSERT_EQ(sink.entities.size(), 3u);

  const Entity& anna = sink.entities[0];
  EXPECT_EQ(anna.id, "un:XXi.001");
  EXPECT_EQ(anna.PrimaryName(), "ANNA MARIA EXAMPLE");
  EXPECT_THAT(NamesOfKind(anna, NameKind::kStrongAlias), ElementsAre("Анна", "Ann"));
  EXPECT_THAT(NamesOfKind(anna, NameKind::kPrevious), ElementsAre("Anna Old"));
  EXPECT_THAT(NamesOfKind(anna, NameKind::kLowQualityAlias), ElementsAre("Nana"));
  EXPECT_THAT(DatesOfKind(anna, DateKind::kBirth), ElementsAre("1960", "1961", "1962", "1958"));
  EXPECT_THAT(anna.programs, ElementsAre("Iraq"));
  EXPECT_THAT(PropertyValues(anna, "gender"), ElementsAre("Female"));
  EXPECT_THAT(PropertyValues(anna, "title"), ElementsAre("Dr."));
  const Country* nationality = FindCountry(anna, CountryRole::kNationality);
  ASSERT_NE(nationality, nullptr);
  EXPECT_EQ(nationality->label, "Iraq");
  EXPECT_EQ(nationality->code, CountryCode("Iraq"));

  ASSERT_EQ(anna.identifiers.size(), 2u);
  EXPECT_EQ(anna.identifiers[0].kind, IdKind::kNationalId);
  EXPECT_EQ(anna.identifiers[0].value, "12345");
  EXPECT_EQ(anna.identifiers[0].label, "National Identification Number (Civil ID)");
  EXPECT_EQ(anna.identifiers[0].country, CountryCode("Iraq"));
  EXPECT_EQ(anna.identifiers[1].kind, IdKind::kPassport);
  EXPECT_EQ(anna.identifiers[1].value, "P-9");

  // No REFERENCE_NUMBER: the DATAID stands in.
  const Entity& cdata = sink.entities[1];
  EXPECT_EQ(cdata.id, "un:3");
  EXPECT_EQ(cdata.PrimaryName(), "CDATA NAME");
  EXPECT_TRUE(cdata.programs.empty());

  const Entity& company = sink.entities[2];
  EXPECT_EQ(company.schema, Schema::kOrganization);
  ASSERT_EQ(company.addresses.size(), 1u);
  EXPECT_EQ(company.addresses[0].full, "1 Main St, Town, North, 999, Iraq");
  EXPECT_EQ(company.addresses[0].region, "North");
  EXPECT_EQ(company.addresses[0].postal_code, "999");
  EXPECT_THAT(PropertyValues(company, "address_note"), ElementsAre("as of 2020"));
}

TEST(UnLoaderTest, DoctypeEntitiesAreNotExpanded) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(
      "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x \"EXPANDED\">]>\n"
      "<CONSOLIDATED_LIST><ENTITIES><ENTITY><REFERENCE_NUMBER>R1"
      "</REFERENCE_NUMBER><FIRST_NAME>A &x; B</FIRST_NAME></ENTITY>"
      "</ENTITIES></CONSOLIDATED_LIST>",
      sink, report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(sink.entities.size(), 1u);
  EXPECT_EQ(sink.entities[0].PrimaryName().find("EXPANDED"), std::string::npos);
}

TEST(UnLoaderTest, ByteOrderMarkAndCrlfKeepLineNumbers) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<CONSOLIDATED_LIST>\r\n<ENTITIES>\r\n"
      "<ENTITY><REFERENCE_NUMBER>R1</REFERENCE_NUMBER><FIRST_NAME>Ok</FIRST_NAME></ENTITY>\r\n"
      "<ENTITY><REFERENCE_NUMBER>R2</REFERENCE_NUMBER></ENTITY>\r\n"
      "</ENTITIES></CONSOLIDATED_LIST>\r\n",
      sink, report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(sink.entities.size(), 1u);
  ASSERT_EQ(report.rejects.size(), 1u);
  EXPECT_EQ(report.rejects[0].line, 5u);
}

TEST(UnLoaderTest, CharacterReferencesCannotSmuggleInvalidUtf8) {
  CollectingSink sink;
  LoadReport report;
  Status status = LoadText(
      "<CONSOLIDATED_LIST><ENTITIES><ENTITY><REFERENCE_NUMBER>R1"
      "</REFERENCE_NUMBER><FIRST_NAME>A&#xD800;B &#x41;</FIRST_NAME></ENTITY>"
      "</ENTITIES></CONSOLIDATED_LIST>",
      sink, report);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(sink.entities.size(), 1u);
  const std::string& name = sink.entities[0].PrimaryName();
  EXPECT_EQ(FindInvalidUtf8(name), std::string::npos);
  EXPECT_THAT(name, StartsWith("A\xEF\xBF\xBD"));
  EXPECT_THAT(name, ::testing::EndsWith("B A"));
}

}  // namespace
}  // namespace icts::refdata
