// Facts about one ICTS transaction: what the evaluator reads.
//
// The transaction input format (docs/schema/transaction.schema.json) maps
// onto these structs one to one; ReadTransaction() validates it and reports
// the JSON pointer of the first problem. Facts the input does not give stay
// unknown (std::nullopt / Tri::kUnknown): the evaluator names them instead
// of treating them as "no".
#ifndef ICTS_RULES_FACTS_H_
#define ICTS_RULES_FACTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/date.h"
#include "base/status.h"
#include "rules/pack.h"

namespace icts::rules {

enum class Tri : uint8_t { kUnknown, kNo, kYes };
std::string_view TriName(Tri t);  // "unknown", "no", "yes"

struct CountryFact {
  std::string code;  // ISO alpha-2
  std::string role;  // incorporation, headquarters, principal-place-of-business,
                     // citizenship, nationality, residence, address
};

// A nexus finding given with the input or computed by the ownership graph.
struct NexusFact {
  std::string adversary;  // "CN" ... or a territory ("HK", "MO"): mapped as of the date.
  std::string prong;      // agency | citizenship | organization | ownership-control
  std::string evidence;
  std::string definition;  // Which definition computed it; "" = any.
};

struct ListMembership {
  std::string list;     // "Entity List (BIS)", "FCC Covered List", "SDN"
  std::string program;  // "SDN — IRAN", "NS-CMIC" ...
  std::string entity_id;
  std::string name;  // The listed name.
  double score = 1;  // Match score when found by screening.
  std::optional<Date> since;
};

struct Party {
  std::string id;
  std::string role;  // See kPartyRoles.
  std::string name;
  std::string type;  // "organization" | "person" | ""
  std::vector<CountryFact> countries;
  Tri us_person = Tri::kUnknown;  // U.S. citizen / permanent resident / U.S. entity.
  // Operates, manages, maintains, repairs, updates or services the ICTS.
  Tri services_item = Tri::kUnknown;
  std::vector<NexusFact> nexus;
  // The ownership and control above the party was examined (by the graph
  // or by the analyst) and `nexus` holds every ownership-control finding.
  Tri ownership_known = Tri::kUnknown;
  // What the ownership analysis found but could not settle (a minority
  // stake that may be a dominant minority, a parent that is not disclosed,
  // a share that is not stated ...), in words; named as unknowns when no
  // prong holds.
  std::vector<std::string> ownership_open;
  std::vector<ListMembership> lists;
  std::vector<std::string> families;  // "kaspersky" ...
  Tri family_known = Tri::kUnknown;   // Families were resolved (screened).
  // How membership of a family was established (screening hit, ownership
  // chain), by family; shown in findings.
  std::map<std::string, std::string> family_evidence;
  // The party was screened against the lists: `lists` and `families` are
  // complete (an empty list then means "on none").
  Tri screened = Tri::kUnknown;
  std::string pointer;  // JSON pointer of the party in the input.
};

struct Act {
  std::string kind;  // See kActKinds.
  std::optional<Date> date;
};

struct Item {
  std::string kind;  // hardware | software | service | ""
  std::string description;
  std::string product;
  std::vector<std::string> tags;
  std::map<std::string, int64_t> counts;  // us_units_sold_12m ...
  // Connected vehicles (Subpart D): the item's own model year (hardware
  // imported on its own), and whether it is imported for the repair or
  // warranty of a vehicle.
  std::optional<int> model_year;
  Tri repair_or_warranty = Tri::kUnknown;
  // Software: when it was designed, developed or supplied, and whether it
  // was maintained, patched or altered after that (the legacy-software
  // exclusion of Subpart D).
  std::optional<Date> released;
  Tri maintained_after_release = Tri::kUnknown;
};

// The completed connected vehicle a transaction is about (Subpart D).
struct Vehicle {
  std::string make, model, trim;
  std::optional<int> model_year;
  std::optional<int64_t> gvwr_lb;  // Gross vehicle weight rating.
  Tri rail_only = Tri::kUnknown;
  std::optional<Date> first_import_or_sale;  // Of this model year in the U.S.
};

struct OwnershipEdge {
  std::string owner, owned;
  std::optional<double> share;
  std::string control;
};

struct Transaction {
  std::string id;
  std::optional<Date> date;
  std::string activity;   // acquisition | importation | transfer | installation | dealing-in | use
  std::string agreement;  // "new" | "existing" | ""
  std::optional<Date> contract_date;
  std::vector<Act> acts;  // Ongoing acts under the transaction.
  Tri us_jurisdiction = Tri::kUnknown;
  Tri foreign_interest = Tri::kUnknown;
  Tri industrial_security_program = Tri::kUnknown;
  Tri cfius = Tri::kUnknown;  // CFIUS reviewed / is reviewing this transaction.
  Item item;
  std::optional<Vehicle> vehicle;
  std::vector<Party> parties;
  // Owners and controllers that are not parties to the transaction (a
  // parent company, a shareholder): nodes of the ownership graph only. Same
  // fields as a party without `role`; `id` is required. An id that is also
  // a snapshot entity id merges with that entity's record and owners.
  std::vector<Party> entities;
  // Edges between party and entity ids.
  std::vector<OwnershipEdge> ownership;
  std::string input_sha256;  // Of the transaction's canonical JSON.
};

// Closed vocabularies of the input format.
extern const std::vector<std::string_view> kActivities;
extern const std::vector<std::string_view> kActKinds;
extern const std::vector<std::string_view> kPartyRoles;
extern const std::vector<std::string_view> kCountryRoles;
extern const std::vector<std::string_view> kProngs;
extern const std::vector<std::string_view> kCountKeys;

// Reads one transaction. `pointer` is the JSON pointer of `json` in its
// document ("" for a whole file, "/3" for the fourth of an array); errors
// are INVALID_ARGUMENT "<pointer>: message". Tags are checked against the
// taxonomy; countries against ISO 3166 (names are resolved to codes).
Result<Transaction> ReadTransaction(const nlohmann::json& json, const Taxonomy& taxonomy,
                                    const std::string& pointer = "");

// The transaction back as JSON (the same format; unknowns left out).
nlohmann::json TransactionToJson(const Transaction& tx);

// A YAML node as JSON (used for pack tests written in YAML): plain scalars
// become numbers, booleans or null where they read as such; quoted ones stay
// strings.
Result<nlohmann::json> YamlToJson(std::string_view yaml, const std::string& file);

}  // namespace icts::rules

#endif  // ICTS_RULES_FACTS_H_
