#include "server/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server/tokens.h"
#include "store/store.h"

namespace icts::server {
namespace {

using nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  json doc = json::parse(OpenApiDocument());
  ASSERT_EQ(doc.value("openapi", ""), "3.0.3");
  std::set<std::string> documented, served;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(m + " " + path);
    }
  }
  for (const Route& r : Routes()) {
    served.insert(r.method + " " + r.path);
    // The documented role is the one the server checks.
    std::string method = r.method == "GET" ? "get" : "post";
    const json& op = doc["paths"][r.path][method];
    if (r.is_public) {
      EXPECT_TRUE(op.contains("security")) << r.path;
    } else {
      EXPECT_EQ(op.value("x-icts-role", ""), std::string(RoleName(r.role))) << r.path;
    }
  }
  EXPECT_EQ(documented, served);
}

TEST(Tokens, RolesParseAndOrder) {
  EXPECT_EQ(*ParseRole("viewer"), Role::kViewer);
  EXPECT_EQ(*ParseRole("admin"), Role::kAdmin);
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_LT(static_cast<int>(Role::kAnalyst), static_cast<int>(Role::kReviewer));
  EXPECT_FALSE(CheckTokenName("a;role=admin").ok());
  EXPECT_TRUE(CheckTokenName("alice@example.org").ok());
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("icts-server-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "store.db").string();
    {
      auto st = store::Store::Open(url_);
      ASSERT_TRUE(st.ok()) << st.status().ToString();
      for (Role r : {Role::kViewer, Role::kAnalyst, Role::kReviewer, Role::kAdmin}) {
        auto t = CreateToken(**st, "test", r, std::string(RoleName(r)) + "-user", nullptr);
        ASSERT_TRUE(t.ok());
        tokens_[static_cast<int>(r)] = *t;
      }
    }
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.store_url = url_;
    options.rules_dir = std::string(ICTS_SOURCE_DIR) + "/rules";
    options.max_body_bytes = 64 * 1024;
    options.read_timeout_seconds = 2;
    options.threads = 8;
    Configure(options);
    auto srv = Server::Create(options);
    ASSERT_TRUE(srv.ok()) << srv.status().ToString();
    server_ = std::move(*srv);
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
    for (int i = 0; i < 100; ++i) {
      if (auto r = client_->Get("/healthz"); r && r->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Lets a derived fixture change the options before the server starts.
  virtual void Configure(ServerOptions&) {}

  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  httplib::Headers Auth(Role r) {
    return {{"Authorization", "Bearer " + tokens_[static_cast<int>(r)]}};
  }

  httplib::Result Post(const std::string& path, const std::string& body, Role r,
                       const std::string& type = "application/json") {
    return client_->Post(path.c_str(), Auth(r), body, type.c_str());
  }

  int64_t AuditEvents() {
    auto st = store::Store::Open(url_);
    auto report = (*st)->VerifyAudit();
    return report->events;
  }

  static void ExpectProblem(const httplib::Result& r, int status) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    json p = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(p.is_object()) << r->body;
    EXPECT_EQ(p.value("status", 0), status);
    EXPECT_FALSE(p.value("title", "").empty());
  }

  std::filesystem::path dir_;
  std::string url_;
  std::string tokens_[4];
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, PublicRoutes) {
  auto h = client_->Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  auto o = client_->Get("/openapi.json");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->status, 200);
  EXPECT_TRUE(json::parse(o->body, nullptr, false).is_object());
  auto m = client_->Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_NE(m->body.find("icts_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
            std::string::npos)
      << m->body;
  EXPECT_NE(m->body.find("icts_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m->body.find("icts_jobs_queued 0"), std::string::npos);
  EXPECT_NE(m->body.find("icts_snapshot_age_seconds"), std::string::npos);
  // CORS is off by default.
  EXPECT_FALSE(h->has_header("Access-Control-Allow-Origin"));
}

TEST_F(ServerTest, UnknownRouteIsAProblemDocument) {
  ExpectProblem(client_->Get("/api/v1/nothing-here"), 404);
  ExpectProblem(client_->Get("/"), 404);
}

TEST_F(ServerTest, TokensAndRoles) {
  ExpectProblem(client_->Post("/api/v1/screen", R"({"name":"x"})", "application/json"), 401);
  httplib::Headers wrong = {{"Authorization", "Bearer icts_0000"}};
  ExpectProblem(client_->Post("/api/v1/screen", wrong, R"({"name":"x"})", "application/json"), 401);
  ExpectProblem(Post("/api/v1/screen", R"({"name":"x"})", Role::kViewer), 403);
  ExpectProblem(Post("/api/v1/decisions", R"({})", Role::kAnalyst), 403);
  ExpectProblem(Post("/api/v1/admin/tokens", R"({"role":"admin","name":"x"})", Role::kReviewer),
                403);
  auto ok = Post("/api/v1/screen", R"({"name":"Huawei"})", Role::kAnalyst);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  auto get = client_->Get("/api/v1/lists", Auth(Role::kViewer));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
}

TEST_F(ServerTest, AdminCreatesATokenThatWorksAtOnce) {
  auto r = Post("/api/v1/admin/tokens", R"({"role":"analyst","name":"ci-bot"})", Role::kAdmin);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  std::string token = json::parse(r->body).value("token", "");
  ASSERT_EQ(token.size(), 5u + 64u);
  httplib::Headers h = {{"Authorization", "Bearer " + token}};
  auto s = client_->Post("/api/v1/compare", h, R"({"a":"Huawei Technologies","b":"HUAWEI TECH"})",
                         "application/json");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, 200) << s->body;
  EXPECT_GT(json::parse(s->body).value("score", 0.0), 0.5);
  // Served without a snapshot: every word weighs the same, no snapshot named.
  EXPECT_FALSE(json::parse(s->body).contains("snapshot")) << s->body;
  auto typed = client_->Post("/api/v1/compare", h,
                             R"({"a":"Sergey Kurchenko","b":"KURCHENKO, Sergey Vitalievich",)"
                             R"("type":"person"})",
                             "application/json");
  ASSERT_TRUE(typed);
  EXPECT_EQ(typed->status, 200) << typed->body;
  EXPECT_GE(json::parse(typed->body).value("score", 0.0), 0.9) << typed->body;
  auto robot = client_->Post("/api/v1/compare", h, R"({"a":"x","b":"y","type":"robot"})",
                             "application/json");
  ASSERT_TRUE(robot);
  EXPECT_EQ(robot->status, 400) << robot->body;
  ExpectProblem(Post("/api/v1/admin/tokens", R"({"role":"root","name":"x"})", Role::kAdmin), 400);
}

// Revocation through the API takes effect at once; a revocation written to
// the store by another process (as `icts token revoke` does) within about a
// second, without restarting the server.
TEST_F(ServerTest, RevokedTokensAreRefused) {
  auto listed = client_->Get("/api/v1/admin/tokens", Auth(Role::kAdmin));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  json tokens = json::parse(listed->body)["tokens"];
  ASSERT_EQ(tokens.size(), 4u);
  std::map<std::string, std::string> id_of;
  for (const json& t : tokens) {
    EXPECT_FALSE(t.contains("token"));
    EXPECT_FALSE(t.contains("sha256"));
    id_of[t.value("name", "")] = t.value("id", "");
  }
  ExpectProblem(client_->Get("/api/v1/admin/tokens", Auth(Role::kReviewer)), 403);
  ExpectProblem(Post("/api/v1/admin/tokens/" + id_of["viewer-user"] + "/revoke", "{}",
                     Role::kReviewer),
                403);

  // Through the API.
  auto before = client_->Get("/api/v1/lists", Auth(Role::kViewer));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 200);
  const int64_t events = AuditEvents();
  auto revoked =
      Post("/api/v1/admin/tokens/" + id_of["viewer-user"] + "/revoke", "{}", Role::kAdmin);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_EQ(AuditEvents(), events + 1);
  ExpectProblem(client_->Get("/api/v1/lists", Auth(Role::kViewer)), 401);
  ExpectProblem(Post("/api/v1/admin/tokens/" + id_of["viewer-user"] + "/revoke", "{}",
                     Role::kAdmin),
                404);
  ExpectProblem(Post("/api/v1/admin/tokens/tok-000000000000/revoke", "{}", Role::kAdmin), 404);
  EXPECT_EQ(AuditEvents(), events + 1);

  // By another process, straight into the store.
  auto ok = Post("/api/v1/compare", R"({"a":"Huawei","b":"Huawei"})", Role::kAnalyst);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  {
    auto st = store::Store::Open(url_);
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(RevokeToken(**st, "cli:test", id_of["analyst-user"]).ok());
    EXPECT_EQ(RevokeToken(**st, "cli:test", id_of["analyst-user"]).code(),
              StatusCode::kNotFound);
  }
  int status = 0;
  for (int i = 0; i < 40 && status != 401; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto r = Post("/api/v1/compare", R"({"a":"Huawei","b":"Huawei"})", Role::kAnalyst);
    ASSERT_TRUE(r);
    status = r->status;
  }
  EXPECT_EQ(status, 401);
  auto after = client_->Get("/api/v1/admin/tokens", Auth(Role::kAdmin));
  ASSERT_TRUE(after);
  EXPECT_EQ(json::parse(after->body)["tokens"].size(), 2u);
}

TEST_F(ServerTest, BadBodies) {
  ExpectProblem(Post("/api/v1/screen", "{not json", Role::kAnalyst), 400);
  ExpectProblem(Post("/api/v1/screen", "[1,2]", Role::kAnalyst), 400);
  ExpectProblem(Post("/api/v1/screen", R"({"name":42})", Role::kAnalyst), 400);
  ExpectProblem(Post("/api/v1/screen", R"({"name":"x","threshold":"high"})", Role::kAnalyst), 400);
  ExpectProblem(Post("/api/v1/screen", R"({"name":"x","top":2.5})", Role::kAnalyst), 400);
  ExpectProblem(Post("/api/v1/screen", R"({"name":"x","type":"robot"})", Role::kAnalyst), 400);
  ExpectProblem(Post("/api/v1/screen", "", Role::kAnalyst), 400);
  std::string huge = R"({"name":")" + std::string(200 * 1024, 'a') + R"("})";
  ExpectProblem(Post("/api/v1/screen", huge, Role::kAnalyst), 413);
  ExpectProblem(Post("/api/v1/review", R"({"id":"t1"})", Role::kAnalyst), 422);
  // The server keeps serving.
  auto h = client_->Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

TEST_F(ServerTest, DecisionsAreAttributedAndFailedWritesWriteNothing) {
  int64_t before = AuditEvents();
  ExpectProblem(Post("/api/v1/decisions",
                     R"({"entity_id":"e1","query":"Acme","status":"maybe","reason":"r"})",
                     Role::kReviewer),
                400);
  ExpectProblem(Post("/api/v1/decisions", R"({"entity_id":"e1","query":"Acme"})", Role::kReviewer),
                400);
  EXPECT_EQ(AuditEvents(), before);
  auto r = Post("/api/v1/decisions",
                R"({"entity_id":"e1","query":"Acme","status":"false-positive","reason":"other firm"})",
                Role::kReviewer);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(json::parse(r->body).value("decided_by", ""), "reviewer-user");
  EXPECT_EQ(AuditEvents(), before + 1);
  auto st = store::Store::Open(url_);
  auto events = (*st)->ReadAudit(before, 10);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].actor, "api:reviewer-user");
  auto list = client_->Get("/api/v1/decisions?entity=e1", Auth(Role::kViewer));
  ASSERT_TRUE(list);
  EXPECT_EQ(json::parse(list->body).size(), 1u);
  auto v = client_->Get("/api/v1/audit/verify", Auth(Role::kViewer));
  ASSERT_TRUE(v);
  EXPECT_TRUE(json::parse(v->body).value("intact", false));
}

TEST_F(ServerTest, CasesOpenAndTakeEventsThroughTheStateMachine) {
  ExpectProblem(Post("/api/v1/cases", R"({"title":"Router vendor review"})", Role::kAnalyst), 403);
  ExpectProblem(Post("/api/v1/cases", R"({"title":"x","colour":"red"})", Role::kReviewer), 400);
  auto r = Post("/api/v1/cases",
                R"({"title":"Router vendor review","opened":"2025-03-03","rule_version":"final"})",
                Role::kReviewer);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json c = json::parse(r->body);
  const std::string id = c.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(c.value("state", ""), "opened");
  auto e = Post(("/api/v1/cases/" + id + "/events").c_str(),
                R"({"kind":"referral-accepted","date":"2025-03-05","note":"accepted"})",
                Role::kReviewer);
  ASSERT_TRUE(e);
  ASSERT_EQ(e->status, 201) << e->body;
  json after = json::parse(e->body);
  EXPECT_NE(after.value("state", ""), "opened");
  ASSERT_EQ(after["events"].size(), 1u);
  EXPECT_EQ(after["events"][0].value("actor", ""), "api:reviewer-user");
  // An event the state does not allow is refused and writes nothing.
  int64_t before = AuditEvents();
  ExpectProblem(Post(("/api/v1/cases/" + id + "/events").c_str(),
                     R"({"kind":"fd-prohibited","date":"2025-03-06"})", Role::kReviewer),
                409);
  EXPECT_EQ(AuditEvents(), before);
  ExpectProblem(Post("/api/v1/cases/no-such-case/events",
                     R"({"kind":"note","date":"2025-03-06"})", Role::kReviewer),
                404);
  auto g = client_->Get(("/api/v1/cases/" + id).c_str(), Auth(Role::kViewer));
  ASSERT_TRUE(g);
  json shown = json::parse(g->body);
  EXPECT_EQ(shown["events"].size(), 1u);
  // What falls due and what may follow, as `icts case show` has them.
  EXPECT_TRUE(shown["deadlines"].is_array()) << g->body;
  EXPECT_NE(shown["allowed_events"].dump().find("id-noticed"), std::string::npos) << g->body;
}

TEST_F(ServerTest, ReviewRecordAndReplay) {
  std::string tx =
      ReadFile(std::string(ICTS_SOURCE_DIR) + "/examples/transactions/use-kaspersky-renewal.json");
  auto r = Post("/api/v1/review?record=true", tx, Role::kAnalyst);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json d = json::parse(r->body);
  // No snapshot is loaded: the parties cannot be screened, so not clear.
  EXPECT_EQ(d.value("outcome", ""), "needs_review");
  std::string id = d.value("stored_id", "");
  ASSERT_FALSE(id.empty());
  auto g = client_->Get(("/api/v1/determinations/" + id).c_str(), Auth(Role::kViewer));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->status, 200);
  auto rp = Post("/api/v1/determinations/" + id + "/replay", "", Role::kAnalyst);
  ASSERT_TRUE(rp);
  ASSERT_EQ(rp->status, 200) << rp->body;
  EXPECT_TRUE(json::parse(rp->body).value("same", false)) << rp->body;
  ExpectProblem(client_->Get("/api/v1/determinations/det-nope", Auth(Role::kViewer)), 404);
}

TEST_F(ServerTest, ScanJob) {
  std::string sbom =
      ReadFile(std::string(ICTS_SOURCE_DIR) + "/examples/scan/clinic-hbom.cdx.json");
  auto r = Post("/api/v1/scans?filename=clinic-hbom.cdx.json", sbom, Role::kAnalyst,
                "application/octet-stream");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  std::string id = json::parse(r->body).value("id", "");
  json job;
  for (int i = 0; i < 300; ++i) {
    auto g = client_->Get(("/api/v1/jobs/" + id).c_str(), Auth(Role::kViewer));
    ASSERT_TRUE(g);
    job = json::parse(g->body);
    if (job.value("state", "") == "done" || job.value("state", "") == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(job.value("state", ""), "done") << job.dump();
  EXPECT_TRUE(job["result"].is_object());
  // Findings name the upload, never the server's private copy.
  EXPECT_EQ(job.dump().find("icts-upload"), std::string::npos) << job.dump();
  EXPECT_NE(job.dump().find("\"file\":\"clinic-hbom.cdx.json\""), std::string::npos);
  // A broken upload fails the job with a message naming the upload.
  auto bad = Post("/api/v1/scans?filename=broken.cdx.json", "{\"bomFormat\": ", Role::kAnalyst,
                  "application/octet-stream");
  ASSERT_TRUE(bad);
  ASSERT_EQ(bad->status, 202);
  std::string bad_id = json::parse(bad->body).value("id", "");
  for (int i = 0; i < 300; ++i) {
    job = json::parse(client_->Get(("/api/v1/jobs/" + bad_id).c_str(), Auth(Role::kViewer))->body);
    if (job.value("state", "") == "failed" || job.value("state", "") == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(job.value("state", ""), "failed");
  EXPECT_EQ(job.value("error", "").find("icts-upload"), std::string::npos) << job.dump();
  ExpectProblem(client_->Get("/api/v1/jobs/job-999", Auth(Role::kViewer)), 404);
  // The finished scan's HTML report, as `icts scan -o html` writes it.
  auto html = client_->Get(("/api/v1/jobs/" + id + "/report.html").c_str(), Auth(Role::kViewer));
  ASSERT_TRUE(html);
  ASSERT_EQ(html->status, 200) << html->body;
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(html->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_NE(html->body.find("<!DOCTYPE html>"), std::string::npos) << html->body.substr(0, 200);
  ExpectProblem(
      client_->Get(("/api/v1/jobs/" + bad_id + "/report.html").c_str(), Auth(Role::kViewer)), 409);
  ExpectProblem(client_->Get("/api/v1/jobs/job-999/report.html", Auth(Role::kViewer)), 404);
  ExpectProblem(client_->Get(("/api/v1/jobs/" + id + "/report.html").c_str()), 401);
}

// Polls a job until it is done or failed; returns its last state.
json WaitForJob(httplib::Client& client, const httplib::Headers& auth, const std::string& id) {
  json job;
  for (int i = 0; i < 600; ++i) {
    auto g = client.Get(("/api/v1/jobs/" + id).c_str(), auth);
    if (!g) break;
    job = json::parse(g->body, nullptr, false);
    if (job.value("state", "") == "done" || job.value("state", "") == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return job;
}

TEST_F(ServerTest, BatchScreeningJob) {
  std::string csv = "name,country,extra\n";
  for (int i = 0; i < 50; ++i) {
    csv += i % 2 == 0 ? "Huawei Technologies,CN,x\n" : "\"Acme, Inc.\",,y\n";
  }
  auto r = Post("/api/v1/screen/batch?filename=suppliers.csv&threshold=0.7&top=3", csv,
                Role::kAnalyst, "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  std::string id = json::parse(r->body).value("id", "");
  EXPECT_EQ(r->get_header_value("Location"), "/api/v1/jobs/" + id);
  json job = WaitForJob(*client_, Auth(Role::kViewer), id);
  ASSERT_EQ(job.value("state", ""), "done") << job.dump();
  EXPECT_EQ(job.value("kind", ""), "screen-batch");
  EXPECT_EQ(job["progress"].value("done", 0), 50);
  EXPECT_EQ(job["progress"].value("total", 0), 50);
  ASSERT_TRUE(job["result"].is_array());
  ASSERT_EQ(job["result"].size(), 50u);
  // In input order, as `icts screen --input ... -o jsonl` prints them; the
  // column named country is used without being named.
  EXPECT_EQ(job["result"][0].value("row", 0), 1);
  EXPECT_EQ(job["result"][0]["query"].value("name", ""), "Huawei Technologies");
  EXPECT_EQ(job["result"][0]["query"].value("country", ""), "CN");
  EXPECT_EQ(job["result"][1]["query"].value("name", ""), "Acme, Inc.");
  EXPECT_FALSE(job["result"][1]["query"].contains("country"));
  EXPECT_TRUE(job["result"][49]["hits"].is_array());
  // A batch has no HTML report.
  ExpectProblem(client_->Get(("/api/v1/jobs/" + id + "/report.html").c_str(), Auth(Role::kViewer)),
                404);

  // JSON Lines, recognised from the content; a bad byte is a warning.
  std::string jsonl =
      "{\"name\":\"Kaspersky Lab\",\"type\":\"organization\"}\n\n"
      "{\"name\":\"Hikvision\",\"identifiers\":[\"x1\"]}\n"
      "{\"name\":\"Bad \xff byte\"}\n";
  auto j = Post("/api/v1/screen/batch", jsonl, Role::kAnalyst, "application/octet-stream");
  ASSERT_TRUE(j);
  ASSERT_EQ(j->status, 202) << j->body;
  job = WaitForJob(*client_, Auth(Role::kViewer), json::parse(j->body).value("id", ""));
  ASSERT_EQ(job.value("state", ""), "done") << job.dump();
  ASSERT_EQ(job["result"].size(), 3u);
  EXPECT_EQ(job["result"][1]["query"]["identifiers"][0], "x1");
  EXPECT_EQ(job["result"][2].value("row", 0), 3);
  ASSERT_TRUE(job["warnings"].is_array()) << job.dump();
  EXPECT_NE(job["warnings"][0].get<std::string>().find("upload:4"), std::string::npos)
      << job.dump();
}

TEST_F(ServerTest, BatchScreeningRefusesBadFilesWithTheirLine) {
  auto expect_detail = [&](const httplib::Result& r, int status, const std::string& part) {
    ExpectProblem(r, status);
    if (r) {
      EXPECT_NE(json::parse(r->body).value("detail", "").find(part), std::string::npos) << r->body;
    }
  };
  // A row with a field too many, on line 3.
  expect_detail(Post("/api/v1/screen/batch?filename=names.csv", "name,country\nA,CN\nB,RU,x\n",
                     Role::kAnalyst, "text/csv"),
                400, "names.csv:3");
  expect_detail(Post("/api/v1/screen/batch?format=jsonl&filename=n.jsonl",
                     "{\"name\":\"a\"}\n{not json}\n", Role::kAnalyst, "text/plain"),
                400, "n.jsonl:2");
  expect_detail(Post("/api/v1/screen/batch", "{\"name\":\"a\",\"type\":\"robot\"}\n",
                     Role::kAnalyst, "text/plain"),
                400, "upload:1");
  expect_detail(
      Post("/api/v1/screen/batch?filename=s.csv", "supplier\nAcme\n", Role::kAnalyst, "text/csv"),
      400, "no column 'name' (name_column)");
  expect_detail(Post("/api/v1/screen/batch?filename=s.csv&name_column=supplier&country_column=land",
                     "supplier\nAcme\n", Role::kAnalyst, "text/csv"),
                400, "'land' (country_column)");
  expect_detail(Post("/api/v1/screen/batch?threshold=2", "name\nA\n", Role::kAnalyst, "text/csv"),
                400, "threshold");
  expect_detail(Post("/api/v1/screen/batch?top=0", "name\nA\n", Role::kAnalyst, "text/csv"), 400,
                "top");
  expect_detail(Post("/api/v1/screen/batch?format=xml", "name\nA\n", Role::kAnalyst, "text/csv"),
                400, "format");
  ExpectProblem(Post("/api/v1/screen/batch", "", Role::kAnalyst, "text/csv"), 400);
  ExpectProblem(Post("/api/v1/screen/batch", "name\nA\n", Role::kViewer, "text/csv"), 403);
  ExpectProblem(client_->Post("/api/v1/screen/batch", "name\nA\n", "text/csv"), 401);
  // Nothing was queued.
  auto m = client_->Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("icts_jobs_queued 0"), std::string::npos);
}

TEST_F(ServerTest, SlowClientDoesNotBlockOthers) {
  // A client that sends half a request and then nothing.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string partial = "POST /api/v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n";
  ASSERT_EQ(::write(fd, partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    auto r = Post("/api/v1/screen", R"({"name":"Hikvision"})", Role::kAnalyst);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ::close(fd);
}

TEST_F(ServerTest, SnapshotSwapWithoutASnapshotKeepsServing) {
  auto r = Post("/api/v1/admin/snapshot", "", Role::kAdmin);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  ExpectProblem(Post("/api/v1/admin/snapshot", R"({"path":"/nonexistent.snap"})", Role::kAdmin),
                422);
  auto h = client_->Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

// The web UI's static files from a folder laid out as the build lays it out.
class WebUiTest : public ServerTest {
 protected:
  void Configure(ServerOptions& options) override {
    std::filesystem::path web = dir_ / "web";
    std::filesystem::create_directories(web / "vendor");
    std::filesystem::create_directories(web / "pages");
    Write(web / "index.html", "<!doctype html><title>icts</title>");
    Write(web / "app.js", "import './pages/screen.js';");
    Write(web / "pages" / "screen.js", "export const x = 1;");
    Write(web / "styles.css", "body{}");
    Write(web / ".hidden", "hidden");
    if (with_vendor_) Write(web / "vendor" / "preact.mjs", "export const h = 1;");
    // Outside the folder, and a link pointing there.
    Write(dir_ / "secret.txt", "SECRET");
    std::filesystem::create_symlink(dir_ / "secret.txt", web / "link.txt");
    options.web_dir = web.string();
  }

  static void Write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  bool with_vendor_ = true;
};

TEST_F(WebUiTest, ServesTheFilesWithSecurityHeaders) {
  auto index = client_->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<!doctype html><title>icts</title>");
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  const std::string csp = index->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(index->has_header("Access-Control-Allow-Origin"));
  struct Case {
    const char* path;
    const char* type;
  };
  for (const Case& c : {Case{"/ui/app.js", "text/javascript; charset=utf-8"},
                        Case{"/ui/pages/screen.js", "text/javascript; charset=utf-8"},
                        Case{"/ui/vendor/preact.mjs", "text/javascript; charset=utf-8"},
                        Case{"/ui/styles.css", "text/css; charset=utf-8"},
                        Case{"/ui/", "text/html; charset=utf-8"}}) {
    auto r = client_->Get(c.path);
    ASSERT_TRUE(r) << c.path;
    EXPECT_EQ(r->status, 200) << c.path;
    EXPECT_EQ(r->get_header_value("Content-Type"), c.type) << c.path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << c.path;
  }
  // The API still needs its token.
  ExpectProblem(client_->Get("/api/v1/lists"), 401);
}

TEST_F(WebUiTest, NoPathLeavesTheFolder) {
  for (const char* path :
       {"/ui/../secret.txt", "/ui/%2e%2e/secret.txt", "/ui/pages/../../secret.txt",
        "/ui/pages/%2E%2E/%2E%2E/secret.txt", "/ui/..%2fsecret.txt", "/ui/%2fetc%2fpasswd",
        "/ui//etc/passwd", "/ui/.hidden", "/ui/link.txt", "/ui/pages", "/ui/pages/",
        "/ui/nothing.js", "/ui/app.js%00.txt", "/ui/app.js/"}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(r->body.find("SECRET"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << path;
  }
}

class WebUiWithoutModulesTest : public WebUiTest {
 protected:
  void Configure(ServerOptions& options) override {
    with_vendor_ = false;
    WebUiTest::Configure(options);
  }
};

TEST_F(WebUiWithoutModulesTest, SaysTheUiIsUnavailable) {
  auto index = client_->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 503);
  EXPECT_NE(index->body.find("vendor/preact.mjs is missing"), std::string::npos) << index->body;
  EXPECT_NE(index->body.find("install-npm.sh"), std::string::npos) << index->body;
  // The API works without the UI.
  auto h = client_->Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

}  // namespace
}  // namespace icts::server
