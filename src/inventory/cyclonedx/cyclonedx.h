// CycloneDX readers: JSON and XML BOMs of spec versions 1.2 to 1.7, streamed
// into an ItemSink (see ../item.h).
//
// What becomes an item: metadata.component, every component of `components`
// (nested ones too, at any depth) and every service of `services` (nested
// too). Each item carries its JSON pointer ("/components/3/components/0") or,
// for XML, an XPath-like path ("/bom/components/component[4]", 1-based), its
// bom-ref (or, when it has none, that pointer/path as `ref`), the ref of the
// enclosing component or service as `parent_ref` and its depth. Component
// `type` maps to `kind`: device → hardware, firmware → firmware,
// machine-learning-model and data → data, any other type → software;
// services are kind "service". Organisations become OrgRefs with roles
// supplier, manufacturer (1.6 `manufacturer`), publisher, author (`author`,
// `authors`) and provider (services); metadata.supplier, metadata.manufacturer
// / metadata.manufacture and metadata.authors go to DocumentInfo::creators.
// Dependencies become OnRelation(ref, "dependsOn", dep) and
// OnRelation(ref, "provides", dep).
//
// Order of calls: items as they close (a nested component before the one that
// contains it), relations as they are read, and OnDocument last, when the
// warnings (dependencies on unknown refs, dependency cycles) are known.
//
// Validation: the document must satisfy the schema rules the CycloneDX
// conformance suite exercises (required fields, enumerations, hash and serial
// number formats, SPDX license ids, licence choice, unique non-empty bom-refs
// …). Errors name the file and a JSON pointer / XML path, or "line:col" for
// syntax errors. A non-OK status means nothing read may be used.
//
// Limits: JSON documents up to 4 GiB (simdjson's limit); any single string
// kept in an item up to 1 MiB; nesting is handled with an explicit stack, so
// deeply nested components cannot overflow the call stack.
//
// Thread safety: the functions keep no state between calls; separate calls
// may run concurrently. A large JSON document is parsed on two threads when
// the machine has two cores; the sink is still called only from the calling
// thread, in document order.
#ifndef ICTS_INVENTORY_CYCLONEDX_CYCLONEDX_H_
#define ICTS_INVENTORY_CYCLONEDX_CYCLONEDX_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "inventory/item.h"

namespace icts::inventory {

// Reads a CycloneDX JSON file. The file is mapped privately (pre-faulted)
// and parsed where it lies; large files are parsed in bounded windows (a few
// bytes around each are patched in the private mapping and restored) so
// memory stays near the mapping's size.
Status ReadCycloneDxJson(const std::string& path, ItemSink* sink);
// Same for bytes in memory; `name` is used in messages and Item::file.
Status ReadCycloneDxJsonBuffer(std::string_view data, const std::string& name, ItemSink* sink);

// Reads a CycloneDX XML file (namespace http://cyclonedx.org/schema/bom/1.2
// … 1.7). The XML is parsed into a DOM, so memory grows with the file.
Status ReadCycloneDxXml(const std::string& path, ItemSink* sink);
Status ReadCycloneDxXmlBuffer(std::string_view data, const std::string& name, ItemSink* sink);

// Format sniffing from the first few KB of a file: true when `head` looks
// like a CycloneDX JSON object ("bomFormat": "CycloneDX") or a CycloneDX XML
// document (<bom> in a cyclonedx.org namespace).
bool LooksLikeCycloneDxJson(std::string_view head);
bool LooksLikeCycloneDxXml(std::string_view head);

}  // namespace icts::inventory

#endif  // ICTS_INVENTORY_CYCLONEDX_CYCLONEDX_H_
