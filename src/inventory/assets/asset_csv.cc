// The CSV asset inventory (see assets.h for the contract).
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "inventory/assets/assets.h"
#include "inventory/assets/table.h"
#include "refdata/countries.h"

namespace icts::inventory {

namespace {

using assets_internal::CsvTable;
using assets_internal::FieldNames;
using assets_internal::SplitList;

const std::vector<FieldNames>& AssetFields() {
  static const std::vector<FieldNames> kFields = {
      {"id",
       {"assetid", "assettag", "asset", "assetnumber", "ciid", "inventoryid", "inventorynumber"}},
      {"kind", {"assetkind", "itemkind"}},
      {"type", {"category", "assettype", "devicetype", "assetclass", "class"}},
      {"vendor", {"brand", "make", "vendorname"}},
      {"manufacturer", {"mfr", "mfg", "oem", "maker", "manufacturername"}},
      {"supplier", {"reseller", "distributor", "suppliername"}},
      {"model", {"modelnumber", "modelno", "modelname", "partnumber", "sku"}},
      {"product", {"name", "productname", "devicename", "assetname"}},
      {"version", {"firmwareversion", "firmware", "swversion", "softwareversion", "osversion"}},
      {"mac", {"macaddress", "macaddr", "hwaddress", "hardwareaddress", "ethernetaddress"}},
      {"serial", {"serialnumber", "serialno", "sn"}},
      {"location", {"site", "building", "room"}},
      {"sector", {"industry", "criticalinfrastructuresector"}},
      {"count", {"quantity", "qty", "units"}},
      {"country", {"vendorcountry", "manufacturercountry", "countryofvendor"}},
      {"tags", {"tag", "labels"}},
      {"description", {"notes", "comment", "comments"}},
      {"purl", {"packageurl"}},
      {"cpe", {"cpes"}},
  };
  return kFields;
}

// "hardware" | ... from the kind column; "" with ok=false when unknown.
std::string NormalizeKind(std::string_view value, bool* ok) {
  *ok = true;
  std::string v = ToLowerAscii(value);
  if (v.empty()) return "";
  if (v == "hardware" || v == "hw" || v == "device") return "hardware";
  if (v == "software" || v == "sw" || v == "application") return "software";
  if (v == "firmware" || v == "fw") return "firmware";
  if (v == "service" || v == "cloud" || v == "saas") return "service";
  if (v == "data") return "data";
  *ok = false;
  return "";
}

Status ReadRows(std::string_view data, const std::string& name, ItemSink* sink,
                const AssetCsvOptions& options) {
  if (StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
  if (size_t bad = FindInvalidUtf8(data); bad != std::string_view::npos) {
    LineCol at = LineColAt(data, bad);
    return DataLossError(fmt::format("{}:{}:{}: invalid UTF-8", name, at.line, at.column));
  }
  CsvTable table(data, name, AssetFields());
  ICTS_RETURN_IF_ERROR(table.Open(options.column_map));

  DocumentInfo info;
  info.file = name;
  info.format = "asset-csv";
  ICTS_RETURN_IF_ERROR(sink->OnDocument(info));

  std::unordered_map<std::string, uint64_t> ids;  // id → line.
  while (table.Next()) {
    Item item;
    item.file = name;
    item.pointer = fmt::format("line {}", table.line());
    std::string id(table.Get("id"));
    if (!id.empty()) {
      auto [it, inserted] = ids.emplace(id, table.line());
      if (!inserted) {
        return table.ErrorAtField(
            "id", fmt::format("duplicate id \"{}\" (first on line {})", id, it->second));
      }
      item.ref = id;
    } else {
      item.ref = fmt::format("row:{}", table.row());
    }
    bool kind_ok = true;
    item.kind = NormalizeKind(table.Get("kind"), &kind_ok);
    if (!kind_ok) {
      return table.ErrorAtField(
          "kind", fmt::format("kind \"{}\" is not one of hardware, software, firmware, service, "
                              "data",
                              table.Get("kind")));
    }
    item.type = std::string(table.Get("type"));
    item.name = std::string(table.Get("product"));
    item.model = std::string(table.Get("model"));
    if (item.name.empty()) item.name = item.model;
    item.version = std::string(table.Get("version"));
    item.serial = std::string(table.Get("serial"));
    item.location = std::string(table.Get("location"));
    item.sector = std::string(table.Get("sector"));
    item.description = std::string(table.Get("description"));
    item.purl = std::string(table.Get("purl"));
    item.cpes = SplitList(table.Get("cpe"));
    item.tags = SplitList(table.Get("tags"));

    std::string_view count = table.Get("count");
    if (!count.empty()) {
      int64_t value = 0;
      bool ok = count.size() <= 12;
      for (char c : count) {
        ok = ok && c >= '0' && c <= '9';
        if (ok) value = value * 10 + (c - '0');
      }
      if (!ok || value < 1) {
        return table.ErrorAtField(
            "count", fmt::format("count must be a whole number ≥ 1 (found \"{}\")", count));
      }
      item.count = value;
    }

    std::string country;
    if (std::string_view stated = table.Get("country"); !stated.empty()) {
      country = refdata::CountryCode(stated);
      if (country.empty()) {
        return table.ErrorAtField(
            "country", fmt::format("unknown country \"{}\" (use an ISO 3166 code such as CN, or "
                                   "the country's name)",
                                   stated));
      }
    }
    std::string_view vendor = table.Get("vendor");
    std::string_view manufacturer = table.Get("manufacturer");
    auto add_org = [&](std::string_view role, std::string_view org_name, bool with_country) {
      if (org_name.empty()) return;
      OrgRef org;
      org.role = std::string(role);
      org.name = std::string(org_name);
      if (with_country) org.country = country;
      org.pointer = fmt::format("line {} {}", table.line(), role);
      item.orgs.push_back(std::move(org));
    };
    add_org("vendor", vendor, true);
    add_org("manufacturer", manufacturer, vendor.empty());
    add_org("supplier", table.Get("supplier"), false);

    if (std::string_view mac_text = table.Get("mac"); !mac_text.empty()) {
      auto mac = ParseMac(mac_text);
      if (!mac.ok()) return table.ErrorAtField("mac", mac.status().message());
      item.mac = mac->ToString();
      if (options.oui != nullptr) {
        OuiLookup lookup = options.oui->Lookup(*mac);
        if (!lookup.registry.empty()) {
          item.properties.emplace_back("mac-registry", lookup.registry);
          item.properties.emplace_back("mac-assignment", lookup.assignment);
        }
        if (lookup.found()) {
          OrgRef org;
          org.role = "mac-registrant";
          org.name = lookup.organization;
          org.country = lookup.country;
          org.pointer =
              fmt::format("line {} mac {}/{}", table.line(), lookup.registry, lookup.assignment);
          item.orgs.push_back(std::move(org));
        } else {
          item.properties.emplace_back("mac-note", lookup.Explain());
        }
      }
    }
    if (item.kind.empty() && (!item.mac.empty() || !item.serial.empty() || !item.model.empty())) {
      item.kind = "hardware";
    }
    for (auto& extra : table.Extras()) item.properties.push_back(std::move(extra));
    ICTS_RETURN_IF_ERROR(sink->OnItem(std::move(item)));
  }
  return table.status();
}

}  // namespace

Status ReadAssetCsv(std::string_view data, const std::string& name, ItemSink* sink,
                    const AssetCsvOptions& options) {
  return ReadRows(data, name, sink, options);
}

Status ReadAssetCsv(const std::string& path, ItemSink* sink, const AssetCsvOptions& options) {
  ICTS_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  return ReadRows(file.data(), path, sink, options);
}

namespace assets_internal {

// Column names of the first line of `head`, normalised.
std::vector<std::string> HeaderColumns(std::string_view head) {
  if (StartsWith(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t end = head.find_first_of("\r\n");
  std::string_view line = head.substr(0, end);
  std::vector<std::string> out;
  char sep = line.find('\t') != std::string_view::npos && line.find(',') == std::string_view::npos
                 ? '\t'
                 : ',';
  for (std::string_view cell : SplitTrimmed(line, sep)) {
    out.push_back(NormalizeColumnName(cell));
  }
  return out;
}

bool HasServiceColumns(const std::vector<std::string>& columns);

}  // namespace assets_internal

bool LooksLikeAssetCsv(std::string_view head) {
  std::string_view trimmed = TrimAscii(head);
  if (StartsWith(trimmed, "{") || StartsWith(trimmed, "[")) return false;
  std::vector<std::string> columns = assets_internal::HeaderColumns(head);
  bool vendor = false;
  for (const std::string& column : columns) {
    std::string_view field = assets_internal::FieldFor(column, AssetFields());
    if (field == "mac" || field == "manufacturer" || field == "model" || field == "serial") {
      return true;
    }
    vendor = vendor || field == "vendor";
  }
  return vendor && !assets_internal::HasServiceColumns(columns);
}

}  // namespace icts::inventory
