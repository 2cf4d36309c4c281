// Helpers shared by the SPDX readers (not part of the public API).
#ifndef ICTS_INVENTORY_SPDX_SPDX_COMMON_H_
#define ICTS_INVENTORY_SPDX_SPDX_COMMON_H_

#include <optional>
#include <string>
#include <string_view>

#include "inventory/item.h"

namespace icts::inventory::spdx_internal {

// An SPDX 2 agent value: "Organization: ACME Inc. (sales@acme.example)",
// "Person: Jane Doe ()", "Tool: syft-0.33.0". Returns nothing for empty,
// NOASSERTION and NONE. `*agent_type` receives "Organization", "Person",
// "Tool" or "" (a value without a prefix is kept whole as the name).
std::optional<OrgRef> ParseAgent(std::string_view value, std::string role, std::string* agent_type);

// An SPDX checksum algorithm (2.x "SHA256", "SHA3-256", "BLAKE2b-256"; 3.0
// "sha256", "sha3_256", "blake2b256") in CycloneDX spelling: "SHA-256",
// "SHA3-256", "BLAKE2b-256", "MD5" ...; unknown names upper-cased.
std::string HashAlgorithmName(std::string_view algorithm);
// "SHA-256:<lower-case hex>".
std::string FormatHash(std::string_view algorithm, std::string_view value);

// Item kind for a primary package purpose, in SPDX 2 ("OPERATING-SYSTEM") or
// SPDX 3 ("operatingSystem") spelling: software, hardware (DEVICE), firmware,
// data (SPDX 3 "data"), or "" (OTHER and anything unknown).
std::string KindForPurpose(std::string_view purpose);

// True for "NOASSERTION" and "NONE" (any case) and for "".
bool IsNoAssertion(std::string_view value);

// RFC 6901 escaping of one reference token ("~" → "~0", "/" → "~1").
std::string PointerToken(std::string_view key);

}  // namespace icts::inventory::spdx_internal

#endif  // ICTS_INVENTORY_SPDX_SPDX_COMMON_H_
