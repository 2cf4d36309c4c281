// Quality evaluation of name matching on the labelled pairs in
// data/eval/name-pairs.csv (see data/eval/README.md).
//
// NameEval.MeetsFloors scores every pair with CompareNames and reports
// precision, recall and F1 at kDefaultThreshold, overall and per group, plus
// the worst false positives and false negatives. ScreenerEval.FindsListedAliases
// builds a snapshot from real list files and checks that each positive pair's
// `b`, when it is a name in those lists, comes back when screening `a`, and
// counts how often a hard negative's `b` comes back instead.
//
// The set is an evaluation set, not a tuning set: change the scorer for
// reasons of its own and re-measure here, never the other way round.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "base/file.h"
#include "match/score.h"
#include "match/screener.h"
#include "refdata/build.h"
#include "refdata/csv.h"
#include "refdata/snapshot.h"
#include "refdata/un_loader.h"
#include "tests/test_util.h"
#include "text/normalize.h"

namespace icts::match {
namespace {

// Minimum acceptable values. These are floors to catch regressions, set a
// little below the values measured with the current scorer (rounded down to
// 0.01, the ceilings rounded up), not targets. If a change drops a value past
// its floor, look at the change, not the floor; when the scorer improves,
// raise the floors to just below the new measurements.
//
// Measured now (712 pairs; the last 13, ten numbered units of Chinese
// defence groups that differ by number and three aliases of such units,
// were added with the number-conflict rule; the words of extra keys have
// had canonical forms since, adjectives of countries read as the country,
// more legal forms are known written out, an izafe "i" links words, Arabic
// waw and ya read as long vowels, Hangul gets an unvoiced McCune-Reischauer
// key, Arabic-script queries pair two-consonant skeletons, an
// organisation's own acronym is a stop word, compact forms of names with
// initials differ only by letters added or left out, and a patronymic or a
// link of a genealogical chain that one name lacks costs less):
// overall P 0.775 R 0.846 F1 0.809; recall alias 0.708, legal_form 1.000,
// cross_script 0.789, typo_order 0.971; hard-negative FP rate 0.232;
// screener recall 1.000, screener hard-negative hits 0.189. A mature scorer
// should reach overall F1 >= 0.85 with a hard-negative FP rate <= 0.05 on
// this set.
constexpr double kMinOverallF1 = 0.80;
constexpr double kMinOverallPrecision = 0.77;
constexpr double kMinOverallRecall = 0.85;
constexpr double kMinAliasRecall = 0.70;
constexpr double kMinLegalFormRecall = 0.99;
constexpr double kMinCrossScriptRecall = 0.80;
constexpr double kMinTypoOrderRecall = 0.97;
constexpr double kMaxHardNegativeFpRate = 0.235;
// Screening test: share of positive pairs whose listed name is found, and
// share of hard negatives whose `b` party is returned for `a`.
constexpr double kMinScreenerRecall = 0.99;
constexpr double kMaxScreenerHardNegativeRate = 0.195;

// The set's own shape (checked before any scoring).
constexpr size_t kMinPairs = 450;

const char* const kGroups[] = {"alias", "legal_form", "cross_script", "typo_order",
                               "hard_negative"};

struct Pair {
  uint64_t line = 0;
  std::string group, a, b, type, source, note;
  int label = 0;
  double score = 0;
};

std::string EvalPath() { return testing::SourceDir() + "/data/eval/name-pairs.csv"; }

// Reads and validates the CSV; fails the current test on any problem.
std::vector<Pair> LoadPairs() {
  std::vector<Pair> pairs;
  const std::string path = EvalPath();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return pairs;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  refdata::CsvReader reader(data, path);
  refdata::CsvRecord rec;
  const std::vector<std::string> header = {"group", "a",      "b",   "label",
                                           "type",  "source", "note"};
  if (!reader.Next(&rec) || rec.fields != header) {
    ADD_FAILURE() << path << ": header must be group,a,b,label,type,source,note";
    return pairs;
  }
  const std::set<std::string> groups(std::begin(kGroups), std::end(kGroups));
  while (reader.Next(&rec)) {
    if (rec.fields.size() != header.size()) {
      ADD_FAILURE() << path << ":" << rec.line << ": expected 7 fields, got "
                    << rec.fields.size();
      continue;
    }
    Pair p;
    p.line = rec.line;
    p.group = rec.fields[0];
    p.a = rec.fields[1];
    p.b = rec.fields[2];
    p.type = rec.fields[4];
    p.source = rec.fields[5];
    p.note = rec.fields[6];
    const std::string& label = rec.fields[3];
    EXPECT_TRUE(label == "0" || label == "1") << path << ":" << rec.line << ": label " << label;
    p.label = label == "1" ? 1 : 0;
    EXPECT_TRUE(groups.count(p.group)) << path << ":" << rec.line << ": group " << p.group;
    EXPECT_TRUE(p.type == "person" || p.type == "organization")
        << path << ":" << rec.line << ": type " << p.type;
    EXPECT_FALSE(p.a.empty() || p.b.empty()) << path << ":" << rec.line << ": empty name";
    EXPECT_FALSE(p.source.empty()) << path << ":" << rec.line << ": empty source";
    EXPECT_EQ(p.label, p.group == "hard_negative" ? 0 : 1)
        << path << ":" << rec.line << ": label does not fit group " << p.group;
    pairs.push_back(std::move(p));
  }
  EXPECT_TRUE(reader.status().ok()) << reader.status().ToString();
  EXPECT_EQ(reader.truncated_line(), 0u) << path << " looks truncated";
  return pairs;
}

struct Counts {
  size_t tp = 0, fp = 0, tn = 0, fn = 0;
  void Add(int label, bool predicted) {
    if (label == 1) {
      predicted ? ++tp : ++fn;
    } else {
      predicted ? ++fp : ++tn;
    }
  }
  size_t positives() const { return tp + fn; }
  size_t negatives() const { return fp + tn; }
  double precision() const { return tp + fp == 0 ? 1.0 : double(tp) / double(tp + fp); }
  double recall() const { return positives() == 0 ? 1.0 : double(tp) / double(positives()); }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }
  double fp_rate() const { return negatives() == 0 ? 0.0 : double(fp) / double(negatives()); }
};

std::string Clip(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  // Cut at a UTF-8 character boundary.
  size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

void PrintRow(const char* name, const Counts& c) {
  std::printf("%-15s %5zu %5zu %5zu %5zu %5zu %5zu  %6.3f %6.3f %6.3f %7.3f\n", name,
              c.positives() + c.negatives(), c.positives(), c.tp, c.fn, c.fp, c.tn,
              c.precision(), c.recall(), c.f1(), c.fp_rate());
}

TEST(NameEval, SetIsWellFormed) {
  std::vector<Pair> pairs = LoadPairs();
  ASSERT_GE(pairs.size(), kMinPairs);
  size_t negatives = 0;
  std::set<std::pair<std::string, std::string>> seen;
  for (const Pair& p : pairs) {
    if (p.group == "hard_negative") ++negatives;
    EXPECT_TRUE(seen.insert({p.a, p.b}).second) << "duplicate pair at line " << p.line;
  }
  // At least half of the set are hard negatives.
  EXPECT_GE(2 * negatives, pairs.size());
}

TEST(NameEval, MeetsFloors) {
  std::vector<Pair> pairs = LoadPairs();
  ASSERT_GE(pairs.size(), kMinPairs);
  const double threshold = kDefaultThreshold;

  Counts overall;
  std::map<std::string, Counts> by_group, by_type;
  for (Pair& p : pairs) {
    p.score = CompareNames(p.a, p.b).score;
    const bool predicted = p.score >= threshold;
    overall.Add(p.label, predicted);
    by_group[p.group].Add(p.label, predicted);
    by_type[p.type].Add(p.label, predicted);
  }

  std::printf("\nName matching on %zu labelled pairs at threshold %.2f\n", pairs.size(),
              threshold);
  std::printf("%-15s %5s %5s %5s %5s %5s %5s  %6s %6s %6s %7s\n", "group", "pairs", "pos",
              "TP", "FN", "FP", "TN", "prec", "recall", "F1", "FP rate");
  for (const char* g : kGroups) PrintRow(g, by_group[g]);
  for (const auto& [type, c] : by_type) PrintRow(type.c_str(), c);
  PrintRow("overall", overall);
  std::printf("(positive-only groups: read recall; hard_negative: read FP rate)\n");

  std::vector<const Pair*> false_pos, false_neg;
  for (const Pair& p : pairs) {
    if (p.label == 0 && p.score >= threshold) false_pos.push_back(&p);
    if (p.label == 1 && p.score < threshold) false_neg.push_back(&p);
  }
  std::sort(false_pos.begin(), false_pos.end(),
            [](const Pair* x, const Pair* y) { return x->score > y->score; });
  std::sort(false_neg.begin(), false_neg.end(),
            [](const Pair* x, const Pair* y) { return x->score < y->score; });
  auto print_list = [](const char* title, const std::vector<const Pair*>& list) {
    std::printf("\n%s (%zu in all, worst 10):\n", title, list.size());
    for (size_t i = 0; i < list.size() && i < 10; ++i) {
      const Pair& p = *list[i];
      std::printf("  %.3f  line %-4llu %-13s %s  |  %s\n", p.score,
                  static_cast<unsigned long long>(p.line), p.group.c_str(),
                  Clip(p.a, 60).c_str(), Clip(p.b, 60).c_str());
    }
  };
  // ICTS_EVAL_DUMP=<file> writes every pair with its score (tab-separated),
  // for looking beyond the ten worst errors.
  if (const char* dump = std::getenv("ICTS_EVAL_DUMP")) {
    if (std::FILE* f = std::fopen(dump, "w")) {
      for (const Pair& p : pairs) {
        std::fprintf(f, "%.4f\t%d\t%s\t%s\t%s\n", p.score, p.label, p.group.c_str(),
                     p.a.c_str(), p.b.c_str());
      }
      std::fclose(f);
    }
  }
  print_list("False positives", false_pos);
  print_list("False negatives", false_neg);
  std::printf("\n");

  EXPECT_GE(overall.f1(), kMinOverallF1);
  EXPECT_GE(overall.precision(), kMinOverallPrecision);
  EXPECT_GE(overall.recall(), kMinOverallRecall);
  EXPECT_GE(by_group["alias"].recall(), kMinAliasRecall);
  EXPECT_GE(by_group["legal_form"].recall(), kMinLegalFormRecall);
  EXPECT_GE(by_group["cross_script"].recall(), kMinCrossScriptRecall);
  EXPECT_GE(by_group["typo_order"].recall(), kMinTypoOrderRecall);
  EXPECT_LE(by_group["hard_negative"].fp_rate(), kMaxHardNegativeFpRate);
}

// Screening: for every positive pair whose `b` is, verbatim, a name or alias
// of an entity in the lists loaded below, screening `a` must return one of
// the entities carrying that name.
// Names this set does not hold: every UN consolidated list entry with a name
// in Arabic script (NAME_ORIGINAL_SCRIPT) against its own primary name, and
// against the primary names of 40 other such entries each. Floors, as above.
constexpr double kMinUnArabicRecall = 0.57;
constexpr double kMaxUnArabicFalseMatches = 0.001;

TEST(NameEval, UnArabicScriptNames) {
  const std::string path = testing::SharedData("un-consolidated/UN_consolidated.xml");
  ICTS_REQUIRE_SHARED_DATA(path);
  const Result<std::string> data = ReadFileToString(path);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  refdata::CollectingSink sink;
  refdata::LoadReport report;
  ASSERT_TRUE(refdata::LoadUn({path, *data}, sink, report).ok());
  auto arabic = [](std::string_view name) {
    // U+0600-U+06FF are two-byte UTF-8 sequences led by 0xD8-0xDB.
    return std::any_of(name.begin(), name.end(), [](char c) {
      const auto b = static_cast<unsigned char>(c);
      return b >= 0xD8 && b <= 0xDB;
    });
  };
  std::vector<std::pair<std::string, std::string>> pairs;  // original, primary
  for (const refdata::Entity& e : sink.entities) {
    for (size_t i = 1; i < e.names.size(); ++i) {
      if (arabic(e.names[i].value)) {
        pairs.emplace_back(e.names[i].value, e.names[0].value);
        break;
      }
    }
  }
  ASSERT_GT(pairs.size(), 300u);
  size_t found = 0;
  size_t false_matches = 0;
  size_t negatives = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (CompareNames(pairs[i].first, pairs[i].second).score >= kDefaultThreshold) ++found;
    for (size_t k = 1; k <= 40; ++k) {
      const auto& other = pairs[(i + 9 * k) % pairs.size()];
      if (other.second == pairs[i].second) continue;
      ++negatives;
      if (CompareNames(pairs[i].first, other.second).score >= kDefaultThreshold) ++false_matches;
    }
  }
  const double recall = static_cast<double>(found) / static_cast<double>(pairs.size());
  const double false_rate = static_cast<double>(false_matches) / static_cast<double>(negatives);
  std::printf(
      "\nUN names in Arabic script: %zu of %zu match their primary name (%.3f); "
      "%zu of %zu other entries' names match (%.4f)\n",
      found, pairs.size(), recall, false_matches, negatives, false_rate);
  EXPECT_GE(recall, kMinUnArabicRecall);
  EXPECT_LE(false_rate, kMaxUnArabicFalseMatches);
}

// Outside the labelled set, on a whole list: every OFAC SDN entry's primary
// name against each of its strong aliases (many are other names altogether:
// acronyms, former names, translations, so recall is far below the labelled
// set's), and each primary name against the next one in sorted order of the
// same kind of entity (near neighbours, other entries: a false-match rate).
// Scored as screening scores them, with the entry's type. Floors, as above.
constexpr double kMinSdnAliasRecall = 0.593;
constexpr double kMaxSdnNeighbourMatches = 0.022;

TEST(NameEval, OfacSdnAliases) {
  const std::string path = testing::SharedData("ofac-sdn-2021");
  ICTS_REQUIRE_SHARED_DATA(path);
  refdata::CollectingSink sink;
  refdata::SourceInfo info;
  refdata::LoadReport report;
  ASSERT_TRUE(refdata::LoadSource({"ofac", path, path, ""}, sink, info, report).ok());
  auto normalise = [](const refdata::Entity& e, const std::string& name) {
    return text::NormalizeName(name, e.schema == refdata::Schema::kPerson
                                         ? text::NameType::kPerson
                                         : text::NameType::kOrganization);
  };
  auto score = [](const refdata::Entity& e, const text::NormalizedName& a,
                  const text::NormalizedName& b) {
    ScoreOptions options;
    options.type = e.schema == refdata::Schema::kPerson ? text::NameType::kPerson
                                                        : text::NameType::kOrganization;
    return ScoreNames(a, b, TokenWeightFn(), options).score;
  };
  size_t aliases = 0;
  size_t found = 0;
  std::vector<std::pair<std::string, const refdata::Entity*>> primaries;
  for (const refdata::Entity& e : sink.entities) {
    if (e.names.empty()) continue;
    primaries.emplace_back(e.names[0].value, &e);
    const text::NormalizedName primary = normalise(e, e.names[0].value);
    for (size_t i = 1; i < e.names.size(); ++i) {
      if (e.names[i].kind != refdata::NameKind::kStrongAlias) continue;
      ++aliases;
      if (score(e, primary, normalise(e, e.names[i].value)) >= kDefaultThreshold) ++found;
    }
  }
  ASSERT_GT(aliases, 5000u);
  std::sort(primaries.begin(), primaries.end());
  size_t negatives = 0;
  size_t false_matches = 0;
  for (size_t i = 0; i + 1 < primaries.size(); ++i) {
    const refdata::Entity& a = *primaries[i].second;
    const refdata::Entity& b = *primaries[i + 1].second;
    if (a.schema != b.schema || a.id == b.id) continue;
    ++negatives;
    if (score(a, normalise(a, primaries[i].first), normalise(b, primaries[i + 1].first)) >=
        kDefaultThreshold) {
      ++false_matches;
    }
  }
  const double recall = static_cast<double>(found) / static_cast<double>(aliases);
  const double false_rate = static_cast<double>(false_matches) / static_cast<double>(negatives);
  std::printf(
      "\nOFAC SDN: %zu of %zu strong aliases match their primary name (%.3f); "
      "%zu of %zu neighbouring primary names match (%.4f)\n",
      found, aliases, recall, false_matches, negatives, false_rate);
  EXPECT_GE(recall, kMinSdnAliasRecall);
  EXPECT_LE(false_rate, kMaxSdnNeighbourMatches);
}

TEST(ScreenerEval, FindsListedAliases) {
  const std::string sdn = testing::SharedData("ofac-sdn-2021");
  const std::string cons = testing::SharedData("ofac-nonsdn-cons");
  const std::string csl = testing::SharedData("us-csl/csl-2023-11-30.csv");
  const std::string un = testing::SharedData("un-consolidated/UN_consolidated.xml");
  const std::string dpl = testing::SharedData("bis-dpl/dpl-2022.txt");
  ICTS_REQUIRE_SHARED_DATA(sdn);
  ICTS_REQUIRE_SHARED_DATA(cons);
  ICTS_REQUIRE_SHARED_DATA(csl);
  ICTS_REQUIRE_SHARED_DATA(un);
  ICTS_REQUIRE_SHARED_DATA(dpl);

  std::vector<Pair> pairs = LoadPairs();
  ASSERT_GE(pairs.size(), kMinPairs);

  refdata::BuildConfig config;
  config.sources.push_back({"ofac", sdn, sdn, ""});
  config.sources.push_back({"ofac-cons", cons, cons, ""});
  config.sources.push_back({"csl", csl, csl, ""});
  config.sources.push_back({"un", un, un, ""});
  config.sources.push_back({"dpl", dpl, dpl, ""});
  for (const char* f :
       {"ndaa-889.yaml", "fcc-covered-list.yaml", "kaspersky.yaml", "ict-vendors.yaml"}) {
    const std::string path = testing::SourceDir() + "/data/curated/" + f;
    if (std::filesystem::exists(path)) config.sources.push_back({"curated", path, path, ""});
  }
  auto image = refdata::BuildSnapshotImage(config, {}, nullptr);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  auto snap = refdata::Snapshot::FromBytes(*image, "eval");
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  auto built = Screener::Build(**snap);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const Screener& screener = **built;

  // Every name and alias → the entities carrying it.
  std::map<std::string, std::set<uint32_t>, std::less<>> by_name;
  for (uint32_t i = 0; i < (*snap)->entity_count(); ++i) {
    for (std::string_view n : (*snap)->entity(i).Values(refdata::PropKind::kName)) {
      by_name[std::string(n)].insert(i);
    }
  }

  size_t checked = 0, found = 0, trivial = 0;
  size_t neg_checked = 0, neg_hits = 0;
  std::vector<std::string> missed, wrong;
  for (const Pair& p : pairs) {
    if (p.label != 1) {
      // Hard negative: screening `a` should not return the entity named `b`
      // (unless `a` is itself one of that entity's names).
      auto it = by_name.find(p.b);
      if (it == by_name.end()) continue;
      auto same = by_name.find(p.a);
      if (same != by_name.end() &&
          std::any_of(same->second.begin(), same->second.end(),
                      [&](uint32_t e) { return it->second.count(e) > 0; })) {
        continue;
      }
      ++neg_checked;
      Query q;
      q.name = p.a;
      q.type = p.type == "person" ? text::NameType::kPerson : text::NameType::kOrganization;
      const std::vector<Hit> hits = screener.Screen(q, ScreenOptions());
      if (std::any_of(hits.begin(), hits.end(), [&](const Hit& h) {
            return it->second.count(h.entity_index) > 0;
          })) {
        ++neg_hits;
        wrong.push_back("line " + std::to_string(p.line) + ": " + Clip(p.a, 50) +
                        "  ->  " + Clip(p.b, 50));
      }
      continue;
    }
    auto it = by_name.find(p.b);
    if (it == by_name.end()) continue;
    // When `a` is itself a listed name of the same entity the lookup is
    // exact and says nothing about matching; leave those out.
    auto same = by_name.find(p.a);
    if (same != by_name.end() &&
        std::any_of(same->second.begin(), same->second.end(),
                    [&](uint32_t e) { return it->second.count(e) > 0; })) {
      ++trivial;
      continue;
    }
    ++checked;
    Query q;
    q.name = p.a;
    q.type = p.type == "person" ? text::NameType::kPerson : text::NameType::kOrganization;
    const std::vector<Hit> hits = screener.Screen(q, ScreenOptions());
    const bool hit = std::any_of(hits.begin(), hits.end(), [&](const Hit& h) {
      return it->second.count(h.entity_index) > 0;
    });
    if (hit) {
      ++found;
    } else {
      missed.push_back("line " + std::to_string(p.line) + " " + p.group + ": " +
                       Clip(p.a, 50) + "  ->  " + Clip(p.b, 50));
    }
  }
  ASSERT_GT(checked, 0u);
  const double recall = double(found) / double(checked);
  std::printf(
      "\nScreener: %zu of %zu positive pairs whose b is a listed name (and a is not) "
      "found (%.3f); %zu pairs with both names listed left out\n",
      found, checked, recall, trivial);
  for (size_t i = 0; i < missed.size() && i < 10; ++i) {
    std::printf("  missed %s\n", missed[i].c_str());
  }
  ASSERT_GT(neg_checked, 0u);
  const double neg_rate = double(neg_hits) / double(neg_checked);
  std::printf("Screener: %zu of %zu hard negatives return the other party (%.3f)\n",
              neg_hits, neg_checked, neg_rate);
  for (size_t i = 0; i < wrong.size() && i < 10; ++i) {
    std::printf("  wrong %s\n", wrong[i].c_str());
  }
  EXPECT_GE(recall, kMinScreenerRecall);
  EXPECT_LE(neg_rate, kMaxScreenerHardNegativeRate);
}

}  // namespace
}  // namespace icts::match
