#include "match/score.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace icts::match {
namespace {

using text::NameType;
using text::NormalizedName;
using text::Token;
using text::TokenKind;

// Builds a normalised name by hand, independent of the normaliser. `spec` is
// space-separated tokens written text[=canon][/K][.] where K is L (legal
// form), S (stop word), N (number) or I (initial), and a trailing '.' marks
// an abbreviation. compact and latin are derived as NormalizeName documents.
NormalizedName N(const std::string& spec, std::vector<std::string> extra_keys = {}) {
  NormalizedName name;
  name.original = spec;
  name.script = "Latin";
  std::istringstream in(spec);
  std::string word;
  while (in >> word) {
    Token tok;
    if (word.size() > 1 && word.back() == '.') {
      tok.abbreviated = true;
      word.pop_back();
    }
    const size_t slash = word.find('/');
    if (slash != std::string::npos) {
      const char kind = word[slash + 1];
      tok.kind = kind == 'L'   ? TokenKind::kLegalForm
                 : kind == 'S' ? TokenKind::kStopWord
                 : kind == 'N' ? TokenKind::kNumber
                 : kind == 'I' ? TokenKind::kInitial
                               : TokenKind::kWord;
      word.resize(slash);
    }
    const size_t eq = word.find('=');
    if (eq != std::string::npos) {
      tok.canon = word.substr(eq + 1);
      word.resize(eq);
    }
    tok.text = word;
    if (tok.canon.empty()) tok.canon = tok.text;
    if (!name.latin.empty()) name.latin += ' ';
    name.latin += tok.text;
    if (tok.kind == TokenKind::kWord || tok.kind == TokenKind::kNumber ||
        tok.kind == TokenKind::kInitial) {
      name.compact += tok.text;
    }
    name.tokens.push_back(std::move(tok));
  }
  name.extra_keys = std::move(extra_keys);
  return name;
}

double Uniform(std::string_view) { return 1.0; }

// IDF-like weights of a list of a few thousand names: place names and
// industry words are common, brand names rare; unknown tokens weigh most.
double Idf(std::string_view token) {
  static const std::map<std::string, double, std::less<>> kWeights = {
      {"technologies", 2.0}, {"technology", 2.0}, {"tech", 2.0},      {"digital", 3.5},
      {"electronics", 3.5},  {"china", 2.5},      {"telecom", 4.5},   {"mobile", 4.5},
      {"hangzhou", 4.0},     {"zhejiang", 4.0},   {"group", 2.0},     {"trading", 2.0},
      {"bank", 2.0},         {"iran", 3.0},       {"huawei", 8.0},    {"hikvision", 9.0},
      {"dahua", 8.0},        {"zte", 8.0},        {"corp", 1.0},      {"co", 0.5},
      {"ltd", 0.5},          {"global", 2.0},     {"international", 2.0},
  };
  const auto it = kWeights.find(token);
  return it != kWeights.end() ? it->second : 9.0;
}

double Score(const NormalizedName& a, const NormalizedName& b, const TokenWeightFn& w = Uniform,
             NameType type = NameType::kUnknown) {
  ScoreOptions options;
  options.type = type;
  return ScoreNames(a, b, w, options).score;
}

// --- Table of labelled pairs -----------------------------------------------

enum class Expect { kMatch, kNoMatch };

struct Case {
  const char* query;
  const char* list;
  Expect expect;
  NameType type = NameType::kUnknown;
  bool idf = false;  // Idf() instead of uniform weights.
  const char* why = "";
};

const Case kCases[] = {
    // Identical and near-identical.
    {"huawei technologies=tech co/L ltd/L", "huawei technologies=tech co/L ltd/L", Expect::kMatch},
    {"huawei technologies=tech co/L ltd/L", "huawei tech=tech. co/L ltd/L", Expect::kMatch,
     NameType::kOrganization, false, "abbreviation via canonical form"},
    {"hua wei technologies=tech", "huawei technologies=tech", Expect::kMatch,
     NameType::kOrganization, false, "split syllables joined"},
    {"huawei technologies=tech", "hua wei technologies=tech", Expect::kMatch,
     NameType::kOrganization, false, "split on the list side"},
    {"hikvison digital technology=tech", "hikvision digital technology=tech", Expect::kMatch,
     NameType::kOrganization, false, "typo"},
    {"hikvison", "hikvision", Expect::kMatch, NameType::kOrganization, false, "typo, one token"},
    {"hangzhou hikvision digital technology=tech co/L ltd/L",
     "hangzhou hikvision digital technology=tech", Expect::kMatch, NameType::kOrganization, false,
     "legal form dropped"},
    {"acme corp/L", "acme gmbh/L", Expect::kMatch, NameType::kOrganization, false,
     "legal form changed"},
    {"vladimir putin", "putin vladimir vladimirovich", Expect::kMatch, NameType::kPerson, false,
     "surname first plus patronymic"},
    {"putin vladimir vladimirovich", "vladimir putin", Expect::kMatch, NameType::kPerson, false,
     "reverse direction"},
    {"v/I putin", "vladimir putin", Expect::kMatch, NameType::kPerson, false, "initial"},
    {"mohamed ali", "muhammed ali", Expect::kMatch, NameType::kPerson, false, "transliteration"},
    {"international=intl trading", "int. trading", Expect::kMatch, NameType::kOrganization,
     false, "abbreviated prefix"},
    {"hikvision", "hangzhou hikvision digital technology=tech co/L ltd/L", Expect::kNoMatch,
     NameType::kOrganization, false, "subset of a long name, uniform weights"},
    // Non-matches.
    {"acme corp/L", "beta corp/L", Expect::kNoMatch, NameType::kOrganization, false,
     "only the legal form is shared"},
    {"china telecom", "china mobile", Expect::kNoMatch, NameType::kOrganization, false},
    {"china telecom", "china mobile", Expect::kNoMatch, NameType::kOrganization, true},
    {"dahua electronics corporation=corp/L", "zhejiang dahua technology=tech co/L ltd/L",
     Expect::kNoMatch, NameType::kOrganization, false},
    {"dahua electronics corporation=corp/L", "zhejiang dahua technology=tech co/L ltd/L",
     Expect::kNoMatch, NameType::kOrganization, true},
    {"zte parsian", "zte corporation=corp/L", Expect::kNoMatch, NameType::kOrganization, false},
    {"zte parsian", "zte corporation=corp/L", Expect::kNoMatch, NameType::kOrganization, true},
    {"dji", "islamic jihad group", Expect::kNoMatch, NameType::kOrganization, false},
    {"no/S 2/N factory", "no/S 3/N factory", Expect::kNoMatch, NameType::kOrganization, false,
     "numbers must be equal"},
    {"bank melli", "bank sepah", Expect::kNoMatch, NameType::kOrganization, true},
    {"global trading co/L ltd/L", "global trading llc/L", Expect::kMatch, NameType::kOrganization,
     false, "all-common name still matches itself"},
    {"iran", "iraq", Expect::kNoMatch, NameType::kOrganization, false, "short tokens: edits only"},
    {"yv2994", "yv2984", Expect::kNoMatch, NameType::kOrganization, false,
     "codes with digits match exactly"},
    {"bicentenario viii", "bicentenario xiii", Expect::kNoMatch, NameType::kOrganization, false,
     "roman numerals are numbers"},
    {"bicentenario viii", "bicentenario v/I", Expect::kNoMatch, NameType::kOrganization, false,
     "a numeral is not a word an initial abbreviates"},
    {"shahr", "sepah", Expect::kNoMatch, NameType::kOrganization, false,
     "JW 0.76 from a shared first letter is capped by edit similarity"},
    {"khazai ahmad", "khansa ahmad", Expect::kNoMatch, NameType::kPerson, false,
     "different surnames with a common given name"},
    {"kim mun chol", "kim min chol", Expect::kNoMatch, NameType::kPerson, false,
     "a substituted token counts in full"},
};

TEST(ScoreNames, LabelledPairs) {
  for (const Case& c : kCases) {
    const TokenWeightFn w = c.idf ? TokenWeightFn(Idf) : TokenWeightFn(Uniform);
    const double s = Score(N(c.query), N(c.list), w, c.type);
    if (c.expect == Expect::kMatch) {
      EXPECT_GE(s, kDefaultThreshold) << c.query << " | " << c.list << " (" << c.why << ")";
    } else {
      EXPECT_LT(s, kDefaultThreshold) << c.query << " | " << c.list << " (" << c.why << ")";
    }
  }
}

// Bounds stated for specific pairs, tighter than the threshold.
TEST(ScoreNames, CalibrationBounds) {
  const NameType org = NameType::kOrganization;
  EXPECT_GE(Score(N("huawei technologies=tech co/L ltd/L"), N("huawei tech=tech. co/L ltd/L"),
                  Uniform, org),
            0.9);
  EXPECT_GE(Score(N("hua wei technologies=tech"), N("huawei technologies=tech"), Uniform, org),
            0.9);
  EXPECT_LT(Score(N("acme corp/L"), N("beta corp/L"), Uniform, org), 0.5);
  EXPECT_LT(Score(N("china telecom"), N("china mobile"), Uniform, org), 0.65);
  EXPECT_LT(Score(N("dji"), N("islamic jihad group"), Uniform, org), 0.05);
  EXPECT_GE(Score(N("vladimir putin"), N("putin vladimir vladimirovich"), Uniform,
                  NameType::kPerson),
            0.85);
}

TEST(ScoreNames, RareSharedTokenLiftsSubsetQuery) {
  // A one-token query inside a long list name: below the threshold with
  // uniform weights, near it when the shared token is rare and the rest of
  // the list name is common.
  const NormalizedName query = N("hikvision");
  const NormalizedName list = N("hangzhou hikvision digital technology=tech co/L ltd/L");
  const double uniform = Score(query, list, Uniform, NameType::kOrganization);
  const auto rare = [](std::string_view t) { return t == "hikvision" ? 10.0 : 1.5; };
  const double with_rarity = Score(query, list, rare, NameType::kOrganization);
  EXPECT_LT(uniform, 0.6);
  EXPECT_GE(with_rarity, kDefaultThreshold);
  // A query with an extra token the list lacks is penalised in full.
  EXPECT_LT(Score(N("zte parsian"), N("zte"), Uniform), Score(N("zte"), N("zte parsian"), Uniform));
}

// --- Properties ------------------------------------------------------------------

TEST(ScoreNames, IdentityIsOne) {
  for (const Case& c : kCases) {
    for (const char* spec : {c.query, c.list}) {
      const NormalizedName n = N(spec);
      if (n.compact.empty()) continue;
      EXPECT_DOUBLE_EQ(Score(n, n, Uniform), 1.0) << spec;
      EXPECT_DOUBLE_EQ(Score(n, n, Idf), 1.0) << spec;
      EXPECT_DOUBLE_EQ(Score(n, n, Uniform, NameType::kOrganization), 1.0) << spec;
    }
  }
}

TEST(ScoreNames, EmptyAndLegalFormOnlyScoreZero) {
  const NormalizedName empty;
  const NormalizedName acme = N("acme corp/L");
  EXPECT_EQ(Score(empty, acme), 0.0);
  EXPECT_EQ(Score(acme, empty), 0.0);
  EXPECT_EQ(Score(empty, empty), 0.0);
  const NormalizedName legal_only = N("co/L ltd/L");
  EXPECT_EQ(Score(legal_only, legal_only), 0.0);
  EXPECT_EQ(Score(legal_only, N("acme co/L ltd/L")), 0.0);
  EXPECT_EQ(Score(N("the/S of/S"), N("the/S of/S")), 0.0);
  EXPECT_TRUE(ScoreNames(legal_only, legal_only, Uniform).alignment.empty());
}

// The words of an extra key get the canonical forms a name's tokens get:
// a Han name's key joined by dictionary word ("alibaba jituan konggu")
// meets the English name whose "Group" and "Holding" translate 集团 and 控股.
TEST(ScoreNames, ExtraKeyWordsHaveCanonicalForms) {
  const NormalizedName han =
      N("a li ba ba jituan=group konggu=holding youxian/L gongsi/L", {"alibaba jituan konggu"});
  const NormalizedName english = N("alibaba group=group holding=holding limited/L");
  const ScoreExplanation ex = ScoreNames(han, english, Uniform);
  EXPECT_GE(ex.score, kDefaultThreshold);
  bool group = false;
  for (const TokenAlignment& a : ex.alignment) {
    // Pairs of an extra key show the key's factor as their similarity.
    group |= a.query_token == "jituan" && a.list_token == "group" && a.how == "other_key" &&
             a.similarity >= 0.97;
  }
  EXPECT_TRUE(group) << "jituan pairs with group through its canonical form";
  // Without the translated words only the brand pairs.
  const NormalizedName other = N("alibaba pictures=pictures limited/L");
  EXPECT_LT(Score(han, other), kDefaultThreshold);
}

// Names that carry different numbers designate different units of one
// family; the score keeps kNumberConflictFactor (0.8) of what the rest
// gives, whatever mode wins, and the explanation names the numbers.
TEST(ScoreNames, DifferentNumbersLowerTheScore) {
  struct NumberCase {
    const char* a;
    const char* b;
    bool conflict;
  };
  const NumberCase cases[] = {
      {"cetc 20th/N research institute", "cetc 29th/N research institute", true},
      {"no/S 2/N factory", "no/S 3/N factory", true},
      {"bicentenario viii", "bicentenario vii", true},  // Roman numerals.
      {"yakovlev yak130 plant", "yakovlev yak131 plant", true},  // Codes with digits.
      {"cetc 20th/N research institute", "cetc 20/N research institute", false},  // Same number.
      {"acme 2/N trading", "acme trading", false},  // Only one side has a number.
      {"acme 2/N 3/N trading", "acme 3/N 2/N trading", false},  // Same numbers.
      {"rosoboron ab123 plant", "rosoboron ab 123/N plant", false},  // Spacing only.
      {"cetc 29th=29 institute", "cetc 29/N institute", false},     // Ordinal and number.
  };
  for (const NumberCase& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " | " + c.b);
    const NormalizedName a = N(c.a);
    const NormalizedName b = N(c.b);
    const ScoreExplanation e = ScoreNames(a, b, Uniform);
    bool named = false;
    for (const TokenAlignment& t : e.alignment) named |= t.how == "number_conflict";
    EXPECT_EQ(named, c.conflict);
    double sum = 0;
    for (const TokenAlignment& t : e.alignment) sum += t.contribution;
    EXPECT_NEAR(sum, e.name_score, 1e-9);
    EXPECT_DOUBLE_EQ(ScoreNamesFast(a, b, Uniform), e.name_score);
  }
  // The factor, on a pair whose other tokens agree: 3 of 4 tokens aligned
  // gives 0.75, and the conflict keeps 0.8 of it.
  EXPECT_NEAR(Score(N("cetc 20th/N research institute"), N("cetc 29th/N research institute")),
              0.75 * 0.8, 1e-9);
  // Whole-name modes too: the compact forms are one edit apart.
  const NormalizedName split = N("cetc 20th/N research institute");
  const NormalizedName joined = N("cetc 29th/N researchinstitute");
  EXPECT_GE(Score(split, N("cetc 20th/N researchinstitute")), 0.9);
  EXPECT_LT(Score(split, joined), 0.8);
  const ScoreExplanation conflict = ScoreNames(N("cetc 29th/N"), N("cetc 20th/N"), Uniform);
  ASSERT_FALSE(conflict.alignment.empty());
  EXPECT_EQ(conflict.alignment[0].how, "number_conflict");
  EXPECT_EQ(conflict.alignment[0].query_token, "29");
  EXPECT_EQ(conflict.alignment[0].list_token, "20");
}

TEST(ScoreNames, VeryLongNames) {
  // More significant tokens than the alignment holds, and more candidate
  // pairs than fit on the stack.
  std::string spec;
  std::string other;
  for (int i = 0; i < 40; ++i) {
    spec += "word" + std::to_string(i * 7) + " ";
    other += "word" + std::to_string(i * 7 + (i % 3 == 0 ? 1 : 0)) + " ";
  }
  const NormalizedName a = N(spec);
  const NormalizedName b = N(other);
  EXPECT_DOUBLE_EQ(Score(a, a), 1.0);
  const ScoreExplanation e = ScoreNames(a, b, Uniform);
  // 14 of the 40 codes differ, which is also a number conflict (× 0.8).
  EXPECT_GT(e.score, 0.4);
  EXPECT_LT(e.score, 1.0);
  double sum = 0;
  for (const TokenAlignment& t : e.alignment) sum += t.contribution;
  EXPECT_NEAR(sum, e.score, 1e-9);
  const NormalizedName twenty = N(spec.substr(0, spec.size() / 2));
  EXPECT_DOUBLE_EQ(Score(twenty, twenty), 1.0);
}

TEST(ScoreNames, ZeroOrBadWeightsFallBack) {
  const auto zero = [](std::string_view) { return 0.0; };
  const auto nan = [](std::string_view) { return std::nan(""); };
  EXPECT_DOUBLE_EQ(Score(N("acme trading"), N("acme trading"), zero), 1.0);
  EXPECT_DOUBLE_EQ(Score(N("acme trading"), N("acme trading"), nan), 1.0);
  EXPECT_NEAR(Score(N("acme trading"), N("acme"), zero), Score(N("acme trading"), N("acme")),
              1e-12);
  EXPECT_DOUBLE_EQ(Score(N("acme trading"), N("acme trading"), TokenWeightFn()), 1.0);
}

// Random names from a small vocabulary with misspellings.
NormalizedName RandomName(std::mt19937& rng) {
  static const char* kWords[] = {"acme",   "global",  "trading", "huawei", "huawie",
                                 "hua",    "wei",     "china",   "mobile", "telecom",
                                 "telecon", "petro",  "petrol",  "sino",   "dahua",
                                 "zhejiang", "tech",  "digital", "vision", "hikvision"};
  static const char* kMinor[] = {"co/L", "ltd/L", "llc/L", "the/S", "of/S", "2/N", "j/I"};
  std::uniform_int_distribution<int> n_words(0, 5);
  std::uniform_int_distribution<size_t> word(0, std::size(kWords) - 1);
  std::uniform_int_distribution<size_t> minor(0, std::size(kMinor) - 1);
  std::uniform_int_distribution<int> coin(0, 3);
  std::string spec;
  const int n = n_words(rng);
  for (int i = 0; i < n; ++i) {
    spec += coin(rng) == 0 ? kMinor[minor(rng)] : kWords[word(rng)];
    spec += ' ';
  }
  return N(spec);
}

TEST(ScoreNames, PropertiesOnRandomNames) {
  std::mt19937 rng(42);
  ScoreOptions symmetric;
  symmetric.list_extra_weight = 1.0;
  for (int iter = 0; iter < 3000; ++iter) {
    const NormalizedName a = RandomName(rng);
    const NormalizedName b = RandomName(rng);
    const ScoreExplanation e = ScoreNames(a, b, Idf);
    ASSERT_GE(e.score, 0.0);
    ASSERT_LE(e.score, 1.0);
    ASSERT_EQ(e.score, e.name_score);
    ASSERT_DOUBLE_EQ(ScoreNamesFast(a, b, Idf), e.score);
    // Contributions add up to the name score.
    double sum = 0;
    for (const TokenAlignment& t : e.alignment) sum += t.contribution;
    ASSERT_NEAR(sum, e.name_score, 1e-6) << a.latin << " | " << b.latin;
    // With the list-side discount switched off the score is symmetric (up to
    // greedy tie-breaks, which can only move it slightly).
    const double ab = ScoreNamesFast(a, b, Idf, symmetric);
    const double ba = ScoreNamesFast(b, a, Idf, symmetric);
    ASSERT_NEAR(ab, ba, 0.05) << a.latin << " | " << b.latin;
    // The discount only ever helps the query that is the shorter side.
    ASSERT_GE(ScoreNamesFast(a, b, Idf) + 1e-12, ab);
    if (!a.compact.empty()) {
      ASSERT_DOUBLE_EQ(ScoreNamesFast(a, a, Idf), 1.0) << a.latin;
    }
  }
}

// --- Explanation -----------------------------------------------------------------

const TokenAlignment* Find(const ScoreExplanation& e, const std::string& how) {
  for (const TokenAlignment& t : e.alignment) {
    if (t.how == how) return &t;
  }
  return nullptr;
}

TEST(ScoreNames, ExplanationNamesEachPairAndUnmatchedToken) {
  ScoreOptions org;
  org.type = NameType::kOrganization;
  const ScoreExplanation e =
      ScoreNames(N("hua wei technologies=tech hikvison ltd/L"),
                 N("huawei tech=tech. hikvision digital co/L ltd/L"), Uniform, org);
  const TokenAlignment* joined = Find(e, "joined");
  ASSERT_NE(joined, nullptr);
  EXPECT_EQ(joined->query_token, "hua wei");
  EXPECT_EQ(joined->list_token, "huawei");
  const TokenAlignment* canonical = Find(e, "canonical");
  ASSERT_NE(canonical, nullptr);
  EXPECT_EQ(canonical->query_token, "technologies");
  const TokenAlignment* fuzzy = Find(e, "jaro_winkler");
  ASSERT_NE(fuzzy, nullptr);
  EXPECT_EQ(fuzzy->list_token, "hikvision");
  EXPECT_GT(fuzzy->similarity, 0.9);
  EXPECT_LT(fuzzy->similarity, 1.0);
  const TokenAlignment* unmatched = Find(e, "unmatched");
  ASSERT_NE(unmatched, nullptr);
  EXPECT_EQ(unmatched->list_token, "digital");
  EXPECT_EQ(unmatched->query_token, "");
  EXPECT_EQ(unmatched->contribution, 0.0);
  const TokenAlignment* legal = Find(e, "legal_form");
  ASSERT_NE(legal, nullptr);
  double sum = 0;
  for (const TokenAlignment& t : e.alignment) sum += t.contribution;
  EXPECT_NEAR(sum, e.name_score, 1e-9);
  EXPECT_EQ(e.score, e.name_score);
  EXPECT_TRUE(e.adjustments.empty());
}

TEST(ScoreNames, HowLabels) {
  const auto how_of = [](const char* q, const char* l, NameType type = NameType::kUnknown) {
    ScoreOptions options;
    options.type = type;
    const ScoreExplanation e = ScoreNames(N(q), N(l), Uniform, options);
    return e.alignment.empty() ? std::string() : e.alignment.front().how;
  };
  EXPECT_EQ(how_of("acme", "acme"), "exact");
  EXPECT_EQ(how_of("technologies=tech", "tech=tech"), "canonical");
  EXPECT_EQ(how_of("int.", "international"), "abbreviation");
  EXPECT_EQ(how_of("hua wei", "huawei"), "joined");
  EXPECT_EQ(how_of("hikvison", "hikvision"), "jaro_winkler");
  EXPECT_EQ(how_of("bank", "bant"), "levenshtein");
  EXPECT_EQ(how_of("j/I smith", "john smith", NameType::kPerson), "exact");
  EXPECT_EQ(how_of("acme", "beta"), "unmatched");
  // Stop words are named as such, paired or not (they weigh a tenth of a
  // word).
  const ScoreExplanation stops = ScoreNames(N("bank of/S china"), N("bank china the/S"), Uniform);
  size_t stop_rows = 0;
  for (const TokenAlignment& a : stops.alignment) {
    if (a.query_token == "of" || a.list_token == "the") {
      EXPECT_EQ(a.how, "stop_word") << a.query_token << "|" << a.list_token;
      ++stop_rows;
    }
  }
  EXPECT_EQ(stop_rows, 2u);
  // The initial pair is listed after the exact one.
  const ScoreExplanation e = ScoreNames(N("j/I smith"), N("john smith"), Uniform);
  ASSERT_EQ(e.alignment.size(), 2u);
  EXPECT_EQ(e.alignment[1].how, "initial");
}

// Initials alone identify nobody: a name whose only aligned pairs are
// initials scores 0 ("EL M" against every name with an m-word).
TEST(ScoreNames, InitialsAloneNeverMatch) {
  EXPECT_EQ(Score(N("j/I"), N("john"), Uniform, NameType::kPerson), 0.0);
  EXPECT_EQ(Score(N("el/S m/I"), N("mhmdshkhwndzdh")), 0.0);
  EXPECT_EQ(Score(N("j/I s/I"), N("john smith"), Uniform, NameType::kPerson), 0.0);
  EXPECT_GT(Score(N("j/I smith"), N("john smith"), Uniform, NameType::kPerson), 0.9);
}

TEST(ScoreNames, OrderPenaltyForOrganisationsOnly) {
  const NormalizedName a = N("golden star trading");
  const NormalizedName b = N("star golden trading");
  EXPECT_LT(Score(a, b, Uniform, NameType::kOrganization), 1.0);
  EXPECT_GE(Score(a, b, Uniform, NameType::kOrganization), 0.95);
  EXPECT_DOUBLE_EQ(Score(a, b, Uniform, NameType::kPerson), 1.0);
}

TEST(ScoreNames, LegalFormsMatterLittle) {
  const double same = Score(N("acme llc/L"), N("acme llc/L"));
  const double changed = Score(N("acme llc/L"), N("acme gmbh/L"));
  const double dropped = Score(N("acme llc/L"), N("acme"));
  EXPECT_DOUBLE_EQ(same, 1.0);
  EXPECT_GE(changed, 0.9);
  EXPECT_LT(changed, 1.0);
  EXPECT_DOUBLE_EQ(dropped, 1.0);  // One side without legal form: ignored.
}

TEST(ScoreNames, CompactAndOtherKeys) {
  // Three-way split that pairwise joins cannot repair.
  EXPECT_GE(Score(N("hang zhou hik vision"), N("hangzhou hikvision")), 0.95);
  // Another romanisation carried as an extra key.
  const NormalizedName q = N("aleksandr ivanov", {"alexandr ivanov"});
  const NormalizedName l = N("alexandr ivanow", {"aleksandr ivanov"});
  const ScoreExplanation e = ScoreNames(q, l, Uniform);
  EXPECT_GE(e.score, 0.9);
  // Keys are aligned token by token like names, at a small discount.
  const ScoreExplanation ek =
      ScoreNames(N("zzz yyy", {"abcdef ghij"}), N("qqq", {"ghij abcdef"}), Uniform);
  EXPECT_NEAR(ek.score, (1.0 - 0.015) * 0.97, 1e-9);  // Reordered, unknown type.
  ASSERT_EQ(ek.alignment.size(), 2u);
  EXPECT_EQ(ek.alignment[0].how, "other_key");
  EXPECT_EQ(ek.alignment[1].how, "other_key");
  double sum = 0;
  for (const TokenAlignment& t : ek.alignment) sum += t.contribution;
  EXPECT_NEAR(sum, ek.score, 1e-9);
  // A key against the other name's own tokens.
  EXPECT_NEAR(Score(N("zzz", {"acme trading"}), N("acme trading")), 0.97, 1e-9);
}

// Compact forms one edit apart: a typo across different splits, but with
// initials only a letter added or left out (OFAC SDN alias pairs such as
// "SLUTSKY, Leonid" / "SLUTSKY, Leonid E."), never one replaced.
TEST(ScoreNames, CompactEditsAndInitials) {
  EXPECT_NEAR(Score(N("xq zr wv ty abcdefgh"), N("xqzrwvtyabcdefgk")), 0.91, 1e-9);
  // "ipcinternational" / "npcinternational": another company.
  EXPECT_LT(Score(N("ipc international"), N("n/I p/I c/I international")), 0.8);
  EXPECT_LT(Score(N("i/I a/I c/I international"), N("ipc international")), 0.8);
  // "slutskyleonid" / "slutskyleonide": still one edit.
  const ScoreExplanation e = ScoreNames(N("slutskyleonid"), N("slutsky leonid e/I"), Uniform);
  EXPECT_NEAR(e.score, 0.91, 1e-9);
  ASSERT_FALSE(e.alignment.empty());
  EXPECT_EQ(e.alignment[0].how, "joined");
}

// A patronymic only one name has costs a fifth of its weight (OFAC SDN
// aliases such as "ZAYTSEV, Aleksey Alekseyevich" / "ZAYTSEV, Alexey"):
// not a name's first word, not for organisations, not with fewer than two
// other words paired or when legal forms or stop words count; two different
// patronymics are a substitution.
TEST(ScoreNames, PatronymicOnlyOneNameHas) {
  const ScoreExplanation e =
      ScoreNames(N("kurchenko sergey vitalievich"), N("kurchenko sergey"), Uniform);
  EXPECT_NEAR(e.score, 4.0 / 4.2, 1e-9);
  bool named = false;
  for (const TokenAlignment& t : e.alignment) {
    if (t.query_token == "vitalievich") {
      named = true;
      EXPECT_EQ(t.how, "patronymic");
      EXPECT_NEAR(t.weight, 0.2, 1e-9);
    }
  }
  EXPECT_TRUE(named);
  EXPECT_NEAR(Score(N("kurchenko sergey"), N("kurchenko sergey vitalievna")), 4.0 / 4.2, 1e-9);
  EXPECT_NEAR(Score(N("kurchenko sergey"), N("kurchenko sergey vitaliivna")), 4.0 / 4.2, 1e-9);
  // Other endings, and South Slavic surnames, are words like any other.
  // (An unmatched list word costs 0.6 of its weight.)
  EXPECT_NEAR(Score(N("kurchenko sergey"), N("kurchenko sergey petrovic")), 4.0 / 4.6, 1e-9);
  EXPECT_NEAR(Score(N("kurchenko sergey"), N("kurchenko sergey vitalievski")), 4.0 / 4.6, 1e-9);
  // A surname in first place.
  EXPECT_LT(Score(N("abramovich roman arkadyevich"), N("roman arkadyevich")), 0.85);
  // One other word paired only.
  EXPECT_LT(Score(N("sergey vitalievich"), N("sergey")), 0.8);
  // Different patronymics.
  EXPECT_LT(Score(N("ivanov sergey petrovich"), N("ivanov sergey ivanovich")), 0.7);
  // Organisations, and names with legal forms on both sides.
  ScoreOptions organisation;
  organisation.type = NameType::kOrganization;
  EXPECT_LT(
      ScoreNames(N("kurchenko sergey vitalievich"), N("kurchenko sergey"), Uniform, organisation)
          .score,
      0.85);
  EXPECT_LT(Score(N("kurchenko sergey vitalievich ooo/L"), N("kurchenko sergey ooo/L")), 0.85);
}

// The links of an Arabic genealogical chain ("bin Mohamed") likewise (OFAC
// SDN: "AL-ALI, Hamid" / "AL-ALI, Hamid bin Abdallah Ahmed"); stop words on
// both sides do not prevent it. A family name after "bin" in first place
// ("BIN LADIN, Usama") is not one.
TEST(ScoreNames, GenealogicalChainOnlyOneNameHas) {
  // "abdallah" at 0.2, "ahmed" at 0.6; "al" paired and "bin" unpaired at a
  // tenth of a word.
  EXPECT_NEAR(Score(N("al/S ali hamid"), N("al/S ali hamid bin/S abdallah ahmed")),
              (4.0 + 0.2) / (4.0 + 0.2 + 0.6 + 0.2 + 0.05), 1e-9);
  EXPECT_NEAR(Score(N("kammoun mehdi bin/S mohamed bin/S ali"), N("kammoun mehdi")),
              4.0 / (4.0 + 0.4), 1e-9);
  // Without the particle the same words are words like any other.
  EXPECT_NEAR(Score(N("kammoun mehdi mohamed ali"), N("kammoun mehdi")), 4.0 / (4.0 + 1.6), 1e-9);
  EXPECT_LT(Score(N("bin/S ladin usama"), N("usama hamza")), 0.8);
}

// A romanised name as NormalizeName gives it for a name in Arabic script.
NormalizedName FromArabic(const std::string& romanised) {
  NormalizedName n = N(romanised);
  n.script = "Arabic";
  return n;
}

ScoreOptions PersonOptions() {
  ScoreOptions person;
  person.type = NameType::kPerson;
  return person;
}

TEST(ScoreNames, ConsonantSkeletonsAcrossScripts) {
  // Romanised Arabic script writes no short vowels: "fladymyr bwtyn" is
  // "vladimir putin".
  const ScoreOptions person = PersonOptions();
  const ScoreExplanation e =
      ScoreNames(FromArabic("fladymyr bwtyn"), N("vladimir putin"), Uniform, person);
  EXPECT_NEAR(e.score, 0.95, 1e-9);
  ASSERT_EQ(e.alignment.size(), 2u);
  EXPECT_EQ(e.alignment[0].how, "other_key");
  EXPECT_EQ(e.alignment[0].query_token, "fladymyr");  // Shown as written.
  // Only for those scripts: the same Latin text is no match otherwise.
  EXPECT_LT(ScoreNames(N("fladymyr bwtyn"), N("vladimir putin"), Uniform, person).score, 0.5);
}

// Two-consonant skeletons pair only when the query is the name written
// without short vowels: its short words lost their vowels ("zt" for
// "Izzat"), where a Latin query kept them.
TEST(ScoreNames, ShortSkeletonsForQueriesWithoutShortVowels) {
  const ScoreOptions person = PersonOptions();
  const NormalizedName arabic = FromArabic("azt mhmud");
  EXPECT_NEAR(ScoreNames(arabic, N("izzat mahmoud"), Uniform, person).score, 0.95, 1e-9);
  // One consonant is never enough ("ly" / "eli").
  EXPECT_LT(ScoreNames(FromArabic("ly mhmud"), N("eli mahmoud"), Uniform, person).score, 0.8);
  // The Latin query against the same name in Arabic script keeps its text.
  EXPECT_LT(ScoreNames(N("izzat mahmoud"), arabic, Uniform, person).score, 0.8);
}

TEST(ApplyAdjustment, AddsAndClamps) {
  ScoreExplanation e;
  e.name_score = e.score = 0.9;
  ApplyAdjustment(&e, {"country", 0.05, "query CN = list CN"});
  EXPECT_DOUBLE_EQ(e.score, 0.95);
  ApplyAdjustment(&e, {"identifier", 0.2, "same IMO"});
  EXPECT_DOUBLE_EQ(e.score, 1.0);
  ApplyAdjustment(&e, {"type", -2.0, "query Person vs list Organization"});
  EXPECT_DOUBLE_EQ(e.score, 0.0);
  EXPECT_EQ(e.adjustments.size(), 3u);
  EXPECT_DOUBLE_EQ(e.name_score, 0.9);
}

// --- Through the normaliser ------------------------------------------------------

// These use CompareNames end to end and so depend on NormalizeName; they skip
// while the normaliser produces no tokens.
#define REQUIRE_NORMALIZER()                                          \
  do {                                                                \
    if (text::NormalizeName("Huawei").tokens.empty()) {               \
      GTEST_SKIP() << "NormalizeName returns no tokens in this build"; \
    }                                                                 \
  } while (0)

TEST(CompareNames, ExamplePairs) {
  REQUIRE_NORMALIZER();
  struct Row {
    const char* a;
    const char* b;
    double min;
    double max;
  };
  const Row rows[] = {
      {"HUAWEI TECHNOLOGIES CO., LTD.", "HUAWEI TECHNOLOGIES CO., LTD.", 1.0, 1.0},
      {"HUAWEI TECHNOLOGIES CO., LTD.", "Huawei Tech. Co Ltd", 0.9, 1.0},
      {"HUA WEI TECHNOLOGIES", "HUAWEI TECHNOLOGIES", 0.9, 1.0},
      {"HIKVISON", "HIKVISION", 0.9, 1.0},
      {"HIKVISON DIGITAL TECHNOLOGY", "HIKVISION DIGITAL TECHNOLOGY", 0.9, 1.0},
      {"ACME CORP", "BETA CORP", 0.0, 0.5},
      {"CHINA TELECOM", "CHINA MOBILE", 0.0, 0.65},
      {"DAHUA ELECTRONICS CORPORATION", "ZHEJIANG DAHUA TECHNOLOGY CO., LTD.", 0.0, 0.8},
      {"ZTE PARSIAN", "ZTE CORPORATION", 0.0, 0.8},
      {"DJI", "ISLAMIC JIHAD GROUP", 0.0, 0.05},
      {"Vladimir Putin", "Putin Vladimir Vladimirovich", 0.8, 1.0},
      {"Путин Владимир Владимирович", "Vladimir Putin", 0.8, 1.0},
      // Romanised Arabic script against Latin: consonant skeletons.
      {"\u0641\u0644\u0627\u062f\u064a\u0645\u064a\u0631 \u0628\u0648\u062a\u064a\u0646",
       "Vladimir Putin", 0.8, 1.0},
      // A one-token query against a three-token list name: coverage is one
      // third, so below the threshold without rarity weights.
      {"HIKVISON", "HIKVISION DIGITAL TECHNOLOGY", 0.5, 0.8},
  };
  for (const Row& r : rows) {
    const double s = CompareNames(r.a, r.b).score;
    EXPECT_GE(s, r.min) << r.a << " | " << r.b;
    EXPECT_LE(s, r.max) << r.a << " | " << r.b;
  }
}

TEST(CompareNames, EmptyInput) {
  EXPECT_EQ(CompareNames("", "ACME").score, 0.0);
  EXPECT_EQ(CompareNames("", "").score, 0.0);
  EXPECT_EQ(CompareNames("...", "Co., Ltd.").score, 0.0);
}

}  // namespace
}  // namespace icts::match
