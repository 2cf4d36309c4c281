// GLEIF Level 1 / Level 2 / reporting exceptions, XML or JSON (see loaders.h).
#include <pugixml.hpp>

#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "graph/internal/json_guard.h"
#include "graph/loaders.h"

namespace icts::graph {
namespace {

// One GLEIF record, XML or JSON, read by paths of local element names.
class Record {
 public:
  explicit Record(pugi::xml_node x) : xml_(x) {}
  explicit Record(const nlohmann::json* j) : json_(j) {}

  std::string Text(std::initializer_list<const char*> path) const {
    if (json_) {
      const nlohmann::json* at = json_;
      for (const char* p : path) {
        if (!at->is_object()) return "";
        auto it = at->find(p);
        if (it == at->end()) return "";
        at = &*it;
      }
      if (at->is_string()) return at->get<std::string>();
      if (at->is_number()) return at->dump();
      if (at->is_object() && at->contains("name") && (*at)["name"].is_string()) {
        return (*at)["name"].get<std::string>();  // {"name": ..., "language": ...}
      }
      return "";
    }
    pugi::xml_node at = xml_;
    for (const char* p : path) {
      at = Child(at, p);
      if (!at) return "";
    }
    return at.text().as_string();
  }

  // The sub-records of a list (e.g. RelationshipPeriods/RelationshipPeriod).
  std::vector<Record> List(std::initializer_list<const char*> path, const char* item) const {
    std::vector<Record> out;
    if (json_) {
      const nlohmann::json* at = json_;
      for (const char* p : path) {
        if (!at->is_object()) return out;
        auto it = at->find(p);
        if (it == at->end()) return out;
        at = &*it;
      }
      if (at->is_array()) {
        for (const auto& e : *at) out.emplace_back(&e);
      } else if (at->is_object() && at->contains(item)) {
        const auto& inner = (*at)[item];
        if (inner.is_array()) {
          for (const auto& e : inner) out.emplace_back(&e);
        } else {
          out.emplace_back(&inner);
        }
      }
      return out;
    }
    pugi::xml_node at = xml_;
    for (const char* p : path) {
      at = Child(at, p);
      if (!at) return out;
    }
    for (pugi::xml_node c : at.children()) {
      if (LocalName(c.name()) == item) out.emplace_back(c);
    }
    return out;
  }

  static std::string_view LocalName(const char* name) {
    const char* colon = std::strchr(name, ':');
    return colon ? std::string_view(colon + 1) : std::string_view(name);
  }

 private:
  static pugi::xml_node Child(pugi::xml_node n, const char* local) {
    for (pugi::xml_node c : n.children()) {
      if (LocalName(c.name()) == local) return c;
    }
    return {};
  }
  pugi::xml_node xml_;
  const nlohmann::json* json_ = nullptr;
};

std::optional<Date> GleifDate(const std::string& text) {
  if (text.size() < 10) return std::nullopt;
  auto d = Date::ParseIso(std::string_view(text).substr(0, 10));
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::string CountryOf(const std::string& text) {
  // "CN", or a subdivision "US-DE" -> "US".
  if (text.size() < 2) return "";
  std::string c = text.substr(0, 2);
  for (char ch : c) {
    if (ch < 'A' || ch > 'Z') return "";
  }
  return c;
}

class GleifReader {
 public:
  GleifReader(const refdata::Input& input, GraphBuilder& builder)
      : input_(input), builder_(builder) {}

  void Level1(const Record& r, const Origin& origin) {
    std::string lei = r.Text({"LEI"});
    if (lei.empty()) {
      builder_.AddIssue({Issue::Severity::kError, origin, "LEI record without an LEI"});
      return;
    }
    Node n;
    n.id = lei;
    n.lei = lei;
    n.type = NodeType::kOrganization;
    n.name = r.Text({"Entity", "LegalName"});
    n.origin = origin;
    std::string jur = CountryOf(r.Text({"Entity", "LegalJurisdiction"}));
    if (!jur.empty()) n.countries.push_back({jur, CountryRole::kIncorporation, origin});
    std::string hq = CountryOf(r.Text({"Entity", "HeadquartersAddress", "Country"}));
    if (!hq.empty()) n.countries.push_back({hq, CountryRole::kHeadquarters, origin});
    if (jur.empty()) {
      std::string legal = CountryOf(r.Text({"Entity", "LegalAddress", "Country"}));
      if (!legal.empty()) n.countries.push_back({legal, CountryRole::kOther, origin});
    }
    builder_.AddNode(std::move(n), /*merge_duplicates=*/true);
  }

  void Level2(const Record& r, const Origin& origin) {
    std::string child = r.Text({"Relationship", "StartNode", "NodeID"});
    std::string parent = r.Text({"Relationship", "EndNode", "NodeID"});
    std::string type = r.Text({"Relationship", "RelationshipType"});
    std::string status = r.Text({"Relationship", "RelationshipStatus"});
    if (child.empty() || parent.empty()) {
      builder_.AddIssue({Issue::Severity::kError, origin,
                         "relationship record without StartNode/EndNode NodeID"});
      return;
    }
    bool direct = type == "IS_DIRECTLY_CONSOLIDATED_BY";
    bool ultimate = type == "IS_ULTIMATELY_CONSOLIDATED_BY";
    if (!direct && !ultimate) return;  // Branches, fund relationships: not ownership.
    if (status == "INACTIVE") return;
    if (!pairs_.insert({parent, child}).second) return;  // Ultimate = direct parent.
    Edge e;
    e.kind = EdgeKind::kControl;
    e.control = ControlKind::kUnspecified;
    e.role = direct ? "direct accounting-consolidation parent"
                    : "ultimate accounting-consolidation parent";
    e.origin = origin;
    for (const Record& p : r.List({"Relationship", "RelationshipPeriods"}, "RelationshipPeriod")) {
      if (p.Text({"PeriodType"}) != "RELATIONSHIP_PERIOD") continue;
      e.start = GleifDate(p.Text({"StartDate"}));
      e.end = GleifDate(p.Text({"EndDate"}));
    }
    for (const Record& q :
         r.List({"Relationship", "RelationshipQuantifiers"}, "RelationshipQuantifier")) {
      if (q.Text({"QuantifierUnits"}) != "PERCENTAGE") continue;
      auto share = ParseShare(q.Text({"QuantifierAmount"}) + "%");
      if (!share.ok()) {
        builder_.AddIssue({Issue::Severity::kError, origin, share.status().message()});
        continue;
      }
      Edge own = e;
      own.kind = EdgeKind::kOwnership;
      own.control = ControlKind::kNone;
      own.share = *share;
      builder_.AddEdge(parent, child, std::move(own), GraphBuilder::Dangling::kPlaceholder);
    }
    builder_.AddEdge(parent, child, std::move(e), GraphBuilder::Dangling::kPlaceholder);
  }

  void Exception(const Record& r, const Origin& origin) {
    std::string lei = r.Text({"LEI"});
    if (lei.empty()) return;
    Node n;
    n.id = lei;
    n.lei = lei;
    n.origin = origin;
    n.parent_unknown = fmt::format("GLEIF reporting exception {} for {}: {}",
                                   r.Text({"ExceptionCategory"}), lei, r.Text({"ExceptionReason"}));
    builder_.AddNode(std::move(n), /*merge_duplicates=*/true);
  }

  Status Xml() {
    pugi::xml_document doc;
    pugi::xml_parse_result res =
        doc.load_buffer(input_.data.data(), input_.data.size(), pugi::parse_default);
    if (!res) {
      LineCol lc = LineColAt(input_.data, static_cast<size_t>(std::max<ptrdiff_t>(0, res.offset)));
      return InvalidArgumentError(fmt::format("{}:{}:{}: XML error: {}", input_.path, lc.line,
                                              lc.column, res.description()));
    }
    // Walk the whole tree once; records sit a few levels down.
    std::vector<pugi::xml_node> stack{doc.document_element()};
    while (!stack.empty()) {
      pugi::xml_node n = stack.back();
      stack.pop_back();
      std::string_view name = Record::LocalName(n.name());
      Origin origin{input_.path,
                    LineColAt(input_.data, n.offset_debug() < 0 ? 0 : n.offset_debug()).line};
      if (name == "LEIRecord") {
        Level1(Record(n), origin);
      } else if (name == "RelationshipRecord") {
        Level2(Record(n), origin);
      } else if (name == "Exception") {
        Exception(Record(n), origin);
      } else {
        for (pugi::xml_node c = n.last_child(); c; c = c.previous_sibling()) {
          if (c.type() == pugi::node_element) stack.push_back(c);
        }
      }
    }
    return Status::Ok();
  }

  Status Json() {
    if (size_t at = internal::FindExcessiveJsonNesting(input_.data); at != std::string_view::npos) {
      LineCol lc = LineColAt(input_.data, at);
      return InvalidArgumentError(
          fmt::format("{}:{}:{}: JSON nested too deeply", input_.path, lc.line, lc.column));
    }
    nlohmann::json doc = nlohmann::json::parse(input_.data, nullptr, false);
    if (doc.is_discarded()) {
      return InvalidArgumentError(fmt::format("{}: not valid JSON", input_.path));
    }
    std::vector<const nlohmann::json*> records;
    if (doc.is_array()) {
      for (const auto& r : doc) records.push_back(&r);
    } else if (doc.is_object() && doc.contains("data") && doc["data"].is_array()) {
      for (const auto& r : doc["data"]) {
        records.push_back(r.contains("attributes") ? &r["attributes"] : &r);
      }
    } else {
      records.push_back(&doc);
    }
    for (size_t i = 0; i < records.size(); ++i) {
      const nlohmann::json& r = *records[i];
      Origin origin{fmt::format("{}#/{}", input_.path, i), 0};
      if (!r.is_object()) {
        builder_.AddIssue({Issue::Severity::kError, origin, "record is not a JSON object"});
        continue;
      }
      Record rec(&r);
      if (r.contains("Relationship")) {
        Level2(rec, origin);
      } else if (r.contains("ExceptionCategory")) {
        Exception(rec, origin);
      } else if (r.contains("LEI") || r.contains("lei")) {
        Level1(rec, origin);
      } else {
        builder_.AddIssue({Issue::Severity::kWarning, origin,
                           "not a GLEIF Level 1, Level 2 or reporting-exception record"});
      }
    }
    return Status::Ok();
  }

 private:
  const refdata::Input& input_;
  GraphBuilder& builder_;
  std::set<std::pair<std::string, std::string>> pairs_;
};

}  // namespace

Status LoadGleif(const refdata::Input& input_raw, GraphBuilder& builder) {
  ICTS_RETURN_IF_ERROR(refdata::CheckUtf8(input_raw));
  refdata::Input input{input_raw.path, refdata::StripBomAndEof(input_raw.data)};
  size_t first = input.data.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return InvalidArgumentError(fmt::format("{}: empty file", input.path));
  }
  GleifReader reader(input, builder);
  char c = input.data[first];
  if (c == '<') return reader.Xml();
  if (c == '[' || c == '{') return reader.Json();
  return InvalidArgumentError(
      fmt::format("{}:1: neither GLEIF XML nor JSON (starts with '{}')", input.path, c));
}

}  // namespace icts::graph
