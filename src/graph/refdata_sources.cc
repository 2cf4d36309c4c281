// Graph nodes and edges from the entity model: FollowTheMoney files (through
// refdata::LoadFtm) and built snapshots.
#include <cmath>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "graph/loaders.h"
#include "refdata/ftm_loader.h"
#include "refdata/model.h"

namespace icts::graph {
namespace {

CountryRole FromModelRole(refdata::CountryRole r) {
  switch (r) {
    case refdata::CountryRole::kNationality:
      return CountryRole::kNationality;
    case refdata::CountryRole::kCitizenship:
      return CountryRole::kCitizenship;
    case refdata::CountryRole::kResidence:
      return CountryRole::kResidence;
    case refdata::CountryRole::kIncorporation:
    case refdata::CountryRole::kJurisdiction:
      return CountryRole::kIncorporation;
    case refdata::CountryRole::kHeadquarters:
      return CountryRole::kHeadquarters;
    default:
      return CountryRole::kOther;
  }
}

NodeType FromSchema(refdata::Schema s) {
  switch (s) {
    case refdata::Schema::kPerson:
      return NodeType::kPerson;
    case refdata::Schema::kOrganization:
    case refdata::Schema::kCompany:
    case refdata::Schema::kPublicBody:
      return NodeType::kOrganization;
    default:
      return NodeType::kUnknown;
  }
}

Node NodeFromEntity(const refdata::Entity& e, const Origin& origin) {
  Node n;
  n.id = e.id;
  n.name = e.PrimaryName();
  n.type = FromSchema(e.schema);
  n.origin = origin;
  for (const refdata::Country& c : e.countries) {
    if (c.code.empty()) continue;
    CountryRole role = FromModelRole(c.role);
    bool dup = false;
    for (const NodeCountry& p : n.countries) dup = dup || (p.code == c.code && p.role == role);
    if (!dup) n.countries.push_back({c.code, role, origin});
  }
  for (const refdata::Identifier& id : e.identifiers) {
    if (id.kind == refdata::IdKind::kLei && n.lei.empty()) n.lei = id.value;
  }
  return n;
}

std::optional<Date> DateOf(const std::string& text) {
  if (text.size() < 10) return std::nullopt;
  auto d = Date::ParseIso(std::string_view(text).substr(0, 10));
  if (!d.ok()) return std::nullopt;
  return *d;
}

// Adds the edge for one relation; returns false for kinds the graph ignores.
bool AddRelation(const refdata::Relation& rel, const Origin& origin, GraphBuilder& builder) {
  Edge e;
  e.origin = origin;
  e.role = rel.role;
  e.start = DateOf(rel.start_date);
  e.end = DateOf(rel.end_date);
  switch (rel.kind) {
    case refdata::RelationKind::kOwnership: {
      e.kind = EdgeKind::kOwnership;
      double lo = rel.share_min, hi = rel.share_max;
      if (!std::isnan(lo)) {
        e.share = lo / 100.0;
        if (!std::isnan(hi) && hi > lo) e.share_max = hi / 100.0;
      }
      break;
    }
    case refdata::RelationKind::kControl:
      e.kind = EdgeKind::kControl;
      e.control = ControlKind::kUnspecified;
      break;
    case refdata::RelationKind::kDirectorship:
      e.kind = EdgeKind::kDirectorship;
      break;
    default:
      return false;
  }
  if (rel.from_id.empty() || rel.to_id.empty()) return false;
  builder.AddEdge(rel.from_id, rel.to_id, std::move(e), GraphBuilder::Dangling::kPlaceholder);
  return true;
}

bool IsGraphRelation(refdata::RelationKind k) {
  return k == refdata::RelationKind::kOwnership || k == refdata::RelationKind::kControl ||
         k == refdata::RelationKind::kDirectorship;
}

}  // namespace

Status LoadFtmGraph(const refdata::Input& input, GraphBuilder& builder) {
  refdata::CollectingSink sink;
  refdata::LoadReport report;
  ICTS_RETURN_IF_ERROR(refdata::LoadFtm(input, sink, report));
  for (const refdata::Reject& r : report.rejects) {
    builder.AddIssue({Issue::Severity::kWarning, {r.file, r.line}, "row skipped: " + r.reason});
  }
  Origin origin{input.path, 0};
  for (const refdata::Entity& e : sink.entities) {
    builder.AddNode(NodeFromEntity(e, origin), /*merge_duplicates=*/true);
  }
  for (const refdata::Relation& rel : sink.relations) AddRelation(rel, origin, builder);
  return Status::Ok();
}

void AddSnapshot(const refdata::Snapshot& snapshot, GraphBuilder& builder) {
  std::unordered_set<uint32_t> added;
  for (uint32_t i = 0; i < snapshot.relation_count(); ++i) {
    refdata::RelationView rv = snapshot.relation(i);
    if (!IsGraphRelation(rv.kind())) continue;
    Origin origin{snapshot.source(rv.source_index()).path, 0};
    refdata::Relation rel = rv.ToRelation();
    for (int side = 0; side < 2; ++side) {
      auto index = side == 0 ? rv.from_index() : rv.to_index();
      if (index) {
        if (added.insert(*index).second) {
          refdata::EntityView ev = snapshot.entity(*index);
          Origin eo{snapshot.source(ev.source_index()).path, 0};
          builder.AddNode(NodeFromEntity(ev.ToEntity(), eo), /*merge_duplicates=*/true);
        }
      } else {
        Node n;
        n.id = side == 0 ? rel.from_id : rel.to_id;
        n.name = side == 0 ? rel.from_name : rel.to_name;
        n.origin = origin;
        if (!n.id.empty()) builder.AddNode(std::move(n), /*merge_duplicates=*/true);
      }
    }
    AddRelation(rel, origin, builder);
  }
}

bool AddSnapshotAncestors(const refdata::Snapshot& snapshot,
                          const std::vector<uint32_t>& entity_indexes, GraphBuilder& builder,
                          size_t max_entities) {
  std::unordered_set<uint32_t> seen;
  std::vector<uint32_t> queue;
  bool complete = true;
  for (uint32_t i : entity_indexes) {
    if (i < snapshot.entity_count() && seen.insert(i).second) queue.push_back(i);
  }
  for (size_t next = 0; next < queue.size(); ++next) {
    const uint32_t index = queue[next];
    refdata::EntityView ev = snapshot.entity(index);
    builder.AddNode(NodeFromEntity(ev.ToEntity(), {snapshot.source(ev.source_index()).path, 0}),
                    /*merge_duplicates=*/true);
    for (const refdata::RelationView& rv : snapshot.RelationsTo(index)) {
      if (!IsGraphRelation(rv.kind())) continue;
      // Each relation is read once: from its `to` entity, visited once.
      refdata::Relation rel = rv.ToRelation();
      Origin origin{snapshot.source(rv.source_index()).path, 0};
      auto from = rv.from_index();
      if (from) {
        if (!seen.count(*from)) {
          if (seen.size() >= max_entities) {
            complete = false;
            continue;
          }
          seen.insert(*from);
          queue.push_back(*from);
        }
      } else if (!rel.from_id.empty()) {
        Node n;
        n.id = rel.from_id;
        n.name = rel.from_name;
        n.origin = origin;
        builder.AddNode(std::move(n), /*merge_duplicates=*/true);
      }
      AddRelation(rel, origin, builder);
    }
  }
  return complete;
}

}  // namespace icts::graph
