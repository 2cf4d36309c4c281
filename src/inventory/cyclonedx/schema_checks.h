// Checks of the CycloneDX schema rules that the JSON and XML readers share:
// enumerations, value formats and the mapping of component types to item
// kinds. Internal to this folder.
#ifndef ICTS_INVENTORY_CYCLONEDX_SCHEMA_CHECKS_H_
#define ICTS_INVENTORY_CYCLONEDX_SCHEMA_CHECKS_H_

#include <string_view>

namespace icts::inventory::cyclonedx {

// Spec versions this reader accepts ("1.2" ... "1.7"); returns the minor
// number (2..7), or 0 for anything else.
int SpecMinor(std::string_view version);

// Component `type` values of any accepted version.
bool IsComponentType(std::string_view type);

// The item kind for a component type: software | hardware | firmware | data.
std::string_view KindForComponentType(std::string_view type);

bool IsHashAlgorithm(std::string_view alg);
// 32, 40, 64, 96 or 128 hexadecimal digits (the schema's hash-content pattern).
bool IsHashContent(std::string_view content);
bool IsScope(std::string_view scope);
bool IsPatchType(std::string_view type);
bool IsIssueType(std::string_view type);
bool IsDataFlow(std::string_view flow);
bool IsLicenseAcknowledgement(std::string_view ack);
// An SPDX license identifier (current or deprecated list entry).
bool IsSpdxLicenseId(std::string_view id);
// urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
bool IsSerialNumber(std::string_view serial);
// RFC 3339 date-time: 2020-04-13T20:20:39Z, with optional fraction and offset.
bool IsDateTime(std::string_view value);
// Known keys of the `metadata` object (additional keys are schema violations).
bool IsMetadataKey(std::string_view key, int minor);

}  // namespace icts::inventory::cyclonedx

#endif  // ICTS_INVENTORY_CYCLONEDX_SCHEMA_CHECKS_H_
