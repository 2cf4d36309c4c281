#include "cli/serve_cmd.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "cli/store_cmd.h"
#include "server/server.h"
#include "server/tokens.h"

namespace icts::cli {
namespace {

int Fail(const Status& status) { return FailWith(status); }

// The folder web/ next to the running executable (the build tree puts the
// UI there), or "" when the executable's path is unknown.
std::string DefaultWebDir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string exe(buf, static_cast<size_t>(n));
  size_t slash = exe.find_last_of('/');
  return slash == std::string::npos ? "" : exe.substr(0, slash) + "/web";
}

}  // namespace

int RunServe(const ServeArgs& args) {
  server::ServerOptions options;
  size_t colon = args.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Fail(InvalidArgumentError("--listen '" + args.listen + "': expected HOST:PORT"));
  }
  options.host = args.listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  try {
    size_t used = 0;
    options.port = std::stoi(args.listen.substr(colon + 1), &used);
    if (used != args.listen.size() - colon - 1 || options.port < 0 || options.port > 65535) {
      throw std::invalid_argument("port");
    }
  } catch (const std::exception&) {
    return Fail(InvalidArgumentError("--listen '" + args.listen + "': bad port"));
  }
  options.store_url = args.store;
  options.snapshot_path = args.snapshot;
  options.rules_dir = args.rules_dir;
  options.cors_origin = args.cors_origin;
  options.web_dir = args.web_dir.empty() ? DefaultWebDir() : args.web_dir;

  // Signals go to a thread of their own (sigwait), blocked everywhere else.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Result<std::unique_ptr<server::Server>> srv = server::Server::Create(options);
  if (!srv.ok()) return Fail(Status(StatusCode::kUnavailable, srv.status().message()));
  Status started = (*srv)->Start();
  if (!started.ok()) return Fail(started);
  std::fprintf(stderr, "icts: serving on http://%s:%d\n", options.host.c_str(), (*srv)->port());
  std::fprintf(stderr, "icts: web UI at http://%s:%d/ (files: %s)\n", options.host.c_str(),
               (*srv)->port(), options.web_dir.c_str());
  std::fflush(stderr);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      Status s = (*srv)->ReloadSnapshot("");
      std::fprintf(stderr, "icts: %s\n",
                   s.ok() ? "snapshot reloaded" : ("reload failed: " + s.message()).c_str());
      continue;
    }
    break;
  }
  std::fprintf(stderr, "icts: stopping\n");
  (*srv)->Stop();
  return 0;
}

int RunTokenCreate(const TokenArgs& args) {
  Result<server::Role> role = server::ParseRole(args.role);
  if (!role.ok()) return Fail(role.status());
  auto st = OpenStore(args.store);
  if (!st.ok()) return Fail(Status(StatusCode::kUnavailable, st.status().message()));
  server::TokenInfo info;
  Result<std::string> token = server::CreateToken(**st, CliActor(), *role,
                                                  args.name.empty() ? args.role : args.name, &info);
  if (!token.ok()) return Fail(token.status());
  std::printf("%s\n", token->c_str());
  std::fprintf(stderr, "created token %s for %s (%s); it is not shown again\n", info.id.c_str(),
               info.name.c_str(), std::string(server::RoleName(info.role)).c_str());
  return 0;
}

int RunTokenList(const TokenArgs& args) {
  auto st = OpenStore(args.store);
  if (!st.ok()) return Fail(Status(StatusCode::kUnavailable, st.status().message()));
  server::TokenRegistry registry;
  if (Status s = registry.Refresh(**st); !s.ok()) return Fail(s);
  const std::vector<server::TokenInfo> tokens = registry.List();
  if (args.output == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const server::TokenInfo& t : tokens) {
      out.push_back({{"id", t.id}, {"name", t.name}, {"role", server::RoleName(t.role)}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%-16s  %-9s  %s\n", "ID", "ROLE", "NAME");
  for (const server::TokenInfo& t : tokens) {
    std::printf("%-16s  %-9s  %s\n", t.id.c_str(), std::string(server::RoleName(t.role)).c_str(),
                t.name.c_str());
  }
  return 0;
}

int RunTokenRevoke(const TokenArgs& args) {
  auto st = OpenStore(args.store);
  if (!st.ok()) return Fail(Status(StatusCode::kUnavailable, st.status().message()));
  if (Status s = server::RevokeToken(**st, CliActor(), args.id); !s.ok()) return Fail(s);
  std::fprintf(stderr, "revoked token %s\n", args.id.c_str());
  return 0;
}

}  // namespace icts::cli
