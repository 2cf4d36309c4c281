// Readers for hand-kept inventories: a CSV asset inventory (devices and
// software, one row per asset or per batch of identical assets) and a list of
// cloud and managed services (CSV or JSON). Columns and fields are listed in
// docs/inventory-formats.md.
//
// Asset CSV. A header row names the columns; names are matched ignoring
// case, spaces and punctuation, and common synonyms are accepted ("MAC
// Address", "Serial No", "Qty", "Make" ...). Known columns: id, kind,
// type, vendor, manufacturer, supplier, model, product (or name), version,
// mac, serial, location, sector, count, country, tags, description, purl,
// cpe. Other columns become item properties. Each data row is an item:
//  - ref = the id column, else "row:<n>" (n = 1-based data row); pointer =
//    "line N";
//  - vendor / manufacturer / supplier → OrgRefs with those roles; country
//    (a code or a country name) is the vendor's, or the manufacturer's when
//    the row names no vendor;
//  - kind is hardware | software | firmware | service | data; when empty it
//    is "hardware" for rows with a MAC, serial or model, else "" (unknown);
//  - a MAC is normalised to "AA:BB:CC:DD:EE:FF" and, with a registry in the
//    options, looked up: a registrant becomes an extra OrgRef with role
//    "mac-registrant" (name and country from the IEEE registry), kept beside
//    any stated manufacturer, since the network card's registrant is
//    independent evidence of who built the device (a rebadged camera shows
//    its OEM here). Properties "mac-registry" and "mac-assignment" record
//    the block; "mac-note" says why there is no registrant (locally
//    administered, multicast, private, unregistered).
// Errors carry file:line:col: a bad MAC, a count that is not a whole number
// ≥ 1, an unknown kind or country, a row with the wrong number of fields,
// two columns meaning the same field, a duplicate id.
//
// Services (CSV or JSON, told apart by the first character). Fields: id,
// service (or name), provider, region, data categories (semicolon-separated
// in CSV; an array or a semicolon-separated string in JSON), country (the
// provider's), description, tags, type. JSON is an array of objects, or an
// object whose "services" member is that array. Each entry is an item of
// kind "service" with the provider as OrgRef role "provider" and in
// Item::provider; region and data categories are kept.
//
// Sink order: OnDocument first, then one OnItem per row. Thread-safe: no
// shared state (the registry is only read).
#ifndef ICTS_INVENTORY_ASSETS_ASSETS_H_
#define ICTS_INVENTORY_ASSETS_ASSETS_H_

#include <map>
#include <string>
#include <string_view>

#include "base/status.h"
#include "inventory/assets/oui.h"
#include "inventory/item.h"

namespace icts::inventory {

struct AssetCsvOptions {
  // Input column name → field name ("Hersteller" → "manufacturer"), for
  // headers the synonyms do not cover. Matched like headers (case, spaces and
  // punctuation ignored). A value may also be "ignore" (drop the column) or
  // "property" (keep it as a property even if its name is a known field).
  std::map<std::string, std::string> column_map;
  // Registry for MAC → registrant; nullptr skips the lookup. Not owned; must
  // outlive the call.
  const OuiRegistry* oui = nullptr;
};

Status ReadAssetCsv(const std::string& path, ItemSink* sink, const AssetCsvOptions& options = {});
// `name` is used in messages and Item::file.
Status ReadAssetCsv(std::string_view data, const std::string& name, ItemSink* sink,
                    const AssetCsvOptions& options = {});

Status ReadServices(const std::string& path, ItemSink* sink);
Status ReadServices(std::string_view data, const std::string& name, ItemSink* sink);

// Header sniffers for picking a reader from a file's first bytes.
// An asset CSV has a mac, manufacturer, model or serial column (or a vendor
// column without the service columns below).
bool LooksLikeAssetCsv(std::string_view head);
// A services list has a provider column (or JSON key) and a service, region
// or data-categories column.
bool LooksLikeServices(std::string_view head);

}  // namespace icts::inventory

#endif  // ICTS_INVENTORY_ASSETS_ASSETS_H_
