// The audit chain: canonical event bytes, the chain hash, the payloads that
// get hashed, the verifier, and the signed export bundle. Pure functions,
// shared by every backend and by offline checking.
//
// Chain format (docs/store.md):
//   canonical bytes = compact JSON with the keys in this order:
//     {"actor":…,"kind":…,"payload_sha256":…,"seq":N,"subject":…,"time":…}
//   hash = lower-case hex SHA-256 of (prev_hash as 64 hex ASCII characters
//          followed by the canonical bytes)
//   the first event's prev_hash is 64 '0' characters.
// So `printf '%s%s' "$PREV" "$CANON" | sha256sum` recomputes any hash.
#ifndef ICTS_STORE_AUDIT_H_
#define ICTS_STORE_AUDIT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/store.h"

namespace icts::store {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Event kinds written by the store.
inline constexpr std::string_view kEventDeterminationPut = "determination.put";
inline constexpr std::string_view kEventScreeningPut = "screening.put";
inline constexpr std::string_view kEventScanPut = "scan.put";
inline constexpr std::string_view kEventDecisionPut = "decision.put";
inline constexpr std::string_view kEventCaseCreate = "case.create";
inline constexpr std::string_view kEventCaseUpdate = "case.update";
inline constexpr std::string_view kEventCaseEvent = "case.event";
inline constexpr std::string_view kEventRecordDelete = "record.delete";
inline constexpr std::string_view kEventRetentionExtend = "retention.extend";
inline constexpr std::string_view kEventAuditExport = "audit.export";

std::string CanonicalEventBytes(const AuditEvent& event);
// The hash `event` must carry given its prev_hash (event.hash is ignored).
std::string ComputeEventHash(const AuditEvent& event);

// Fills event.prev_hash = `prev_hash`, payload_sha256 = SHA-256 of `payload`,
// and event.hash. seq, time, actor, kind and subject_id must be set.
void SealEvent(AuditEvent& event, std::string_view prev_hash, std::string_view payload);

// The canonical payload of each record kind (compact JSON, keys sorted):
// what payload_sha256 is computed over. Every field of the record as stored.
std::string CanonicalPayload(const DeterminationRecord& record);
std::string CanonicalPayload(const ScreeningRecord& record);
std::string CanonicalPayload(const ScanRecord& record);
std::string CanonicalPayload(const DecisionRecord& record);
std::string CanonicalPayload(const CaseRecord& record);
std::string CanonicalPayload(const CaseEvent& event);
// Deletion and retention events.
std::string DeletePayload(RecordKind kind, const std::string& id);
std::string RetentionPayload(RecordKind kind, const std::string& id, Date until);
// The subject of a case event: "CASE#SEQ".
std::string CaseEventSubject(const std::string& case_id, int64_t seq);

// Checks events one at a time, in the order read. The first problem found
// is kept; later events are not judged.
class ChainVerifier {
 public:
  // Returns false once the chain is broken.
  bool Add(const AuditEvent& event);
  // The report so far.
  const AuditReport& report() const { return report_; }

 private:
  AuditReport report_;
  std::string prev_hash_ = std::string(kGenesisHash);
  int64_t expected_seq_ = 1;
};

// --- Export bundle -------------------------------------------------------------
//
// A bundle is a folder:
//   events.jsonl   one event per line: {"seq","time","actor","kind","subject",
//                  "payload_sha256","prev_hash","hash"}
//   manifest.json  {"format":"icts-audit-bundle/1","store":…,"exported_at":…,
//                   "count":N,"first_seq":…,"last_seq":…,"head_hash":…,
//                   "events_sha256":…,"public_key":PEM,
//                   "signature":{"alg":"Ed25519","value":BASE64}}
// The signature is Ed25519 over the manifest's canonical bytes without the
// "signature" member (compact JSON, keys sorted).

struct BundleReport {
  bool valid = false;
  int64_t count = 0;
  std::string head_hash;
  std::string problem;  // When not valid.
  AuditReport chain;
};

// Writes `events` (a whole chain, seq 1..N) as a bundle into `bundle_dir`.
Status WriteBundle(const std::vector<AuditEvent>& events, const std::string& bundle_dir,
                   const std::string& store_url, std::string_view exported_at,
                   const std::string& private_key_pem);

// Checks a bundle offline: the signature against `public_key_pem`, the
// events file against the manifest, and the chain. An error Status only
// when the bundle cannot be read or the key cannot be parsed; a bundle that
// fails its checks gives valid=false with the problem.
Result<BundleReport> VerifyBundle(const std::string& bundle_dir, const std::string& public_key_pem);

}  // namespace icts::store

#endif  // ICTS_STORE_AUDIT_H_
