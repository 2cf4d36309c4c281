// The review case of 15 CFR part 791 Subpart B: a state machine over dated
// events, and the deadlines that follow from the dates entered.
//
// A Case is its header (id, title, opening date, rule-version choice) plus
// the ordered list of its events; its state is what the events lead to
// (CurrentState()). Apply() checks one new event against the state machine
// and the deadline rules and appends it, or returns an error that names the
// current state and the events allowed in it. Deadlines() derives every
// deadline from the events; Due() lists those falling due by a date.
//
// The deadline numbers are data (rules/cases/deadlines.yaml, read by
// ParseDeadlineRules(); the shipped file is built in: ShippedDeadlineRules()),
// each with its citation and verification tag. Everything here is pure: no
// I/O and no clock; "today" is always an argument.
//
// Thread safety: the functions are reentrant; a Case or DeadlineRules being
// modified needs external synchronisation.
#ifndef ICTS_CASES_CASE_H_
#define ICTS_CASES_CASE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"

namespace icts::cases {

// The Subpart A/B rule versions: the interim final rule (to 2025-02-03) and
// the final rule (from 2025-02-04). The dates come from the rule file.
enum class RuleVersion : uint8_t { kInterim, kFinal };
std::string_view RuleVersionName(RuleVersion v);  // "interim", "final"

// How a case picks its rule version: `kAuto` by the dates of its events (see
// rules/cases/deadlines.yaml), or pinned to one version.
enum class RuleChoice : uint8_t { kAuto, kInterim, kFinal };
std::string_view RuleChoiceName(RuleChoice c);  // "auto", "interim", "final"
Result<RuleChoice> ParseRuleChoice(std::string_view text);

enum class State : uint8_t {
  kOpened,                // Case opened (referral received, or review considered).
  kAccepted,              // Referral accepted / review initiated (791.103(a)).
  kInformationRequested,  // Information demanded (791.101, 791.103(b)).
  kIdNoticed,          // Proposed initial determination noticed to agencies (791.104/.105(b)(2)).
  kIdServed,           // Initial determination served on the parties (791.105).
  kResponseReceived,   // A party responded (791.107).
  kResponseLapsed,     // The response window ran out without a response.
  kProposedFdNoticed,  // Proposed final determination noticed to agencies (791.108).
  kObjection,          // An agency objected.
  kConcurred,          // Agencies concurred (explicitly, presumed, or by direction).
  kFdProhibited,       // Final determination: prohibited (791.109(a)).
  kFdNotProhibited,    // Final determination: not prohibited.
  kFdMitigation,       // Final determination: permitted with mitigation.
  kClosed,
};
std::string_view StateName(State s);  // kebab-case: "id-served", ...

enum class EventKind : uint8_t {
  kReferralAccepted,
  kReviewInitiated,
  kReferralRejected,
  kInformationRequested,
  kIdNoticed,
  kCriteriaNotMet,
  kIdServed,
  kResponseReceived,
  kResponseWindowLapsed,
  kProposedFdNoticed,
  kAgenciesConcurred,
  kAgencyObjected,
  kConcurrencePresumed,
  kPresidentDirected,
  kFdExtended,
  kFdProhibited,
  kFdNotProhibited,
  kFdMitigation,
  kMitigationMeasure,
  kMitigationStatus,
  kNote,
  kClose,
};
std::string_view EventKindName(EventKind k);  // kebab-case: "id-served", ...
Result<EventKind> ParseEventKind(std::string_view text);
const std::vector<EventKind>& AllEventKinds();

// A file attached to an event, kept by its content hash.
struct Attachment {
  std::string sha256;  // 64 lower-case hex digits.
  std::string name;    // File name as given (no folders).
  uint64_t size = 0;
};

struct Event {
  int64_t seq = 0;  // 1-based position in the case, set by Apply().
  EventKind kind = EventKind::kNote;
  Date date;
  std::string actor;
  std::string note;
  std::vector<Attachment> attachments;
  std::vector<std::string> parties;         // Party names or ids the event concerns.
  std::vector<std::string> determinations;  // Linked determination ids.
  // fd-extended: the new final-determination date; mitigation-measure: the
  // measure's due date.
  std::optional<Date> due;
  std::string measure;  // mitigation-measure / mitigation-status: the measure id.
  std::string status;   // mitigation-status: open | done | waived | breached.
};

struct Case {
  std::string id;
  std::string title;
  Date opened;
  RuleChoice rule_choice = RuleChoice::kAuto;
  std::vector<std::string> parties;
  // "ab" (Subparts A/B review, the default) or "d" (the transaction is a
  // connected-vehicle transaction under Subpart D; 791.312 retention).
  std::string subpart = "ab";
  std::optional<Date> transaction_date;  // The transaction under review.
  std::vector<Event> events;             // In seq order.
};

// ---- Deadline rules (rules/cases/deadlines.yaml) ----

struct Citation {
  std::string text;
  std::string url;
  char verification = 'M';  // V, S or M (REGULATION.md §0).
};

struct VersionPeriod {
  RuleVersion version = RuleVersion::kInterim;
  std::string title;
  std::optional<Date> from, to;  // Inclusive.
  Citation citation;
};

enum class DeadlineKind : uint8_t { kNotBefore, kDue, kRetainUntil };
std::string_view DeadlineKindName(DeadlineKind k);  // "not-before", "due", "retain-until"

struct DeadlineRule {
  std::string id;
  std::string what;
  std::optional<RuleVersion> version;  // nullopt: any version.
  std::optional<Date> from, to;        // The provision's own dates.
  std::string subpart;                 // "" (any) or "d".
  DeadlineKind kind = DeadlineKind::kDue;
  std::vector<EventKind> start;
  bool start_transaction = false;  // Starts at the case's transaction date.
  bool first_occurrence = false;
  int days = 0;
  int years = 0;
  std::vector<EventKind> closes_with;
  bool refuse_late = false;
  std::vector<EventKind> after_end;
  std::optional<EventKind> extended_by;
  std::vector<EventKind> void_if;
  Citation citation;
  int line = 0;  // In the rule file, for messages.
};

struct DeadlineRules {
  std::string id;
  std::string title;
  std::string file;
  std::vector<VersionPeriod> versions;
  std::vector<DeadlineRule> rules;

  // The version in force on `date`, or nullopt before the interim rule.
  std::optional<RuleVersion> VersionOn(Date date) const;
  const VersionPeriod* Period(RuleVersion v) const;
};

// Parses a rule file. Unknown keys, bad dates, unknown event kinds, a
// missing citation or verification tag are errors naming `file`:line.
Result<DeadlineRules> ParseDeadlineRules(std::string_view yaml, const std::string& file);
// The shipped rules/cases/deadlines.yaml, built into the library. The
// result is parsed once and lives for the program.
Result<const DeadlineRules*> ShippedDeadlineRules();
// The text of the shipped file.
std::string_view ShippedDeadlineRulesText();

// ---- Cases ----

// A new case with no events. Under RuleChoice::kAuto the opening date must
// fall in a rule version's period. `id` and `title` must not be empty.
Result<Case> NewCase(const DeadlineRules& rules, std::string id, std::string title, Date opened,
                     RuleChoice choice);

// The state the case's events lead to (kOpened with no events).
State CurrentState(const Case& c);

// The rule version governing an act on `date` in `c` (pinned, or in force
// on the date), or nullopt under kAuto before the interim rule.
std::optional<RuleVersion> VersionFor(const DeadlineRules& rules, const Case& c, Date date);

// Event kinds allowed in state `s` (before date and deadline checks).
std::vector<EventKind> AllowedEvents(State s);

// Checks `e` against the case and appends it with the next seq. Errors
// (the case is unchanged): an event not allowed in the current state (the
// message names the state and the allowed events), a date before the
// opening or the previous event, a bar or window of a deadline rule (the
// message names the date allowed and the citation), or missing or bad
// fields (fd-extended and mitigation-measure need `due`; mitigation events
// need `measure`; bad attachment hashes).
Status Apply(const DeadlineRules& rules, Case& c, Event e);

// Rebuilds a case from stored events, checking each with Apply() in order.
Result<Case> Replay(const DeadlineRules& rules, Case header, std::vector<Event> events);

// ---- Deadlines ----

enum class DeadlineStatus : uint8_t {
  kOpen,    // Not yet met; see the date.
  kMet,     // Met on time (`met_on`).
  kMissed,  // Met late, or a mitigation measure breached.
  kEnded,   // The period ran out and that was recorded (e.g. concurrence presumed).
  kMoot,    // The case moved on or closed without it; or voided.
  kRetain,  // A retention period (runs to the date).
};
std::string_view DeadlineStatusName(DeadlineStatus s);

struct Deadline {
  std::string id;  // Rule id, or "mitigation/<measure>".
  std::string what;
  DeadlineKind kind = DeadlineKind::kDue;
  Date date;                           // Due date, earliest date (not-before) or retain-until date.
  std::optional<RuleVersion> version;  // nullopt for `any` and mitigation measures.
  Citation citation;
  std::string start_event;  // Event kind (or "transaction") that started it.
  int64_t start_seq = 0;    // 0 for the transaction date.
  Date start_date;
  bool extended = false;  // The date comes from an extension.
  DeadlineStatus status = DeadlineStatus::kOpen;
  std::optional<Date> met_on;
  // Set when the governing version is no longer in force on `date` (a
  // period started under the interim rule that runs past 2025-02-03).
  std::string note;
};

// Every deadline of the case, in date order.
std::vector<Deadline> Deadlines(const DeadlineRules& rules, const Case& c);

struct DueItem {
  Deadline deadline;
  int32_t days_left = 0;  // date - today; negative when overdue.
  bool overdue = false;
};

// What falls due by `today` + `horizon_days`: open deadlines (overdue ones
// included), bars that lift within the horizon, and retention periods that
// end within it. In date order.
std::vector<DueItem> Due(const DeadlineRules& rules, const Case& c, Date today, int horizon_days);

}  // namespace icts::cases

#endif  // ICTS_CASES_CASE_H_
