// Report writers for `icts scan`: one ScanResult rendered as JSON, CSV, a
// terminal table, SARIF 2.1.0 and a self-contained HTML page.
//
// Every writer is a pure function of the ScanResult (no I/O, no clock) and
// never fails. Text from the inventories (names, versions, suppliers) is
// untrusted: the JSON and SARIF writers replace ill-formed UTF-8 with U+FFFD,
// the HTML writer escapes every string, the table writer replaces control
// characters so that an SBOM cannot move the terminal's cursor, and the CSV
// writer quotes per RFC 4180 and defuses spreadsheet formulas. The formats
// are documented in docs/scan-output.md; the JSON one in
// docs/schema/scan-result.schema.json.
#ifndef ICTS_REPORT_SCAN_REPORT_H_
#define ICTS_REPORT_SCAN_REPORT_H_

#include <cstddef>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "scan/scan.h"

namespace icts::report {

// At most this many unattributed items are listed by name (all are counted).
inline constexpr size_t kMaxUnattributedListed = 1000;

// The JSON document (`-o json`) as text, indented by two spaces, ending in
// a newline, keys in the documented order. Written without building a DOM:
// use this for output (300,000 findings take under a second).
std::string ScanToJsonText(const scan::ScanResult& result);

// The same document parsed (for callers that embed or inspect it). Costs
// about 1 KB of memory per value.
nlohmann::json ScanToJson(const scan::ScanResult& result);

// One row per finding, then one per unattributed item (outcome
// "unattributed"), under a header row. CRLF line ends (RFC 4180).
std::string ScanToCsv(const scan::ScanResult& result);

// A summary for people: counts, findings by supplier then item, each with
// its explanation chain. `color` adds ANSI colours.
std::string ScanToTable(const scan::ScanResult& result, bool color);

// SARIF 2.1.0 (one run), in the subset GitHub code scanning accepts.
std::string ScanToSarif(const scan::ScanResult& result);

// One self-contained HTML page (inline CSS and script, nothing fetched).
std::string ScanToHtml(const scan::ScanResult& result);

}  // namespace icts::report

#endif  // ICTS_REPORT_SCAN_REPORT_H_
