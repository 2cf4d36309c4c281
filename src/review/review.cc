#include "review/review.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/strings.h"
#include "graph/graph.h"
#include "graph/loaders.h"
#include "graph/nexus.h"
#include "graph/rules.h"
#include "match/screener.h"
#include "refdata/snapshot.h"

namespace icts::review {
namespace {

// Which shipped graph definition computes the ownership prong of a pack's
// nexus definition.
const char* GraphDefinitionFor(std::string_view pack_definition) {
  if (pack_definition == "791.2-final") return "subpart-ab";
  if (pack_definition == "791.2-interim") return "subpart-ab-interim";
  if (pack_definition == "791.301") return "subpart-d";
  return nullptr;
}

graph::CountryRole GraphRole(std::string_view role) {
  if (role == "incorporation" || role == "organization") return graph::CountryRole::kIncorporation;
  if (role == "headquarters") return graph::CountryRole::kHeadquarters;
  if (role == "principal-place-of-business") return graph::CountryRole::kPrincipalPlace;
  if (role == "citizenship") return graph::CountryRole::kCitizenship;
  if (role == "nationality") return graph::CountryRole::kNationality;
  if (role == "residence") return graph::CountryRole::kResidence;
  return graph::CountryRole::kOther;
}

// What screening established about one party or entity.
struct Identity {
  std::optional<uint32_t> entity;  // Snapshot entity taken to be the party.
  std::string how;                 // "matched <name> (<id>, score 0.95)"
};

}  // namespace

struct Reviewer::Data {
  graph::AdversaryList adversaries;
  // Pack nexus definition id ("791.2-final") → graph definition.
  std::map<std::string, graph::NexusDefinition> definitions;
  // Entity-prohibition families: snapshot id prefixes → family.
  std::vector<std::pair<std::string, std::string>> family_prefixes;
};

Reviewer::Reviewer(const rules::PackSet& packs, const ReviewerOptions& options)
    : packs_(packs), options_(options), data_(std::make_unique<Data>()) {}

Reviewer::~Reviewer() = default;

Result<std::unique_ptr<Reviewer>> Reviewer::Create(const rules::PackSet& packs,
                                                   const ReviewerOptions& options) {
  std::unique_ptr<Reviewer> r(new Reviewer(packs, options));
  // The adversary list: the packs' own (one source for the evaluator and
  // the graph); the shipped pack when the set has none.
  bool have_list = false;
  for (const rules::Pack& p : packs.packs) {
    for (const rules::Rule& rule : p.rules) {
      if (rule.kind == rules::RuleKind::kForeignAdversaries) have_list = true;
    }
    if (have_list) {
      ICTS_ASSIGN_OR_RETURN(r->data_->adversaries, graph::AdversaryListFromPack(p));
      break;
    }
  }
  if (!have_list) {
    ICTS_ASSIGN_OR_RETURN(
        r->data_->adversaries,
        graph::ParseAdversaryList(graph::EmbeddedRule("foreign-adversaries"),
                                  "rules/foreign-adversaries/pack.yaml"));
  }
  for (const rules::Pack& p : packs.packs) {
    for (const rules::Rule& rule : p.rules) {
      if (rule.kind == rules::RuleKind::kNexus) {
        const std::string& id = rule.nexus.definition;
        const char* name = GraphDefinitionFor(id);
        if (name == nullptr || r->data_->definitions.count(id)) continue;
        const std::string file = std::string("rules/nexus/") + name + ".yaml";
        ICTS_ASSIGN_OR_RETURN(
            graph::NexusDefinition def,
            graph::ParseNexusDefinition(graph::EmbeddedRule(std::string("nexus/") + name), file));
        r->data_->definitions.emplace(id, std::move(def));
      }
      if (rule.kind == rules::RuleKind::kEntityProhibition) {
        for (const std::string& pre : rule.prohibition.entity_id_prefixes) {
          r->data_->family_prefixes.push_back({pre, rule.prohibition.family});
        }
      }
    }
  }
  return r;
}

void Reviewer::Screen(rules::Transaction* tx) const {
  if (options_.screener == nullptr) return;
  for (rules::Party& party : tx->parties) {
    if (party.screened != rules::Tri::kUnknown) continue;  // Stated in the input.
    match::Query q;
    q.name = party.name;
    if (party.type == "person") q.type = text::NameType::kPerson;
    if (party.type == "organization") q.type = text::NameType::kOrganization;
    for (const rules::CountryFact& c : party.countries) {
      if (c.role == "incorporation" || c.role == "citizenship") q.country = c.code;
    }
    match::ScreenOptions so;
    so.top = options_.top;
    so.threshold = options_.threshold;
    for (const match::Hit& hit : options_.screener->Screen(q, so)) {
      for (const std::string& list : hit.lists) {
        rules::ListMembership m;
        m.list = list;
        m.program = hit.programs.empty() ? "" : hit.programs.front();
        m.entity_id = hit.entity_id;
        m.name = hit.matched_name;
        m.score = hit.score;
        party.lists.push_back(std::move(m));
      }
      for (const auto& [prefix, family] : data_->family_prefixes) {
        if (hit.entity_id.rfind(prefix, 0) != 0) continue;
        if (std::find(party.families.begin(), party.families.end(), family) ==
            party.families.end()) {
          party.families.push_back(family);
          party.family_evidence[family] =
              fmt::format("screened: matched {} ({}, score {:.2f})", hit.matched_name,
                          hit.entity_id, hit.score);
        }
      }
    }
    party.screened = rules::Tri::kYes;
    party.family_known = rules::Tri::kYes;
  }
}

Status Reviewer::Resolve(rules::Transaction* tx, std::optional<Date> as_of) const {
  Screen(tx);
  std::optional<Date> date = as_of ? as_of : tx->date;
  if (!date) return Status::Ok();  // Every date-dependent fact stays unknown.
  return ResolveOwnership(tx, *date);
}

Status Reviewer::ResolveOwnership(rules::Transaction* tx, Date as_of) const {
  // Nexus definitions in effect on the date whose ownership prong the graph
  // computes.
  std::vector<std::pair<std::string, const graph::NexusDefinition*>> defs;
  for (const rules::Pack& p : packs_.packs) {
    if (p.status != rules::PackStatus::kInForce) continue;
    for (const rules::Rule& rule : p.rules) {
      if (rule.kind != rules::RuleKind::kNexus || !rule.nexus.ownership_control) continue;
      if (!rule.effective.Contains(as_of)) continue;
      auto it = data_->definitions.find(rule.nexus.definition);
      if (it == data_->definitions.end()) continue;
      bool have = false;
      for (const auto& d : defs) have |= d.first == it->first;
      if (!have) defs.push_back({it->first, &it->second});
    }
  }
  // Parties whose ownership the input leaves open.
  std::vector<size_t> open;
  for (size_t i = 0; i < tx->parties.size(); ++i) {
    if (tx->parties[i].ownership_known == rules::Tri::kUnknown) open.push_back(i);
  }
  const bool families = !data_->family_prefixes.empty();
  if ((defs.empty() || open.empty()) && !families) return Status::Ok();

  // Identities: a party or entity is taken to be one snapshot entity when
  // screening is decisive, so that entity's owners become its owners.
  std::unordered_map<std::string, Identity> identity;
  // Input id → families its name alone establishes, with the evidence.
  std::unordered_map<std::string, std::map<std::string, std::string>> family_of;
  std::vector<uint32_t> matched;
  if (options_.screener != nullptr && options_.snapshot != nullptr) {
    auto identify = [&](const rules::Party& p) {
      if (p.name.empty()) return;
      match::Query q;
      q.name = p.name;
      if (p.type == "person") q.type = text::NameType::kPerson;
      if (p.type == "organization") q.type = text::NameType::kOrganization;
      match::ScreenOptions so;
      so.top = options_.top;
      so.threshold = options_.identity_threshold - options_.identity_margin;
      std::vector<match::Hit> hits = options_.screener->Screen(q, so);
      if (hits.empty() || hits[0].score < options_.identity_threshold) return;
      // Hits too close to the best to tell apart.
      std::vector<const match::Hit*> close;
      for (const match::Hit& h : hits) {
        if (h.score > hits[0].score - options_.identity_margin) close.push_back(&h);
      }
      // Every close hit in one family: the node is in it, whoever it is.
      for (const auto& [prefix, family] : data_->family_prefixes) {
        bool all = true;
        for (const match::Hit* h : close) all &= h->entity_id.rfind(prefix, 0) == 0;
        if (all) {
          family_of[p.id][family] = fmt::format("{} matched {} ({}, name score {:.2f})", p.name,
                                                close[0]->matched_name, close[0]->entity_id,
                                                close[0]->score);
        }
      }
      const match::Hit* best = close.size() == 1 ? close[0] : nullptr;
      if (best == nullptr) {
        // A tie broken by an exact name (case aside).
        for (const match::Hit* h : close) {
          if (EqualsIgnoreCaseAscii(h->matched_name, p.name)) best = best == nullptr ? h : best;
        }
        size_t exact = 0;
        for (const match::Hit* h : close) exact += EqualsIgnoreCaseAscii(h->matched_name, p.name);
        if (exact != 1) return;
      }
      Identity id;
      id.entity = best->entity_index;
      id.how = fmt::format("{} taken to be {} ({}, name score {:.2f})", p.name, best->name,
                           best->entity_id, best->score);
      identity[p.id] = id;
      matched.push_back(best->entity_index);
    };
    for (const rules::Party& p : tx->parties) identify(p);
    for (const rules::Party& e : tx->entities) identify(e);
  }
  auto node_id = [&](const std::string& tx_id) -> std::string {
    auto it = identity.find(tx_id);
    if (it == identity.end()) return tx_id;
    return std::string(options_.snapshot->entity(*it->second.entity).id());
  };

  graph::GraphBuilder builder;
  auto add_node = [&](const rules::Party& p) {
    graph::Node n;
    n.id = node_id(p.id);
    n.name = p.name;
    n.type = p.type == "person"         ? graph::NodeType::kPerson
             : p.type == "organization" ? graph::NodeType::kOrganization
                                        : graph::NodeType::kUnknown;
    n.origin = {"input " + p.pointer, 0};
    for (const rules::CountryFact& c : p.countries) {
      n.countries.push_back({c.code, GraphRole(c.role), n.origin});
    }
    if (p.us_person == rules::Tri::kYes && p.type == "person") {
      n.countries.push_back({"US", graph::CountryRole::kCitizenship, n.origin});
    }
    builder.AddNode(std::move(n), /*merge_duplicates=*/true);
  };
  for (const rules::Party& p : tx->parties) add_node(p);
  for (const rules::Party& e : tx->entities) add_node(e);
  bool complete = true;
  if (options_.snapshot != nullptr && !matched.empty()) {
    complete = graph::AddSnapshotAncestors(*options_.snapshot, matched, builder);
  }
  for (size_t i = 0; i < tx->ownership.size(); ++i) {
    const rules::OwnershipEdge& e = tx->ownership[i];
    graph::Edge base;
    base.origin = {fmt::format("input /ownership/{}", i), 0};
    if (e.share) {
      graph::Edge g = base;
      g.kind = graph::EdgeKind::kOwnership;
      g.share = *e.share;
      builder.AddEdge(node_id(e.owner), node_id(e.owned), std::move(g),
                      graph::GraphBuilder::Dangling::kError);
    }
    if (!e.control.empty()) {
      graph::Edge g = base;
      g.kind = graph::EdgeKind::kControl;
      g.control = graph::ParseControlKind(e.control).value_or(graph::ControlKind::kUnspecified);
      builder.AddEdge(node_id(e.owner), node_id(e.owned), std::move(g),
                      graph::GraphBuilder::Dangling::kError);
    }
  }
  ICTS_ASSIGN_OR_RETURN(graph::Graph g, builder.Finish());

  auto how_known = [&](const std::string& tx_id) -> std::string {
    auto it = identity.find(tx_id);
    return it == identity.end() ? std::string() : "; " + it->second.how;
  };

  // Ownership-control nexus, per definition in effect.
  std::vector<bool> settled(tx->parties.size(), true);
  for (const auto& [pack_def, def] : defs) {
    ICTS_ASSIGN_OR_RETURN(std::unique_ptr<graph::Analysis> analysis,
                          graph::Analysis::Run(g, data_->adversaries, *def, as_of));
    for (size_t i : open) {
      rules::Party& party = tx->parties[i];
      std::optional<uint32_t> node = g.Find(node_id(party.id));
      if (!node) continue;
      graph::OwnersResult r = analysis->Explain(*node);
      for (const graph::NexusFinding& f : r.nexus) {
        if (f.prong != graph::Prong::kOwnershipControl && f.prong != graph::Prong::kAgency) {
          continue;  // Prongs 2 and 3 come from the party's own countries.
        }
        rules::NexusFact n;
        n.adversary = f.adversary;
        n.prong = std::string(graph::ProngName(f.prong));
        n.evidence = fmt::format("ownership graph: {}{}", f.evidence, how_known(party.id));
        n.definition = pack_def;
        party.nexus.push_back(std::move(n));
      }
      if (r.outcome == "none-found" && complete) continue;
      settled[i] = false;
      for (const graph::NexusFinding& f : r.review) {
        party.ownership_open.push_back(
            fmt::format("{} ({}): {}", f.adversary, graph::ProngName(f.prong), f.evidence));
      }
      for (const graph::Unknown& u : r.unknowns) {
        // Nothing at all known above the party: the evaluator's own words
        // ("who owns and controls ...") say it best.
        if (u.kind == "no-ownership-data" && u.node == g.node(*node).id) continue;
        party.ownership_open.push_back(
            u.origin.empty() ? u.detail : fmt::format("{} ({})", u.detail, u.origin));
      }
      if (!complete) {
        party.ownership_open.push_back(
            "the snapshot's ownership chain above it was cut at 10,000 entities");
      }
    }
  }
  if (!defs.empty()) {
    for (size_t i : open) {
      if (settled[i]) tx->parties[i].ownership_known = rules::Tri::kYes;
    }
  }

  // Entity-prohibition families through ownership: a party majority-owned
  // or controlled, directly or through a chain, by a family member belongs
  // to the family ("subsidiaries" in the Kaspersky determination).
  if (families) {
    for (rules::Party& party : tx->parties) {
      std::optional<uint32_t> start = g.Find(node_id(party.id));
      if (!start) continue;
      std::vector<uint32_t> stack = {*start};
      std::vector<std::string> chain_names = {party.name};
      std::set<uint32_t> seen = {*start};
      std::map<uint32_t, uint32_t> parent;  // Node -> the node it owns/controls.
      while (!stack.empty()) {
        uint32_t v = stack.back();
        stack.pop_back();
        for (uint32_t ei : g.EdgesInto(v)) {
          const graph::Edge& e = g.edge(ei);
          if (!e.InEffect(as_of)) continue;
          const bool majority = e.kind == graph::EdgeKind::kOwnership && e.share_known() &&
                                e.share > 0.5;
          const bool control = e.kind == graph::EdgeKind::kControl;
          if (!majority && !control) continue;
          if (!seen.insert(e.owner).second) continue;
          parent[e.owner] = v;
          stack.push_back(e.owner);
          const std::string& id = g.node(e.owner).id;
          auto named = family_of.find(id);
          for (const auto& [prefix, family] : data_->family_prefixes) {
            const bool by_name = named != family_of.end() && named->second.count(family);
            if (id.rfind(prefix, 0) != 0 && !by_name) continue;
            if (std::find(party.families.begin(), party.families.end(), family) !=
                party.families.end()) {
              continue;
            }
            std::string path = g.node(e.owner).name;
            for (uint32_t x = e.owner; parent.count(x);) {
              x = parent[x];
              path += " → " + g.node(x).name;
            }
            party.families.push_back(family);
            party.family_evidence[family] = fmt::format(
                "owned or controlled (majority or control, in effect {}) through {}{}{}",
                as_of.ToIso(), path, how_known(party.id),
                by_name ? "; " + named->second.at(family) : std::string());
          }
        }
      }
    }
  }
  return Status::Ok();
}

rules::Determination Reviewer::Review(rules::Transaction tx, std::optional<Date> as_of) const {
  Status s = Resolve(&tx, as_of);
  rules::EvaluateOptions options;
  options.as_of = as_of;
  if (options_.snapshot != nullptr) options.snapshot_sha256 = options_.snapshot->hash();
  rules::Determination d = rules::Evaluate(packs_, tx, options);
  if (!s.ok()) {
    if (d.outcome == rules::Outcome::kClear) d.outcome = rules::Outcome::kNeedsReview;
    d.unknowns.push_back("the ownership graph could not be built: " + s.message());
  }
  return d;
}

}  // namespace icts::review
