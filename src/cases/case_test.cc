#include "cases/case.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cases/case_json.h"

namespace icts::cases {
namespace {

using E = EventKind;

Date D(const char* iso) { return *Date::ParseIso(iso); }

const DeadlineRules& Rules() { return **ShippedDeadlineRules(); }

// Days from one event to the next on the paths below: far enough for every
// bar (21 days) and window (30 days) of either version.
int StepBefore(EventKind k) {
  if (k == E::kIdServed) return 21;
  if (k == E::kResponseWindowLapsed) return 31;
  if (k == E::kConcurrencePresumed) return 15;
  return 1;
}

Event Make(EventKind k, Date d) {
  Event e;
  e.kind = k;
  e.date = d;
  if (k == E::kFdExtended) e.due = d.AddDays(60);
  if (k == E::kMitigationMeasure) {
    e.measure = "M9";
    e.due = d.AddDays(90);
  }
  if (k == E::kMitigationStatus) {
    e.measure = "M1";
    e.status = "done";
  }
  return e;
}

// A path of events to each state.
std::map<State, std::vector<EventKind>> Paths() {
  std::vector<EventKind> accepted = {E::kReviewInitiated};
  std::vector<EventKind> noticed = {E::kReviewInitiated, E::kIdNoticed};
  std::vector<EventKind> served = {E::kReviewInitiated, E::kIdNoticed, E::kIdServed};
  auto plus = [](std::vector<EventKind> v, std::initializer_list<EventKind> more) {
    v.insert(v.end(), more);
    return v;
  };
  std::vector<EventKind> responded = plus(served, {E::kResponseReceived});
  std::vector<EventKind> proposed = plus(responded, {E::kProposedFdNoticed});
  std::vector<EventKind> concurred = plus(proposed, {E::kAgenciesConcurred});
  return {
      {State::kOpened, {}},
      {State::kAccepted, accepted},
      {State::kInformationRequested, plus(accepted, {E::kInformationRequested})},
      {State::kIdNoticed, noticed},
      {State::kIdServed, served},
      {State::kResponseReceived, responded},
      {State::kResponseLapsed, plus(served, {E::kResponseWindowLapsed})},
      {State::kProposedFdNoticed, proposed},
      {State::kObjection, plus(proposed, {E::kAgencyObjected})},
      {State::kConcurred, concurred},
      {State::kFdProhibited, plus(concurred, {E::kFdProhibited})},
      {State::kFdNotProhibited, plus(concurred, {E::kFdNotProhibited})},
      {State::kFdMitigation,
       plus(concurred, {E::kFdMitigation, E::kMitigationMeasure, E::kMitigationStatus})},
      {State::kClosed, plus(concurred, {E::kFdProhibited, E::kClose})},
  };
}

Case Reach(State s, RuleChoice choice, Date opened) {
  Case c = *NewCase(Rules(), "C-1", "test", opened, choice);
  Date d = opened;
  const std::map<State, std::vector<EventKind>> paths = Paths();
  for (EventKind k : paths.at(s)) {
    d = d.AddDays(StepBefore(k));
    Event e = Make(k, d);
    if (k == E::kMitigationMeasure) e.measure = "M1";
    Status st = Apply(Rules(), c, e);
    EXPECT_TRUE(st.ok()) << StateName(s) << " path: " << st.ToString();
  }
  EXPECT_EQ(CurrentState(c), s);
  return c;
}

// The allowed set of each state, as documented in docs/cases.md.
std::vector<std::string> Names(const std::vector<EventKind>& kinds) {
  std::vector<std::string> out;
  for (EventKind k : kinds) out.emplace_back(EventKindName(k));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CaseStateMachine, AllowedSetsPerState) {
  std::map<State, std::vector<std::string>> want = {
      {State::kOpened,
       {"criteria-not-met", "note", "referral-accepted", "referral-rejected", "review-initiated"}},
      {State::kAccepted, {"criteria-not-met", "id-noticed", "information-requested", "note"}},
      {State::kInformationRequested,
       {"criteria-not-met", "id-noticed", "information-requested", "note"}},
      {State::kIdNoticed, {"criteria-not-met", "id-noticed", "id-served", "note"}},
      {State::kIdServed,
       {"fd-extended", "information-requested", "note", "response-received",
        "response-window-lapsed"}},
      {State::kResponseReceived,
       {"fd-extended", "information-requested", "note", "proposed-fd-noticed",
        "response-received"}},
      {State::kResponseLapsed,
       {"fd-extended", "fd-mitigation", "fd-not-prohibited", "fd-prohibited",
        "information-requested", "note", "proposed-fd-noticed"}},
      {State::kProposedFdNoticed,
       {"agencies-concurred", "agency-objected", "concurrence-presumed", "fd-extended",
        "information-requested", "note", "proposed-fd-noticed"}},
      {State::kObjection,
       {"agencies-concurred", "fd-extended", "information-requested", "note", "president-directed",
        "proposed-fd-noticed"}},
      {State::kConcurred,
       {"fd-extended", "fd-mitigation", "fd-not-prohibited", "fd-prohibited",
        "information-requested", "note"}},
      {State::kFdProhibited, {"close", "note"}},
      {State::kFdNotProhibited, {"close", "note"}},
      {State::kFdMitigation, {"close", "mitigation-measure", "mitigation-status", "note"}},
      {State::kClosed, {"note"}},
  };
  for (const auto& [state, names] : want) {
    EXPECT_EQ(Names(AllowedEvents(state)), names) << StateName(state);
  }
}

// Every event kind in every state, under both versions: allowed ones apply
// (except the two version-gated moves), all others are refused with a
// message naming the state and the allowed events.
TEST(CaseStateMachine, EveryTransitionAllowedOrRefused) {
  for (RuleChoice choice : {RuleChoice::kInterim, RuleChoice::kFinal}) {
    for (const auto& [state, path] : Paths()) {
      Case base = Reach(state, choice, D("2025-03-03"));
      std::vector<EventKind> allowed = AllowedEvents(state);
      for (EventKind k : AllEventKinds()) {
        SCOPED_TRACE(std::string(RuleChoiceName(choice)) + " " + std::string(StateName(state)) +
                     " + " + std::string(EventKindName(k)));
        Case c = base;
        Date last = c.events.empty() ? c.opened : c.events.back().date;
        Status s = Apply(Rules(), c, Make(k, last.AddDays(StepBefore(k))));
        bool in_table = std::find(allowed.begin(), allowed.end(), k) != allowed.end();
        bool gated =
            (choice == RuleChoice::kFinal && state == State::kResponseLapsed &&
             (k == E::kFdProhibited || k == E::kFdNotProhibited || k == E::kFdMitigation)) ||
            (choice == RuleChoice::kInterim && k == E::kConcurrencePresumed);
        if (in_table && !gated) {
          EXPECT_TRUE(s.ok()) << s.ToString();
          EXPECT_EQ(c.events.size(), base.events.size() + 1);
          EXPECT_EQ(c.events.back().seq, static_cast<int64_t>(c.events.size()));
        } else {
          EXPECT_FALSE(s.ok());
          EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
          EXPECT_EQ(c.events.size(), base.events.size());
          if (!in_table) {
            EXPECT_NE(s.message().find("is in state '" + std::string(StateName(state)) + "'"),
                      std::string::npos)
                << s.message();
            for (EventKind a : allowed) {
              EXPECT_NE(s.message().find(std::string(EventKindName(a))), std::string::npos)
                  << s.message();
            }
          }
        }
      }
    }
  }
}

TEST(CaseStateMachine, RefusalMessage) {
  Case c = Reach(State::kIdNoticed, RuleChoice::kFinal, D("2025-03-03"));
  Status s = Apply(Rules(), c, Make(E::kResponseReceived, D("2025-06-01")));
  EXPECT_EQ(s.message(),
            "case C-1 is in state 'id-noticed'; event 'response-received' is not allowed there "
            "(allowed: id-noticed, criteria-not-met, id-served, note)");
}

TEST(CaseStateMachine, DatesInOrder) {
  Case c = *NewCase(Rules(), "C-2", "t", D("2025-03-03"), RuleChoice::kAuto);
  Status s = Apply(Rules(), c, Make(E::kReviewInitiated, D("2025-03-02")));
  EXPECT_NE(s.message().find("before the case was opened (2025-03-03)"), std::string::npos)
      << s.message();
  ASSERT_TRUE(Apply(Rules(), c, Make(E::kReviewInitiated, D("2025-03-10"))).ok());
  s = Apply(Rules(), c, Make(E::kInformationRequested, D("2025-03-09")));
  EXPECT_NE(s.message().find("before the previous event (#1 review-initiated on 2025-03-10)"),
            std::string::npos)
      << s.message();
  EXPECT_TRUE(Apply(Rules(), c, Make(E::kInformationRequested, D("2025-03-10"))).ok());
}

TEST(CaseStateMachine, FieldChecks) {
  Case c = Reach(State::kIdServed, RuleChoice::kFinal, D("2025-03-03"));
  Date d = c.events.back().date;
  Event e = Make(E::kFdExtended, d);
  e.due.reset();
  EXPECT_NE(Apply(Rules(), c, e).message().find("due"), std::string::npos);
  e.due = d;
  EXPECT_NE(Apply(Rules(), c, e).message().find("must be after"), std::string::npos);
  Event note = Make(E::kNote, d);
  note.due = d;
  EXPECT_FALSE(Apply(Rules(), c, note).ok());
  note.due.reset();
  note.attachments.push_back({"ABC", "x.pdf", 3});
  EXPECT_NE(Apply(Rules(), c, note).message().find("64 lower-case hex"), std::string::npos);
  note.attachments[0].sha256 = std::string(64, 'a');
  note.attachments[0].name = "dir/x.pdf";
  EXPECT_FALSE(Apply(Rules(), c, note).ok());
  note.attachments[0].name = "x.pdf";
  EXPECT_TRUE(Apply(Rules(), c, note).ok());
}

TEST(CaseStateMachine, MitigationMeasures) {
  Case c = Reach(State::kConcurred, RuleChoice::kFinal, D("2025-03-03"));
  Date d = c.events.back().date.AddDays(1);
  ASSERT_TRUE(Apply(Rules(), c, Make(E::kFdMitigation, d)).ok());
  Event m = Make(E::kMitigationMeasure, d);
  m.measure = "audit";
  m.note = "independent audit";
  ASSERT_TRUE(Apply(Rules(), c, m).ok());
  EXPECT_NE(Apply(Rules(), c, m).message().find("already exists"), std::string::npos);
  Event st = Make(E::kMitigationStatus, d);
  st.measure = "nope";
  EXPECT_EQ(Apply(Rules(), c, st).code(), StatusCode::kNotFound);
  st.measure = "audit";
  st.status = "finished";
  EXPECT_NE(Apply(Rules(), c, st).message().find("open, done, waived or breached"),
            std::string::npos);
  st.status = "breached";
  ASSERT_TRUE(Apply(Rules(), c, st).ok());
  EXPECT_NE(Apply(Rules(), c, Make(E::kClose, d)).message().find("'audit' is breached"),
            std::string::npos);
  std::vector<Deadline> all = Deadlines(Rules(), c);
  auto it = std::find_if(all.begin(), all.end(),
                         [](const Deadline& x) { return x.id == "mitigation/audit"; });
  ASSERT_NE(it, all.end());
  EXPECT_EQ(it->status, DeadlineStatus::kMissed);
  EXPECT_NE(it->what.find("independent audit"), std::string::npos);
  st.status = "waived";
  ASSERT_TRUE(Apply(Rules(), c, st).ok());
  EXPECT_TRUE(Apply(Rules(), c, Make(E::kClose, d)).ok());
  EXPECT_EQ(CurrentState(c), State::kClosed);
}

TEST(CaseNew, AutoNeedsARuleVersion) {
  auto bad = NewCase(Rules(), "C", "t", D("2021-03-21"), RuleChoice::kAuto);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("2021-03-22"), std::string::npos);
  EXPECT_TRUE(NewCase(Rules(), "C", "t", D("2021-03-22"), RuleChoice::kAuto).ok());
  EXPECT_TRUE(NewCase(Rules(), "C", "t", D("2021-03-21"), RuleChoice::kInterim).ok());
  EXPECT_FALSE(NewCase(Rules(), "", "t", D("2025-03-21"), RuleChoice::kAuto).ok());
  EXPECT_FALSE(NewCase(Rules(), "C", "", D("2025-03-21"), RuleChoice::kAuto).ok());
  EXPECT_FALSE(ParseRuleChoice("latest").ok());
}

TEST(CaseNew, ClosedCaseMakesOpenDeadlinesMoot) {
  Case c = *NewCase(Rules(), "C", "t", D("2024-05-01"), RuleChoice::kAuto);
  ASSERT_TRUE(Apply(Rules(), c, Make(E::kReferralAccepted, D("2024-05-01"))).ok());
  ASSERT_TRUE(Apply(Rules(), c, Make(E::kCriteriaNotMet, D("2024-06-01"))).ok());
  std::vector<Deadline> all = Deadlines(Rules(), c);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, "interim/final-determination");
  EXPECT_EQ(all[0].status, DeadlineStatus::kMoot);
  EXPECT_TRUE(Due(Rules(), c, D("2024-10-01"), 365).empty());
}

TEST(CaseJson, RoundTripAndReplay) {
  Case c = Reach(State::kFdMitigation, RuleChoice::kAuto, D("2025-03-03"));
  c.parties = {"Acme Corp", "Vendor Ltd"};
  c.subpart = "d";
  c.transaction_date = D("2025-04-01");
  Event n = Make(E::kNote, c.events.back().date);
  n.actor = "reviewer@example.org";
  n.note = "memo";
  n.attachments.push_back({std::string(64, 'b'), "memo.pdf", 1234});
  n.parties = {"Acme Corp"};
  n.determinations = {"det-42"};
  ASSERT_TRUE(Apply(Rules(), c, n).ok());

  auto header = CaseHeaderFromJson(CaseHeaderToJson(c));
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  std::vector<Event> events;
  for (const Event& e : c.events) {
    auto back = EventFromJson(EventToJson(e));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    events.push_back(*back);
  }
  auto replayed = Replay(Rules(), *header, events);
  ASSERT_TRUE(replayed.ok()) << replayed.status().ToString();
  EXPECT_EQ(CaseToJson(Rules(), *replayed).dump(), CaseToJson(Rules(), c).dump());
  nlohmann::json j = CaseToJson(Rules(), c);
  EXPECT_EQ(j["state"], "fd-mitigation");
  EXPECT_EQ(j["rule_version_at_opening"], "final");
  EXPECT_EQ(j["events"].back()["attachments"][0]["name"], "memo.pdf");
  EXPECT_EQ(j["events"].back()["determinations"][0], "det-42");

  // A stored event that breaks the rules is reported with its number.
  events[2].date = events[1].date;  // id-served on the day of the notice.
  auto bad = Replay(Rules(), *header, events);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("case C-1 event #3"), std::string::npos)
      << bad.status().message();
}

TEST(CaseJson, StrictReading) {
  EXPECT_FALSE(EventFromJson(nlohmann::json{{"kind", "note"}}).ok());
  EXPECT_FALSE(EventFromJson(nlohmann::json{{"kind", "nope"}, {"date", "2025-01-01"}}).ok());
  EXPECT_FALSE(
      EventFromJson(nlohmann::json{{"kind", "note"}, {"date", "2025-01-01"}, {"x", 1}}).ok());
  EXPECT_FALSE(EventFromJson(nlohmann::json{{"kind", "note"}, {"date", "2025-13-01"}}).ok());
  EXPECT_FALSE(CaseHeaderFromJson(nlohmann::json{{"id", "C"}, {"title", "t"}}).ok());
  EXPECT_FALSE(
      CaseHeaderFromJson(
          nlohmann::json{{"id", "C"}, {"title", "t"}, {"opened", "2025-01-01"}, {"subpart", "e"}})
          .ok());
}

}  // namespace
}  // namespace icts::cases
