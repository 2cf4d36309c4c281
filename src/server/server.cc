#include "server/server.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/log.h"
#include "base/status.h"
#include "base/strings.h"
#include "cli/review_cmd.h"
#include "cli/screen_input.h"
#include "cli/store_cmd.h"
#include "graph/graph.h"
#include "graph/json.h"
#include "graph/loaders.h"
#include "graph/nexus.h"
#include "graph/rules.h"
#include "inventory/item.h"
#include "match/json.h"
#include "match/score.h"
#include "match/screener.h"
#include "refdata/countries.h"
#include "refdata/json.h"
#include "refdata/snapshot.h"
#include "report/scan_report.h"
#include "review/review.h"
#include "rules/evaluate.h"
#include "rules/facts.h"
#include "rules/pack.h"
#include "scan/scan.h"
#include "server/metrics.h"
#include "server/static_files.h"
#include "store/store.h"
#include "cases/case.h"
#include "cases/case_json.h"
#include "cases/case_store.h"

namespace icts::server {

extern const char kOpenApiJson[];  // openapi_embedded.cc, from docs/openapi.json.

namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxTop = 1000;
constexpr size_t kMaxNameBytes = 1024;
constexpr size_t kMaxBatchRows = 1000000;
// A batch job's progress is updated after this many rows.
constexpr size_t kBatchProgressRows = 16;

double UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// An error for the client: HTTP status and what went wrong, in words.
struct ApiError {
  int status;
  std::string detail;
};

std::string_view Reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Server Error" : "Client Error";
  }
}

// An RFC 9457 problem document.
void SetProblem(httplib::Response& res, int status, const std::string& detail,
                const std::string& instance) {
  ojson p;
  p["type"] = "about:blank";
  p["title"] = std::string(Reason(status));
  p["status"] = status;
  if (!detail.empty()) p["detail"] = detail;
  if (!instance.empty()) p["instance"] = instance;
  res.status = status;
  res.set_content(p.dump(-1, ' ', false, ojson::error_handler_t::replace),
                  "application/problem+json");
}

ApiError FromStatus(const Status& s) {
  int http = HttpStatusFor(s);
  // Internal details stay in the log.
  if (http >= 500) {
    LogWarn(fmt::format("request failed: {}", s.ToString()));
    return {http, http == 503 ? "the service is not available" : "internal error"};
  }
  return {http, s.message()};
}

void SetJson(httplib::Response& res, int status, const ojson& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, ojson::error_handler_t::replace) + "\n",
                  "application/json");
}

void SetJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n",
                  "application/json");
}

// --- Request body helpers ----------------------------------------------------

json ParseBody(const httplib::Request& req) {
  if (req.body.empty()) throw ApiError{400, "the request needs a JSON body"};
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) throw ApiError{400, "the body is not valid JSON"};
  return j;
}

json ParseObject(const httplib::Request& req) {
  json j = ParseBody(req);
  if (!j.is_object()) throw ApiError{400, "the body must be a JSON object"};
  return j;
}

std::optional<std::string> OptString(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw ApiError{400, fmt::format("/{}: expected a string", key)};
  return it->get<std::string>();
}

// The optional "type" of a request: person | organization (kUnknown when
// absent).
text::NameType OptNameType(const json& j) {
  std::optional<std::string> type = OptString(j, "type");
  if (!type) return text::NameType::kUnknown;
  if (*type == "person") return text::NameType::kPerson;
  if (*type == "organization") return text::NameType::kOrganization;
  throw ApiError{400, "/type: expected person or organization"};
}

std::string ReqString(const json& j, const char* key) {
  std::optional<std::string> v = OptString(j, key);
  if (!v) throw ApiError{400, fmt::format("/{}: required", key)};
  return *v;
}

std::optional<double> OptNumber(const json& j, const char* key, double lo, double hi) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) throw ApiError{400, fmt::format("/{}: expected a number", key)};
  double v = it->get<double>();
  if (!(v >= lo && v <= hi)) {
    throw ApiError{400, fmt::format("/{}: must be between {} and {}", key, lo, hi)};
  }
  return v;
}

std::optional<Date> OptDateParam(const httplib::Request& req, const char* key) {
  if (!req.has_param(key)) return std::nullopt;
  std::string v = req.get_param_value(key);
  Result<Date> d = Date::ParseIso(v);
  if (!d.ok()) throw ApiError{400, fmt::format("{} '{}' is not a date YYYY-MM-DD", key, v)};
  return *d;
}

bool FlagParam(const httplib::Request& req, const char* key) {
  if (!req.has_param(key)) return false;
  std::string v = req.get_param_value(key);
  return v == "1" || v == "true" || v == "yes";
}

// --- The world: snapshot, screener, packs, reviewer ---------------------------

struct World {
  std::string snapshot_path;
  std::unique_ptr<rules::PackSet> packs;  // The reviewer refers to it.
  cli::ReviewSetup setup;                 // Snapshot, screener, reviewer.
  graph::AdversaryList adversaries;
  std::map<std::string, graph::NexusDefinition> definitions;
  std::chrono::system_clock::time_point loaded_at;
  std::chrono::system_clock::time_point snapshot_mtime;
};

Result<std::shared_ptr<const World>> LoadWorld(const std::string& rules_dir,
                                               const std::string& snapshot_path) {
  auto world = std::make_shared<World>();
  world->snapshot_path = snapshot_path;
  cli::RulesArgs rules_args;
  rules_args.rules_dir = rules_dir;
  ICTS_ASSIGN_OR_RETURN(rules::PackSet packs, cli::LoadRules(rules_args));
  world->packs = std::make_unique<rules::PackSet>(std::move(packs));
  // The server answers many queries: the index's neighbours are precomputed.
  ICTS_ASSIGN_OR_RETURN(world->setup, cli::MakeReviewer(*world->packs, snapshot_path,
                                                        /*precompute_neighbours=*/true));
  ICTS_ASSIGN_OR_RETURN(world->adversaries,
                        graph::ParseAdversaryList(graph::EmbeddedRule("foreign-adversaries"),
                                                  "rules/foreign-adversaries/pack.yaml"));
  for (const std::string& name : graph::EmbeddedNexusNames()) {
    std::string rule = "nexus/" + name;
    ICTS_ASSIGN_OR_RETURN(graph::NexusDefinition def,
                          graph::ParseNexusDefinition(graph::EmbeddedRule(rule),
                                                      "rules/" + rule + ".yaml"));
    world->definitions.emplace(name, std::move(def));
  }
  world->loaded_at = std::chrono::system_clock::now();
  world->snapshot_mtime = world->loaded_at;
  struct stat st;
  if (!snapshot_path.empty() && ::stat(snapshot_path.c_str(), &st) == 0) {
    world->snapshot_mtime = std::chrono::system_clock::time_point(
        std::chrono::seconds(st.st_mtim.tv_sec));
  }
  return std::shared_ptr<const World>(std::move(world));
}

// --- Jobs ---------------------------------------------------------------------

struct Job {
  std::string id;
  std::string kind;              // "scan" | "screen-batch"
  std::string state = "queued";  // queued | running | done | failed
  std::string actor;
  std::string created_at;
  size_t done = 0;
  size_t total = 0;
  std::string result;  // JSON text when done.
  std::string error;   // When failed.
  std::vector<std::string> warnings;  // About the input (batch rows).
  std::string report_html;            // A finished scan's HTML report.
  // Work inputs (scan).
  std::string upload_path;  // Private temp file; removed when the job ends.
  std::string file_name;
  Date as_of;
  // Work inputs (screen-batch): the rows, read and checked when submitted.
  std::vector<cli::ScreenRow> rows;
  match::ScreenOptions screen_options;
};

// Keeps the first warnings about a batch's rows and counts the rest.
class CollectedWarnings : public cli::InputWarnings {
 public:
  static constexpr size_t kKept = 100;
  void Add(const std::string& message) override {
    if (messages.size() < kKept) messages.push_back(message);
    ++count;
  }
  std::vector<std::string> messages;
  size_t count = 0;
};

std::string NowIso() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Keeps [A-Za-z0-9._-] of an uploaded file's name (its extension helps
// recognise the format); never a path.
std::string SafeFileName(const std::string& name) {
  std::string out;
  for (char c : name.substr(name.find_last_of('/') == std::string::npos
                                ? 0
                                : name.find_last_of('/') + 1)) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '_' || c == '-') {
      out += c;
    }
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  if (out.size() > 100) out = out.substr(out.size() - 100);
  return out.empty() ? "upload" : out;
}

// The route table: OpenAPI path, regex, method, role.
struct RouteDef {
  Route route;
  std::string regex;
};

const std::vector<RouteDef>& RouteDefs() {
  static const std::vector<RouteDef> kDefs = {
      {{"GET", "/healthz", Role::kViewer, true}, "/healthz"},
      {{"GET", "/metrics", Role::kViewer, true}, "/metrics"},
      {{"GET", "/openapi.json", Role::kViewer, true}, "/openapi.json"},
      {{"POST", "/api/v1/screen", Role::kAnalyst, false}, "/api/v1/screen"},
      {{"POST", "/api/v1/compare", Role::kAnalyst, false}, "/api/v1/compare"},
      {{"POST", "/api/v1/review", Role::kAnalyst, false}, "/api/v1/review"},
      {{"POST", "/api/v1/screen/batch", Role::kAnalyst, false}, "/api/v1/screen/batch"},
      {{"POST", "/api/v1/scans", Role::kAnalyst, false}, "/api/v1/scans"},
      {{"GET", "/api/v1/jobs/{id}", Role::kViewer, false}, "/api/v1/jobs/([A-Za-z0-9_-]+)"},
      {{"GET", "/api/v1/jobs/{id}/report.html", Role::kViewer, false},
       "/api/v1/jobs/([A-Za-z0-9_-]+)/report\\.html"},
      {{"GET", "/api/v1/entities/{id}/owners", Role::kViewer, false},
       "/api/v1/entities/([^/]+)/owners"},
      {{"GET", "/api/v1/lists", Role::kViewer, false}, "/api/v1/lists"},
      {{"GET", "/api/v1/decisions", Role::kViewer, false}, "/api/v1/decisions"},
      {{"POST", "/api/v1/decisions", Role::kReviewer, false}, "/api/v1/decisions"},
      {{"GET", "/api/v1/determinations/{id}", Role::kViewer, false},
       "/api/v1/determinations/([A-Za-z0-9_.:-]+)"},
      {{"POST", "/api/v1/determinations/{id}/replay", Role::kAnalyst, false},
       "/api/v1/determinations/([A-Za-z0-9_.:-]+)/replay"},
      {{"GET", "/api/v1/cases", Role::kViewer, false}, "/api/v1/cases"},
      {{"GET", "/api/v1/cases/{id}", Role::kViewer, false}, "/api/v1/cases/([A-Za-z0-9_.:-]+)"},
      {{"POST", "/api/v1/cases", Role::kReviewer, false}, "/api/v1/cases"},
      {{"POST", "/api/v1/cases/{id}/events", Role::kReviewer, false},
       "/api/v1/cases/([A-Za-z0-9_.:-]+)/events"},
      {{"GET", "/api/v1/audit/verify", Role::kViewer, false}, "/api/v1/audit/verify"},
      {{"POST", "/api/v1/admin/snapshot", Role::kAdmin, false}, "/api/v1/admin/snapshot"},
      {{"POST", "/api/v1/admin/tokens", Role::kAdmin, false}, "/api/v1/admin/tokens"},
      {{"GET", "/api/v1/admin/tokens", Role::kAdmin, false}, "/api/v1/admin/tokens"},
      {{"POST", "/api/v1/admin/tokens/{id}/revoke", Role::kAdmin, false},
       "/api/v1/admin/tokens/(tok-[0-9a-f]+)/revoke"},
  };
  return kDefs;
}

// What the request thread is serving, for the logger's metrics.
thread_local Clock::time_point t_start;
thread_local const std::string* t_route = nullptr;

const std::string kUnmatched = "unmatched";

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = [] {
    std::vector<Route> r;
    for (const RouteDef& d : RouteDefs()) r.push_back(d.route);
    return r;
  }();
  return kRoutes;
}

std::string_view OpenApiDocument() { return kOpenApiJson; }

// --- The server ---------------------------------------------------------------

class Server::Impl {
 public:
  explicit Impl(ServerOptions options) : options_(std::move(options)) {}

  Status Init() {
    ICTS_ASSIGN_OR_RETURN(store_, cli::OpenStore(options_.store_url));
    ICTS_RETURN_IF_ERROR(tokens_.Refresh(*store_));
    ICTS_ASSIGN_OR_RETURN(std::shared_ptr<const World> w,
                          LoadWorld(options_.rules_dir, options_.snapshot_path));
    std::atomic_store(&world_, w);
    Register();
    return Status::Ok();
  }

  Status Start() {
    int port = options_.port;
    if (port == 0) {
      port = http_.bind_to_any_port(options_.host);
      if (port < 0) return UnavailableError("cannot bind to " + options_.host);
    } else if (!http_.bind_to_port(options_.host, port)) {
      return UnavailableError(fmt::format("cannot listen on {}:{}", options_.host, port));
    }
    port_ = port;
    worker_ = std::thread([this] { WorkLoop(); });
    listener_ = std::thread([this] { http_.listen_after_bind(); });
    return Status::Ok();
  }

  void Wait() {
    if (listener_.joinable()) listener_.join();
  }

  void Stop() {
    http_.stop();
    if (listener_.joinable()) listener_.join();
    {
      std::lock_guard<std::mutex> lock(jobs_mu_);
      stopping_ = true;
    }
    jobs_cv_.notify_all();
    if (worker_.joinable()) worker_.join();
    std::lock_guard<std::mutex> lock(jobs_mu_);
    for (auto& [id, job] : jobs_) {
      if (!job->upload_path.empty()) ::unlink(job->upload_path.c_str());
    }
  }

  int port() const { return port_; }

  Status Reload(const std::string& path) {
    std::lock_guard<std::mutex> reload_lock(reload_mu_);
    std::shared_ptr<const World> current = std::atomic_load(&world_);
    std::string p = path.empty() ? current->snapshot_path : path;
    ICTS_ASSIGN_OR_RETURN(std::shared_ptr<const World> w, LoadWorld(options_.rules_dir, p));
    std::atomic_store(&world_, w);
    return Status::Ok();
  }

 private:
  struct Ctx {
    const httplib::Request& req;
    httplib::Response& res;
    std::shared_ptr<const World> world;
    TokenInfo token;
    std::string actor;  // "api:<user>", the audit log's actor.
  };
  using Handler = std::function<void(Ctx&)>;

  std::shared_ptr<const World> world() const { return std::atomic_load(&world_); }

  // Looks the bearer token up. The audit log is re-read when the last read
  // is older than kTokenRefreshMs (so a token revoked by another process
  // stops working within that time) and when the token is unknown (tokens
  // created since).
  std::optional<TokenInfo> Authenticate(const httplib::Request& req) {
    std::string h = req.get_header_value("Authorization");
    if (h.size() <= 7 || h.compare(0, 7, "Bearer ") != 0) return std::nullopt;
    std::string token = h.substr(7);
    if (tokens_.IsOlderThan(kTokenRefreshMs)) {
      std::lock_guard<std::mutex> lock(store_mu_);
      Status s = tokens_.RefreshIfOlder(*store_, kTokenRefreshMs);
      if (!s.ok()) LogWarn("token refresh: " + s.message());
    }
    if (std::optional<TokenInfo> t = tokens_.Find(token)) return t;
    {
      std::lock_guard<std::mutex> lock(store_mu_);
      Status s = tokens_.Refresh(*store_);
      if (!s.ok()) LogWarn("token refresh: " + s.message());
    }
    return tokens_.Find(token);
  }

  void Add(const RouteDef& def, size_t max_body, Handler handler) {
    const Route& route = def.route;
    auto wrapped = [this, route, max_body, handler](const httplib::Request& req,
                                                    httplib::Response& res) {
      t_route = &route.path;
      try {
        if (req.body.size() > max_body) {
          throw ApiError{413, fmt::format("the body is larger than {} bytes", max_body)};
        }
        Ctx ctx{req, res, world(), {}, ""};
        if (!route.is_public) {
          std::optional<TokenInfo> t = Authenticate(req);
          if (!t) {
            res.set_header("WWW-Authenticate", "Bearer");
            throw ApiError{401, "a valid bearer token is required"};
          }
          if (static_cast<int>(t->role) < static_cast<int>(route.role)) {
            throw ApiError{403, fmt::format("this route needs the {} role; the token has {}",
                                            RoleName(route.role), RoleName(t->role))};
          }
          ctx.token = *t;
          ctx.actor = "api:" + t->name;
        }
        handler(ctx);
      } catch (const ApiError& e) {
        SetProblem(res, e.status, e.detail, req.path);
      } catch (const std::exception& e) {
        LogWarn(fmt::format("{} {}: {}", req.method, req.path, e.what()));
        SetProblem(res, 500, "internal error", req.path);
      }
    };
    if (route.method == "GET") {
      http_.Get(def.regex, wrapped);
    } else {
      http_.Post(def.regex, wrapped);
    }
  }

  const RouteDef& Def(const std::string& method, const std::string& path) {
    for (const RouteDef& d : RouteDefs()) {
      if (d.route.method == method && d.route.path == path) return d;
    }
    std::abort();  // A route registered below is missing from the table.
  }

  void Register() {
    http_.new_task_queue = [n = options_.threads] { return new httplib::ThreadPool(n); };
    http_.set_payload_max_length(std::max(options_.max_body_bytes, options_.max_upload_bytes));
    http_.set_read_timeout(options_.read_timeout_seconds, 0);
    http_.set_write_timeout(options_.read_timeout_seconds, 0);
    http_.set_keep_alive_max_count(10000);
    // Small responses must not wait for the peer's delayed ACK (about 40 ms).
    http_.set_tcp_nodelay(true);
    http_.set_keep_alive_timeout(options_.read_timeout_seconds);
    if (!options_.cors_origin.empty()) {
      http_.set_default_headers({{"Access-Control-Allow-Origin", options_.cors_origin},
                                 {"Vary", "Origin"}});
    }
    http_.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      t_start = Clock::now();
      t_route = &kUnmatched;
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // Statuses the library sets itself (404, 413, 400 on a broken request
    // line) get a problem document too; ours already have a body.
    http_.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request& req, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          std::string detail = res.status == 404 ? "no such route" : "";
          SetProblem(res, res.status, detail, req.path);
          return httplib::Server::HandlerResponse::Handled;
        }));
    http_.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
          SetProblem(res, 500, "internal error", req.path);
        });
    http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      double seconds = std::chrono::duration<double>(Clock::now() - t_start).count();
      metrics_.Observe(req.method, t_route != nullptr ? *t_route : kUnmatched, res.status,
                       seconds);
    });

    const size_t body = options_.max_body_bytes;
    Add(Def("GET", "/healthz"), 0, [](Ctx& c) {
      if (!c.world) throw ApiError{503, "not ready"};
      SetJson(c.res, 200, ojson{{"status", "ok"}});
    });
    Add(Def("GET", "/metrics"), 0, [this](Ctx& c) {
      c.res.status = 200;
      c.res.set_content(RenderMetrics(*c.world), "text/plain; version=0.0.4; charset=utf-8");
    });
    Add(Def("GET", "/openapi.json"), 0, [](Ctx& c) {
      c.res.status = 200;
      c.res.set_content(std::string(OpenApiDocument()), "application/json");
    });
    Add(Def("POST", "/api/v1/screen"), body, [](Ctx& c) { Screen(c); });
    Add(Def("POST", "/api/v1/compare"), body, [](Ctx& c) { Compare(c); });
    Add(Def("POST", "/api/v1/review"), body, [this](Ctx& c) { Review(c); });
    Add(Def("POST", "/api/v1/screen/batch"), options_.max_upload_bytes,
        [this](Ctx& c) { SubmitBatch(c); });
    Add(Def("POST", "/api/v1/scans"), options_.max_upload_bytes, [this](Ctx& c) { SubmitScan(c); });
    Add(Def("GET", "/api/v1/jobs/{id}"), 0, [this](Ctx& c) { GetJob(c); });
    Add(Def("GET", "/api/v1/jobs/{id}/report.html"), 0, [this](Ctx& c) { JobReport(c); });
    Add(Def("GET", "/api/v1/entities/{id}/owners"), 0, [](Ctx& c) { Owners(c); });
    Add(Def("GET", "/api/v1/lists"), 0, [](Ctx& c) { Lists(c); });
    Add(Def("GET", "/api/v1/decisions"), 0, [this](Ctx& c) { ListDecisions(c); });
    Add(Def("POST", "/api/v1/decisions"), body, [this](Ctx& c) { AddDecision(c); });
    Add(Def("GET", "/api/v1/determinations/{id}"), 0, [this](Ctx& c) { GetDetermination(c); });
    Add(Def("POST", "/api/v1/determinations/{id}/replay"), body,
        [this](Ctx& c) { Replay(c); });
    Add(Def("GET", "/api/v1/cases"), 0, [this](Ctx& c) { ListCases(c); });
    Add(Def("GET", "/api/v1/cases/{id}"), 0, [this](Ctx& c) { GetCase(c); });
    Add(Def("POST", "/api/v1/cases"), body, [this](Ctx& c) { CreateCase(c); });
    Add(Def("POST", "/api/v1/cases/{id}/events"), body, [this](Ctx& c) { AddCaseEvent(c); });
    Add(Def("GET", "/api/v1/audit/verify"), 0, [this](Ctx& c) { AuditVerify(c); });
    Add(Def("POST", "/api/v1/admin/snapshot"), body, [this](Ctx& c) { AdminSnapshot(c); });
    Add(Def("POST", "/api/v1/admin/tokens"), body, [this](Ctx& c) { AdminToken(c); });
    Add(Def("GET", "/api/v1/admin/tokens"), 0, [this](Ctx& c) { ListTokens(c); });
    Add(Def("POST", "/api/v1/admin/tokens/{id}/revoke"), body,
        [this](Ctx& c) { RevokeTokenRoute(c); });
    RegisterUi();
  }

  // The web UI (static_files.h): "/" and "/ui/...", public like /healthz;
  // its data comes from the API with the user's token.
  void RegisterUi() {
    if (options_.web_dir.empty()) return;
    auto files = std::make_shared<const StaticFiles>(options_.web_dir);
    if (std::string why = files->Unavailable(); !why.empty()) {
      LogWarn("the web UI is not available: " + why);
    }
    static const std::string kIndexRoute = "/";
    static const std::string kFileRoute = "/ui/{path}";
    http_.Get("/", [files](const httplib::Request& req, httplib::Response& res) {
      t_route = &kIndexRoute;
      ServeUiFile(*files, "", req, res);
    });
    http_.Get("/ui/(.*)", [files](const httplib::Request& req, httplib::Response& res) {
      t_route = &kFileRoute;
      ServeUiFile(*files, req.matches[1].str(), req, res);
    });
  }

  static void ServeUiFile(const StaticFiles& files, const std::string& relative,
                          const httplib::Request& req, httplib::Response& res) {
    for (const auto& [name, value] : UiSecurityHeaders()) res.set_header(name, value);
    if (std::string why = files.Unavailable(); !why.empty()) {
      res.status = 503;
      const std::string page =
          "<!doctype html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>icts</title>"
          "<p>The web UI is not available: " + HtmlEscape(why) + "</p></html>\n";
      res.set_content(page, "text/html; charset=utf-8");
      return;
    }
    Result<StaticFile> file = files.Read(relative);
    if (!file.ok()) {
      SetProblem(res, 404, "no such file", req.path);
      return;
    }
    res.status = 200;
    res.set_content(std::move(file->body), file->content_type);
  }

  std::string RenderMetrics(const World& w) {
    size_t queued = 0, running = 0;
    {
      std::lock_guard<std::mutex> lock(jobs_mu_);
      queued = queue_.size();
      for (const auto& [id, job] : jobs_) running += job->state == "running" ? 1 : 0;
    }
    auto now = std::chrono::system_clock::now();
    std::string extra;
    extra += "# HELP icts_jobs_queued Background jobs waiting for the worker.\n";
    extra += "# TYPE icts_jobs_queued gauge\n";
    extra += fmt::format("icts_jobs_queued {}\n", queued);
    extra += "# HELP icts_jobs_running Background jobs being worked on.\n";
    extra += "# TYPE icts_jobs_running gauge\n";
    extra += fmt::format("icts_jobs_running {}\n", running);
    extra += "# HELP icts_snapshot_age_seconds Seconds since the snapshot file was written.\n";
    extra += "# TYPE icts_snapshot_age_seconds gauge\n";
    extra += fmt::format("icts_snapshot_age_seconds {:.0f}\n",
                         UnixSeconds(now) - UnixSeconds(w.snapshot_mtime));
    extra += "# HELP icts_snapshot_loaded_timestamp_seconds When the snapshot was loaded.\n";
    extra += "# TYPE icts_snapshot_loaded_timestamp_seconds gauge\n";
    extra += fmt::format("icts_snapshot_loaded_timestamp_seconds {:.0f}\n",
                         UnixSeconds(w.loaded_at));
    extra += "# HELP icts_snapshot_entities Entities in the loaded snapshot.\n";
    extra += "# TYPE icts_snapshot_entities gauge\n";
    extra += fmt::format("icts_snapshot_entities {}\n",
                         w.setup.snapshot ? w.setup.snapshot->entity_count() : 0);
    return metrics_.Render(extra);
  }

  // --- Handlers ---------------------------------------------------------------

  static void Screen(Ctx& c) {
    json in = ParseObject(c.req);
    match::Query q;
    std::string name = ReqString(in, "name");
    if (name.size() > kMaxNameBytes) {
      throw ApiError{400, fmt::format("/name: longer than {} bytes", kMaxNameBytes)};
    }
    size_t b = 0, e = name.size();
    while (b < e && (name[b] == ' ' || name[b] == '\t')) ++b;
    while (e > b && (name[e - 1] == ' ' || name[e - 1] == '\t')) --e;
    q.name = name.substr(b, e - b);
    ojson query = {{"name", q.name}};
    if (std::optional<std::string> country = OptString(in, "country")) {
      q.country = refdata::CountryCode(*country);
      query["country"] = *country;
    }
    q.type = OptNameType(in);
    if (q.type != text::NameType::kUnknown) query["type"] = *OptString(in, "type");
    if (auto it = in.find("identifiers"); it != in.end() && !it->is_null()) {
      if (!it->is_array()) throw ApiError{400, "/identifiers: expected an array of strings"};
      for (size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_string()) {
          throw ApiError{400, fmt::format("/identifiers/{}: expected a string", i)};
        }
        q.identifiers.push_back((*it)[i].get<std::string>());
      }
      query["identifiers"] = q.identifiers;
    }
    match::ScreenOptions so;
    so.threshold = OptNumber(in, "threshold", 0, 1).value_or(match::kDefaultThreshold);
    so.top = static_cast<size_t>(OptNumber(in, "top", 1, kMaxTop).value_or(10));
    if (auto it = in.find("top"); it != in.end() && it->is_number_float()) {
      throw ApiError{400, "/top: expected an integer"};
    }
    ojson hits = ojson::array();
    if (c.world->setup.screener) {
      for (const match::Hit& h : c.world->setup.screener->Screen(q, so)) {
        if (h.score < so.threshold) continue;
        ojson hit(match::HitToJson(h));
        AddCitations(*c.world, h.entity_id, hit);
        hits.push_back(std::move(hit));
      }
    }
    ojson out;
    out["query"] = std::move(query);
    out["hits"] = std::move(hits);
    if (c.world->setup.snapshot) out["snapshot"] = c.world->setup.snapshot->hash();
    SetJson(c.res, 200, out);
  }

  // The entity's citations (curated entries carry one per fact), so a hit
  // shows what its listing rests on.
  static void AddCitations(const World& w, const std::string& entity_id, ojson& hit) {
    if (!w.setup.snapshot) return;
    std::optional<refdata::EntityView> e = w.setup.snapshot->FindById(entity_id);
    if (!e) return;
    ojson citations = ojson::array();
    for (const refdata::PropView& p : e->Props(refdata::PropKind::kCitation)) {
      ojson cite = {{"text", std::string(p.field(0))}};
      if (!p.field(1).empty()) cite["url"] = std::string(p.field(1));
      if (!p.field(2).empty()) cite["effective"] = std::string(p.field(2));
      if (!p.field(3).empty()) cite["fact"] = std::string(p.field(3));
      citations.push_back(std::move(cite));
    }
    if (!citations.empty()) hit["citations"] = std::move(citations);
  }

  static void Compare(Ctx& c) {
    json in = ParseObject(c.req);
    std::string a = ReqString(in, "a"), b = ReqString(in, "b");
    if (a.size() > kMaxNameBytes || b.size() > kMaxNameBytes) {
      throw ApiError{400, fmt::format("names longer than {} bytes", kMaxNameBytes)};
    }
    double threshold = OptNumber(in, "threshold", 0, 1).value_or(match::kDefaultThreshold);
    // Words weigh by their rarity in the served snapshot, as screening
    // weighs them.
    const cli::ReviewSetup& setup = c.world->setup;
    const bool weighted = setup.screener != nullptr && setup.snapshot != nullptr;
    match::ScoreExplanation e = match::CompareNames(
        a, b, weighted ? setup.screener->TokenWeights() : match::TokenWeightFn(), OptNameType(in));
    ojson out;
    out["a"] = a;
    out["b"] = b;
    out["score"] = e.score;
    out["match"] = e.score >= threshold;
    if (weighted) out["snapshot"] = setup.snapshot->hash();
    out["explanation"] = ojson(match::ExplanationToJson(e));
    SetJson(c.res, 200, out);
  }

  void Review(Ctx& c) {
    json doc = ParseBody(c.req);
    if (!doc.is_object()) throw ApiError{400, "the body must be one transaction (a JSON object)"};
    const World& w = *c.world;
    Result<rules::Transaction> tx = rules::ReadTransaction(doc, w.packs->taxonomy, "");
    if (!tx.ok()) throw ApiError{422, tx.status().message()};
    std::optional<Date> as_of = OptDateParam(c.req, "as_of");
    Status s = w.setup.reviewer->Resolve(&*tx, as_of);
    if (!s.ok()) throw ApiError{422, "ownership: " + s.message()};
    rules::EvaluateOptions options;
    options.as_of = as_of;
    if (w.setup.snapshot) options.snapshot_sha256 = w.setup.snapshot->hash();
    const rules::Determination d = rules::Evaluate(*w.packs, *tx, options);
    json out = rules::DeterminationToJson(d);
    if (FlagParam(c.req, "record")) {
      std::vector<store::DeterminationRecord> records{cli::MakeDeterminationRecord(d, doc)};
      std::lock_guard<std::mutex> lock(store_mu_);
      Result<std::vector<std::string>> ids = store_->PutDeterminations(c.actor, std::move(records));
      if (!ids.ok()) {
        ApiError e = FromStatus(ids.status());
        throw e;
      }
      out["stored_id"] = ids->front();
    }
    SetJson(c.res, 200, out);
  }

  void SubmitScan(Ctx& c) {
    if (c.req.body.empty()) throw ApiError{400, "the body must be the inventory file"};
    auto job = std::make_shared<Job>();
    job->kind = "scan";
    job->actor = c.actor;
    job->created_at = NowIso();
    job->as_of = OptDateParam(c.req, "as_of").value_or(TodayUtc());
    job->file_name = SafeFileName(c.req.has_param("filename") ? c.req.get_param_value("filename")
                                                               : "upload");
    // A private file (mode 0600) whose name keeps the upload's extension.
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                          "/icts-upload-XXXXXX-" + job->file_name;
    std::vector<char> path(pattern.begin(), pattern.end());
    path.push_back('\0');
    int fd = ::mkstemps(path.data(), static_cast<int>(job->file_name.size() + 1));
    if (fd < 0) throw ApiError{503, "cannot store the upload"};
    const std::string& data = c.req.body;
    size_t written = 0;
    while (written < data.size()) {
      ssize_t n = ::write(fd, data.data() + written, data.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    ::close(fd);
    job->upload_path = path.data();
    if (written != data.size()) {
      ::unlink(job->upload_path.c_str());
      throw ApiError{503, "cannot store the upload"};
    }
    Enqueue(c, job);
  }

  // Queues `job` (429 when too many wait) and answers 202 with its id and
  // Location.
  void Enqueue(Ctx& c, const std::shared_ptr<Job>& job) {
    {
      std::lock_guard<std::mutex> lock(jobs_mu_);
      if (queue_.size() >= options_.max_jobs) {
        if (!job->upload_path.empty()) ::unlink(job->upload_path.c_str());
        c.res.set_header("Retry-After", "10");
        throw ApiError{429, "too many jobs are waiting; try again later"};
      }
      job->id = fmt::format("job-{}", ++job_counter_);
      jobs_[job->id] = job;
      job_order_.push_back(job->id);
      queue_.push_back(job);
      // Forget the oldest finished jobs beyond a bound.
      while (job_order_.size() > options_.max_jobs * 4) {
        auto it = jobs_.find(job_order_.front());
        if (it != jobs_.end() && (it->second->state == "queued" || it->second->state == "running")) {
          break;
        }
        if (it != jobs_.end()) jobs_.erase(it);
        job_order_.pop_front();
      }
    }
    jobs_cv_.notify_one();
    c.res.set_header("Location", "/api/v1/jobs/" + job->id);
    SetJson(c.res, 202, ojson{{"id", job->id}, {"state", "queued"}});
  }

  void GetJob(Ctx& c) {
    std::string id = c.req.matches[1];
    ojson out;
    std::string result;
    {
      std::lock_guard<std::mutex> lock(jobs_mu_);
      auto it = jobs_.find(id);
      if (it == jobs_.end()) throw ApiError{404, "no job " + id};
      const Job& j = *it->second;
      out["id"] = j.id;
      out["kind"] = j.kind;
      out["state"] = j.state;
      out["created_at"] = j.created_at;
      out["progress"] = {{"done", j.done}, {"total", j.total}};
      if (j.state == "failed") out["error"] = j.error;
      if (!j.warnings.empty()) out["warnings"] = j.warnings;
      result = j.result;
    }
    if (result.empty()) {
      SetJson(c.res, 200, out);
      return;
    }
    // The scan report is already JSON text: splice it in without parsing.
    std::string text = out.dump(-1, ' ', false, ojson::error_handler_t::replace);
    text.pop_back();
    text += ",\"result\":" + result + "}\n";
    c.res.status = 200;
    c.res.set_content(text, "application/json");
  }

  void WorkLoop() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(jobs_mu_);
        jobs_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        job = queue_.front();
        queue_.pop_front();
        job->state = "running";
      }
      if (job->kind == "screen-batch") {
        RunBatchJob(*job);
      } else {
        RunScanJob(*job);
      }
    }
  }

  void RunScanJob(Job& job) {
    std::shared_ptr<const World> w = world();
    inventory::CollectingSink sink;
    Status s = scan::ReadInventoryFile(job.upload_path, &sink);
    ::unlink(job.upload_path.c_str());
    std::string result, error, html;
    if (!s.ok()) {
      // Name the upload, not the private file.
      error = s.message();
      size_t at = error.find(job.upload_path);
      if (at != std::string::npos) error.replace(at, job.upload_path.size(), job.file_name);
    } else {
      if (sink.document.file.empty() || sink.document.file == job.upload_path) {
        sink.document.file = job.file_name;
      }
      // Items name the upload, not the private file.
      for (inventory::Item& item : sink.items) {
        if (item.file == job.upload_path) item.file = job.file_name;
      }
      std::vector<inventory::DocumentInfo> documents{std::move(sink.document)};
      scan::ScanOptions options;
      options.as_of = job.as_of;
      options.progress = [this, &job](size_t done, size_t total) {
        std::lock_guard<std::mutex> lock(jobs_mu_);
        job.done = done;
        job.total = total;
      };
      scan::ScanResult r =
          scan::Scan(std::move(documents), std::move(sink.items), *w->setup.reviewer, options);
      result = report::ScanToJsonText(r);
      while (!result.empty() && (result.back() == '\n' || result.back() == ' ')) result.pop_back();
      html = report::ScanToHtml(r);
    }
    std::lock_guard<std::mutex> lock(jobs_mu_);
    job.upload_path.clear();
    if (s.ok()) {
      job.state = "done";
      job.result = std::move(result);
      job.report_html = std::move(html);
    } else {
      job.state = "failed";
      job.error = std::move(error);
    }
  }

  // POST /api/v1/screen/batch: the body is a CSV/TSV or JSON Lines file of
  // names (the files `icts screen --input` reads). The rows are read and
  // checked here, so a bad file is a 400 naming its line; the screening
  // runs as a job whose result is the array of per-row results.
  void SubmitBatch(Ctx& c) {
    const httplib::Request& req = c.req;
    if (req.body.empty()) throw ApiError{400, "the body must be a CSV or JSON Lines file of names"};
    auto param = [&](const char* key) {
      return req.has_param(key) ? req.get_param_value(key) : std::string();
    };
    const std::string file_name =
        SafeFileName(req.has_param("filename") ? param("filename") : "upload");
    std::string format = param("format");
    if (format.empty()) {
      std::string lower = ToLowerAscii(file_name);
      for (const char* ext : {".csv", ".tsv", ".tab", ".jsonl", ".ndjson"}) {
        if (EndsWith(lower, ext)) format = *cli::InputFormat("", lower, true);
      }
    }
    if (format.empty()) {
      // From the content: JSON Lines start with an object.
      std::string_view data = req.body;
      if (StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
      data = TrimAscii(data);
      format = !data.empty() && data.front() == '{' ? "jsonl" : "csv";
    }
    if (format != "csv" && format != "tsv" && format != "jsonl") {
      throw ApiError{400, "format '" + format + "': expected csv, tsv or jsonl"};
    }
    match::ScreenOptions so;
    so.threshold = match::kDefaultThreshold;
    so.top = 10;
    if (req.has_param("threshold")) {
      const std::string v = param("threshold");
      char* end = nullptr;
      double t = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(t >= 0 && t <= 1)) {
        throw ApiError{400, "threshold '" + v + "': expected a number between 0 and 1"};
      }
      so.threshold = t;
    }
    if (req.has_param("top")) {
      const std::string v = param("top");
      char* end = nullptr;
      long top = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || top < 1 || top > static_cast<long>(kMaxTop)) {
        throw ApiError{400, fmt::format("top '{}': expected an integer from 1 to {}", v, kMaxTop)};
      }
      so.top = static_cast<size_t>(top);
    }
    static const char* kColumnParams[] = {"name_column", "country_column", "type_column",
                                          "id_column", "dob_column"};
    CollectedWarnings warnings;
    std::unique_ptr<cli::ScreenInput> input;
    if (format == "jsonl") {
      for (const char* key : kColumnParams) {
        if (req.has_param(key)) {
          throw ApiError{400, std::string(key) +
                                  " applies to CSV input; JSON Lines rows use the "
                                  "keys name, country, type, identifiers, birth_date"};
        }
      }
      input = cli::JsonlScreenInputFromText(req.body, file_name, &warnings);
    } else {
      Result<std::unique_ptr<cli::CsvTable>> table =
          cli::CsvTable::FromText(req.body, file_name, format == "tsv" ? '\t' : ',');
      if (!table.ok()) throw ApiError{400, table.status().message()};
      // Columns named as in the JSON Lines keys are used unless told otherwise.
      auto column = [&](const char* key, const char* usual) {
        if (req.has_param(key)) return param(key);
        return (*table)->FindColumn(usual) ? std::string(usual) : std::string();
      };
      cli::ScreenColumns columns;
      columns.query_parameters = true;
      columns.name = param("name_column");
      columns.country = column("country_column", "country");
      columns.type = column("type_column", "type");
      columns.dob = column("dob_column", "birth_date");
      size_t ids = req.get_param_value_count("id_column");
      for (size_t i = 0; i < ids; ++i) columns.ids.push_back(req.get_param_value("id_column", i));
      if (ids == 0 && (*table)->FindColumn("identifiers")) columns.ids.push_back("identifiers");
      Result<std::unique_ptr<cli::ScreenInput>> in =
          cli::OpenCsvScreenInput(std::move(*table), columns, &warnings);
      if (!in.ok()) throw ApiError{400, in.status().message()};
      input = std::move(*in);
    }
    std::vector<cli::ScreenRow> rows;
    Status s = input->Read(kMaxBatchRows + 1, &rows);
    if (!s.ok()) throw ApiError{400, s.message()};
    if (rows.size() > kMaxBatchRows) {
      throw ApiError{413, fmt::format("the file has more than {} rows", kMaxBatchRows)};
    }
    auto job = std::make_shared<Job>();
    job->kind = "screen-batch";
    job->actor = c.actor;
    job->created_at = NowIso();
    job->file_name = file_name;
    job->total = rows.size();
    job->rows = std::move(rows);
    job->screen_options = so;
    job->warnings = std::move(warnings.messages);
    if (warnings.count > job->warnings.size()) {
      job->warnings.push_back(
          fmt::format("... and {} more warnings", warnings.count - job->warnings.size()));
    }
    Enqueue(c, job);
  }

  // Screens a batch's rows in order, updating the progress as it goes.
  void RunBatchJob(Job& job) {
    std::shared_ptr<const World> w = world();
    const match::Screener* screener = w->setup.screener.get();
    const size_t total = job.rows.size();
    // A row that repeats an earlier row's query gets its hits.
    std::optional<cli::RepeatedQueries> repeats;
    if (screener != nullptr) repeats.emplace(*screener, job.screen_options);
    std::string result = "[";
    for (size_t i = 0; i < total; ++i) {
      std::vector<match::Hit> hits;
      if (repeats) hits = repeats->Hits(job.rows[i].query);
      if (i > 0) result += ",";
      result += cli::BatchResultJson(job.rows[i], hits);
      if ((i + 1) % kBatchProgressRows == 0) {
        std::lock_guard<std::mutex> lock(jobs_mu_);
        job.done = i + 1;
        if (stopping_) {
          job.state = "failed";
          job.error = "the server stopped before the batch was screened";
          job.rows = {};
          return;
        }
      }
    }
    result += "]";
    std::lock_guard<std::mutex> lock(jobs_mu_);
    job.rows = {};
    job.done = total;
    job.state = "done";
    job.result = std::move(result);
  }

  // GET /api/v1/jobs/{id}/report.html: a finished scan's HTML report, the
  // file `icts scan -o html` writes, as a download.
  void JobReport(Ctx& c) {
    std::string id = c.req.matches[1];
    std::string html;
    {
      std::lock_guard<std::mutex> lock(jobs_mu_);
      auto it = jobs_.find(id);
      if (it == jobs_.end()) throw ApiError{404, "no job " + id};
      const Job& j = *it->second;
      if (j.kind != "scan") throw ApiError{404, "job " + id + " is not a scan; it has no report"};
      if (j.state != "done") {
        throw ApiError{409,
                       "job " + id + " is " + j.state + "; the report is ready when it is done"};
      }
      html = j.report_html;
    }
    c.res.status = 200;
    c.res.set_header("Content-Disposition", "attachment; filename=\"icts-scan-" + id + ".html\"");
    c.res.set_header("X-Content-Type-Options", "nosniff");
    // Viewed in place, the report runs sandboxed, away from the UI's origin.
    c.res.set_header("Content-Security-Policy",
                     "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; "
                     "script-src 'unsafe-inline'; img-src data:");
    c.res.set_content(std::move(html), "text/html; charset=utf-8");
  }

  static void Owners(Ctx& c) {
    const World& w = *c.world;
    std::string id = c.req.matches[1];
    if (!w.setup.snapshot) throw ApiError{404, "no snapshot is loaded"};
    std::optional<refdata::EntityView> e = w.setup.snapshot->FindById(id);
    if (!e) throw ApiError{404, "no entity with id '" + id + "' in the snapshot"};
    std::string def_name =
        c.req.has_param("definition") ? c.req.get_param_value("definition") : "subpart-ab";
    auto def = w.definitions.find(def_name);
    if (def == w.definitions.end()) {
      throw ApiError{400, "definition '" + def_name + "' is not one of the shipped definitions"};
    }
    Date as_of = OptDateParam(c.req, "as_of").value_or(TodayUtc());
    graph::GraphBuilder builder;
    graph::AddSnapshotAncestors(*w.setup.snapshot, {e->index()}, builder);
    Result<graph::Graph> g = builder.Finish();
    if (!g.ok()) throw FromStatus(g.status());
    std::optional<uint32_t> target = g->Find(id);
    if (!target) throw ApiError{404, "entity '" + id + "' is not in the ownership graph"};
    Result<std::unique_ptr<graph::Analysis>> an =
        graph::Analysis::Run(*g, w.adversaries, def->second, as_of);
    if (!an.ok()) throw FromStatus(an.status());
    graph::OwnersResult r = (*an)->Explain(*target);
    ojson out = graph::OwnersResultToJson(r, id, "id");
    out["graph"] = OwnersGraphJson(*g, **an, as_of);
    SetJson(c.res, 200, out);
  }

  // The upstream graph the analysis ran on, for drawing: nodes with their
  // effective adversary shares, edges in effect on `as_of` (bounded).
  static ojson OwnersGraphJson(const graph::Graph& g, const graph::Analysis& an, Date as_of) {
    constexpr size_t kMaxNodes = 500;
    ojson out;
    out["truncated"] = g.node_count() > kMaxNodes;
    ojson nodes = ojson::array(), edges = ojson::array();
    const std::vector<std::string>& codes = an.adversary_codes();
    const size_t n = std::min(g.node_count(), kMaxNodes);
    for (uint32_t v = 0; v < n; ++v) {
      const graph::Node& node = g.node(v);
      ojson shares = ojson::object();
      ojson seeds = ojson::array();
      for (uint32_t a = 0; a < codes.size(); ++a) {
        double share = an.solution().Share(v, a);
        if (share > 0) shares[codes[a]] = share;
        if ((an.seed(v) >> a) & 1) seeds.push_back(codes[a]);
      }
      ojson countries = ojson::array();
      for (const graph::NodeCountry& nc : node.countries) {
        countries.push_back(
            {{"code", nc.code}, {"role", std::string(graph::CountryRoleName(nc.role))}});
      }
      nodes.push_back({{"id", node.id},
                       {"name", node.name},
                       {"type", std::string(graph::NodeTypeName(node.type))},
                       {"countries", std::move(countries)},
                       {"adversary", std::move(seeds)},
                       {"adversary_shares", std::move(shares)}});
    }
    for (const graph::Edge& e : g.edges()) {
      if (e.owner >= n || e.owned >= n || !e.InEffect(as_of)) continue;
      ojson edge = {{"owner", g.node(e.owner).id},
                    {"owned", g.node(e.owned).id},
                    {"kind", std::string(graph::EdgeKindName(e.kind))}};
      edge["share"] = e.share_known() ? ojson(e.share) : ojson(nullptr);
      if (e.control != graph::ControlKind::kNone) {
        edge["control"] = std::string(graph::ControlKindName(e.control));
      }
      if (!e.role.empty()) edge["role"] = e.role;
      edges.push_back(std::move(edge));
    }
    out["nodes"] = std::move(nodes);
    out["edges"] = std::move(edges);
    return out;
  }

  static void Lists(Ctx& c) {
    const World& w = *c.world;
    ojson out;
    out["loaded_at"] = fmt::format("{:.0f}", UnixSeconds(w.loaded_at));
    if (!w.setup.snapshot) {
      out["snapshot"] = nullptr;
      out["sources"] = ojson::array();
      SetJson(c.res, 200, out);
      return;
    }
    const refdata::Snapshot& s = *w.setup.snapshot;
    Date today = TodayUtc();
    out["hash"] = s.hash();
    out["format_version"] = s.format_version();
    out["entities"] = s.entity_count();
    out["relations"] = s.relation_count();
    out["bytes"] = s.file_size();
    ojson sources = ojson::array();
    for (size_t i = 0; i < s.source_count(); ++i) {
      refdata::SourceInfo info = s.source(i);
      ojson src = ojson(refdata::SourceInfoToJson(info));
      Result<Date> published = Date::ParseIso(info.published.substr(0, 10));
      if (published.ok()) {
        src["age_days"] = today.days() - published->days();
      } else {
        src["age_days"] = nullptr;
      }
      sources.push_back(std::move(src));
    }
    out["sources"] = std::move(sources);
    SetJson(c.res, 200, out);
  }

  static ojson DecisionToJson(const store::DecisionRecord& d) {
    ojson j;
    j["id"] = d.id;
    j["kind"] = std::string(store::SubjectKindName(d.subject_kind));
    j["entity_id"] = d.entity_id;
    j["query"] = d.subject_key;
    j["status"] = std::string(store::DecisionStatusName(d.status));
    j["reason"] = d.reason;
    j["decided_by"] = d.decided_by;
    j["decided_at"] = d.decided_at;
    j["expires_on"] = d.expires_on ? ojson(d.expires_on->ToIso()) : ojson(nullptr);
    j["entity_content_hash"] = d.entity_content_hash;
    return j;
  }

  void ListDecisions(Ctx& c) {
    store::DecisionFilter filter;
    if (c.req.has_param("entity")) filter.entity_id = c.req.get_param_value("entity");
    if (c.req.has_param("query")) filter.subject_key = c.req.get_param_value("query");
    if (c.req.has_param("kind")) {
      Result<store::SubjectKind> k = store::ParseSubjectKind(c.req.get_param_value("kind"));
      if (!k.ok()) throw ApiError{400, k.status().message()};
      filter.subject_kind = *k;
    }
    filter.limit = 1000;
    Result<std::vector<store::DecisionRecord>> list = [&] {
      std::lock_guard<std::mutex> lock(store_mu_);
      return store_->ListDecisions(filter);
    }();
    if (!list.ok()) throw FromStatus(list.status());
    ojson out = ojson::array();
    for (const store::DecisionRecord& d : *list) out.push_back(DecisionToJson(d));
    SetJson(c.res, 200, out);
  }

  void AddDecision(Ctx& c) {
    json in = ParseObject(c.req);
    store::DecisionRecord d;
    Result<store::SubjectKind> kind =
        store::ParseSubjectKind(OptString(in, "kind").value_or("hit"));
    if (!kind.ok()) throw ApiError{400, "/kind: " + kind.status().message()};
    d.subject_kind = *kind;
    Result<store::DecisionStatus> status = store::ParseDecisionStatus(ReqString(in, "status"));
    if (!status.ok()) throw ApiError{400, "/status: " + status.status().message()};
    d.status = *status;
    d.entity_id = ReqString(in, "entity_id");
    d.subject_key = ReqString(in, "query");
    d.reason = ReqString(in, "reason");
    if (d.reason.empty()) throw ApiError{400, "/reason: must not be empty"};
    d.decided_by = c.token.name;
    if (std::optional<std::string> exp = OptString(in, "expires_on")) {
      Result<Date> e = Date::ParseIso(*exp);
      if (!e.ok()) throw ApiError{400, "/expires_on: not a date YYYY-MM-DD"};
      d.expires_on = *e;
    }
    const World& w = *c.world;
    if (w.setup.snapshot && d.subject_kind == store::SubjectKind::kScreeningHit) {
      if (std::optional<refdata::EntityView> e = w.setup.snapshot->FindById(d.entity_id)) {
        d.entity_content_hash = cli::EntityContentHash(*w.setup.snapshot, e->index());
        d.context_json = json{{"snapshot_sha256", w.setup.snapshot->hash()},
                              {"entity_name", std::string(e->primary_name())}}
                             .dump();
      }
    }
    std::lock_guard<std::mutex> lock(store_mu_);
    Result<std::string> id = store_->PutDecision(c.actor, d);
    if (!id.ok()) throw FromStatus(id.status());
    Result<store::DecisionRecord> stored = store_->GetDecision(*id);
    if (!stored.ok()) throw FromStatus(stored.status());
    c.res.set_header("Location", "/api/v1/decisions?entity=" + d.entity_id);
    SetJson(c.res, 201, DecisionToJson(*stored));
  }

  static ojson DeterminationJson(const store::DeterminationRecord& r) {
    ojson j;
    j["id"] = r.id;
    j["transaction_id"] = r.transaction_id;
    j["outcome"] = r.outcome;
    j["created_at"] = r.created_at;
    j["provenance"] = {{"input_sha256", r.provenance.input_sha256},
                       {"snapshot_sha256", r.provenance.snapshot_sha256},
                       {"packs", ojson::parse(r.provenance.packs_json, nullptr, false)},
                       {"engine_version", r.provenance.engine_version},
                       {"as_of", r.provenance.as_of.ToIso()}};
    j["result"] = ojson::parse(r.result_json, nullptr, false);
    return j;
  }

  Result<store::DeterminationRecord> LoadDetermination(const std::string& id) {
    std::lock_guard<std::mutex> lock(store_mu_);
    return store_->GetDetermination(id);
  }

  void GetDetermination(Ctx& c) {
    Result<store::DeterminationRecord> r = LoadDetermination(c.req.matches[1]);
    if (!r.ok()) throw FromStatus(r.status());
    SetJson(c.res, 200, DeterminationJson(*r));
  }

  // Re-evaluates a stored determination with the loaded packs and snapshot
  // and names what differs.
  void Replay(Ctx& c) {
    std::string id = c.req.matches[1];
    Result<store::DeterminationRecord> stored = LoadDetermination(id);
    if (!stored.ok()) throw FromStatus(stored.status());
    const World& w = *c.world;
    Result<cli::Replay> replay = cli::ReplayDetermination(*stored, *w.packs, w.setup);
    if (!replay.ok()) {
      // A stored input that is not JSON is the store's fault; one the
      // loaded packs no longer accept conflicts with the current state.
      if (replay.status().code() == StatusCode::kDataLoss) throw ApiError{500, "internal error"};
      throw ApiError{409, replay.status().message()};
    }
    ojson differences = ojson::array();
    for (const cli::ReplayDifference& d : replay->differences) {
      differences.push_back({{"field", d.field}, {"stored", d.stored}, {"now", d.now}});
    }
    {
      std::lock_guard<std::mutex> lock(store_mu_);
      Result<store::AuditEvent> ev = store_->AppendAuditEvent(
          c.actor, "determination.replay", id, differences.empty() ? "same" : "differs");
      if (!ev.ok()) throw FromStatus(ev.status());
    }
    ojson out;
    out["id"] = id;
    out["same"] = differences.empty();
    out["outcome"] = replay->now.outcome;
    out["differences"] = std::move(differences);
    SetJson(c.res, 200, out);
  }

  static ojson CaseJson(const store::CaseRecord& r) {
    ojson j;
    j["id"] = r.id;
    j["state"] = r.state;
    j["opened_on"] = r.opened_on.ToIso();
    j["next_due_on"] = r.next_due_on ? ojson(r.next_due_on->ToIso()) : ojson(nullptr);
    j["closed_on"] = r.closed_on ? ojson(r.closed_on->ToIso()) : ojson(nullptr);
    j["version"] = r.version;
    j["updated_at"] = r.updated_at;
    j["case"] = ojson::parse(r.payload_json, nullptr, false);
    return j;
  }

  void ListCases(Ctx& c) {
    store::CaseFilter filter;
    if (c.req.has_param("state")) filter.state = c.req.get_param_value("state");
    filter.open_only = FlagParam(c.req, "open");
    if (std::optional<Date> due = OptDateParam(c.req, "due_by")) filter.due_on_or_before = *due;
    Result<std::vector<store::CaseRecord>> list = [&] {
      std::lock_guard<std::mutex> lock(store_mu_);
      return store_->ListCases(filter);
    }();
    if (!list.ok()) throw FromStatus(list.status());
    ojson out = ojson::array();
    for (const store::CaseRecord& r : *list) out.push_back(CaseJson(r));
    SetJson(c.res, 200, out);
  }

  void GetCase(Ctx& c) {
    std::string id = c.req.matches[1];
    std::lock_guard<std::mutex> lock(store_mu_);
    Result<store::CaseRecord> r = store_->GetCase(id);
    if (!r.ok()) throw FromStatus(r.status());
    Result<std::vector<store::CaseEvent>> events = store_->ListCaseEvents(id);
    if (!events.ok()) throw FromStatus(events.status());
    ojson out = CaseJson(*r);
    ojson evs = ojson::array();
    for (const store::CaseEvent& e : *events) {
      evs.push_back({{"seq", e.seq},
                     {"kind", e.kind},
                     {"occurred_on", e.occurred_on.ToIso()},
                     {"actor", e.actor},
                     {"recorded_at", e.recorded_at},
                     {"event", ojson::parse(e.payload_json, nullptr, false)}});
    }
    out["events"] = std::move(evs);
    // What falls due and what may happen next, as `icts case show` has them.
    const cases::DeadlineRules& rules = CaseRules();
    Result<cases::StoredCase> loaded = cases::LoadStoredCase(*store_, rules, id);
    if (!loaded.ok()) throw FromStatus(loaded.status());
    ojson shown = ojson::parse(cases::CaseToJson(rules, loaded->c).dump());
    out["deadlines"] = std::move(shown["deadlines"]);
    out["allowed_events"] = std::move(shown["allowed_events"]);
    SetJson(c.res, 200, out);
  }

  static const cases::DeadlineRules& CaseRules() {
    Result<const cases::DeadlineRules*> rules = cases::ShippedDeadlineRules();
    if (!rules.ok()) throw FromStatus(rules.status());
    return **rules;
  }

  // The case as `icts case show -o json` prints it, plus where it is kept.
  static ojson StoredCaseJson(const cases::DeadlineRules& rules, const cases::StoredCase& s) {
    ojson out = ojson::parse(cases::CaseToJson(rules, s.c).dump());
    out["store"] = CaseJson(s.record);
    return out;
  }

  // POST /api/v1/cases {title, opened?, rule_version?, parties?, subpart?,
  // transaction_date?, id?} → 201 with the case.
  void CreateCase(Ctx& c) {
    json in = ParseObject(c.req);
    static const char* kKeys[] = {"id", "title", "opened", "rule_version", "parties", "subpart",
                                  "transaction_date"};
    for (auto it = in.begin(); it != in.end(); ++it) {
      if (std::find(std::begin(kKeys), std::end(kKeys), it.key()) == std::end(kKeys)) {
        throw ApiError{400, "/" + it.key() + ": unknown key"};
      }
    }
    const cases::DeadlineRules& rules = CaseRules();
    const std::string title = ReqString(in, "title");
    if (title.empty()) throw ApiError{400, "/title: must not be empty"};
    Date opened = TodayUtc();
    if (std::optional<std::string> o = OptString(in, "opened")) {
      Result<Date> d = Date::ParseIso(*o);
      if (!d.ok()) throw ApiError{400, "/opened: not a date YYYY-MM-DD"};
      opened = *d;
    }
    Result<cases::RuleChoice> choice =
        cases::ParseRuleChoice(OptString(in, "rule_version").value_or("auto"));
    if (!choice.ok()) throw ApiError{400, "/rule_version: " + choice.status().message()};
    const std::string id = OptString(in, "id").value_or("");
    Result<cases::Case> made = cases::NewCase(rules, id.empty() ? "new" : id, title, opened, *choice);
    if (!made.ok()) throw ApiError{422, made.status().message()};
    if (in.contains("parties")) {
      if (!in["parties"].is_array()) throw ApiError{400, "/parties: must be an array of names"};
      for (const json& p : in["parties"]) {
        if (!p.is_string()) throw ApiError{400, "/parties: must be an array of names"};
        made->parties.push_back(p.get<std::string>());
      }
    }
    const std::string subpart = OptString(in, "subpart").value_or("ab");
    if (subpart != "ab" && subpart != "d") throw ApiError{400, "/subpart: expected ab or d"};
    made->subpart = subpart;
    if (std::optional<std::string> t = OptString(in, "transaction_date")) {
      Result<Date> d = Date::ParseIso(*t);
      if (!d.ok()) throw ApiError{400, "/transaction_date: not a date YYYY-MM-DD"};
      made->transaction_date = *d;
    }
    std::lock_guard<std::mutex> lock(store_mu_);
    Result<cases::StoredCase> stored =
        cases::CreateStoredCase(*store_, rules, std::move(*made), c.actor, id);
    if (!stored.ok()) throw FromStatus(stored.status());
    c.res.set_header("Location", "/api/v1/cases/" + stored->c.id);
    SetJson(c.res, 201, StoredCaseJson(rules, *stored));
  }

  // POST /api/v1/cases/{id}/events {kind, date, note?, parties?, determinations?,
  // attachments?, due?, measure?, status?} → 201 with the case after the event.
  // A refused event (not allowed in the state, too early) is 409 and writes
  // nothing.
  void AddCaseEvent(Ctx& c) {
    const std::string id = c.req.matches[1];
    json in = ParseObject(c.req);
    if (in.contains("actor") || in.contains("seq")) {
      throw ApiError{400, "actor and seq are set by the server"};
    }
    in["actor"] = c.actor;
    Result<cases::Event> e = cases::EventFromJson(in);
    if (!e.ok()) throw ApiError{400, e.status().message()};
    const cases::DeadlineRules& rules = CaseRules();
    std::lock_guard<std::mutex> lock(store_mu_);
    Result<cases::StoredCase> stored = cases::AppendStoredEvent(*store_, rules, id, std::move(*e));
    if (!stored.ok()) {
      const StatusCode code = stored.status().code();
      if (code == StatusCode::kInvalidArgument || code == StatusCode::kFailedPrecondition) {
        throw ApiError{409, stored.status().message()};
      }
      throw FromStatus(stored.status());
    }
    c.res.set_header("Location", "/api/v1/cases/" + id);
    SetJson(c.res, 201, StoredCaseJson(rules, *stored));
  }

  void AuditVerify(Ctx& c) {
    Result<store::AuditReport> report = [&] {
      std::lock_guard<std::mutex> lock(store_mu_);
      return store_->VerifyAudit();
    }();
    if (!report.ok()) throw FromStatus(report.status());
    ojson out;
    out["intact"] = report->intact;
    out["events"] = report->events;
    out["head_hash"] = report->head_hash;
    if (!report->intact) {
      out["first_bad_seq"] = report->first_bad_seq;
      out["problem"] = report->problem;
    }
    SetJson(c.res, 200, out);
  }

  void AdminSnapshot(Ctx& c) {
    std::string path;
    if (!c.req.body.empty()) path = OptString(ParseObject(c.req), "path").value_or("");
    Status s = Reload(path);
    if (!s.ok()) throw ApiError{422, s.message()};
    std::shared_ptr<const World> w = world();
    std::string hash = w->setup.snapshot ? w->setup.snapshot->hash() : "";
    {
      std::lock_guard<std::mutex> lock(store_mu_);
      Result<store::AuditEvent> ev =
          store_->AppendAuditEvent(c.actor, "server.snapshot", hash, w->snapshot_path);
      if (!ev.ok()) throw FromStatus(ev.status());
    }
    SetJson(c.res, 200, ojson{{"snapshot", hash}, {"path", w->snapshot_path}});
  }

  void AdminToken(Ctx& c) {
    json in = ParseObject(c.req);
    Result<Role> role = ParseRole(ReqString(in, "role"));
    if (!role.ok()) throw ApiError{400, "/role: " + role.status().message()};
    std::string name = ReqString(in, "name");
    if (Status s = CheckTokenName(name); !s.ok()) throw ApiError{400, "/name: " + s.message()};
    TokenInfo info;
    Result<std::string> token = [&] {
      std::lock_guard<std::mutex> lock(store_mu_);
      Result<std::string> t = CreateToken(*store_, c.actor, *role, name, &info);
      if (t.ok()) (void)tokens_.Refresh(*store_);
      return t;
    }();
    if (!token.ok()) throw FromStatus(token.status());
    SetJson(c.res, 201,
            ojson{{"id", info.id}, {"name", info.name}, {"role", RoleName(info.role)},
                  {"token", *token}});
  }

  void ListTokens(Ctx& c) {
    ojson out = ojson::array();
    for (const TokenInfo& t : tokens_.List()) {
      out.push_back(ojson{{"id", t.id}, {"name", t.name}, {"role", RoleName(t.role)}});
    }
    SetJson(c.res, 200, ojson{{"tokens", out}});
  }

  void RevokeTokenRoute(Ctx& c) {
    const std::string id = c.req.matches[1];
    Status s = [&] {
      std::lock_guard<std::mutex> lock(store_mu_);
      Status r = RevokeToken(*store_, c.actor, id);
      if (r.ok()) (void)tokens_.Refresh(*store_);
      return r;
    }();
    if (!s.ok()) throw FromStatus(s);
    SetJson(c.res, 200, ojson{{"id", id}, {"revoked", true}});
  }

  static constexpr int64_t kTokenRefreshMs = 1000;

  ServerOptions options_;
  httplib::Server http_;
  Metrics metrics_;
  TokenRegistry tokens_;
  std::unique_ptr<store::Store> store_;
  std::mutex store_mu_;
  std::shared_ptr<const World> world_;
  std::mutex reload_mu_;
  int port_ = 0;
  std::thread listener_;
  std::thread worker_;

  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  bool stopping_ = false;
  uint64_t job_counter_ = 0;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::string> job_order_;
  std::deque<std::shared_ptr<Job>> queue_;
};

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  ICTS_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { impl_->Stop(); }
Status Server::Start() { return impl_->Start(); }
void Server::Wait() { impl_->Wait(); }
void Server::Stop() { impl_->Stop(); }
int Server::port() const { return impl_->port(); }
Status Server::ReloadSnapshot(const std::string& path) { return impl_->Reload(path); }

}  // namespace icts::server
