#include "cases/case_json.h"

#include <initializer_list>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace icts::cases {

namespace {

using nlohmann::json;

Status CheckKeys(const json& j, std::string_view what,
                 std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) return InvalidArgumentError(fmt::format("{}: expected an object", what));
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || a == it.key();
    if (!ok) return InvalidArgumentError(fmt::format("{}: unknown key '{}'", what, it.key()));
  }
  return Status::Ok();
}

Result<std::string> Str(const json& j, const char* key, std::string_view what, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return InvalidArgumentError(fmt::format("{}: '{}' is required", what, key));
    return std::string();
  }
  if (!it->is_string())
    return InvalidArgumentError(fmt::format("{}: '{}' must be text", what, key));
  return it->get<std::string>();
}

Result<std::optional<Date>> OptDate(const json& j, const char* key, std::string_view what) {
  ICTS_ASSIGN_OR_RETURN(std::string s, Str(j, key, what, false));
  if (s.empty()) return std::optional<Date>();
  auto d = Date::ParseIso(s);
  if (!d.ok()) {
    return InvalidArgumentError(fmt::format("{}: '{}' is not a YYYY-MM-DD date: {}", what, key, s));
  }
  return std::optional<Date>(*d);
}

Result<std::vector<std::string>> Strings(const json& j, const char* key, std::string_view what) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array())
    return InvalidArgumentError(fmt::format("{}: '{}' must be a list", what, key));
  for (const json& v : *it) {
    if (!v.is_string()) {
      return InvalidArgumentError(fmt::format("{}: '{}' must hold text", what, key));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

json OptDateJson(const std::optional<Date>& d) { return d ? json(d->ToIso()) : json(nullptr); }

}  // namespace

json CaseHeaderToJson(const Case& c) {
  json j;
  j["id"] = c.id;
  j["title"] = c.title;
  j["opened"] = c.opened.ToIso();
  j["rule_version"] = std::string(RuleChoiceName(c.rule_choice));
  j["parties"] = c.parties;
  j["subpart"] = c.subpart;
  j["transaction_date"] = OptDateJson(c.transaction_date);
  return j;
}

Result<Case> CaseHeaderFromJson(const json& j) {
  ICTS_RETURN_IF_ERROR(CheckKeys(
      j, "case",
      {"id", "title", "opened", "rule_version", "parties", "subpart", "transaction_date"}));
  Case c;
  ICTS_ASSIGN_OR_RETURN(c.id, Str(j, "id", "case", true));
  ICTS_ASSIGN_OR_RETURN(c.title, Str(j, "title", "case", true));
  ICTS_ASSIGN_OR_RETURN(std::optional<Date> opened, OptDate(j, "opened", "case"));
  if (!opened) return InvalidArgumentError("case: 'opened' is required");
  c.opened = *opened;
  ICTS_ASSIGN_OR_RETURN(std::string choice, Str(j, "rule_version", "case", false));
  if (!choice.empty()) {
    ICTS_ASSIGN_OR_RETURN(c.rule_choice, ParseRuleChoice(choice));
  }
  ICTS_ASSIGN_OR_RETURN(c.parties, Strings(j, "parties", "case"));
  ICTS_ASSIGN_OR_RETURN(std::string subpart, Str(j, "subpart", "case", false));
  if (!subpart.empty()) {
    if (subpart != "ab" && subpart != "d") {
      return InvalidArgumentError("case: 'subpart' must be ab or d");
    }
    c.subpart = subpart;
  }
  ICTS_ASSIGN_OR_RETURN(c.transaction_date, OptDate(j, "transaction_date", "case"));
  return c;
}

json EventToJson(const Event& e) {
  json j;
  j["seq"] = e.seq;
  j["kind"] = std::string(EventKindName(e.kind));
  j["date"] = e.date.ToIso();
  j["actor"] = e.actor;
  j["note"] = e.note;
  json atts = json::array();
  for (const Attachment& a : e.attachments) {
    atts.push_back({{"sha256", a.sha256}, {"name", a.name}, {"size", a.size}});
  }
  j["attachments"] = atts;
  j["parties"] = e.parties;
  j["determinations"] = e.determinations;
  if (e.due) j["due"] = e.due->ToIso();
  if (!e.measure.empty()) j["measure"] = e.measure;
  if (!e.status.empty()) j["status"] = e.status;
  return j;
}

Result<Event> EventFromJson(const json& j) {
  ICTS_RETURN_IF_ERROR(CheckKeys(j, "event",
                                 {"seq", "kind", "date", "actor", "note", "attachments", "parties",
                                  "determinations", "due", "measure", "status"}));
  Event e;
  if (auto it = j.find("seq"); it != j.end()) {
    if (!it->is_number_integer()) return InvalidArgumentError("event: 'seq' must be a number");
    e.seq = it->get<int64_t>();
  }
  ICTS_ASSIGN_OR_RETURN(std::string kind, Str(j, "kind", "event", true));
  ICTS_ASSIGN_OR_RETURN(e.kind, ParseEventKind(kind));
  ICTS_ASSIGN_OR_RETURN(std::optional<Date> date, OptDate(j, "date", "event"));
  if (!date) return InvalidArgumentError("event: 'date' is required");
  e.date = *date;
  ICTS_ASSIGN_OR_RETURN(e.actor, Str(j, "actor", "event", false));
  ICTS_ASSIGN_OR_RETURN(e.note, Str(j, "note", "event", false));
  if (auto it = j.find("attachments"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return InvalidArgumentError("event: 'attachments' must be a list");
    for (const json& a : *it) {
      ICTS_RETURN_IF_ERROR(CheckKeys(a, "attachment", {"sha256", "name", "size"}));
      Attachment att;
      ICTS_ASSIGN_OR_RETURN(att.sha256, Str(a, "sha256", "attachment", true));
      ICTS_ASSIGN_OR_RETURN(att.name, Str(a, "name", "attachment", true));
      if (auto s = a.find("size"); s != a.end()) {
        if (!s->is_number_unsigned()) {
          return InvalidArgumentError("attachment: 'size' must be a whole number");
        }
        att.size = s->get<uint64_t>();
      }
      e.attachments.push_back(std::move(att));
    }
  }
  ICTS_ASSIGN_OR_RETURN(e.parties, Strings(j, "parties", "event"));
  ICTS_ASSIGN_OR_RETURN(e.determinations, Strings(j, "determinations", "event"));
  ICTS_ASSIGN_OR_RETURN(e.due, OptDate(j, "due", "event"));
  ICTS_ASSIGN_OR_RETURN(e.measure, Str(j, "measure", "event", false));
  ICTS_ASSIGN_OR_RETURN(e.status, Str(j, "status", "event", false));
  return e;
}

json DeadlineToJson(const Deadline& d) {
  json j;
  j["id"] = d.id;
  j["what"] = d.what;
  j["kind"] = std::string(DeadlineKindName(d.kind));
  j["date"] = d.date.ToIso();
  j["version"] = d.version ? json(std::string(RuleVersionName(*d.version))) : json(nullptr);
  j["citation"] = d.citation.text;
  j["verification"] = std::string(1, d.citation.verification);
  j["start"] = {{"event", d.start_event}, {"seq", d.start_seq}, {"date", d.start_date.ToIso()}};
  j["extended"] = d.extended;
  j["status"] = std::string(DeadlineStatusName(d.status));
  j["met_on"] = OptDateJson(d.met_on);
  j["note"] = d.note;
  return j;
}

json DueItemToJson(const DueItem& item, const std::string& case_id) {
  json j = DeadlineToJson(item.deadline);
  if (!case_id.empty()) j["case"] = case_id;
  j["days_left"] = item.days_left;
  j["overdue"] = item.overdue;
  return j;
}

json CaseToJson(const DeadlineRules& rules, const Case& c) {
  json j = CaseHeaderToJson(c);
  State s = CurrentState(c);
  j["state"] = std::string(StateName(s));
  std::optional<RuleVersion> at_open = VersionFor(rules, c, c.opened);
  j["rule_version_at_opening"] =
      at_open ? json(std::string(RuleVersionName(*at_open))) : json(nullptr);
  json allowed = json::array();
  for (EventKind k : AllowedEvents(s)) allowed.push_back(std::string(EventKindName(k)));
  j["allowed_events"] = allowed;
  json events = json::array();
  for (const Event& e : c.events) events.push_back(EventToJson(e));
  j["events"] = events;
  json deadlines = json::array();
  for (const Deadline& d : Deadlines(rules, c)) deadlines.push_back(DeadlineToJson(d));
  j["deadlines"] = deadlines;
  return j;
}

}  // namespace icts::cases
