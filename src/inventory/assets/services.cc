// Cloud and managed services lists, CSV or JSON (see assets.h).
#include <simdjson.h>

#include <fmt/format.h>

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

namespace assets_internal {

const std::vector<FieldNames>& ServiceFields() {
  static const std::vector<FieldNames> kFields = {
      {"id", {"serviceid"}},
      {"service", {"name", "servicename"}},
      {"provider", {"vendor", "cloudprovider", "serviceprovider", "providername"}},
      {"region", {"location", "datacenter", "datacentre", "hostingregion"}},
      {"data_categories", {"data", "categories", "datacategory", "datatypes", "datahandled"}},
      {"country", {"providercountry"}},
      {"description", {"notes", "comment", "comments"}},
      {"tags", {"tag", "labels"}},
      {"type", {"servicetype", "category"}},
  };
  return kFields;
}

bool HasServiceColumns(const std::vector<std::string>& columns) {
  for (const std::string& column : columns) {
    if (column == "location") continue;  // Asset inventories have locations too.
    std::string_view field = FieldFor(column, ServiceFields());
    if (field == "region" || field == "data_categories" || column == "service" ||
        column == "servicename") {
      return true;
    }
  }
  return false;
}

std::vector<std::string> HeaderColumns(std::string_view head);

}  // namespace assets_internal

namespace {

namespace od = simdjson::ondemand;
using assets_internal::CsvTable;
using assets_internal::FieldFor;
using assets_internal::NormalizeColumnName;
using assets_internal::ServiceFields;
using assets_internal::SplitList;

// Fields of one service, as read (before checks).
struct ServiceFieldsRead {
  std::string id, service, provider, region, country, description, type;
  std::vector<std::string> data_categories, tags;
  std::vector<std::pair<std::string, std::string>> extras;
};

// Checks and builds the item. `fail(field, message)` makes the located error.
template <typename Fail>
Status BuildItem(ServiceFieldsRead&& in, const std::string& file, std::string pointer, uint64_t row,
                 std::unordered_map<std::string, std::string>* ids, Fail fail, Item* item) {
  if (in.service.empty()) return fail("service", "a service needs a name (service column)");
  item->file = file;
  item->pointer = std::move(pointer);
  if (!in.id.empty()) {
    auto [it, inserted] = ids->emplace(in.id, item->pointer);
    if (!inserted) {
      return fail("id", fmt::format("duplicate id \"{}\" (first at {})", in.id, it->second));
    }
    item->ref = in.id;
  } else {
    item->ref = fmt::format("row:{}", row);
  }
  item->kind = "service";
  item->type = std::move(in.type);
  item->name = std::move(in.service);
  item->description = std::move(in.description);
  item->region = std::move(in.region);
  item->data_categories = std::move(in.data_categories);
  item->tags = std::move(in.tags);
  item->properties = std::move(in.extras);
  std::string country;
  if (!in.country.empty()) {
    country = refdata::CountryCode(in.country);
    if (country.empty()) {
      return fail("country", fmt::format("unknown country \"{}\" (use an ISO 3166 code such as "
                                         "CN, or the country's name)",
                                         in.country));
    }
  }
  if (!in.provider.empty()) {
    item->provider = in.provider;
    OrgRef org;
    org.role = "provider";
    org.name = std::move(in.provider);
    org.country = country;
    org.pointer = item->pointer + (StartsWith(item->pointer, "line") ? " provider" : "/provider");
    item->orgs.push_back(std::move(org));
  }
  return Status::Ok();
}

Status ReadServicesCsv(std::string_view data, const std::string& name, ItemSink* sink) {
  CsvTable table(data, name, ServiceFields());
  ICTS_RETURN_IF_ERROR(table.Open({}));
  if (!table.HasColumn("service")) {
    return InvalidArgumentError(fmt::format(
        "{}:1:1: no service column (expected one of service, name, service name; columns: {})",
        name, fmt::join(table.header(), ", ")));
  }
  DocumentInfo info;
  info.file = name;
  info.format = "services-csv";
  ICTS_RETURN_IF_ERROR(sink->OnDocument(info));
  std::unordered_map<std::string, std::string> ids;
  while (table.Next()) {
    ServiceFieldsRead in;
    in.id = table.Get("id");
    in.service = table.Get("service");
    in.provider = table.Get("provider");
    in.region = table.Get("region");
    in.country = table.Get("country");
    in.description = table.Get("description");
    in.type = table.Get("type");
    in.data_categories = SplitList(table.Get("data_categories"));
    in.tags = SplitList(table.Get("tags"));
    in.extras = table.Extras();
    Item item;
    auto fail = [&](std::string_view field, std::string_view message) {
      return table.ErrorAtField(field, message);
    };
    ICTS_RETURN_IF_ERROR(BuildItem(std::move(in), name, fmt::format("line {}", table.line()),
                                   table.row(), &ids, fail, &item));
    ICTS_RETURN_IF_ERROR(sink->OnItem(std::move(item)));
  }
  return table.status();
}

// JSON -----------------------------------------------------------------------

struct JsonValueError {
  std::string pointer;
  std::string message;
};

std::string JsonText(od::value value, const std::string& pointer) {
  switch (value.type().value()) {
    case od::json_type::null:
      return {};
    case od::json_type::string:
      return std::string(std::string_view(value.get_string()));
    case od::json_type::number:
    case od::json_type::boolean:
      return std::string(TrimAscii(value.raw_json_token()));
    default:
      throw JsonValueError{pointer, "expected a string"};
  }
}

// An array of strings, or one string split on ';'.
std::vector<std::string> JsonList(od::value value, const std::string& pointer) {
  od::json_type type = value.type();
  if (type != od::json_type::array) return SplitList(JsonText(value, pointer));
  std::vector<std::string> out;
  size_t index = 0;
  for (auto element : value.get_array()) {
    std::string text = JsonText(element.value(), pointer + "/" + std::to_string(index++));
    if (!TrimAscii(text).empty()) out.emplace_back(TrimAscii(text));
  }
  return out;
}

Status ReadServicesJson(std::string_view data, const std::string& name, ItemSink* sink) {
  simdjson::padded_string buffer(data.data(), data.size());
  std::string_view text(buffer.data(), buffer.size());
  od::parser parser;
  od::document doc;
  bool iterating = false;  // current_location() needs a started document.
  auto syntax = [&](simdjson::error_code error) {
    size_t offset = buffer.size();
    const char* location = nullptr;
    if (error == simdjson::UTF8_ERROR) {
      size_t bad = FindInvalidUtf8(text);
      if (bad != std::string_view::npos) offset = bad;
    } else if (iterating && !doc.current_location().get(location) && location >= buffer.data() &&
               location <= buffer.data() + buffer.size()) {
      offset = static_cast<size_t>(location - buffer.data());
    }
    LineCol at = LineColAt(text, offset);
    return DataLossError(fmt::format("{}:{}:{}: JSON syntax error: {}", name, at.line, at.column,
                                     simdjson::error_message(error)));
  };
  if (auto error = parser.iterate(buffer).get(doc)) return syntax(error);
  iterating = true;
  DocumentInfo info;
  info.file = name;
  info.format = "services-json";
  ICTS_RETURN_IF_ERROR(sink->OnDocument(info));
  std::unordered_map<std::string, std::string> ids;
  try {
    od::array services;
    std::string base;
    od::json_type root = doc.type();
    if (root == od::json_type::object) {
      bool found = false;
      for (auto field : doc.get_object()) {
        if (std::string_view(field.unescaped_key()) != "services") continue;
        od::value v = field.value();
        if (v.type() != od::json_type::array) {
          throw JsonValueError{"/services", "expected an array of services"};
        }
        services = v.get_array();
        found = true;
        base = "/services";
        break;
      }
      if (!found)
        throw JsonValueError{"", "expected an array of services, or {\"services\": [...]}"};
    } else if (root == od::json_type::array) {
      services = doc.get_array();
    } else {
      throw JsonValueError{"", "expected an array of services"};
    }
    uint64_t row = 0;
    for (auto element : services) {
      std::string pointer = base + "/" + std::to_string(row++);
      od::value v = element.value();
      if (v.type() != od::json_type::object) throw JsonValueError{pointer, "expected an object"};
      ServiceFieldsRead in;
      for (auto field : v.get_object()) {
        std::string key(std::string_view(field.unescaped_key()));
        std::string at = pointer + "/" + key;
        std::string_view target = FieldFor(NormalizeColumnName(key), ServiceFields());
        od::value fv = field.value();
        if (target == "data_categories") {
          in.data_categories = JsonList(fv, at);
        } else if (target == "tags") {
          in.tags = JsonList(fv, at);
        } else if (target.empty()) {
          od::json_type type = fv.type();
          if (type == od::json_type::object) {
            od::object object = fv.get_object();
            in.extras.emplace_back(key, std::string(std::string_view(object.raw_json())));
          } else if (type == od::json_type::array) {
            od::array array = fv.get_array();
            in.extras.emplace_back(key, std::string(std::string_view(array.raw_json())));
          } else {
            std::string value = JsonText(fv, at);
            if (!value.empty()) in.extras.emplace_back(key, std::move(value));
          }
        } else {
          std::string value(TrimAscii(JsonText(fv, at)));
          if (target == "id") in.id = std::move(value);
          if (target == "service") in.service = std::move(value);
          if (target == "provider") in.provider = std::move(value);
          if (target == "region") in.region = std::move(value);
          if (target == "country") in.country = std::move(value);
          if (target == "description") in.description = std::move(value);
          if (target == "type") in.type = std::move(value);
        }
      }
      Item item;
      auto fail = [&](std::string_view field, std::string_view message) {
        std::string at = field == "service" ? pointer : pointer + "/" + std::string(field);
        return InvalidArgumentError(fmt::format("{}: {}: {}", name, at, message));
      };
      ICTS_RETURN_IF_ERROR(BuildItem(std::move(in), name, pointer, row, &ids, fail, &item));
      ICTS_RETURN_IF_ERROR(sink->OnItem(std::move(item)));
    }
  } catch (const JsonValueError& error) {
    std::string_view pointer = error.pointer;
    if (pointer.empty()) pointer = "(top level)";
    return InvalidArgumentError(fmt::format("{}: {}: {}", name, pointer, error.message));
  } catch (const simdjson::simdjson_error& error) {
    return syntax(error.error());
  }
  return Status::Ok();
}

bool StartsLikeJson(std::string_view data) {
  std::string_view trimmed = TrimAscii(data);
  return StartsWith(trimmed, "[") || StartsWith(trimmed, "{");
}

Status Read(std::string_view data, const std::string& name, ItemSink* sink) {
  if (StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
  if (size_t bad = FindInvalidUtf8(data); bad != std::string_view::npos) {
    LineCol at = LineColAt(data, bad);
    return DataLossError(fmt::format("{}:{}:{}: invalid UTF-8", name, at.line, at.column));
  }
  if (StartsLikeJson(data)) return ReadServicesJson(data, name, sink);
  return ReadServicesCsv(data, name, sink);
}

}  // namespace

Status ReadServices(std::string_view data, const std::string& name, ItemSink* sink) {
  return Read(data, name, sink);
}

Status ReadServices(const std::string& path, ItemSink* sink) {
  ICTS_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  return Read(file.data(), path, sink);
}

bool LooksLikeServices(std::string_view head) {
  if (StartsLikeJson(head)) {
    std::string lower = ToLowerAscii(head);
    return lower.find("\"provider\"") != std::string::npos &&
           (lower.find("\"service\"") != std::string::npos ||
            lower.find("\"region\"") != std::string::npos ||
            lower.find("\"data_categories\"") != std::string::npos ||
            lower.find("\"services\"") != std::string::npos);
  }
  std::vector<std::string> columns = assets_internal::HeaderColumns(head);
  bool provider = false;
  for (const std::string& column : columns) {
    // Not "vendor": that is an asset inventory's column too.
    provider = provider || (FieldFor(column, ServiceFields()) == "provider" && column != "vendor");
  }
  return provider && assets_internal::HasServiceColumns(columns);
}

}  // namespace icts::inventory
