#include "cases/case.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace icts::cases {

namespace {

struct KindName {
  EventKind kind;
  std::string_view name;
};

constexpr KindName kKindNames[] = {
    {EventKind::kReferralAccepted, "referral-accepted"},
    {EventKind::kReviewInitiated, "review-initiated"},
    {EventKind::kReferralRejected, "referral-rejected"},
    {EventKind::kInformationRequested, "information-requested"},
    {EventKind::kIdNoticed, "id-noticed"},
    {EventKind::kCriteriaNotMet, "criteria-not-met"},
    {EventKind::kIdServed, "id-served"},
    {EventKind::kResponseReceived, "response-received"},
    {EventKind::kResponseWindowLapsed, "response-window-lapsed"},
    {EventKind::kProposedFdNoticed, "proposed-fd-noticed"},
    {EventKind::kAgenciesConcurred, "agencies-concurred"},
    {EventKind::kAgencyObjected, "agency-objected"},
    {EventKind::kConcurrencePresumed, "concurrence-presumed"},
    {EventKind::kPresidentDirected, "president-directed"},
    {EventKind::kFdExtended, "fd-extended"},
    {EventKind::kFdProhibited, "fd-prohibited"},
    {EventKind::kFdNotProhibited, "fd-not-prohibited"},
    {EventKind::kFdMitigation, "fd-mitigation"},
    {EventKind::kMitigationMeasure, "mitigation-measure"},
    {EventKind::kMitigationStatus, "mitigation-status"},
    {EventKind::kNote, "note"},
    {EventKind::kClose, "close"},
};

// One allowed move: in `from`, event `kind` leads to `to`. `interim_only`
// marks 15 CFR 791.107(f) (interim): with no response in the window, the
// final determination may be issued without the 791.108 consultation.
struct Transition {
  State from;
  EventKind kind;
  State to;
  bool interim_only = false;
};

using S = State;
using E = EventKind;

// States between the initial determination's notice and the final
// determination, in which a further information demand (791.101: "before,
// during, or after" the transaction) or an extension leaves the state as is.
constexpr State kInReview[] = {S::kIdNoticed,      S::kIdServed,          S::kResponseReceived,
                               S::kResponseLapsed, S::kProposedFdNoticed, S::kObjection,
                               S::kConcurred};

std::vector<Transition> BuildTransitions() {
  std::vector<Transition> t = {
      {S::kOpened, E::kReferralAccepted, S::kAccepted},
      {S::kOpened, E::kReviewInitiated, S::kAccepted},
      {S::kOpened, E::kReferralRejected, S::kClosed},
      {S::kOpened, E::kCriteriaNotMet, S::kClosed},
      {S::kAccepted, E::kInformationRequested, S::kInformationRequested},
      {S::kAccepted, E::kIdNoticed, S::kIdNoticed},
      {S::kAccepted, E::kCriteriaNotMet, S::kClosed},
      {S::kInformationRequested, E::kInformationRequested, S::kInformationRequested},
      {S::kInformationRequested, E::kIdNoticed, S::kIdNoticed},
      {S::kInformationRequested, E::kCriteriaNotMet, S::kClosed},
      {S::kIdNoticed, E::kIdNoticed, S::kIdNoticed},
      {S::kIdNoticed, E::kIdServed, S::kIdServed},
      {S::kIdNoticed, E::kCriteriaNotMet, S::kClosed},
      {S::kIdServed, E::kResponseReceived, S::kResponseReceived},
      {S::kIdServed, E::kResponseWindowLapsed, S::kResponseLapsed},
      {S::kResponseReceived, E::kResponseReceived, S::kResponseReceived},
      {S::kResponseReceived, E::kProposedFdNoticed, S::kProposedFdNoticed},
      {S::kResponseLapsed, E::kProposedFdNoticed, S::kProposedFdNoticed},
      {S::kResponseLapsed, E::kFdProhibited, S::kFdProhibited, true},
      {S::kResponseLapsed, E::kFdNotProhibited, S::kFdNotProhibited, true},
      {S::kResponseLapsed, E::kFdMitigation, S::kFdMitigation, true},
      {S::kProposedFdNoticed, E::kProposedFdNoticed, S::kProposedFdNoticed},
      {S::kProposedFdNoticed, E::kAgenciesConcurred, S::kConcurred},
      {S::kProposedFdNoticed, E::kAgencyObjected, S::kObjection},
      {S::kProposedFdNoticed, E::kConcurrencePresumed, S::kConcurred},
      {S::kObjection, E::kProposedFdNoticed, S::kProposedFdNoticed},
      {S::kObjection, E::kAgenciesConcurred, S::kConcurred},
      {S::kObjection, E::kPresidentDirected, S::kConcurred},
      {S::kConcurred, E::kFdProhibited, S::kFdProhibited},
      {S::kConcurred, E::kFdNotProhibited, S::kFdNotProhibited},
      {S::kConcurred, E::kFdMitigation, S::kFdMitigation},
      {S::kFdProhibited, E::kClose, S::kClosed},
      {S::kFdNotProhibited, E::kClose, S::kClosed},
      {S::kFdMitigation, E::kMitigationMeasure, S::kFdMitigation},
      {S::kFdMitigation, E::kMitigationStatus, S::kFdMitigation},
      {S::kFdMitigation, E::kClose, S::kClosed},
  };
  for (State s : kInReview) {
    if (s != S::kIdNoticed) t.push_back({s, E::kInformationRequested, s});
    if (s != S::kIdNoticed) t.push_back({s, E::kFdExtended, s});
  }
  for (State s :
       {S::kOpened, S::kAccepted, S::kInformationRequested, S::kIdNoticed, S::kIdServed,
        S::kResponseReceived, S::kResponseLapsed, S::kProposedFdNoticed, S::kObjection,
        S::kConcurred, S::kFdProhibited, S::kFdNotProhibited, S::kFdMitigation, S::kClosed}) {
    t.push_back({s, E::kNote, s});
  }
  return t;
}

const std::vector<Transition>& Transitions() {
  static const std::vector<Transition> t = BuildTransitions();
  return t;
}

const Transition* FindTransition(State from, EventKind kind) {
  for (const Transition& t : Transitions()) {
    if (t.from == from && t.kind == kind) return &t;
  }
  return nullptr;
}

bool Contains(const std::vector<EventKind>& v, EventKind k) {
  return std::find(v.begin(), v.end(), k) != v.end();
}

bool IsHexDigest(std::string_view s) {
  if (s.size() != 64) return false;
  for (char ch : s) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

std::string VersionLabel(std::optional<RuleVersion> v) {
  return v ? std::string(RuleVersionName(*v)) : std::string("none");
}

// One period or bar of a rule in a case: where it starts and its date.
struct Instance {
  std::string start_name;
  int64_t start_seq = 0;
  Date start;
  Date date;
  bool extended = false;
  const Event* closer = nullptr;  // First closes_with event after the start.
  const Event* ender = nullptr;   // First after_end event after the start.
  const Event* voider = nullptr;  // First void_if event after the start, on or before the date.
};

std::optional<Instance> FindInstance(const DeadlineRule& r, const Case& c) {
  Instance in;
  if (r.start_transaction) {
    if (!c.transaction_date) return std::nullopt;
    in.start_name = "transaction";
    in.start = *c.transaction_date;
  } else {
    const Event* found = nullptr;
    for (const Event& e : c.events) {
      if (!Contains(r.start, e.kind)) continue;
      found = &e;
      if (r.first_occurrence) break;
    }
    if (!found) return std::nullopt;
    in.start_name = std::string(EventKindName(found->kind));
    in.start_seq = found->seq;
    in.start = found->date;
  }
  in.date = r.years > 0 ? in.start.AddYears(r.years) : in.start.AddDays(r.days);
  for (const Event& e : c.events) {
    if (e.seq <= in.start_seq) continue;
    if (r.extended_by && e.kind == *r.extended_by && e.due) {
      in.date = *e.due;
      in.extended = true;
    }
  }
  for (const Event& e : c.events) {
    if (e.seq <= in.start_seq) continue;
    if (!in.closer && Contains(r.closes_with, e.kind)) in.closer = &e;
    if (!in.ender && Contains(r.after_end, e.kind)) in.ender = &e;
    if (!in.voider && Contains(r.void_if, e.kind) && e.date <= in.date) in.voider = &e;
  }
  return in;
}

// Whether rule `r` governs `c` when judged on `date` (see deadlines.yaml:
// a period by its start date, a bar by the date of the act it bars).
bool Applies(const DeadlineRules& rules, const DeadlineRule& r, const Case& c, Date date) {
  if (!r.subpart.empty() && r.subpart != c.subpart) return false;
  if (r.from && date < *r.from) return false;
  if (r.to && date > *r.to) return false;
  if (!r.version) return true;
  std::optional<RuleVersion> v = VersionFor(rules, c, date);
  return v && *v == *r.version;
}

// The date a rule instance is judged on when no act is at hand.
Date GoverningDate(const DeadlineRule& r, const Instance& in) {
  if (r.kind == DeadlineKind::kNotBefore) {
    if (in.closer) return in.closer->date;
    return in.date.AddDays(-1);  // The last day the bar holds.
  }
  return in.start;
}

std::string Cite(const Citation& c) { return fmt::format("{} [{}]", c.text, c.verification); }

Status CheckFields(const Case& c, const Event& e) {
  for (const Attachment& a : e.attachments) {
    if (!IsHexDigest(a.sha256)) {
      return InvalidArgumentError(
          fmt::format("attachment '{}': sha256 must be 64 lower-case hex digits", a.name));
    }
    if (a.name.empty() || a.name.find('/') != std::string::npos) {
      return InvalidArgumentError("attachment: a file name without folders is required");
    }
  }
  switch (e.kind) {
    case E::kFdExtended:
      if (!e.due) {
        return InvalidArgumentError(
            "fd-extended: the new final-determination date (due) is required");
      }
      if (*e.due <= e.date) {
        return InvalidArgumentError(
            fmt::format("fd-extended: the new date {} must be after the event's date {}",
                        e.due->ToIso(), e.date.ToIso()));
      }
      break;
    case E::kMitigationMeasure: {
      if (e.measure.empty()) {
        return InvalidArgumentError("mitigation-measure: a measure id is required");
      }
      if (!e.due) return InvalidArgumentError("mitigation-measure: a due date is required");
      for (const Event& prior : c.events) {
        if (prior.kind == E::kMitigationMeasure && prior.measure == e.measure) {
          return InvalidArgumentError(fmt::format(
              "mitigation-measure: measure '{}' already exists (event #{})", e.measure, prior.seq));
        }
      }
      break;
    }
    case E::kMitigationStatus: {
      if (e.measure.empty()) {
        return InvalidArgumentError("mitigation-status: a measure id is required");
      }
      if (e.status != "open" && e.status != "done" && e.status != "waived" &&
          e.status != "breached") {
        return InvalidArgumentError(fmt::format(
            "mitigation-status: status '{}' must be open, done, waived or breached", e.status));
      }
      bool known = false;
      for (const Event& prior : c.events) {
        known = known || (prior.kind == E::kMitigationMeasure && prior.measure == e.measure);
      }
      if (!known) {
        return NotFoundError(
            fmt::format("mitigation-status: no measure '{}' in case {}", e.measure, c.id));
      }
      break;
    }
    default:
      if (e.due) {
        return InvalidArgumentError(
            fmt::format("{}: a due date is only taken by fd-extended and mitigation-measure",
                        EventKindName(e.kind)));
      }
      if (!e.measure.empty() || !e.status.empty()) {
        return InvalidArgumentError(fmt::format(
            "{}: measure and status are only taken by mitigation events", EventKindName(e.kind)));
      }
  }
  return Status::Ok();
}

// The latest status of each mitigation measure: open unless set.
std::string MeasureStatus(const Case& c, const std::string& measure, const Event** when) {
  std::string status = "open";
  *when = nullptr;
  for (const Event& e : c.events) {
    if (e.kind == E::kMitigationStatus && e.measure == measure) {
      status = e.status;
      *when = &e;
    }
  }
  return status;
}

}  // namespace

std::string_view RuleVersionName(RuleVersion v) {
  return v == RuleVersion::kInterim ? "interim" : "final";
}

std::string_view RuleChoiceName(RuleChoice c) {
  switch (c) {
    case RuleChoice::kAuto:
      return "auto";
    case RuleChoice::kInterim:
      return "interim";
    case RuleChoice::kFinal:
      return "final";
  }
  return "auto";
}

Result<RuleChoice> ParseRuleChoice(std::string_view text) {
  if (text == "auto") return RuleChoice::kAuto;
  if (text == "interim") return RuleChoice::kInterim;
  if (text == "final") return RuleChoice::kFinal;
  return InvalidArgumentError(
      fmt::format("rule version '{}': expected auto, interim or final", text));
}

std::string_view StateName(State s) {
  switch (s) {
    case S::kOpened:
      return "opened";
    case S::kAccepted:
      return "accepted";
    case S::kInformationRequested:
      return "information-requested";
    case S::kIdNoticed:
      return "id-noticed";
    case S::kIdServed:
      return "id-served";
    case S::kResponseReceived:
      return "response-received";
    case S::kResponseLapsed:
      return "response-lapsed";
    case S::kProposedFdNoticed:
      return "proposed-fd-noticed";
    case S::kObjection:
      return "objection";
    case S::kConcurred:
      return "concurred";
    case S::kFdProhibited:
      return "fd-prohibited";
    case S::kFdNotProhibited:
      return "fd-not-prohibited";
    case S::kFdMitigation:
      return "fd-mitigation";
    case S::kClosed:
      return "closed";
  }
  return "opened";
}

std::string_view EventKindName(EventKind k) {
  for (const KindName& kn : kKindNames) {
    if (kn.kind == k) return kn.name;
  }
  return "note";
}

Result<EventKind> ParseEventKind(std::string_view text) {
  for (const KindName& kn : kKindNames) {
    if (kn.name == text) return kn.kind;
  }
  std::string list;
  for (const KindName& kn : kKindNames) {
    list += (list.empty() ? "" : ", ") + std::string(kn.name);
  }
  return InvalidArgumentError(
      fmt::format("unknown event kind '{}' (expected one of: {})", text, list));
}

const std::vector<EventKind>& AllEventKinds() {
  static const std::vector<EventKind> all = [] {
    std::vector<EventKind> v;
    for (const KindName& kn : kKindNames) v.push_back(kn.kind);
    return v;
  }();
  return all;
}

std::string_view DeadlineKindName(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kNotBefore:
      return "not-before";
    case DeadlineKind::kDue:
      return "due";
    case DeadlineKind::kRetainUntil:
      return "retain-until";
  }
  return "due";
}

std::string_view DeadlineStatusName(DeadlineStatus s) {
  switch (s) {
    case DeadlineStatus::kOpen:
      return "open";
    case DeadlineStatus::kMet:
      return "met";
    case DeadlineStatus::kMissed:
      return "missed";
    case DeadlineStatus::kEnded:
      return "ended";
    case DeadlineStatus::kMoot:
      return "moot";
    case DeadlineStatus::kRetain:
      return "retain";
  }
  return "open";
}

Result<Case> NewCase(const DeadlineRules& rules, std::string id, std::string title, Date opened,
                     RuleChoice choice) {
  if (id.empty()) return InvalidArgumentError("a case needs an id");
  if (title.empty()) return InvalidArgumentError("a case needs a title");
  if (choice == RuleChoice::kAuto && !rules.VersionOn(opened)) {
    return InvalidArgumentError(
        fmt::format("no rule version is in force on {} (the interim rule took effect on {}); "
                    "pin one with --rule-version interim|final",
                    opened.ToIso(),
                    rules.Period(RuleVersion::kInterim) && rules.Period(RuleVersion::kInterim)->from
                        ? rules.Period(RuleVersion::kInterim)->from->ToIso()
                        : std::string("?")));
  }
  Case c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.opened = opened;
  c.rule_choice = choice;
  return c;
}

State CurrentState(const Case& c) {
  State s = S::kOpened;
  for (const Event& e : c.events) {
    if (const Transition* t = FindTransition(s, e.kind)) s = t->to;
  }
  return s;
}

std::optional<RuleVersion> VersionFor(const DeadlineRules& rules, const Case& c, Date date) {
  switch (c.rule_choice) {
    case RuleChoice::kInterim:
      return RuleVersion::kInterim;
    case RuleChoice::kFinal:
      return RuleVersion::kFinal;
    case RuleChoice::kAuto:
      return rules.VersionOn(date);
  }
  return std::nullopt;
}

std::vector<EventKind> AllowedEvents(State s) {
  std::vector<EventKind> out;
  for (EventKind k : AllEventKinds()) {
    if (FindTransition(s, k)) out.push_back(k);
  }
  return out;
}

Status Apply(const DeadlineRules& rules, Case& c, Event e) {
  const std::string kind(EventKindName(e.kind));
  State state = CurrentState(c);
  const Transition* t = FindTransition(state, e.kind);
  if (!t) {
    std::string allowed;
    for (EventKind k : AllowedEvents(state)) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(EventKindName(k));
    }
    return FailedPreconditionError(
        fmt::format("case {} is in state '{}'; event '{}' is not allowed there (allowed: {})", c.id,
                    StateName(state), kind, allowed));
  }
  if (e.date < c.opened) {
    return InvalidArgumentError(fmt::format("{} on {}: before the case was opened ({})", kind,
                                            e.date.ToIso(), c.opened.ToIso()));
  }
  if (!c.events.empty() && e.date < c.events.back().date) {
    const Event& last = c.events.back();
    return InvalidArgumentError(fmt::format(
        "{} on {}: before the previous event (#{} {} on {}); events are entered in date order",
        kind, e.date.ToIso(), last.seq, EventKindName(last.kind), last.date.ToIso()));
  }
  ICTS_RETURN_IF_ERROR(CheckFields(c, e));

  std::optional<RuleVersion> version = VersionFor(rules, c, e.date);
  if (t->interim_only && version != RuleVersion::kInterim) {
    return FailedPreconditionError(fmt::format(
        "case {}: {} on {} straight after the response window lapsed is allowed only under the "
        "interim rule (15 CFR 791.107(f)); the {} rule governs on {}, so notice the proposed "
        "final determination to the agency heads first (proposed-fd-noticed, 15 CFR 791.108)",
        c.id, kind, e.date.ToIso(), VersionLabel(version), e.date.ToIso()));
  }
  if (e.kind == E::kClose && state == S::kFdMitigation) {
    for (const Event& m : c.events) {
      if (m.kind != E::kMitigationMeasure) continue;
      const Event* when = nullptr;
      std::string st = MeasureStatus(c, m.measure, &when);
      if (st != "done" && st != "waived") {
        return FailedPreconditionError(fmt::format(
            "case {}: cannot close while mitigation measure '{}' is {} (set it done or waived "
            "with mitigation-status)",
            c.id, m.measure, st));
      }
    }
  }

  // Bars and windows of the deadline rules.
  bool ends_a_period = false;
  bool is_after_end_kind = false;
  for (const DeadlineRule& r : rules.rules) {
    bool closes = Contains(r.closes_with, e.kind);
    bool after = Contains(r.after_end, e.kind);
    is_after_end_kind = is_after_end_kind || after;
    if (!closes && !after) continue;
    std::optional<Instance> in = FindInstance(r, c);
    if (!in || in->closer || in->ender) continue;
    Date judged_on = r.kind == DeadlineKind::kNotBefore ? e.date : in->start;
    if (!Applies(rules, r, c, judged_on)) continue;
    std::string governs = fmt::format(
        "{} rule in force on {}", VersionLabel(VersionFor(rules, c, judged_on)), judged_on.ToIso());
    if (r.kind == DeadlineKind::kNotBefore && closes && e.date < in->date) {
      return FailedPreconditionError(fmt::format(
          "case {}: {} on {} is too early: not before {} ({} after {} on {}; {}: {}; {})", c.id,
          kind, e.date.ToIso(), in->date.ToIso(),
          r.days > 0 ? fmt::format("{} days", r.days) : fmt::format("{} years", r.years),
          in->start_name, in->start.ToIso(), r.id, Cite(r.citation), governs));
    }
    if (r.kind == DeadlineKind::kDue && closes && r.refuse_late && e.date > in->date) {
      return FailedPreconditionError(fmt::format(
          "case {}: {} on {} is too late: the period that started with {} on {} ended on {} "
          "({}: {}; {})",
          c.id, kind, e.date.ToIso(), in->start_name, in->start.ToIso(), in->date.ToIso(), r.id,
          Cite(r.citation), governs));
    }
    if (r.kind == DeadlineKind::kDue && after) {
      if (e.date <= in->date) {
        return FailedPreconditionError(fmt::format(
            "case {}: {} on {} is too early: the period that started with {} on {} runs to {} "
            "inclusive; {} is allowed from {} ({}: {}; {})",
            c.id, kind, e.date.ToIso(), in->start_name, in->start.ToIso(), in->date.ToIso(), kind,
            in->date.AddDays(1).ToIso(), r.id, Cite(r.citation), governs));
      }
      ends_a_period = true;
    }
  }
  if (is_after_end_kind && !ends_a_period) {
    return FailedPreconditionError(fmt::format(
        "case {}: {} on {}: no deadline rule of the {} rule provides it for this case (under the "
        "interim rule agencies reach consensus, 15 CFR 791.108(c)-(d); record agencies-concurred "
        "or president-directed)",
        c.id, kind, e.date.ToIso(), VersionLabel(version)));
  }

  e.seq = c.events.empty() ? 1 : c.events.back().seq + 1;
  c.events.push_back(std::move(e));
  return Status::Ok();
}

Result<Case> Replay(const DeadlineRules& rules, Case header, std::vector<Event> events) {
  header.events.clear();
  for (Event& e : events) {
    int64_t seq = e.seq;
    Status s = Apply(rules, header, std::move(e));
    if (!s.ok()) return s.WithPrefix(fmt::format("case {} event #{}", header.id, seq));
  }
  return header;
}

std::vector<Deadline> Deadlines(const DeadlineRules& rules, const Case& c) {
  std::vector<Deadline> out;
  const bool closed = CurrentState(c) == S::kClosed;
  for (const DeadlineRule& r : rules.rules) {
    std::optional<Instance> in = FindInstance(r, c);
    if (!in) continue;
    if (!Applies(rules, r, c, GoverningDate(r, *in))) continue;
    Deadline d;
    d.id = r.id;
    d.what = r.what;
    d.kind = r.kind;
    d.date = in->date;
    d.version = r.version;
    d.citation = r.citation;
    d.start_event = in->start_name;
    d.start_seq = in->start_seq;
    d.start_date = in->start;
    d.extended = in->extended;
    if (in->voider) {
      d.status = DeadlineStatus::kMoot;
      d.note = fmt::format("superseded by {} on {}", EventKindName(in->voider->kind),
                           in->voider->date.ToIso());
    } else if (r.kind == DeadlineKind::kRetainUntil) {
      d.status = DeadlineStatus::kRetain;
    } else if (in->closer) {
      d.met_on = in->closer->date;
      d.status = r.kind == DeadlineKind::kDue && in->closer->date > in->date
                     ? DeadlineStatus::kMissed
                     : DeadlineStatus::kMet;
    } else if (in->ender) {
      d.status = DeadlineStatus::kEnded;
      d.note = fmt::format("{} on {}", EventKindName(in->ender->kind), in->ender->date.ToIso());
    } else if (closed) {
      d.status = DeadlineStatus::kMoot;
      d.note = "the case is closed";
    }
    if (r.version && c.rule_choice == RuleChoice::kAuto && r.kind != DeadlineKind::kNotBefore &&
        d.status == DeadlineStatus::kOpen) {
      std::optional<RuleVersion> then = rules.VersionOn(d.date);
      if (then != r.version) {
        d.note = fmt::format(
            "started under the {} rule, which is no longer in force on {} (the {} rule is); "
            "kept because the period began under it",
            RuleVersionName(*r.version), d.date.ToIso(), VersionLabel(then));
      }
    }
    out.push_back(std::move(d));
  }
  for (const Event& m : c.events) {
    if (m.kind != E::kMitigationMeasure || !m.due) continue;
    Deadline d;
    d.id = "mitigation/" + m.measure;
    d.what = m.note.empty() ? fmt::format("Mitigation measure {}", m.measure)
                            : fmt::format("Mitigation measure {}: {}", m.measure, m.note);
    d.kind = DeadlineKind::kDue;
    d.date = *m.due;
    d.citation = {fmt::format("due date set by the mitigation terms (case event #{}); the "
                              "final determination describes the mitigation, 15 CFR 791.109(d)",
                              m.seq),
                  "", 'V'};
    d.start_event = "mitigation-measure";
    d.start_seq = m.seq;
    d.start_date = m.date;
    const Event* when = nullptr;
    std::string st = MeasureStatus(c, m.measure, &when);
    if (st == "done") {
      d.met_on = when->date;
      d.status = when->date > d.date ? DeadlineStatus::kMissed : DeadlineStatus::kMet;
    } else if (st == "waived") {
      d.status = DeadlineStatus::kMoot;
      d.note = fmt::format("waived on {}", when->date.ToIso());
    } else if (st == "breached") {
      d.status = DeadlineStatus::kMissed;
      d.note = fmt::format("breached, recorded on {}", when->date.ToIso());
    }
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Deadline& a, const Deadline& b) { return a.date < b.date; });
  return out;
}

std::vector<DueItem> Due(const DeadlineRules& rules, const Case& c, Date today, int horizon_days) {
  std::vector<DueItem> out;
  const Date until = today.AddDays(horizon_days);
  for (Deadline& d : Deadlines(rules, c)) {
    bool take = false;
    switch (d.status) {
      case DeadlineStatus::kOpen:
        take = d.kind == DeadlineKind::kNotBefore ? (d.date > today && d.date <= until)
                                                  : d.date <= until;
        break;
      case DeadlineStatus::kRetain:
        take = d.date >= today && d.date <= until;
        break;
      default:
        break;
    }
    if (!take) continue;
    DueItem item;
    item.days_left = d.date - today;
    item.overdue = d.kind == DeadlineKind::kDue && d.date < today;
    if (item.overdue) {
      for (const DeadlineRule& r : rules.rules) {
        if (r.id != d.id || r.after_end.empty()) continue;
        d.note = fmt::format("the period ran out on {}; record {}", d.date.ToIso(),
                             EventKindName(r.after_end.front()));
      }
    }
    item.deadline = std::move(d);
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace icts::cases
