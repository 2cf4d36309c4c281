// `icts serve` and `icts token create`: the REST server (src/server/) and
// its API tokens.
//
// Exit codes: 0 success (serve: stopped by SIGINT/SIGTERM); 2 usage or input
// error; 3 the store, snapshot or address cannot be used.
#ifndef ICTS_CLI_SERVE_CMD_H_
#define ICTS_CLI_SERVE_CMD_H_

#include <string>

namespace icts::cli {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT (port 0: any free port).
  std::string store;                      // "" = the default store.
  std::string snapshot;
  std::string rules_dir;
  std::string cors_origin;  // "" = no CORS headers.
  std::string web_dir;      // "" = the folder web/ next to the executable.
};

struct TokenArgs {
  std::string store;
  std::string role;
  std::string name;  // Default: the role.
  std::string id;    // token revoke.
  std::string output = "table";  // token list: table | json.
};

// Serves until SIGINT or SIGTERM; SIGHUP reloads the snapshot file.
int RunServe(const ServeArgs& args);
// Prints the new token on stdout, once.
int RunTokenCreate(const TokenArgs& args);
// Lists the active tokens: id, user and role.
int RunTokenList(const TokenArgs& args);
// Revokes the token with args.id (exit 2 when no active token has it).
int RunTokenRevoke(const TokenArgs& args);

}  // namespace icts::cli

#endif  // ICTS_CLI_SERVE_CMD_H_
