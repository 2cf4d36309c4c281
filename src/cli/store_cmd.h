// The commands over the store: `icts audit verify|export|check`,
// `icts decisions add|list`, `icts replay`, and the pieces `screen` and
// `review` use when given --store (decisions on hits, recorded results).
//
// Exit codes: 0 success; 1 `audit verify`/`audit check` found the chain or
// bundle broken, or `replay` gave a different determination; 2 usage or
// input error; 3 environment failure (the store cannot be opened or read).
#ifndef ICTS_CLI_STORE_CMD_H_
#define ICTS_CLI_STORE_CMD_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/date.h"
#include "base/status.h"
#include "cli/review_cmd.h"
#include "match/screener.h"
#include "refdata/snapshot.h"
#include "rules/evaluate.h"
#include "store/store.h"

namespace icts::cli {

struct AuditArgs {
  std::string store;             // "" = store::Store::DefaultUrl().
  std::string key;               // export: Ed25519 private key PEM file.
  std::string out;               // export: bundle folder.
  std::string bundle;            // check: bundle folder.
  std::string pubkey;            // check: Ed25519 public key PEM file.
  std::string output = "table";  // table | json
};

struct DecisionArgs {
  std::string store;
  std::string kind = "hit";  // hit | finding
  std::string entity;        // List entry id (hit) or supplier key (finding).
  std::string query;         // Query name (hit) or item key (finding).
  std::string status;        // false-positive | confirmed | accepted-risk | ...
  std::string reason;
  std::string by;
  std::string expires;       // YYYY-MM-DD, optional.
  std::string snapshot;      // To record the entry's content hash.
  std::string content_hash;  // Or give it directly.
  std::string output = "table";
};

struct ReplayArgs {
  RulesArgs rules;
  std::string store;
  std::string id;
  std::string snapshot;
};

int RunAuditVerify(const AuditArgs& args);
int RunAuditExport(const AuditArgs& args);
int RunAuditCheck(const AuditArgs& args);
int RunDecisionsAdd(const DecisionArgs& args);
int RunDecisionsList(const DecisionArgs& args);
int RunReplay(const ReplayArgs& args);

// Who writes: $ICTS_ACTOR, else "cli:" + the login name.
std::string CliActor();

// Opens `url` (or the default store when empty).
Result<std::unique_ptr<store::Store>> OpenStore(const std::string& url);

// SHA-256 over an entity's id, schema and every fact in stored order: it
// changes whenever the list entry's content changes.
std::string EntityContentHash(const refdata::Snapshot& snapshot, uint32_t index);

// The screening decisions of a store, loaded once; Find is const and may be
// called from several threads.
class HitDecisions {
 public:
  static Result<HitDecisions> Load(store::Store& store, const refdata::Snapshot& snapshot,
                                   Date today);
  // Adds "decision": {...} to `hit_json` when a decision exists on
  // (hit's entity, query name); returns its state, or nullopt.
  std::optional<store::DecisionState> Annotate(const std::string& query_name, const match::Hit& hit,
                                               nlohmann::json* hit_json) const;
  size_t size() const { return by_subject_.size(); }

 private:
  const refdata::Snapshot* snapshot_ = nullptr;
  Date today_;
  std::map<std::pair<std::string, std::string>, store::DecisionRecord> by_subject_;
};

// A stored determination for `d`, evaluated from `input_doc`.
store::DeterminationRecord MakeDeterminationRecord(const rules::Determination& d,
                                                   const nlohmann::json& input_doc);

// A stored determination evaluated again: the new record and what differs
// from the stored one (outcome, provenance hashes, packs, engine version,
// and the result's covered/determining/findings/unknowns/parties), full
// values as compact JSON or text.
struct ReplayDifference {
  std::string field;
  std::string stored;
  std::string now;
};
struct Replay {
  store::DeterminationRecord now;
  std::vector<ReplayDifference> differences;
};
// Re-reads the stored input with `packs`, resolves its parties with `setup`
// as of the stored date and evaluates it (`icts replay` and the server's
// replay route). Errors, each naming the determination's id: DataLoss when
// the stored input is not JSON; InvalidArgument when it no longer reads as a
// transaction or its ownership cannot be resolved.
Result<Replay> ReplayDetermination(const store::DeterminationRecord& stored,
                                   const rules::PackSet& packs, const ReviewSetup& setup);

}  // namespace icts::cli

#endif  // ICTS_CLI_STORE_CMD_H_
