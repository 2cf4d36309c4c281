// Name screening benchmark: index build, batch throughput, single-query
// latency, candidates per query, candidate recall against the exhaustive
// scorer, and planted-positive recall per variation class.
//
// Usage:
//   screen_bench real [CONFIG] [--dump DIR]   real lists (default config:
//                                             examples/lists-full.yaml)
//   screen_bench synthetic [N] [--dump DIR]   N multi-script entities
//                                             (default 1,000,000)
// Environment: ICTS_BENCH_THREADS (batch threads, default 2),
// ICTS_BENCH_QUERIES (queries for throughput and latency, default 20,000),
// ICTS_BENCH_KIND (listed or unrelated: keep only that kind of query),
// ICTS_BENCH_RECALL (queries compared with the exhaustive scorer; default
// 1,000 for real lists, 100 for synthetic).
//
// --dump writes names.txt (every indexed name, one a line) and queries.txt
// (the throughput queries) for bench/screen_refs.py, which runs the
// reference comparators on the same data.
#include <sys/resource.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "bench/synthetic.h"
#include "match/screener.h"
#include "refdata/build.h"
#include "refdata/snapshot.h"
#include "text/normalize.h"

namespace {

using Clock = std::chrono::steady_clock;
using icts::match::Hit;
using icts::match::Query;
using icts::match::Screener;
using icts::match::ScreenOptions;
using icts::match::ScreenTrace;
using icts::refdata::Snapshot;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU seconds of the whole process (user + system) and of the calling thread.
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

uint64_t EnvOr(const char* name, uint64_t def) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : def;
}

// VmRSS / VmHWM in MB.
double ProcStatusMb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0)
      return std::strtod(line.c_str() + std::strlen(key) + 1, nullptr) / 1024.0;
  }
  return 0;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string Join(const std::vector<std::string>& t, const char* sep = " ") {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (i) out += sep;
    out += t[i];
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string StripPunct(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '.' || c == ',' || c == '"' || c == '(' || c == ')') continue;
    out += c;
  }
  return out;
}

bool IsLegalWord(const std::string& tok) {
  return icts::text::IsLegalFormToken(Lower(StripPunct(tok)));
}

// ---------------------------------------------------------------------------
// Variation classes (ASCII names). Each returns "" when it does not apply.

using Rng = std::mt19937_64;

// Index of a random token with at least `min_len` letters, or -1.
int PickToken(const std::vector<std::string>& t, size_t min_len, Rng& rng) {
  std::vector<int> ok;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].size() >= min_len && !IsLegalWord(t[i]) &&
        std::isalpha(static_cast<unsigned char>(t[i][0]))) {
      ok.push_back(static_cast<int>(i));
    }
  }
  if (ok.empty()) return -1;
  return ok[rng() % ok.size()];
}

std::string Typo(const std::string& name, Rng& rng) {
  auto t = Split(name);
  int i = PickToken(t, 5, rng);
  if (i < 0) return "";
  std::string& w = t[static_cast<size_t>(i)];
  size_t p = 1 + rng() % (w.size() - 1);
  bool upper = std::isupper(static_cast<unsigned char>(w[0]));
  char repl = static_cast<char>((upper ? 'A' : 'a') + rng() % 26);
  switch (rng() % 3) {
    case 0:
      w[p] = repl;
      break;  // substitution
    case 1:
      w.erase(p, 1);
      break;  // deletion
    default:
      w.insert(w.begin() + static_cast<long>(p), repl);
      break;  // insertion
  }
  return Join(t);
}

std::string Transposition(const std::string& name, Rng& rng) {
  auto t = Split(name);
  int i = PickToken(t, 4, rng);
  if (i < 0) return "";
  std::string& w = t[static_cast<size_t>(i)];
  size_t p = 1 + rng() % (w.size() - 2);
  if (w[p] == w[p + 1]) return "";
  std::swap(w[p], w[p + 1]);
  return Join(t);
}

std::string TokenReorder(const std::string& name, Rng& rng) {
  auto t = Split(name);
  std::vector<std::string> words, forms;
  for (auto& w : t) (IsLegalWord(w) ? forms : words).push_back(w);
  if (words.size() < 2) return "";
  // Persons: "FAMILY, Given" ↔ "Given FAMILY"; otherwise swap two tokens.
  for (auto& w : words) {
    if (!w.empty() && w.back() == ',') w.pop_back();
  }
  if (words.size() == 2 || rng() % 2) {
    std::rotate(words.begin(), words.begin() + 1, words.end());
  } else {
    size_t a = rng() % (words.size() - 1);
    std::swap(words[a], words[a + 1]);
  }
  for (auto& f : forms) words.push_back(f);
  return Join(words);
}

std::string LegalFormChange(const std::string& name, Rng& rng) {
  auto t = Split(name);
  std::vector<std::string> keep;
  bool had = false;
  for (auto& w : t) {
    if (IsLegalWord(w) && &w >= &t[1]) {
      had = true;
    } else {
      keep.push_back(w);
    }
  }
  if (keep.empty()) return "";
  static constexpr std::array<const char*, 6> kForms = {"LLC",  "Ltd.", "Co., Ltd.",
                                                        "Inc.", "GmbH", "Limited"};
  if (had && rng() % 2) return Join(keep);        // removal
  keep.push_back(kForms[rng() % kForms.size()]);  // change (or addition)
  return Join(keep);
}

std::string DropToken(const std::string& name, Rng& rng) {
  auto t = Split(name);
  std::vector<size_t> inner;
  size_t words = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!IsLegalWord(t[i])) ++words;
  }
  if (words < 3) return "";
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    if (!IsLegalWord(t[i])) inner.push_back(i);
  }
  if (inner.empty()) return "";
  t.erase(t.begin() + static_cast<long>(inner[rng() % inner.size()]));
  return Join(t);
}

std::string Abbreviation(const std::string& name, Rng& rng) {
  static const std::vector<std::pair<std::string, std::string>> kAbbr = {
      {"technology", "Tech."},    {"technologies", "Tech."},
      {"international", "Intl"},  {"company", "Co."},
      {"corporation", "Corp."},   {"limited", "Ltd."},
      {"group", "Grp"},           {"industries", "Ind."},
      {"industrial", "Ind."},     {"communications", "Comm."},
      {"communication", "Comm."}, {"electronics", "Elec."},
      {"engineering", "Eng."},    {"holdings", "Hldgs"},
      {"incorporated", "Inc."},   {"manufacturing", "Mfg."},
      {"trading", "Trdg"},        {"development", "Dev."},
      {"institute", "Inst."},     {"university", "Univ."},
      {"research", "Res."},       {"science", "Sci."},
      {"national", "Natl"},       {"equipment", "Equip."},
      {"association", "Assn."},   {"services", "Svcs"},
      {"systems", "Sys."}};
  auto t = Split(name);
  std::vector<size_t> hits;
  std::vector<std::string> repl;
  for (size_t i = 0; i < t.size(); ++i) {
    std::string l = Lower(StripPunct(t[i]));
    for (auto& [w, a] : kAbbr) {
      if (l == w) {
        hits.push_back(i);
        repl.push_back(a);
        break;
      }
    }
  }
  if (hits.empty()) return "";
  size_t k = rng() % hits.size();
  t[hits[k]] = repl[k];
  return Join(t);
}

std::string SpacingPunct(const std::string& name, Rng& rng) {
  auto t = Split(StripPunct(name));
  if (t.size() < 2) return "";
  if (rng() % 2) {
    // Join two adjacent short word tokens ("HUA WEI" → "HUAWEI"), else hyphenate.
    for (size_t i = 0; i + 1 < t.size(); ++i) {
      if (!IsLegalWord(t[i]) && !IsLegalWord(t[i + 1]) && t[i].size() + t[i + 1].size() <= 12) {
        t[i] += t[i + 1];
        t.erase(t.begin() + static_cast<long>(i) + 1);
        return Join(t);
      }
    }
  }
  size_t i = rng() % (t.size() - 1);
  std::string out;
  for (size_t k = 0; k < t.size(); ++k) {
    if (k) out += (k == i + 1) ? "-" : " ";
    out += t[k];
  }
  return out + ".";
}

std::string Phonetic(const std::string& name, Rng& rng) {
  // One spelling change per name, at a random applicable rule.
  static const std::vector<std::pair<std::string, std::string>> kRules = {
      {"ph", "f"}, {"ck", "k"},  {"ca", "ka"}, {"co", "ko"}, {"cu", "ku"}, {"k", "c"},
      {"q", "k"},  {"ou", "u"},  {"y", "i"},   {"ee", "i"},  {"ei", "ai"}, {"ss", "s"},
      {"ll", "l"}, {"mm", "m"},  {"tt", "t"},  {"z", "s"},   {"v", "w"},   {"x", "ks"},
      {"j", "dj"}, {"sh", "ch"}, {"oo", "u"},  {"ie", "y"}};
  std::string low = Lower(name);
  std::vector<std::pair<size_t, size_t>> options;  // (pos, rule)
  for (size_t r = 0; r < kRules.size(); ++r) {
    for (size_t p = low.find(kRules[r].first, 1); p != std::string::npos;
         p = low.find(kRules[r].first, p + 1)) {
      if (p > 0 && std::isalpha(static_cast<unsigned char>(low[p - 1]))) options.push_back({p, r});
    }
  }
  if (options.empty()) return "";
  auto [p, r] = options[rng() % options.size()];
  std::string out = name;
  std::string to = kRules[r].second;
  if (std::isupper(static_cast<unsigned char>(name[p]))) {
    for (char& c : to) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  out.replace(p, kRules[r].first.size(), to);
  return out;
}

// Scholarly (ISO 9 style) romanisation of Cyrillic, ASCII-folded where the
// normaliser would fold anyway is left to it (č, š, ž kept).
std::string CyrillicScholarly(std::string_view s) {
  static const std::map<std::string, std::string> kMap = {
      {"а", "a"},  {"б", "b"},  {"в", "v"}, {"г", "g"},  {"д", "d"},  {"е", "e"},  {"ё", "ë"},
      {"ж", "ž"},  {"з", "z"},  {"и", "i"}, {"й", "j"},  {"к", "k"},  {"л", "l"},  {"м", "m"},
      {"н", "n"},  {"о", "o"},  {"п", "p"}, {"р", "r"},  {"с", "s"},  {"т", "t"},  {"у", "u"},
      {"ф", "f"},  {"х", "ch"}, {"ц", "c"}, {"ч", "č"},  {"ш", "š"},  {"щ", "šč"}, {"ъ", ""},
      {"ы", "y"},  {"ь", ""},   {"э", "è"}, {"ю", "ju"}, {"я", "ja"}, {"і", "i"},  {"ї", "ji"},
      {"є", "je"}, {"ґ", "g"}};
  static const std::map<std::string, std::string> kUpper = {
      {"А", "а"}, {"Б", "б"}, {"В", "в"}, {"Г", "г"}, {"Д", "д"}, {"Е", "е"}, {"Ё", "ё"},
      {"Ж", "ж"}, {"З", "з"}, {"И", "и"}, {"Й", "й"}, {"К", "к"}, {"Л", "л"}, {"М", "м"},
      {"Н", "н"}, {"О", "о"}, {"П", "п"}, {"Р", "р"}, {"С", "с"}, {"Т", "т"}, {"У", "у"},
      {"Ф", "ф"}, {"Х", "х"}, {"Ц", "ц"}, {"Ч", "ч"}, {"Ш", "ш"}, {"Щ", "щ"}, {"Ъ", "ъ"},
      {"Ы", "ы"}, {"Ь", "ь"}, {"Э", "э"}, {"Ю", "ю"}, {"Я", "я"}, {"І", "і"}, {"Ї", "ї"},
      {"Є", "є"}, {"Ґ", "ґ"}};
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    std::string ch(s.substr(i, len));
    auto up = kUpper.find(ch);
    if (up != kUpper.end()) ch = up->second;
    auto it = kMap.find(ch);
    out += it != kMap.end() ? it->second : ch;
    i += len;
  }
  return out;
}

bool HasCyrillic(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xD0 || c == 0xD1) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------

struct IndexedName {
  std::string name;
  uint32_t entity;
  icts::text::NameType type;
};

icts::text::NameType TypeOf(icts::refdata::Schema s) {
  using icts::refdata::Schema;
  if (s == Schema::kPerson) return icts::text::NameType::kPerson;
  if (s == Schema::kCompany || s == Schema::kOrganization || s == Schema::kPublicBody) {
    return icts::text::NameType::kOrganization;
  }
  return icts::text::NameType::kUnknown;
}

std::vector<IndexedName> AllNames(const Snapshot& snap) {
  std::vector<IndexedName> out;
  for (uint32_t i = 0; i < snap.entity_count(); ++i) {
    auto e = snap.entity(i);
    for (auto v : e.Values(icts::refdata::PropKind::kName)) {
      out.push_back({std::string(v), i, TypeOf(e.schema())});
    }
  }
  return out;
}

std::string UnrelatedName(Rng& rng) {
  static constexpr std::array<const char*, 36> kSyl = {
      "al",  "ber", "cas", "dor", "el",  "fin", "gro", "hal", "ist", "jor", "kel", "lum",
      "mar", "nex", "opa", "pri", "qui", "ros", "sta", "tur", "umb", "val", "wes", "xan",
      "yor", "zel", "bri", "cla", "dre", "fla", "gle", "pla", "tre", "vor", "mon", "san"};
  static constexpr std::array<const char*, 16> kWords = {
      "Foods",    "Logistics", "Furniture", "Textiles", "Dental", "Bakery",  "Consulting", "Paper",
      "Plastics", "Garden",    "Printing",  "Travel",   "Farms",  "Apparel", "Ceramics",   "Tools"};
  static constexpr std::array<const char*, 8> kForms = {"Ltd",  "LLC", "GmbH", "Inc.",
                                                        "S.A.", "BV",  "Co.",  "AB"};
  static constexpr std::array<const char*, 12> kGiven = {"Emma",  "Lucas", "Mia",  "Noah",
                                                         "Chloe", "Oskar", "Lena", "Tomas",
                                                         "Ava",   "Milan", "Zoe",  "Hugo"};
  auto word = [&] {
    std::string w;
    int n = 2 + static_cast<int>(rng() % 2);
    for (int i = 0; i < n; ++i) w += kSyl[rng() % kSyl.size()];
    w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    return w;
  };
  if (rng() % 4 == 0) return std::string(kGiven[rng() % kGiven.size()]) + " " + word();
  std::string n = word();
  if (rng() % 2) n += " " + word();
  n += std::string(" ") + kWords[rng() % kWords.size()];
  if (rng() % 100 < 85) n += std::string(" ") + kForms[rng() % kForms.size()];
  return n;
}

struct BenchQuery {
  Query query;
  int64_t target = -1;  // Entity the query was derived from, or -1.
};

std::vector<BenchQuery> MakeQueries(const std::vector<IndexedName>& names, size_t count, Rng& rng) {
  std::vector<BenchQuery> out;
  out.reserve(count);
  while (out.size() < count) {
    BenchQuery q;
    if (out.size() % 2 == 0) {
      const IndexedName& n = names[rng() % names.size()];
      std::string v;
      if (IsAscii(n.name)) {
        switch (rng() % 4) {
          case 0:
            v = Typo(n.name, rng);
            break;
          case 1:
            v = TokenReorder(n.name, rng);
            break;
          case 2:
            v = LegalFormChange(n.name, rng);
            break;
          default:
            v = Abbreviation(n.name, rng);
            break;
        }
        if (v.empty()) v = Typo(n.name, rng);
      }
      q.query.name = v.empty() ? n.name : v;
      q.target = n.entity;
    } else {
      q.query.name = UnrelatedName(rng);
    }
    out.push_back(std::move(q));
  }
  return out;
}

struct RunContext {
  const Snapshot* snap;
  const Screener* screener;
  std::vector<IndexedName> names;
  int threads;
  bool synthetic;
  std::vector<icts::bench::HeldOutName> held_out;
};

void Report(const char* what, const std::string& value) {
  std::printf("%-58s %s\n", what, value.c_str());
}

std::string Fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

// Names per second over `qs`. Cold (the default): the screener's caches are
// emptied first, so words repeated across the batch are the only reuse.
// Names per second of wall time; `per_cpu_second`, when set, receives names
// per CPU second of the process (a figure a busy machine disturbs less).
double BatchThroughput(const RunContext& ctx, const std::vector<BenchQuery>& qs, int threads,
                       bool cold = true, double* per_cpu_second = nullptr) {
  if (cold) ctx.screener->ClearCaches();
  const double cpu0 = ProcessCpuSeconds();
  tbb::task_arena arena(threads);
  ScreenOptions opts;
  std::atomic<uint64_t> hits{0};
  auto t0 = Clock::now();
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, qs.size(), 16),
                      [&](const tbb::blocked_range<size_t>& r) {
                        uint64_t h = 0;
                        for (size_t i = r.begin(); i != r.end(); ++i)
                          h += ctx.screener->Screen(qs[i].query, opts).size();
                        hits += h;
                      });
  });
  double s = Seconds(t0, Clock::now());
  if (per_cpu_second != nullptr) {
    *per_cpu_second = static_cast<double>(qs.size()) / (ProcessCpuSeconds() - cpu0);
  }
  return static_cast<double>(qs.size()) / s;
}

void RunAll(RunContext& ctx, const std::string& dump_dir) {
  Rng rng(42);
  size_t nq = EnvOr("ICTS_BENCH_QUERIES", 20000);
  size_t nrecall = EnvOr("ICTS_BENCH_RECALL", ctx.synthetic ? 100 : 1000);
  auto queries = MakeQueries(ctx.names, nq, rng);
  // ICTS_BENCH_KIND=listed|unrelated keeps one kind of query (for profiles).
  if (const char* kind = std::getenv("ICTS_BENCH_KIND"); kind != nullptr) {
    const bool listed = std::string_view(kind) == "listed";
    queries.erase(std::remove_if(queries.begin(), queries.end(),
                                 [&](const BenchQuery& q) { return (q.target >= 0) != listed; }),
                  queries.end());
  }
  // ICTS_BENCH_ONE="name": time that one query (repeated, warm) and stop.
  if (const char* one = std::getenv("ICTS_BENCH_ONE"); one != nullptr) {
    Query q;
    q.name = one;
    ScreenTrace tr;
    ScreenOptions o;
    o.trace = &tr;
    size_t hits = ctx.screener->Screen(q, o).size();
    const int reps = static_cast<int>(EnvOr("ICTS_BENCH_ONE_REPS", 2000));
    auto t0 = Clock::now();
    const bool cold = EnvOr("ICTS_BENCH_ONE_COLD", 0) != 0;
    for (int i = 0; i < reps; ++i) {
      if (cold) ctx.screener->ClearCaches();
      hits += ctx.screener->Screen(q, ScreenOptions()).size();
    }
    std::printf("%s: %.1f us/query; reached %zu, postings %zu, bounded %zu, scored %zu\n", one,
                Seconds(t0, Clock::now()) * 1e6 / reps, tr.candidates, tr.postings, tr.bounded,
                tr.scored);
    (void)hits;
    return;
  }
  std::printf("\nqueries: %zu (50%% perturbed list names, 50%% unrelated names)\n", queries.size());

  if (!dump_dir.empty()) {
    std::filesystem::create_directories(dump_dir);
    std::ofstream n(dump_dir + "/names.txt"), q(dump_dir + "/queries.txt");
    for (auto& x : ctx.names) {
      std::string s = x.name;
      std::replace(s.begin(), s.end(), '\n', ' ');
      n << s << '\n';
    }
    for (auto& x : queries) q << x.query.name << '\n';
    std::printf("dumped %zu names and %zu queries to %s\n", ctx.names.size(), queries.size(),
                dump_dir.c_str());
  }

  // Normalisation alone (one thread), to show its share.
  {
    auto t0 = Clock::now();
    size_t toks = 0;
    for (auto& q : queries) toks += icts::text::NormalizeName(q.query.name).tokens.size();
    double s = Seconds(t0, Clock::now());
    Report("query normalisation alone, 1 thread (names/s)",
           Fmt("%.0f", static_cast<double>(queries.size()) / s));
    (void)toks;
  }

  // ICTS_BENCH_QUICK=1: latency, counters and recall only (no batch runs,
  // no planted positives), for comparing changes.
  const bool quick = EnvOr("ICTS_BENCH_QUICK", 0) != 0;
  double batch = 0;
  if (!quick) {
    // Batch throughput: warm-up then 3 runs on `threads` and on 1 thread.
    BatchThroughput(ctx, queries, ctx.threads);
    std::vector<double> runs;
    std::vector<double> cpu_runs;
    for (int r = 0; r < 3; ++r) {
      double per_cpu = 0;
      runs.push_back(BatchThroughput(ctx, queries, ctx.threads, true, &per_cpu));
      cpu_runs.push_back(per_cpu);
    }
    std::sort(runs.begin(), runs.end());
    std::sort(cpu_runs.begin(), cpu_runs.end());
    Report("batch, cold: names per CPU second (median of 3)", Fmt("%.0f", cpu_runs[1]));
    Report(("batch throughput, " + std::to_string(ctx.threads) +
            " threads, cold (names/s, median of 3)")
               .c_str(),
           Fmt("%.0f", runs[1]) + Fmt("  [min %.0f", runs[0]) + Fmt(", max %.0f]", runs[2]));
    batch = runs[1];
    Report(("batch throughput, " + std::to_string(ctx.threads) +
            " threads, same queries again (names/s)")
               .c_str(),
           Fmt("%.0f", BatchThroughput(ctx, queries, ctx.threads, /*cold=*/false)));
    {
      double one = BatchThroughput(ctx, queries, 1);
      Report("batch throughput, 1 thread (names/s)", Fmt("%.0f", one));
    }
  }

  // Single-query latency, one thread, with the trace.
  std::vector<double> lat;
  std::vector<double> cpu_lat;
  std::vector<double> cands, bounded, scored, postings;
  lat.reserve(queries.size());
  cpu_lat.reserve(queries.size());
  // ICTS_BENCH_LATENCY_WARM=1: every query screened once before (the
  // remembered neighbours of unknown words are then all present).
  ctx.screener->ClearCaches();
  if (EnvOr("ICTS_BENCH_LATENCY_WARM", 0) != 0) {
    for (auto& q : queries) ctx.screener->Screen(q.query, ScreenOptions());
  }
  {
    tbb::task_arena one(1);
    one.execute([&] {
      for (auto& q : queries) {
        ScreenTrace tr;
        ScreenOptions o;
        o.trace = &tr;
        const double c0 = ThreadCpuSeconds();
        auto t0 = Clock::now();
        auto hits = ctx.screener->Screen(q.query, o);
        lat.push_back(Seconds(t0, Clock::now()) * 1e6);
        cpu_lat.push_back((ThreadCpuSeconds() - c0) * 1e6);
        cands.push_back(static_cast<double>(tr.candidates));
        bounded.push_back(static_cast<double>(tr.bounded));
        scored.push_back(static_cast<double>(tr.scored));
        postings.push_back(static_cast<double>(tr.postings));
      }
    });
  }
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
  };
  Report("single query latency, 1 thread: p50 / p99 / p99.9 / max (us)",
         Fmt("%.1f", Percentile(lat, 0.5)) + Fmt(" / %.1f", Percentile(lat, 0.99)) +
             Fmt(" / %.1f", Percentile(lat, 0.999)) +
             Fmt(" / %.1f", *std::max_element(lat.begin(), lat.end())));
  Report("single query CPU time, 1 thread: p50 / p99 / p99.9 / mean (us)",
         Fmt("%.1f", Percentile(cpu_lat, 0.5)) + Fmt(" / %.1f", Percentile(cpu_lat, 0.99)) +
             Fmt(" / %.1f", Percentile(cpu_lat, 0.999)) + Fmt(" / %.1f", mean(cpu_lat)));
  {
    // Share of the total time spent in the slowest queries.
    std::vector<double> sorted = lat;
    std::sort(sorted.begin(), sorted.end(), std::greater<double>());
    double total = 0, top1 = 0, top10 = 0;
    for (size_t i = 0; i < sorted.size(); ++i) {
      total += sorted[i];
      if (i < sorted.size() / 100) top1 += sorted[i];
      if (i < sorted.size() / 10) top10 += sorted[i];
    }
    Report("single query latency: mean (us); share of time in slowest 1% / 10%",
           Fmt("%.1f", total / static_cast<double>(std::max<size_t>(1, sorted.size()))) +
               Fmt("; %.0f%%", 100.0 * top1 / std::max(total, 1e-9)) +
               Fmt(" / %.0f%%", 100.0 * top10 / std::max(total, 1e-9)));
  }
  {
    // The kinds of query apart: perturbed list names and unrelated names;
    // names in ASCII and in other scripts.
    std::vector<double> listed, unrelated, latin, other;
    for (size_t i = 0; i < cpu_lat.size(); ++i) {
      (queries[i].target >= 0 ? listed : unrelated).push_back(cpu_lat[i]);
      (IsAscii(queries[i].query.name) ? latin : other).push_back(cpu_lat[i]);
    }
    if (!latin.empty() && !other.empty()) {
      const double n_other = static_cast<double>(other.size());
      const double n_all = static_cast<double>(cpu_lat.size());
      Report("CPU time p50 / mean (us): ASCII names; others (share of queries, of time)",
             Fmt("%.1f", Percentile(latin, 0.5)) + Fmt(" / %.1f", mean(latin)) +
                 Fmt("; %.1f", Percentile(other, 0.5)) + Fmt(" / %.1f", mean(other)) +
                 Fmt(" (%.1f%%", 100.0 * n_other / n_all) +
                 Fmt(", %.1f%%)",
                     100.0 * mean(other) * n_other / std::max(mean(cpu_lat) * n_all, 1e-9)));
    }
    if (!listed.empty() && !unrelated.empty()) {
      Report("CPU time p50 / mean (us): perturbed list names; unrelated names",
             Fmt("%.1f", Percentile(listed, 0.5)) + Fmt(" / %.1f", mean(listed)) +
                 Fmt("; %.1f", Percentile(unrelated, 0.5)) + Fmt(" / %.1f", mean(unrelated)));
    }
  }
  Report("candidates reached per query: mean / p99",
         Fmt("%.0f", mean(cands)) + Fmt(" / %.0f", Percentile(cands, 0.99)));
  Report("names bounded by tokens per query: mean / p99",
         Fmt("%.0f", mean(bounded)) + Fmt(" / %.0f", Percentile(bounded, 0.99)));
  Report("names scored per query (cap 1000): mean / p99",
         Fmt("%.0f", mean(scored)) + Fmt(" / %.0f", Percentile(scored, 0.99)));
  Report("posting entries read per query: mean / p99",
         Fmt("%.0f", mean(postings)) + Fmt(" / %.0f", Percentile(postings, 0.99)));
  // ICTS_BENCH_SHOW_SLOW=N: the N slowest queries with their traces.
  if (size_t show = EnvOr("ICTS_BENCH_SHOW_SLOW", 0); show > 0) {
    std::vector<size_t> order(lat.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lat[a] > lat[b]; });
    for (size_t k = 0; k < std::min(show, order.size()); ++k) {
      const size_t i = order[k];
      std::printf(
          "    slow: %8.1f us  reached %6.0f  postings %6.0f  bounded %5.0f  scored %4.0f  %s\n",
          lat[i], cands[i], postings[i], bounded[i], scored[i], queries[i].query.name.c_str());
    }
  }

  // Candidate recall vs the exhaustive scorer, and the exhaustive scorer's speed.
  {
    ScreenOptions o;
    o.top = 1000;
    size_t want = 0, found = 0, queries_with_hits = 0, queries_missing = 0;
    size_t want10 = 0, found10 = 0, crowded = 0;
    double exh_s = 0;
    std::vector<std::string> missed;
    // ICTS_BENCH_SHOW_MISSED=N lists up to N missed pairs (default 8).
    const size_t show_missed = static_cast<size_t>(EnvOr("ICTS_BENCH_SHOW_MISSED", 8));
    tbb::task_arena arena(ctx.threads);
    size_t n = std::min(nrecall, queries.size());
    for (size_t i = 0; i < n; ++i) {
      const Query& q = queries[i].query;
      std::vector<Hit> ex;
      auto t0 = Clock::now();
      arena.execute([&] { ex = ctx.screener->ScreenExhaustive(q, o); });
      exh_s += Seconds(t0, Clock::now());
      auto ix = ctx.screener->Screen(q, o);
      std::unordered_set<uint32_t> got;
      for (auto& h : ix) got.insert(h.entity_index);
      bool miss = false;
      for (auto& h : ex) {
        ++want;
        if (got.count(h.entity_index)) {
          ++found;
        } else {
          miss = true;
          if (missed.size() < show_missed)
            missed.push_back(q.name + "  ->  " + h.matched_name + Fmt(" (%.3f)", h.score));
        }
      }
      if (!ex.empty()) ++queries_with_hits;
      if (miss) ++queries_missing;
      if (ex.size() >= 100) ++crowded;
      // Top 10 as a user sees it: an exhaustive top-10 hit counts as found
      // when the indexed top 10 holds it, or holds 10 hits scoring at least
      // as much (a tie broken the other way).
      ScreenOptions o10;
      auto ix10 = ctx.screener->Screen(q, o10);
      std::unordered_set<uint32_t> got10;
      for (auto& h : ix10) got10.insert(h.entity_index);
      double tenth = ix10.size() >= 10 ? ix10[9].score : 2.0;
      for (size_t k = 0; k < ex.size() && k < 10; ++k) {
        ++want10;
        if (got10.count(ex[k].entity_index) || tenth >= ex[k].score - 1e-9) ++found10;
      }
    }
    Report("candidate recall vs exhaustive, threshold 0.80 (hits)",
           Fmt("%.4f", want ? static_cast<double>(found) / static_cast<double>(want) : 1.0) +
               "  (" + std::to_string(found) + "/" + std::to_string(want) + " over " +
               std::to_string(n) + " queries, " + std::to_string(queries_with_hits) +
               " with hits, " + std::to_string(queries_missing) + " missing one or more)");
    Report("candidate recall vs exhaustive, top 10 (ties count as found)",
           Fmt("%.4f", want10 ? static_cast<double>(found10) / static_cast<double>(want10) : 1.0) +
               "  (" + std::to_string(found10) + "/" + std::to_string(want10) + "; " +
               std::to_string(crowded) + " queries have >= 100 exhaustive hits)");
    for (auto& m : missed) std::printf("    missed: %s\n", m.c_str());
    double exh_rate = static_cast<double>(n) / exh_s;
    Report(
        ("exhaustive scorer (ScreenExhaustive), " + std::to_string(ctx.threads) +
         " threads (names/s)")
            .c_str(),
        Fmt("%.1f", exh_rate) + Fmt("  -> indexed/exhaustive = %.0fx", batch / exh_rate) +
            Fmt("  (%.1f M name pairs/s)", exh_rate * static_cast<double>(ctx.names.size()) / 1e6));
  }

  // Planted positives per class.
  if (!quick) {
    size_t per_class = ctx.synthetic ? 300 : 500;
    bool with_exhaustive = !ctx.synthetic;
    using Gen = std::string (*)(const std::string&, Rng&);
    std::vector<std::pair<const char*, Gen>> classes = {
        {"typo (1 edit)", &Typo},
        {"transposition", &Transposition},
        {"token reorder", &TokenReorder},
        {"legal form change/removal", &LegalFormChange},
        {"dropped token", &DropToken},
        {"abbreviation", &Abbreviation},
        {"spacing / punctuation", &SpacingPunct},
        {"phonetic spelling", &Phonetic},
    };
    std::printf("\nplanted positives (entity must be among the hits, top 10, threshold 0.80)\n");
    std::printf("%-40s %8s %10s %12s\n", "class", "queries", "indexed", "exhaustive");
    tbb::task_arena arena(ctx.threads);
    auto run_class = [&](const char* label, const std::vector<BenchQuery>& qs) {
      size_t ok = 0, ok_ex = 0;
      ScreenOptions o;
      for (auto& q : qs) {
        auto hits = ctx.screener->Screen(q.query, o);
        for (auto& h : hits) {
          if (h.entity_index == static_cast<uint32_t>(q.target)) {
            ++ok;
            break;
          }
        }
        if (with_exhaustive) {
          std::vector<Hit> ex;
          arena.execute([&] { ex = ctx.screener->ScreenExhaustive(q.query, o); });
          for (auto& h : ex) {
            if (h.entity_index == static_cast<uint32_t>(q.target)) {
              ++ok_ex;
              break;
            }
          }
        }
      }
      double n = static_cast<double>(std::max<size_t>(1, qs.size()));
      std::printf(
          "%-40s %8zu %9.1f%% %12s\n", label, qs.size(), 100.0 * static_cast<double>(ok) / n,
          with_exhaustive ? Fmt("%.1f%%", 100.0 * static_cast<double>(ok_ex) / n).c_str() : "-");
    };
    for (auto& [label, gen] : classes) {
      Rng r(1234);
      std::vector<BenchQuery> qs;
      size_t tries = 0;
      while (qs.size() < per_class && tries++ < per_class * 200) {
        const IndexedName& n = ctx.names[r() % ctx.names.size()];
        if (!IsAscii(n.name)) continue;
        std::string v = gen(n.name, r);
        if (v.empty() || v == n.name) continue;
        BenchQuery q;
        q.query.name = v;
        q.target = n.entity;
        qs.push_back(std::move(q));
      }
      run_class(label, qs);
    }
    // Romanisation variant and original script.
    if (ctx.synthetic) {
      std::map<std::string, std::vector<BenchQuery>> by;
      Rng r(99);
      std::vector<size_t> idx(ctx.held_out.size());
      for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
      std::shuffle(idx.begin(), idx.end(), r);
      for (size_t i : idx) {
        const auto& h = ctx.held_out[i];
        std::string key = h.kind + " (" + h.script + ")";
        auto& v = by[key];
        if (v.size() >= 200) continue;
        auto e = ctx.snap->FindById(h.entity_id);
        if (!e) continue;
        BenchQuery q;
        q.query.name = h.name;
        q.target = e->index();
        v.push_back(std::move(q));
      }
      for (auto& [k, v] : by) run_class(k.c_str(), v);
    } else {
      // Cyrillic names of the lists, romanised by the scholarly standard
      // (the lists give BGN/PCGN-style romanisations, or none).
      std::vector<BenchQuery> rom, orig;
      for (auto& n : ctx.names) {
        if (!HasCyrillic(n.name)) continue;
        BenchQuery q;
        q.query.name = CyrillicScholarly(n.name);
        q.target = n.entity;
        rom.push_back(std::move(q));
      }
      run_class("romanisation (Cyrillic alias -> scholarly)", rom);
      std::printf("%-40s %s\n", "original script", "measured on the synthetic multi-script set");
    }
  }
}

int Usage() {
  std::fprintf(stderr,
               "usage: screen_bench real [CONFIG] [--dump DIR]\n"
               "       screen_bench synthetic [N] [--dump DIR]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // Progress shows when piped.
  std::string mode = argv[1];
  std::string arg, dump;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else {
      arg = a;
    }
  }
  RunContext ctx;
  ctx.threads = static_cast<int>(EnvOr("ICTS_BENCH_THREADS", 2));
  std::printf("load average at start: %s\n", LoadAverage().c_str());
  std::unique_ptr<Snapshot> snap;
  if (mode == "real") {
    std::string config = arg.empty() ? "examples/lists-full.yaml" : arg;
    if (!std::filesystem::exists(config)) {
      std::printf("SKIPPED: build config %s not found\n", config.c_str());
      return 0;
    }
    auto cfg = icts::refdata::ReadBuildConfig(config);
    if (!cfg.ok()) {
      std::printf("SKIPPED: %s\n", cfg.status().ToString().c_str());
      return 0;
    }
    for (auto& s : cfg->sources) {
      if (!s.resolved_path.empty() && !std::filesystem::exists(s.resolved_path)) {
        std::printf(
            "SKIPPED: list data not found (%s); the real-list benchmark needs the public reference "
            "data\n",
            s.resolved_path.c_str());
        return 0;
      }
    }
    icts::refdata::BuildResult br;
    auto t0 = Clock::now();
    auto image = icts::refdata::BuildSnapshotImage(*cfg, {}, &br);
    if (!image.ok()) {
      std::fprintf(stderr, "build failed: %s\n", image.status().ToString().c_str());
      return 1;
    }
    auto s = Snapshot::FromBytes(*image, "real-lists");
    if (!s.ok()) return 1;
    snap = std::move(*s);
    std::printf("snapshot from %s: %zu entities, built in %.2f s\n", config.c_str(),
                snap->entity_count(), Seconds(t0, Clock::now()));
  } else if (mode == "synthetic") {
    uint64_t n = arg.empty() ? 1000000 : std::strtoull(arg.c_str(), nullptr, 10);
    ctx.synthetic = true;
    auto t0 = Clock::now();
    std::string image;
    {
      auto content = icts::bench::MakeMultiScriptContent(n, 7, &ctx.held_out);
      auto img = icts::refdata::SerializeSnapshot(content);
      if (!img.ok()) return 1;
      image = std::move(*img);
    }
    auto s = Snapshot::FromBytes(image, "multiscript");
    if (!s.ok()) return 1;
    snap = std::move(*s);
    image.clear();
    image.shrink_to_fit();
    std::printf("synthetic multi-script: %zu entities generated in %.1f s\n", snap->entity_count(),
                Seconds(t0, Clock::now()));
  } else {
    return Usage();
  }
  ctx.snap = snap.get();
  double rss_before = ProcStatusMb("VmRSS:");
  auto t0 = Clock::now();
  std::unique_ptr<Screener> screener;
  {
    auto sc = Screener::Build(*snap);
    if (!sc.ok()) {
      std::fprintf(stderr, "screener build failed: %s\n", sc.status().ToString().c_str());
      return 1;
    }
    screener = std::move(*sc);
  }
  double build_s = Seconds(t0, Clock::now());
  double rss_after = ProcStatusMb("VmRSS:");
  ctx.screener = screener.get();
  ctx.names = AllNames(*snap);
  auto st = screener->stats();
  std::printf("\n");
  Report("names indexed / distinct tokens / postings", std::to_string(st.names) + " / " +
                                                           std::to_string(st.tokens) + " / " +
                                                           std::to_string(st.postings));
  Report("index build (Screener::Build, TBB default threads) (s)", Fmt("%.2f", build_s));
  Report("resident memory: snapshot only / after index build (MB)",
         Fmt("%.0f", rss_before) + Fmt(" / %.0f", rss_after));
  Report("peak resident memory so far, VmHWM (MB)", Fmt("%.0f", ProcStatusMb("VmHWM:")));
  RunAll(ctx, dump);
  std::printf("\nload average at end: %s\n", LoadAverage().c_str());
  return 0;
}
