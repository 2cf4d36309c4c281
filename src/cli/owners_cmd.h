// `icts owners`: the ownership and control of one entity, its effective
// foreign-adversary shares with the explaining paths, and the 791.2 nexus
// prongs that hold as of a date.
//
// Argument parsing stays in main.cc; RunOwners() loads the graph sources
// (all-or-nothing), resolves the entity (id, LEI, exact name, or a name
// screened against the snapshot), prints the result to stdout (table, json,
// or a Graphviz picture with `dot`) and messages to stderr, and returns the
// exit code: 0 success, 2 usage or input error (messages name file:line),
// 3 environment failure.
#ifndef ICTS_CLI_OWNERS_CMD_H_
#define ICTS_CLI_OWNERS_CMD_H_

#include <string>
#include <vector>

namespace icts::cli {

struct OwnersArgs {
  std::string entity;  // Id, LEI or name.
  std::string nodes;   // CSV contract files.
  std::string edges;
  std::vector<std::string> gleif;         // GLEIF Level 1/2/reporting-exception files.
  std::vector<std::string> bods;          // BODS statement files.
  std::vector<std::string> ftm;           // FollowTheMoney JSON lines.
  std::string snapshot;                   // Its relations join the graph; names resolve here.
  std::string as_of;                      // YYYY-MM-DD; default today.
  std::string definition = "subpart-ab";  // subpart-ab | subpart-d | a YAML file.
  std::string adversaries;                // YAML file; default the shipped list.
  std::string output = "table";           // table | json
  bool dot = false;                       // Print Graphviz DOT instead.
  bool quiet = false;                     // No warnings on stderr.
};

int RunOwners(const OwnersArgs& args);

}  // namespace icts::cli

#endif  // ICTS_CLI_OWNERS_CMD_H_
