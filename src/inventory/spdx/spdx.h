// Readers for SPDX documents: SPDX 2.2 / 2.3 JSON and tag-value, and SPDX 3.0
// JSON-LD. Each turns the document's packages into inventory items (see
// ../item.h) and its relationships into relation edges.
//
// What becomes what (docs/inventory-formats.md has the full table):
//  - a package is an item: SPDXID / spdxId → ref, name, version, supplier
//    (role "supplier") and originator (role "originator") as OrgRefs, purl,
//    CPEs, checksums → hashes ("SHA-256:<hex>"), primary purpose → type and
//    kind, description (or summary when there is no description);
//  - files and snippets are not items; the document warns how many it skipped;
//  - relationships → ItemSink::OnRelation(from, TYPE, to), plus DESCRIBES
//    edges from SPDX 2 JSON `documentDescribes`;
//  - creation info → DocumentInfo.creators: organisations and persons with
//    role "creator", tools with role "tool".
//
// Errors name the place: "file: /packages/12/name: ..." (a JSON pointer) for
// wrong values in JSON, "file:line:col: ..." for syntax errors and for
// everything in tag-value. Unsupported spec versions, duplicate element ids
// and packages without an id or a name are errors. Items carry their place
// in Item::pointer: "/packages/12", "/@graph/7" or "line 42".
//
// Sink order: OnDocument first (the reader reads the document header before
// any package), then items and relations interleaved as they are read
// (SPDX 3: after the whole graph is read, since elements may refer to ones
// defined later).
//
// Thread-safe: no shared state; each call has its own parser.
#ifndef ICTS_INVENTORY_SPDX_SPDX_H_
#define ICTS_INVENTORY_SPDX_SPDX_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "inventory/item.h"

namespace icts::inventory {

// SPDX 2.2 / 2.3 JSON (spdxVersion "SPDX-2.2" or "SPDX-2.3").
Status ReadSpdxJson(const std::string& path, ItemSink* sink);
// `name` is used in messages and Item::file.
Status ReadSpdxJson(std::string_view data, const std::string& name, ItemSink* sink);

// SPDX 2.2 / 2.3 tag-value.
Status ReadSpdxTagValue(const std::string& path, ItemSink* sink);
Status ReadSpdxTagValue(std::string_view data, const std::string& name, ItemSink* sink);

// SPDX 3.0 JSON-LD (`@context` https://spdx.org/rdf/3.0.x/spdx-context.jsonld
// and an `@graph` of elements). The graph is read whole before anything goes
// to the sink; memory is proportional to the packages, agents and
// relationships it holds.
Status ReadSpdx3JsonLd(const std::string& path, ItemSink* sink);
Status ReadSpdx3JsonLd(std::string_view data, const std::string& name, ItemSink* sink);

// Cheap checks on the first bytes of a file (a few KiB are enough), used to
// pick a reader. They look for the format's marker, not for validity.
bool LooksLikeSpdxJson(std::string_view head);      // '{' … "spdxVersion"
bool LooksLikeSpdxTagValue(std::string_view head);  // a line "SPDXVersion: ..."
bool LooksLikeSpdx3(std::string_view head);         // '{' … spdx.org/rdf/3

}  // namespace icts::inventory

#endif  // ICTS_INVENTORY_SPDX_SPDX_H_
