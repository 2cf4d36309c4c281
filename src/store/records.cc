// Shared record preparation (backends.h): validation, ids, timestamps and
// retention dates, the same on every backend.
#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "store/backends.h"

namespace icts::store {
namespace {

Date DayOf(std::string_view iso) {
  Result<Date> d = Date::ParseIso(iso.substr(0, 10));
  return d.ok() ? *d : Date();
}

Date LaterOf(Date a, std::optional<Date> b) { return b && *b > a ? *b : a; }

Status Require(bool ok, std::string_view what) {
  if (ok) return Status::Ok();
  return InvalidArgumentError(std::string(what));
}

Status CheckId(const std::string& id) {
  if (id.size() > 200) return InvalidArgumentError("id longer than 200 bytes");
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return InvalidArgumentError("id contains a control character");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string NewId(std::string_view prefix) {
  unsigned char bytes[10];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Fall back on the clock and address entropy; ids must still be unique
    // within a store, which the primary key enforces.
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    for (size_t i = 0; i < sizeof bytes; ++i) {
      bytes[i] = static_cast<unsigned char>(now >> (8 * (i % 8)));
    }
  }
  return std::string(prefix) + "-" + ToHex(bytes, sizeof bytes);
}

std::string FormatUtc(std::chrono::system_clock::time_point t) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  int64_t secs = micros / 1000000;
  int64_t frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(frac));
  return buf;
}

bool IsJson(std::string_view text) { return nlohmann::json::accept(text.begin(), text.end()); }

bool IsJsonObject(std::string_view text) {
  if (!IsJson(text)) return false;
  size_t i = 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
    ++i;
  }
  return i < text.size() && text[i] == '{';
}

Status PrepareDetermination(DeterminationRecord& record, std::string_view now_iso, Date today) {
  if (record.id.empty()) record.id = NewId("det");
  ICTS_RETURN_IF_ERROR(CheckId(record.id));
  ICTS_RETURN_IF_ERROR(Require(record.outcome == "prohibited" || record.outcome == "needs_review" ||
                                   record.outcome == "clear",
                               "determination outcome must be prohibited, "
                               "needs_review or clear, not '" +
                                   record.outcome + "'"));
  ICTS_RETURN_IF_ERROR(Require(IsJson(record.input_json), "determination input_json is not JSON"));
  ICTS_RETURN_IF_ERROR(
      Require(IsJsonObject(record.result_json), "determination result_json is not a JSON object"));
  if (record.provenance.packs_json.empty()) record.provenance.packs_json = "[]";
  ICTS_RETURN_IF_ERROR(
      Require(IsJson(record.provenance.packs_json), "determination packs_json is not JSON"));
  if (record.provenance.input_sha256.empty()) {
    record.provenance.input_sha256 = Sha256Hex(record.input_json);
  }
  record.created_at = std::string(now_iso);
  record.retain_until = LaterOf(today.AddYears(kRetentionYears), record.retain_until);
  return Status::Ok();
}

Status PrepareScreening(ScreeningRecord& record, std::string_view now_iso, Date today) {
  if (record.id.empty()) record.id = NewId("scr");
  ICTS_RETURN_IF_ERROR(CheckId(record.id));
  if (record.query_json.empty()) {
    record.query_json = nlohmann::json({{"name", record.query_name}})
                            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  ICTS_RETURN_IF_ERROR(Require(IsJson(record.query_json), "screening query_json is not JSON"));
  ICTS_RETURN_IF_ERROR(Require(IsJson(record.result_json), "screening result_json is not JSON"));
  ICTS_RETURN_IF_ERROR(Require(record.hit_count >= 0, "negative hit count"));
  record.created_at = std::string(now_iso);
  record.retain_until = LaterOf(today.AddYears(kRetentionYears), record.retain_until);
  return Status::Ok();
}

Status PrepareScan(ScanRecord& record, std::string_view now_iso, Date today) {
  if (record.id.empty()) record.id = NewId("scan");
  ICTS_RETURN_IF_ERROR(CheckId(record.id));
  if (record.summary_json.empty()) record.summary_json = "{}";
  ICTS_RETURN_IF_ERROR(Require(IsJson(record.summary_json), "scan summary_json is not JSON"));
  ICTS_RETURN_IF_ERROR(Require(IsJson(record.result_json), "scan result_json is not JSON"));
  record.created_at = std::string(now_iso);
  record.retain_until = LaterOf(today.AddYears(kRetentionYears), record.retain_until);
  return Status::Ok();
}

Status PrepareDecision(DecisionRecord& record, std::string_view now_iso, Date today) {
  if (record.id.empty()) record.id = NewId("dec");
  ICTS_RETURN_IF_ERROR(CheckId(record.id));
  ICTS_RETURN_IF_ERROR(Require(!record.entity_id.empty(), "decision needs an entity id"));
  ICTS_RETURN_IF_ERROR(Require(!record.subject_key.empty(),
                               "decision needs a subject key (the query name or item)"));
  ICTS_RETURN_IF_ERROR(Require(!record.reason.empty(), "decision needs a reason"));
  ICTS_RETURN_IF_ERROR(
      Require(!record.decided_by.empty(), "decision needs the name of who decided"));
  if (record.subject_kind == SubjectKind::kScreeningHit) {
    record.subject_key = NormalizeQueryKey(record.subject_key);
  }
  if (!record.context_json.empty()) {
    ICTS_RETURN_IF_ERROR(Require(IsJson(record.context_json), "decision context_json is not JSON"));
  }
  record.decided_at = std::string(now_iso);
  record.retain_until = LaterOf(today.AddYears(kRetentionYears), record.retain_until);
  return Status::Ok();
}

namespace {

Status CheckCase(const CaseRecord& record) {
  ICTS_RETURN_IF_ERROR(CheckId(record.id));
  ICTS_RETURN_IF_ERROR(Require(!record.state.empty(), "case needs a state"));
  ICTS_RETURN_IF_ERROR(
      Require(IsJsonObject(record.payload_json), "case payload_json is not a JSON object"));
  return Status::Ok();
}

Date CaseRetention(const CaseRecord& record, Date created) {
  Date until = created.AddYears(kRetentionYears);
  if (record.final_determination_on) {
    until = LaterOf(until, record.final_determination_on->AddYears(kRetentionYears));
  }
  return LaterOf(until, record.retain_until);
}

}  // namespace

Status PrepareNewCase(CaseRecord& record, std::string_view now_iso, Date today) {
  if (record.version != 0) {
    return InvalidArgumentError("a new case must have version 0");
  }
  if (record.id.empty()) record.id = NewId("case");
  ICTS_RETURN_IF_ERROR(CheckCase(record));
  record.version = 1;
  record.created_at = std::string(now_iso);
  record.updated_at = std::string(now_iso);
  record.retain_until = CaseRetention(record, today);
  return Status::Ok();
}

Status PrepareCaseUpdate(CaseRecord& record, const CaseRecord& stored, std::string_view now_iso) {
  if (record.id != stored.id) return InternalError("case id mismatch");
  if (record.version != stored.version) {
    return Status(StatusCode::kAborted, "case " + record.id +
                                            " was changed by someone else (version " +
                                            std::to_string(stored.version) + ", not " +
                                            std::to_string(record.version) + ")");
  }
  ICTS_RETURN_IF_ERROR(CheckCase(record));
  record.version = stored.version + 1;
  record.created_at = stored.created_at;
  record.updated_at = std::string(now_iso);
  Date until = CaseRetention(record, DayOf(stored.created_at));
  record.retain_until = LaterOf(until, stored.retain_until);
  return Status::Ok();
}

Status PrepareCaseEvent(CaseEvent& event, std::string_view actor, std::string_view now_iso) {
  ICTS_RETURN_IF_ERROR(Require(!event.case_id.empty(), "case event needs a case id"));
  ICTS_RETURN_IF_ERROR(Require(!event.kind.empty(), "case event needs a kind"));
  if (event.payload_json.empty()) event.payload_json = "{}";
  ICTS_RETURN_IF_ERROR(
      Require(IsJsonObject(event.payload_json), "case event payload_json is not a JSON object"));
  event.actor = std::string(actor);
  event.recorded_at = std::string(now_iso);
  return Status::Ok();
}

}  // namespace icts::store
