#include "rules/evaluate.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "refdata/countries.h"

#ifndef ICTS_VERSION
#define ICTS_VERSION "0.0.0"
#endif

namespace icts::rules {

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kClear:
      return "clear";
    case Outcome::kNeedsReview:
      return "needs_review";
    case Outcome::kProhibited:
      return "prohibited";
  }
  return "?";
}

std::string_view RuleResultName(RuleResult r) {
  switch (r) {
    case RuleResult::kFires:
      return "fires";
    case RuleResult::kDoesNotFire:
      return "does_not_fire";
    case RuleResult::kUnknown:
      return "unknown";
    case RuleResult::kError:
      return "error";
  }
  return "?";
}

namespace {

using nlohmann::json;

Tri And(std::initializer_list<Tri> ts) {
  bool unknown = false;
  for (Tri t : ts) {
    if (t == Tri::kNo) return Tri::kNo;
    if (t == Tri::kUnknown) unknown = true;
  }
  return unknown ? Tri::kUnknown : Tri::kYes;
}

Tri Not(Tri t) {
  if (t == Tri::kYes) return Tri::kNo;
  if (t == Tri::kNo) return Tri::kYes;
  return Tri::kUnknown;
}

template <typename C, typename V>
bool Contains(const C& c, const V& v) {
  return std::find(c.begin(), c.end(), v) != c.end();
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string CountryLabel(const std::string& code) {
  const std::string_view name = refdata::CountryName(code);
  return name.empty() ? code : fmt::format("{} ({})", name, code);
}

struct ActiveRule {
  const Pack* pack;
  const Rule* rule;
  std::string qid;  // pack-id/rule-id
};

// Everything one evaluation accumulates.
class Evaluation {
 public:
  Evaluation(const PackSet& packs, const Transaction& tx, Date as_of)
      : packs_(packs), tx_(tx), as_of_(as_of) {}

  Determination Run(const EvaluateOptions& options);

 private:
  // Adversary → the country codes that count for it, as of the date.
  void Adversaries(const ActiveRule& a);
  std::string AdversaryOfCountry(const std::string& code) const;
  std::string MapAdversary(const std::string& code) const;
  void Nexus(const ActiveRule& a);
  void ListFlag(const ActiveRule& a);
  void Prohibition(const ActiveRule& a);
  void Scope(const ActiveRule& a);
  void Risk(const ActiveRule& a);
  void ConnectedVehicle(const ActiveRule& a);

  void AddFinding(const ActiveRule& a, Severity severity, std::string explanation,
                  std::string party = "");
  void Unknown(const ActiveRule& a, std::string what);
  TraceEntry& Trace(const ActiveRule& a) {
    det_.trace.push_back(
        {a.qid, std::string(RuleKindName(a.rule->kind)), RuleResult::kDoesNotFire, {}});
    return det_.trace.back();
  }
  bool PartyScreened(const Party& p) const {
    return p.screened == Tri::kYes || p.family_known == Tri::kYes || !p.lists.empty();
  }

  const PackSet& packs_;
  const Transaction& tx_;
  const Date as_of_;
  Determination det_;

  bool adversaries_known_ = false;
  // Country or territory code → adversary code, as of the date.
  std::map<std::string, std::string> country_to_adversary_;
  std::set<std::string> adversary_codes_;
  // Nexus per series: supplier-side result and per-party details.
  std::map<std::string, Tri> series_nexus_;
  std::map<std::string, std::vector<std::string>> series_unknowns_;
  std::map<std::string, std::vector<std::string>> series_rules_;
  std::map<std::string, PartyNexus> party_nexus_;  // By party id (all series).
  std::set<std::string> outcome_rules_;            // Rules whose result set the outcome.
  std::vector<const ActiveRule*> unknown_rules_;
  std::vector<ActiveRule> active_;
  Tri any_nexus_ = Tri::kNo;
};

void Evaluation::AddFinding(const ActiveRule& a, Severity severity, std::string explanation,
                            std::string party) {
  if (severity == Severity::kProhibited && a.pack->status != PackStatus::kInForce) {
    severity = Severity::kReview;
    explanation += fmt::format(" (pack '{}' has status {}: not binding, so review, not prohibited)",
                               a.pack->id, PackStatusName(a.pack->status));
  }
  det_.findings.push_back({a.qid, std::string(RuleKindName(a.rule->kind)), a.rule->citation,
                           severity, std::move(explanation), std::move(party)});
}

void Evaluation::Unknown(const ActiveRule& a, std::string what) {
  const std::string line = fmt::format("{} ({})", what, a.qid);
  if (!Contains(det_.unknowns, line)) det_.unknowns.push_back(line);
}

void Evaluation::Adversaries(const ActiveRule& a) {
  TraceEntry& t = Trace(a);
  adversaries_known_ = true;
  t.result = RuleResult::kFires;
  for (const AdversaryEntry& e : a.rule->adversaries.adversaries) {
    if (!e.effective.Contains(as_of_)) {
      t.conditions.push_back(
          {e.code, "not in effect",
           fmt::format("{} not a designated adversary as of {}", e.name, as_of_.ToIso())});
      continue;
    }
    adversary_codes_.insert(e.code);
    std::vector<std::string> counted;
    for (const std::string& c : e.countries) {
      country_to_adversary_[c] = e.code;
      counted.push_back(c);
    }
    for (const AdversaryEntry::Territory& terr : e.territories) {
      if (terr.effective.Contains(as_of_)) {
        country_to_adversary_[terr.code] = e.code;
        counted.push_back(terr.code);
      } else {
        t.conditions.push_back(
            {terr.code, "not counted",
             fmt::format("{} counts as {} only from {}", CountryLabel(terr.code), e.code,
                         terr.effective.from ? terr.effective.from->ToIso() : "?")});
      }
    }
    std::string list;
    for (const std::string& c : counted) list += fmt::format("{}{}", list.empty() ? "" : ", ", c);
    t.conditions.push_back({e.code, "adversary",
                            fmt::format("{}; countries counted: {}", e.name,
                                        list.empty() ? "none (a person)" : list)});
  }
}

std::string Evaluation::AdversaryOfCountry(const std::string& code) const {
  auto it = country_to_adversary_.find(code);
  return it == country_to_adversary_.end() ? "" : it->second;
}

// A nexus fact's adversary as of the date ("HK" → "CN"; "MO" → "CN" from
// 2025-02-04); "" when it is not an adversary then.
std::string Evaluation::MapAdversary(const std::string& code) const {
  if (adversary_codes_.count(code)) return code;
  return AdversaryOfCountry(code);
}

void Evaluation::Nexus(const ActiveRule& a) {
  const NexusParams& p = a.rule->nexus;
  const std::string series = a.rule->series.empty() ? a.qid : a.rule->series;
  if (!p.when_roles.empty()) {
    bool wanted = false;
    for (const Party& party : tx_.parties) wanted |= Contains(p.when_roles, party.role);
    if (!wanted) {
      TraceEntry& t = Trace(a);
      t.conditions.push_back({"applies", "no",
                              fmt::format("no party is a {}", fmt::join(p.when_roles, " or "))});
      return;
    }
  }
  series_rules_[series].push_back(a.qid);
  TraceEntry& t = Trace(a);
  if (!adversaries_known_) {
    t.result = RuleResult::kError;
    t.conditions.push_back({"foreign-adversary list", "missing",
                            "no foreign-adversaries rule is in effect on this date"});
    series_nexus_[series] = Tri::kUnknown;
    series_unknowns_[series].push_back("the foreign-adversary list as of " + as_of_.ToIso());
    return;
  }
  auto allowed = [&](const std::string& adv) {
    return !adv.empty() && (p.adversaries.empty() || Contains(p.adversaries, adv));
  };
  Tri side = Tri::kNo;
  size_t relevant = 0;
  for (const Party& party : tx_.parties) {
    const bool in_role = Contains(p.roles, party.role);
    const bool servicing = p.service_rule && party.services_item == Tri::kYes;
    if (!in_role && !servicing) continue;
    ++relevant;
    PartyNexus& pn = party_nexus_[party.id];
    pn.party = party.id;
    pn.role = party.role;
    pn.name = party.name;
    std::vector<NexusFact> holds;
    std::vector<std::string> unknown;
    // Prong 2: citizenship / residence of individuals.
    if (party.type != "organization") {
      for (const CountryFact& c : party.countries) {
        if (!Contains(p.citizenship_roles, c.role)) continue;
        const std::string adv = AdversaryOfCountry(c.code);
        if (!allowed(adv)) continue;
        if (p.us_person_carve_out && party.us_person == Tri::kYes) {
          t.conditions.push_back({party.id + " citizenship", "no",
                                  fmt::format("{} of {}, but a U.S. citizen or permanent resident",
                                              c.role, CountryLabel(c.code))});
          continue;
        }
        if (p.us_person_carve_out && party.us_person == Tri::kUnknown) {
          unknown.push_back(
              fmt::format("whether {} is a U.S. citizen or permanent resident", party.name));
          continue;
        }
        holds.push_back({adv, "citizenship", fmt::format("{} of {}", c.role, CountryLabel(c.code)),
                         p.definition});
      }
    }
    // Prong 3: place of organisation or business of organisations.
    if (party.type != "person") {
      for (const CountryFact& c : party.countries) {
        if (!Contains(p.organization_roles, c.role)) continue;
        const std::string adv = AdversaryOfCountry(c.code);
        if (!allowed(adv)) continue;
        holds.push_back({adv, "organization", fmt::format("{} in {}", c.role, CountryLabel(c.code)),
                         p.definition});
      }
    }
    // Facts given or computed by the graph (prongs 1 and 4, or others).
    for (const NexusFact& f : party.nexus) {
      if (!f.definition.empty() && f.definition != p.definition) continue;
      if (f.prong == "agency" && !p.agency) continue;
      if (f.prong == "ownership-control" && !p.ownership_control) continue;
      const std::string adv = MapAdversary(f.adversary);
      if (!allowed(adv)) {
        t.conditions.push_back({party.id + " " + f.prong, "not counted",
                                fmt::format("{} is not an adversary under this definition as of {}",
                                            f.adversary, as_of_.ToIso())});
        continue;
      }
      NexusFact g = f;
      g.adversary = adv;
      if (g.definition.empty()) g.definition = p.definition;
      holds.push_back(std::move(g));
    }
    if (party.countries.empty() && holds.empty()) {
      unknown.push_back(fmt::format(
          "the countries (incorporation, headquarters, citizenship) of {}", party.name));
    }
    if (p.ownership_control && party.ownership_known != Tri::kYes && holds.empty()) {
      if (party.ownership_open.empty()) {
        unknown.push_back(fmt::format("who owns and controls {}", party.name));
      }
      for (const std::string& open : party.ownership_open) {
        unknown.push_back(fmt::format("ownership or control of {}: {}", party.name, open));
      }
    }
    Tri result = !holds.empty() ? Tri::kYes : (unknown.empty() ? Tri::kNo : Tri::kUnknown);
    for (NexusFact& h : holds) {
      bool dup = false;
      for (const NexusFact& x : pn.nexus)
        dup |= x.adversary == h.adversary && x.prong == h.prong && x.evidence == h.evidence;
      if (!dup) pn.nexus.push_back(h);
    }
    if (result == Tri::kYes || pn.holds == Tri::kUnknown)
      pn.holds = result == Tri::kYes ? Tri::kYes : (pn.holds == Tri::kYes ? Tri::kYes : result);
    std::string detail;
    for (const NexusFact& h : holds) {
      detail += fmt::format("{}{} by {} ({})", detail.empty() ? "" : "; ", h.adversary, h.prong,
                            h.evidence);
    }
    for (const std::string& u : unknown)
      detail += fmt::format("{}unknown: {}", detail.empty() ? "" : "; ", u);
    if (servicing && !in_role)
      detail += "; operates, maintains, updates or services the item (791.1(a)(1))";
    t.conditions.push_back({fmt::format("nexus of {} ({})", party.name, party.role),
                            std::string(TriName(result)),
                            detail.empty() ? "no adversary link in the facts" : detail});
    if (result == Tri::kYes) {
      AddFinding(a, a.rule->severity,
                 fmt::format("{} ({}) is a person owned by, controlled by, or subject to the "
                             "jurisdiction or direction of a foreign adversary under {}: {}",
                             party.name, party.role, p.definition, detail),
                 party.id);
      side = Tri::kYes;
    } else if (result == Tri::kUnknown) {
      if (side == Tri::kNo) side = Tri::kUnknown;
      for (const std::string& u : unknown) series_unknowns_[series].push_back(u);
    }
  }
  if (relevant == 0) {
    side = Tri::kUnknown;
    std::string roles;
    for (const std::string& r : p.roles) roles += fmt::format("{}{}", roles.empty() ? "" : ", ", r);
    series_unknowns_[series].push_back(
        fmt::format("a party in a supplier-side role ({}) of the item", roles));
    t.conditions.push_back({"supplier-side parties", "none", "the input names none"});
  }
  Tri& agg = series_nexus_.try_emplace(series, Tri::kNo).first->second;
  if (side == Tri::kYes || agg == Tri::kYes) {
    agg = Tri::kYes;
  } else if (side == Tri::kUnknown) {
    agg = Tri::kUnknown;
  }
  if (side == Tri::kYes) {
    any_nexus_ = Tri::kYes;
  } else if (side == Tri::kUnknown && any_nexus_ == Tri::kNo) {
    any_nexus_ = Tri::kUnknown;
  }
  t.result = side == Tri::kYes
                 ? RuleResult::kFires
                 : (side == Tri::kNo ? RuleResult::kDoesNotFire : RuleResult::kUnknown);
}

void Evaluation::ListFlag(const ActiveRule& a) {
  const ListFlagParams& p = a.rule->list_flag;
  TraceEntry& t = Trace(a);
  bool fired = false, unknown = false, item_open = false;
  if (!p.item_tags.empty()) {
    std::string hit;
    for (const std::string& tag : tx_.item.tags) {
      if (hit.empty() && Contains(p.item_tags, tag)) hit = tag;
    }
    if (tx_.item.tags.empty()) {
      t.conditions.push_back({"item class", "unknown", "the item has no tags"});
      item_open = true;
    } else if (hit.empty()) {
      t.conditions.push_back(
          {"item class", "no",
           fmt::format("no item tag is one of: {}", fmt::join(p.item_tags, ", "))});
      t.result = RuleResult::kDoesNotFire;
      return;
    } else {
      t.conditions.push_back({"item class", "yes", fmt::format("item tagged '{}'", hit)});
    }
  }
  for (const Party& party : tx_.parties) {
    if (!p.roles.empty() && !Contains(p.roles, party.role)) continue;
    if (!PartyScreened(party)) {
      unknown = true;
      Unknown(a, fmt::format("whether {} is on the lists (not screened)", party.name));
      t.conditions.push_back({party.name, "unknown", "not screened"});
      continue;
    }
    std::vector<std::string> entries;  // One finding per party, naming every entry.
    for (const ListMembership& m : party.lists) {
      bool match = false;
      for (const std::string& l : p.lists) match |= StartsWithNoCase(m.list, l);
      for (const std::string& pr : p.programs)
        match |= StartsWithNoCase(m.program, pr) || StartsWithNoCase(m.list, pr);
      if (!match) continue;
      if (m.since && *m.since > as_of_) {
        t.conditions.push_back({party.name, "not yet listed",
                                fmt::format("{} lists it from {}", m.list, m.since->ToIso())});
        continue;
      }
      std::string entry =
          m.name.empty()
              ? m.entity_id
              : fmt::format("'{}'{}", m.name,
                            m.entity_id.empty() ? "" : fmt::format(" ({})", m.entity_id));
      entry += fmt::format("{}{}", m.program.empty() ? "" : fmt::format(", program {}", m.program),
                           m.score < 1 ? fmt::format(", match score {:.2f}", m.score) : "");
      if (Contains(entries, entry)) continue;
      t.conditions.push_back(
          {party.name, "listed", fmt::format("{} ({}) matches {} entry {}", party.name,
                                             party.role, m.list, entry)});
      entries.push_back(fmt::format("{} entry {}", m.list, entry));
    }
    if (entries.empty()) continue;
    if (item_open) {
      // Listed, but whether the item is of the class the flag is about is open.
      unknown = true;
      Unknown(a, fmt::format("whether the item is one of: {} ({} is listed)",
                             fmt::join(p.item_tags, ", "), party.name));
      continue;
    }
    fired = true;
    std::string detail = fmt::format("{} ({}) matches ", party.name, party.role);
    for (size_t i = 0; i < entries.size(); ++i) detail += (i ? "; " : "") + entries[i];
    AddFinding(a, a.rule->severity, fmt::format("{}. {}", detail, p.consequence), party.id);
  }
  t.result =
      fired ? RuleResult::kFires : (unknown ? RuleResult::kUnknown : RuleResult::kDoesNotFire);
  if (fired) outcome_rules_.insert(a.qid);
  if (!fired && unknown) unknown_rules_.push_back(&a);
}

void Evaluation::Prohibition(const ActiveRule& a) {
  const EntityProhibitionParams& p = a.rule->prohibition;
  TraceEntry& t = Trace(a);
  std::vector<const Party*> members;
  bool unknown_family = false;
  for (const Party& party : tx_.parties) {
    if (!Contains(p.roles, party.role)) continue;
    if (Contains(party.families, p.family)) {
      members.push_back(&party);
    } else if (!PartyScreened(party)) {
      unknown_family = true;
      Unknown(a, fmt::format("whether {} belongs to the {} family (not screened)", party.name,
                             p.family));
    }
  }
  if (members.empty()) {
    t.conditions.push_back(
        {"family member in a covered role", unknown_family ? "unknown" : "no", p.family});
    t.result = unknown_family ? RuleResult::kUnknown : RuleResult::kDoesNotFire;
    if (unknown_family) unknown_rules_.push_back(&a);
    return;
  }
  std::string names;
  for (const Party* m : members) {
    auto how = m->family_evidence.find(p.family);
    names += fmt::format("{}{} ({}{})", names.empty() ? "" : ", ", m->name, m->role,
                         how == m->family_evidence.end() ? "" : "; " + how->second);
  }
  t.conditions.push_back({"family member in a covered role", "yes", names});
  // Product class.
  bool product = false, carve = false;
  std::string carve_tag;
  for (const std::string& tag : tx_.item.tags) {
    product |= Contains(p.product_tags, tag);
    if (Contains(p.carve_out_tags, tag)) {
      carve = true;
      carve_tag = tag;
    }
  }
  if (!product) {
    if (carve) {
      t.conditions.push_back({"covered product class", "carve-out",
                              fmt::format("item tagged '{}' is excluded", carve_tag)});
      t.result = RuleResult::kDoesNotFire;
      AddFinding(
          a, Severity::kInfo,
          fmt::format(
              "{} is a {} product, but the item ('{}') falls in a carve-out of the determination",
              names, p.family, carve_tag));
      return;
    }
    if (tx_.item.tags.empty()) {
      t.conditions.push_back({"covered product class", "unknown", "the item has no tags"});
      t.result = RuleResult::kUnknown;
      Unknown(a,
              "the product class of the item (cybersecurity, anti-virus, threat intelligence, "
              "training ...)");
      unknown_rules_.push_back(&a);
      return;
    }
    t.conditions.push_back(
        {"covered product class", "no", "no item tag is a covered product class"});
    t.result = RuleResult::kDoesNotFire;
    return;
  }
  t.conditions.push_back({"covered product class", "yes", "item tags include a covered class"});
  // Acts.
  std::vector<Act> acts = tx_.acts;
  if (tx_.agreement == "new") acts.push_back({"new-agreement", tx_.date});
  if (tx_.activity == "use" && tx_.agreement != "new" && tx_.acts.empty())
    acts.push_back({"continued-use", tx_.date});
  if (acts.empty()) {
    t.conditions.push_back({"acts", "unknown", "the input names no acts and no agreement"});
    t.result = RuleResult::kUnknown;
    Unknown(a,
            "what the transaction involves (new agreement, updates, resale, integration, continued "
            "use ...)");
    unknown_rules_.push_back(&a);
    return;
  }
  bool fired = false;
  // One finding per severity, naming every act caught at it.
  std::map<Severity, std::vector<std::string>> caught;
  std::map<Severity, std::vector<std::string>> notes;
  for (const Act& act : acts) {
    const Date when = act.date.value_or(*tx_.date);
    bool matched = false;
    for (const ActivityClass& c : p.activities) {
      if (!Contains(c.acts, act.kind)) continue;
      matched = true;
      if (c.from && when < *c.from) {
        t.conditions.push_back(
            {act.kind, "before",
             fmt::format("{} on {}, before {}", act.kind, when.ToIso(), c.from->ToIso())});
        continue;
      }
      t.conditions.push_back(
          {act.kind, "caught",
           fmt::format("{} on {}{}", act.kind, when.ToIso(),
                       c.from ? fmt::format(" (on or after {})", c.from->ToIso()) : "")});
      caught[c.severity].push_back(
          fmt::format("{} on {}{}", act.kind, when.ToIso(),
                      c.from ? fmt::format(" (prohibited from {})", c.from->ToIso()) : ""));
      if (!c.note.empty() && !Contains(notes[c.severity], c.note)) {
        notes[c.severity].push_back(c.note);
      }
      if (c.severity != Severity::kInfo) fired = true;
    }
    if (!matched)
      t.conditions.push_back({act.kind, "not covered", "not an act this determination names"});
  }
  for (const auto& [severity, list] : caught) {
    std::string text = fmt::format("{} with {}: ", a.rule->title, names);
    for (size_t i = 0; i < list.size(); ++i) text += (i ? "; " : "") + list[i];
    for (const std::string& n : notes[severity]) text += ". " + n;
    AddFinding(a, severity, text);
  }
  t.result = fired ? RuleResult::kFires : RuleResult::kDoesNotFire;
  if (fired) outcome_rules_.insert(a.qid);
}

void Evaluation::Scope(const ActiveRule& a) {
  const CoveredScopeParams& p = a.rule->scope;
  TraceEntry& t = Trace(a);
  auto cond = [&](std::string name, Tri v, std::string detail) {
    t.conditions.push_back({std::move(name), std::string(TriName(v)), std::move(detail)});
  };
  // (a)(1) jurisdiction.
  Tri j = tx_.us_jurisdiction;
  std::string jd = "stated in the input";
  if (j == Tri::kUnknown) {
    bool all_no = !tx_.parties.empty();
    for (const Party& party : tx_.parties) {
      if (party.us_person == Tri::kYes) {
        j = Tri::kYes;
        jd = fmt::format("{} is a U.S. person", party.name);
        break;
      }
      all_no &= party.us_person == Tri::kNo;
    }
    if (j == Tri::kUnknown && all_no) {
      j = Tri::kNo;
      jd = "no party is a U.S. person and the input does not state U.S. property";
    }
    if (j == Tri::kUnknown) {
      jd = "no party is known to be a U.S. person";
      Unknown(a,
              "whether a party is subject to U.S. jurisdiction (us_jurisdiction or a party's "
              "us_person)");
    }
  }
  cond("(a)(1) person or property subject to U.S. jurisdiction", j, jd);
  // (a)(2) foreign interest.
  Tri f = tx_.foreign_interest;
  std::string fd = "stated in the input";
  if (f == Tri::kUnknown) {
    for (const Party& party : tx_.parties) {
      if (party.us_person == Tri::kNo) {
        f = Tri::kYes;
        fd = fmt::format("{} is a foreign person", party.name);
        break;
      }
    }
    if (f == Tri::kUnknown) {
      fd = "no party is known to be foreign";
      Unknown(a, "whether a foreign country or national has an interest (foreign_interest)");
    }
  }
  cond("(a)(2) foreign interest in the property", f, fd);
  // (a)(3) date, including later acts under older contracts.
  Tri d = *tx_.date >= p.start_date ? Tri::kYes : Tri::kNo;
  std::string dd = fmt::format("transaction date {}", tx_.date->ToIso());
  if (d == Tri::kNo) {
    for (const Act& act : tx_.acts) {
      if (act.date && *act.date >= p.start_date) {
        d = Tri::kYes;
        dd = fmt::format("{} on {} under the earlier transaction", act.kind, act.date->ToIso());
        break;
      }
    }
  }
  cond(fmt::format("(a)(3) initiated, pending or completed on or after {}", p.start_date.ToIso()),
       d, dd);
  // (a)(4) categories.
  Tri c = Tri::kNo;
  std::string cd;
  if (tx_.item.tags.empty()) {
    c = Tri::kUnknown;
    cd = "the item has no tags";
    Unknown(a, "what the item is (item tags of the taxonomy)");
  }
  for (const Category& cat : p.categories) {
    std::string tag;
    for (const std::string& tg : tx_.item.tags) {
      if (Contains(cat.tags, tg)) {
        tag = tg;
        break;
      }
    }
    if (tag.empty()) continue;
    if (!cat.count.empty()) {
      auto it = tx_.item.counts.find(cat.count);
      if (it == tx_.item.counts.end()) {
        if (c == Tri::kNo) c = Tri::kUnknown;
        cd += fmt::format("{}{} {} (tag '{}') needs {} > {:L}: count not given",
                          cd.empty() ? "" : "; ", cat.id, cat.title, tag, cat.count, cat.more_than);
        Unknown(a, fmt::format("item.counts.{} (threshold of {})", cat.count, cat.id));
        continue;
      }
      if (it->second <= cat.more_than) {
        cd += fmt::format("{}{} (tag '{}'): {} = {} is not more than {}", cd.empty() ? "" : "; ",
                          cat.id, tag, cat.count, it->second, cat.more_than);
        continue;
      }
      cd += fmt::format("{}{} {} (tag '{}'; {} = {} > {})", cd.empty() ? "" : "; ", cat.id,
                        cat.title, tag, cat.count, it->second, cat.more_than);
    } else {
      cd += fmt::format("{}{} {} (tag '{}')", cd.empty() ? "" : "; ", cat.id, cat.title, tag);
    }
    c = Tri::kYes;
  }
  if (cd.empty()) cd = "no item tag falls in a category of this version";
  cond(fmt::format("(a)(4) ICTS in a category of the {} rule", p.version), c, cd);
  // (b) exclusions: they apply when found; not stated means not applied.
  Tri x = Tri::kNo;
  for (const std::string& ex : p.exclusions) {
    const Tri flag = ex == "cfius" ? tx_.cfius : tx_.industrial_security_program;
    if (flag == Tri::kYes) x = Tri::kYes;
    t.conditions.push_back(
        {fmt::format("(b) exclusion: {}", ex),
         flag == Tri::kUnknown ? "not stated" : std::string(TriName(flag)),
         flag == Tri::kUnknown ? "applies only when found; not applied" : "stated in the input"});
  }
  const Tri covered = And({j, f, d, c, Not(x)});
  if (det_.covered == Tri::kUnknown || covered == Tri::kYes) det_.covered = covered;
  // Supplier-side nexus.
  auto ns = series_nexus_.find(p.nexus_series);
  Tri nexus = ns == series_nexus_.end() ? Tri::kUnknown : ns->second;
  std::string nd = ns == series_nexus_.end()
                       ? fmt::format("no rule of series '{}' is in effect", p.nexus_series)
                       : fmt::format("series '{}'", p.nexus_series);
  cond("supplier-side foreign-adversary nexus (791.2)", nexus, nd);
  const Tri result = And({covered, nexus});
  if (result == Tri::kYes) {
    t.result = RuleResult::kFires;
    AddFinding(
        a, a.rule->severity,
        fmt::format("A covered ICTS transaction under the {} version of 15 CFR 791.3 ({}; {}) "
                    "with a supplier-side party that has a foreign-adversary nexus: it may be "
                    "reviewed by the Secretary of Commerce; whether it poses undue or "
                    "unacceptable risk is a judgement the rule leaves to people",
                    p.version, cd, dd));
    outcome_rules_.insert(a.qid);
    for (const std::string& r : series_rules_[p.nexus_series]) outcome_rules_.insert(r);
  } else if (result == Tri::kNo) {
    t.result = RuleResult::kDoesNotFire;
  } else {
    t.result = RuleResult::kUnknown;
    if (nexus == Tri::kUnknown && covered != Tri::kNo) {
      for (const std::string& u : series_unknowns_[p.nexus_series]) Unknown(a, u);
      for (const std::string& r : series_rules_[p.nexus_series]) outcome_rules_.insert(r);
    }
    unknown_rules_.push_back(&a);
  }
}

void Evaluation::Risk(const ActiveRule& a) {
  TraceEntry& t = Trace(a);
  if (any_nexus_ != Tri::kYes) {
    t.result = RuleResult::kDoesNotFire;
    t.conditions.push_back({"a supplier-side nexus", std::string(TriName(any_nexus_)),
                            "the checklist is filled in only when a nexus holds"});
    return;
  }
  const RiskFactorsParams& p = a.rule->risk;
  std::string summary;
  for (const RiskCriterion& c : p.criteria) {
    std::string evidence;
    if (c.evidence == "item") {
      std::string tags;
      for (const std::string& tg : tx_.item.tags)
        tags += fmt::format("{}{}", tags.empty() ? "" : ", ", tg);
      evidence = fmt::format("item: {}{}; tags: {}",
                             tx_.item.product.empty() ? "(unnamed)" : tx_.item.product,
                             tx_.item.description.empty() ? "" : " — " + tx_.item.description,
                             tags.empty() ? "none" : tags);
      for (const auto& [k, v] : tx_.item.counts) evidence += fmt::format("; {} = {}", k, v);
    } else if (c.evidence == "nexus") {
      for (const auto& [id, pn] : party_nexus_) {
        for (const NexusFact& n : pn.nexus) {
          evidence += fmt::format("{}{}: {} by {} ({})", evidence.empty() ? "" : "; ", pn.name,
                                  n.adversary, n.prong, n.evidence);
        }
      }
    } else if (c.evidence == "military-links" || c.evidence == "cyber-links") {
      for (const Party& party : tx_.parties) {
        for (const ListMembership& m : party.lists) {
          bool hit = false;
          for (const std::string& pr : p.military_programs)
            hit |= StartsWithNoCase(m.program, pr) || StartsWithNoCase(m.list, pr);
          if (c.evidence == "cyber-links") hit = StartsWithNoCase(m.program, "CYBER");
          if (hit)
            evidence += fmt::format("{}{}: {} {}", evidence.empty() ? "" : "; ", party.name, m.list,
                                    m.program);
        }
      }
    } else if (c.evidence == "parties") {
      for (const Party& party : tx_.parties) {
        evidence += fmt::format("{}{} ({})", evidence.empty() ? "" : "; ", party.name, party.role);
      }
    }
    if (evidence.empty())
      evidence = c.evidence == "none" ? "for the reviewer" : "no evidence in the facts";
    t.conditions.push_back({fmt::format("{} {}", c.id, c.title), "evidence", evidence});
    summary += fmt::format("{}{}: {}", summary.empty() ? "" : " | ", c.id, evidence);
  }
  t.result = RuleResult::kFires;
  AddFinding(a, Severity::kInfo,
             fmt::format("Risk criteria checklist for human judgement (the engine does not decide "
                         "undue or unacceptable risk): {}",
                         summary));
}

void Evaluation::ConnectedVehicle(const ActiveRule& a) {
  const ConnectedVehicleParams& p = a.rule->vehicle;
  TraceEntry& t = Trace(a);
  auto cond = [&](std::string name, std::string value, std::string detail) {
    t.conditions.push_back({std::move(name), std::move(value), std::move(detail)});
  };
  auto unknown = [&](std::string what) {
    Unknown(a, std::move(what));
    t.result = RuleResult::kUnknown;
    unknown_rules_.push_back(&a);
  };
  // The filer.
  const Party* filer = nullptr;
  for (const Party& party : tx_.parties) {
    if (party.role == p.role && filer == nullptr) filer = &party;
  }
  if (filer == nullptr) {
    cond("filer", "no", fmt::format("no party is a {}", p.role));
    t.result = RuleResult::kDoesNotFire;
    return;
  }
  cond("filer", "yes", fmt::format("{} ({})", filer->name, p.role));
  // The vehicle: connected vehicles exclude rail-only vehicles and those
  // over the weight limit.
  const Vehicle* v = tx_.vehicle ? &*tx_.vehicle : nullptr;
  if (v != nullptr) {
    if (v->rail_only == Tri::kYes) {
      cond("vehicle scope", "out", "operated only on a rail line");
      t.result = RuleResult::kDoesNotFire;
      return;
    }
    if (!v->gvwr_lb) {
      cond("vehicle scope", "unknown", "gross vehicle weight rating not given");
      unknown("the gross vehicle weight rating of the vehicle (over 10,000 lb is out of scope)");
      return;
    }
    if (*v->gvwr_lb > p.max_gvwr_lb) {
      cond("vehicle scope", "out",
           fmt::format("GVWR {} lb is over {} lb: not a connected vehicle under the rule",
                       *v->gvwr_lb, p.max_gvwr_lb));
      t.result = RuleResult::kDoesNotFire;
      return;
    }
    cond("vehicle scope", "in", fmt::format("GVWR {} lb", *v->gvwr_lb));
  }
  // The item class.
  std::string excluded, klass;
  for (const std::string& tag : tx_.item.tags) {
    if (excluded.empty() && Contains(p.excluded_classes, tag)) excluded = tag;
    if (klass.empty() && Contains(p.item_classes, tag)) klass = tag;
  }
  if (!excluded.empty()) {
    cond("item class", "excluded", fmt::format("item tagged '{}'", excluded));
    t.result = RuleResult::kDoesNotFire;
    return;
  }
  if (klass.empty()) {
    if (tx_.item.tags.empty()) {
      cond("item class", "unknown", "the item has no tags");
      unknown(fmt::format("the class of the item ({})", fmt::join(p.item_classes, ", ")));
      return;
    }
    cond("item class", "no", fmt::format("not one of: {}", fmt::join(p.item_classes, ", ")));
    t.result = RuleResult::kDoesNotFire;
    return;
  }
  cond("item class", "yes", klass);
  // Legacy software: released before the cut-off and not maintained,
  // patched or altered since is not covered.
  bool legacy_open = false;
  if (p.legacy_before && tx_.item.released && *tx_.item.released < *p.legacy_before) {
    if (tx_.item.maintained_after_release == Tri::kNo) {
      cond("legacy software", "excluded",
           fmt::format("released {} before {} and not maintained, patched or altered since",
                       tx_.item.released->ToIso(), p.legacy_before->ToIso()));
      t.result = RuleResult::kDoesNotFire;
      return;
    }
    if (tx_.item.maintained_after_release == Tri::kUnknown) legacy_open = true;
    cond("legacy software", legacy_open ? "unknown" : "no",
         fmt::format("released {} before {}; maintained, patched or altered since: {}",
                     tx_.item.released->ToIso(), p.legacy_before->ToIso(),
                     TriName(tx_.item.maintained_after_release)));
  }
  // Model year and the 791.308 exemptions.
  const std::optional<int> vehicle_my = v != nullptr ? v->model_year : std::nullopt;
  const std::optional<int> my = tx_.item.model_year ? tx_.item.model_year : vehicle_my;
  std::string exempt;
  if (p.repair_exemption && tx_.item.repair_or_warranty == Tri::kYes && vehicle_my &&
      *vehicle_my < p.model_year_from) {
    exempt = fmt::format("imported for the repair or warranty of a model year {} vehicle",
                         *vehicle_my);
  } else if (my) {
    if (*my < p.model_year_from) {
      exempt = fmt::format("model year {} is before {}", *my, p.model_year_from);
    } else {
      cond("model year", "in", fmt::format("model year {} (from {})", *my, p.model_year_from));
    }
  } else if (v == nullptr && p.no_model_year_from) {
    if (!tx_.date) {
      unknown("the import date of a unit without a model year");
      return;
    }
    if (*tx_.date < *p.no_model_year_from) {
      exempt = fmt::format("no model year, imported on {} before {}", tx_.date->ToIso(),
                           p.no_model_year_from->ToIso());
    } else {
      cond("model year", "in",
           fmt::format("no model year, imported on {} (from {})", tx_.date->ToIso(),
                       p.no_model_year_from->ToIso()));
    }
  } else {
    cond("model year", "unknown", "no model year given");
    unknown(v != nullptr ? "the model year of the vehicle" : "the model year of the item");
    return;
  }
  if (!exempt.empty()) {
    cond("791.308 exemption", "exempt", exempt);
    t.result = RuleResult::kDoesNotFire;
    AddFinding(a, Severity::kInfo,
               fmt::format("Exempt from {} and from the Declaration of Conformity (15 CFR "
                           "791.308): {}",
                           a.rule->title, exempt));
    return;
  }
  // The nexus: of the supplier side, or of the filer itself (791.304).
  auto ns = series_nexus_.find(p.nexus_series);
  const Tri nexus = ns == series_nexus_.end() ? Tri::kUnknown : ns->second;
  cond(p.filer_nexus ? "filer's own PRC/Russia nexus (Subpart D)"
                     : "supplier-side PRC/Russia nexus (Subpart D)",
       std::string(TriName(nexus)),
       ns == series_nexus_.end() ? fmt::format("no rule of series '{}' is in effect", p.nexus_series)
                                 : fmt::format("series '{}'", p.nexus_series));
  DeclarationNeed need;
  need.rule = a.qid;
  need.model_year = my;
  need.basis = fmt::format("at least {} days before the first import or sale of the model year ({})",
                           p.declaration_lead_days, p.declaration_citation.text);
  if (nexus == Tri::kYes && legacy_open) {
    // Linked supplier, but the legacy exclusion may apply.
    t.result = RuleResult::kUnknown;
    Unknown(a, fmt::format("whether '{}' (released {}) was maintained, patched or altered after {} "
                           "(legacy software is not covered)",
                           tx_.item.product.empty() ? tx_.item.description : tx_.item.product,
                           tx_.item.released->ToIso(), p.legacy_before->ToIso()));
    for (const std::string& r : series_rules_[p.nexus_series]) outcome_rules_.insert(r);
    unknown_rules_.push_back(&a);
    need.required = Tri::kUnknown;
  } else if (nexus == Tri::kYes) {
    t.result = RuleResult::kFires;
    AddFinding(a, a.rule->severity,
               fmt::format("{}: {} {} with {} '{}'{}; prohibited when done knowingly, unless a "
                           "general or specific authorization covers it (791.306, 791.307)",
                           a.rule->title, filer->name, p.role, klass,
                           tx_.item.product.empty() ? tx_.item.description : tx_.item.product,
                           my ? fmt::format(", model year {}", *my) : std::string()),
               filer->id);
    outcome_rules_.insert(a.qid);
    for (const std::string& r : series_rules_[p.nexus_series]) outcome_rules_.insert(r);
    need.required = Tri::kNo;
    need.basis = "not available: the transaction is prohibited";
  } else if (nexus == Tri::kUnknown) {
    t.result = RuleResult::kUnknown;
    for (const std::string& u : series_unknowns_[p.nexus_series]) Unknown(a, u);
    for (const std::string& r : series_rules_[p.nexus_series]) outcome_rules_.insert(r);
    unknown_rules_.push_back(&a);
    need.required = Tri::kUnknown;
  } else {
    t.result = RuleResult::kDoesNotFire;
    need.required = Tri::kYes;
  }
  if (need.required != Tri::kNo && v != nullptr && v->first_import_or_sale) {
    need.due = v->first_import_or_sale->AddDays(-p.declaration_lead_days);
  }
  if (need.required == Tri::kYes) {
    AddFinding(a, Severity::kInfo,
               fmt::format("Declaration of Conformity needed for {} '{}'{} {}{}", klass,
                           tx_.item.product.empty() ? tx_.item.description : tx_.item.product,
                           my ? fmt::format(" (model year {})", *my) : std::string(), need.basis,
                           need.due ? fmt::format(": due by {}", need.due->ToIso()) : ""));
  }
  // Several rules: prohibited beats required beats unknown.
  if (!det_.declaration || need.required == Tri::kNo ||
      (need.required == Tri::kYes && det_.declaration->required == Tri::kUnknown)) {
    if (!det_.declaration || det_.declaration->required != Tri::kNo) det_.declaration = need;
  }
}

Determination Evaluation::Run(const EvaluateOptions& options) {
  det_.id = tx_.id;
  det_.provenance.input_sha256 = tx_.input_sha256;
  det_.provenance.snapshot_sha256 = options.snapshot_sha256;
  det_.provenance.engine_version = ICTS_VERSION;
  det_.provenance.as_of = as_of_.ToIso();
  for (const Pack& pack : packs_.packs) {
    det_.provenance.packs.push_back({pack.id, pack.version, pack.sha256});
    for (const Rule& rule : pack.rules) {
      ActiveRule ar{&pack, &rule, pack.id + "/" + rule.id};
      if (!rule.effective.Contains(as_of_)) {
        std::string range = fmt::format(
            "in effect {} to {}", rule.effective.from ? rule.effective.from->ToIso() : "(open)",
            rule.effective.to ? rule.effective.to->ToIso() : "(open)");
        det_.skipped.push_back({ar.qid, fmt::format("{}; as of {}", range, as_of_.ToIso())});
        continue;
      }
      active_.push_back(std::move(ar));
    }
  }
  std::sort(det_.provenance.packs.begin(), det_.provenance.packs.end(),
            [](const Provenance::PackRef& x, const Provenance::PackRef& y) { return x.id < y.id; });
  std::sort(active_.begin(), active_.end(),
            [](const ActiveRule& x, const ActiveRule& y) { return x.qid < y.qid; });
  std::sort(det_.skipped.begin(), det_.skipped.end(),
            [](const Skipped& x, const Skipped& y) { return x.rule < y.rule; });
  for (RuleKind kind :
       {RuleKind::kForeignAdversaries, RuleKind::kNexus, RuleKind::kListFlag,
        RuleKind::kEntityProhibition, RuleKind::kCoveredScope, RuleKind::kConnectedVehicle,
        RuleKind::kRiskFactors}) {
    for (const ActiveRule& a : active_) {
      if (a.rule->kind != kind) continue;
      switch (kind) {
        case RuleKind::kForeignAdversaries:
          Adversaries(a);
          break;
        case RuleKind::kNexus:
          Nexus(a);
          break;
        case RuleKind::kListFlag:
          ListFlag(a);
          break;
        case RuleKind::kEntityProhibition:
          Prohibition(a);
          break;
        case RuleKind::kCoveredScope:
          Scope(a);
          break;
        case RuleKind::kConnectedVehicle:
          ConnectedVehicle(a);
          break;
        case RuleKind::kRiskFactors:
          Risk(a);
          break;
      }
    }
  }
  // Outcome.
  bool prohibited = false, review = false;
  for (const Finding& f : det_.findings) {
    prohibited |= f.severity == Severity::kProhibited;
    review |= f.severity == Severity::kReview && outcome_rules_.count(f.rule);
  }
  for (const TraceEntry& t : det_.trace) review |= t.result == RuleResult::kError;
  if (prohibited) {
    det_.outcome = Outcome::kProhibited;
  } else if (review || !unknown_rules_.empty()) {
    det_.outcome = Outcome::kNeedsReview;
  } else {
    det_.outcome = Outcome::kClear;
  }
  // Determining rules and the weakest verification they rest on.
  std::set<std::string> determining;
  for (const Finding& f : det_.findings) {
    if ((det_.outcome == Outcome::kProhibited && f.severity == Severity::kProhibited) ||
        (det_.outcome == Outcome::kNeedsReview && f.severity == Severity::kReview &&
         outcome_rules_.count(f.rule))) {
      determining.insert(f.rule);
    }
  }
  if (det_.outcome == Outcome::kNeedsReview) {
    for (const ActiveRule* a : unknown_rules_) determining.insert(a->qid);
    for (const TraceEntry& t : det_.trace) {
      if (t.result == RuleResult::kError) determining.insert(t.rule);
    }
  }
  if (det_.outcome == Outcome::kProhibited || determining.size() > 0) {
    for (const std::string& r : outcome_rules_) {
      if (det_.outcome != Outcome::kProhibited) determining.insert(r);
    }
  }
  det_.determining.assign(determining.begin(), determining.end());
  auto weaken = [&](Verification v) {
    if (!det_.weakest || static_cast<int>(v) > static_cast<int>(*det_.weakest)) det_.weakest = v;
  };
  for (const ActiveRule& a : active_) {
    const bool counts = det_.outcome == Outcome::kClear ? a.rule->kind != RuleKind::kRiskFactors
                                                        : determining.count(a.qid) > 0;
    if (counts) weaken(a.rule->citation.verification);
  }
  // Parties in input order.
  for (const Party& party : tx_.parties) {
    auto it = party_nexus_.find(party.id);
    if (it != party_nexus_.end()) {
      det_.parties.push_back(it->second);
    } else {
      det_.parties.push_back({party.id, party.role, party.name, {}, Tri::kUnknown});
    }
  }
  std::stable_sort(det_.findings.begin(), det_.findings.end(),
                   [](const Finding& x, const Finding& y) {
                     if (x.severity != y.severity)
                       return static_cast<int>(x.severity) > static_cast<int>(y.severity);
                     return x.rule < y.rule;
                   });
  return std::move(det_);
}

}  // namespace

Determination Evaluate(const PackSet& packs, const Transaction& tx,
                       const EvaluateOptions& options) {
  const Date as_of = options.as_of ? *options.as_of : tx.date.value_or(Date());
  Evaluation e(packs, tx, as_of);
  return e.Run(options);
}

json DeterminationToJson(const Determination& d) {
  json j;
  j["id"] = d.id;
  j["outcome"] = OutcomeName(d.outcome);
  j["covered"] = d.covered == Tri::kUnknown ? json(nullptr) : json(d.covered == Tri::kYes);
  j["as_of"] = d.provenance.as_of;
  j["parties"] = json::array();
  for (const PartyNexus& p : d.parties) {
    json jp = {
        {"id", p.party}, {"role", p.role}, {"name", p.name}, {"nexus_holds", TriName(p.holds)}};
    jp["nexus"] = json::array();
    for (const NexusFact& n : p.nexus) {
      jp["nexus"].push_back({{"adversary", n.adversary},
                             {"prong", n.prong},
                             {"evidence", n.evidence},
                             {"definition", n.definition}});
    }
    j["parties"].push_back(jp);
  }
  j["findings"] = json::array();
  for (const Finding& f : d.findings) {
    json jf = {{"rule", f.rule},
               {"kind", f.kind},
               {"citation", f.citation.text},
               {"verification", VerificationTag(f.citation.verification)},
               {"severity", SeverityName(f.severity)},
               {"explanation", f.explanation}};
    if (!f.party.empty()) jf["party"] = f.party;
    j["findings"].push_back(jf);
  }
  j["determining"] = d.determining;
  j["unknowns"] = d.unknowns;
  j["weakest_verification"] =
      d.weakest ? json(std::string(VerificationTag(*d.weakest))) : json(nullptr);
  if (d.declaration) {
    const DeclarationNeed& n = *d.declaration;
    j["declaration"] = {
        {"required", n.required == Tri::kUnknown ? json(nullptr) : json(n.required == Tri::kYes)},
        {"model_year", n.model_year ? json(*n.model_year) : json(nullptr)},
        {"due", n.due ? json(n.due->ToIso()) : json(nullptr)},
        {"rule", n.rule},
        {"basis", n.basis}};
  }
  j["trace"] = json::array();
  for (const TraceEntry& t : d.trace) {
    json jt = {{"rule", t.rule}, {"kind", t.kind}, {"result", RuleResultName(t.result)}};
    jt["conditions"] = json::array();
    for (const Condition& c : t.conditions) {
      jt["conditions"].push_back({{"name", c.name}, {"value", c.value}, {"detail", c.detail}});
    }
    j["trace"].push_back(jt);
  }
  j["skipped"] = json::array();
  for (const Skipped& s : d.skipped)
    j["skipped"].push_back({{"rule", s.rule}, {"reason", s.reason}});
  json prov = {{"input_sha256", d.provenance.input_sha256},
               {"snapshot_sha256", d.provenance.snapshot_sha256},
               {"engine_version", d.provenance.engine_version},
               {"as_of", d.provenance.as_of}};
  prov["packs"] = json::array();
  for (const Provenance::PackRef& p : d.provenance.packs) {
    prov["packs"].push_back({{"id", p.id}, {"version", p.version}, {"sha256", p.sha256}});
  }
  j["provenance"] = prov;
  return j;
}

}  // namespace icts::rules
