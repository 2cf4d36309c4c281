#include "store/store.h"

#include <cstdlib>
#include <map>
#include <mutex>

#include "base/strings.h"
#include "store/audit.h"
#include "store/backends.h"

namespace icts::store {
namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, BackendFactory> factories;
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();
  return *registry;
}

template <typename Enum, size_t N>
Result<Enum> ParseName(std::string_view name, const std::pair<Enum, std::string_view> (&table)[N],
                       std::string_view what) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  std::string known;
  for (const auto& [value, text] : table) {
    if (!known.empty()) known += ", ";
    known += text;
  }
  return InvalidArgumentError("unknown " + std::string(what) + " '" + std::string(name) +
                              "' (expected one of: " + known + ")");
}

template <typename Enum, size_t N>
std::string_view NameOf(Enum value, const std::pair<Enum, std::string_view> (&table)[N]) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "?";
}

constexpr std::pair<RecordKind, std::string_view> kRecordKinds[] = {
    {RecordKind::kDetermination, "determination"},
    {RecordKind::kScreening, "screening"},
    {RecordKind::kScan, "scan"},
    {RecordKind::kDecision, "decision"},
    {RecordKind::kCase, "case"},
};
constexpr std::pair<SubjectKind, std::string_view> kSubjectKinds[] = {
    {SubjectKind::kScreeningHit, "hit"},
    {SubjectKind::kFinding, "finding"},
};
constexpr std::pair<DecisionStatus, std::string_view> kDecisionStatuses[] = {
    {DecisionStatus::kFalsePositive, "false-positive"}, {DecisionStatus::kConfirmed, "confirmed"},
    {DecisionStatus::kAcceptedRisk, "accepted-risk"},   {DecisionStatus::kMitigated, "mitigated"},
    {DecisionStatus::kNotApplicable, "not-applicable"}, {DecisionStatus::kRevoked, "revoked"},
};
constexpr std::pair<DecisionState, std::string_view> kDecisionStates[] = {
    {DecisionState::kInForce, "in-force"},
    {DecisionState::kReopened, "reopened"},
    {DecisionState::kExpired, "expired"},
    {DecisionState::kRevoked, "revoked"},
};

}  // namespace

std::string_view RecordKindName(RecordKind kind) { return NameOf(kind, kRecordKinds); }
Result<RecordKind> ParseRecordKind(std::string_view name) {
  return ParseName(name, kRecordKinds, "record kind");
}
std::string_view SubjectKindName(SubjectKind kind) { return NameOf(kind, kSubjectKinds); }
Result<SubjectKind> ParseSubjectKind(std::string_view name) {
  return ParseName(name, kSubjectKinds, "subject kind");
}
std::string_view DecisionStatusName(DecisionStatus status) {
  return NameOf(status, kDecisionStatuses);
}
Result<DecisionStatus> ParseDecisionStatus(std::string_view name) {
  return ParseName(name, kDecisionStatuses, "decision status");
}
std::string_view DecisionStateName(DecisionState state) { return NameOf(state, kDecisionStates); }

std::string NormalizeQueryKey(std::string_view name) {
  return ToLowerAscii(CollapseWhitespace(TrimAscii(name)));
}

DecisionState EvaluateDecision(const DecisionRecord& decision,
                               std::string_view current_content_hash, Date today) {
  if (decision.status == DecisionStatus::kRevoked) return DecisionState::kRevoked;
  if (!decision.entity_content_hash.empty() &&
      decision.entity_content_hash != current_content_hash) {
    return DecisionState::kReopened;
  }
  if (decision.expires_on && today > *decision.expires_on) {
    return DecisionState::kExpired;
  }
  return DecisionState::kInForce;
}

bool RegisterBackend(const std::string& scheme, BackendFactory factory) {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> lock(registry.mu);
  registry.factories[scheme] = std::move(factory);
  return true;
}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::string& url) {
  size_t colon = url.find(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgumentError("store URL '" + url +
                                "' has no scheme (expected sqlite:PATH or "
                                "postgres://...)");
  }
  std::string scheme = ToLowerAscii(url.substr(0, colon));
  BackendFactory factory;
  {
    Registry& registry = GetRegistry();
    std::lock_guard<std::mutex> lock(registry.mu);
    auto it = registry.factories.find(scheme);
    if (it != registry.factories.end()) factory = it->second;
  }
  if (!factory) {
    if (scheme == "postgres" || scheme == "postgresql") {
      return InvalidArgumentError("store URL '" + scheme +
                                  "://...': this build has no PostgreSQL backend");
    }
    return InvalidArgumentError("store URL scheme '" + scheme +
                                "' is not supported (expected sqlite:PATH or "
                                "postgres://...)");
  }
  return factory(url);
}

std::string Store::DefaultUrl() {
  const char* env = std::getenv("ICTS_STORE");
  if (env != nullptr && *env != '\0') {
    std::string value(env);
    if (StartsWith(value, "sqlite:") || StartsWith(value, "postgres://") ||
        StartsWith(value, "postgresql://")) {
      return value;
    }
    return "sqlite:" + value;
  }
  return "sqlite:icts.db";
}

Result<std::string> Store::PutDetermination(std::string_view actor, DeterminationRecord record) {
  std::vector<DeterminationRecord> one;
  one.push_back(std::move(record));
  ICTS_ASSIGN_OR_RETURN(std::vector<std::string> ids, PutDeterminations(actor, std::move(one)));
  return ids.at(0);
}

Result<std::optional<DecisionRecord>> Store::CurrentDecision(SubjectKind kind,
                                                             const std::string& entity_id,
                                                             const std::string& subject_key) {
  DecisionFilter filter;
  filter.subject_kind = kind;
  filter.entity_id = entity_id;
  filter.subject_key = subject_key;
  filter.limit = 1;
  ICTS_ASSIGN_OR_RETURN(std::vector<DecisionRecord> found, ListDecisions(filter));
  if (found.empty()) return std::optional<DecisionRecord>();
  return std::optional<DecisionRecord>(std::move(found.front()));
}

Result<AuditReport> Store::VerifyAudit() {
  constexpr size_t kPage = 10000;
  ChainVerifier verifier;
  int64_t after = 0;
  while (true) {
    ICTS_ASSIGN_OR_RETURN(std::vector<AuditEvent> page, ReadAudit(after, kPage));
    for (const AuditEvent& event : page) {
      if (!verifier.Add(event)) return verifier.report();
    }
    if (page.size() < kPage) break;
    after = page.back().seq;
  }
  AuditReport report = verifier.report();
  if (report.intact) {
    // Records name the event that wrote them: a chain that stops before the
    // newest of those has lost its tail.
    ICTS_ASSIGN_OR_RETURN(int64_t newest, MaxRecordAuditSeq());
    if (newest > report.events) {
      report.intact = false;
      report.first_bad_seq = report.events + 1;
      report.problem = "event " + std::to_string(report.events + 1) +
                       " is missing: the chain ends at event " + std::to_string(report.events) +
                       " but a record was written by event " + std::to_string(newest);
    }
  }
  return report;
}

Status Store::ExportAudit(std::string_view actor, const std::string& bundle_dir,
                          const std::string& private_key_pem) {
  ICTS_ASSIGN_OR_RETURN(AuditEvent marker,
                        AppendAuditEvent(actor, kEventAuditExport, bundle_dir, bundle_dir));
  (void)marker;
  std::vector<AuditEvent> events;
  constexpr size_t kPage = 10000;
  int64_t after = 0;
  while (true) {
    ICTS_ASSIGN_OR_RETURN(std::vector<AuditEvent> page, ReadAudit(after, kPage));
    for (AuditEvent& event : page) events.push_back(std::move(event));
    if (page.size() < kPage) break;
    after = events.back().seq;
  }
  return WriteBundle(events, bundle_dir, DisplayUrl(), NowIso(), private_key_pem);
}

std::chrono::system_clock::time_point Store::Now() const {
  return clock_ ? clock_() : std::chrono::system_clock::now();
}

std::string Store::NowIso() const { return FormatUtc(Now()); }

Date Store::Today() const {
  auto days = std::chrono::floor<std::chrono::days>(Now());
  return Date::FromDays(static_cast<int32_t>(days.time_since_epoch().count()));
}

}  // namespace icts::store
