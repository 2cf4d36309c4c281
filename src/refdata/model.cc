#include "refdata/model.h"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace icts::refdata {
namespace {

template <typename E, size_t N>
std::optional<E> ParseByName(std::string_view s,
                             const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view NameOf(E e, const std::array<std::string_view, N>& names) {
  auto i = static_cast<size_t>(e);
  return i < N ? names[i] : std::string_view("unknown");
}

constexpr std::array<std::string_view, 7> kSchemaNames = {
    "LegalEntity", "Person", "Organization", "Company",
    "PublicBody",  "Vessel", "Aircraft"};
constexpr std::array<std::string_view, 5> kNameKindNames = {
    "primary", "strong", "weak", "low_quality", "previous"};
constexpr std::array<std::string_view, 10> kCountryRoleNames = {
    "unspecified",   "nationality",  "citizenship", "residence",
    "incorporation", "headquarters", "address",     "birth_place",
    "jurisdiction",  "flag"};
constexpr std::array<std::string_view, 16> kIdKindNames = {
    "other", "lei",      "registration", "tax",   "passport", "national_id",
    "oui",   "cage",     "imo",          "swift_bic", "duns", "email",
    "website", "phone",  "crypto_wallet", "aircraft_tail"};
constexpr std::array<std::string_view, 7> kDateKindNames = {
    "other", "birth", "incorporation", "listed", "delisted", "modified",
    "dissolution"};
constexpr std::array<std::string_view, 7> kRelationKindNames = {
    "ownership", "directorship", "membership", "linked_to",
    "family",    "associate",    "control"};
constexpr std::array<std::string_view, 4> kVerificationNames = {"", "V", "S",
                                                                "M"};

}  // namespace

std::string_view SchemaName(Schema s) { return NameOf(s, kSchemaNames); }
std::string_view NameKindName(NameKind k) { return NameOf(k, kNameKindNames); }
std::string_view CountryRoleName(CountryRole r) {
  return NameOf(r, kCountryRoleNames);
}
std::string_view IdKindName(IdKind k) { return NameOf(k, kIdKindNames); }
std::string_view DateKindName(DateKind k) { return NameOf(k, kDateKindNames); }
std::string_view RelationKindName(RelationKind k) {
  return NameOf(k, kRelationKindNames);
}
std::string_view VerificationName(Verification v) {
  return NameOf(v, kVerificationNames);
}
std::optional<Schema> ParseSchema(std::string_view s) {
  return ParseByName<Schema>(s, kSchemaNames);
}
std::optional<NameKind> ParseNameKind(std::string_view s) {
  return ParseByName<NameKind>(s, kNameKindNames);
}
std::optional<CountryRole> ParseCountryRole(std::string_view s) {
  return ParseByName<CountryRole>(s, kCountryRoleNames);
}
std::optional<IdKind> ParseIdKind(std::string_view s) {
  return ParseByName<IdKind>(s, kIdKindNames);
}
std::optional<DateKind> ParseDateKind(std::string_view s) {
  return ParseByName<DateKind>(s, kDateKindNames);
}
std::optional<RelationKind> ParseRelationKind(std::string_view s) {
  return ParseByName<RelationKind>(s, kRelationKindNames);
}
std::optional<Verification> ParseVerification(std::string_view s) {
  if (s.empty()) return std::nullopt;
  return ParseByName<Verification>(s, kVerificationNames);
}

const std::string& Entity::PrimaryName() const {
  static const std::string kEmpty;
  for (const Name& n : names) {
    if (n.kind == NameKind::kPrimary) return n.value;
  }
  return names.empty() ? kEmpty : names.front().value;
}

void Entity::AddName(std::string value, NameKind kind) {
  if (value.empty()) return;
  for (const Name& n : names) {
    if (n.value == value) return;
  }
  names.push_back(Name{std::move(value), kind});
}

void Entity::AddCountry(std::string code, CountryRole role, std::string label) {
  for (const Country& c : countries) {
    if (c.code == code && c.role == role && c.label == label) return;
  }
  countries.push_back(Country{std::move(code), role, std::move(label)});
}

void Entity::AddProperty(std::string key, std::string value) {
  if (value.empty()) return;
  properties.push_back(Property{std::move(key), std::move(value)});
}

bool ParseShareRange(std::string_view text, double* min_out, double* max_out) {
  std::vector<double> values;
  size_t i = 0;
  while (i < text.size() && values.size() < 3) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      size_t j = i;
      while (j < text.size() &&
             (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.')) {
        ++j;
      }
      double v = 0;
      auto r = std::from_chars(text.data() + i, text.data() + j, v);
      if (r.ec != std::errc()) return false;
      values.push_back(v);
      i = j;
    } else {
      ++i;
    }
  }
  if (values.empty() || values.size() > 2) return false;
  double lo = values[0];
  double hi = values.size() == 2 ? values[1] : values[0];
  if (lo < 0 || hi > 100 || lo > hi) return false;
  *min_out = lo;
  *max_out = hi;
  return true;
}

}  // namespace icts::refdata
