// Loader for U.S. Consolidated Screening List CSV (trade.gov), both the older column set and the
// current one with _id.
//
// Columns are found by header name, so column order does not matter, unknown
// columns are ignored and every column but "name" and "source" is optional.
// A row equal to the header (the published file repeats it) is skipped and
// not counted.
//
// What an entity gets, one per data row:
//  - id "csl:<_id>"; for the plain-number ids of Treasury entries, which repeat
//    on each Treasury list an entry is on, "csl:<list code>-<_id>"
//    ("csl:sdn-9659", "csl:plc-9659"); without an _id column, "csl:" and 16
//    hex digits of SHA-256 over source|entity_number|name|addresses|start_date.
//    source_id is the _id, or else the entity_number;
//  - schema from "type" (Individual, Entity, Vessel, Aircraft; LegalEntity
//    when empty); the name as primary and each alt_names entry as a strong
//    alias (the CSL gives no alias strength);
//  - the source as its list, programs, and topics: "sanction" for the
//    Treasury lists, "export.control" for the Commerce and State lists,
//    "debarment" for ITAR debarments, "cmic" for the CMIC list;
//  - addresses (split on ';', parts read from the end: country, postal code,
//    state, city) with an address country each; citizenship, nationality,
//    vessel flag and place-of-birth countries; birth, listing and delisting
//    dates; identifiers from "ids" in either the current "type, value,
//    country" or the older "country, value, type" order; notes in "ids" that
//    are not identifiers ("Gender", "Secondary sanctions risk:", CMIC dates,
//    ...) as properties; the remaining columns as properties named after the
//    column; the Federal Register notice also as a citation.
//
// Each "Linked To: NAME" in the remarks becomes a kLinkedTo relation, sent
// after all entities. Its to_id is the entity of this file with that primary
// name when there is one (or one on the same list); otherwise only to_name is
// set.
//
// Rejected with file and line: a row whose field count differs from the
// header's, a row with an empty name, and a row whose id repeats an earlier
// row's.
#ifndef ICTS_REFDATA_CSL_LOADER_H_
#define ICTS_REFDATA_CSL_LOADER_H_

#include "base/status.h"
#include "refdata/loader.h"

namespace icts::refdata {

// Streams `input` once, sends entities (and relations) to `sink`, and
// counts rows, entities and rejected rows in `report`. Returns a non-OK
// status naming file:line[:column] when the file as a whole is corrupt.
//
// Errors: DATA_LOSS for invalid UTF-8 (nothing is sent) or broken quoting,
// including a file that ends inside a quoted field (a truncated download);
// INVALID_ARGUMENT "path:1: ..." for an empty file or a header without a
// "name" or "source" column. Rows before a quoting error have already been
// sent to `sink`; a caller that gets an error must drop what the sink holds.
Status LoadCsl(const Input& input, EntitySink& sink, LoadReport& report);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_CSL_LOADER_H_
