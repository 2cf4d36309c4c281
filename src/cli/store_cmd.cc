#include "cli/store_cmd.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/sha256.h"
#include "base/strings.h"
#include "rules/facts.h"
#include "store/audit.h"

namespace icts::cli {
namespace {

using nlohmann::json;
using store::DecisionRecord;
using store::DecisionState;
using store::Store;

int Fail(const Status& status) { return FailWith(status); }

std::string OptDate(const std::optional<Date>& d) { return d ? d->ToIso() : ""; }

json DecisionJson(const DecisionRecord& d) {
  json j = {{"id", d.id},
            {"kind", store::SubjectKindName(d.subject_kind)},
            {"entity_id", d.entity_id},
            {"subject_key", d.subject_key},
            {"status", store::DecisionStatusName(d.status)},
            {"reason", d.reason},
            {"by", d.decided_by},
            {"decided_at", d.decided_at},
            {"expires", d.expires_on ? json(d.expires_on->ToIso()) : json(nullptr)},
            {"entity_content_hash", d.entity_content_hash}};
  return j;
}

void PrintRows(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()), 0);
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line += std::string(width[c] - r[c].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

}  // namespace

std::string CliActor() {
  if (const char* a = std::getenv("ICTS_ACTOR"); a != nullptr && *a != '\0') return a;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return std::string("cli:") + pw->pw_name;
  }
  return "cli:uid-" + std::to_string(geteuid());
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  std::string u = url.empty() ? Store::DefaultUrl() : url;
  Result<std::unique_ptr<Store>> s = Store::Open(u);
  if (!s.ok()) {
    // A PostgreSQL URL may hold a password: name only SQLite paths.
    return s.status().WithPrefix(StartsWith(u, "sqlite:") ? "store " + u : "store");
  }
  return s;
}

std::string EntityContentHash(const refdata::Snapshot& snapshot, uint32_t index) {
  refdata::EntityView e = snapshot.entity(index);
  Sha256 h;
  auto put = [&](std::string_view s) {
    std::string len = std::to_string(s.size()) + ":";
    h.Update(len);
    h.Update(s);
  };
  put(e.id());
  put(std::to_string(static_cast<int>(e.schema())));
  for (int k = 0; k < static_cast<int>(refdata::PropKind::kCount); ++k) {
    for (const refdata::PropView& p : e.Props(static_cast<refdata::PropKind>(k))) {
      put(fmt::format("{}/{}/{}", k, p.sub(), p.field_count()));
      for (size_t f = 0; f < p.field_count(); ++f) put(p.field(f));
    }
  }
  return ToHex(h.Finish());
}

Result<HitDecisions> HitDecisions::Load(Store& st, const refdata::Snapshot& snapshot, Date today) {
  store::DecisionFilter filter;
  filter.subject_kind = store::SubjectKind::kScreeningHit;
  filter.limit = 10'000'000;
  ICTS_ASSIGN_OR_RETURN(std::vector<DecisionRecord> all, st.ListDecisions(filter));
  HitDecisions out;
  out.snapshot_ = &snapshot;
  out.today_ = today;
  // Newest first: the first one per subject counts.
  for (DecisionRecord& d : all) {
    auto key = std::make_pair(d.entity_id, d.subject_key);
    if (out.by_subject_.count(key) == 0) out.by_subject_.emplace(key, std::move(d));
  }
  return out;
}

std::optional<DecisionState> HitDecisions::Annotate(const std::string& query_name,
                                                    const match::Hit& hit, json* hit_json) const {
  if (by_subject_.empty()) return std::nullopt;
  auto it = by_subject_.find({hit.entity_id, store::NormalizeQueryKey(query_name)});
  if (it == by_subject_.end()) return std::nullopt;
  const DecisionRecord& d = it->second;
  std::string current = EntityContentHash(*snapshot_, hit.entity_index);
  DecisionState state = store::EvaluateDecision(d, current, today_);
  json j = {{"id", d.id},
            {"status", store::DecisionStatusName(d.status)},
            {"state", store::DecisionStateName(state)},
            {"reason", d.reason},
            {"by", d.decided_by},
            {"decided_at", d.decided_at},
            {"expires", d.expires_on ? json(d.expires_on->ToIso()) : json(nullptr)}};
  if (hit_json != nullptr) (*hit_json)["decision"] = std::move(j);
  return state;
}

store::DeterminationRecord MakeDeterminationRecord(const rules::Determination& d,
                                                   const json& input_doc) {
  store::DeterminationRecord r;
  r.transaction_id = d.id;
  r.outcome = std::string(rules::OutcomeName(d.outcome));
  r.input_json = input_doc.dump(-1, ' ', false, json::error_handler_t::replace);
  r.result_json =
      rules::DeterminationToJson(d).dump(-1, ' ', false, json::error_handler_t::replace);
  r.provenance.input_sha256 = d.provenance.input_sha256;
  r.provenance.snapshot_sha256 = d.provenance.snapshot_sha256;
  json packs = json::array();
  for (const auto& p : d.provenance.packs) {
    packs.push_back({{"id", p.id}, {"version", p.version}, {"sha256", p.sha256}});
  }
  r.provenance.packs_json = packs.dump();
  r.provenance.engine_version = d.provenance.engine_version;
  Result<Date> as_of = Date::ParseIso(d.provenance.as_of);
  if (as_of.ok()) r.provenance.as_of = *as_of;
  return r;
}

int RunAuditVerify(const AuditArgs& args) {
  auto st = OpenStore(args.store);
  if (!st.ok()) return Fail(Status(StatusCode::kUnavailable, st.status().message()));
  Result<store::AuditReport> report = (*st)->VerifyAudit();
  if (!report.ok()) return Fail(Status(StatusCode::kUnavailable, report.status().message()));
  if (args.output == "json") {
    json j = {{"store", (*st)->DisplayUrl()},
              {"intact", report->intact},
              {"events", report->events},
              {"head_hash", report->head_hash}};
    if (!report->intact) {
      j["first_bad_seq"] = report->first_bad_seq;
      j["problem"] = report->problem;
    }
    std::cout << j.dump(2) << "\n";
  } else if (report->intact) {
    std::cout << fmt::format("audit chain intact: {} events, head {}\n", report->events,
                             report->head_hash.empty() ? "(empty)" : report->head_hash);
  } else {
    std::cout << fmt::format("audit chain BROKEN at event {}: {}\n", report->first_bad_seq,
                             report->problem);
  }
  if (!report->intact) {
    std::fprintf(stderr, "icts: audit chain broken at event %lld\n",
                 static_cast<long long>(report->first_bad_seq));
    return 1;
  }
  return 0;
}

int RunAuditExport(const AuditArgs& args) {
  Result<std::string> key = ReadFileToString(args.key);
  if (!key.ok()) return Fail(InvalidArgumentError(key.status().message()));
  auto st = OpenStore(args.store);
  if (!st.ok()) return Fail(Status(StatusCode::kUnavailable, st.status().message()));
  Status s = (*st)->ExportAudit(CliActor(), args.out, *key);
  if (!s.ok()) return Fail(s);
  Result<std::string> manifest = ReadFileToString(args.out + "/manifest.json");
  json m = json::parse(manifest.ok() ? *manifest : "{}", nullptr, false);
  std::fprintf(stderr, "exported %lld events to %s (head %s)\n",
               static_cast<long long>(m.is_object() ? m.value("count", 0) : 0), args.out.c_str(),
               m.is_object() ? m.value("head_hash", "").c_str() : "");
  return 0;
}

int RunAuditCheck(const AuditArgs& args) {
  Result<std::string> pub = ReadFileToString(args.pubkey);
  if (!pub.ok()) return Fail(InvalidArgumentError(pub.status().message()));
  Result<store::BundleReport> report = store::VerifyBundle(args.bundle, *pub);
  if (!report.ok()) return Fail(report.status());
  if (args.output == "json") {
    json j = {
        {"valid", report->valid}, {"events", report->count}, {"head_hash", report->head_hash}};
    if (!report->valid) j["problem"] = report->problem;
    std::cout << j.dump(2) << "\n";
  } else if (report->valid) {
    std::cout << fmt::format("bundle valid: {} events, head {}, signature verified\n",
                             report->count, report->head_hash);
  } else {
    std::cout << "bundle INVALID: " << report->problem << "\n";
  }
  return report->valid ? 0 : 1;
}

int RunDecisionsAdd(const DecisionArgs& args) {
  DecisionRecord d;
  Result<store::SubjectKind> kind = store::ParseSubjectKind(args.kind);
  if (!kind.ok()) return Fail(kind.status());
  d.subject_kind = *kind;
  Result<store::DecisionStatus> status = store::ParseDecisionStatus(args.status);
  if (!status.ok()) return Fail(status.status());
  d.status = *status;
  d.entity_id = args.entity;
  d.subject_key = args.query;
  d.reason = args.reason;
  d.decided_by = args.by.empty() ? CliActor() : args.by;
  if (!args.expires.empty()) {
    Result<Date> e = Date::ParseIso(args.expires);
    if (!e.ok()) {
      return Fail(
          InvalidArgumentError("--expires '" + args.expires + "' is not a date YYYY-MM-DD"));
    }
    d.expires_on = *e;
  }
  d.entity_content_hash = args.content_hash;
  if (!args.snapshot.empty()) {
    auto snap = refdata::Snapshot::Open(args.snapshot);
    if (!snap.ok()) return Fail(snap.status());
    std::optional<refdata::EntityView> e = (*snap)->FindById(args.entity);
    if (!e) {
      return Fail(NotFoundError(args.snapshot + ": no entity with id '" + args.entity + "'"));
    }
    d.entity_content_hash = EntityContentHash(**snap, e->index());
    json context = {{"snapshot_sha256", (*snap)->hash()},
                    {"entity_name", std::string(e->primary_name())}};
    d.context_json = context.dump();
  }
  auto st = OpenStore(args.store);
  if (!st.ok()) return Fail(Status(StatusCode::kUnavailable, st.status().message()));
  Result<std::string> id = (*st)->PutDecision(CliActor(), d);
  if (!id.ok()) return Fail(id.status());
  if (args.output == "json") {
    Result<DecisionRecord> stored = (*st)->GetDecision(*id);
    if (!stored.ok()) return Fail(stored.status());
    std::cout << DecisionJson(*stored).dump(2) << std::endl;
  } else {
    std::cout << *id << std::endl;
  }
  return 0;
}

int RunDecisionsList(const DecisionArgs& args) {
  store::DecisionFilter filter;
  if (!args.kind.empty()) {
    Result<store::SubjectKind> kind = store::ParseSubjectKind(args.kind);
    if (!kind.ok()) return Fail(kind.status());
    filter.subject_kind = *kind;
  }
  if (!args.entity.empty()) filter.entity_id = args.entity;
  if (!args.query.empty()) filter.subject_key = args.query;
  filter.limit = 100000;
  auto st = OpenStore(args.store);
  if (!st.ok()) return Fail(Status(StatusCode::kUnavailable, st.status().message()));
  Result<std::vector<DecisionRecord>> list = (*st)->ListDecisions(filter);
  if (!list.ok()) return Fail(list.status());
  if (args.output == "json") {
    json out = json::array();
    for (const DecisionRecord& d : *list) out.push_back(DecisionJson(d));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "ENTITY", "QUERY", "STATUS", "BY", "DECIDED", "EXPIRES", "REASON"}};
  for (const DecisionRecord& d : *list) {
    rows.push_back({d.id, d.entity_id, d.subject_key,
                    std::string(store::DecisionStatusName(d.status)), d.decided_by,
                    d.decided_at.substr(0, 10), OptDate(d.expires_on), d.reason});
  }
  PrintRows(rows);
  return 0;
}

Result<Replay> ReplayDetermination(const store::DeterminationRecord& stored,
                                   const rules::PackSet& packs, const ReviewSetup& setup) {
  json doc = json::parse(stored.input_json, nullptr, false);
  if (doc.is_discarded()) return DataLossError(stored.id + ": stored input is not JSON");
  Result<rules::Transaction> tx = rules::ReadTransaction(doc, packs.taxonomy, "");
  if (!tx.ok()) return InvalidArgumentError(stored.id + ": " + tx.status().message());
  std::optional<Date> as_of = stored.provenance.as_of;
  Status s = setup.reviewer->Resolve(&*tx, as_of);
  if (!s.ok()) return InvalidArgumentError(stored.id + ": ownership: " + s.message());
  rules::EvaluateOptions options;
  options.as_of = as_of;
  if (setup.snapshot) options.snapshot_sha256 = setup.snapshot->hash();
  rules::Determination d = rules::Evaluate(packs, *tx, options);
  Replay out;
  out.now = MakeDeterminationRecord(d, doc);
  const store::DeterminationRecord& now = out.now;
  auto differ = [&](const std::string& what, const std::string& was, const std::string& is) {
    if (was != is) out.differences.push_back(ReplayDifference{what, was, is});
  };
  differ("outcome", stored.outcome, now.outcome);
  differ("input_sha256", stored.provenance.input_sha256, now.provenance.input_sha256);
  differ("snapshot_sha256", stored.provenance.snapshot_sha256, now.provenance.snapshot_sha256);
  differ("packs", stored.provenance.packs_json, now.provenance.packs_json);
  differ("engine_version", stored.provenance.engine_version, now.provenance.engine_version);
  json was = json::parse(stored.result_json, nullptr, false);
  json is = json::parse(now.result_json, nullptr, false);
  for (const char* key : {"covered", "determining", "findings", "unknowns", "parties"}) {
    if (!was.is_object() || was.value(key, json()) != is.value(key, json())) {
      differ(key, was.is_object() ? was.value(key, json()).dump() : "?",
             is.value(key, json()).dump());
    }
  }
  return out;
}

int RunReplay(const ReplayArgs& args) {
  auto st = OpenStore(args.store);
  if (!st.ok()) return Fail(Status(StatusCode::kUnavailable, st.status().message()));
  Result<store::DeterminationRecord> stored = (*st)->GetDetermination(args.id);
  if (!stored.ok()) return Fail(stored.status());
  Result<rules::PackSet> set = LoadRules(args.rules);
  if (!set.ok()) return Fail(set.status());
  Result<ReviewSetup> setup = MakeReviewer(*set, args.snapshot);
  if (!setup.ok()) return Fail(setup.status());
  Result<Replay> replay = ReplayDetermination(*stored, *set, *setup);
  if (!replay.ok()) return Fail(replay.status());
  const std::vector<ReplayDifference>& differences = replay->differences;
  (void)(*st)->AppendAuditEvent(CliActor(), "determination.replay", args.id,
                                differences.empty() ? "same" : "differs");
  if (differences.empty()) {
    std::cout << fmt::format("replay {}: same determination ({}, as of {})\n", args.id,
                             replay->now.outcome, stored->provenance.as_of.ToIso());
    return 0;
  }
  // Long values (JSON parts of the result) are cut for the terminal.
  auto cut = [](const std::string& v) { return v.size() > 200 ? v.substr(0, 200) + "..." : v; };
  std::cout << fmt::format("replay {}: DIFFERS\n", args.id);
  for (const ReplayDifference& d : differences) {
    std::cout << "  " << fmt::format("{}: stored {}, now {}", d.field, cut(d.stored), cut(d.now))
              << "\n";
  }
  return 1;
}

}  // namespace icts::cli
