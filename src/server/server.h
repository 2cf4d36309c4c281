// `icts serve`: the REST API over the engine (docs/server.md).
//
// One process serves /api/v1/... from a pool of request threads, and the web
// UI's static files at "/" and "/ui/..." (static_files.h). Every request but
// /healthz, /metrics, /openapi.json and the UI's files needs a bearer token
// whose role reaches the route's role (tokens.h). Errors are RFC 9457 problem
// documents. Long work (scans of uploaded inventories, batch screening) runs
// as background jobs on one worker thread; the client polls
// /api/v1/jobs/{id}.
//
// The snapshot, its screener and the rule packs form one immutable "world"
// held by a shared_ptr: ReloadSnapshot() builds a new world and swaps the
// pointer, so requests in flight finish on the world they started with.
//
// Thread safety: Start(), Stop() and ReloadSnapshot() may be called from any
// thread; the store is used by one request at a time.
#ifndef ICTS_SERVER_SERVER_H_
#define ICTS_SERVER_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "server/tokens.h"

namespace icts::server {

// One route of the API: method, OpenAPI path ("/api/v1/jobs/{id}") and the
// least role it needs (public routes need none).
struct Route {
  std::string method;  // GET | POST
  std::string path;
  Role role = Role::kViewer;
  bool is_public = false;
};

// Every route the server answers, in registration order.
const std::vector<Route>& Routes();

// The OpenAPI 3.0 document served at /openapi.json (docs/openapi.json).
std::string_view OpenApiDocument();

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                 // 0: any free port (see Server::port()).
  std::string store_url;           // "" = the default store.
  std::string snapshot_path;       // "" = no lists: screening finds nothing.
  std::string rules_dir;           // "" = the default rule directory.
  size_t max_body_bytes = 1 << 20;      // JSON bodies.
  size_t max_upload_bytes = 64 << 20;   // Inventory uploads.
  int read_timeout_seconds = 5;    // A client silent this long is dropped.
  size_t threads = 64;             // Request threads (connections served at once).
  size_t max_jobs = 16;            // Queued and finished jobs kept.
  std::string cors_origin;         // "" = no CORS headers (the default).
  std::string web_dir;             // The web UI's files; "" = no UI (404 at "/").
};

class Server {
 public:
  // Opens the store, loads the snapshot (building its screener) and the rule
  // packs. Errors name what failed.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving on a thread of its own; returns once listening.
  Status Start();
  // Blocks until Stop() (or a failure to serve).
  void Wait();
  // Stops accepting, finishes the requests in flight, stops the job worker.
  void Stop();
  int port() const;

  // Loads the snapshot at `path` ("" = the one loaded last) and its screener,
  // then swaps them in. On error the current snapshot stays.
  Status ReloadSnapshot(const std::string& path);

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace icts::server

#endif  // ICTS_SERVER_SERVER_H_
