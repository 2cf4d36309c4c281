// Beneficial Ownership Data Standard statements (see loaders.h).
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "graph/internal/json_guard.h"
#include "graph/loaders.h"

namespace icts::graph {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

const json* Obj(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  if (it == j.end()) return nullptr;
  return &*it;
}

std::string Code(const json* j) {
  if (!j) return "";
  if (j->is_string()) return j->get<std::string>().substr(0, 2);
  std::string c = Str(*j, "code");
  return c.size() >= 2 ? c.substr(0, 2) : "";
}

std::optional<Date> DateOf(const std::string& s) {
  if (s.size() < 10) return std::nullopt;
  auto d = Date::ParseIso(std::string_view(s).substr(0, 10));
  if (!d.ok()) return std::nullopt;
  return *d;
}

// The record id of a statement (BODS 0.4 recordId, else statementId).
std::string RecordId(const json& s) {
  std::string id = Str(s, "recordId");
  if (id.empty()) id = Str(s, "statementID");
  if (id.empty()) id = Str(s, "statementId");
  return id.empty() ? "" : "bods:" + id;
}

// Reference to another statement: a string (0.4) or {describedBy...: id}.
std::string Ref(const json* j) {
  if (!j) return "";
  if (j->is_string()) return "bods:" + j->get<std::string>();
  for (const char* k : {"describedByPersonStatement", "describedByEntityStatement"}) {
    std::string id = Str(*j, k);
    if (!id.empty()) return "bods:" + id;
  }
  return "";
}

struct Interest {
  enum Kind { kOwnership, kControl, kDirector, kSkip } kind = kSkip;
  ControlKind control = ControlKind::kNone;
};

Interest Classify(const std::string& type) {
  if (type == "shareholding" || type == "votingRights" || type.empty() ||
      type == "unknownInterest" || type == "unpublishedInterest") {
    return {Interest::kOwnership};
  }
  if (type == "appointmentOfBoard") return {Interest::kControl, ControlKind::kBoardMajority};
  if (type == "rightsGrantedByContract" || type == "conditionalRightsGrantedByContract") {
    return {Interest::kControl, ControlKind::kContract};
  }
  if (type == "otherInfluenceOrControl" || type == "controlViaCompanyRulesOrArticles" ||
      type == "controlByLegalFramework" || type == "influenceOrControl") {
    return {Interest::kControl, ControlKind::kUnspecified};
  }
  if (type == "boardMember" || type == "boardChair" || type == "seniorManagingOfficial") {
    return {Interest::kDirector};
  }
  return {};
}

class BodsReader {
 public:
  BodsReader(const refdata::Input& input, GraphBuilder& builder)
      : input_(input), builder_(builder) {}

  Status Run() {
    std::vector<json> statements;
    std::string_view d = input_.data;
    size_t first = d.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
      return InvalidArgumentError(fmt::format("{}: empty file", input_.path));
    }
    if (size_t at = internal::FindExcessiveJsonNesting(d); at != std::string_view::npos) {
      LineCol lc = LineColAt(d, at);
      return InvalidArgumentError(
          fmt::format("{}:{}:{}: JSON nested too deeply", input_.path, lc.line, lc.column));
    }
    std::vector<uint64_t> lines;
    if (d[first] == '[') {
      json doc = json::parse(d, nullptr, false);
      if (doc.is_discarded()) {
        return InvalidArgumentError(fmt::format("{}: not valid JSON", input_.path));
      }
      for (auto& s : doc) {
        statements.push_back(std::move(s));
        lines.push_back(0);
      }
    } else {
      // JSON lines.
      size_t pos = 0;
      uint64_t line = 0;
      while (pos < d.size()) {
        size_t end = d.find('\n', pos);
        if (end == std::string_view::npos) end = d.size();
        ++line;
        std::string_view text = d.substr(pos, end - pos);
        pos = end + 1;
        if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        json s = json::parse(text, nullptr, false);
        if (s.is_discarded()) {
          return InvalidArgumentError(
              fmt::format("{}:{}: not a JSON statement", input_.path, line));
        }
        statements.push_back(std::move(s));
        lines.push_back(line);
      }
    }
    auto origin_of = [&](size_t i) {
      return lines[i] ? Origin{input_.path, lines[i]}
                      : Origin{fmt::format("{}#/{}", input_.path, i), 0};
    };
    // Parties first, so relationships know whether a party is anonymous.
    for (size_t i = 0; i < statements.size(); ++i) {
      const json& s = statements[i];
      if (!s.is_object()) {
        builder_.AddIssue({Issue::Severity::kError, origin_of(i), "statement is not an object"});
        continue;
      }
      std::string type = Str(s, "recordType");
      if (type.empty()) type = Str(s, "statementType");
      if (type == "entity" || type == "entityStatement") {
        Entity(s, origin_of(i));
      } else if (type == "person" || type == "personStatement") {
        Person(s, origin_of(i));
      }
    }
    // A record may be stated several times (BODS 0.4 updates): the latest
    // statement of a record replaces the earlier ones; a closed record is
    // dropped.
    std::unordered_map<std::string, size_t> latest;
    std::vector<size_t> order;
    for (size_t i = 0; i < statements.size(); ++i) {
      const json& s = statements[i];
      if (!s.is_object()) continue;
      std::string type = Str(s, "recordType");
      if (type.empty()) type = Str(s, "statementType");
      if (type != "relationship" && type != "ownershipOrControlStatement") continue;
      std::string record = Str(s, "recordId");
      if (record.empty()) {
        order.push_back(i);
        continue;
      }
      auto [it, inserted] = latest.emplace(record, i);
      if (inserted) {
        order.push_back(i);
      } else if (Str(s, "statementDate") >= Str(statements[it->second], "statementDate")) {
        it->second = i;
      }
    }
    for (size_t i : order) {
      std::string record = Str(statements[i], "recordId");
      size_t use = record.empty() ? i : latest[record];
      if (Str(statements[use], "recordStatus") == "closed") continue;
      Relationship(statements[use], origin_of(use));
    }
    return Status::Ok();
  }

 private:
  const json& Details(const json& s) {
    const json* d = Obj(s, "recordDetails");
    return d && d->is_object() ? *d : s;
  }

  void Entity(const json& s, const Origin& origin) {
    std::string id = RecordId(s);
    if (id.empty()) {
      builder_.AddIssue({Issue::Severity::kError, origin, "entity statement without an id"});
      return;
    }
    const json& d = Details(s);
    Node n;
    n.id = id;
    n.name = Str(d, "name");
    n.type = NodeType::kOrganization;
    n.origin = origin;
    std::string etype;
    if (const json* et = Obj(d, "entityType")) {
      etype = et->is_string() ? et->get<std::string>() : Str(*et, "type");
    }
    std::string jur = Code(Obj(d, "jurisdiction"));
    if (jur.empty()) jur = Code(Obj(d, "incorporatedInJurisdiction"));
    if (!jur.empty()) {
      bool state = etype == "state" || etype == "stateBody";
      n.countries.push_back(
          {jur, state ? CountryRole::kGovernment : CountryRole::kIncorporation, origin});
    }
    if (const json* ids = Obj(d, "identifiers"); ids && ids->is_array()) {
      for (const json& i : *ids) {
        if (Str(i, "scheme") == "XI-LEI") n.lei = Str(i, "id");
      }
    }
    if (etype == "anonymousEntity" || etype == "unknownEntity") {
      anonymous_[id] = "BODS: the entity is " + etype;
    }
    builder_.AddNode(std::move(n), /*merge_duplicates=*/true);
  }

  void Person(const json& s, const Origin& origin) {
    std::string id = RecordId(s);
    if (id.empty()) {
      builder_.AddIssue({Issue::Severity::kError, origin, "person statement without an id"});
      return;
    }
    const json& d = Details(s);
    Node n;
    n.id = id;
    n.type = NodeType::kPerson;
    n.origin = origin;
    if (const json* names = Obj(d, "names"); names && names->is_array() && !names->empty()) {
      n.name = Str((*names)[0], "fullName");
    }
    if (const json* nat = Obj(d, "nationalities"); nat && nat->is_array()) {
      for (const json& c : *nat) {
        std::string code = Code(&c);
        if (!code.empty()) n.countries.push_back({code, CountryRole::kNationality, origin});
      }
    }
    if (const json* tax = Obj(d, "taxResidencies"); tax && tax->is_array()) {
      for (const json& c : *tax) {
        std::string code = Code(&c);
        if (!code.empty()) n.countries.push_back({code, CountryRole::kResidence, origin});
      }
    }
    if (const json* addr = Obj(d, "addresses"); addr && addr->is_array()) {
      for (const json& a : *addr) {
        if (Str(a, "type") != "residence") continue;
        std::string code = Code(Obj(a, "country"));
        if (!code.empty()) n.countries.push_back({code, CountryRole::kResidence, origin});
      }
    }
    std::string ptype = Str(d, "personType");
    if (ptype == "anonymousPerson" || ptype == "unknownPerson") {
      std::string reason;
      if (const json* u = Obj(d, "unspecifiedPersonDetails")) reason = Str(*u, "reason");
      anonymous_[id] =
          "BODS: the owner is an " + ptype + (reason.empty() ? "" : " (" + reason + ")");
    }
    builder_.AddNode(std::move(n), /*merge_duplicates=*/true);
  }

  void Relationship(const json& s, const Origin& origin) {
    const json& d = Details(s);
    std::string subject = Ref(Obj(d, "subject"));
    if (subject.empty()) {
      if (const json* sub = Obj(d, "subject"); sub && sub->is_object()) {
        subject = Ref(Obj(*sub, "describedByEntityStatement"));
      }
    }
    const json* party = Obj(d, "interestedParty");
    std::string owner = Ref(party);
    if (subject.empty()) {
      builder_.AddIssue({Issue::Severity::kError, origin, "relationship without a subject"});
      return;
    }
    if (owner.empty()) {
      // An unspecified interested party: the owner exists but is not known.
      std::string reason;
      if (party && party->is_object()) {
        if (const json* u = Obj(*party, "unspecified")) reason = Str(*u, "reason");
      }
      Node n;
      n.id = subject;
      n.origin = origin;
      n.parent_unknown = "BODS: interested party not specified" +
                         (reason.empty() ? std::string() : " (" + reason + ")");
      builder_.AddNode(std::move(n), /*merge_duplicates=*/true);
      return;
    }
    if (auto it = anonymous_.find(owner); it != anonymous_.end()) {
      Node n;
      n.id = subject;
      n.origin = origin;
      n.parent_unknown = it->second;
      builder_.AddNode(std::move(n), /*merge_duplicates=*/true);
    }
    const json* interests = Obj(d, "interests");
    if (!interests || !interests->is_array()) return;
    bool components = false;
    if (const json* c = Obj(d, "componentRecords"); c && c->is_array() && !c->empty()) {
      components = true;
    }
    // One ownership edge per statement (the larger of equity and voting
    // shares, lower bounds of ranges); one edge per control kind.
    bool has_ownership = false;
    double share = kUnknownShare, share_max = kUnknownShare;
    std::vector<ControlKind> controls;
    bool director = false;
    std::optional<Date> start, end;
    for (const json& i : *interests) {
      if (Str(i, "directOrIndirect") == "indirect" && components) continue;
      Interest kind = Classify(Str(i, "type"));
      if (!start) start = DateOf(Str(i, "startDate"));
      if (!end) end = DateOf(Str(i, "endDate"));
      switch (kind.kind) {
        case Interest::kOwnership: {
          has_ownership = true;
          const json* sh = Obj(i, "share");
          if (!sh || !sh->is_object()) break;
          double lo = kUnknownShare, hi = kUnknownShare;
          for (const char* key : {"exact", "minimum", "exclusiveMinimum"}) {
            if (const json* v = Obj(*sh, key); v && v->is_number() && std::isnan(lo)) {
              lo = v->get<double>();
            }
          }
          for (const char* key : {"exact", "maximum", "exclusiveMaximum"}) {
            if (const json* v = Obj(*sh, key); v && v->is_number() && std::isnan(hi)) {
              hi = v->get<double>();
            }
          }
          if (!std::isnan(lo) &&
              (lo < 0 || lo > 100 || (!std::isnan(hi) && (hi < lo || hi > 100)))) {
            builder_.AddIssue({Issue::Severity::kError, origin,
                               fmt::format("share {}..{} is outside 0..100 percent", lo, hi)});
            return;
          }
          if (!std::isnan(lo) && (std::isnan(share) || lo / 100 > share)) {
            share = lo / 100;
            share_max = !std::isnan(hi) && hi > lo ? hi / 100 : kUnknownShare;
          }
          break;
        }
        case Interest::kControl:
          if (std::find(controls.begin(), controls.end(), kind.control) == controls.end()) {
            controls.push_back(kind.control);
          }
          break;
        case Interest::kDirector:
          director = true;
          break;
        case Interest::kSkip:
          break;
      }
    }
    Edge base;
    base.origin = origin;
    base.start = start;
    base.end = end;
    if (has_ownership) {
      Edge e = base;
      e.kind = EdgeKind::kOwnership;
      e.share = share;
      e.share_max = share_max;
      builder_.AddEdge(owner, subject, std::move(e), GraphBuilder::Dangling::kPlaceholder);
    }
    for (ControlKind c : controls) {
      Edge e = base;
      e.kind = EdgeKind::kControl;
      e.control = c;
      builder_.AddEdge(owner, subject, std::move(e), GraphBuilder::Dangling::kPlaceholder);
    }
    if (director) {
      Edge e = base;
      e.kind = EdgeKind::kDirectorship;
      builder_.AddEdge(owner, subject, std::move(e), GraphBuilder::Dangling::kPlaceholder);
    }
  }

  const refdata::Input& input_;
  GraphBuilder& builder_;
  std::unordered_map<std::string, std::string> anonymous_;
};

}  // namespace

Status LoadBods(const refdata::Input& input_raw, GraphBuilder& builder) {
  ICTS_RETURN_IF_ERROR(refdata::CheckUtf8(input_raw));
  refdata::Input input{input_raw.path, refdata::StripBomAndEof(input_raw.data)};
  return BodsReader(input, builder).Run();
}

}  // namespace icts::graph
