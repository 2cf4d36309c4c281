#include "store/audit.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/sha256.h"
#include "base/strings.h"

namespace icts::store {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json OptDate(const std::optional<Date>& d) { return d ? json(d->ToIso()) : json(nullptr); }

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

Result<PkeyPtr> ReadKey(const std::string& pem, bool private_key) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return InternalError("out of memory");
  EVP_PKEY* key = private_key ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                              : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return InvalidArgumentError(private_key ? "not a PEM private key"
                                            : "not a PEM public key (SubjectPublicKeyInfo)");
  }
  PkeyPtr owned(key);
  if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
    return InvalidArgumentError("the key is not an Ed25519 key");
  }
  return owned;
}

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> Unbase64(const std::string& text) {
  if (text.size() % 4 != 0) return InvalidArgumentError("bad base64");
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return InvalidArgumentError("bad base64");
  size_t len = static_cast<size_t>(n);
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

json EventJson(const AuditEvent& e) {
  json j = json::object();
  j["seq"] = e.seq;
  j["time"] = e.time;
  j["actor"] = e.actor;
  j["kind"] = e.kind;
  j["subject"] = e.subject_id;
  j["payload_sha256"] = e.payload_sha256;
  j["prev_hash"] = e.prev_hash;
  j["hash"] = e.hash;
  return j;
}

}  // namespace

std::string CanonicalEventBytes(const AuditEvent& event) {
  json j = json::object();
  j["actor"] = event.actor;
  j["kind"] = event.kind;
  j["payload_sha256"] = event.payload_sha256;
  j["seq"] = event.seq;
  j["subject"] = event.subject_id;
  j["time"] = event.time;
  return Dump(j);
}

std::string ComputeEventHash(const AuditEvent& event) {
  Sha256 hasher;
  hasher.Update(event.prev_hash);
  hasher.Update(CanonicalEventBytes(event));
  return ToHex(hasher.Finish());
}

void SealEvent(AuditEvent& event, std::string_view prev_hash, std::string_view payload) {
  event.prev_hash = std::string(prev_hash);
  event.payload_sha256 = Sha256Hex(payload);
  event.hash = ComputeEventHash(event);
}

std::string CanonicalPayload(const DeterminationRecord& r) {
  json j = {{"id", r.id},
            {"transaction_id", r.transaction_id},
            {"outcome", r.outcome},
            {"input_json", r.input_json},
            {"result_json", r.result_json},
            {"input_sha256", r.provenance.input_sha256},
            {"snapshot_sha256", r.provenance.snapshot_sha256},
            {"packs_json", r.provenance.packs_json},
            {"engine_version", r.provenance.engine_version},
            {"as_of", r.provenance.as_of.ToIso()},
            {"created_at", r.created_at},
            {"retain_until", OptDate(r.retain_until)}};
  return Dump(j);
}

std::string CanonicalPayload(const ScreeningRecord& r) {
  json j = {{"id", r.id},
            {"query_name", r.query_name},
            {"query_json", r.query_json},
            {"result_json", r.result_json},
            {"snapshot_sha256", r.snapshot_sha256},
            {"hit_count", r.hit_count},
            {"batch_id", r.batch_id},
            {"created_at", r.created_at},
            {"retain_until", OptDate(r.retain_until)}};
  return Dump(j);
}

std::string CanonicalPayload(const ScanRecord& r) {
  json j = {{"id", r.id},
            {"summary_json", r.summary_json},
            {"result_json", r.result_json},
            {"created_at", r.created_at},
            {"retain_until", OptDate(r.retain_until)}};
  return Dump(j);
}

std::string CanonicalPayload(const DecisionRecord& r) {
  json j = {{"id", r.id},
            {"subject_kind", SubjectKindName(r.subject_kind)},
            {"entity_id", r.entity_id},
            {"subject_key", r.subject_key},
            {"status", DecisionStatusName(r.status)},
            {"reason", r.reason},
            {"decided_by", r.decided_by},
            {"decided_at", r.decided_at},
            {"expires_on", OptDate(r.expires_on)},
            {"entity_content_hash", r.entity_content_hash},
            {"context_json", r.context_json},
            {"retain_until", OptDate(r.retain_until)}};
  return Dump(j);
}

std::string CanonicalPayload(const CaseRecord& r) {
  json j = {{"id", r.id},
            {"state", r.state},
            {"opened_on", r.opened_on.ToIso()},
            {"next_due_on", OptDate(r.next_due_on)},
            {"final_determination_on", OptDate(r.final_determination_on)},
            {"closed_on", OptDate(r.closed_on)},
            {"payload_json", r.payload_json},
            {"version", r.version},
            {"created_at", r.created_at},
            {"updated_at", r.updated_at},
            {"retain_until", OptDate(r.retain_until)}};
  return Dump(j);
}

std::string CanonicalPayload(const CaseEvent& e) {
  json j = {{"case_id", e.case_id},
            {"seq", e.seq},
            {"kind", e.kind},
            {"occurred_on", e.occurred_on.ToIso()},
            {"payload_json", e.payload_json},
            {"actor", e.actor},
            {"recorded_at", e.recorded_at}};
  return Dump(j);
}

std::string DeletePayload(RecordKind kind, const std::string& id) {
  return Dump(json{{"kind", RecordKindName(kind)}, {"id", id}});
}

std::string RetentionPayload(RecordKind kind, const std::string& id, Date until) {
  return Dump(json{{"kind", RecordKindName(kind)}, {"id", id}, {"retain_until", until.ToIso()}});
}

std::string CaseEventSubject(const std::string& case_id, int64_t seq) {
  return case_id + "#" + std::to_string(seq);
}

bool ChainVerifier::Add(const AuditEvent& event) {
  if (!report_.intact) return false;
  auto fail = [&](int64_t seq, std::string problem) {
    report_.intact = false;
    report_.first_bad_seq = seq;
    report_.problem = std::move(problem);
    return false;
  };
  if (event.seq != expected_seq_) {
    if (event.seq > expected_seq_) {
      return fail(expected_seq_, "event " + std::to_string(expected_seq_) +
                                     " is missing (the next event read is " +
                                     std::to_string(event.seq) + ")");
    }
    return fail(event.seq, "event " + std::to_string(event.seq) +
                               " is out of order (expected event " + std::to_string(expected_seq_) +
                               ")");
  }
  if (event.prev_hash != prev_hash_) {
    return fail(event.seq, "event " + std::to_string(event.seq) +
                               ": prev_hash does not match the hash of the event before "
                               "it (an event was deleted, reordered or rewritten)");
  }
  if (ComputeEventHash(event) != event.hash) {
    return fail(event.seq, "event " + std::to_string(event.seq) +
                               ": hash does not match its contents (the event "
                               "was edited)");
  }
  prev_hash_ = event.hash;
  ++expected_seq_;
  ++report_.events;
  report_.head_hash = event.hash;
  return true;
}

Status WriteBundle(const std::vector<AuditEvent>& events, const std::string& bundle_dir,
                   const std::string& store_url, std::string_view exported_at,
                   const std::string& private_key_pem) {
  ICTS_ASSIGN_OR_RETURN(PkeyPtr key, ReadKey(private_key_pem, true));
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(bundle_dir, ec) && !fs::is_empty(bundle_dir, ec)) {
    return InvalidArgumentError(bundle_dir + ": exists and is not empty");
  }
  fs::create_directories(bundle_dir, ec);
  if (ec) return UnavailableError(bundle_dir + ": " + ec.message());

  std::string lines;
  for (const AuditEvent& e : events) {
    lines += Dump(EventJson(e));
    lines += '\n';
  }
  // The public key, so a reader can see which key signed.
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) {
    return InternalError("cannot write the public key");
  }
  char* pem_data = nullptr;
  long pem_len = BIO_get_mem_data(bio.get(), &pem_data);
  std::string public_pem(pem_data, static_cast<size_t>(pem_len));

  json manifest = {{"format", "icts-audit-bundle/1"},
                   {"store", store_url},
                   {"exported_at", std::string(exported_at)},
                   {"count", static_cast<int64_t>(events.size())},
                   {"first_seq", events.empty() ? 0 : events.front().seq},
                   {"last_seq", events.empty() ? 0 : events.back().seq},
                   {"head_hash", events.empty() ? std::string(kGenesisHash) : events.back().hash},
                   {"events_sha256", Sha256Hex(lines)},
                   {"public_key", public_pem}};
  std::string signed_bytes = Dump(manifest);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t sig_len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &sig_len,
                     reinterpret_cast<const unsigned char*>(signed_bytes.data()),
                     signed_bytes.size()) != 1) {
    return InternalError("Ed25519 signing failed");
  }
  std::string sig(sig_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                     reinterpret_cast<const unsigned char*>(signed_bytes.data()),
                     signed_bytes.size()) != 1) {
    return InternalError("Ed25519 signing failed");
  }
  sig.resize(sig_len);
  manifest["signature"] = {{"alg", "Ed25519"}, {"value", Base64(sig)}};

  ICTS_RETURN_IF_ERROR(WriteFileAtomically(bundle_dir + "/events.jsonl", lines));
  return WriteFileAtomically(bundle_dir + "/manifest.json", manifest.dump(2) + "\n");
}

Result<BundleReport> VerifyBundle(const std::string& bundle_dir,
                                  const std::string& public_key_pem) {
  ICTS_ASSIGN_OR_RETURN(PkeyPtr key, ReadKey(public_key_pem, false));
  ICTS_ASSIGN_OR_RETURN(std::string manifest_text, ReadFileToString(bundle_dir + "/manifest.json"));
  ICTS_ASSIGN_OR_RETURN(std::string lines, ReadFileToString(bundle_dir + "/events.jsonl"));
  BundleReport report;
  auto invalid = [&](std::string problem) {
    report.valid = false;
    report.problem = std::move(problem);
    return report;
  };
  json manifest = json::parse(manifest_text, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object()) {
    return invalid("manifest.json is not a JSON object");
  }
  if (manifest.value("format", "") != "icts-audit-bundle/1") {
    return invalid("manifest.json: unknown format");
  }
  if (!manifest.contains("signature") || !manifest["signature"].is_object() ||
      !manifest["signature"].contains("value") || !manifest["signature"]["value"].is_string()) {
    return invalid("manifest.json: no signature");
  }
  Result<std::string> sig = Unbase64(manifest["signature"]["value"].get<std::string>());
  if (!sig.ok()) return invalid("manifest.json: signature is not base64");
  json unsigned_manifest = manifest;
  unsigned_manifest.erase("signature");
  std::string signed_bytes = Dump(unsigned_manifest);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return InternalError("Ed25519 verification could not start");
  }
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                       reinterpret_cast<const unsigned char*>(signed_bytes.data()),
                       signed_bytes.size()) != 1) {
    return invalid("the manifest's signature does not verify with this public key");
  }
  if (manifest.value("events_sha256", "") != Sha256Hex(lines)) {
    return invalid("events.jsonl does not match the manifest's events_sha256");
  }
  ChainVerifier verifier;
  size_t start = 0;
  int64_t line_no = 0;
  while (start < lines.size()) {
    size_t end = lines.find('\n', start);
    if (end == std::string::npos) end = lines.size();
    ++line_no;
    json j = json::parse(lines.substr(start, end - start), nullptr, false);
    start = end + 1;
    if (j.is_discarded() || !j.is_object()) {
      return invalid("events.jsonl:" + std::to_string(line_no) + ": not a JSON object");
    }
    AuditEvent e;
    try {
      e.seq = j.at("seq").get<int64_t>();
      e.time = j.at("time").get<std::string>();
      e.actor = j.at("actor").get<std::string>();
      e.kind = j.at("kind").get<std::string>();
      e.subject_id = j.at("subject").get<std::string>();
      e.payload_sha256 = j.at("payload_sha256").get<std::string>();
      e.prev_hash = j.at("prev_hash").get<std::string>();
      e.hash = j.at("hash").get<std::string>();
    } catch (const json::exception&) {
      return invalid("events.jsonl:" + std::to_string(line_no) + ": missing or mistyped field");
    }
    if (!verifier.Add(e)) break;
  }
  report.chain = verifier.report();
  report.count = report.chain.events;
  report.head_hash = report.chain.head_hash;
  if (!report.chain.intact) {
    return invalid("chain broken: " + report.chain.problem);
  }
  if (manifest.value("count", int64_t{-1}) != report.count) {
    return invalid("the manifest's count does not match the events");
  }
  std::string head = report.count == 0 ? std::string(kGenesisHash) : report.head_hash;
  if (manifest.value("head_hash", "") != head) {
    return invalid("the manifest's head_hash does not match the last event");
  }
  report.valid = true;
  return report;
}

}  // namespace icts::store
