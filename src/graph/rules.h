// The data the nexus tests run on: the effective-dated list of foreign
// adversaries (15 CFR 791.4) and nexus definitions (the prongs and thresholds
// of 791.2 for Subparts A/B, and the Subpart D variant). Both are small,
// strict YAML files under rules/ (see rules/README.md); an unknown key, a bad
// date or a missing field is an error naming file:line. The files shipped
// with the project are built into the binary (EmbeddedRule()).
#ifndef ICTS_GRAPH_RULES_H_
#define ICTS_GRAPH_RULES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "graph/graph.h"

namespace icts::rules {
struct Pack;
}

namespace icts::graph {

// A legal source and how sure we are of it: V (read in the primary text),
// S (secondary source only) or M (unverified).
struct RuleCitation {
  std::string text;
  std::string url;
  char verification = 'M';
};

struct Jurisdiction {
  std::string country;  // ISO alpha-2, or a code such as "VE-MADURO".
  std::optional<Date> from, to;
  RuleCitation citation;  // Empty text: the adversary's citation applies.
};

struct Adversary {
  std::string code;  // "CN", "CU", "IR", "KP", "RU", "VE-MADURO".
  std::string name;
  std::optional<Date> from, to;
  RuleCitation citation;
  std::vector<Jurisdiction> jurisdictions;
};

struct AdversaryList {
  std::string id;
  std::string title;
  std::string file;
  std::vector<Adversary> adversaries;

  // Index of the adversary whose jurisdiction `country` is on `as_of` (both
  // the adversary and the jurisdiction in effect), or nullopt. Matches the
  // code itself too ("VE-MADURO").
  std::optional<size_t> Match(std::string_view country, Date as_of) const;
  // The jurisdiction entry used by Match(), for citations.
  const Jurisdiction* MatchJurisdiction(std::string_view country, Date as_of) const;
};

enum class Prong : uint8_t {
  kIsAdversary = 0,       // The node is the adversary's government itself.
  kAgency = 1,            // 791.2 prong 1: agent / at the direction of.
  kCitizenship = 2,       // Prong 2: citizen or resident.
  kOrganization = 3,      // Prong 3: organised / headquartered in.
  kOwnershipControl = 4,  // Prong 4: owned or controlled.
};
std::string_view ProngName(Prong p);

// A nexus definition: which prongs count, for which adversaries, and the
// ownership parameters. Thresholds are data, never constants in the code.
struct NexusDefinition {
  std::string id;
  std::string title;
  std::string file;
  std::optional<Date> from, to;  // When the definition is in force.
  RuleCitation citation;
  std::vector<std::string> adversaries;  // Codes; empty = every listed adversary.

  bool agency = false;
  RuleCitation agency_citation;
  bool citizenship = false;
  bool us_person_carveout = false;  // U.S. citizens and permanent residents excluded.
  RuleCitation citizenship_citation;
  bool organization = false;
  RuleCitation organization_citation;
  bool ownership = false;
  RuleCitation ownership_citation;
  // Adversary-linked holdings above this fraction prove ownership/control;
  // nullopt when the threshold is not known (then every positive share is
  // reported as needing review).
  std::optional<double> majority;
  // A threshold reported by secondary sources but not verified: documented
  // and echoed in the output, never applied.
  std::optional<double> reported_threshold;
  RuleCitation threshold_citation;
  // Minority holdings at or above this fraction (and not above `majority`)
  // need review ("dominant minority"); below it they are only reported.
  double review_from = 0;
  // Control kinds that prove control; other control edges need review.
  std::vector<ControlKind> control_holds;
};

// Parses an adversary list / nexus definition from YAML text.
Result<AdversaryList> ParseAdversaryList(std::string_view yaml, const std::string& file);
Result<NexusDefinition> ParseNexusDefinition(std::string_view yaml, const std::string& file);

// The adversary list of a rule pack's foreign-adversaries rules (every
// version, each entry and territory in effect only while its version is).
// ParseAdversaryList() takes a pack's YAML too, so the shipped list has one
// source: rules/foreign-adversaries/pack.yaml.
Result<AdversaryList> AdversaryListFromPack(const rules::Pack& pack);
// Reads and parses a file.
Result<AdversaryList> ReadAdversaryList(const std::string& path);
Result<NexusDefinition> ReadNexusDefinition(const std::string& path);

// The shipped rule files, by name: "foreign-adversaries" (the pack
// rules/foreign-adversaries/pack.yaml), "nexus/subpart-ab", "nexus/subpart-ab-interim",
// "nexus/subpart-d". Returns "" for an unknown name.
std::string_view EmbeddedRule(std::string_view name);
// Names of the shipped nexus definitions ("subpart-ab", "subpart-d").
std::vector<std::string> EmbeddedNexusNames();

}  // namespace icts::graph

#endif  // ICTS_GRAPH_RULES_H_
