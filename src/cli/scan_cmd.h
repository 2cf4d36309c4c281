// `icts scan`: inventories (SBOMs, asset lists, service lists) through the
// review pipeline, with a CI gate.
//
// Exit codes: 0 nothing reaches --fail-on, 1 something does, 2 usage or
// input error (the message names the file and the JSON pointer or
// line:column; nothing is printed on stdout), 3 environment failure.
#ifndef ICTS_CLI_SCAN_CMD_H_
#define ICTS_CLI_SCAN_CMD_H_

#include <string>
#include <vector>

#include "cli/review_cmd.h"

namespace icts::cli {

struct ScanArgs {
  RulesArgs rules;
  std::vector<std::string> inputs;
  std::string snapshot;
  std::string as_of;                   // Default: today.
  std::string fail_on = "prohibited";  // prohibited | needs-review | any | never
  std::string output = "table";        // table | json | csv | sarif | html
  std::string out_file;                // -O: write the report here (atomically).
  std::string decisions;               // Decisions (suppressions) file.
  std::string mapping;                 // Item mapping file.
  std::vector<std::string> sectors;    // --sector TAG (repeatable).
  std::string activity = "use";
  std::string agreement;
  std::string organization = "The organisation";
  bool quiet = false;
  std::string store;  // Record the scan here ("" = do not).
};

int RunScan(const ScanArgs& args);

}  // namespace icts::cli

#endif  // ICTS_CLI_SCAN_CMD_H_
