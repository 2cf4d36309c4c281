#include "bench/synthetic.h"

#include <array>
#include <cctype>
#include <random>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace icts::bench {

using refdata::Entity;

refdata::SnapshotContent MakeSyntheticContent(uint64_t n, uint32_t seed) {
  static constexpr std::array<const char*, 24> kSyllables = {
      "hua", "wei", "zhong", "xing", "tian", "long", "kang", "mei",
      "ros", "tek", "net", "com", "sib", "ural", "volga", "neft",
      "pars", "sina", "tech", "data", "link", "star", "nova", "gen"};
  static constexpr std::array<const char*, 6> kForms = {
      "CO., LTD.", "LLC", "OOO", "JSC", "TECHNOLOGY CO., LTD.", "GROUP"};
  static constexpr std::array<const char*, 8> kCountries = {"CN", "HK", "RU", "IR",
                                                            "US", "DE", "KP", "VE"};
  std::mt19937_64 rng(seed);
  refdata::SnapshotContent c;
  c.sources.push_back(refdata::SourceInfo{"ftm", "synthetic.ftm.json", "", "2026-01-01",
                                          n, n, n / 4, 0});
  c.entities.reserve(n);
  c.entity_source.assign(n, 0);
  for (uint64_t i = 0; i < n; ++i) {
    Entity e;
    e.id = fmt::format("syn:{:08d}", i);
    e.source_id = std::to_string(i);
    e.schema = (i % 5 == 0) ? refdata::Schema::kPerson : refdata::Schema::kCompany;
    std::string name;
    int words = 1 + static_cast<int>(rng() % 3);
    for (int w = 0; w < words; ++w) {
      if (w) name += ' ';
      name += kSyllables[rng() % kSyllables.size()];
      name += kSyllables[rng() % kSyllables.size()];
    }
    for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    std::string full = name + " " + kForms[rng() % kForms.size()];
    e.AddName(full, refdata::NameKind::kPrimary);
    e.AddName(name, refdata::NameKind::kStrongAlias);
    if (rng() % 3 == 0) e.AddName(name + " INTL", refdata::NameKind::kWeakAlias);
    const char* country = kCountries[rng() % kCountries.size()];
    e.AddCountry(country, refdata::CountryRole::kHeadquarters);
    e.identifiers.push_back(refdata::Identifier{refdata::IdKind::kRegistration,
                                                fmt::format("{:012d}", rng() % 1000000000000ULL),
                                                country, "Registration Number"});
    e.addresses.push_back(refdata::Address{fmt::format("{} Industrial Road, District {}, {}",
                                                       rng() % 999, rng() % 40, country),
                                           "", "", "", "", country});
    e.dates.push_back(refdata::DateFact{refdata::DateKind::kListed,
                                        fmt::format("20{:02d}-0{}-1{}", 10 + rng() % 15,
                                                    1 + rng() % 9, rng() % 10)});
    e.lists.push_back(i % 2 ? "Entity List (EL) - Bureau of Industry and Security"
                            : "Specially Designated Nationals (SDN) - Treasury Department");
    e.programs.push_back(i % 3 ? "EAR" : "IRAN");
    c.entities.push_back(std::move(e));
  }
  for (uint64_t i = 0; i + 1 < n; i += 4) {
    refdata::Relation r;
    r.kind = refdata::RelationKind::kOwnership;
    r.from_id = c.entities[i].id;
    r.to_id = c.entities[(i + 1 + rng() % 97) % n].id;
    r.share_min = r.share_max = static_cast<double>(rng() % 100);
    c.relations.push_back(std::move(r));
    c.relation_source.push_back(0);
  }
  return c;
}

std::string MakeSyntheticJsonLines(const refdata::SnapshotContent& content) {
  std::string out;
  for (const Entity& e : content.entities) {
    nlohmann::json j;
    j["id"] = e.id;
    j["schema"] = e.schema == refdata::Schema::kPerson ? "Person" : "Company";
    nlohmann::json props;
    props["name"] = {e.names[0].value};
    nlohmann::json aliases = nlohmann::json::array();
    for (size_t k = 1; k < e.names.size(); ++k) aliases.push_back(e.names[k].value);
    props["alias"] = aliases;
    props["country"] = {e.countries[0].code};
    props["registrationNumber"] = {e.identifiers[0].value};
    props["address"] = {e.addresses[0].full};
    props["program"] = {e.programs[0]};
    props["topics"] = {e.lists[0]};
    j["properties"] = props;
    out += j.dump();
    out += '\n';
  }
  return out;
}

namespace {

// One unit of a non-Latin word: its spelling and two romanisations.
struct Unit {
  const char* orig;
  const char* a;
  const char* b;
};

template <size_t N>
const Unit& Pick(const std::array<Unit, N>& units, std::mt19937_64& rng) {
  return units[rng() % N];
}

struct Variants {
  std::string orig, a, b;
  void Add(const Unit& u) {
    orig += u.orig;
    a += u.a;
    b += u.b;
  }
  void Space(const char* sep_orig = " ", const char* sep_a = " ", const char* sep_b = " ") {
    orig += sep_orig;
    a += sep_a;
    b += sep_b;
  }
  void Append(const Variants& v) {
    orig += v.orig;
    a += v.a;
    b += v.b;
  }
};

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// Title case of ASCII words (bytes >= 0x80 are left alone).
std::string Title(std::string s) {
  bool start = true;
  for (char& ch : s) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (std::isalpha(u)) {
      ch = static_cast<char>(start ? std::toupper(u) : std::tolower(u));
      start = false;
    } else if (u < 0x80 && ch != '\'') {
      start = true;
    }
  }
  return s;
}

// Cyrillic consonant + vowel syllables: BGN/PCGN | scholarly (ISO 9 style).
constexpr std::array<Unit, 24> kCyrCons = {{
    {"б", "b", "b"},   {"в", "v", "v"},   {"г", "g", "g"},   {"д", "d", "d"},
    {"ж", "zh", "ž"},  {"з", "z", "z"},   {"к", "k", "k"},   {"л", "l", "l"},
    {"м", "m", "m"},   {"н", "n", "n"},   {"п", "p", "p"},   {"р", "r", "r"},
    {"с", "s", "s"},   {"т", "t", "t"},   {"ф", "f", "f"},   {"х", "kh", "ch"},
    {"ц", "ts", "c"},  {"ч", "ch", "č"},  {"ш", "sh", "š"},  {"щ", "shch", "šč"},
    {"к", "k", "k"},   {"т", "t", "t"},   {"р", "r", "r"},   {"н", "n", "n"},
}};
constexpr std::array<Unit, 10> kCyrVow = {{
    {"а", "a", "a"}, {"о", "o", "o"}, {"у", "u", "u"}, {"и", "i", "i"}, {"е", "e", "e"},
    {"ы", "y", "y"}, {"я", "ya", "ja"}, {"ю", "yu", "ju"}, {"э", "e", "è"}, {"а", "a", "a"},
}};
constexpr std::array<Unit, 8> kCyrEnd = {{
    {"ов", "ov", "ov"}, {"ин", "in", "in"}, {"ский", "skiy", "skij"}, {"ев", "ev", "ev"},
    {"енко", "enko", "enko"}, {"ий", "iy", "ij"}, {"ая", "aya", "aja"}, {"ой", "oy", "oj"},
}};
constexpr std::array<Unit, 4> kCyrForms = {{
    {"ООО", "OOO", "OOO"}, {"АО", "AO", "AO"}, {"ПАО", "PAO", "PAO"}, {"ЗАО", "ZAO", "ZAO"},
}};

// Arabic: letters + long vowels, English | French transcription.
constexpr std::array<Unit, 16> kArCons = {{
    {"ب", "b", "b"},   {"ت", "t", "t"},   {"ج", "j", "dj"},  {"د", "d", "d"},
    {"ر", "r", "r"},   {"ز", "z", "z"},   {"س", "s", "s"},   {"ش", "sh", "ch"},
    {"ف", "f", "f"},   {"ق", "q", "k"},   {"ك", "k", "k"},   {"ل", "l", "l"},
    {"م", "m", "m"},   {"ن", "n", "n"},   {"خ", "kh", "kh"}, {"ه", "h", "h"},
}};
constexpr std::array<Unit, 3> kArVow = {{{"ا", "a", "a"}, {"و", "u", "ou"}, {"ي", "i", "i"}}};
constexpr std::array<Unit, 16> kArGiven = {{
    {"محمد", "muhammad", "mohamed"}, {"أحمد", "ahmad", "ahmed"},   {"علي", "ali", "aly"},
    {"حسن", "hasan", "hassan"},      {"حسين", "husayn", "houssein"}, {"عبد الله", "abdullah", "abdallah"},
    {"يوسف", "yusuf", "youssef"},    {"خالد", "khalid", "khaled"}, {"إبراهيم", "ibrahim", "ibrahim"},
    {"عمر", "umar", "omar"},         {"كريم", "karim", "karim"},   {"سعيد", "said", "saaid"},
    {"جواد", "jawad", "djaouad"},    {"محمود", "mahmud", "mahmoud"}, {"مصطفى", "mustafa", "moustafa"},
    {"رضا", "rida", "reda"},
}};

// Han characters with one reading: pinyin | Wade-Giles.
constexpr std::array<Unit, 40> kHan = {{
    {"华", "hua", "hua"},    {"为", "wei", "wei"},     {"中", "zhong", "chung"}, {"兴", "xing", "hsing"},
    {"天", "tian", "tien"},  {"龙", "long", "lung"},   {"康", "kang", "kang"},   {"美", "mei", "mei"},
    {"海", "hai", "hai"},    {"通", "tong", "tung"},   {"信", "xin", "hsin"},    {"达", "da", "ta"},
    {"东", "dong", "tung"},  {"方", "fang", "fang"},   {"明", "ming", "ming"},   {"光", "guang", "kuang"},
    {"电", "dian", "tien"},  {"新", "xin", "hsin"},    {"金", "jin", "chin"},    {"宏", "hong", "hung"},
    {"安", "an", "an"},      {"泰", "tai", "tai"},     {"星", "xing", "hsing"},  {"航", "hang", "hang"},
    {"云", "yun", "yun"},    {"博", "bo", "po"},       {"创", "chuang", "chuang"}, {"远", "yuan", "yuan"},
    {"盛", "sheng", "sheng"}, {"恒", "heng", "heng"},  {"凯", "kai", "kai"},     {"瑞", "rui", "jui"},
    {"晨", "chen", "chen"},  {"鑫", "xin", "hsin"},    {"嘉", "jia", "chia"},    {"联", "lian", "lien"},
    {"智", "zhi", "chih"},   {"威", "wei", "wei"},     {"德", "de", "te"},       {"峰", "feng", "feng"},
}};
constexpr std::array<Unit, 10> kHanFamily = {{
    {"王", "wang", "wang"}, {"李", "li", "li"},     {"张", "zhang", "chang"}, {"刘", "liu", "liu"},
    {"陈", "chen", "chen"}, {"杨", "yang", "yang"}, {"黄", "huang", "huang"}, {"赵", "zhao", "chao"},
    {"周", "zhou", "chou"}, {"吴", "wu", "wu"},
}};
constexpr std::array<Unit, 4> kHanIndustry = {{
    {"科技", "technology", "technology"}, {"电子", "electronics", "electronics"},
    {"通信", "communication", "communication"}, {"贸易", "trading", "trading"},
}};

// Greek: ELOT 743 | BGN/PCGN (they differ on δ, υ, χ, β/γ clusters).
constexpr std::array<Unit, 16> kGrCons = {{
    {"β", "v", "v"}, {"γ", "g", "g"}, {"δ", "d", "dh"}, {"κ", "k", "k"},
    {"λ", "l", "l"}, {"μ", "m", "m"}, {"ν", "n", "n"}, {"π", "p", "p"},
    {"ρ", "r", "r"}, {"τ", "t", "t"}, {"φ", "f", "f"}, {"χ", "ch", "kh"},
    {"θ", "th", "th"}, {"ζ", "z", "z"}, {"ξ", "x", "x"}, {"σ", "s", "s"},
}};
constexpr std::array<Unit, 7> kGrVow = {{
    {"α", "a", "a"}, {"ε", "e", "e"}, {"ο", "o", "o"}, {"ι", "i", "i"},
    {"η", "i", "i"}, {"υ", "y", "i"}, {"ου", "ou", "ou"},
}};
constexpr std::array<Unit, 4> kGrEnd = {{
    {"ος", "os", "os"}, {"ης", "is", "is"}, {"ας", "as", "as"}, {"ου", "ou", "ou"},
}};

// Georgian: national system (2002) | the older one with apostrophes.
constexpr std::array<Unit, 20> kGeCons = {{
    {"ბ", "b", "b"}, {"გ", "g", "g"}, {"დ", "d", "d"}, {"ვ", "v", "v"}, {"ზ", "z", "z"},
    {"თ", "t", "t"}, {"კ", "k", "k'"}, {"ლ", "l", "l"}, {"მ", "m", "m"}, {"ნ", "n", "n"},
    {"პ", "p", "p'"}, {"რ", "r", "r"}, {"ს", "s", "s"}, {"ტ", "t", "t'"}, {"ფ", "p", "p"},
    {"ქ", "k", "k"}, {"შ", "sh", "sh"}, {"ჩ", "ch", "ch"}, {"წ", "ts", "ts'"}, {"ხ", "kh", "kh"},
}};
constexpr std::array<Unit, 5> kGeVow = {{
    {"ა", "a", "a"}, {"ე", "e", "e"}, {"ი", "i", "i"}, {"ო", "o", "o"}, {"უ", "u", "u"},
}};
constexpr std::array<Unit, 3> kGeEnd = {{{"ი", "i", "i"}, {"შვილი", "shvili", "shvili"}, {"ძე", "dze", "dze"}}};

template <size_t C, size_t V>
Variants SyllableWord(const std::array<Unit, C>& cons, const std::array<Unit, V>& vow,
                      int syllables, std::mt19937_64& rng) {
  Variants w;
  for (int i = 0; i < syllables; ++i) {
    w.Add(Pick(cons, rng));
    w.Add(Pick(vow, rng));
  }
  return w;
}

constexpr std::array<const char*, 40> kLatinSyll = {
    "bra", "vel", "kor", "tan", "mi", "sol", "den", "ar", "lux", "qua", "ver", "tis",
    "mon", "gal", "rio", "zen", "pol", "kat", "nor", "dal", "fen", "ix", "or", "sta",
    "tro", "ba", "ley", "cor", "hel", "vin", "ra", "don", "ma", "ter", "lin", "sen",
    "gar", "ost", "pen", "ul"};
constexpr std::array<const char*, 40> kIndustry = {
    "Global", "Trading", "Technology", "Holdings", "International", "Industries",
    "Electronics", "Systems", "Logistics", "Energy", "Shipping", "Capital", "Group",
    "Solutions", "Engineering", "Machinery", "Chemical", "Petroleum", "Aviation",
    "Marine", "Software", "Networks", "Semiconductor", "Materials", "Pharmaceutical",
    "Investment", "Development", "Construction", "Resources", "Manufacturing",
    "Communications", "Telecom", "Metals", "Optical", "Precision", "Instruments",
    "Defense", "Research", "Consulting", "Services"};
constexpr std::array<const char*, 20> kLatinForms = {
    "Co., Ltd.", "GmbH", "LLC", "OOO", "JSC", "Ltd", "Limited", "Inc.", "Corp.",
    "S.A.", "AG", "B.V.", "S.r.l.", "PLC", "Pte. Ltd.", "Sdn. Bhd.", "LLP", "SARL",
    "Company Limited", "Corporation"};
constexpr std::array<const char*, 24> kGiven = {
    "John", "Maria", "Ahmed", "Elena", "Pierre", "Hans", "Carlos", "Anna", "David",
    "Sofia", "Luis", "Olga", "Marco", "Ines", "Peter", "Laura", "Jorge", "Nadia",
    "Victor", "Irene", "Paolo", "Greta", "Samuel", "Rosa"};

std::string LatinWord(std::mt19937_64& rng) {
  int syl = 1 + static_cast<int>(rng() % 3);
  std::string w;
  for (int i = 0; i < syl; ++i) w += kLatinSyll[rng() % kLatinSyll.size()];
  return Title(w);
}

std::string Abbreviate(const std::string& name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kAbbr = {{
      {"Technology", "Tech."}, {"International", "Intl"}, {"Holdings", "Hldgs"},
      {"Industries", "Inds."}, {"Communications", "Comm."}, {"Engineering", "Eng."}}};
  std::string out = name;
  for (const auto& [w, a] : kAbbr) {
    size_t p = out.find(w);
    if (p != std::string::npos) out.replace(p, w.size(), a);
  }
  return out;
}

}  // namespace

refdata::SnapshotContent MakeMultiScriptContent(uint64_t n, uint32_t seed,
                                                std::vector<HeldOutName>* held_out) {
  std::mt19937_64 rng(seed);
  refdata::SnapshotContent c;
  c.sources.push_back(refdata::SourceInfo{"ftm", "multiscript.ftm.json", "", "2026-01-01",
                                          n, n, 0, 0});
  c.entities.reserve(n);
  c.entity_source.assign(n, 0);
  for (uint64_t i = 0; i < n; ++i) {
    Entity e;
    e.id = fmt::format("ms:{:08d}", i);
    e.source_id = std::to_string(i);
    bool person = rng() % 4 == 0;
    e.schema = person ? refdata::Schema::kPerson : refdata::Schema::kCompany;
    uint64_t pick = rng() % 100;
    const char* script = nullptr;
    Variants v;      // orig / romanisation a / romanisation b
    Variants bare;   // same without legal form (companies)
    const char* country = "US";
    if (pick < 60) {
      // Latin.
      std::string name;
      if (person) {
        std::string given = kGiven[rng() % kGiven.size()];
        std::string family = LatinWord(rng);
        name = given + " " + family;
        e.AddName(Upper(name), refdata::NameKind::kPrimary);
        e.AddName(Upper(family) + ", " + given, refdata::NameKind::kStrongAlias);
        if (rng() % 2) e.AddName(given.substr(0, 1) + ". " + family, refdata::NameKind::kWeakAlias);
      } else {
        name = LatinWord(rng);
        if (rng() % 100 < 40) name += " " + LatinWord(rng);
        int industry = static_cast<int>(rng() % 3);
        for (int k = 0; k < industry; ++k) name += std::string(" ") + kIndustry[rng() % kIndustry.size()];
        std::string full = name;
        if (rng() % 100 < 85) full += std::string(" ") + kLatinForms[rng() % kLatinForms.size()];
        e.AddName(rng() % 2 ? Upper(full) : full, refdata::NameKind::kPrimary);
        e.AddName(name, refdata::NameKind::kStrongAlias);
        std::string abbr = Abbreviate(full);
        if (abbr != full) {
          e.AddName(abbr, refdata::NameKind::kStrongAlias);
        } else if (rng() % 2) {
          e.AddName(name + " Intl", refdata::NameKind::kWeakAlias);
        }
      }
      static constexpr std::array<const char*, 6> kLatinCountries = {"US", "DE", "FR", "IT", "BR", "TR"};
      country = kLatinCountries[rng() % kLatinCountries.size()];
    } else {
      if (pick < 75) {
        script = "Cyrillic";
        country = "RU";
        if (person) {
          Variants given = SyllableWord(kCyrCons, kCyrVow, 2, rng);
          given.Add(Pick(kCyrCons, rng));
          Variants family = SyllableWord(kCyrCons, kCyrVow, 1 + static_cast<int>(rng() % 2), rng);
          family.Add(Pick(kCyrEnd, rng));
          v.Append(family);
          v.Space();
          v.Append(given);
        } else {
          Variants w = SyllableWord(kCyrCons, kCyrVow, 2 + static_cast<int>(rng() % 2), rng);
          if (rng() % 3 == 0) {
            w.Space();
            w.Append(SyllableWord(kCyrCons, kCyrVow, 2, rng));
          }
          bare = w;
          v.Add(Pick(kCyrForms, rng));
          v.Space(" «", " ", " ");
          v.Append(w);
          v.Space("»", "", "");
        }
      } else if (pick < 85) {
        script = "Arabic";
        country = rng() % 2 ? "IR" : "SY";
        Variants w;
        w.Add(Pick(kArCons, rng));
        w.Add(Pick(kArVow, rng));
        w.Add(Pick(kArCons, rng));
        if (rng() % 2) w.Add(Pick(kArVow, rng));
        w.Add(Pick(kArCons, rng));
        if (person) {
          v.Add(Pick(kArGiven, rng));
          v.Space();
          v.Append(w);
        } else {
          bare = w;
          v.Add(Unit{"شركة", "sharikat", "charikat"});
          v.Space();
          v.Append(w);
          if (rng() % 2) {
            v.Space();
            Unit trade{"للتجارة", "lil-tijara", "lil-tidjara"};
            v.Add(trade);
          }
        }
      } else if (pick < 93) {
        script = "Han";
        country = "CN";
        if (person) {
          v.Add(Pick(kHanFamily, rng));
          v.Space("", " ", " ");
          Variants given;
          given.Add(Pick(kHan, rng));
          if (rng() % 2) {
            given.Space("", "", "-");
            given.Add(Pick(kHan, rng));
          }
          v.Append(given);
        } else {
          Variants w;
          int chars = 2 + static_cast<int>(rng() % 2);
          for (int k = 0; k < chars; ++k) w.Add(Pick(kHan, rng));
          bare = w;
          const Unit& ind = Pick(kHanIndustry, rng);
          v.Append(w);
          v.Space("", " ", " ");
          v.Add(ind);
          v.Add(Unit{"有限公司", " co., ltd.", " co., ltd."});
        }
      } else if (pick < 97) {
        script = "Greek";
        country = "GR";
        Variants w = SyllableWord(kGrCons, kGrVow, 2 + static_cast<int>(rng() % 2), rng);
        w.Add(Pick(kGrCons, rng));
        w.Add(Pick(kGrEnd, rng));
        if (person) {
          Variants given = SyllableWord(kGrCons, kGrVow, 2, rng);
          given.Add(Pick(kGrEnd, rng));
          v.Append(given);
          v.Space();
          v.Append(w);
        } else {
          bare = w;
          v.Append(w);
          v.Add(Unit{" Α.Ε.", " A.E.", " A.E."});
        }
      } else {
        script = "Georgian";
        country = "GE";
        Variants w = SyllableWord(kGeCons, kGeVow, 2 + static_cast<int>(rng() % 2), rng);
        w.Add(Pick(kGeEnd, rng));
        if (person) {
          Variants given = SyllableWord(kGeCons, kGeVow, 2, rng);
          v.Append(given);
          v.Space();
          v.Append(w);
        } else {
          bare = w;
          v.Add(Unit{"შპს", "shps", "shps"});
          v.Space();
          v.Append(w);
        }
      }
      std::string a = Upper(v.a);
      std::string b = Title(v.b);
      // Hold out one variant: the original script, or the second romanisation.
      bool hold_orig = rng() % 2 == 0;
      if (hold_orig) {
        e.AddName(a, refdata::NameKind::kPrimary);
        e.AddName(b, refdata::NameKind::kStrongAlias);
        if (held_out) held_out->push_back({e.id, v.orig, "original_script", script});
      } else {
        e.AddName(v.orig, refdata::NameKind::kPrimary);
        e.AddName(a, refdata::NameKind::kStrongAlias);
        if (held_out) held_out->push_back({e.id, b, "romanisation", script});
      }
      if (!bare.a.empty()) {
        e.AddName(Upper(bare.a), refdata::NameKind::kWeakAlias);
      } else {
        // Persons: surname-first / given-first order of the first romanisation.
        size_t sp = v.a.find(' ');
        if (sp != std::string::npos) {
          e.AddName(Title(v.a.substr(sp + 1) + " " + v.a.substr(0, sp)),
                    refdata::NameKind::kWeakAlias);
        }
      }
    }
    e.AddCountry(country, refdata::CountryRole::kHeadquarters);
    e.lists.push_back("Synthetic multi-script list");
    c.entities.push_back(std::move(e));
  }
  return c;
}

}  // namespace icts::bench
