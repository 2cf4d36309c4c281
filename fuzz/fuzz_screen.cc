// Fuzz target: arbitrary bytes screened as a query against one fixed, small
// list (a few dozen entities in several scripts). The input is split on '|'
// into name, country, identifier, birth date and a byte choosing the query
// type; any of them may be missing. Screening must never crash, and every
// hit must be well formed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "match/screener.h"
#include "refdata/model.h"
#include "refdata/snapshot.h"

namespace {

using icts::refdata::CountryRole;
using icts::refdata::Entity;
using icts::refdata::NameKind;
using icts::refdata::Schema;

struct Fixture {
  std::unique_ptr<icts::refdata::Snapshot> snapshot;
  std::unique_ptr<icts::match::Screener> screener;
};

Entity Make(const char* id, Schema schema, std::vector<const char*> names, const char* country,
            const char* identifier = nullptr, const char* birth = nullptr) {
  Entity e;
  e.id = id;
  e.source_id = id;
  e.schema = schema;
  for (size_t i = 0; i < names.size(); ++i) {
    e.AddName(names[i], i == 0 ? NameKind::kPrimary : NameKind::kStrongAlias);
  }
  if (country != nullptr) e.AddCountry(country, CountryRole::kUnspecified);
  if (identifier != nullptr) {
    e.identifiers.push_back({icts::refdata::IdKind::kRegistration, identifier, "", ""});
  }
  if (birth != nullptr) e.dates.push_back({icts::refdata::DateKind::kBirth, birth});
  e.lists.push_back("Test list");
  return e;
}

Fixture* BuildFixture() {
  icts::refdata::SnapshotContent c;
  c.sources.push_back({"csl", "fuzz.csv", "", "", 0, 0, 0, 0});
  std::vector<Entity> entities = {
      Make("t:1", Schema::kCompany, {"Huawei Technologies Co., Ltd.", "华为技术有限公司", "Huawei"},
           "CN", "914403001922038216"),
      Make("t:2", Schema::kCompany,
           {"Zhejiang Dahua Technology Co., Ltd.", "浙江大华技术股份有限公司"}, "CN"),
      Make("t:3", Schema::kCompany, {"DAHUA ELECTRONICS CORPORATION"}, "US"),
      Make("t:4", Schema::kCompany, {"ZTE Corporation", "中兴通讯股份有限公司"}, "CN"),
      Make("t:5", Schema::kCompany, {"ZTE Parsian"}, "IR"),
      Make("t:6", Schema::kCompany, {"Kaspersky Lab", "Лаборатория Касперского"}, "RU"),
      Make("t:7", Schema::kOrganization, {"Islamic Jihad Group", "Jama'at al-Jihad"}, "UZ"),
      Make("t:8", Schema::kPerson, {"PUTIN, Vladimir Vladimirovich", "Владимир Путин"}, "RU",
           "100000001", "1952-10-07"),
      Make("t:9", Schema::kPerson, {"KIM, Jong Un", "김정은"}, "KP", nullptr, "1984"),
      Make("t:10", Schema::kPerson, {"AL-BAGHDADI, Abu Bakr", "أبو بكر البغدادي"}, "IQ"),
      Make("t:11", Schema::kOrganization,
           {"Islamic Revolutionary Guard Corps", "سپاه پاسداران انقلاب اسلامی", "IRGC"}, "IR"),
      Make("t:12", Schema::kCompany, {"Rosoboronexport", "Рособоронэкспорт"}, "RU"),
      Make("t:13", Schema::kCompany, {"SZ DJI Technology Co., Ltd.", "深圳市大疆创新科技有限公司"},
           "CN"),
      Make("t:14", Schema::kCompany, {"Global Trading LLC"}, "AE"),
      Make("t:15", Schema::kCompany, {"Limited Liability Company"}, nullptr),
      Make("t:16", Schema::kVessel, {"NEW HORIZON"}, "IR"),
      Make("t:17", Schema::kCompany, {"Ελληνική Εταιρεία Α.Ε."}, "GR"),
      Make("t:18", Schema::kCompany, {"חברה בע\"מ"}, "IL"),
      Make("t:19", Schema::kCompany, {"株式会社テスト"}, "JP"),
      Make("t:20", Schema::kLegalEntity, {"A B C D E F G H I J K L M N O P"}, nullptr),
      Make("t:21", Schema::kCompany, {"No. 2 Factory 123", "2"}, "KP"),
      Make("t:22", Schema::kCompany, {"Hangzhou Hikvision Digital Technology Co., Ltd."}, "CN"),
      // Words a person's name may leave out: a patronymic, links of a
      // genealogical chain.
      Make("t:23", Schema::kPerson, {"KURCHENKO, Sergey Vitalievich", "Курченко Сергей"}, "UA"),
      Make("t:24", Schema::kPerson, {"AL-ALI, Hamid bin Abdallah Ahmed", "BIN LADIN, Usama bin"},
           "QA"),
  };
  for (Entity& e : entities) {
    c.entities.push_back(std::move(e));
    c.entity_source.push_back(0);
  }
  auto image = icts::refdata::SerializeSnapshot(c);
  if (!image.ok()) std::abort();
  auto snapshot = icts::refdata::Snapshot::FromBytes(*image, "fuzz");
  if (!snapshot.ok()) std::abort();
  auto* f = new Fixture;
  f->snapshot = std::move(snapshot).value();
  auto screener = icts::match::Screener::Build(*f->snapshot);
  if (!screener.ok()) std::abort();
  f->screener = std::move(screener).value();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = BuildFixture();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() < 4) {
    size_t bar = in.find('|');
    if (bar == std::string_view::npos) break;
    parts.push_back(in.substr(0, bar));
    in.remove_prefix(bar + 1);
  }
  parts.push_back(in);

  icts::match::Query q;
  q.name = std::string(parts[0]);
  if (parts.size() > 1) q.country = std::string(parts[1]);
  if (parts.size() > 2 && !parts[2].empty()) q.identifiers.emplace_back(parts[2]);
  if (parts.size() > 3) q.birth_date = std::string(parts[3]);
  if (parts.size() > 4 && !parts[4].empty()) {
    q.type = static_cast<icts::text::NameType>(static_cast<uint8_t>(parts[4][0]) % 3);
  }
  icts::match::ScreenOptions options;
  options.threshold = size % 2 == 0 ? 0.0 : icts::match::kDefaultThreshold;
  options.max_candidates = 1 + size % 50;
  icts::match::ScreenTrace trace;
  options.trace = &trace;
  std::vector<icts::match::Hit> hits = fixture->screener->Screen(q, options);
  if (trace.scored > options.max_candidates || hits.size() > options.top) std::abort();
  for (const icts::match::Hit& h : hits) {
    if (h.score < options.threshold || h.score > 1.0 || h.entity_id.empty()) std::abort();
    if (h.entity_index >= fixture->snapshot->entity_count()) std::abort();
  }
  // The exhaustive scan is the slow reference; run it on short inputs only.
  if (size <= 64) (void)fixture->screener->ScreenExhaustive(q, options);
  return 0;
}
