#include "cli/review_cmd.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/status.h"
#include "cli/store_cmd.h"
#include "match/screener.h"
#include "review/review.h"
#include "refdata/snapshot.h"
#include "rules/evaluate.h"
#include "rules/facts.h"
#include "rules/pack.h"
#include "rules/pack_tests.h"
#include "store/store.h"

#ifndef ICTS_SOURCE_RULES_DIR
#define ICTS_SOURCE_RULES_DIR "rules"
#endif

namespace icts::cli {
namespace {

using nlohmann::json;

int Fail(const Status& s) { return FailWith(s); }

// One transaction of the input with where it came from.
struct InputTx {
  json doc;
  std::string where;    // "file" or "file:line"
  std::string pointer;  // "" or "/3"
};

Result<std::vector<InputTx>> ReadInput(const std::string& path) {
  std::string text;
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  } else {
    ICTS_ASSIGN_OR_RETURN(text, ReadFileToString(path));
  }
  std::vector<InputTx> out;
  const std::string name = path == "-" ? "<stdin>" : path;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return InvalidArgumentError(name + ": empty input");
  // A whole JSON document (object or array) ...
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_discarded()) {
    if (doc.is_array()) {
      if (doc.empty()) return InvalidArgumentError(name + ": empty array");
      for (size_t i = 0; i < doc.size(); ++i) out.push_back({doc[i], name, fmt::format("/{}", i)});
    } else {
      out.push_back({doc, name, ""});
    }
    return out;
  }
  // ... or JSON lines.
  std::istringstream in(text);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      out.push_back({json::parse(line), fmt::format("{}:{}", name, n), ""});
    } catch (const json::parse_error& e) {
      return InvalidArgumentError(fmt::format("{}:{}: not JSON: {}", name, n, e.what()));
    }
  }
  return out;
}

void PrintTable(const rules::Determination& d) {
  std::cout << fmt::format("{}: {}  (covered: {}, as of {})\n", d.id, rules::OutcomeName(d.outcome),
                           d.covered == rules::Tri::kUnknown
                               ? "unknown"
                               : (d.covered == rules::Tri::kYes ? "yes" : "no"),
                           d.provenance.as_of);
  for (const rules::PartyNexus& p : d.parties) {
    std::string nexus;
    for (const rules::NexusFact& n : p.nexus) {
      nexus += fmt::format("{}{} by {} ({})", nexus.empty() ? "" : "; ", n.adversary, n.prong,
                           n.evidence);
    }
    std::cout << fmt::format("  party {} ({}): nexus {}{}\n", p.name, p.role,
                             rules::TriName(p.holds), nexus.empty() ? "" : ": " + nexus);
  }
  for (const rules::Finding& f : d.findings) {
    std::cout << fmt::format("  [{}] {}  {} [{}]\n      {}\n", rules::SeverityName(f.severity),
                             f.rule, f.citation.text,
                             rules::VerificationTag(f.citation.verification), f.explanation);
  }
  for (const std::string& u : d.unknowns) std::cout << "  unknown: " << u << "\n";
  if (d.weakest) {
    std::cout << fmt::format("  weakest verification relied on: {}\n",
                             rules::VerificationTag(*d.weakest));
  }
}

}  // namespace

Result<rules::PackSet> LoadRules(const RulesArgs& args) {
  const std::string dir = args.rules_dir.empty() ? DefaultRulesDir() : args.rules_dir;
  ICTS_ASSIGN_OR_RETURN(rules::PackSet set, rules::LoadPackDir(dir));
  for (const std::string& f : args.packs) {
    ICTS_ASSIGN_OR_RETURN(rules::Pack p, rules::LoadPack(f, set.taxonomy));
    ICTS_RETURN_IF_ERROR(rules::AddPack(&set, std::move(p)));
  }
  return set;
}

int FailWith(const Status& s) {
  std::cerr << "icts: " << s.message() << "\n";
  return ExitCodeFor(s);
}

Result<ReviewSetup> MakeReviewer(const rules::PackSet& packs, const std::string& snapshot_path,
                                 bool precompute_neighbours) {
  ReviewSetup setup;
  if (!snapshot_path.empty()) {
    ICTS_ASSIGN_OR_RETURN(setup.snapshot, refdata::Snapshot::Open(snapshot_path));
    match::BuildOptions build;
    build.precompute_neighbours = precompute_neighbours;
    ICTS_ASSIGN_OR_RETURN(setup.screener, match::Screener::Build(*setup.snapshot, build));
  }
  review::ReviewerOptions options;
  options.snapshot = setup.snapshot.get();
  options.screener = setup.screener.get();
  ICTS_ASSIGN_OR_RETURN(setup.reviewer, review::Reviewer::Create(packs, options));
  return setup;
}

std::string DefaultRulesDir() {
  if (const char* env = std::getenv("ICTS_RULES_DIR"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  if (std::filesystem::exists("rules/taxonomy.yaml", ec)) return "rules";
  return ICTS_SOURCE_RULES_DIR;
}

int RunRulesList(const RulesArgs& args) {
  Result<rules::PackSet> set = LoadRules(args);
  if (!set.ok()) return Fail(set.status());
  if (args.output == "json") {
    json out = json::array();
    for (const rules::Pack& p : set->packs) {
      json jp = {{"id", p.id},
                 {"version", p.version},
                 {"title", p.title},
                 {"status", rules::PackStatusName(p.status)},
                 {"source", p.source.text},
                 {"verification", rules::VerificationTag(p.source.verification)},
                 {"file", p.file},
                 {"sha256", p.sha256}};
      jp["rules"] = json::array();
      for (const rules::Rule& r : p.rules) {
        jp["rules"].push_back(
            {{"id", r.id},
             {"kind", rules::RuleKindName(r.kind)},
             {"title", r.title},
             {"from", r.effective.from ? json(r.effective.from->ToIso()) : json(nullptr)},
             {"to", r.effective.to ? json(r.effective.to->ToIso()) : json(nullptr)},
             {"severity", rules::SeverityName(r.severity)},
             {"citation", r.citation.text},
             {"verification", rules::VerificationTag(r.citation.verification)}});
      }
      out.push_back(jp);
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const rules::Pack& p : set->packs) {
    std::cout << fmt::format("{} {} ({}) — {}\n", p.id, p.version, rules::PackStatusName(p.status),
                             p.title);
    for (const rules::Rule& r : p.rules) {
      std::cout << fmt::format(
          "  {:<28} {:<20} {:>10} .. {:<10} {:<10} [{}] {}\n", r.id, rules::RuleKindName(r.kind),
          r.effective.from ? r.effective.from->ToIso() : "",
          r.effective.to ? r.effective.to->ToIso() : "", rules::SeverityName(r.severity),
          rules::VerificationTag(r.citation.verification), r.citation.text);
    }
  }
  return 0;
}

int RunRulesTags(const RulesArgs& args) {
  Result<rules::PackSet> set = LoadRules(args);
  if (!set.ok()) return Fail(set.status());
  for (const rules::Taxonomy::Tag& t : set->taxonomy.tags) {
    std::cout << fmt::format("{:<30} {:<11} {}\n", t.id, t.group, t.description);
  }
  return 0;
}

int RunRulesTest(const RulesArgs& args) {
  Result<rules::PackSet> set = LoadRules(args);
  if (!set.ok()) return Fail(set.status());
  Result<std::vector<rules::PackTestResult>> results = rules::RunPackTests(*set, args.pack);
  if (!results.ok()) return Fail(results.status());
  size_t failed = 0;
  for (const rules::PackTestResult& r : *results) {
    if (r.failures.empty()) {
      if (args.output != "json") std::cout << fmt::format("ok    {}  {}\n", r.pack, r.name);
      continue;
    }
    ++failed;
    if (args.output != "json") {
      std::cout << fmt::format("FAIL  {}  {}  ({})\n", r.pack, r.name, r.file);
      for (const std::string& f : r.failures) std::cout << "        " << f << "\n";
    }
  }
  if (args.output == "json") {
    json out = json::array();
    for (const rules::PackTestResult& r : *results) {
      out.push_back(
          {{"pack", r.pack}, {"file", r.file}, {"name", r.name}, {"failures", r.failures}});
    }
    std::cout << out.dump(2) << "\n";
  }
  std::cerr << fmt::format("{} cases, {} failed\n", results->size(), failed);
  if (results->empty()) {
    std::cerr << "icts: no pack tests found\n";
    return 2;
  }
  return failed == 0 ? 0 : 1;
}

int RunReview(const ReviewArgs& args) {
  Result<rules::PackSet> set = LoadRules(args.rules);
  if (!set.ok()) return Fail(set.status());
  std::optional<Date> as_of;
  if (!args.as_of.empty()) {
    Result<Date> d = Date::ParseIso(args.as_of);
    if (!d.ok())
      return Fail(
          InvalidArgumentError(fmt::format("--as-of '{}' is not a date YYYY-MM-DD", args.as_of)));
    as_of = *d;
  }
  Result<std::vector<InputTx>> input = ReadInput(args.input);
  if (!input.ok()) return Fail(input.status());
  // Validate everything before printing anything.
  std::vector<rules::Transaction> txs;
  for (const InputTx& in : *input) {
    Result<rules::Transaction> tx = rules::ReadTransaction(in.doc, set->taxonomy, in.pointer);
    if (!tx.ok())
      return Fail(InvalidArgumentError(fmt::format("{}: {}", in.where, tx.status().message())));
    txs.push_back(std::move(*tx));
  }
  Result<ReviewSetup> setup = MakeReviewer(*set, args.snapshot);
  if (!setup.ok()) return Fail(setup.status());
  const std::unique_ptr<refdata::Snapshot>& snapshot = setup->snapshot;
  const review::Reviewer* reviewer = setup->reviewer.get();
  // Resolve every transaction (screening, ownership graph) before printing:
  // an inconsistent ownership graph is an input error.
  for (size_t i = 0; i < txs.size(); ++i) {
    Status s = reviewer->Resolve(&txs[i], as_of);
    if (!s.ok()) {
      return Fail(InvalidArgumentError(
          fmt::format("{}{}: ownership: {}", (*input)[i].where, (*input)[i].pointer, s.message())));
    }
  }
  std::unique_ptr<store::Store> record_store;
  std::vector<store::DeterminationRecord> records;
  if (!args.store.empty()) {
    auto opened = OpenStore(args.store);
    if (!opened.ok()) return Fail(Status(StatusCode::kUnavailable, opened.status().message()));
    record_store = std::move(*opened);
  }
  int worst = 0;
  const bool many = txs.size() > 1;
  for (size_t i = 0; i < txs.size(); ++i) {
    rules::Transaction& tx = txs[i];
    rules::EvaluateOptions options;
    options.as_of = as_of;
    if (snapshot) options.snapshot_sha256 = snapshot->hash();
    const rules::Determination d = rules::Evaluate(*set, tx, options);
    if (record_store) records.push_back(MakeDeterminationRecord(d, (*input)[i].doc));
    if (args.rules.output == "json") {
      std::cout << rules::DeterminationToJson(d).dump(many ? -1 : 2) << "\n";
    } else {
      PrintTable(d);
      if (many) std::cout << "\n";
    }
    if ((args.fail_on == "prohibited" && d.outcome == rules::Outcome::kProhibited) ||
        (args.fail_on == "needs-review" && d.outcome != rules::Outcome::kClear)) {
      worst = 1;
    }
  }
  if (record_store) {
    // One transaction: all the determinations are stored, or none.
    Result<std::vector<std::string>> ids =
        record_store->PutDeterminations(CliActor(), std::move(records));
    if (!ids.ok()) return Fail(ids.status());
    for (size_t i = 0; i < ids->size(); ++i) {
      std::fprintf(stderr, "stored determination %s%s%s\n", (*ids)[i].c_str(),
                   txs[i].id.empty() ? "" : " for ", txs[i].id.c_str());
    }
  }
  return worst;
}

}  // namespace icts::cli
