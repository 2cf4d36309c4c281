#include "cli/case_cmd.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/file.h"
#include "base/sha256.h"
#include "base/status.h"
#include "cases/case.h"
#include "cases/case_json.h"
#include "cases/case_store.h"
#include "cli/review_cmd.h"
#include "store/store.h"

namespace icts::cli {

namespace {

using cases::Case;
using cases::DeadlineRules;
using cases::Event;
using nlohmann::json;

int Fail(const Status& status) { return FailWith(status); }

std::string Actor(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* a = std::getenv("ICTS_ACTOR"); a && *a) return a;
  if (const char* u = std::getenv("USER"); u && *u) return std::string("cli:") + u;
  if (const char* l = getlogin(); l && *l) return std::string("cli:") + l;
  return "cli:unknown";
}

Result<Date> ParseDateArg(const std::string& flag, const std::string& text) {
  auto d = Date::ParseIso(text);
  if (!d.ok()) {
    return InvalidArgumentError(fmt::format("{} '{}': expected a YYYY-MM-DD date", flag, text));
  }
  return *d;
}

Result<std::unique_ptr<store::Store>> Open(const std::string& url) {
  return store::Store::Open(url.empty() ? store::Store::DefaultUrl() : url);
}

Result<const DeadlineRules*> Rules() { return cases::ShippedDeadlineRules(); }

using Loaded = cases::StoredCase;

Result<Loaded> LoadCase(store::Store& st, const DeadlineRules& rules, const std::string& id) {
  return cases::LoadStoredCase(st, rules, id);
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size(), 0);
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], r[i].size());
  }
  auto print_row = [&](const std::vector<std::string>& r) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  };
  print_row(header);
  for (const auto& r : rows) print_row(r);
}

std::string OptIso(const std::optional<Date>& d) { return d ? d->ToIso() : "-"; }

std::string CiteShort(const cases::Citation& c) {
  return fmt::format("{} [{}]", c.text.substr(0, c.text.find(':')), c.verification);
}

json StoreInfo(const store::CaseRecord& r) {
  return {{"version", r.version},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at},
          {"retain_until", r.retain_until ? json(r.retain_until->ToIso()) : json(nullptr)}};
}

void ShowTable(const DeadlineRules& rules, const Loaded& l) {
  const Case& c = l.c;
  auto at_open = cases::VersionFor(rules, c, c.opened);
  std::cout << "case      " << c.id << "  " << c.title << "\n"
            << "state     " << cases::StateName(cases::CurrentState(c)) << "\n"
            << "opened    " << c.opened.ToIso() << "\n"
            << "rules     " << cases::RuleChoiceName(c.rule_choice)
            << (at_open ? fmt::format(" ({} rule in force on opening)",
                                      cases::RuleVersionName(*at_open))
                        : std::string())
            << "\n";
  if (!c.parties.empty()) {
    std::string p;
    for (const auto& s : c.parties) p += (p.empty() ? "" : "; ") + s;
    std::cout << "parties   " << p << "\n";
  }
  if (c.subpart == "d") {
    std::cout << "subpart   D (transaction " << OptIso(c.transaction_date) << ")\n";
  }
  std::cout << "retain    " << OptIso(l.record.retain_until) << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const Event& e : c.events) {
    std::string extra = e.note;
    if (!e.measure.empty())
      extra = fmt::format("[{}{}] {}", e.measure, e.status.empty() ? "" : " " + e.status, extra);
    if (e.due) extra += fmt::format(" (due {})", e.due->ToIso());
    for (const auto& a : e.attachments)
      extra += fmt::format(" +{} {}", a.name, a.sha256.substr(0, 12));
    rows.push_back({std::to_string(e.seq), e.date.ToIso(),
                    std::string(cases::EventKindName(e.kind)), e.actor, extra});
  }
  PrintTable({"#", "DATE", "EVENT", "ACTOR", "DETAIL"}, rows);
  std::cout << "\n";
  rows.clear();
  for (const cases::Deadline& d : cases::Deadlines(rules, c)) {
    std::string status(cases::DeadlineStatusName(d.status));
    if (d.met_on) status += " " + d.met_on->ToIso();
    rows.push_back({d.date.ToIso(), std::string(cases::DeadlineKindName(d.kind)), status,
                    d.version ? std::string(cases::RuleVersionName(*d.version)) : "-", d.what,
                    CiteShort(d.citation)});
    if (!d.note.empty()) rows.push_back({"", "", "", "", "  note: " + d.note, ""});
  }
  PrintTable({"DATE", "KIND", "STATUS", "RULE", "WHAT", "CITATION"}, rows);
  std::string allowed;
  for (auto k : cases::AllowedEvents(cases::CurrentState(c))) {
    allowed += (allowed.empty() ? "" : ", ") + std::string(cases::EventKindName(k));
  }
  std::cout << "\nnext events: " << allowed << "\n";
}

Result<cases::Attachment> HashFile(const std::string& path) {
  ICTS_ASSIGN_OR_RETURN(MappedFile f, MappedFile::Open(path));
  cases::Attachment a;
  a.sha256 = ToHex(Sha256Of(f.data()));
  size_t slash = path.find_last_of('/');
  a.name = slash == std::string::npos ? path : path.substr(slash + 1);
  a.size = f.size();
  return a;
}

}  // namespace

int RunCaseNew(const CaseArgs& args) {
  auto rules = Rules();
  if (!rules.ok()) return Fail(rules.status());
  Date opened = TodayUtc();
  if (!args.opened.empty()) {
    auto d = ParseDateArg("--opened", args.opened);
    if (!d.ok()) return Fail(d.status());
    opened = *d;
  }
  auto choice = cases::ParseRuleChoice(args.rule_version);
  if (!choice.ok()) return Fail(choice.status());
  auto made =
      cases::NewCase(**rules, args.id.empty() ? "new" : args.id, args.title, opened, *choice);
  if (!made.ok()) return Fail(made.status());
  Case c = std::move(*made);
  c.parties = args.parties;
  if (args.subpart != "ab" && args.subpart != "d") {
    return Fail(InvalidArgumentError("--subpart: expected ab or d"));
  }
  c.subpart = args.subpart;
  if (!args.transaction_date.empty()) {
    auto d = ParseDateArg("--transaction-date", args.transaction_date);
    if (!d.ok()) return Fail(d.status());
    c.transaction_date = *d;
  }
  auto st = Open(args.store);
  if (!st.ok()) return Fail(st.status());
  auto created = cases::CreateStoredCase(**st, **rules, std::move(c), Actor(args.actor), args.id);
  if (!created.ok()) return Fail(created.status());
  c = std::move(created->c);
  const store::CaseRecord* stored = &created->record;
  if (args.output == "json") {
    json j = cases::CaseToJson(**rules, c);
    j["store"] = StoreInfo(*stored);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << c.id << "\n";
  }
  return 0;
}

int RunCaseShow(const CaseArgs& args) {
  auto rules = Rules();
  if (!rules.ok()) return Fail(rules.status());
  auto st = Open(args.store);
  if (!st.ok()) return Fail(st.status());
  auto l = LoadCase(**st, **rules, args.id);
  if (!l.ok()) return Fail(l.status());
  if (args.output == "json") {
    json j = cases::CaseToJson(**rules, l->c);
    j["store"] = StoreInfo(l->record);
    std::cout << j.dump(2) << "\n";
  } else {
    ShowTable(**rules, *l);
  }
  return 0;
}

int RunCaseEvent(const CaseArgs& args) {
  auto rules = Rules();
  if (!rules.ok()) return Fail(rules.status());
  auto kind = cases::ParseEventKind(args.kind);
  if (!kind.ok()) return Fail(kind.status());
  auto date = ParseDateArg("--date", args.date);
  if (!date.ok()) return Fail(date.status());
  Event e;
  e.kind = *kind;
  e.date = *date;
  e.actor = Actor(args.actor);
  e.note = args.note;
  e.parties = args.parties;
  e.determinations = args.determinations;
  e.measure = args.measure;
  e.status = args.status;
  if (!args.due.empty()) {
    auto d = ParseDateArg("--due", args.due);
    if (!d.ok()) return Fail(d.status());
    e.due = *d;
  }
  for (const std::string& path : args.attach) {
    auto a = HashFile(path);
    if (!a.ok()) return Fail(a.status());
    e.attachments.push_back(std::move(*a));
  }
  auto st = Open(args.store);
  if (!st.ok()) return Fail(st.status());
  auto l = cases::AppendStoredEvent(**st, **rules, args.id, std::move(e));
  if (!l.ok()) return Fail(l.status());
  const Event& added = l->c.events.back();
  if (args.output == "json") {
    json j = cases::EventToJson(added);
    j["case"] = l->c.id;
    j["state"] = std::string(cases::StateName(cases::CurrentState(l->c)));
    json deadlines = json::array();
    for (const auto& d : cases::Deadlines(**rules, l->c))
      deadlines.push_back(cases::DeadlineToJson(d));
    j["deadlines"] = deadlines;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fmt::format("{} #{} {} {} → {}\n", l->c.id, added.seq, added.date.ToIso(),
                             cases::EventKindName(added.kind),
                             cases::StateName(cases::CurrentState(l->c)));
  }
  return 0;
}

int RunCaseList(const CaseArgs& args) {
  auto st = Open(args.store);
  if (!st.ok()) return Fail(st.status());
  store::CaseFilter filter;
  if (!args.state.empty()) filter.state = args.state;
  filter.open_only = args.open_only;
  filter.limit = 100000;
  auto list = (*st)->ListCases(filter);
  if (!list.ok()) return Fail(list.status());
  json out = json::array();
  std::vector<std::vector<std::string>> rows;
  for (const store::CaseRecord& r : *list) {
    json payload = json::parse(r.payload_json, nullptr, false);
    std::string title = payload.is_object() && payload.value("title", json()).is_string()
                            ? payload["title"].get<std::string>()
                            : "";
    out.push_back(
        {{"id", r.id},
         {"title", title},
         {"state", r.state},
         {"opened", r.opened_on.ToIso()},
         {"next_due", r.next_due_on ? json(r.next_due_on->ToIso()) : json(nullptr)},
         {"final_determination_on",
          r.final_determination_on ? json(r.final_determination_on->ToIso()) : json(nullptr)},
         {"closed_on", r.closed_on ? json(r.closed_on->ToIso()) : json(nullptr)},
         {"retain_until", r.retain_until ? json(r.retain_until->ToIso()) : json(nullptr)}});
    rows.push_back({r.id, r.state, r.opened_on.ToIso(), OptIso(r.next_due_on), title});
  }
  if (args.output == "json") {
    std::cout << out.dump(2) << "\n";
  } else {
    PrintTable({"ID", "STATE", "OPENED", "NEXT DATE", "TITLE"}, rows);
  }
  return 0;
}

int RunCaseDue(const CaseArgs& args) {
  auto rules = Rules();
  if (!rules.ok()) return Fail(rules.status());
  if (args.days < 0) return Fail(InvalidArgumentError("--days must be 0 or more"));
  Date today = TodayUtc();
  if (!args.as_of.empty()) {
    auto d = ParseDateArg("--as-of", args.as_of);
    if (!d.ok()) return Fail(d.status());
    today = *d;
  }
  auto st = Open(args.store);
  if (!st.ok()) return Fail(st.status());
  store::CaseFilter filter;
  filter.open_only = true;
  filter.due_on_or_before = today.AddDays(args.days);
  filter.limit = 100000;
  auto list = (*st)->ListCases(filter);
  if (!list.ok()) return Fail(list.status());
  struct Row {
    std::string case_id, title;
    cases::DueItem item;
  };
  std::vector<Row> due;
  for (const store::CaseRecord& r : *list) {
    auto l = LoadCase(**st, **rules, r.id);
    if (!l.ok()) return Fail(l.status());
    for (cases::DueItem& item : cases::Due(**rules, l->c, today, args.days)) {
      due.push_back({l->c.id, l->c.title, std::move(item)});
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const Row& a, const Row& b) {
    return a.item.deadline.date < b.item.deadline.date;
  });
  if (args.output == "json") {
    json out = json::array();
    for (const Row& r : due) {
      json j = cases::DueItemToJson(r.item, r.case_id);
      j["title"] = r.title;
      out.push_back(j);
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Row& r : due) {
    const cases::Deadline& d = r.item.deadline;
    std::string left;
    if (r.item.overdue) {
      left = fmt::format("overdue {}", -r.item.days_left);
    } else if (d.kind == cases::DeadlineKind::kNotBefore) {
      left = fmt::format("from in {}", r.item.days_left);
    } else {
      left = std::to_string(r.item.days_left);
    }
    rows.push_back({r.case_id, d.date.ToIso(), left, d.what, CiteShort(d.citation)});
  }
  if (rows.empty()) {
    std::cout << fmt::format("nothing falls due by {}\n", today.AddDays(args.days).ToIso());
    return 0;
  }
  PrintTable({"CASE", "DATE", "DAYS", "WHAT", "CITATION"}, rows);
  return 0;
}

CaseCommand::CaseCommand(CLI::App& app) {
  case_ = app.add_subcommand("case",
                             "Review cases (15 CFR 791 Subpart B): state, events, deadlines "
                             "by rule version; kept in the store");
  case_->require_subcommand(1);
  auto common = [this](CLI::App* sub) {
    sub->add_option("--store", args_.store,
                    "sqlite:PATH or postgres://... (default: $ICTS_STORE or sqlite:icts.db)");
    sub->add_option("-o,--output", args_.output, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
  };
  new_ = case_->add_subcommand("new", "Open a case; prints its id");
  new_->add_option("--title", args_.title, "What the review is about")->required();
  new_->add_option("--opened", args_.opened, "Opening date YYYY-MM-DD (default: today)");
  new_->add_option("--rule-version", args_.rule_version,
                   "auto (by the dates of the events), interim or final")
      ->check(CLI::IsMember({"auto", "interim", "final"}));
  new_->add_option("--id", args_.id, "Case id (default: one the store makes)");
  new_->add_option("--party", args_.parties, "A party to the transaction (repeatable)")
      ->allow_extra_args(false);
  new_->add_option("--subpart", args_.subpart,
                   "ab (Subparts A/B review, default) or d (connected-vehicle transaction)")
      ->check(CLI::IsMember({"ab", "d"}));
  new_->add_option("--transaction-date", args_.transaction_date,
                   "Date of the transaction under review (YYYY-MM-DD)");
  new_->add_option("--actor", args_.actor, "Who opens it (default: $ICTS_ACTOR or cli:<login>)");
  common(new_);

  show_ = case_->add_subcommand("show", "Show a case: state, events, deadlines");
  show_->add_option("id", args_.id, "Case id")->required();
  common(show_);

  event_ = case_->add_subcommand("event", "Record an event on a case");
  event_->add_option("id", args_.id, "Case id")->required();
  event_->add_option("kind", args_.kind, "Event kind, e.g. id-served (see docs/cases.md)")
      ->required();
  event_->add_option("--date", args_.date, "Date the event happened, YYYY-MM-DD")->required();
  event_->add_option("--note", args_.note, "Free text");
  event_->add_option("--attach", args_.attach, "A file kept by its SHA-256 (repeatable)")
      ->allow_extra_args(false);
  event_->add_option("--actor", args_.actor,
                     "Who records it (default: $ICTS_ACTOR or cli:<login>)");
  event_->add_option("--party", args_.parties, "A party the event concerns (repeatable)")
      ->allow_extra_args(false);
  event_
      ->add_option("--determination", args_.determinations,
                   "A linked determination id (repeatable)")
      ->allow_extra_args(false);
  event_->add_option("--due", args_.due,
                     "fd-extended: the new final-determination date; mitigation-measure: its "
                     "due date");
  event_->add_option("--measure", args_.measure, "Mitigation measure id");
  event_->add_option("--status", args_.status, "mitigation-status: open, done, waived or breached");
  common(event_);

  list_ = case_->add_subcommand("list", "List cases by their next date");
  list_->add_option("--state", args_.state, "Only cases in this state");
  list_->add_flag("--open", args_.open_only, "Only cases not closed");
  common(list_);

  due_ = case_->add_subcommand("due", "What falls due in the open cases within N days");
  due_->add_option("--days", args_.days, "Horizon in days (default 30)");
  due_->add_option("--as-of", args_.as_of, "Count from this date (default: today)");
  common(due_);
}

bool CaseCommand::parsed() const { return case_->parsed(); }

int CaseCommand::Run() const {
  if (new_->parsed()) return RunCaseNew(args_);
  if (show_->parsed()) return RunCaseShow(args_);
  if (event_->parsed()) return RunCaseEvent(args_);
  if (list_->parsed()) return RunCaseList(args_);
  if (due_->parsed()) return RunCaseDue(args_);
  return 2;
}

}  // namespace icts::cli
