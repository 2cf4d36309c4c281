// Loaders that add nodes and edges to a GraphBuilder. Each reads bytes
// already in memory (refdata::Input: display path + data) in one pass, adds
// what it understood and records problems as Issues with file:line in the
// builder; GraphBuilder::Finish() then fails if any error was recorded, so a
// bad file never leaves a half-loaded graph. A file that cannot be parsed at
// all (broken quoting, invalid JSON/XML, invalid UTF-8) returns a non-OK
// Status naming file:line.
//
// Node ids: the CSV format uses the ids as written; GLEIF uses the LEI as the
// id; BODS uses "bods:" + recordId (statementId when there is no recordId);
// FollowTheMoney and snapshots use their entity ids.
#ifndef ICTS_GRAPH_LOADERS_H_
#define ICTS_GRAPH_LOADERS_H_

#include "base/status.h"
#include "graph/graph.h"
#include "refdata/loader.h"
#include "refdata/snapshot.h"

namespace icts::graph {

// The CSV contract format (README "Contract"):
//   nodes: id,name,type,country,country_role[,lei]
//     type person|organization; one row per country role, rows of the same
//     id merge (a different name or type is an error); country is ISO
//     alpha-2 or an adversary code (VE-MADURO); country_role one of
//     incorporation, headquarters, principal-place, citizenship,
//     nationality, residence, permanent-residence, government, other.
//   edges: owner_id,owned_id,share,control[,start,end]
//     share: a fraction 0..1 ("0.56") or a percent with the sign ("56%"),
//     or empty when not known; control: empty or board-majority,
//     special-share, proxy, contract, direction. A row with both gives an
//     ownership edge and a control edge. start/end: YYYY-MM-DD, inclusive.
// Columns are found by header name; unknown columns are errors.
Status LoadCsvNodes(const refdata::Input& input, GraphBuilder& builder);
Status LoadCsvEdges(const refdata::Input& input, GraphBuilder& builder);

// GLEIF Level 1 (LEI-CDF XML, <lei:LEIRecord>, or the JSON records of the
// GLEIF API / golden copy with "LEI" and "Entity") and Level 2 relationship
// records (RR-CDF XML <rr:RelationshipRecord>, or JSON with "Relationship"),
// plus reporting exceptions (<repex:Exception>): the file's kind is detected
// from its content. Level 2 IS_DIRECTLY_CONSOLIDATED_BY and
// IS_ULTIMATELY_CONSOLIDATED_BY become control edges of kind "control"
// (accounting consolidation: control without a stated share) from the parent
// to the child, with the relationship period as dates; ultimate-parent edges
// are kept only when no direct chain is given. Reporting exceptions mark the
// child's parent as unknown. Relationships to LEIs not in the input become
// placeholder nodes (warning).
Status LoadGleif(const refdata::Input& input, GraphBuilder& builder);

// BODS 0.4 statement packages (a JSON array of statements, or JSON lines):
// entity and person statements become nodes (jurisdiction/incorporation
// country as incorporation, nationalities as nationality, addresses of
// type residence as residence; state bodies as government); relationship
// statements become edges: shareholding / voting-rights interests with
// share.exact (or minimum/maximum as a range, lower bound used) in percent;
// appointment-of-board / control-via-* interests as control edges; an
// unspecified or unknown interested party marks the subject's parent as
// unknown. When a relationship record is stated several times (updates),
// the statement with the latest statementDate replaces the others; a closed
// record is dropped. An indirect interest whose statement lists
// componentRecords is left out (its chain of direct components is used
// instead, so nothing counts twice). BODS 0.2/0.3 field names
// (interestedParty.describedByPersonStatement etc.) are read too.
Status LoadBods(const refdata::Input& input, GraphBuilder& builder);

// FollowTheMoney JSON lines: Person/Company/Organization/LegalEntity/
// PublicBody entities become nodes (country roles from FtM properties:
// jurisdiction/incorporation = incorporation, mainCountry = headquarters,
// nationality, citizenship, residency; country = other), Ownership entities
// ownership edges (percentage), Directorship entities directorship edges.
// Uses refdata::LoadFtm, so the same rows are accepted and rejected.
Status LoadFtmGraph(const refdata::Input& input, GraphBuilder& builder);

// A snapshot's entities that take part in ownership/control relations (and
// their countries), and those relations: ownership (share in percent, ranges
// use the lower bound), control (kind "control"), directorship.
void AddSnapshot(const refdata::Snapshot& snapshot, GraphBuilder& builder);

// Only the given entities and everything above them: their owners,
// controllers and directors, theirs, and so on, up to `max_entities`
// entities (the rest are left out and the return value is false). For one
// transaction's parties this is a few nodes, not the whole snapshot.
bool AddSnapshotAncestors(const refdata::Snapshot& snapshot,
                          const std::vector<uint32_t>& entity_indexes, GraphBuilder& builder,
                          size_t max_entities = 10000);

}  // namespace icts::graph

#endif  // ICTS_GRAPH_LOADERS_H_
