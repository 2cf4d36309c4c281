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
  std::string authorizations;          // Authorizations held (YAML or JSON).
  // `vehicles declaration`:
  std::string contact;   // Point of contact.
  std::string html_out;  // Printable Declaration.
  std::string pdf_out;   // PDF through headless Chromium.
  std::string store;     // Store URL ("" = do not record).
};

int RunVehiclesCheck(const VehiclesArgs& args);
// Builds the Declaration of Conformity record (JSON on stdout), optionally
// the printable HTML and PDF, and records it in the store. Exit 0 when the
// Declaration is ready to file, 1 when items still block it (prohibited or
// open), 2 input error, 3 environment (store, Chromium).
int RunVehiclesDeclaration(const VehiclesArgs& args);

}  // namespace icts::cli

#endif  // ICTS_CLI_VEHICLES_CMD_H_
