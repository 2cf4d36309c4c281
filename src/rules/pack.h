// Rule packs: rules as data, kinds in code.
//
// A pack is a YAML file (docs/rule-authoring.md): id, version, title,
// status (in-force | proposed | watch), source, and rules. Each rule has an
// id, a kind from the closed set below, effective dates, a citation with its
// verification tag (V verified in the text, S secondary source, M not
// verified), a severity and the kind's parameters. LoadPack() is strict:
// unknown keys, bad dates, unknown kinds or tags, and two versions of one
// rule series in effect on the same day are errors with file:line:column.
#ifndef ICTS_RULES_PACK_H_
#define ICTS_RULES_PACK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"

namespace icts::rules {

enum class PackStatus : uint8_t { kInForce, kProposed, kWatch };
enum class Severity : uint8_t { kInfo, kReview, kProhibited };
enum class Verification : uint8_t { kVerified, kSecondary, kUnverified };

enum class RuleKind : uint8_t {
  kForeignAdversaries,  // Effective-dated list of adversaries (791.4).
  kNexus,               // A definition of the foreign-adversary nexus (791.2).
  kCoveredScope,        // Covered ICTS transaction (791.3), by version.
  kEntityProhibition,   // A determination against an entity family (Kaspersky).
  kListFlag,            // Membership of a list → a finding with its consequence.
  kRiskFactors,         // The 791.103(c) criteria as an evidence checklist.
  kConnectedVehicle,    // A Subpart D prohibition by role, item class and model year.
};

std::string_view PackStatusName(PackStatus s);
std::string_view SeverityName(Severity s);
// "V", "S", "M".
std::string_view VerificationTag(Verification v);
std::string_view RuleKindName(RuleKind k);

struct Citation {
  std::string text;  // "15 CFR 791.3(a) (final rule, 89 FR 96892-96893)"
  Verification verification = Verification::kUnverified;
  std::string url;
};

// [from, to], both inclusive; an absent end is open.
struct Effective {
  std::optional<Date> from;
  std::optional<Date> to;
  bool Contains(Date d) const { return (!from || *from <= d) && (!to || d <= *to); }
};

// --- Kind parameters ---------------------------------------------------------

struct AdversaryEntry {
  std::string code;  // "CN", "CU", "IR", "KP", "RU", "VE-MADURO"
  std::string name;
  Effective effective;
  // Territories counted as the adversary, each from its own date
  // (Hong Kong, Macau for China).
  struct Territory {
    std::string code;
    Effective effective;
  };
  std::vector<Territory> territories;
  // Country codes whose citizens, residents and organisations count for the
  // nexus (e.g. "VE" for the Maduro regime is not one: the regime is a
  // person, not a country). Defaults to {code} when code is a country.
  std::vector<std::string> countries;
};

struct ForeignAdversariesParams {
  std::vector<AdversaryEntry> adversaries;
};

struct NexusParams {
  std::string definition;                       // "791.2-final", "791.2-interim", "791.301" ...
  bool agency = true;                           // Prong 1 (only from facts given).
  std::vector<std::string> citizenship_roles;   // Prong 2 country roles.
  bool us_person_carve_out = false;             // Final rule: not US citizen/LPR.
  std::vector<std::string> organization_roles;  // Prong 3 country roles.
  bool ownership_control = true;                // Prong 4 (from the graph).
  // Parties in these roles are the ones whose nexus matters ("supplier side").
  std::vector<std::string> roles;
  // 791.1(a)(1): a nexus party that operates, maintains, repairs, updates or
  // services the ICTS counts as supplying it.
  bool service_rule = false;
  // Evaluated only when some party has one of these roles (Subpart D:
  // transactions of a VCS hardware importer or a vehicle manufacturer);
  // empty = always.
  std::vector<std::string> when_roles;
  // Adversaries this definition is limited to (Subpart D: CN, RU); empty = all.
  std::vector<std::string> adversaries;
};

struct Category {
  std::string id;  // "791.3(a)(4)(i)"
  std::string title;
  std::vector<std::string> tags;  // Item tags that fall in this category.
  // When set: the category needs item.counts[count] > more_than.
  std::string count;
  int64_t more_than = 0;
};

struct CoveredScopeParams {
  std::string version;  // "interim", "final"
  Date start_date;      // 791.3(a)(3): on or after this date.
  std::vector<Category> categories;
  std::vector<std::string> exclusions;  // "industrial-security-program", "cfius"
  std::string nexus_series;             // Which nexus rules decide the supplier side.
};

struct ActivityClass {
  std::vector<std::string> acts;  // "new-agreement", "update", "resale" ...
  std::optional<Date> from;       // Acts on or after this date are caught.
  Severity severity = Severity::kProhibited;
  std::string note;
};

struct EntityProhibitionParams {
  std::string family;                     // "kaspersky"
  std::vector<std::string> product_tags;  // Covered product classes.
  std::vector<std::string> carve_out_tags;
  std::vector<ActivityClass> activities;
  std::vector<std::string> roles;  // Roles in which a family member is caught.
  // Snapshot entities whose id starts with one of these belong to the family
  // (how screening a party's name establishes membership).
  std::vector<std::string> entity_id_prefixes;
};

struct ListFlagParams {
  // A membership matches when its list name starts with one of these, or its
  // program starts with one of `programs` (case-insensitive).
  std::vector<std::string> lists;
  std::vector<std::string> programs;
  std::string consequence;
  std::vector<std::string> roles;  // Empty: any party.
  // Only items carrying one of these tags (a company's "no covered
  // cameras" policy); empty: any item. An item without tags is unknown.
  std::vector<std::string> item_tags;
};

struct RiskCriterion {
  std::string id;  // "791.103(c)(1)"
  std::string title;
  // What the engine fills in: "item", "nexus", "military-links",
  // "cyber-links", "parties", "none".
  std::string evidence;
};

struct RiskFactorsParams {
  std::vector<RiskCriterion> criteria;
  // List programs that count as military, intelligence or proliferation
  // links (prefix match).
  std::vector<std::string> military_programs;
};

// One prohibition of 15 CFR 791 Subpart D (791.302-791.304) with the
// exemptions of 791.308 that bound it.
struct ConnectedVehicleParams {
  std::string role;                         // Filer role it binds.
  std::vector<std::string> item_classes;    // Item tags it catches.
  std::vector<std::string> excluded_classes;  // Item tags that take an item out.
  int model_year_from = 0;                  // Applies from this model year.
  std::optional<Date> no_model_year_from;   // Units without one: imports from this date.
  bool repair_exemption = false;            // 791.308(a)(2): repair/warranty of older vehicles.
  // Software released before this date and not maintained, patched or
  // altered since is not covered (legacy software).
  std::optional<Date> legacy_before;
  // Whose nexus: the nexus series of the supplier side, or of the filer
  // itself (791.304).
  std::string nexus_series;
  bool filer_nexus = false;
  int64_t max_gvwr_lb = 10000;  // Vehicles above it are out of scope.
  int declaration_lead_days = 60;  // Declaration of Conformity before first import/sale.
  Citation declaration_citation;
};

struct Rule {
  std::string id;
  RuleKind kind = RuleKind::kListFlag;
  std::string series;  // Versions of one rule; their dates may not overlap.
  std::string title;
  Effective effective;
  Citation citation;
  Severity severity = Severity::kInfo;
  std::string file;
  int line = 0;

  ForeignAdversariesParams adversaries;
  NexusParams nexus;
  CoveredScopeParams scope;
  EntityProhibitionParams prohibition;
  ListFlagParams list_flag;
  RiskFactorsParams risk;
  ConnectedVehicleParams vehicle;
};

struct Pack {
  std::string id;
  std::string version;
  std::string title;
  PackStatus status = PackStatus::kInForce;
  Citation source;
  std::vector<Rule> rules;
  std::string file;
  std::string sha256;  // Of the file's bytes.
};

// The documented taxonomy of item tags (rules/taxonomy.yaml).
struct Taxonomy {
  struct Tag {
    std::string id;
    std::string group;  // "hardware", "software", "service", "sector", "technology"
    std::string description;
  };
  std::vector<Tag> tags;
  std::string sha256;
  bool Has(std::string_view tag) const;
};

Result<Taxonomy> ParseTaxonomy(std::string_view yaml, const std::string& file);
Result<Taxonomy> LoadTaxonomy(const std::string& path);

// Parses one pack; item tags named by rules are checked against `taxonomy`.
Result<Pack> ParsePack(std::string_view yaml, const std::string& file, const Taxonomy& taxonomy);
Result<Pack> LoadPack(const std::string& path, const Taxonomy& taxonomy);

// Every `*/pack.yaml` under `dir` (sorted by pack id) with the taxonomy at
// dir/taxonomy.yaml. Pack ids must be unique.
struct PackSet {
  Taxonomy taxonomy;
  std::vector<Pack> packs;
};
Result<PackSet> LoadPackDir(const std::string& dir);
// Adds a pack to a set (e.g. a company's own), checking id uniqueness.
Status AddPack(PackSet* set, Pack pack);

}  // namespace icts::rules

#endif  // ICTS_RULES_PACK_H_
