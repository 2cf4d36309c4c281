// `icts vehicles check`: a vehicle's (or a VCS hardware import's) items
// against the connected-vehicle rules of 15 CFR 791 Subpart D, with the
// Declaration of Conformity it needs.
//
// Exit codes: 0 nothing reaches --fail-on, 1 something does, 2 usage or
// input error (the message names the file and the JSON pointer), 3
// environment failure.
#ifndef ICTS_CLI_VEHICLES_CMD_H_
#define ICTS_CLI_VEHICLES_CMD_H_

#include <string>

#include "cli/review_cmd.h"

namespace icts::cli {

struct VehiclesArgs {
  RulesArgs rules;
  std::string input;
  std::string snapshot;
  std::string as_of;  // Default: the input's date.
  std::string fail_on = "prohibited";  // prohibited | needs-review | never
  std::string output = "table";        // table | json
};

int RunVehiclesCheck(const VehiclesArgs& args);

}  // namespace icts::cli

#endif  // ICTS_CLI_VEHICLES_CMD_H_
