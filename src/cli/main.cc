// The `icts` command line. A thin shell over the libraries: parse arguments,
// call, print. Exit codes: 0 success, 1 hits found (`screen --fail-on-hit`),
// 2 usage or input error, 3 environment failure (I/O, network).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/log.h"
#include "base/status.h"
#include "base/strings.h"
#include "cli/case_cmd.h"
#include "cli/owners_cmd.h"
#include "cli/review_cmd.h"
#include "cli/scan_cmd.h"
#include "cli/vehicles_cmd.h"
#include "cli/screen_cmd.h"
#include "cli/serve_cmd.h"
#include "cli/store_cmd.h"
#include "refdata/build.h"
#include "refdata/fetch.h"
#include "refdata/json.h"
#include "refdata/snapshot.h"

namespace icts {
namespace {

using nlohmann::json;
using refdata::BuildConfig;
using refdata::BuildOptions;
using refdata::BuildResult;
using refdata::LoadReport;
using refdata::SourceInfo;
using refdata::SourceSpec;

constexpr int kMaxRejectsShown = 20;

int Fail(const Status& status) { return icts::cli::FailWith(status); }

// Prints a plain table with left-aligned columns.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], r[c].size());
    }
  }
  auto print_row = [&](const std::vector<std::string>& r) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line += std::string(width[c] - r[c].size() + 2, ' ');
    }
    std::cout << line << "\n";
  };
  print_row(header);
  for (const auto& r : rows) print_row(r);
}

void ReportSource(const SourceSpec& spec, const SourceInfo& info,
                  const LoadReport& report, bool quiet) {
  if (quiet) return;
  std::fprintf(stderr, "%s %s: %llu rows, %llu entities, %llu relations, %llu rejected\n",
               spec.format.c_str(), spec.path.c_str(),
               static_cast<unsigned long long>(info.rows),
               static_cast<unsigned long long>(info.entities),
               static_cast<unsigned long long>(info.relations),
               static_cast<unsigned long long>(info.rejected));
  int shown = 0;
  for (const refdata::Reject& r : report.rejects) {
    if (shown++ == kMaxRejectsShown) break;
    std::fprintf(stderr, "  rejected %s:%llu: %s\n", r.file.c_str(),
                 static_cast<unsigned long long>(r.line), r.reason.c_str());
  }
  if (report.rejected > kMaxRejectsShown) {
    std::fprintf(stderr, "  ... and %llu more rejected rows\n",
                 static_cast<unsigned long long>(report.rejected - kMaxRejectsShown));
  }
}

Result<BuildConfig> ConfigFromFlags(const std::string& config_path,
                                    const std::vector<std::string>& sources) {
  if (!config_path.empty() && !sources.empty()) {
    return InvalidArgumentError("give either --config or --source, not both");
  }
  if (!config_path.empty()) return refdata::ReadBuildConfig(config_path);
  if (sources.empty()) {
    return InvalidArgumentError("no sources: give --config FILE or --source FORMAT=PATH");
  }
  BuildConfig config;
  for (const std::string& s : sources) {
    size_t eq = s.find('=');
    if (eq == std::string::npos) {
      return InvalidArgumentError(fmt::format("--source '{}': expected FORMAT=PATH", s));
    }
    SourceSpec spec;
    spec.format = s.substr(0, eq);
    spec.path = s.substr(eq + 1);
    spec.resolved_path = spec.path;
    if (!refdata::IsKnownFormat(spec.format)) {
      return InvalidArgumentError(fmt::format(
          "--source '{}': unknown format '{}' (expected csl, ofac, ofac-cons, dpl, "
          "un, ftm, curated)",
          s, spec.format));
    }
    config.sources.push_back(std::move(spec));
  }
  return config;
}

void PrintBuildSummary(const BuildResult& r, const std::string& out, bool quiet) {
  if (quiet) return;
  std::fprintf(stderr, "wrote %s: %llu entities, %llu relations, hash %s\n", out.c_str(),
               static_cast<unsigned long long>(r.entities),
               static_cast<unsigned long long>(r.relations), r.hash.c_str());
}

int ListsBuild(const std::string& config_path, const std::vector<std::string>& sources,
               const std::string& out, bool strict, bool quiet) {
  auto config = ConfigFromFlags(config_path, sources);
  if (!config.ok()) return Fail(config.status());
  BuildOptions options;
  options.strict = strict;
  options.on_source = [quiet](const SourceSpec& spec, const SourceInfo& info,
                              const LoadReport& report) {
    ReportSource(spec, info, report, quiet);
  };
  auto result = refdata::BuildSnapshot(*config, options, out);
  if (!result.ok()) return Fail(result.status());
  PrintBuildSummary(*result, out, quiet);
  return 0;
}

int ListsFetch(const std::string& config_path, const std::string& dir,
               const std::string& out, bool strict, bool quiet) {
  Result<BuildConfig> config =
      config_path.empty()
          ? refdata::ParseBuildConfig(refdata::OfficialFetchConfig(), "official sources")
          : refdata::ReadBuildConfig(config_path);
  if (!config.ok()) return Fail(config.status());
  refdata::FetchOptions options;
  options.download_dir = dir;
  options.out_path = out;
  options.build.strict = strict;
  options.build.on_source = [quiet](const SourceSpec& spec, const SourceInfo& info,
                                    const LoadReport& report) {
    ReportSource(spec, info, report, quiet);
  };
  options.progress = [quiet](std::string_view m) {
    if (!quiet) std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
  };
  auto result = refdata::FetchAndBuild(*config, options);
  if (!result.ok()) {
    std::fprintf(stderr, "icts: fetch failed; %s was left unchanged\n", out.c_str());
    return Fail(result.status());
  }
  PrintBuildSummary(*result, out, quiet);
  return 0;
}

int ListsInfo(const std::string& path, const std::string& format, bool verify) {
  auto snap = refdata::Snapshot::Open(path);
  if (!snap.ok()) return Fail(snap.status());
  if (verify) {
    Status v = (*snap)->Verify();
    if (!v.ok()) return Fail(v);
  }
  const refdata::Snapshot& s = **snap;
  if (format == "json") {
    json j;
    j["hash"] = s.hash();
    j["format_version"] = s.format_version();
    j["bytes"] = s.file_size();
    j["entities"] = s.entity_count();
    j["relations"] = s.relation_count();
    json sources = json::array();
    for (size_t i = 0; i < s.source_count(); ++i) {
      sources.push_back(refdata::SourceInfoToJson(s.source(i)));
    }
    j["sources"] = sources;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "snapshot  " << path << "\n"
            << "hash      " << s.hash() << (verify ? " (verified)" : "") << "\n"
            << "entities  " << s.entity_count() << "\n"
            << "relations " << s.relation_count() << "\n"
            << "bytes     " << s.file_size() << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < s.source_count(); ++i) {
    SourceInfo src = s.source(i);
    rows.push_back({src.format, src.path, std::to_string(src.rows),
                    std::to_string(src.entities), std::to_string(src.relations),
                    std::to_string(src.rejected),
                    src.published.empty() ? "-" : src.published,
                    src.sha256.substr(0, 12)});
  }
  PrintTable({"FORMAT", "PATH", "ROWS", "ENTITIES", "RELATIONS", "REJECTED",
              "PUBLISHED", "SHA256"},
             rows);
  return 0;
}

int ListsShow(const std::string& path, const std::string& id, const std::string& name,
              size_t limit, const std::string& format) {
  auto snap = refdata::Snapshot::Open(path);
  if (!snap.ok()) return Fail(snap.status());
  const refdata::Snapshot& s = **snap;
  std::vector<uint32_t> hits;
  if (!id.empty()) {
    auto e = s.FindById(id);
    if (!e) return Fail(NotFoundError(fmt::format("{}: no entity with id '{}'", path, id)));
    hits.push_back(e->index());
  } else {
    std::string needle = ToUpperAscii(name);
    for (uint32_t i = 0; i < s.entity_count() && hits.size() < limit; ++i) {
      for (std::string_view n : s.entity(i).Values(refdata::PropKind::kName)) {
        if (ToUpperAscii(n).find(needle) != std::string::npos) {
          hits.push_back(i);
          break;
        }
      }
    }
  }
  auto source_path = [&](uint32_t src) { return s.source(src).path; };
  if (format == "json") {
    json out = json::array();
    for (uint32_t i : hits) {
      refdata::EntityView v = s.entity(i);
      json j = refdata::EntityToJson(v.ToEntity());
      j["source"] = source_path(v.source_index());
      json rels = json::array();
      for (const auto& r : s.RelationsFrom(i)) rels.push_back(refdata::RelationToJson(r.ToRelation()));
      for (const auto& r : s.RelationsTo(i)) rels.push_back(refdata::RelationToJson(r.ToRelation()));
      j["relations"] = rels;
      out.push_back(j);
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (uint32_t i : hits) {
    refdata::EntityView v = s.entity(i);
    std::string countries;
    for (const auto& c : v.Props(refdata::PropKind::kCountry)) {
      if (!countries.empty()) countries += ",";
      countries += std::string(c.field(0));
    }
    std::string lists;
    for (std::string_view l : v.Values(refdata::PropKind::kList)) {
      if (!lists.empty()) lists += "; ";
      lists += std::string(l);
    }
    rows.push_back({std::string(v.id()), std::string(refdata::SchemaName(v.schema())),
                    std::string(v.primary_name()), countries, lists});
  }
  PrintTable({"ID", "SCHEMA", "NAME", "COUNTRIES", "LISTS"}, rows);
  return 0;
}

}  // namespace
}  // namespace icts

int main(int argc, char** argv) {
  using icts::SetLogLevel;
  CLI::App app{
      "icts: screen suppliers, products and transactions for foreign-adversary ties "
      "under U.S. ICTS rules (EO 13873, 15 CFR part 791)"};
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log progress details to stderr");

  CLI::App* lists = app.add_subcommand("lists", "Build and inspect reference-data snapshots");
  lists->require_subcommand(1);

  std::string config, out, format = "table", id, name, dir;
  std::vector<std::string> sources;
  bool strict = false, quiet = false, no_verify = false;
  size_t limit = 20;

  CLI::App* build = lists->add_subcommand("build", "Build a snapshot from list files");
  build->add_option("--config", config, "YAML file naming the sources");
  build->add_option("--source", sources,
                    "FORMAT=PATH (repeatable): csl, ofac, ofac-cons, dpl, un, ftm, curated");
  build->add_option("-o,--output", out, "Snapshot file to write")->required();
  build->add_flag("--strict", strict, "Fail (exit 2) on any rejected row");
  build->add_flag("-q,--quiet", quiet, "Print nothing on success");

  CLI::App* info = lists->add_subcommand("info", "Show a snapshot's sources and counts");
  info->add_option("snapshot", config, "Snapshot file")->required();
  info->add_option("-o,--output", format, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  info->add_flag("--no-verify", no_verify, "Skip the content-hash check");

  CLI::App* show = lists->add_subcommand("show", "Show entities of a snapshot");
  show->add_option("snapshot", config, "Snapshot file")->required();
  auto* id_opt = show->add_option("--id", id, "Exact entity id");
  auto* name_opt = show->add_option("--name", name, "Case-insensitive name substring");
  id_opt->excludes(name_opt);
  show->add_option("--limit", limit, "Most entities to show (with --name)");
  show->add_option("-o,--output", format, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}));

  CLI::App* fetch = lists->add_subcommand(
      "fetch", "Download the published lists and build a new snapshot");
  fetch->add_option("--config", config,
                    "YAML naming sources with url (default: the official addresses)");
  fetch->add_option("--dir", dir, "Folder for the downloaded files")->required();
  fetch->add_option("-o,--output", out, "Snapshot file to replace")->required();
  fetch->add_flag("--strict", strict, "Fail on any rejected row");
  fetch->add_flag("-q,--quiet", quiet, "Print nothing on success");

  icts::cli::ScreenArgs sa;
  std::string screen_name;
  CLI::App* screen = app.add_subcommand(
      "screen", "Screen a name, or every row of a file, against a snapshot's lists");
  CLI::Option* screen_name_opt =
      screen->add_option("name", screen_name, "Name to screen (or give --input FILE)");
  screen->add_option("--snapshot", sa.snapshot, "Snapshot file")->required();
  screen->add_option("--threshold", sa.threshold, "Lowest score reported (0..1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  screen->add_option("--top", sa.top, "Most hits per name, best first")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  screen->add_option("-o,--output", sa.output, "Output format: table, json, jsonl or csv")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv"}));
  screen->add_option("--country", sa.country, "Country of the name (ISO code or name)");
  screen->add_option("--type", sa.type, "person or organization")
      ->check(CLI::IsMember({"person", "organization"}));
  screen->add_option("--id", sa.identifiers, "Identifier of the party (repeatable)")
      ->allow_extra_args(false);
  screen->add_option("--dob", sa.birth_date, "Birth date: YYYY, YYYY-MM or YYYY-MM-DD");
  screen->add_option("--input", sa.input, "CSV, TSV or JSONL file of names (- for stdin)");
  screen->add_option("--input-format", sa.input_format,
                     "csv, tsv or jsonl (default: from the file extension)")
      ->check(CLI::IsMember({"csv", "tsv", "jsonl"}));
  screen->add_option("--name-column", sa.name_column, "CSV column with the names (default: name)");
  screen->add_option("--country-column", sa.country_column, "CSV column with countries");
  screen->add_option("--type-column", sa.type_column,
                     "CSV column with the type (person or organization)");
  screen->add_option("--id-column", sa.id_columns,
                     "CSV column with identifiers, ';'-separated (repeatable)")
      ->allow_extra_args(false);
  screen->add_option("--dob-column", sa.dob_column, "CSV column with birth dates");
  screen->add_flag("--fail-on-hit", sa.fail_on_hit, "Exit with code 1 when any hit is found");
  screen->add_flag("-q,--quiet", sa.quiet, "No progress, warnings or summary on stderr");

  icts::cli::CompareArgs ca;
  std::string compare_a, compare_b;
  CLI::App* compare = app.add_subcommand(
      "compare", "Score two names, or every a,b pair of a CSV file, with the explanation");
  CLI::Option* compare_a_opt =
      compare->add_option("a", compare_a, "First name (or give --input FILE)");
  CLI::Option* compare_b_opt = compare->add_option("b", compare_b, "Second name");
  compare->add_option("--input", ca.input, "CSV or TSV file with columns a,b (- for stdin)");
  compare->add_option("--input-format", ca.input_format,
                      "csv or tsv (default: from the file extension)")
      ->check(CLI::IsMember({"csv", "tsv"}));
  compare->add_option("--a-column", ca.a_column, "Column of the first names")
      ->capture_default_str();
  compare->add_option("--b-column", ca.b_column, "Column of the second names")
      ->capture_default_str();
  compare->add_option("--snapshot", ca.snapshot,
                      "Weigh words by their rarity in this snapshot's names, as screen does "
                      "(default: every word weighs the same)");
  compare
      ->add_option("--type", ca.type,
                   "Score as names of persons or organisations, whose rules differ "
                   "(person or organization; default: unknown)")
      ->check(CLI::IsMember({"person", "organization"}));
  compare->add_option("--threshold", ca.threshold, "Score at which a pair is a match (0..1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  compare->add_option("-o,--output", ca.output, "Output format: table, json, jsonl or csv")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv"}));
  compare->add_flag("-q,--quiet", ca.quiet, "No progress or summary on stderr");

  icts::cli::OwnersArgs oa;
  CLI::App* owners = app.add_subcommand(
      "owners",
      "Ownership and control of an entity: effective foreign-adversary shares with the "
      "explaining paths, control chains and the 15 CFR 791.2 nexus prongs as of a date");
  owners->add_option("entity", oa.entity, "Entity id, LEI or name")->required();
  owners->add_option("--nodes", oa.nodes, "Nodes CSV: id,name,type,country,country_role");
  owners->add_option("--edges", oa.edges, "Edges CSV: owner_id,owned_id,share,control");
  owners->add_option("--gleif", oa.gleif, "GLEIF Level 1/Level 2/exceptions file (repeatable)")
      ->allow_extra_args(false);
  owners->add_option("--bods", oa.bods, "BODS statements file (repeatable)")
      ->allow_extra_args(false);
  owners->add_option("--ftm", oa.ftm, "FollowTheMoney JSON-lines file (repeatable)")
      ->allow_extra_args(false);
  owners->add_option("--snapshot", oa.snapshot,
                     "Snapshot whose relations join the graph; names are screened against it");
  owners->add_option("--as-of", oa.as_of, "Evaluation date YYYY-MM-DD (default: today)");
  owners->add_option("--definition", oa.definition,
                     "Nexus definition: subpart-ab (default), subpart-ab-interim, subpart-d, or a YAML file");
  owners->add_option("--adversaries", oa.adversaries,
                     "Foreign-adversary list YAML (default: the shipped 791.4 list)");
  owners->add_option("-o,--output", oa.output, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  owners->add_flag("--dot", oa.dot, "Print the entity's upstream graph as Graphviz DOT");
  owners->add_flag("-q,--quiet", oa.quiet, "No warnings on stderr");

  icts::cli::ReviewArgs ra;
  CLI::App* review = app.add_subcommand(
      "review",
      "Determine ICTS transactions against the rule packs: covered or not (15 CFR 791.3), "
      "foreign-adversary nexus, prohibitions and list flags, each with its citation");
  review->add_option("input", ra.input, "Transaction JSON (object, array or JSON lines); - = stdin")
      ->required();
  review->add_option("--as-of", ra.as_of, "Evaluate as of YYYY-MM-DD (default: each transaction's date)");
  review->add_option("--snapshot", ra.snapshot, "Screen the parties against this snapshot");
  review->add_option("--rules", ra.rules.rules_dir, "Rule pack directory (default: the shipped packs)");
  review->add_option("--pack", ra.rules.packs, "An extra pack file, e.g. a company's own (repeatable)")
      ->allow_extra_args(false);
  review->add_option("--fail-on", ra.fail_on, "Exit 1 when an outcome is at or above: prohibited, needs-review")
      ->check(CLI::IsMember({"prohibited", "needs-review"}));
  review->add_option("-o,--output", ra.rules.output, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}));

  icts::cli::ScanArgs sca;
  CLI::App* scan = app.add_subcommand(
      "scan",
      "Scan inventories (CycloneDX JSON/XML, SPDX 2.2/2.3 JSON and tag-value, SPDX 3.0 JSON-LD, "
      "asset CSV, services CSV/JSON): each item's suppliers screened and reviewed against the "
      "rule packs; a CI gate with --fail-on");
  scan->add_option("inputs", sca.inputs, "Inventory files")->required();
  scan->add_option("--snapshot", sca.snapshot, "Screen suppliers against this snapshot");
  scan->add_option("--as-of", sca.as_of, "Apply the rules as of YYYY-MM-DD (default: today)");
  scan->add_option("--fail-on", sca.fail_on,
                   "Exit 1 when a finding reaches: prohibited (default), needs-review, any "
                   "(also unattributed items), never")
      ->check(CLI::IsMember({"prohibited", "needs-review", "any", "never"}));
  scan->add_option("-o,--output", sca.output, "Output format: table, json, csv, sarif or html")
      ->check(CLI::IsMember({"table", "json", "csv", "sarif", "html"}));
  scan->add_option("-O,--out-file", sca.out_file, "Write the report to this file (atomically)");
  scan->add_option("--decisions", sca.decisions,
                   "Decisions file: accepted risks, false positives ... with reason, who and expiry");
  scan->add_option("--mapping", sca.mapping, "Item mapping file: tags and suppliers by purl, CPE vendor or name");
  scan->add_option("--sector", sca.sectors, "The organisation's sector tag, e.g. sector-healthcare (repeatable)")
      ->allow_extra_args(false);
  scan->add_option("--activity", sca.activity, "The organisation's transaction with the items (default: use)")
      ->check(CLI::IsMember({"acquisition", "importation", "transfer", "installation", "dealing-in", "use"}));
  scan->add_option("--agreement", sca.agreement, "new (a purchase or renewal) or existing")
      ->check(CLI::IsMember({"new", "existing"}));
  scan->add_option("--organization", sca.organization, "Name of the scanning organisation (a U.S. person)");
  scan->add_option("--rules", sca.rules.rules_dir, "Rule pack directory (default: the shipped packs)");
  scan->add_option("--pack", sca.rules.packs, "An extra pack file (repeatable)")->allow_extra_args(false);
  scan->add_flag("-q,--quiet", sca.quiet, "No progress on stderr");
  scan->add_option("--store", sca.store,
                   "Record the scan (summary and JSON report) in this store: sqlite:PATH or postgres://...");

  const std::string store_help =
      "Store URL: sqlite:PATH or postgres://... (default: $ICTS_STORE, else sqlite:icts.db)";
  screen->add_option("--store", sa.store,
                     "Record the results in this store and show its decisions on the hits");
  review->add_option("--store", ra.store, "Record each determination in this store");

  icts::cli::AuditArgs aa;
  CLI::App* audit = app.add_subcommand("audit", "The store's hash-chained audit log");
  audit->require_subcommand(1);
  CLI::App* audit_verify = audit->add_subcommand(
      "verify", "Check the audit chain (exit 0 intact, 1 broken: names the first bad event)");
  audit_verify->add_option("--store", aa.store, store_help);
  audit_verify->add_option("-o,--output", aa.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  CLI::App* audit_export = audit->add_subcommand(
      "export", "Write the chain as a bundle signed with an Ed25519 key");
  audit_export->add_option("--store", aa.store, store_help);
  audit_export->add_option("--key", aa.key, "Ed25519 private key (PEM)")->required();
  audit_export->add_option("-o,--output", aa.out, "Bundle folder to create")->required();
  CLI::App* audit_check = audit->add_subcommand(
      "check", "Check an exported bundle offline (exit 0 valid, 1 not)");
  audit_check->add_option("bundle", aa.bundle, "Bundle folder")->required();
  audit_check->add_option("--pubkey", aa.pubkey, "Ed25519 public key (PEM)")->required();
  audit_check->add_option("-o,--output", aa.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));

  icts::cli::DecisionArgs da;
  CLI::App* decisions = app.add_subcommand(
      "decisions", "Human decisions on screening hits: false positive, confirmed, accepted risk");
  decisions->require_subcommand(1);
  CLI::App* decisions_add = decisions->add_subcommand(
      "add", "Record a decision on a hit (prints its id once committed)");
  decisions_add->add_option("--store", da.store, store_help);
  decisions_add->add_option("--kind", da.kind, "hit (default) or finding")
      ->check(CLI::IsMember({"hit", "finding"}));
  decisions_add->add_option("--entity", da.entity, "List entry id (or supplier key)")->required();
  decisions_add->add_option("--query", da.query, "The screened name (or item key)")->required();
  decisions_add->add_option("--status", da.status,
                            "false-positive, confirmed, accepted-risk, mitigated, "
                            "not-applicable or revoked")
      ->required();
  decisions_add->add_option("--reason", da.reason, "Why")->required();
  decisions_add->add_option("--by", da.by, "Who decided (default: the current user)");
  decisions_add->add_option("--expires", da.expires, "Last day the decision applies, YYYY-MM-DD");
  decisions_add->add_option("--snapshot", da.snapshot,
                            "Snapshot holding the entry: its content hash is recorded so "
                            "the decision re-opens when the entry changes");
  decisions_add->add_option("--content-hash", da.content_hash, "The entry's content hash");
  decisions_add->add_option("-o,--output", da.output, "table (the id) or json")
      ->check(CLI::IsMember({"table", "json"}));
  CLI::App* decisions_list = decisions->add_subcommand("list", "List decisions, newest first");
  decisions_list->add_option("--store", da.store, store_help);
  decisions_list->add_option("--entity", da.entity, "Only this entry");
  decisions_list->add_option("--query", da.query, "Only this screened name");
  decisions_list->add_option("-o,--output", da.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));

  icts::cli::ReplayArgs rpa;
  CLI::App* replay = app.add_subcommand(
      "replay", "Re-evaluate a stored determination from its stored input and compare "
                "(exit 0 same, 1 differs)");
  replay->add_option("id", rpa.id, "Determination id")->required();
  replay->add_option("--store", rpa.store, store_help);
  replay->add_option("--snapshot", rpa.snapshot, "Snapshot to screen the parties against");
  replay->add_option("--rules", rpa.rules.rules_dir, "Rule pack directory (default: the shipped packs)");
  replay->add_option("--pack", rpa.rules.packs, "An extra pack file (repeatable)")
      ->allow_extra_args(false);

  icts::cli::VehiclesArgs va;
  CLI::App* vehicles = app.add_subcommand(
      "vehicles", "Connected vehicles (15 CFR 791 Subpart D): model-year checks and Declarations");
  vehicles->require_subcommand(1);
  CLI::App* vehicles_check = vehicles->add_subcommand(
      "check", "Check a vehicle's (or a VCS hardware import's) items: class, supplier, nexus, "
               "prohibited / needs review / clear, and the Declaration of Conformity it needs");
  vehicles_check->add_option("input", va.input, "Vehicle check JSON (docs/schema/vehicle-check.schema.json)")
      ->required();
  vehicles_check->add_option("--snapshot", va.snapshot, "Screen suppliers against this snapshot");
  vehicles_check->add_option("--as-of", va.as_of, "Apply the rules as of YYYY-MM-DD (default: the input's date)");
  vehicles_check->add_option("--fail-on", va.fail_on, "Exit 1 when an item reaches: prohibited (default), needs-review, never")
      ->check(CLI::IsMember({"prohibited", "needs-review", "never"}));
  vehicles_check->add_option("-o,--output", va.output, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  vehicles_check->add_option("--rules", va.rules.rules_dir, "Rule pack directory (default: the shipped packs)");
  vehicles_check->add_option("--authorizations", va.authorizations,
                             "Authorizations held (general, specific, advisory opinions): YAML or JSON");
  CLI::App* vehicles_decl = vehicles->add_subcommand(
      "declaration", "Assemble the Declaration of Conformity (791.305) for a checked vehicle: JSON "
                     "record, printable HTML, PDF through headless Chromium; stored with its retention");
  vehicles_decl->add_option("input", va.input, "Vehicle check JSON")->required();
  vehicles_decl->add_option("--snapshot", va.snapshot, "Screen suppliers against this snapshot");
  vehicles_decl->add_option("--as-of", va.as_of, "Apply the rules as of YYYY-MM-DD (default: the input's date)");
  vehicles_decl->add_option("--authorizations", va.authorizations, "Authorizations held: YAML or JSON");
  vehicles_decl->add_option("--contact", va.contact, "Point of contact named in the Declaration");
  vehicles_decl->add_option("--html", va.html_out, "Write the printable Declaration (HTML) here");
  vehicles_decl->add_option("--pdf", va.pdf_out, "Also print it to PDF with headless Chromium");
  vehicles_decl->add_option("--store", va.store, "Record the Declaration in this store (10-year retention)");
  vehicles_decl->add_option("--rules", va.rules.rules_dir, "Rule pack directory (default: the shipped packs)");

  icts::cli::RulesArgs rla;
  CLI::App* rules_cmd = app.add_subcommand("rules", "Rule packs: list them, run their tests, show item tags");
  rules_cmd->require_subcommand(1);
  rules_cmd->add_option("--rules", rla.rules_dir, "Rule pack directory (default: the shipped packs)");
  rules_cmd->add_option("--pack", rla.packs, "An extra pack file (repeatable)")->allow_extra_args(false);
  CLI::App* rules_list = rules_cmd->add_subcommand("list", "List packs and their rules with dates and citations");
  rules_list->add_option("-o,--output", rla.output, "table or json")->check(CLI::IsMember({"table", "json"}));
  CLI::App* rules_test = rules_cmd->add_subcommand("test", "Run the packs' tests (all, or one pack)");
  rules_test->add_option("pack", rla.pack, "Pack id");
  rules_test->add_option("-o,--output", rla.output, "table or json")->check(CLI::IsMember({"table", "json"}));
  CLI::App* rules_tags = rules_cmd->add_subcommand("tags", "List the item tags of the taxonomy");

  icts::cli::CaseCommand case_cmd(app);

  icts::cli::ServeArgs sva;
  CLI::App* serve = app.add_subcommand(
      "serve", "Serve the REST API (docs/server.md); SIGHUP reloads the snapshot");
  serve->add_option("--listen", sva.listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--store", sva.store, store_help);
  serve->add_option("--snapshot", sva.snapshot, "Snapshot to screen against");
  serve->add_option("--rules", sva.rules_dir, "Rule pack directory (default: the shipped packs)");
  serve->add_option("--cors-origin", sva.cors_origin, "Allow this browser origin (default: no CORS)");
  serve->add_option("--web", sva.web_dir,
                    "Folder of the web UI's files (default: web/ next to the executable)");
  icts::cli::TokenArgs tka;
  CLI::App* token = app.add_subcommand("token", "API tokens for the server");
  token->require_subcommand(1);
  CLI::App* token_create = token->add_subcommand(
      "create", "Create a token with a role (printed once; only its hash is kept)");
  token_create->add_option("--role", tka.role, "viewer, analyst, reviewer or admin")
      ->required()
      ->check(CLI::IsMember({"viewer", "analyst", "reviewer", "admin"}));
  token_create->add_option("--name", tka.name, "The user the token acts for (default: the role)");
  token_create->add_option("--store", tka.store, store_help);
  CLI::App* token_list =
      token->add_subcommand("list", "List the active tokens (ids, users, roles; never the tokens)");
  token_list->add_option("--store", tka.store, store_help);
  token_list->add_option("-o,--output", tka.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  CLI::App* token_revoke = token->add_subcommand(
      "revoke", "Revoke a token by its id (servers refuse it within about a second)");
  token_revoke->add_option("id", tka.id, "The token's id (tok-…), as token list shows it")
      ->required();
  token_revoke->add_option("--store", tka.store, store_help);

  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "icts 0.1.0 (snapshot format "
              << icts::refdata::kSnapshotFormatVersion << ")\n";
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  SetLogLevel(verbose ? icts::LogLevel::kInfo : icts::LogLevel::kWarn);

  if (build->parsed()) return icts::ListsBuild(config, sources, out, strict, quiet);
  if (info->parsed()) return icts::ListsInfo(config, format, !no_verify);
  if (show->parsed()) {
    if (id.empty() && name.empty()) {
      std::fprintf(stderr, "icts: lists show needs --id or --name\n");
      return 2;
    }
    return icts::ListsShow(config, id, name, limit, format);
  }
  if (fetch->parsed()) return icts::ListsFetch(config, dir, out, strict, quiet);
  if (screen->parsed()) {
    if (screen_name_opt->count() > 0) sa.name = screen_name;
    return icts::cli::RunScreen(sa);
  }
  if (owners->parsed()) return icts::cli::RunOwners(oa);
  if (review->parsed()) return icts::cli::RunReview(ra);
  if (scan->parsed()) return icts::cli::RunScan(sca);
  if (vehicles_check->parsed()) return icts::cli::RunVehiclesCheck(va);
  if (vehicles_decl->parsed()) return icts::cli::RunVehiclesDeclaration(va);
  if (audit_verify->parsed()) return icts::cli::RunAuditVerify(aa);
  if (audit_export->parsed()) return icts::cli::RunAuditExport(aa);
  if (audit_check->parsed()) return icts::cli::RunAuditCheck(aa);
  if (decisions_add->parsed()) return icts::cli::RunDecisionsAdd(da);
  if (decisions_list->parsed()) {
    da.kind.clear();
    return icts::cli::RunDecisionsList(da);
  }
  if (replay->parsed()) return icts::cli::RunReplay(rpa);
  if (rules_list->parsed()) return icts::cli::RunRulesList(rla);
  if (rules_test->parsed()) return icts::cli::RunRulesTest(rla);
  if (rules_tags->parsed()) return icts::cli::RunRulesTags(rla);
  if (compare->parsed()) {
    if (compare_a_opt->count() > 0) ca.names.push_back(compare_a);
    if (compare_b_opt->count() > 0) ca.names.push_back(compare_b);
    return icts::cli::RunCompare(ca);
  }
  if (case_cmd.parsed()) return case_cmd.Run();
  if (serve->parsed()) return icts::cli::RunServe(sva);
  if (token_create->parsed()) return icts::cli::RunTokenCreate(tka);
  if (token_list->parsed()) return icts::cli::RunTokenList(tka);
  if (token_revoke->parsed()) return icts::cli::RunTokenRevoke(tka);
  return 0;
}
