#include "refdata/ofac_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file.h"
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

constexpr std::string_view kSdnListName =
    "Specially Designated Nationals (SDN) - Treasury Department";
constexpr std::string_view kCmicListName =
    "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - "
    "Treasury Department";
constexpr std::string_view kSsiListName =
    "Sectoral Sanctions Identifications List (SSI) - Treasury Department";

// ---------------------------------------------------------------------------
// Helpers.

struct Loaded {
  Status status;
  CollectingSink sink;
  LoadReport report;

  const Entity* Find(std::string_view id) const {
    for (const Entity& e : sink.entities) {
      if (e.id == id) return &e;
    }
    return nullptr;
  }
  const Entity* FindByName(std::string_view name) const {
    for (const Entity& e : sink.entities) {
      if (e.PrimaryName() == name) return &e;
    }
    return nullptr;
  }
  std::vector<const Relation*> RelationsFrom(std::string_view id) const {
    std::vector<const Relation*> out;
    for (const Relation& r : sink.relations) {
      if (r.from_id == id) out.push_back(&r);
    }
    return out;
  }
};

// Loads an in-memory set. An empty string for a side file means "absent".
Loaded LoadText(OfacList list, std::string_view main, std::string_view addresses = {},
                std::string_view aliases = {}, std::string_view comments = {}) {
  OfacInputs inputs;
  inputs.main = Input{"sdn.csv", main};
  if (!addresses.empty()) inputs.addresses = Input{"add.csv", addresses};
  if (!aliases.empty()) inputs.aliases = Input{"alt.csv", aliases};
  if (!comments.empty()) inputs.comments = Input{"sdn_comments.csv", comments};
  Loaded out;
  out.status = LoadOfac(inputs, list, out.sink, out.report);
  return out;
}

// One main row with the given name, type and remarks.
std::string MainRowText(std::string_view ent_num, std::string_view name, std::string_view type,
                        std::string_view remarks, std::string_view program = "SDGT") {
  std::ostringstream out;
  out << ent_num << ",\"" << name << "\"," << type << ",\"" << program
      << "\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
      << (remarks.empty() ? std::string("-0- ") : "\"" + std::string(remarks) + "\"") << "\r\n";
  return out.str();
}

bool HasName(const Entity& e, std::string_view value, NameKind kind) {
  return std::any_of(e.names.begin(), e.names.end(),
                     [&](const Name& n) { return n.value == value && n.kind == kind; });
}

bool HasAnyName(const Entity& e, std::string_view value) {
  return std::any_of(e.names.begin(), e.names.end(),
                     [&](const Name& n) { return n.value == value; });
}

const Identifier* FindId(const Entity& e, std::string_view value) {
  for (const Identifier& id : e.identifiers) {
    if (id.value == value) return &id;
  }
  return nullptr;
}

bool HasCountry(const Entity& e, std::string_view code, CountryRole role) {
  return std::any_of(e.countries.begin(), e.countries.end(),
                     [&](const Country& c) { return c.code == code && c.role == role; });
}

std::vector<std::string> Dates(const Entity& e, DateKind kind) {
  std::vector<std::string> out;
  for (const DateFact& d : e.dates) {
    if (d.kind == kind) out.push_back(d.value);
  }
  return out;
}

std::vector<std::string> Props(const Entity& e, std::string_view key) {
  std::vector<std::string> out;
  for (const Property& p : e.properties) {
    if (p.key == key) out.push_back(p.value);
  }
  return out;
}

// Loads a real set from the shared data folder (all four files).
struct RealSet {
  std::vector<MappedFile> files;
  Loaded loaded;
};

void LoadRealSet(const std::string& dir, OfacList list, RealSet* out) {
  OfacFileNames names = OfacFileNamesFor(list);
  OfacInputs inputs;
  std::pair<Input*, std::string> slots[] = {{&inputs.main, names.main},
                                            {&inputs.addresses, names.addresses},
                                            {&inputs.aliases, names.aliases},
                                            {&inputs.comments, names.comments}};
  out->files.reserve(4);
  for (auto& [input, name] : slots) {
    std::string path = dir + "/" + name;
    Result<MappedFile> file = MappedFile::Open(path);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    out->files.push_back(std::move(file).value());
    input->path = path;
    input->data = out->files.back().data();
  }
  out->loaded.status = LoadOfac(inputs, list, out->loaded.sink, out->loaded.report);
}

// Non-empty lines of a file, read with plain getline (independent of the
// CSV reader). A line holding only the DOS EOF byte does not count.
std::vector<std::string> PlainLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\x1A')) {
      line.pop_back();
    }
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The text before the first comma: the ent_num of every OFAC file.
std::string FirstField(const std::string& line) { return line.substr(0, line.find(',')); }

// Splits one line of the simple quoted layout OFAC writes (no line breaks
// inside fields), enough for the alias file.
std::vector<std::string> SplitQuotedLine(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(field);
  return fields;
}

std::string Trim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

// ---------------------------------------------------------------------------
// Real data: the 2021 SDN set.

class OfacSdn2021Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_ = new RealSet();
    if (std::filesystem::exists(Dir() + "/sdn.csv")) {
      LoadRealSet(Dir(), OfacList::kSdn, set_);
    }
  }
  static void TearDownTestSuite() {
    delete set_;
    set_ = nullptr;
  }
  static std::string Dir() { return icts::testing::SharedData("ofac-sdn-2021"); }
  const Loaded& loaded() const { return set_->loaded; }

  static RealSet* set_;
};

RealSet* OfacSdn2021Test::set_ = nullptr;

TEST_F(OfacSdn2021Test, RowsAndEntitiesMatchAnIndependentLineCount) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/sdn.csv");
  ASSERT_TRUE(loaded().status.ok()) << loaded().status.ToString();
  const size_t lines = PlainLines(Dir() + "/sdn.csv").size();
  EXPECT_EQ(lines, 8976u);  // As MANIFEST.md states.
  EXPECT_EQ(loaded().report.rows, lines);
  EXPECT_EQ(loaded().report.entities, lines);
  EXPECT_EQ(loaded().sink.entities.size(), lines);
  EXPECT_EQ(loaded().report.rejected, 0u);
  EXPECT_EQ(loaded().report.relations, loaded().sink.relations.size());

  std::set<std::string> ids;
  for (const Entity& e : loaded().sink.entities) {
    EXPECT_THAT(e.id, StartsWith("ofac-sdn:"));
    EXPECT_EQ(e.id, "ofac-sdn:" + e.source_id);
    EXPECT_FALSE(e.PrimaryName().empty());
    EXPECT_THAT(e.lists, ElementsAre(std::string(kSdnListName)));
    EXPECT_THAT(e.topics, ElementsAre("sanction"));
    ids.insert(e.id);
  }
  EXPECT_EQ(ids.size(), lines);
}

TEST_F(OfacSdn2021Test, EveryAliasRowBecomesANameOfItsEntity) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/alt.csv");
  ASSERT_TRUE(loaded().status.ok()) << loaded().status.ToString();
  std::map<std::string, const Entity*> by_id;
  for (const Entity& e : loaded().sink.entities) by_id[e.source_id] = &e;

  std::vector<std::string> lines = PlainLines(Dir() + "/alt.csv");
  EXPECT_EQ(lines.size(), 11910u);
  size_t found = 0;
  size_t previous = 0;
  size_t fka_rows = 0;
  for (const std::string& line : lines) {
    std::vector<std::string> f = SplitQuotedLine(line);
    ASSERT_EQ(f.size(), 5u) << line;
    auto it = by_id.find(Trim(f[0]));
    ASSERT_NE(it, by_id.end()) << line;
    std::string name = Trim(f[3]);
    if (HasAnyName(*it->second, name)) ++found;
    if (Trim(f[2]) == "fka") {
      ++fka_rows;
      if (HasName(*it->second, name, NameKind::kPrevious)) ++previous;
    }
  }
  EXPECT_EQ(found, lines.size());
  EXPECT_GT(fka_rows, 0u);
  EXPECT_EQ(previous, fka_rows);
}

TEST_F(OfacSdn2021Test, BancoNacionalDeCuba) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/sdn.csv");
  const Entity* e = loaded().Find("ofac-sdn:306");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->source_id, "306");
  EXPECT_EQ(e->PrimaryName(), "BANCO NACIONAL DE CUBA");
  EXPECT_EQ(e->schema, Schema::kOrganization);
  EXPECT_TRUE(HasName(*e, "NATIONAL BANK OF CUBA", NameKind::kStrongAlias));
  // OFAC publishes its weak a.k.a.s in the remarks.
  EXPECT_TRUE(HasName(*e, "BNC", NameKind::kWeakAlias));
  EXPECT_THAT(e->programs, ElementsAre("CUBA"));
  ASSERT_FALSE(e->addresses.empty());
  EXPECT_EQ(e->addresses[0].street, "Zweierstrasse 35");
  EXPECT_THAT(e->addresses[0].full, HasSubstr("Zurich"));
  EXPECT_EQ(e->addresses[0].country, "CH");
  EXPECT_TRUE(HasCountry(*e, "CH", CountryRole::kAddress));
  EXPECT_EQ(e->addresses.size(), 4u);
  EXPECT_THAT(Props(*e, "remarks"), ElementsAre("a.k.a. 'BNC'."));
}

TEST_F(OfacSdn2021Test, OverflowRemarksCarryIdsAndLinks) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/sdn_comments.csv");
  const Entity* lazarus = loaded().FindByName("LAZARUS GROUP");
  ASSERT_NE(lazarus, nullptr);

  // 28264: the ID number and the link are in the overflow file only.
  const Entity* li = loaded().Find("ofac-sdn:28264");
  ASSERT_NE(li, nullptr);
  EXPECT_EQ(li->schema, Schema::kPerson);
  const Identifier* id = FindId(*li, "210302198701102136");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->kind, IdKind::kNationalId);
  EXPECT_EQ(id->country, "CN");
  EXPECT_EQ(id->label, "Identification Number");
  EXPECT_TRUE(HasName(*li, "blackjack1987", NameKind::kWeakAlias));
  ASSERT_EQ(Props(*li, "remarks").size(), 1u);
  EXPECT_THAT(Props(*li, "remarks")[0], HasSubstr("Linked To: LAZARUS GROUP."));
  std::vector<const Relation*> rels = loaded().RelationsFrom(li->id);
  ASSERT_EQ(rels.size(), 1u);
  EXPECT_EQ(rels[0]->kind, RelationKind::kLinkedTo);
  EXPECT_EQ(rels[0]->to_id, lazarus->id);
  EXPECT_EQ(rels[0]->to_name, "LAZARUS GROUP");
  EXPECT_EQ(rels[0]->from_name, "LI, Jiadong");

  // 28263: an alias is split between sdn.csv ("a.k.a. 'snowsjo") and the
  // overflow ("hn'"); joined, it reads 'snowsjohn'.
  const Entity* tian = loaded().Find("ofac-sdn:28263");
  ASSERT_NE(tian, nullptr);
  EXPECT_TRUE(HasName(*tian, "snowsjohn", NameKind::kWeakAlias));
  EXPECT_FALSE(HasAnyName(*tian, "snowsjo"));
  ASSERT_EQ(loaded().RelationsFrom(tian->id).size(), 1u);
  EXPECT_EQ(loaded().RelationsFrom(tian->id)[0]->to_id, lazarus->id);
  const Identifier* tian_id = FindId(*tian, "321284198607120616");
  ASSERT_NE(tian_id, nullptr);
  EXPECT_EQ(tian_id->country, "CN");
}

TEST_F(OfacSdn2021Test, IndividualGetsBirthDatesAndReorderedName) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/sdn.csv");
  const Entity* e = loaded().Find("ofac-sdn:12300");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->PrimaryName(), "CIFUENTES VILLA, Jorge Milton");
  EXPECT_EQ(e->schema, Schema::kPerson);
  EXPECT_TRUE(HasName(*e, "Jorge Milton CIFUENTES VILLA", NameKind::kStrongAlias));
  EXPECT_THAT(Dates(*e, DateKind::kBirth), ElementsAre("1965-05-13", "1968-04-13", "1964-07-07"));
  EXPECT_THAT(Props(*e, "birth_place"), Contains("Medellin, Colombia"));
  EXPECT_TRUE(HasCountry(*e, "CO", CountryRole::kBirthPlace));
  const Identifier* passport = FindId(*e, "AL720622");
  ASSERT_NE(passport, nullptr);
  EXPECT_EQ(passport->kind, IdKind::kPassport);
  EXPECT_EQ(passport->country, "CO");
  // 11 links in sdn.csv and 14 more in the overflow; one name is split
  // between the two files ("PROMO RAI" + "Z S.A.S.").
  std::vector<const Relation*> rels = loaded().RelationsFrom(e->id);
  EXPECT_EQ(rels.size(), 25u);
  EXPECT_TRUE(std::any_of(rels.begin(), rels.end(),
                          [](const Relation* r) { return r->to_name == "PROMO RAIZ S.A.S."; }));
}

TEST_F(OfacSdn2021Test, MostLinksResolveInsideTheSet) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/sdn.csv");
  size_t resolved = 0;
  std::set<std::string> ids;
  for (const Entity& e : loaded().sink.entities) ids.insert(e.id);
  for (const Relation& r : loaded().sink.relations) {
    EXPECT_TRUE(ids.count(r.from_id)) << r.from_id;
    EXPECT_FALSE(r.to_name.empty());
    if (!r.to_id.empty()) {
      EXPECT_TRUE(ids.count(r.to_id)) << r.to_id;
      ++resolved;
    }
  }
  EXPECT_GT(loaded().sink.relations.size(), 3000u);
  // A handful name parties that are on other lists (e.g. the non-SDN list).
  EXPECT_GT(resolved * 100, loaded().sink.relations.size() * 99);
}

// ---------------------------------------------------------------------------
// Real data: the consolidated (non-SDN) set.

class OfacConsolidatedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_ = new RealSet();
    if (std::filesystem::exists(Dir() + "/cons_prim.csv")) {
      LoadRealSet(Dir(), OfacList::kConsolidated, set_);
    }
  }
  static void TearDownTestSuite() {
    delete set_;
    set_ = nullptr;
  }
  static std::string Dir() { return icts::testing::SharedData("ofac-nonsdn-cons"); }
  const Loaded& loaded() const { return set_->loaded; }

  static RealSet* set_;
};

RealSet* OfacConsolidatedTest::set_ = nullptr;

TEST_F(OfacConsolidatedTest, RowsMatchAnIndependentLineCount) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/cons_prim.csv");
  ASSERT_TRUE(loaded().status.ok()) << loaded().status.ToString();
  const size_t lines = PlainLines(Dir() + "/cons_prim.csv").size();
  EXPECT_EQ(lines, 442u);  // As MANIFEST.md states.
  EXPECT_EQ(loaded().report.rows, lines);
  EXPECT_EQ(loaded().report.entities, lines);
  EXPECT_EQ(loaded().report.rejected, 0u);
  for (const Entity& e : loaded().sink.entities) {
    EXPECT_THAT(e.id, StartsWith("ofac-cons:"));
    EXPECT_FALSE(e.lists.empty());
    EXPECT_THAT(e.lists, ::testing::Not(Contains(std::string(kSdnListName))));
  }
}

TEST_F(OfacConsolidatedTest, CmicCompaniesCarryProgramAndList) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/cons_prim.csv");
  const Entity* huawei = loaded().FindByName("HUAWEI TECHNOLOGIES CO., LTD.");
  ASSERT_NE(huawei, nullptr);
  EXPECT_EQ(huawei->id, "ofac-cons:30947");
  EXPECT_EQ(huawei->schema, Schema::kOrganization);
  EXPECT_THAT(huawei->programs, ElementsAre("CMIC-EO13959"));
  EXPECT_THAT(huawei->lists, ElementsAre(std::string(kCmicListName)));
  EXPECT_THAT(Dates(*huawei, DateKind::kListed), ElementsAre("2021-06-03"));
  const Identifier* uscc = FindId(*huawei, "914403001922038216");
  ASSERT_NE(uscc, nullptr);
  EXPECT_EQ(uscc->kind, IdKind::kRegistration);
  EXPECT_EQ(uscc->country, "CN");
  EXPECT_TRUE(HasCountry(*huawei, "CN", CountryRole::kAddress));

  const Entity* hik = loaded().FindByName("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.");
  ASSERT_NE(hik, nullptr);
  EXPECT_TRUE(HasName(*hik, "HIKVISION", NameKind::kStrongAlias));
  EXPECT_THAT(hik->lists, ElementsAre(std::string(kCmicListName)));
  EXPECT_THAT(Props(*hik, "target_type"), ElementsAre("Public Company"));

  // A CMIC subsidiary links to its parent by name.
  const Entity* holding = loaded().FindByName("HUAWEI INVESTMENT & HOLDING CO., LTD.");
  ASSERT_NE(holding, nullptr);
  std::vector<const Relation*> rels = loaded().RelationsFrom(holding->id);
  ASSERT_EQ(rels.size(), 1u);
  EXPECT_EQ(rels[0]->to_id, huawei->id);
}

TEST_F(OfacConsolidatedTest, SectoralEntriesGoToTheSsiList) {
  ICTS_REQUIRE_SHARED_DATA(Dir() + "/cons_prim.csv");
  const Entity* e = loaded().Find("ofac-cons:17016");  // Gazprombank.
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->programs, ElementsAre("UKRAINE-EO13662", "RUSSIA-EO14024"));
  EXPECT_THAT(e->lists, ElementsAre(std::string(kSsiListName)));
  const Identifier* lei = FindId(*e, "253400WSS48YWMBUA688");
  ASSERT_NE(lei, nullptr);
  EXPECT_EQ(lei->kind, IdKind::kLei);
  // The overflow file completes its remarks.
  const Identifier* reg = FindId(*e, "1027700167110");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->country, "RU");
}

// ---------------------------------------------------------------------------
// Real data: the small 2025 set.

TEST(OfacSmall2025Test, LoadsAllEntriesWithTheirRemarks) {
  const std::string dir = icts::testing::SharedData("ofac-small-2025");
  ICTS_REQUIRE_SHARED_DATA(dir + "/sdn.csv");
  RealSet set;
  LoadRealSet(dir, OfacList::kSdn, &set);
  const Loaded& loaded = set.loaded;
  ASSERT_TRUE(loaded.status.ok()) << loaded.status.ToString();
  EXPECT_EQ(loaded.report.rows, 17u);
  EXPECT_EQ(loaded.report.entities, 17u);

  // The sample was cut from the full list by ent_num, so some address and
  // alias rows belong to entries it does not hold. Those, and only those, are
  // rejected; no main row is.
  std::set<std::string> main_ids;
  for (const std::string& line : PlainLines(dir + "/sdn.csv")) {
    main_ids.insert(FirstField(line));
  }
  size_t orphans = 0;
  for (const char* side : {"add.csv", "alt.csv", "sdn_comments.csv"}) {
    for (const std::string& line : PlainLines(dir + "/" + side)) {
      if (!main_ids.count(FirstField(line))) ++orphans;
    }
  }
  EXPECT_EQ(loaded.report.rejected, orphans);
  for (const Reject& r : loaded.report.rejects) {
    EXPECT_THAT(r.file, ::testing::Not(HasSubstr("sdn.csv")));
    EXPECT_THAT(r.reason, HasSubstr("no main entry"));
    EXPECT_GT(r.line, 0u);
  }

  const Entity* lifshits = loaded.Find("ofac-sdn:29702");
  ASSERT_NE(lifshits, nullptr);
  const Identifier* xbt = FindId(*lifshits, "12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz");
  ASSERT_NE(xbt, nullptr);
  EXPECT_EQ(xbt->kind, IdKind::kCryptoWallet);
  EXPECT_EQ(xbt->label, "Digital Currency Address - XBT");
  const Identifier* eth = FindId(*lifshits, "0x901bb9583b24d97e995513c6778dc6888ab6870e");
  ASSERT_NE(eth, nullptr);
  EXPECT_EQ(eth->label, "Digital Currency Address - ETH");
  const Identifier* passport = FindId(*lifshits, "719032284");
  ASSERT_NE(passport, nullptr);
  EXPECT_EQ(passport->kind, IdKind::kPassport);
  EXPECT_EQ(passport->country, "");
  ASSERT_NE(FindId(*lifshits, "mycryptodeals@yandex.ru"), nullptr);
  EXPECT_EQ(FindId(*lifshits, "mycryptodeals@yandex.ru")->kind, IdKind::kEmail);
  EXPECT_EQ(Dates(*lifshits, DateKind::kBirth), std::vector<std::string>{"1992-12-26"});

  const Entity* khoroshev = loaded.Find("ofac-sdn:48603");
  ASSERT_NE(khoroshev, nullptr);
  const Identifier* kp = FindId(*khoroshev, "2018278055");
  ASSERT_NE(kp, nullptr);
  EXPECT_EQ(kp->kind, IdKind::kPassport);
  EXPECT_EQ(kp->country, "RU");
  EXPECT_TRUE(HasName(*khoroshev, "LOCKBITSUPP", NameKind::kWeakAlias));
  EXPECT_TRUE(HasName(*khoroshev, "Dmitry Yuryevich KHOROSHEV", NameKind::kStrongAlias));
  EXPECT_TRUE(HasCountry(*khoroshev, "RU", CountryRole::kNationality));
  EXPECT_TRUE(HasCountry(*khoroshev, "RU", CountryRole::kCitizenship));

  // SUEX: the overflow starts in the middle of a wallet address.
  const Entity* suex = loaded.Find("ofac-sdn:33151");
  ASSERT_NE(suex, nullptr);
  ASSERT_NE(FindId(*suex, "1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi"), nullptr);
  const Identifier* lei = FindId(*suex, "5299007NTWCC3U23WM81");
  ASSERT_NE(lei, nullptr);
  EXPECT_EQ(lei->kind, IdKind::kLei);
  EXPECT_EQ(lei->country, "CZ");
  EXPECT_TRUE(HasName(*suex, "SUCCESSFUL EXCHANGE", NameKind::kWeakAlias));
  EXPECT_THAT(Dates(*suex, DateKind::kIncorporation), ElementsAre("2018-09-25"));

  // The Iranian aircraft maker: bracketed programs, registration numbers.
  const Entity* hesa = loaded.Find("ofac-sdn:11195");
  ASSERT_NE(hesa, nullptr);
  EXPECT_EQ(hesa->schema, Schema::kOrganization);
  EXPECT_THAT(hesa->programs, ElementsAre("NPWMD", "IFSR", "IRAN-CON-ARMS-EO"));
  EXPECT_EQ(hesa->addresses.size(), 5u);
  const Identifier* reg = FindId(*hesa, "26740");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->kind, IdKind::kRegistration);
  EXPECT_EQ(reg->country, "IR");
  EXPECT_EQ(loaded.RelationsFrom(hesa->id).size(), 2u);

  const Entity* vessel = loaded.Find("ofac-sdn:40716");
  ASSERT_NE(vessel, nullptr);
  EXPECT_EQ(vessel->schema, Schema::kVessel);
  const Identifier* imo = FindId(*vessel, "9486910");
  ASSERT_NE(imo, nullptr);
  EXPECT_EQ(imo->kind, IdKind::kImo);
  EXPECT_TRUE(HasCountry(*vessel, "IR", CountryRole::kFlag));
  EXPECT_THAT(Props(*vessel, "vessel_type"), ElementsAre("Naval Auxiliary Vessel"));

  const Entity* aircraft = loaded.Find("ofac-sdn:48727");
  ASSERT_NE(aircraft, nullptr);
  EXPECT_EQ(aircraft->schema, Schema::kAircraft);
  ASSERT_NE(FindId(*aircraft, "1023409321"), nullptr);
}

// ---------------------------------------------------------------------------
// Remarks parser, one clause kind at a time.

Entity Person() {
  Entity e;
  e.schema = Schema::kPerson;
  return e;
}

TEST(OfacRemarksTest, BirthDates) {
  Entity e = Person();
  ApplyOfacRemarks(
      "DOB 12 Jan 1960; alt. DOB circa 1958; alt. DOB 1961 to 1963; "
      "alt. DOB Feb 1970; alt. DOB 01 Mar 1950 to 05 Mar 1950; "
      "alt. DOB circa 1940-1941.",
      e);
  EXPECT_THAT(Dates(e, DateKind::kBirth),
              ElementsAre("1960-01-12", "1958", "1961", "1962", "1963", "1970-02", "1950-03-01",
                          "1950-03-05", "1940", "1941"));
}

TEST(OfacRemarksTest, PlacesAndCountries) {
  Entity e = Person();
  ApplyOfacRemarks(
      "POB Havana, Cuba; alt. POB Iran; nationality Iran; alt. nationality "
      "Korea, North; citizen Cuba.",
      e);
  EXPECT_THAT(Props(e, "birth_place"), ElementsAre("Havana, Cuba", "Iran"));
  EXPECT_TRUE(HasCountry(e, "CU", CountryRole::kBirthPlace));
  EXPECT_TRUE(HasCountry(e, "IR", CountryRole::kBirthPlace));
  EXPECT_TRUE(HasCountry(e, "IR", CountryRole::kNationality));
  EXPECT_TRUE(HasCountry(e, "KP", CountryRole::kNationality));
  EXPECT_TRUE(HasCountry(e, "CU", CountryRole::kCitizenship));
  // The label keeps the source's wording.
  bool labelled = false;
  for (const Country& c : e.countries) {
    labelled = labelled || (c.role == CountryRole::kNationality && c.label == "Korea, North");
  }
  EXPECT_TRUE(labelled);
}

TEST(OfacRemarksTest, PersonalDocuments) {
  Entity e = Person();
  ApplyOfacRemarks(
      "Passport A123456 (Cuba) issued 01 Jan 2000 expires 01 Jan 2010; "
      "alt. Passport B 98765; National ID No. 555-1 (Iran); Cedula No. 7548733 "
      "(Colombia); Identification Number 210302198701102136 (China); "
      "Tax ID No. 52-2083095 (United States); SSN 561-77-9011 (United "
      "States); National ID No. D489833(9) (Hong Kong).",
      e);
  const Identifier* p = FindId(e, "A123456");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, IdKind::kPassport);
  EXPECT_EQ(p->country, "CU");
  EXPECT_EQ(p->label, "Passport");
  ASSERT_NE(FindId(e, "B 98765"), nullptr);
  EXPECT_EQ(FindId(e, "B 98765")->country, "");
  EXPECT_EQ(FindId(e, "555-1")->kind, IdKind::kNationalId);
  EXPECT_EQ(FindId(e, "555-1")->country, "IR");
  EXPECT_EQ(FindId(e, "7548733")->kind, IdKind::kNationalId);
  // For an individual, "Identification Number" is a national ID.
  EXPECT_EQ(FindId(e, "210302198701102136")->kind, IdKind::kNationalId);
  EXPECT_EQ(FindId(e, "52-2083095")->kind, IdKind::kTax);
  EXPECT_EQ(FindId(e, "52-2083095")->country, "US");
  EXPECT_EQ(FindId(e, "561-77-9011")->kind, IdKind::kNationalId);
  // A check digit glued to the number stays part of it.
  ASSERT_NE(FindId(e, "D489833(9)"), nullptr);
  EXPECT_EQ(FindId(e, "D489833(9)")->country, "HK");
}

TEST(OfacRemarksTest, CompanyIdentifiers) {
  Entity e;
  e.schema = Schema::kOrganization;
  ApplyOfacRemarks(
      "Registration Number 26740 (Iran); Business Registration Number 0582030 "
      "(Connecticut) (United States); Legal Entity Number "
      "5299007NTWCC3U23WM81 (Czech Republic); Legal Entity Number 851683897 "
      "(Netherlands); LEI 213800ABCDEFGH123456; SWIFT/BIC CKLBCNBJ; "
      "D-U-N-S Number 542957624; Company Number 07486049 (Czech Republic); "
      "Identification Number 2.194.575 (Paraguay); NIT # 800146749-7 "
      "(Colombia); Unified Social Credit Code (USCC) 914403001922038216 "
      "(China).",
      e);
  EXPECT_EQ(FindId(e, "26740")->kind, IdKind::kRegistration);
  EXPECT_EQ(FindId(e, "26740")->country, "IR");
  const Identifier* ct = FindId(e, "0582030");
  ASSERT_NE(ct, nullptr);
  EXPECT_EQ(ct->country, "US");
  EXPECT_EQ(ct->label, "Business Registration Number (Connecticut)");
  EXPECT_EQ(FindId(e, "5299007NTWCC3U23WM81")->kind, IdKind::kLei);
  EXPECT_EQ(FindId(e, "851683897")->kind, IdKind::kRegistration);
  EXPECT_EQ(FindId(e, "213800ABCDEFGH123456")->kind, IdKind::kLei);
  EXPECT_EQ(FindId(e, "CKLBCNBJ")->kind, IdKind::kSwiftBic);
  EXPECT_EQ(FindId(e, "542957624")->kind, IdKind::kDuns);
  EXPECT_EQ(FindId(e, "07486049")->kind, IdKind::kRegistration);
  EXPECT_EQ(FindId(e, "07486049")->country, "CZ");
  // For an organisation, "Identification Number" is a register number.
  EXPECT_EQ(FindId(e, "2.194.575")->kind, IdKind::kRegistration);
  EXPECT_EQ(FindId(e, "800146749-7")->kind, IdKind::kTax);
  EXPECT_EQ(FindId(e, "914403001922038216")->country, "CN");
}

TEST(OfacRemarksTest, ContactDetailsAndWallets) {
  Entity e;
  ApplyOfacRemarks(
      "Website www.example.org; Email Address info@example.org; Phone Number "
      "79110354982; Telephone No. (218) (0)214778301; Fax: 0097282858208; "
      "Digital Currency Address - XBT 12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz; "
      "alt. Digital Currency Address - ETH "
      "0x901bb9583b24d97e995513c6778dc6888ab6870e.",
      e);
  EXPECT_EQ(FindId(e, "www.example.org")->kind, IdKind::kWebsite);
  EXPECT_EQ(FindId(e, "info@example.org")->kind, IdKind::kEmail);
  EXPECT_EQ(FindId(e, "79110354982")->kind, IdKind::kPhone);
  // Phone numbers keep their parentheses.
  ASSERT_NE(FindId(e, "(218) (0)214778301"), nullptr);
  EXPECT_EQ(FindId(e, "0097282858208")->kind, IdKind::kPhone);
  const Identifier* xbt = FindId(e, "12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz");
  ASSERT_NE(xbt, nullptr);
  EXPECT_EQ(xbt->kind, IdKind::kCryptoWallet);
  EXPECT_EQ(xbt->label, "Digital Currency Address - XBT");
  const Identifier* eth = FindId(e, "0x901bb9583b24d97e995513c6778dc6888ab6870e");
  ASSERT_NE(eth, nullptr);
  EXPECT_EQ(eth->label, "Digital Currency Address - ETH");
}

TEST(OfacRemarksTest, VesselAndAircraftIdentifiers) {
  Entity e;
  e.schema = Schema::kVessel;
  ApplyOfacRemarks(
      "Vessel Registration Identification IMO 9486910; MMSI 636013272; "
      "alt. Identification Number IMO 9339301; Aircraft Manufacturer's Serial "
      "Number (MSN) 1023409321; Aircraft Tail Number EP-MMH; Aircraft Model "
      "Ilyushin IL-76TD; Nationality of Registration Korea, North.",
      e);
  EXPECT_EQ(FindId(e, "9486910")->kind, IdKind::kImo);
  EXPECT_EQ(FindId(e, "9339301")->kind, IdKind::kImo);
  EXPECT_EQ(FindId(e, "636013272")->label, "MMSI");
  EXPECT_EQ(FindId(e, "1023409321")->label, "Aircraft Manufacturer's Serial Number (MSN)");
  EXPECT_EQ(FindId(e, "EP-MMH")->kind, IdKind::kAircraftTail);
  EXPECT_THAT(Props(e, "aircraft_model"), ElementsAre("Ilyushin IL-76TD"));
  EXPECT_TRUE(HasCountry(e, "KP", CountryRole::kFlag));
}

TEST(OfacRemarksTest, LabelledNotesBecomeProperties) {
  Entity e;
  ApplyOfacRemarks(
      "Organization Established Date 21 Jul 2020; Organization Type: "
      "Construction; Target Type State-Owned Enterprise; Gender Male; "
      "Additional Sanctions Information - Subject to Secondary Sanctions; "
      "Secondary sanctions risk: See Section 11 of Executive Order 14024.; "
      "Executive Order 13846 information: LOANS FROM UNITED STATES "
      "FINANCIAL INSTITUTIONS. Sec. 5(a)(i); Executive Order 13662 Directive "
      "Determination - Subject to Directive 2; Transactions Prohibited For "
      "Persons Owned or Controlled By U.S. Financial Institutions: North "
      "Korea Sanctions Regulations section 510.214; Listing Date (CMIC) 03 "
      "Jun 2021; Tribe: Noorzai; Something nobody writes.",
      e);
  EXPECT_THAT(Dates(e, DateKind::kIncorporation), ElementsAre("2020-07-21"));
  EXPECT_THAT(Dates(e, DateKind::kListed), ElementsAre("2021-06-03"));
  EXPECT_THAT(Props(e, "organization_type"), ElementsAre("Construction"));
  EXPECT_THAT(Props(e, "target_type"), ElementsAre("State-Owned Enterprise"));
  EXPECT_THAT(Props(e, "gender"), ElementsAre("Male"));
  EXPECT_THAT(Props(e, "additional_sanctions_information"),
              ElementsAre("Subject to Secondary Sanctions"));
  EXPECT_THAT(Props(e, "secondary_sanctions_risk"),
              ElementsAre("See Section 11 of Executive Order 14024"));
  EXPECT_THAT(Props(e, "executive_order_13846_information"),
              ElementsAre("LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS. "
                          "Sec. 5(a)(i)"));
  EXPECT_THAT(Props(e, "executive_order_13662_directive_determination"),
              ElementsAre("Subject to Directive 2"));
  EXPECT_THAT(Props(e, "transactions_prohibited"),
              ElementsAre("North Korea Sanctions Regulations section 510.214"));
  EXPECT_THAT(Props(e, "tribe"), ElementsAre("Noorzai"));
  // Unrecognised text adds nothing (the caller keeps the full remarks).
  size_t props = e.properties.size();
  ApplyOfacRemarks("Something nobody writes", e);
  EXPECT_EQ(e.properties.size(), props);
}

TEST(OfacRemarksTest, AliasesAndLinks) {
  Entity e;
  e.AddName("BANCO NACIONAL DE CUBA", NameKind::kPrimary);
  std::vector<OfacLink> links = ApplyOfacRemarks(
      "a.k.a. 'BNC'; f.k.a. 'OLD NAME'; n.k.a. 'NEW NAME'; a.k.a. 'D'S "
      "PLACE'; Linked To: SOME COMPANY LTD.; Linked To: MAHAN AIR.",
      e);
  EXPECT_TRUE(HasName(e, "BNC", NameKind::kWeakAlias));
  EXPECT_TRUE(HasName(e, "OLD NAME", NameKind::kPrevious));
  EXPECT_TRUE(HasName(e, "NEW NAME", NameKind::kStrongAlias));
  EXPECT_TRUE(HasName(e, "D'S PLACE", NameKind::kWeakAlias));
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].name, "SOME COMPANY LTD.");
  EXPECT_FALSE(links[0].at_end);
  EXPECT_EQ(links[1].name, "MAHAN AIR.");
  EXPECT_TRUE(links[1].at_end);
}

TEST(OfacRemarksTest, ConsolidatedListNames) {
  EXPECT_THAT(OfacConsolidatedLists({"CMIC-EO13959"}), ElementsAre(std::string(kCmicListName)));
  EXPECT_THAT(OfacConsolidatedLists({"UKRAINE-EO13662", "RUSSIA-EO14024"}),
              ElementsAre(std::string(kSsiListName)));
  EXPECT_THAT(OfacConsolidatedLists({"SDGT", "NS-PLC"}),
              ElementsAre("Palestinian Legislative Council List (PLC) - "
                          "Treasury Department"));
  EXPECT_THAT(OfacConsolidatedLists({"FSE-IR"}),
              ElementsAre("Foreign Sanctions Evaders (FSE) - Treasury "
                          "Department"));
  EXPECT_THAT(OfacConsolidatedLists({"RUSSIA-EO14024"}),
              ElementsAre("Non-SDN Menu-Based Sanctions List (NS-MBS List) - "
                          "Treasury Department"));
  EXPECT_THAT(OfacConsolidatedLists({"561-Related"}),
              ElementsAre("Capta List (CAP) - Treasury Department"));
  EXPECT_THAT(OfacConsolidatedLists({"SOMETHING-NEW"}),
              ElementsAre("OFAC Consolidated (non-SDN) List"));
  EXPECT_THAT(OfacConsolidatedLists({}), ElementsAre("OFAC Consolidated (non-SDN) List"));
}

// ---------------------------------------------------------------------------
// Whole loads of small inline sets.

TEST(OfacLoadTest, NullMarkersAndColumns) {
  std::string main =
      "7,\"SEA STAR\",\"vessel\",\"IRAN\",-0- ,\"9HA1234\",\"Tanker\","
      "\"1,000\",\"900\",\"Malta\",\"OWNER CO\",-0- \r\n"
      "8,\"PLAIN CO\",-0- ,\"SDGT\",-0-   ,-0-,-0- ,-0- ,-0- ,-0- ,-0- ,-0-    \r\n"
      "9,\"DOE, John\",\"individual\",\"SDGT\",\"Director\",-0- ,-0- ,-0- ,-0- "
      ",-0- ,-0- ,-0- \r\n";
  Loaded l = LoadText(OfacList::kSdn, main);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  ASSERT_EQ(l.sink.entities.size(), 3u);
  const Entity& vessel = l.sink.entities[0];
  EXPECT_EQ(vessel.id, "ofac-sdn:7");
  EXPECT_EQ(vessel.schema, Schema::kVessel);
  EXPECT_THAT(Props(vessel, "call_sign"), ElementsAre("9HA1234"));
  EXPECT_THAT(Props(vessel, "vessel_type"), ElementsAre("Tanker"));
  EXPECT_THAT(Props(vessel, "gross_tonnage"), ElementsAre("1,000"));
  EXPECT_THAT(Props(vessel, "gross_registered_tonnage"), ElementsAre("900"));
  EXPECT_THAT(Props(vessel, "vessel_owner"), ElementsAre("OWNER CO"));
  EXPECT_TRUE(HasCountry(vessel, "MT", CountryRole::kFlag));

  const Entity& plain = l.sink.entities[1];
  EXPECT_EQ(plain.schema, Schema::kOrganization);  // OFAC leaves it blank.
  EXPECT_THAT(plain.properties, IsEmpty());
  EXPECT_EQ(plain.names.size(), 1u);
  EXPECT_THAT(plain.countries, IsEmpty());

  const Entity& person = l.sink.entities[2];
  EXPECT_EQ(person.schema, Schema::kPerson);
  EXPECT_TRUE(HasName(person, "John DOE", NameKind::kStrongAlias));
  EXPECT_THAT(Props(person, "title"), ElementsAre("Director"));
}

TEST(OfacLoadTest, DosEofByteAndByteOrderMark) {
  std::string main = "\xEF\xBB\xBF" + MainRowText("1", "ONE", "-0- ", "") +
                     MainRowText("2", "TWO", "-0- ", "") + "\x1A";
  std::string aliases = "1,10,\"aka\",\"UNO\",-0- \r\n\x1A";
  Loaded l = LoadText(OfacList::kSdn, main, {}, aliases);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 2u);
  EXPECT_EQ(l.report.rejected, 0u);
  ASSERT_EQ(l.sink.entities.size(), 2u);
  EXPECT_EQ(l.sink.entities[1].PrimaryName(), "TWO");
  EXPECT_TRUE(HasName(l.sink.entities[0], "UNO", NameKind::kStrongAlias));
}

TEST(OfacLoadTest, SideFilesJoinByEntNum) {
  std::string main = MainRowText("5", "ACME", "-0- ", "Website acme.example; Link") +
                     MainRowText("6", "OTHER", "-0- ", "");
  std::string addresses =
      "5,1,\"1 Main St\",\"Havana\",\"Cuba\",\"Head office\"\r\n"
      "6,2,-0- ,-0- ,-0- ,-0- \r\n"
      "5,3,-0- ,\"Zurich CH-8022\",\"Switzerland\",-0- \r\n";
  std::string aliases =
      "5,1,\"aka\",\"ACME TRADING\",-0- \r\n"
      "5,2,\"fka\",\"OLD ACME\",-0- \r\n"
      "5,3,\"nka\",\"NEW ACME\",-0- \r\n"
      "5,4,\"aka\",\"ACME WEAK\",\"weak\"\r\n";
  std::string comments = "5,\"ed To: OTHER.\"\r\n";
  Loaded l = LoadText(OfacList::kSdn, main, addresses, aliases, comments);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rejected, 0u);
  const Entity* acme = l.Find("ofac-sdn:5");
  ASSERT_NE(acme, nullptr);
  EXPECT_TRUE(HasName(*acme, "ACME TRADING", NameKind::kStrongAlias));
  EXPECT_TRUE(HasName(*acme, "OLD ACME", NameKind::kPrevious));
  EXPECT_TRUE(HasName(*acme, "NEW ACME", NameKind::kStrongAlias));
  EXPECT_TRUE(HasName(*acme, "ACME WEAK", NameKind::kWeakAlias));
  ASSERT_EQ(acme->addresses.size(), 2u);
  EXPECT_EQ(acme->addresses[0].full, "1 Main St, Havana, Cuba");
  EXPECT_EQ(acme->addresses[0].country, "CU");
  EXPECT_EQ(acme->addresses[1].full, "Zurich CH-8022, Switzerland");
  EXPECT_TRUE(HasCountry(*acme, "CH", CountryRole::kAddress));
  EXPECT_THAT(Props(*acme, "address_remarks"), ElementsAre("Head office"));
  EXPECT_THAT(Props(*acme, "remarks"), ElementsAre("Website acme.example; Linked To: OTHER."));
  // An address row of nulls adds nothing.
  EXPECT_THAT(l.Find("ofac-sdn:6")->addresses, IsEmpty());

  ASSERT_EQ(l.sink.relations.size(), 1u);
  EXPECT_EQ(l.sink.relations[0].from_id, "ofac-sdn:5");
  EXPECT_EQ(l.sink.relations[0].to_id, "ofac-sdn:6");
  EXPECT_EQ(l.sink.relations[0].to_name, "OTHER");
  EXPECT_EQ(l.report.relations, 1u);
}

TEST(OfacLoadTest, LinksResolveOnlyToUniqueNames) {
  std::string main = MainRowText("1", "TWIN", "-0- ", "") + MainRowText("2", "TWIN", "-0- ", "") +
                     MainRowText("3", "SOME COMPANY LTD.", "-0- ", "") +
                     MainRowText("4", "LINKER", "-0- ",
                                 "Linked To: TWIN; Linked To: NOBODY; Linked To: SOME "
                                 "COMPANY LTD.; Linked To: LINKER.");
  Loaded l = LoadText(OfacList::kSdn, main);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  ASSERT_EQ(l.sink.relations.size(), 4u);
  EXPECT_EQ(l.sink.relations[0].to_id, "");  // Ambiguous.
  EXPECT_EQ(l.sink.relations[0].to_name, "TWIN");
  EXPECT_EQ(l.sink.relations[1].to_id, "");  // Unknown.
  EXPECT_EQ(l.sink.relations[1].to_name, "NOBODY");
  EXPECT_EQ(l.sink.relations[2].to_id, "ofac-sdn:3");
  EXPECT_EQ(l.sink.relations[2].to_name, "SOME COMPANY LTD.");
  // The final period ends the record, not the name.
  EXPECT_EQ(l.sink.relations[3].to_id, "ofac-sdn:4");
  EXPECT_EQ(l.sink.relations[3].to_name, "LINKER");
  for (const Relation& r : l.sink.relations) {
    EXPECT_EQ(r.kind, RelationKind::kLinkedTo);
    EXPECT_EQ(r.from_id, "ofac-sdn:4");
  }
}

TEST(OfacLoadTest, BadMainRowsAreRejectedWithTheirLine) {
  std::string main = MainRowText("1", "GOOD", "-0- ", "") + "2,\"SHORT\",-0- \r\n" +
                     MainRowText("X3", "BAD NUMBER", "-0- ", "") +
                     MainRowText("4", "", "-0- ", "") + MainRowText("1", "DUPLICATE", "-0- ", "") +
                     MainRowText("5", "ALSO GOOD", "-0- ", "");
  Loaded l = LoadText(OfacList::kSdn, main);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 6u);
  EXPECT_EQ(l.report.entities, 2u);
  EXPECT_EQ(l.report.rejected, 4u);
  ASSERT_EQ(l.report.rejects.size(), 4u);
  EXPECT_EQ(l.report.rejects[0].file, "sdn.csv");
  EXPECT_EQ(l.report.rejects[0].line, 2u);
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr("fields"));
  EXPECT_EQ(l.report.rejects[1].line, 3u);
  EXPECT_THAT(l.report.rejects[1].reason, HasSubstr("not a number"));
  EXPECT_EQ(l.report.rejects[2].line, 4u);
  EXPECT_THAT(l.report.rejects[2].reason, HasSubstr("no name"));
  EXPECT_EQ(l.report.rejects[3].line, 5u);
  EXPECT_THAT(l.report.rejects[3].reason, HasSubstr("duplicate"));
  EXPECT_EQ(l.Find("ofac-sdn:1")->PrimaryName(), "GOOD");
}

TEST(OfacLoadTest, EntNumsCompareAsNumbers) {
  std::string main =
      MainRowText(" 0306", "PADDED", "-0- ", "") + MainRowText("306", "SAME", "-0- ", "");
  std::string aliases = "306,1,\"aka\",\"PADDED ALIAS\",-0- \r\n";
  Loaded l = LoadText(OfacList::kSdn, main, {}, aliases);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  ASSERT_EQ(l.sink.entities.size(), 1u);
  EXPECT_EQ(l.sink.entities[0].id, "ofac-sdn:306");
  EXPECT_EQ(l.sink.entities[0].source_id, "306");
  EXPECT_TRUE(HasName(l.sink.entities[0], "PADDED ALIAS", NameKind::kStrongAlias));
  ASSERT_EQ(l.report.rejects.size(), 1u);
  EXPECT_THAT(l.report.rejects[0].reason, HasSubstr("duplicate ent_num 306"));
}

TEST(OfacLoadTest, OrphanSideRowsAreRejectedWithFileAndLine) {
  std::string main = MainRowText("1", "ONE", "-0- ", "");
  std::string aliases =
      "1,10,\"aka\",\"UNO\",-0- \r\n"
      "99,11,\"aka\",\"NOBODY\",-0- \r\n";
  std::string addresses = "1,5,\"x\",\"y\"\r\n";  // Too few fields.
  std::string comments = "abc,\"text\"\r\n";
  Loaded l = LoadText(OfacList::kSdn, main, addresses, aliases, comments);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.report.rows, 1u);  // Main rows only.
  EXPECT_EQ(l.report.rejected, 3u);
  std::map<std::string, Reject> by_file;
  for (const Reject& r : l.report.rejects) by_file[r.file] = r;
  EXPECT_EQ(by_file["alt.csv"].line, 2u);
  EXPECT_THAT(by_file["alt.csv"].reason, HasSubstr("99"));
  EXPECT_EQ(by_file["add.csv"].line, 1u);
  EXPECT_EQ(by_file["sdn_comments.csv"].line, 1u);
  EXPECT_FALSE(HasAnyName(l.sink.entities[0], "NOBODY"));
}

TEST(OfacLoadTest, UnterminatedQuoteIsDataLoss) {
  std::string main = MainRowText("1", "ONE", "-0- ", "") + "2,\"BROKEN,-0- ,-0- \r\n";
  Loaded l = LoadText(OfacList::kSdn, main);
  EXPECT_EQ(l.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(l.status.message(), StartsWith("sdn.csv:2:"));
  EXPECT_THAT(l.sink.entities, IsEmpty());  // Nothing half-loaded.

  // The same in a side file names that file.
  Loaded side = LoadText(OfacList::kSdn, MainRowText("1", "ONE", "-0- ", ""), {},
                         "1,2,\"aka\",\"OPEN,-0- \r\n");
  EXPECT_EQ(side.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(side.status.message(), StartsWith("alt.csv:1:"));
  EXPECT_THAT(side.sink.entities, IsEmpty());
}

TEST(OfacLoadTest, InvalidUtf8IsDataLoss) {
  std::string main = MainRowText("1", "CAF\xC3 BAD", "-0- ", "");
  Loaded l = LoadText(OfacList::kSdn, main);
  EXPECT_EQ(l.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(l.status.message(), StartsWith("sdn.csv:1:"));

  Loaded side = LoadText(OfacList::kSdn, MainRowText("1", "ONE", "-0- ", ""),
                         "1,2,\"\xFF\",-0- ,-0- ,-0- \r\n");
  EXPECT_EQ(side.status.code(), StatusCode::kDataLoss);
  EXPECT_THAT(side.status.message(), StartsWith("add.csv:1:"));
}

TEST(OfacLoadTest, MainFileIsRequired) {
  OfacInputs inputs;
  CollectingSink sink;
  LoadReport report;
  Status s = LoadOfac(inputs, OfacList::kSdn, sink, report);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
}

TEST(OfacLoadTest, EmptyMainFileLoadsNothing) {
  Loaded l = LoadText(OfacList::kSdn, "");
  EXPECT_TRUE(l.status.ok());
  EXPECT_EQ(l.report.rows, 0u);
  EXPECT_THAT(l.sink.entities, IsEmpty());
}

TEST(OfacLoadTest, ProgramsInEveryPublishedForm) {
  std::string main = MainRowText("1", "A", "-0- ", "", "SDGT] [IRGC") +
                     MainRowText("2", "B", "-0- ", "", "SDGT; IFSR") +
                     MainRowText("3", "C", "-0- ", "", "[NPWMD] [DPRK3]");
  Loaded l = LoadText(OfacList::kSdn, main);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_THAT(l.sink.entities[0].programs, ElementsAre("SDGT", "IRGC"));
  EXPECT_THAT(l.sink.entities[1].programs, ElementsAre("SDGT", "IFSR"));
  EXPECT_THAT(l.sink.entities[2].programs, ElementsAre("NPWMD", "DPRK3"));
}

TEST(OfacLoadTest, ConsolidatedIdsAndLists) {
  std::string main =
      MainRowText("30947", "HUAWEI TECHNOLOGIES CO., LTD.", "-0- ", "", "CMIC-EO13959") +
      MainRowText("8", "ODD", "-0- ", "", "NEW-PROGRAM");
  Loaded l = LoadText(OfacList::kConsolidated, main);
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  ASSERT_EQ(l.sink.entities.size(), 2u);
  EXPECT_EQ(l.sink.entities[0].id, "ofac-cons:30947");
  EXPECT_THAT(l.sink.entities[0].lists, ElementsAre(std::string(kCmicListName)));
  EXPECT_THAT(l.sink.entities[1].lists, ElementsAre("OFAC Consolidated (non-SDN) List"));
}

TEST(OfacLoadTest, FileNames) {
  OfacFileNames sdn = OfacFileNamesFor(OfacList::kSdn);
  EXPECT_EQ(sdn.main, "sdn.csv");
  EXPECT_EQ(sdn.addresses, "add.csv");
  EXPECT_EQ(sdn.aliases, "alt.csv");
  EXPECT_EQ(sdn.comments, "sdn_comments.csv");
  OfacFileNames cons = OfacFileNamesFor(OfacList::kConsolidated);
  EXPECT_EQ(cons.main, "cons_prim.csv");
  EXPECT_EQ(cons.comments, "cons_comments.csv");
}

}  // namespace
}  // namespace icts::refdata
