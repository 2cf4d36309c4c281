#include "refdata/curated_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/file.h"
#include "refdata/loader.h"
#include "refdata/model.h"
#include "tests/test_util.h"

namespace icts::refdata {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Loaded {
  Status status;
  CollectingSink sink;
  LoadReport report;
};

Loaded Load(std::string_view yaml, const std::string& path = "t.yaml") {
  Loaded out;
  out.status = LoadCurated(Input{path, yaml}, out.sink, out.report);
  return out;
}

// 1-based line of the first line that contains `marker`.
uint64_t LineOf(std::string_view text, std::string_view marker) {
  size_t at = text.find(marker);
  EXPECT_NE(at, std::string_view::npos) << marker;
  return 1 + static_cast<uint64_t>(std::count(text.begin(), text.begin() + at, '\n'));
}

const Property* FindProperty(const Entity& e, std::string_view key) {
  for (const Property& p : e.properties) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

bool HasDate(const Entity& e, DateKind kind) {
  return std::any_of(e.dates.begin(), e.dates.end(),
                     [kind](const DateFact& d) { return d.kind == kind; });
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

constexpr std::string_view kFullDocument = R"yaml(# A document that uses every field.
source:
  id: test-source
  title: Test registry
  published: 2026-03-23
  description: >-
    Two entities and one relation.
entities:
  - id: acme-holdings
    schema: Company
    names:
      - Acme Holdings Co., Ltd.
      - {name: 艾克米控股有限公司, kind: strong}
      - {name: Acme, kind: weak}
      - {name: Acme Old Name, kind: previous}
      - Acme Holdings
    countries:
      - {code: CN, role: headquarters}
      - {code: HK, role: incorporation}
      - {code: US}
    identifiers:
      - {kind: lei, value: "529900T8BM49AURSDO55"}
      - {kind: uscc, value: "91440300192203821E"}
      - {kind: website, value: "https://acme.example", label: Web}
    addresses:
      - {full: "1 Main Road, Shenzhen", city: Shenzhen, country: CN}
      - {street: 2 Side Street, city: Hong Kong, country: HK}
    lists: [Test List, Other List]
    programs: [TEST-PROGRAM]
    topics: [ict.vendor, telecom.equipment]
    dates:
      - {kind: listed, value: 2021-03-12}
      - {kind: incorporation, value: 1987}
      - {kind: other, value: 2001-11}
    properties:
      scope: "Telecommunications equipment, to the extent used for X"
      note: plain text
    citations:
      - fact: listed
        text: "Test Notice 1 (2021-03-12)"
        url: https://example.gov/notice
        effective: 2021-03-12
        verification: V
      - {fact: headquarters, text: "Annual report", verification: S}
  - id: acme-usa
    schema: Organization
    names: [Acme USA Inc.]
    citations:
      - {text: "Unverified note", verification: M}
relations:
  - kind: ownership
    from: icts:acme-holdings
    to: icts:acme-usa
    share: 25-50%
    role: parent
    start: 2001-11-30
    citations:
      - {fact: parent, text: "Annual report", verification: S}
  - kind: control
    from: ofac-sdn:306
    to: icts:acme-holdings
    citations:
      - {fact: parent, text: "Press report", verification: M}
)yaml";

TEST(CuratedLoader, LoadsEveryField) {
  Loaded l = Load(kFullDocument);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rejected, 0u);
  EXPECT_EQ(l.report.rows, 4u);
  EXPECT_EQ(l.report.entities, 2u);
  EXPECT_EQ(l.report.relations, 2u);
  EXPECT_EQ(l.report.published, "2026-03-23");
  ASSERT_EQ(l.sink.entities.size(), 2u);
  ASSERT_EQ(l.sink.relations.size(), 2u);

  const Entity& e = l.sink.entities[0];
  EXPECT_EQ(e.id, "icts:acme-holdings");
  EXPECT_EQ(e.source_id, "acme-holdings");
  EXPECT_EQ(e.schema, Schema::kCompany);
  ASSERT_EQ(e.names.size(), 5u);
  EXPECT_EQ(e.PrimaryName(), "Acme Holdings Co., Ltd.");
  EXPECT_EQ(e.names[0].kind, NameKind::kPrimary);
  EXPECT_EQ(e.names[1].value, "艾克米控股有限公司");
  EXPECT_EQ(e.names[1].kind, NameKind::kStrongAlias);
  EXPECT_EQ(e.names[2].kind, NameKind::kWeakAlias);
  EXPECT_EQ(e.names[3].kind, NameKind::kPrevious);
  EXPECT_EQ(e.names[4].kind, NameKind::kStrongAlias);  // Plain alias.

  ASSERT_EQ(e.countries.size(), 3u);
  EXPECT_EQ(e.countries[0].code, "CN");
  EXPECT_EQ(e.countries[0].role, CountryRole::kHeadquarters);
  EXPECT_EQ(e.countries[1].role, CountryRole::kIncorporation);
  EXPECT_EQ(e.countries[2].role, CountryRole::kUnspecified);

  ASSERT_EQ(e.identifiers.size(), 3u);
  EXPECT_EQ(e.identifiers[0].kind, IdKind::kLei);
  EXPECT_EQ(e.identifiers[0].value, "529900T8BM49AURSDO55");
  EXPECT_EQ(e.identifiers[1].kind, IdKind::kOther);
  EXPECT_EQ(e.identifiers[1].label, "uscc");
  EXPECT_EQ(e.identifiers[2].kind, IdKind::kWebsite);
  EXPECT_EQ(e.identifiers[2].label, "Web");

  ASSERT_EQ(e.addresses.size(), 2u);
  EXPECT_EQ(e.addresses[0].full, "1 Main Road, Shenzhen");
  EXPECT_EQ(e.addresses[0].city, "Shenzhen");
  EXPECT_EQ(e.addresses[0].country, "CN");
  EXPECT_THAT(e.addresses[1].full, StartsWith("2 Side Street, Hong Kong, "));

  EXPECT_EQ(e.lists, (std::vector<std::string>{"Test List", "Other List"}));
  EXPECT_EQ(e.programs, (std::vector<std::string>{"TEST-PROGRAM"}));
  EXPECT_EQ(e.topics, (std::vector<std::string>{"ict.vendor", "telecom.equipment"}));

  ASSERT_EQ(e.dates.size(), 3u);
  EXPECT_EQ(e.dates[0].kind, DateKind::kListed);
  EXPECT_EQ(e.dates[0].value, "2021-03-12");
  EXPECT_EQ(e.dates[1].kind, DateKind::kIncorporation);
  EXPECT_EQ(e.dates[1].value, "1987");
  EXPECT_EQ(e.dates[2].value, "2001-11");

  ASSERT_NE(FindProperty(e, "scope"), nullptr);
  EXPECT_EQ(FindProperty(e, "scope")->value,
            "Telecommunications equipment, to the extent used for X");
  ASSERT_NE(FindProperty(e, "note"), nullptr);
  ASSERT_NE(FindProperty(e, "curated_source"), nullptr);
  EXPECT_EQ(FindProperty(e, "curated_source")->value, "test-source");

  ASSERT_EQ(e.citations.size(), 2u);
  EXPECT_EQ(e.citations[0].fact, "listed");
  EXPECT_EQ(e.citations[0].text, "Test Notice 1 (2021-03-12)");
  EXPECT_EQ(e.citations[0].url, "https://example.gov/notice");
  EXPECT_EQ(e.citations[0].effective, "2021-03-12");
  EXPECT_EQ(e.citations[0].verification, Verification::kVerified);
  EXPECT_EQ(e.citations[1].verification, Verification::kSecondary);

  const Entity& usa = l.sink.entities[1];
  EXPECT_EQ(usa.schema, Schema::kOrganization);
  EXPECT_EQ(usa.citations[0].verification, Verification::kUnverified);
  EXPECT_TRUE(usa.citations[0].fact.empty());
  ASSERT_NE(FindProperty(usa, "curated_source"), nullptr);

  const Relation& r = l.sink.relations[0];
  EXPECT_EQ(r.kind, RelationKind::kOwnership);
  EXPECT_EQ(r.from_id, "icts:acme-holdings");
  EXPECT_EQ(r.to_id, "icts:acme-usa");
  EXPECT_DOUBLE_EQ(r.share_min, 25);
  EXPECT_DOUBLE_EQ(r.share_max, 50);
  EXPECT_EQ(r.role, "parent");
  EXPECT_EQ(r.start_date, "2001-11-30");
  ASSERT_EQ(r.citations.size(), 1u);
  EXPECT_EQ(r.citations[0].fact, "parent");

  const Relation& r2 = l.sink.relations[1];
  EXPECT_EQ(r2.kind, RelationKind::kControl);
  EXPECT_EQ(r2.from_id, "ofac-sdn:306");
  EXPECT_TRUE(std::isnan(r2.share_min));
  EXPECT_TRUE(std::isnan(r2.share_max));
}

TEST(CuratedLoader, EmptyListsAreFine) {
  Loaded l = Load("source: {id: s, title: T}\nentities: []\nrelations:\n");
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 0u);
  EXPECT_TRUE(l.report.published.empty());
}

TEST(CuratedLoader, ByteOrderMarkIsSkipped) {
  Loaded l = Load("\xEF\xBB\xBFsource: {id: s, title: T}\n");
  EXPECT_TRUE(l.status.ok()) << l.status.ToString();
}

// --- File-level errors -----------------------------------------------------

struct FileErrorCase {
  const char* name;
  const char* yaml;
  const char* prefix;   // Expected start of the message ("t.yaml:L:C: ").
  const char* message;  // Expected part of the message.
};

void PrintTo(const FileErrorCase& c, std::ostream* os) { *os << c.name; }

class CuratedFileError : public ::testing::TestWithParam<FileErrorCase> {};

TEST_P(CuratedFileError, FailsWithLocation) {
  const FileErrorCase& c = GetParam();
  Loaded l = Load(c.yaml);
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(l.status.message(), StartsWith(c.prefix));
  EXPECT_THAT(l.status.message(), HasSubstr(c.message));
  EXPECT_TRUE(l.sink.entities.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CuratedFileError,
    ::testing::Values(
        FileErrorCase{"MissingSourceId", "source:\n  title: T\nentities: []\n",
                      "t.yaml:2:3: ", "source.id is required"},
        FileErrorCase{"MissingSourceTitle", "source:\n  id: s\n",
                      "t.yaml:2:3: ", "source.title is required"},
        FileErrorCase{"MissingSource", "entities: []\n", "t.yaml:1:1: ", "source is required"},
        FileErrorCase{"BadSourceId", "source: {id: Bad Id, title: T}\n",
                      "t.yaml:1:14: ", "source.id 'Bad Id'"},
        FileErrorCase{"BadPublished", "source: {id: s, title: T, published: 2026-02-30}\n",
                      "t.yaml:1:38: ", "source.published"},
        FileErrorCase{"UnknownTopLevelKey", "source: {id: s, title: T}\nentity: []\n",
                      "t.yaml:2:1: ", "unknown key 'entity'"},
        FileErrorCase{"UnknownSourceKey", "source:\n  id: s\n  title: T\n  url: x\n",
                      "t.yaml:4:3: ", "unknown key 'url'"},
        FileErrorCase{"DuplicateTopLevelKey",
                      "source: {id: s, title: T}\nentities: []\nentities: []\n",
                      "t.yaml:3:1: ", "given twice"},
        FileErrorCase{"EntitiesNotAList", "source: {id: s, title: T}\nentities: {id: x}\n",
                      "t.yaml:2:11: ", "entities: expected a list"},
        FileErrorCase{"NotAMapping", "- a\n- b\n", "t.yaml:1:1: ", "expected a mapping"},
        FileErrorCase{"Empty", "", "t.yaml:1:1: ", "empty document"},
        FileErrorCase{"TwoDocuments",
                      "source: {id: s, title: T}\n---\nsource: {id: t, "
                      "title: U}\n",
                      "t.yaml:2:1: ", "more than one YAML document"},
        FileErrorCase{"SyntaxErrorUnclosedFlow",
                      "source: {id: s, title: T}\nentities:\n  - {id: x, "
                      "names: [a\n",
                      "t.yaml:", "end of"},
        FileErrorCase{"SyntaxErrorBadIndent", "source:\n  id: s\n title: T\n", "t.yaml:3:", ""},
        FileErrorCase{"TooDeep",
                      "source: {id: s, title: T}\nx: [[[[[[[[[[[[[["
                      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                      "[[[[[[[[[[]]]\n",
                      "t.yaml:2:1: ", "nesting deeper than"}),
    [](const ::testing::TestParamInfo<FileErrorCase>& p) { return std::string(p.param.name); });

TEST(CuratedLoader, SyntaxErrorGivesOneBasedLineAndColumn) {
  // The tab before "title" is illegal indentation on line 3.
  Loaded l = Load("source:\n  id: s\n\ttitle: T\n");
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(l.status.message(), StartsWith("t.yaml:3:1: "));
}

TEST(CuratedLoader, InvalidUtf8IsDataLoss) {
  Loaded l = Load("source: {id: s, title: T}\nentities:\n  - id: \xC3\x28\n");
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(l.status.message(), StartsWith("t.yaml:3:9: "));
  EXPECT_THAT(l.status.message(), HasSubstr("UTF-8"));
}

TEST(CuratedLoader, ControlCharactersAreRefused) {
  Loaded l = Load("source: {id: s, title: \"T\x01\"}\n");
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(l.status.message(), StartsWith("t.yaml:1:26: control character U+0001"));
}

TEST(CuratedLoader, NulBytesCannotMakeEndlessDocuments) {
  // Found by fuzzing: yaml-cpp reads NUL as the end of the input and used to
  // produce empty documents without end.
  const char input_bytes[] = ",uosrce: {id: a, title: \0\0\0\0T}\n- U}\n..;\0.\n";
  Loaded l = Load(std::string_view(input_bytes, sizeof(input_bytes) - 1));
  ASSERT_FALSE(l.status.ok());
  EXPECT_THAT(l.status.message(), HasSubstr("control character U+0000"));
}

TEST(CuratedLoader, DeepBlockNestingIsRefused) {
  std::string yaml = "source: {id: s, title: T}\nx:\n";
  for (int i = 0; i < 200; ++i) yaml += std::string(i + 1, ' ') + "- \n";
  Loaded l = Load(yaml);
  ASSERT_FALSE(l.status.ok());
  EXPECT_THAT(l.status.message(), HasSubstr("nesting deeper than"));
}

TEST(CuratedLoader, CompactNestingOnOneLineIsRefused) {
  std::string yaml = "source: {id: s, title: T}\nx: ";
  for (int i = 0; i < 5000; ++i) yaml += "- ";
  yaml += "a\n";
  Loaded l = Load(yaml);
  ASSERT_FALSE(l.status.ok());
  EXPECT_THAT(l.status.message(), HasSubstr("nesting deeper than"));
}

TEST(CuratedLoader, AliasExpansionIsRefused) {
  // One anchored entity with a long name listed twenty times, then named
  // again by four hundred aliases: a few kilobytes that would otherwise
  // expand to megabytes of entities.
  std::string yaml =
      "source: {id: s, title: T}\nentities:\n"
      "  - &e {id: a, schema: Company, citations: [{text: t, verification: M}],"
      " names: [&n " +
      std::string(100, 'n') + "], lists: &l [*n";
  for (int i = 0; i < 19; ++i) yaml += ", *n";
  yaml += "]}\n";
  for (int i = 0; i < 400; ++i) yaml += "  - *e\n";
  Loaded l = Load(yaml);
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(l.status.message(), HasSubstr("expands far beyond its size"));
}

TEST(CuratedLoader, ModestAliasUseIsAccepted) {
  Loaded l = Load(
      "source: {id: s, title: T}\n"
      "entities:\n"
      "  - id: a\n"
      "    schema: Company\n"
      "    names: [A Co]\n"
      "    citations: [&c {text: Shared notice, verification: S}]\n"
      "  - id: b\n"
      "    schema: Company\n"
      "    names: [B Co]\n"
      "    citations: [*c]\n");
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.entities, 2u);
  EXPECT_EQ(l.sink.entities[1].citations[0].text, "Shared notice");
}

// --- Rejected entities and relations ----------------------------------------

struct RejectCase {
  const char* name;
  const char* item;    // One entities: or relations: item, indented by 2.
  const char* reason;  // Expected part of the reject reason.
};

constexpr std::string_view kRejectHeader = R"(source:
  id: test
  title: Test
entities:
  - id: good
    schema: Company
    names: [Good Co]
    citations: [{text: t, verification: V}]
)";

constexpr std::string_view kRelationsHeader = "relations:\n";

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.name; }

class CuratedEntityReject : public ::testing::TestWithParam<RejectCase> {};

TEST_P(CuratedEntityReject, SkipsTheEntityAndReportsItsLine) {
  const RejectCase& c = GetParam();
  std::string yaml = std::string(kRejectHeader) + "  # bad\n" + c.item +
                     "  - id: after\n    schema: Company\n    names: [After]\n"
                     "    citations: [{text: t, verification: S}]\n";
  Loaded l = Load(yaml);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 3u);
  EXPECT_EQ(l.report.entities, 2u);
  EXPECT_EQ(l.report.rejected, 1u);
  ASSERT_EQ(l.report.rejects.size(), 1u);
  EXPECT_EQ(l.report.rejects[0].file, "t.yaml");
  EXPECT_EQ(l.report.rejects[0].line, LineOf(yaml, "# bad") + 1);
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr(c.reason));
  ASSERT_EQ(l.sink.entities.size(), 2u);
  EXPECT_EQ(l.sink.entities[0].id, "icts:good");
  EXPECT_EQ(l.sink.entities[1].id, "icts:after");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CuratedEntityReject,
    ::testing::Values(RejectCase{"MissingId",
                                 "  - schema: Company\n    names: [X]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "id is required"},
                      RejectCase{"BadId",
                                 "  - id: Has Space\n    schema: Company\n    names: [X]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "id 'Has Space'"},
                      RejectCase{"UnknownSchema",
                                 "  - id: x\n    schema: Firm\n    names: [X]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "unknown schema 'Firm'"},
                      RejectCase{"VesselIsNotCurated",
                                 "  - id: x\n    schema: Vessel\n    names: [X]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "unknown schema 'Vessel'"},
                      RejectCase{"MissingSchema",
                                 "  - id: x\n    names: [X]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "schema is required"},
                      RejectCase{"NoNames",
                                 "  - id: x\n    schema: Company\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "at least one name"},
                      RejectCase{"EmptyNames",
                                 "  - id: x\n    schema: Company\n    names: []\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "at least one name"},
                      RejectCase{"BlankName",
                                 "  - id: x\n    schema: Company\n    names: [\"  \"]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "names[1]: empty value"},
                      RejectCase{"KindOnPrimaryName",
                                 "  - id: x\n    schema: Company\n"
                                 "    names: [{name: X, kind: weak}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "primary name and takes no kind"},
                      RejectCase{"UnknownNameKind",
                                 "  - id: x\n    schema: Company\n"
                                 "    names: [X, {name: Y, kind: alias}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "names[2].kind: unknown kind 'alias'"},
                      RejectCase{"UnknownKeyInName",
                                 "  - id: x\n    schema: Company\n"
                                 "    names: [X, {name: Y, lang: zh}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "unknown key 'lang'"},
                      RejectCase{"NoCitation", "  - id: x\n    schema: Company\n    names: [X]\n",
                                 "at least one citation"},
                      RejectCase{"EmptyCitations",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    citations: []\n",
                                 "at least one citation"},
                      RejectCase{"BadVerificationTag",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    citations:\n      - {text: t, verification: X}\n",
                                 "citations[1].verification: 'X' is not V, S or M"},
                      RejectCase{"LowerCaseVerificationTag",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    citations:\n      - {text: t, verification: v}\n",
                                 "is not V, S or M"},
                      RejectCase{"MissingVerification",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    citations:\n      - {text: t}\n",
                                 "verification is required"},
                      RejectCase{"MissingCitationText",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    citations:\n      - {fact: listed, verification: V}\n",
                                 "text is required"},
                      RejectCase{"BadCitationUrl",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    citations:\n"
                                 "      - {text: t, url: www.fcc.gov, verification: V}\n",
                                 "not an http(s) address"},
                      RejectCase{"BadCitationDate",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    citations:\n"
                                 "      - {text: t, effective: 03/12/2021, verification: V}\n",
                                 "'03/12/2021' is not a date"},
                      RejectCase{"CountryName",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    countries: [{code: China, role: headquarters}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "'China' is not an ISO 3166-1 alpha-2 code"},
                      RejectCase{"LowerCaseCountry",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    countries: [{code: cn}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "'cn' is not an ISO 3166-1 alpha-2 code"},
                      RejectCase{"UnknownCountryRole",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    countries: [{code: CN, role: office}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "unknown role 'office'"},
                      RejectCase{"BadAddressCountry",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    addresses: [{city: Moscow, country: RUS}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "addresses[1].country"},
                      RejectCase{"IdentifierWithoutValue",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    identifiers: [{kind: lei}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "identifiers[1].value is required"},
                      RejectCase{"BadMonth",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    dates: [{kind: listed, value: 2021-13-01}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "'2021-13-01' is not a date"},
                      RejectCase{"BadPartialMonth",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    dates: [{kind: listed, value: 2021-00}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "'2021-00' is not a date"},
                      RejectCase{"UnknownDateKind",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    dates: [{kind: added, value: 2021-03-12}]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "unknown kind 'added'"},
                      RejectCase{"UnknownEntityKey",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    aliases: [Y]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "unknown key 'aliases'"},
                      RejectCase{"DuplicateKeyInEntity",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    names: [Y]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "key 'names' given twice"},
                      RejectCase{"ListIsNotAList",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    lists: FCC Covered List\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "lists: expected a list"},
                      RejectCase{"NestedProperty",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    properties: {scope: [a, b]}\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "properties.scope: expected text"},
                      RejectCase{"ReservedProperty",
                                 "  - id: x\n    schema: Company\n    names: [X]\n"
                                 "    properties: {curated_source: other}\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "reserved"},
                      RejectCase{"DuplicateId",
                                 "  - id: good\n    schema: Company\n    names: [Again]\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "duplicate id (first defined at line 5)"},
                      RejectCase{"NotAMapping", "  - just a string\n",
                                 "entity: expected a mapping"}),
    [](const ::testing::TestParamInfo<RejectCase>& p) { return std::string(p.param.name); });

class CuratedRelationReject : public ::testing::TestWithParam<RejectCase> {};

TEST_P(CuratedRelationReject, SkipsTheRelationAndReportsItsLine) {
  const RejectCase& c = GetParam();
  std::string yaml = std::string(kRejectHeader) + std::string(kRelationsHeader) + "  # bad\n" +
                     c.item +
                     "  - kind: linked_to\n    from: icts:good\n"
                     "    to: csl:abc\n"
                     "    citations: [{text: t, verification: S}]\n";
  Loaded l = Load(yaml);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 3u);
  EXPECT_EQ(l.report.entities, 1u);
  EXPECT_EQ(l.report.relations, 1u);
  ASSERT_EQ(l.report.rejects.size(), 1u);
  EXPECT_EQ(l.report.rejects[0].line, LineOf(yaml, "# bad") + 1);
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr(c.reason));
  ASSERT_EQ(l.sink.relations.size(), 1u);
  EXPECT_EQ(l.sink.relations[0].to_id, "csl:abc");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CuratedRelationReject,
    ::testing::Values(RejectCase{"MissingFrom",
                                 "  - kind: ownership\n    to: icts:good\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "from is required"},
                      RejectCase{"MissingTo",
                                 "  - kind: ownership\n    from: icts:good\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "to is required"},
                      RejectCase{"BareId",
                                 "  - kind: ownership\n    from: good\n    to: icts:x\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "'good' is not an entity id"},
                      RejectCase{"BadCuratedId",
                                 "  - kind: ownership\n    from: icts:Bad_Upper\n"
                                 "    to: icts:x\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "'icts:Bad_Upper' is not an entity id"},
                      RejectCase{"SelfLoop",
                                 "  - kind: ownership\n    from: icts:good\n    to: icts:good\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "same entity"},
                      RejectCase{"UnknownKind",
                                 "  - kind: parent\n    from: icts:good\n    to: icts:x\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "unknown kind 'parent'"},
                      RejectCase{"MissingKind",
                                 "  - from: icts:good\n    to: icts:x\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "kind is required"},
                      RejectCase{"NoCitation",
                                 "  - kind: ownership\n    from: icts:good\n    to: icts:x\n",
                                 "at least one citation"},
                      RejectCase{"BadTag",
                                 "  - kind: ownership\n    from: icts:good\n    to: icts:x\n"
                                 "    citations: [{text: t, verification: VS}]\n",
                                 "'VS' is not V, S or M"},
                      RejectCase{"UnparseableShare",
                                 "  - kind: ownership\n    from: icts:good\n    to: icts:x\n"
                                 "    share: majority\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "share: 'majority'"},
                      RejectCase{"ShareAboveHundred",
                                 "  - kind: ownership\n    from: icts:good\n    to: icts:x\n"
                                 "    share: 150%\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "share: '150%'"},
                      RejectCase{"BadStart",
                                 "  - kind: ownership\n    from: icts:good\n    to: icts:x\n"
                                 "    start: 2001-02-30\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "'2001-02-30' is not a date"},
                      RejectCase{"UnknownKey",
                                 "  - kind: ownership\n    from: icts:good\n    to: icts:x\n"
                                 "    since: 2001\n"
                                 "    citations: [{text: t, verification: V}]\n",
                                 "unknown key 'since'"}),
    [](const ::testing::TestParamInfo<RejectCase>& p) { return std::string(p.param.name); });

TEST(CuratedLoader, RejectReasonNamesTheLineOfTheFaultWhenItDiffers) {
  std::string yaml = std::string(kRejectHeader) +
                     "  - id: x\n    schema: Company\n    names: [X]\n"
                     "    citations:\n"
                     "      - {text: ok, verification: V}\n"
                     "      - {text: bad, verification: Q}\n";
  Loaded l = Load(yaml);
  ASSERT_EQ(l.report.rejects.size(), 1u);
  EXPECT_EQ(l.report.rejects[0].line, LineOf(yaml, "id: x"));
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr("entity 'x': citations[2].verification"));
  EXPECT_THAT(l.report.rejects[0].reason,
              HasSubstr("(line " + std::to_string(LineOf(yaml, "verification: Q")) + ")"));
}

// --- The shipped registry --------------------------------------------------

// Topic words the shipped files may use (docs/curated-format.md).
constexpr std::string_view kTopicVocabulary[] = {
    "ict.vendor",     "telecom.equipment",    "telecom.carrier", "surveillance",
    "drones",         "cellular.module",      "cloud",           "security.software",
    "semiconductors", "consumer.electronics", "state.owned",     "fcc.covered",
    "ndaa.889",       "icts.determination",   "export.control",  "sanction"};

bool IsKnownTopic(std::string_view topic) {
  return std::find(std::begin(kTopicVocabulary), std::end(kTopicVocabulary), topic) !=
         std::end(kTopicVocabulary);
}

class CuratedData : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::filesystem::path dir =
        std::filesystem::path(icts::testing::SourceDir()) / "data" / "curated";
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    std::vector<std::filesystem::path> files;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
      if (f.is_regular_file() && f.path().extension() == ".yaml") {
        files.push_back(f.path());
      }
    }
    std::sort(files.begin(), files.end());
    loaded_files = new std::vector<LoadedFile>();
    for (const auto& path : files) {
      Result<std::string> bytes = ReadFileToString(path.string());
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      LoadedFile lf;
      lf.name = path.filename().string();
      lf.status = LoadCurated(Input{lf.name, *bytes}, lf.sink, lf.report);
      loaded_files->push_back(std::move(lf));
    }
  }
  static void TearDownTestSuite() {
    delete loaded_files;
    loaded_files = nullptr;
  }

  struct LoadedFile {
    std::string name;
    Status status;
    CollectingSink sink;
    LoadReport report;
  };

  static const Entity* FindEntity(std::string_view id) {
    for (const LoadedFile& f : *loaded_files) {
      for (const Entity& e : f.sink.entities) {
        if (e.id == id) return &e;
      }
    }
    return nullptr;
  }

  static bool CitesText(const Entity& e, std::string_view text, Verification v) {
    return std::any_of(e.citations.begin(), e.citations.end(), [&](const Citation& c) {
      return c.text.find(text) != std::string::npos && c.verification == v;
    });
  }

  static std::vector<LoadedFile>* loaded_files;
};

std::vector<CuratedData::LoadedFile>* CuratedData::loaded_files = nullptr;

TEST_F(CuratedData, EveryFileLoadsWithoutRejects) {
  ASSERT_FALSE(loaded_files->empty());
  for (const LoadedFile& f : *loaded_files) {
    EXPECT_TRUE(f.status.ok()) << f.status.ToString();
    EXPECT_EQ(f.report.rejected, 0u) << f.name;
    for (const Reject& r : f.report.rejects) {
      ADD_FAILURE() << r.file << ":" << r.line << ": " << r.reason;
    }
    EXPECT_FALSE(f.report.published.empty()) << f.name;
    EXPECT_GT(f.report.entities, 0u) << f.name;
  }
}

TEST_F(CuratedData, EntityIdsAreUniqueAcrossFiles) {
  std::map<std::string, std::string> file_of;
  for (const LoadedFile& f : *loaded_files) {
    for (const Entity& e : f.sink.entities) {
      auto [it, inserted] = file_of.emplace(e.id, f.name);
      EXPECT_TRUE(inserted) << e.id << " is defined in " << it->second << " and in " << f.name;
    }
  }
}

TEST_F(CuratedData, CuratedRelationEndsResolve) {
  for (const LoadedFile& f : *loaded_files) {
    for (const Relation& r : f.sink.relations) {
      for (const std::string& end : {r.from_id, r.to_id}) {
        if (end.rfind("icts:", 0) == 0) {
          EXPECT_NE(FindEntity(end), nullptr) << f.name << ": relation " << r.from_id << " -> "
                                              << r.to_id << " names an undefined entity " << end;
        }
      }
    }
  }
}

TEST_F(CuratedData, EveryEntityIsCitedAndUsesKnownTopics) {
  for (const LoadedFile& f : *loaded_files) {
    for (const Entity& e : f.sink.entities) {
      EXPECT_FALSE(e.citations.empty()) << e.id;
      for (const Citation& c : e.citations) {
        EXPECT_NE(c.verification, Verification::kNone) << e.id;
      }
      for (const std::string& t : e.topics) {
        EXPECT_TRUE(IsKnownTopic(t)) << f.name << ": " << e.id << " uses unknown topic " << t;
      }
    }
  }
}

TEST_F(CuratedData, KasperskyFamily) {
  const Entity* inc = FindEntity("icts:kaspersky-lab-inc");
  ASSERT_NE(inc, nullptr);
  EXPECT_TRUE(CitesText(*inc, "89 FR 52434", Verification::kVerified));
  EXPECT_TRUE(Contains(inc->topics, "icts.determination"));
  EXPECT_TRUE(Contains(inc->topics, "security.software"));
  for (const char* id :
       {"icts:kaspersky-lab-ao", "icts:kaspersky-group-ooo", "icts:kaspersky-labs-limited"}) {
    const Entity* e = FindEntity(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_TRUE(CitesText(*e, "89 FR 52362", Verification::kSecondary)) << id;
    EXPECT_TRUE(HasDate(*e, DateKind::kListed)) << id;
  }
  const Entity* ao = FindEntity("icts:kaspersky-lab-ao");
  EXPECT_TRUE(Contains(ao->programs, "FCC-COVERED-LIST"));
  EXPECT_EQ(ao->countries.at(0).code, "RU");
  EXPECT_EQ(FindEntity("icts:kaspersky-labs-limited")->countries.at(0).code, "GB");
}

TEST_F(CuratedData, SectionEightEightNineCompanies) {
  for (const char* id : {"icts:huawei-technologies", "icts:zte-corporation",
                         "icts:hytera-communications", "icts:hikvision", "icts:dahua-technology"}) {
    const Entity* e = FindEntity(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_TRUE(Contains(e->lists, "Section 889 (FY2019 NDAA)")) << id;
    EXPECT_TRUE(Contains(e->programs, "NDAA-889")) << id;
    EXPECT_TRUE(Contains(e->topics, "ndaa.889")) << id;
    EXPECT_TRUE(Contains(e->lists, "FCC Covered List")) << id;
    EXPECT_TRUE(Contains(e->programs, "FCC-COVERED-LIST")) << id;
    EXPECT_NE(FindProperty(*e, "scope"), nullptr) << id;
    EXPECT_NE(FindProperty(*e, "ndaa_889_scope"), nullptr) << id;
    EXPECT_TRUE(CitesText(*e, "Pub. L. 115-232", Verification::kVerified)) << id;
    EXPECT_EQ(e->countries.at(0).code, "CN") << id;
  }
}

TEST_F(CuratedData, CoveredListEntriesAreDated) {
  int covered = 0;
  for (const LoadedFile& f : *loaded_files) {
    for (const Entity& e : f.sink.entities) {
      if (!Contains(e.programs, "FCC-COVERED-LIST")) continue;
      // Other files may tag affiliates; count only the entries themselves.
      const Property* source = FindProperty(e, "curated_source");
      if (source == nullptr || (source->value != "fcc-covered-list" &&
                                source->value != "ndaa-889" && source->value != "kaspersky")) {
        continue;
      }
      ++covered;
      EXPECT_TRUE(Contains(e.lists, "FCC Covered List")) << e.id;
      EXPECT_TRUE(Contains(e.topics, "fcc.covered")) << e.id;
      EXPECT_TRUE(HasDate(e, DateKind::kListed)) << e.id;
      EXPECT_NE(FindProperty(e, "scope"), nullptr) << e.id;
    }
  }
  // Defined in this project's list files: five companies listed in 2021,
  // six in 2022 and the two UAS companies of 2025.
  EXPECT_EQ(covered, 13);
  for (const char* id : {"icts:china-mobile-international-usa", "icts:china-telecom-americas",
                         "icts:pacific-network-corp", "icts:comnet-usa",
                         "icts:china-unicom-americas", "icts:dji", "icts:autel-robotics"}) {
    EXPECT_NE(FindEntity(id), nullptr) << id;
  }
}

}  // namespace
}  // namespace icts::refdata
