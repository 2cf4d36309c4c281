// The CSV contract format (see loaders.h).
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "graph/loaders.h"
#include "refdata/csv.h"

namespace icts::graph {
namespace {

using refdata::CsvReader;
using refdata::CsvRecord;

std::string Trimmed(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

// ISO alpha-2 ("RU") or an adversary code ("VE-MADURO").
bool IsCountryCode(std::string_view c) {
  if (c.size() < 2 || c.size() > 16) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    bool ok = (ch >= 'A' && ch <= 'Z') || (i >= 2 && ((ch >= '0' && ch <= '9') || ch == '-'));
    if (!ok) return false;
  }
  return c.size() == 2 || c[2] == '-';
}

struct Columns {
  std::unordered_map<std::string, size_t> index;
  std::string Get(const CsvRecord& r, const std::string& name) const {
    auto it = index.find(name);
    if (it == index.end() || it->second >= r.fields.size()) return "";
    return Trimmed(r.fields[it->second]);
  }
};

// Reads the header; checks required and allowed columns.
Status ReadHeader(CsvReader& reader, const refdata::Input& input,
                  std::initializer_list<std::string_view> required,
                  std::initializer_list<std::string_view> optional, Columns* out, size_t* width) {
  CsvRecord header;
  if (!reader.Next(&header)) {
    if (!reader.status().ok()) return reader.status();
    return InvalidArgumentError(
        fmt::format("{}:1: empty file (expected a header row)", input.path));
  }
  for (size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = Trimmed(header.fields[i]);
    bool known = false;
    for (auto r : required) known = known || r == name;
    for (auto o : optional) known = known || o == name;
    if (!known) {
      std::string all;
      for (auto r : required) {
        if (!all.empty()) all.push_back(',');
        all.append(r);
      }
      for (auto o : optional) {
        all.push_back(',');
        all.append(o);
      }
      return InvalidArgumentError(fmt::format("{}:{}: unknown column '{}' (expected {})",
                                              input.path, header.line, name, all));
    }
    if (!out->index.emplace(name, i).second) {
      return InvalidArgumentError(
          fmt::format("{}:{}: column '{}' given twice", input.path, header.line, name));
    }
  }
  for (auto r : required) {
    if (!out->index.count(std::string(r))) {
      return InvalidArgumentError(
          fmt::format("{}:{}: missing column '{}'", input.path, header.line, r));
    }
  }
  *width = header.fields.size();
  return Status::Ok();
}

Status Prepare(const refdata::Input& input, std::string_view* data) {
  ICTS_RETURN_IF_ERROR(refdata::CheckUtf8(input));
  *data = refdata::StripBomAndEof(input.data);
  return Status::Ok();
}

}  // namespace

Status LoadCsvNodes(const refdata::Input& input, GraphBuilder& builder) {
  std::string_view data;
  ICTS_RETURN_IF_ERROR(Prepare(input, &data));
  CsvReader reader(data, input.path);
  Columns cols;
  size_t width = 0;
  ICTS_RETURN_IF_ERROR(ReadHeader(reader, input, {"id", "name", "type", "country", "country_role"},
                                  {"lei"}, &cols, &width));
  std::unordered_map<std::string, Node> nodes;
  std::vector<std::string> order;
  CsvRecord rec;
  while (reader.Next(&rec)) {
    Origin origin{input.path, rec.line};
    auto error = [&](std::string m) {
      builder.AddIssue({Issue::Severity::kError, origin, std::move(m)});
    };
    if (rec.fields.size() != width) {
      error(fmt::format("expected {} fields, found {}", width, rec.fields.size()));
      continue;
    }
    std::string id = cols.Get(rec, "id");
    if (id.empty()) {
      error("empty id");
      continue;
    }
    std::string name = cols.Get(rec, "name");
    std::string type_text = cols.Get(rec, "type");
    std::string country = cols.Get(rec, "country");
    std::string role_text = cols.Get(rec, "country_role");
    std::string lei = cols.Get(rec, "lei");
    std::optional<NodeType> type;
    if (!type_text.empty()) {
      type = ParseNodeType(type_text);
      if (!type) {
        error(fmt::format("type '{}' is not person or organization", type_text));
        continue;
      }
    }
    auto role = ParseCountryRole(role_text);
    if (!role) {
      error(
          fmt::format("country_role '{}' is not one of incorporation, headquarters, "
                      "principal-place, citizenship, nationality, residence, "
                      "permanent-residence, government, other",
                      role_text));
      continue;
    }
    if (!country.empty() && !IsCountryCode(country)) {
      error(
          fmt::format("country '{}' is not an upper-case ISO 3166 alpha-2 code (or an "
                      "adversary code such as VE-MADURO)",
                      country));
      continue;
    }
    if (country.empty() && !role_text.empty()) {
      error(fmt::format("country_role '{}' given without a country", role_text));
      continue;
    }
    auto [it, inserted] = nodes.try_emplace(id);
    Node& n = it->second;
    if (inserted) {
      order.push_back(id);
      n.id = id;
      n.origin = origin;
      if (!type) {
        error(
            fmt::format("node '{}': type is required on its first row (person or "
                        "organization)",
                        id));
        continue;
      }
      n.type = *type;
      n.name = name;
      n.lei = lei;
    } else {
      if (type && *type != n.type) {
        error(fmt::format("node '{}' has type {} here but {} at {}", id, type_text,
                          NodeTypeName(n.type), n.origin.ToString()));
        continue;
      }
      if (!name.empty() && !n.name.empty() && name != n.name) {
        error(fmt::format("node '{}' is named '{}' here but '{}' at {}", id, name, n.name,
                          n.origin.ToString()));
        continue;
      }
      if (n.name.empty()) n.name = name;
      if (n.lei.empty()) n.lei = lei;
    }
    if (!country.empty()) {
      bool dup = false;
      for (const NodeCountry& c : n.countries) dup = dup || (c.code == country && c.role == *role);
      if (dup) {
        builder.AddIssue({Issue::Severity::kWarning, origin,
                          fmt::format("node '{}': country {} ({}) repeated; ignored", id, country,
                                      CountryRoleName(*role))});
      } else {
        n.countries.push_back({country, *role, origin});
      }
    }
  }
  if (!reader.status().ok()) return reader.status();
  if (reader.truncated_line() != 0) {
    builder.AddIssue({Issue::Severity::kError,
                      {input.path, reader.truncated_line()},
                      refdata::kTruncatedRecordReason});
  }
  for (const std::string& id : order) builder.AddNode(std::move(nodes[id]));
  return Status::Ok();
}

Status LoadCsvEdges(const refdata::Input& input, GraphBuilder& builder) {
  std::string_view data;
  ICTS_RETURN_IF_ERROR(Prepare(input, &data));
  CsvReader reader(data, input.path);
  Columns cols;
  size_t width = 0;
  ICTS_RETURN_IF_ERROR(ReadHeader(reader, input, {"owner_id", "owned_id", "share", "control"},
                                  {"start", "end"}, &cols, &width));
  CsvRecord rec;
  while (reader.Next(&rec)) {
    Origin origin{input.path, rec.line};
    auto error = [&](std::string m) {
      builder.AddIssue({Issue::Severity::kError, origin, std::move(m)});
    };
    if (rec.fields.size() != width) {
      error(fmt::format("expected {} fields, found {}", width, rec.fields.size()));
      continue;
    }
    std::string owner = cols.Get(rec, "owner_id");
    std::string owned = cols.Get(rec, "owned_id");
    if (owner.empty() || owned.empty()) {
      error("owner_id and owned_id are required");
      continue;
    }
    std::string share_text = cols.Get(rec, "share");
    auto share = ParseShare(share_text);
    if (!share.ok()) {
      error(share.status().message());
      continue;
    }
    std::string control_text = cols.Get(rec, "control");
    std::optional<ControlKind> control;
    if (!control_text.empty()) {
      control = ParseControlKind(control_text);
      if (!control || *control == ControlKind::kUnspecified || *control == ControlKind::kNone) {
        error(
            fmt::format("control '{}' is not one of board-majority, special-share, proxy, "
                        "contract, direction",
                        control_text));
        continue;
      }
    }
    Edge base;
    base.origin = origin;
    bool bad_date = false;
    for (const char* key : {"start", "end"}) {
      std::string text = cols.Get(rec, key);
      if (text.empty()) continue;
      auto d = Date::ParseIso(text);
      if (!d.ok()) {
        error(fmt::format("{} '{}' is not a YYYY-MM-DD date", key, text));
        bad_date = true;
        break;
      }
      (std::string_view(key) == "start" ? base.start : base.end) = *d;
    }
    if (bad_date) continue;
    if (!share_text.empty() || !control) {
      Edge e = base;
      e.kind = EdgeKind::kOwnership;
      e.share = *share;
      builder.AddEdge(owner, owned, std::move(e), GraphBuilder::Dangling::kError);
    }
    if (control) {
      Edge e = base;
      e.kind = EdgeKind::kControl;
      e.control = *control;
      builder.AddEdge(owner, owned, std::move(e), GraphBuilder::Dangling::kError);
    }
  }
  if (!reader.status().ok()) return reader.status();
  if (reader.truncated_line() != 0) {
    builder.AddIssue({Issue::Severity::kError,
                      {input.path, reader.truncated_line()},
                      refdata::kTruncatedRecordReason});
  }
  return Status::Ok();
}

}  // namespace icts::graph
