#include "refdata/countries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "refdata/csv.h"
#include "refdata/loader.h"
#include "tests/test_util.h"

namespace icts::refdata {
namespace {

// All 249 officially assigned ISO 3166-1 alpha-2 codes.
constexpr std::string_view kIsoAlpha2 =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI "
    "BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN "
    "CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK "
    "FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK "
    "ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
    "NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF "
    "TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW";

TEST(Countries, EveryIsoCodeHasANameThatMapsBack) {
  std::vector<std::string_view> codes = SplitTrimmed(kIsoAlpha2, ' ');
  ASSERT_EQ(codes.size(), 249u);
  for (std::string_view code : codes) {
    std::string_view name = CountryName(code);
    EXPECT_FALSE(name.empty()) << code;
    EXPECT_EQ(CountryCode(name), code) << name;
    EXPECT_EQ(CountryCode(code), code);
    EXPECT_EQ(CountryCode(ToLowerAscii(code)), code);
  }
}

TEST(Countries, NamesOfCommonCodes) {
  EXPECT_EQ(CountryName("CN"), "China");
  EXPECT_EQ(CountryName("cn"), "China");
  EXPECT_EQ(CountryName("HK"), "Hong Kong");
  EXPECT_EQ(CountryName("RU"), "Russia");
  EXPECT_EQ(CountryName("XK"), "Kosovo");
  EXPECT_EQ(CountryName("ZZ"), "");
  EXPECT_EQ(CountryName(""), "");
}

TEST(Countries, Alpha3Codes) {
  EXPECT_EQ(CountryCode("CHN"), "CN");
  EXPECT_EQ(CountryCode("rus"), "RU");
  EXPECT_EQ(CountryCode("USA"), "US");
  EXPECT_EQ(CountryCode("GBR"), "GB");
  EXPECT_EQ(CountryCode("PRK"), "KP");
  EXPECT_EQ(CountryCode("KOR"), "KR");
  EXPECT_EQ(CountryCode("HKG"), "HK");
  EXPECT_EQ(CountryCode("MAC"), "MO");
  EXPECT_EQ(CountryCode("TWN"), "TW");
  EXPECT_EQ(CountryCode("AND"), "AD");  // Not dropped like the word "and".
  EXPECT_EQ(CountryCode("XKX"), "XK");
}

// Each row: text as some list writes it, expected code.
const std::vector<std::pair<std::string_view, std::string_view>>& Variants() {
  static const auto* const variants =
      new std::vector<std::pair<std::string_view, std::string_view>>{
          // China and its special administrative regions.
          {"China", "CN"},
          {"CHINA", "CN"},
          {"  china.  ", "CN"},
          {"PRC", "CN"},
          {"P.R.C.", "CN"},
          {"People's Republic of China", "CN"},
          {"People’s Republic of China", "CN"},
          {"Peoples Republic of China", "CN"},
          {"China, People's Republic of", "CN"},
          {"Mainland China", "CN"},
          {"China (Mainland)", "CN"},
          {"Hong Kong", "HK"},
          {"HONG KONG", "HK"},
          {"Hong Kong SAR", "HK"},
          {"Hong Kong, China", "HK"},
          {"China, Hong Kong Special Administrative Region", "HK"},
          {"Macau", "MO"},
          {"Macao", "MO"},
          {"Macao SAR", "MO"},
          {"China, Macao Special Administrative Region", "MO"},
          {"Taiwan", "TW"},
          {"Taiwan, Province of China", "TW"},
          {"Chinese Taipei", "TW"},
          // The Koreas.
          {"Korea, North", "KP"},
          {"North Korea", "KP"},
          {"Democratic People's Republic of Korea", "KP"},
          {"Korea, Democratic People's Republic of", "KP"},
          {"DPRK", "KP"},
          {"Korea, South", "KR"},
          {"South Korea", "KR"},
          {"Republic of Korea", "KR"},
          {"Korea, Republic of", "KR"},
          // Russia, Iran, and other often-sanctioned countries.
          {"Russia", "RU"},
          {"Russian Federation", "RU"},
          {"the Russian Federation", "RU"},
          {"Iran", "IR"},
          {"Iran (Islamic Republic of)", "IR"},
          {"Iran, Islamic Republic of", "IR"},
          {"Islamic Republic of Iran", "IR"},
          {"Syria", "SY"},
          {"Syrian Arab Republic", "SY"},
          {"Venezuela", "VE"},
          {"Venezuela (Bolivarian Republic of)", "VE"},
          {"Cuba", "CU"},
          {"Burma", "MM"},
          {"Myanmar", "MM"},
          {"Belarus", "BY"},
          {"Viet Nam", "VN"},
          {"Vietnam", "VN"},
          {"Laos", "LA"},
          {"Lao People's Democratic Republic", "LA"},
          // Inverted and long forms.
          {"Congo, Democratic Republic of the", "CD"},
          {"Democratic Republic of the Congo", "CD"},
          {"DRC", "CD"},
          {"Congo, Republic of the", "CG"},
          {"Congo", "CG"},
          {"Bahamas, The", "BS"},
          {"The Gambia", "GM"},
          {"Gambia, The", "GM"},
          {"Virgin Islands, British", "VG"},
          {"British Virgin Islands", "VG"},
          {"Virgin Islands, U.S.", "VI"},
          {"Man, Isle of", "IM"},
          {"Micronesia, Federated States of", "FM"},
          {"Tanzania, United Republic of", "TZ"},
          {"United Republic of Tanzania", "TZ"},
          {"Moldova, Republic of", "MD"},
          {"Macedonia", "MK"},
          {"Macedonia, The Former Yugoslav Republic of", "MK"},
          {"North Macedonia", "MK"},
          // Spelling: accents, apostrophes, "&", "St".
          {"Cote d Ivoire", "CI"},
          {"Côte d'Ivoire", "CI"},
          {"CÔTE D’IVOIRE", "CI"},
          {"Ivory Coast", "CI"},
          {"Curaçao", "CW"},
          {"Türkiye", "TR"},
          {"Turkey", "TR"},
          {"Réunion", "RE"},
          {"São Tomé and Príncipe", "ST"},
          {"Bosnia and Herzegovina", "BA"},
          {"Bosnia-Herzegovina", "BA"},
          {"Bosnia & Herzegovina", "BA"},
          {"Trinidad & Tobago", "TT"},
          {"St Kitts and Nevis", "KN"},
          {"St. Vincent and the Grenadines", "VC"},
          {"Saint Vincent and the Grenadines", "VC"},
          // Everyday abbreviations.
          {"USA", "US"},
          {"U.S.A.", "US"},
          {"United States of America", "US"},
          {"UK", "GB"},
          {"Great Britain", "GB"},
          {"England", "GB"},
          {"United Kingdom of Great Britain and Northern Ireland", "GB"},
          {"UAE", "AE"},
          {"United Arab Emirates", "AE"},
          {"Czech Republic", "CZ"},
          {"Swaziland", "SZ"},
          {"Cape Verde", "CV"},
          {"East Timor", "TL"},
          // Regions lists give instead of a country.
          {"West Bank", "PS"},
          {"Gaza", "PS"},
          {"Gaza Strip", "PS"},
          {"Palestinian", "PS"},
          {"Palestinian Territories", "PS"},
          {"State of Palestine", "PS"},
          {"Gaza (Palestinian Authority)", "PS"},
          {"West Bank (Palestinian Authority)", "PS"},
          {"Region: Gaza", "PS"},
          {"Region: Crimea", "UA"},
          {"crimea (occupied)", "UA"},
          {"Region: Northern Mali", "ML"},
          {"Tunisi (Tunisia)", "TN"},
          // Codes outside ISO 3166-1 that lists still use.
          {"Kosovo", "XK"},
          {"XK", "XK"},
          {"Netherlands Antilles", "AN"},
          {"Serbia and Montenegro", "CS"},
          {"ex-Yugoslavia", "YU"},
          {"former Soviet Union", "SU"},
          {"USSR", "SU"},
      };
  return *variants;
}

TEST(Countries, Variants) {
  for (const auto& [text, code] : Variants()) {
    EXPECT_EQ(CountryCode(text), code) << "\"" << text << "\"";
  }
}

TEST(Countries, UnknownTextGivesEmpty) {
  EXPECT_EQ(CountryCode(""), "");
  EXPECT_EQ(CountryCode("   "), "");
  EXPECT_EQ(CountryCode("-0-"), "");
  EXPECT_EQ(CountryCode("undetermined"), "");
  EXPECT_EQ(CountryCode("Atlantis"), "");
  EXPECT_EQ(CountryCode("ZZ"), "");
  EXPECT_EQ(CountryCode("S.A."), "");  // A company suffix, not Saudi Arabia.
  // Ambiguous on its own; lists always say which Korea.
  EXPECT_EQ(CountryCode("Korea"), "");
  EXPECT_EQ(CountryCode("Region:"), "");
  EXPECT_EQ(CountryCode("("), "");
  EXPECT_EQ(CountryCode("Region: Region: Atlantis (x"), "");
}

// Strings the reference lists hold that we know cannot map to one code.
bool KnownUnresolvable(std::string_view text) {
  std::string key = ToLowerAscii(TrimAscii(text));
  return key.empty() || key == "-0-" || key == "undetermined" ||
         // Disputed between Sudan and South Sudan; OFAC names no country.
         key == "region: kafia kingi";
}

// The distinct values of one column of an OFAC-style CSV file.
std::set<std::string> DistinctColumn(const std::string& path, size_t column) {
  std::set<std::string> out;
  auto file = MappedFile::Open(path);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  if (!file.ok()) return out;
  CsvReader reader(StripBomAndEof(file->data()), path);
  CsvRecord record;
  while (reader.Next(&record)) {
    if (record.fields.size() > column) {
      out.insert(std::string(TrimAscii(record.fields[column])));
    }
  }
  EXPECT_TRUE(reader.status().ok()) << reader.status().ToString();
  return out;
}

void ExpectAllResolve(const std::set<std::string>& values) {
  std::vector<std::string> unresolved;
  for (const std::string& v : values) {
    if (!KnownUnresolvable(v) && CountryCode(v).empty()) unresolved.push_back(v);
  }
  EXPECT_THAT(unresolved, ::testing::IsEmpty())
      << "country strings that do not resolve: " << ::testing::PrintToString(unresolved);
}

TEST(Countries, EveryOfacSdnAddressCountryResolves) {
  std::string path = icts::testing::SharedData("ofac-sdn-2021/add.csv");
  ICTS_REQUIRE_SHARED_DATA(path);
  std::set<std::string> values = DistinctColumn(path, 4);
  EXPECT_GT(values.size(), 150u);
  ExpectAllResolve(values);
  // A few the OFAC spelling makes awkward.
  EXPECT_TRUE(values.count("Korea, North"));
  EXPECT_EQ(CountryCode("Korea, North"), "KP");
  EXPECT_TRUE(values.count("Congo, Democratic Republic of the"));
}

TEST(Countries, EveryOfacConsolidatedAddressCountryResolves) {
  std::string path = icts::testing::SharedData("ofac-nonsdn-cons/cons_add.csv");
  ICTS_REQUIRE_SHARED_DATA(path);
  std::set<std::string> values = DistinctColumn(path, 4);
  EXPECT_GT(values.size(), 10u);
  ExpectAllResolve(values);
}

TEST(Countries, EveryUnNationalityAndCountryResolves) {
  std::string path = icts::testing::SharedData("un-consolidated/UN_consolidated.xml");
  ICTS_REQUIRE_SHARED_DATA(path);
  auto file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  std::string_view xml = file->data();
  // Element texts of <VALUE> inside <NATIONALITY>, and of the country
  // elements; a plain text scan is enough for this flat markup.
  std::set<std::string> values;
  auto collect = [&](std::string_view open, std::string_view close, std::string_view within_end) {
    size_t pos = 0;
    while ((pos = xml.find(open, pos)) != std::string_view::npos) {
      pos += open.size();
      size_t end = xml.find(close, pos);
      if (end == std::string_view::npos) break;
      if (!within_end.empty()) {
        // <NATIONALITY> ... <VALUE>x</VALUE> ... </NATIONALITY>
        size_t block_end = xml.find(within_end, pos);
        size_t v = pos;
        while ((v = xml.find("<VALUE>", v)) != std::string_view::npos && v < block_end) {
          v += 7;
          size_t ve = xml.find("</VALUE>", v);
          values.insert(std::string(xml.substr(v, ve - v)));
        }
        pos = block_end;
      } else {
        values.insert(std::string(xml.substr(pos, end - pos)));
      }
    }
  };
  collect("<NATIONALITY>", "</NATIONALITY>", "</NATIONALITY>");
  collect("<COUNTRY>", "</COUNTRY>", "");
  collect("<COUNTRY_OF_ISSUE>", "</COUNTRY_OF_ISSUE>", "");
  EXPECT_GT(values.size(), 50u);
  // The UN writes "na" (not available), which as a code is Namibia; a UN
  // loader must treat it as missing before asking for a code.
  values.erase("na");
  ExpectAllResolve(values);
}

TEST(Countries, LookupIsReasonablyFast) {
  // Builds the table once, then many lookups; mainly guards against an
  // accidental per-call rebuild.
  size_t resolved = 0;
  for (int i = 0; i < 20000; ++i) {
    resolved += CountryCode(i % 2 ? "Korea, North" : "cn").size();
  }
  EXPECT_EQ(resolved, 40000u);
}

}  // namespace
}  // namespace icts::refdata
