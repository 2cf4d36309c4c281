#include "cli/scan_cmd.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/status.h"
#include "inventory/item.h"
#include "match/screener.h"
#include "refdata/snapshot.h"
#include "report/scan_report.h"
#include "review/review.h"
#include "scan/scan.h"
#include "store/store.h"
#include "cli/store_cmd.h"

namespace icts::cli {
namespace {

int Fail(const Status& s) { return FailWith(s); }

}  // namespace

int RunScan(const ScanArgs& args) {
  if (args.inputs.empty()) return Fail(InvalidArgumentError("scan: give at least one inventory file"));
  Result<rules::PackSet> set = LoadRules(args.rules);
  if (!set.ok()) return Fail(set.status());
  scan::ScanOptions options;
  options.as_of = TodayUtc();
  if (!args.as_of.empty()) {
    Result<Date> d = Date::ParseIso(args.as_of);
    if (!d.ok()) {
      return Fail(
          InvalidArgumentError(fmt::format("--as-of '{}' is not a date YYYY-MM-DD", args.as_of)));
    }
    options.as_of = *d;
  }
  options.activity = args.activity;
  options.agreement = args.agreement;
  options.organization = args.organization;
  if (!args.decisions.empty()) {
    Result<std::vector<scan::Decision>> d = scan::ReadDecisions(args.decisions);
    if (!d.ok()) return Fail(d.status());
    options.decisions = std::move(*d);
  }
  if (!args.mapping.empty()) {
    Result<scan::ItemMapping> m = scan::ReadItemMapping(args.mapping, set->taxonomy);
    if (!m.ok()) return Fail(m.status());
    options.mapping = std::move(*m);
  }
  for (const std::string& tag : args.sectors) {
    if (!set->taxonomy.Has(tag)) {
      return Fail(InvalidArgumentError(
          fmt::format("--sector '{}' is not an item tag (see icts rules tags)", tag)));
    }
    options.mapping.sector_tags.push_back(tag);
  }
  const bool tty = isatty(STDERR_FILENO) != 0 && !args.quiet;

  // Read every file first: any error stops the scan before anything is written.
  std::vector<inventory::DocumentInfo> documents;
  std::vector<inventory::Item> items;
  Status read = scan::ReadInventoryFiles(
      args.inputs, &documents, &items, [&](const std::string& path, size_t n) {
        if (tty) std::cerr << fmt::format("icts: read {}: {} items\n", path, n);
      });
  if (!read.ok()) return Fail(read);

  Result<ReviewSetup> setup = MakeReviewer(*set, args.snapshot);
  if (!setup.ok()) return Fail(setup.status());
  if (tty) {
    options.progress = [](size_t done, size_t total) {
      std::cerr << fmt::format("icts: reviewed {}/{} distinct supplier and item combinations\r",
                               done, total);
      if (done == total) std::cerr << "\n";
    };
  }
  const scan::ScanResult result =
      scan::Scan(std::move(documents), std::move(items), *setup->reviewer, options);

  std::string out;
  if (args.output == "json") {
    out = report::ScanToJsonText(result);
  } else if (args.output == "csv") {
    out = report::ScanToCsv(result);
  } else if (args.output == "sarif") {
    out = report::ScanToSarif(result);
  } else if (args.output == "html") {
    out = report::ScanToHtml(result);
  } else {
    const bool color = args.out_file.empty() && isatty(STDOUT_FILENO) != 0;
    out = report::ScanToTable(result, color);
  }
  if (!args.store.empty()) {
    // The record holds the JSON report whatever format was printed.
    Result<std::unique_ptr<store::Store>> st = store::Store::Open(args.store);
    if (!st.ok()) return Fail(st.status());
    store::ScanRecord rec;
    rec.result_json = args.output == "json" ? out : report::ScanToJsonText(result);
    nlohmann::json summary = {{"items", result.items.size()},
                              {"findings", result.findings.size()},
                              {"prohibited", result.prohibited},
                              {"needs_review", result.needs_review},
                              {"decided", result.suppressed},
                              {"unattributed", result.unattributed.size()},
                              {"fail_on", args.fail_on},
                              {"fails", scan::Fails(result, args.fail_on)},
                              {"as_of", result.as_of},
                              {"snapshot_sha256", result.snapshot_sha256},
                              {"inputs", args.inputs}};
    rec.summary_json = summary.dump();
    Result<std::string> id = (*st)->PutScan(CliActor(), std::move(rec));
    if (!id.ok()) return Fail(id.status());
    std::cerr << "icts: stored scan " << *id << "\n";
  }
  if (!args.out_file.empty()) {
    Status s = WriteFileAtomically(args.out_file, out);
    if (!s.ok()) return Fail(s);
  } else {
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return scan::Fails(result, args.fail_on) ? 1 : 0;
}

}  // namespace icts::cli
