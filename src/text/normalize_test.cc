// Tests of name normalisation. Most cases are rows of tables: a raw name and
// the tokens, fields or keys it must produce. Tokens are written compactly
// as in Describe(): "text", then "/L" (legal form), "/S" (stop word), "/N"
// (number) or "/I" (initial), "=canon" when the canonical form differs, and
// a final "." when the token was abbreviated.
#include "text/normalize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace icts::text {
namespace {

using ::testing::Contains;
using ::testing::Each;
using ::testing::Not;

constexpr NameType kAny = NameType::kUnknown;
constexpr NameType kPerson = NameType::kPerson;
constexpr NameType kOrg = NameType::kOrganization;

std::string Describe(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.text;
    switch (t.kind) {
      case TokenKind::kWord:
        break;
      case TokenKind::kLegalForm:
        out += "/L";
        break;
      case TokenKind::kStopWord:
        out += "/S";
        break;
      case TokenKind::kNumber:
        out += "/N";
        break;
      case TokenKind::kInitial:
        out += "/I";
        break;
    }
    if (t.canon != t.text) out += "=" + t.canon;
    if (t.abbreviated) out += ".";
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80                 ? 1
                 : b >= 0xC2 && b <= 0xDF ? 2
                 : b >= 0xE0 && b <= 0xEF ? 3
                 : b >= 0xF0 && b <= 0xF4 ? 4
                                          : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// --- Tokens -----------------------------------------------------------------

struct TokenCase {
  std::string_view raw;
  NameType type;
  std::string_view tokens;
};

const TokenCase kTokenCases[] = {
    // Personal titles are stop words in Latin-script names; romanised from
    // Arabic script "mr" is a name (عمر, Omar).
    {"ABDULLA, Dr. Ramadan", kPerson, "abdulla=abdullah dr/S. ramadan"},
    {"Mr. KIM Jong Un", kAny, "mr/S. kim jong=chong un"},
    {"عمر محمود", kPerson, "amr mhmud"},
    // Legal forms, canonical forms, abbreviation marks.
    {"HUAWEI TECHNOLOGIES CO., LTD.", kAny,
     "huawei technologies=tech co/L=company. ltd/L=limited."},
    {"Huawei Tech. Co Ltd", kAny, "huawei tech. co/L=company ltd/L=limited"},
    {"Zhejiang Dahua Technology Co., Ltd.", kOrg,
     "zhejiang dahua technology=tech co/L=company. ltd/L=limited."},
    {"Int'l Business Machines Corp.", kAny,
     "intl=international business machines=machinery corp/L=corporation."},
    {"Mfg. & Eng. Svcs Intl Hldgs", kAny,
     "mfg=manufacturing. and/S eng=engineering. svcs=service intl=international "
     "hldgs=holding"},
    {"China Telecommunications Grp", kAny, "china telecommunications=telecom grp=group"},
    // Digit ordinals: the small ones spelled out, the others their number.
    {"2ND ACADEMY", kAny, "2nd=second academy"},
    {"CETC 29th Research Institute No. 29", kAny, "cetc 29th=29 research institute no. 29/N"},
    {"702nd Institute 31ST 13TH", kAny, "702nd=702 institute 31st=31 13th=13"},
    // "group" and "holdings" are words, not legal forms.
    {"ABC Group Holdings", kAny, "abc group holdings=holding"},
    // Multi-word legal forms.
    {"Foo Limited Liability Company", kAny, "foo limited/L liability/L company/L"},
    {"Joint Stock Company Foo", kAny, "joint/L stock/L company/L foo"},
    {"Obshchestvo s Ogranichennoy Otvetstvennostyu Foo", kAny,
     "obshchestvo/L s/L ogranichennoy/L otvetstvennostyu/L foo"},
    {"Aktsionernoe Obshchestvo Foo", kAny, "aktsionernoe/L obshchestvo/L foo"},
    {"Zhejiang Dahua Jishu Gufen Youxian Gongsi", kAny,
     "zhejiang dahua jishu=tech gufen/L youxian/L gongsi/L"},
    {"Łódź Przędzalnia Sp. z o.o.", kAny, "lodz przedzalnia sp/L. z/L oo/L."},
    // Short forms count only at the end (or, for a few, at the start).
    {"Banco Santander SA", kAny, "banco=bank santander sa/L"},
    {"SA Foo", kAny, "sa foo"},
    {"AO Foo", kAny, "ao/L foo"},
    {"Foo Ao Bar", kAny, "foo ao bar"},
    {"Foo AG & Co. KG", kAny, "foo ag/L and/S co/L=company. kg/L"},
    {"Foo A/S", kAny, "foo as/L"},
    {"Spa Resort Ltd", kAny, "spa resort ltd/L=limited"},
    {"Rosoboronexport OAO", kAny, "rosoboronexport oao/L"},
    // Punctuation: hyphens split, apostrophes join, dotted acronyms join.
    {"ZTE-Parsian", kAny, "zte parsian"},
    {"P.J.S.C. Rostelecom", kAny, "pjsc/L. rostelecom"},
    {"U.S.A.", kAny, "usa."},
    {"O'Neil & Sons", kAny, "oneil and/S sons"},
    {"O\u2019Neil", kAny, "oneil"},
    {"St.Petersburg", kAny, "st. petersburg"},
    // Numbers are kept.
    {"No. 2 Factory", kAny, "no. 2/N factory"},
    {"1,000 Islands", kAny, "1000/N islands"},
    {"Plant 5G-A320", kAny, "plant 5g a320"},
    // Persons: initials, particles, no legal forms, no acronym joining.
    {"John J. Smith", kPerson, "john j/I. smith"},
    {"J.R.R. Tolkien", kPerson, "j/I. r/I. r/I. tolkien"},
    {"Maria de la Cruz", kPerson, "maria de/S la/S cruz"},
    {"Osama bin Laden", kPerson, "osama=usama bin/S laden"},
    {"Kim Sa", kPerson, "kim sa"},
    {"Jose y Garcia", kPerson, "jose y/S garcia"},
    {"Y. Kim", kPerson, "y/I. kim"},
    // Latin letters with diacritics.
    {"İSTANBUL", kAny, "istanbul"},
    {"Müller GmbH", kAny, "muller gmbh/L"},
    {"Société Générale S.A.", kAny, "societe generale sa/L."},
    // An izafe "i" links two words of an organisation's name; a person's
    // "i" and letters spelled out stay initials.
    {"Tehrik-i-Taliban Pakistan", kAny, "tehrik i/S taliban pakistan"},
    {"John I Smith", kPerson, "john i/I smith"},
    // An acronym of the words before it, stop words skipped, is a stop
    // word; not for persons, nor when the initials differ.
    {"Daedong Credit Bank (DCB)", kAny, "daedong credit bank dcb/S"},
    {"China Aerospace Science and Industry Corporation (CASIC)", kOrg,
     "china aerospace science and/S industry corporation/L casic/S"},
    {"Kim Jong Kuk (JKK)", kPerson, "kim jong kuk jkk"},
    {"Daedong Credit Bank (DCX)", kAny, "daedong credit bank dcx"},
    {"S Z D J I Technology", kAny, "s/I z/I d/I j/I i/I technology=tech"},
    // Legal forms written out: Malaysia, UAE free zones, Venezuela; a joint
    // venture (JV, J/V).
    {"Cheo Technology Joint Venture Company", kAny,
     "cheo technology=tech joint/L venture/L company/L"},
    {"Vast Solution Sendirian Berhad", kAny, "vast solution sendirian/L berhad/L=bhd"},
    {"Standard Lab Free Zone Establishment", kAny,
     "standard lab=laboratory free/L zone/L establishment/L"},
    {"Movilnet Compañía Anónima", kAny, "movilnet compania/L anonima/L"},
    {"Straße Øresund Ærø łąka ıi", kAny, "strasse oresund aero laka ii"},
    {"Nguyễn Văn Thiệu", kPerson, "nguyen van/S thieu"},
    {"Ｈｕａｗｅｉ　Ｔｅｃｈ", kAny, "huawei tech"},
    // Cyrillic: BGN/PCGN romanisation; Russian legal forms.
    {"ООО Рога и Копыта", kAny, "ooo/L roga i/S kopyta"},
    {"Публичное акционерное общество «Ростелеком»", kAny,
     "publichnoye/L aktsionernoye/L obshchestvo/L rostelekom"},
    {"ПАО Сбербанк", kAny, "pao/L sberbank"},
    {"Государственная корпорация «Ростех»", kAny,
     "gosudarstvennaya=state korporatsiya/L=corporation rostekh"},
    {"Общество с ограниченной ответственностью \"Газпром\"", kAny,
     "obshchestvo/L s/L ogranichennoy/L otvetstvennostyu/L gazprom"},
    // Han: legal forms found in the original script; one token per syllable;
    // pinyin syllables are never stop words ("da").
    {"华为技术有限公司", kAny, "hua wei jishu=tech youxian/L gongsi/L"},
    {"華為技術有限公司", kAny, "hua wei jishu=tech youxian/L gongsi/L"},
    {"浙江大华技术股份有限公司", kAny, "zhe jiang da hua jishu=tech gufen/L youxian/L gongsi/L"},
    {"中国电子科技集团公司", kAny,
     "zhongguo=china dianzi=electronics keji=tech jituan=group gongsi/L"},
    // Translated company words stay whole, with the English word as canon.
    // (长 read "zhang", as ICU reads it out of a dictionary word; "ChangXin"
    // still meets it by similarity.)
    {"长鑫存储技术有限公司", kAny, "zhang xin cunchu=memory jishu=tech youxian/L gongsi/L"},
    {"深圳市智信新信息技术有限公司", kAny,
     "shenzhen zhi xin xin xinxi=information jishu=tech youxian/L gongsi/L"},
    {"习近平", kPerson, "xi jin ping"},
    // Other scripts.
    {"Κωνσταντίνος", kPerson, "konstantinos"},
    {"Ελληνικά Πετρέλαια Α.Ε.", kAny, "ellinika petrelaia ae/L."},
    {"조선광업개발무역회사", kAny, "jo seon gwang eob gae bal mu yeog hoesa/L"},
    {"محمد", kPerson, "mhmd"},
    {"محمد الرشيد", kPerson, "mhmd al/S rshid"},
    {"شرکت ملی نفت ایران", kAny, "shrkt/L mli nft ayran"},
    {"בנק הפועלים", kAny, "bnq hpwlym"},
    {"トヨタ自動車株式会社", kAny, "toyota zi dong che kabushiki/L kaisha/L"},
    // Degenerate input.
    {"", kAny, ""},
    {"   ", kAny, ""},
    {"!!!", kAny, ""},
    {"\u2014 \u00AB\u00BB \u3001", kAny, ""},
    {"LLC", kAny, "llc/L"},
    {"Ltd. Co., Inc.", kOrg, "ltd/L=limited. co/L=company. inc/L=incorporated."},
    {"Foo\xC3"
     "Bar \xFF\xFE Baz",
     kAny, "foobar baz"},
    {"\xE2\x80", kAny, ""},
};

TEST(NormalizeName, Tokens) {
  for (const TokenCase& c : kTokenCases) {
    const NormalizedName n = NormalizeName(c.raw, c.type);
    EXPECT_EQ(Describe(n.tokens), c.tokens) << "raw: " << c.raw;
  }
}

// --- Whole-name fields --------------------------------------------------------

struct FieldCase {
  std::string_view raw;
  std::string_view latin;
  std::string_view compact;
  std::string_view script;
};

const FieldCase kFieldCases[] = {
    {"HUAWEI TECHNOLOGIES CO., LTD.", "huawei technologies co ltd", "huaweitechnologies", "Latin"},
    {"HUA WEI", "hua wei", "huawei", "Latin"},
    {"华为技术有限公司", "hua wei jishu youxian gongsi", "huaweijishu", "Han"},
    {"Касперский", "kasperskiy", "kasperskiy", "Cyrillic"},
    {"Лаборатория Касперского", "laboratoriya kasperskogo", "laboratoriyakasperskogo", "Cyrillic"},
    {"ООО Рога и Копыта", "ooo roga i kopyta", "rogakopyta", "Cyrillic"},
    {"Κωνσταντίνος", "konstantinos", "konstantinos", "Greek"},
    {"조선광업개발무역회사", "jo seon gwang eob gae bal mu yeog hoesa",
     "joseongwangeobgaebalmuyeog", "Hangul"},
    {"محمد", "mhmd", "mhmd", "Arabic"},
    {"شرکت ملی نفت ایران", "shrkt mli nft ayran", "mlinftayran", "Arabic"},
    {"בנק הפועלים", "bnq hpwlym", "bnqhpwlym", "Hebrew"},
    {"トヨタ自動車株式会社", "toyota zi dong che kabushiki kaisha", "toyotazidongche", "Japanese"},
    {"İSTANBUL", "istanbul", "istanbul", "Latin"},
    {"Müller GmbH", "muller gmbh", "muller", "Latin"},
    {"No. 2 Factory", "no 2 factory", "no2factory", "Latin"},
    {"LLC", "llc", "", "Latin"},
    {"华为 Technologies 有限公司", "hua wei technologies youxian gongsi", "huaweitechnologies",
     "Mixed"},
    {"Газпром Gazprom", "gazprom gazprom", "gazpromgazprom", "Mixed"},
    {"12345", "12345", "12345", ""},
    {"&", "and", "", ""},
    {"", "", "", ""},
    {"!!!", "", "", ""},
};

TEST(NormalizeName, Fields) {
  for (const FieldCase& c : kFieldCases) {
    const NormalizedName n = NormalizeName(c.raw);
    EXPECT_EQ(n.latin, c.latin) << "raw: " << c.raw;
    EXPECT_EQ(n.compact, c.compact) << "raw: " << c.raw;
    EXPECT_EQ(n.script, c.script) << "raw: " << c.raw;
  }
}

// --- Extra keys ----------------------------------------------------------------

struct KeyCase {
  std::string_view raw;
  NameType type;
  std::string_view key;  // Must be among extra_keys.
};

const KeyCase kKeyCases[] = {
    // Cyrillic: scholarly and plain romanisations besides BGN/PCGN.
    {"Касперский", kAny, "kasperskij"},
    {"Касперский", kAny, "kaspersky"},
    {"Лаборатория Касперского", kAny, "laboratoria kasperskogo"},
    {"Юрий Щукин", kPerson, "urij sukin"},
    // Greek: BGN besides UN/ELOT.
    {"Κωνσταντίνος", kPerson, "konstandinos"},
    // German umlauts.
    {"Müller GmbH", kAny, "mueller gmbh"},
    // Han: pinyin joined by dictionary word, legal forms left out.
    {"华为技术有限公司", kAny, "huawei jishu"},
    {"浙江大华技术股份有限公司", kAny, "zhejiang da hua jishu"},
    // Han: each run of untranslated words joined whole.
    {"中兴新通讯有限公司", kAny, "zhongxingxin tongxun"},
    {"习近平", kPerson, "xi jinping"},
    {"김정은", kPerson, "gim jeongeun"},
    // Hangul: McCune-Reischauer besides Revised Romanisation.
    {"김정은", kPerson, "kim jongun"},
    {"조선광업개발무역회사", kAny, "chosongwangopkaebalmuyok"},
    // Arabic script and Hebrew: consonant skeleton.
    {"محمد الرشيد", kPerson, "mhmd rshd"},
    {"شرکت ملی نفت ایران", kAny, "ml nft rn"},
    {"בנק הפועלים", kAny, "bnk hbwlm"},
};

TEST(NormalizeName, ExtraKeys) {
  for (const KeyCase& c : kKeyCases) {
    const NormalizedName n = NormalizeName(c.raw, c.type);
    EXPECT_THAT(n.extra_keys, Contains(std::string(c.key))) << "raw: " << c.raw;
  }
}

TEST(NormalizeName, ExtraKeysAreDistinctAndNotLatin) {
  for (const TokenCase& c : kTokenCases) {
    const NormalizedName n = NormalizeName(c.raw, c.type);
    EXPECT_THAT(n.extra_keys, Each(Not(std::string()))) << c.raw;
    EXPECT_THAT(n.extra_keys, Not(Contains(n.latin))) << c.raw;
    for (size_t i = 0; i < n.extra_keys.size(); ++i) {
      for (size_t j = i + 1; j < n.extra_keys.size(); ++j) {
        EXPECT_NE(n.extra_keys[i], n.extra_keys[j]) << c.raw;
      }
    }
  }
}

TEST(NormalizeName, PlainLatinNamesHaveNoExtraKeys) {
  EXPECT_TRUE(NormalizeName("HUAWEI TECHNOLOGIES CO., LTD.").extra_keys.empty());
  EXPECT_TRUE(NormalizeName("Société Générale").extra_keys.empty());
}

// --- Cross-spelling agreement ----------------------------------------------------

TEST(NormalizeName, SpellingsShareCanonicalTokens) {
  const NormalizedName a = NormalizeName("HUAWEI TECHNOLOGIES CO., LTD.");
  const NormalizedName b = NormalizeName("Huawei Tech. Co Ltd");
  ASSERT_EQ(a.tokens.size(), b.tokens.size());
  for (size_t i = 0; i < a.tokens.size(); ++i) {
    EXPECT_EQ(a.tokens[i].canon, b.tokens[i].canon) << i;
  }
  EXPECT_EQ(NormalizeName("HUA WEI").compact, NormalizeName("Huawei").compact);
}

TEST(NormalizeName, HanNameReachesLatinSpelling) {
  const NormalizedName n = NormalizeName("华为技术有限公司");
  EXPECT_EQ(n.compact.rfind("huawei", 0), 0u) << n.compact;
  EXPECT_EQ(n.SignificantTokenCount(), 3u);  // hua wei jishu
}

TEST(NormalizeName, ArabicSkeletonMatchesLatinSpellings) {
  const NormalizedName arabic = NormalizeName("محمد", kPerson);
  EXPECT_EQ(ConsonantSkeleton(arabic.latin), "mhmd");
  EXPECT_EQ(ConsonantSkeleton(NormalizeName("Mohammad", kPerson).latin), "mhmd");
  EXPECT_EQ(ConsonantSkeleton(NormalizeName("MUHAMMAD", kPerson).latin), "mhmd");
}

// Waw and ya between consonants, or after one at the end of a word, are the
// long vowels u and i; after an alif or starting a word they are consonants;
// an ayn starting a word before a consonant is written "a".
TEST(NormalizeName, ArabicLongVowels) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"أبو بكر", "abu bkr"},    {"الدوري", "al duri"}, {"ياسين", "yasin"},
      {"الظواهري", "al zwahri"}, {"أيمن", "aymn"},      {"عبد", "abd"},
      {"عادل", "adl"},           {"داود", "dawd"},      {"الحوثي", "al huthi"},
  };
  for (const auto& [raw, latin] : cases) {
    EXPECT_EQ(NormalizeName(raw, kPerson).latin, latin) << raw;
  }
}

// McCune-Reischauer keys of a Hangul name with and without the voicing of
// initials inside a word: compound names are written without spaces.
TEST(NormalizeName, HangulKeysWithAndWithoutVoicing) {
  const NormalizedName n = NormalizeName("조선대성은행", kOrg);
  auto has = [&](std::string_view key) {
    return std::find(n.extra_keys.begin(), n.extra_keys.end(), key) != n.extra_keys.end();
  };
  EXPECT_TRUE(has("chosondaesongunhaeng")) << testing::PrintToString(n.extra_keys);
  EXPECT_TRUE(has("chosontaesongunhaeng")) << testing::PrintToString(n.extra_keys);
}

// --- Significance, legal-form words, skeletons, ToLatin ---------------------------

TEST(NormalizeName, SignificantTokenCount) {
  EXPECT_EQ(NormalizeName("LLC").SignificantTokenCount(), 0u);
  EXPECT_EQ(NormalizeName("Ltd. Co., Inc.").SignificantTokenCount(), 0u);
  EXPECT_EQ(NormalizeName("The Foo Co").SignificantTokenCount(), 1u);
  EXPECT_EQ(NormalizeName("No. 2 Factory").SignificantTokenCount(), 3u);
  EXPECT_TRUE(NormalizeName("").empty());
  EXPECT_TRUE(NormalizeName("!!!").empty());
}

TEST(IsLegalFormToken, Table) {
  const std::pair<std::string_view, bool> cases[] = {
      {"ltd", true},        {"llc", true},    {"gmbh", true},   {"ooo", true},
      {"pjsc", true},       {"sa", true},     {"fzco", true},   {"corporation", true},
      {"liability", false}, {"joint", false}, {"group", false}, {"holdings", false},
      {"huawei", false},    {"", false},      {"LTD", false},
  };
  for (const auto& [token, expected] : cases) {
    EXPECT_EQ(IsLegalFormToken(token), expected) << token;
  }
}

// Given names and their patronymics across Russian, Ukrainian and
// Belarusian spellings (OFAC SDN writes "LUKASHENKA, Alyaksandr
// Hryhoryavich" and "LUKASHENKO, Alexander Grigorievich").
TEST(CanonicalForm, EastSlavicNamesAndPatronymics) {
  EXPECT_EQ(CanonicalForm("serhiy"), "sergey");
  EXPECT_EQ(CanonicalForm("siarhei"), "sergey");
  EXPECT_EQ(CanonicalForm("alexander"), "aleksandr");
  for (const char* p : {"vladimirovich", "volodymyrovych", "uladzimiravich", "wladimirovich"}) {
    EXPECT_EQ(CanonicalForm(p), "vladimirovich") << p;
  }
  for (const char* p : {"grigorievich", "grigoryevich", "hryhoryavich", "hryhoriyovych"}) {
    EXPECT_EQ(CanonicalForm(p), "grigoriyovich") << p;
  }
  for (const char* p : {"sergeyevich", "sergeevich", "serhiyovych"}) {
    EXPECT_EQ(CanonicalForm(p), "sergeyovich") << p;
  }
  EXPECT_EQ(CanonicalForm("nikolaevich"), "nikolayovich");
  EXPECT_EQ(CanonicalForm("mykolayovych"), "nikolayovich");
  EXPECT_EQ(CanonicalForm("pavlovich"), "pavelovich");
  EXPECT_EQ(CanonicalForm("aliaksandrawna"), "aleksandrovna");
  EXPECT_EQ(CanonicalForm("oleksandrivna"), "aleksandrovna");
  // Surnames and words that only look like patronymics stay as they are.
  EXPECT_EQ(CanonicalForm("abramovich"), "abramovich");
  EXPECT_EQ(CanonicalForm("petrovic"), "petrovic");
}

// Korean names: McCune-Reischauer and Revised Romanization spellings of
// one syllable share a key when every word of a person's name is one
// syllable (OFAC SDN writes "RI, Chong Chol" and "RI, Jong Chol").
TEST(NormalizeName, KoreanSyllables) {
  auto canons = [](std::string_view raw, NameType type = NameType::kUnknown) {
    std::string out;
    for (const Token& t : NormalizeName(raw, type).tokens) out += t.canon + " ";
    return out;
  };
  EXPECT_EQ(canons("RI, Jong Chol"), canons("RI, Chong-chol"));
  EXPECT_EQ(canons("JANG, Bom Su"), canons("JANG, Pom Su"));
  EXPECT_EQ(canons("RI, Thae Chol"), canons("RI, T'ae-Ch'o'l"));
  EXPECT_EQ(canons("KIM, Jong Un"), "kim chong un ");
  // Not organisations, not names with a word that is no syllable.
  EXPECT_EQ(canons("Jong Bom", NameType::kOrganization), "jong bom ");
  EXPECT_EQ(canons("Jong Bom Smith"), "jong bom smith ");
  EXPECT_EQ(canons("Bom"), "bom ");
}

TEST(CanonicalForm, AgreesWithTheTokensOfNames) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"technologies", "tech"}, {"jishu", "tech"},   {"jituan", "group"},   {"grupo", "group"},
      {"huawei", "huawei"},     {"iranian", "iran"}, {"russian", "russia"}, {"", ""},
  };
  for (const auto& [token, canon] : cases) {
    EXPECT_EQ(CanonicalForm(token), canon) << token;
    if (token.empty()) continue;
    // The same as a name's token gets on its own.
    const NormalizedName n = NormalizeName(token);
    ASSERT_EQ(n.tokens.size(), 1u) << token;
    EXPECT_EQ(n.tokens[0].canon, canon) << token;
  }
}

TEST(ConsonantSkeleton, Table) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"mohammad", "mhmd"},  {"muhammad", "mhmd"}, {"mhmd", "mhmd"},
      {"abd allah", "bd lh"}, {"abdullah", "bdlh"}, {"al rashid", "rshd"},
      {"hussein", "hsn"},    {"husayn", "hsn"},    {"", ""},
      {"aeiou y", ""},       {"Qasem 2", "ksm 2"},  {"javad", "jwd"},
      {"jwad", "jwd"},       {"pwtyn", "bwtn"},
  };
  for (const auto& [latin, expected] : cases) {
    EXPECT_EQ(ConsonantSkeleton(latin), expected) << latin;
  }
}

TEST(ToLatin, Table) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"HUAWEI Co., Ltd.", "huawei co., ltd."},
      {"  Müller  ", "muller"},
      {"Касперский", "kasperskiy"},
      {"华为", "hua wei"},
      {"", ""},
  };
  for (const auto& [raw, expected] : cases) {
    EXPECT_EQ(ToLatin(raw), expected) << raw;
  }
}

// --- Robustness -----------------------------------------------------------------------

TEST(NormalizeName, OriginalIsTrimmedAndValid) {
  EXPECT_EQ(NormalizeName("  Foo Ltd \t").original, "Foo Ltd");
  const NormalizedName n = NormalizeName("Foo\xFF Ltd");
  EXPECT_EQ(n.original, "Foo\uFFFD Ltd");
  EXPECT_EQ(n.latin, "foo ltd");
}

TEST(NormalizeName, LongNameIsCutAtCharacterBoundary) {
  std::string raw;
  while (raw.size() < size_t{100} * 1024) raw += "Лаборатория Касперского Huawei 华为 ";
  const NormalizedName n = NormalizeName(raw);
  EXPECT_LE(n.original.size(), kMaxNameBytes);
  EXPECT_TRUE(IsValidUtf8(n.original));
  EXPECT_TRUE(IsValidUtf8(n.latin));
  EXPECT_FALSE(n.tokens.empty());

  const std::string ascii(size_t{100} * 1024, 'a');
  EXPECT_EQ(NormalizeName(ascii).latin.size(), kMaxNameBytes);
}

TEST(NormalizeName, InvalidUtf8IsDropped) {
  const std::string_view cases[] = {
      "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "abc\xE4\xB8", "\xFF\xFF\xFFname",
  };
  for (std::string_view raw : cases) {
    const NormalizedName n = NormalizeName(raw);
    EXPECT_TRUE(IsValidUtf8(n.latin)) << raw;
    EXPECT_TRUE(IsValidUtf8(n.original)) << raw;
    for (const Token& t : n.tokens) {
      EXPECT_FALSE(t.text.empty());
      EXPECT_TRUE(IsValidUtf8(t.text));
    }
  }
  EXPECT_EQ(NormalizeName("\xFF\xFF\xFFname").latin, "name");
}

TEST(NormalizeName, SameResultOnEveryThread) {
  const std::vector<std::string> names = {"华为技术有限公司", "Касперский",
                                          "محمد الرشيد",      "Κωνσταντίνος",
                                          "Müller GmbH",      "조선광업개발무역회사"};
  std::vector<std::string> expected;
  expected.reserve(names.size());
  for (const std::string& name : names) expected.push_back(NormalizeName(name).latin);
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < names.size(); ++i) {
          if (NormalizeName(names[i]).latin != expected[i]) ++failures[t];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(failures, Each(0));
}

}  // namespace
}  // namespace icts::text
