// The entity model, close to FollowTheMoney: persons and organisations with
// their names, countries (with the role each country plays), identifiers,
// addresses, dates, list memberships, citations and relations.
//
// These are the mutable, build-time structures the loaders fill. A built
// Snapshot (snapshot.h) stores the same facts in a flat, read-only form.
#ifndef ICTS_REFDATA_MODEL_H_
#define ICTS_REFDATA_MODEL_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace icts::refdata {

// FollowTheMoney schemata we keep. kLegalEntity is FtM's "LegalEntity": a
// party whose kind (person or organisation) the source does not state.
enum class Schema : uint8_t {
  kLegalEntity = 0,
  kPerson = 1,
  kOrganization = 2,
  kCompany = 3,
  kPublicBody = 4,
  kVessel = 5,
  kAircraft = 6,
};

// How a name was given. kPrimary is the source's main name; aliases carry
// their strength as the source states it (OFAC "a.k.a." = strong, "f.k.a." =
// previous, "n.k.a." = strong; OFAC "weak aka" and UN "Low" quality = weak /
// low quality).
enum class NameKind : uint8_t {
  kPrimary = 0,
  kStrongAlias = 1,
  kWeakAlias = 2,
  kLowQualityAlias = 3,
  kPrevious = 4,
};

enum class CountryRole : uint8_t {
  kUnspecified = 0,  // The source names a country with no stated role.
  kNationality = 1,
  kCitizenship = 2,
  kResidence = 3,
  kIncorporation = 4,
  kHeadquarters = 5,
  kAddress = 6,
  kBirthPlace = 7,
  kJurisdiction = 8,
  kFlag = 9,  // Vessel flag state.
};

enum class IdKind : uint8_t {
  kOther = 0,
  kLei = 1,
  kRegistration = 2,  // Company / business registration number.
  kTax = 3,
  kPassport = 4,
  kNationalId = 5,
  kOui = 6,   // IEEE MAC-address block assignment.
  kCage = 7,  // NATO Commercial and Government Entity code.
  kImo = 8,   // IMO vessel or company number.
  kSwiftBic = 9,
  kDuns = 10,
  kEmail = 11,
  kWebsite = 12,
  kPhone = 13,
  kCryptoWallet = 14,
  kAircraftTail = 15,
};

enum class DateKind : uint8_t {
  kOther = 0,
  kBirth = 1,
  kIncorporation = 2,
  kListed = 3,     // Start of the listing (effective date).
  kDelisted = 4,   // End of the listing (expiry date).
  kModified = 5,   // Source's last-update date for the entry.
  kDissolution = 6,
};

enum class RelationKind : uint8_t {
  kOwnership = 0,    // from = owner, to = asset (FtM Ownership).
  kDirectorship = 1, // from = director, to = organisation.
  kMembership = 2,   // from = member, to = organisation.
  kLinkedTo = 3,     // Unspecified link (OFAC "Linked To").
  kFamily = 4,
  kAssociate = 5,
  kControl = 6,      // Control without a stated share (e.g. "controlled by").
};

// How sure a curated fact is (REGULATION.md tags): verified in the primary
// text, secondary source, or unverified.
enum class Verification : uint8_t { kNone = 0, kVerified = 1, kSecondary = 2, kUnverified = 3 };

std::string_view SchemaName(Schema s);
std::string_view NameKindName(NameKind k);
std::string_view CountryRoleName(CountryRole r);
std::string_view IdKindName(IdKind k);
std::string_view DateKindName(DateKind k);
std::string_view RelationKindName(RelationKind k);
std::string_view VerificationName(Verification v);
std::optional<Schema> ParseSchema(std::string_view s);
std::optional<NameKind> ParseNameKind(std::string_view s);
std::optional<CountryRole> ParseCountryRole(std::string_view s);
std::optional<IdKind> ParseIdKind(std::string_view s);
std::optional<DateKind> ParseDateKind(std::string_view s);
std::optional<RelationKind> ParseRelationKind(std::string_view s);
std::optional<Verification> ParseVerification(std::string_view s);

struct Name {
  std::string value;
  NameKind kind = NameKind::kPrimary;
};

struct Country {
  std::string code;  // ISO 3166-1 alpha-2, upper case ("CN", "HK", "RU"), or
                     // a source-specific code such as "XK"; empty if unknown.
  CountryRole role = CountryRole::kUnspecified;
  std::string label;  // The text the source gave ("China", "Iran").
};

struct Identifier {
  IdKind kind = IdKind::kOther;
  std::string value;
  std::string country;  // Issuing country code, if stated.
  std::string label;    // The source's own type label ("Passport", "D-U-N-S").
};

struct Address {
  std::string full;  // One-line form as the source gives it (or assembled).
  std::string street;
  std::string city;
  std::string region;
  std::string postal_code;
  std::string country;  // ISO alpha-2 code if known.
};

struct DateFact {
  DateKind kind = DateKind::kOther;
  std::string value;  // ISO prefix: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
};

// A legal or documentary source for a fact: an instrument and section
// ("89 FR 52434", "47 CFR 1.50002", "FCC DA 22-320"), an optional URL, the
// effective date it gives, and how sure we are of it.
struct Citation {
  std::string text;
  std::string url;
  std::string effective;  // ISO date or empty.
  Verification verification = Verification::kNone;
  std::string fact;  // Which fact it supports ("headquarters", "parent", ...).
};

// A free key/value the source gives that the model has no slot for
// ("license_requirement", "federal_register_notice", "remarks", "title").
struct Property {
  std::string key;
  std::string value;
};

struct Entity {
  std::string id;         // Unique in a snapshot: "<source prefix>:<source id>".
  std::string source_id;  // The source's own id (OFAC ent_num, CSL _id, ...).
  Schema schema = Schema::kLegalEntity;
  std::vector<Name> names;  // First is the primary name.
  std::vector<Country> countries;
  std::vector<Identifier> identifiers;
  std::vector<Address> addresses;
  std::vector<DateFact> dates;
  std::vector<std::string> lists;     // "Entity List (EL) - Bureau of Industry and Security"
  std::vector<std::string> programs;  // "SDN — IRAN", "CMIC-EO13959"
  std::vector<std::string> topics;    // "sanction", "export.control", "ict.vendor"
  std::vector<Citation> citations;
  std::vector<Property> properties;

  // The primary name, or "" if there is none.
  const std::string& PrimaryName() const;
  // Adds a name unless the same value is already present.
  void AddName(std::string value, NameKind kind);
  void AddCountry(std::string code, CountryRole role, std::string label = {});
  void AddProperty(std::string key, std::string value);
};

inline constexpr double kUnknownShare = std::numeric_limits<double>::quiet_NaN();

struct Relation {
  RelationKind kind = RelationKind::kLinkedTo;
  std::string id;       // Optional id of the relation itself.
  std::string from_id;  // Entity id; may name an entity of another source.
  std::string to_id;
  std::string from_name;  // Name as the source gives it, for unresolved ids.
  std::string to_name;
  double share_min = kUnknownShare;  // Percent, 0..100; NaN when not stated.
  double share_max = kUnknownShare;
  std::string role;  // "director", "parent", "majority shareholder", ...
  std::string start_date;
  std::string end_date;
  std::vector<Citation> citations;
};

// Parses a share in percent such as "51", "51%", "25-50%", "75% to 100%",
// "more than 50%". Returns false when no share can be read or a value lies
// outside 0..100.
bool ParseShareRange(std::string_view text, double* min_out, double* max_out);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_MODEL_H_
