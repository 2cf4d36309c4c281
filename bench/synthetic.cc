#include "bench/synthetic.h"

#include <array>
#include <random>

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

}  // namespace icts::bench
