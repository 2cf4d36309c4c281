#include "cli/screen_cmd.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/file.h"
#include "base/status.h"
#include "base/strings.h"
#include "cli/screen_input.h"
#include "cli/store_cmd.h"
#include "match/json.h"
#include "match/score.h"
#include "match/screener.h"
#include "refdata/countries.h"
#include "refdata/csv.h"
#include "refdata/loader.h"
#include "refdata/snapshot.h"
#include "store/store.h"
#include "text/normalize.h"

namespace icts::cli {
namespace {

using nlohmann::json;
// Top-level objects keep their keys in the documented order.
using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxWarningsShown = 20;
// Rows per parallel task: small enough to balance two cores on a chunk,
// large enough that scheduling costs nothing next to screening.
constexpr size_t kParallelGrain = 16;

int Fail(const Status& status) { return FailWith(status); }

// JSON text that never throws: invalid UTF-8 is replaced by U+FFFD.
template <typename Json>
std::string Dump(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// Terminal columns of a UTF-8 string, counted as code points.
size_t DisplayWidth(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Prints a plain table with left-aligned columns.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) width[c] = DisplayWidth(header[c]);
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], DisplayWidth(r[c]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& r) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line += std::string(width[c] - DisplayWidth(r[c]) + 2, ' ');
    }
    std::cout << line << "\n";
  };
  print_row(header);
  for (const auto& r : rows) print_row(r);
}

// One CSV field, quoted when it holds a separator, quote or line break.
void AppendCsvField(std::string_view field, char sep, std::string* out) {
  bool quote = field.find_first_of("\"\r\n") != std::string_view::npos ||
               field.find(sep) != std::string_view::npos;
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendCsvRow(const std::vector<std::string_view>& fields, char sep, std::string* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(sep);
    AppendCsvField(fields[i], sep, out);
  }
  out->push_back('\n');
}

std::string FormatScore(double score, int digits) { return fmt::format("{:.{}f}", score, digits); }

Status WriteStdout(const std::string& text) {
  if (text.empty()) return Status::Ok();
  std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
  std::cout.flush();
  if (!std::cout) return UnavailableError("cannot write to standard output");
  return Status::Ok();
}

// Input-data warnings (bad bytes replaced, unknown countries ignored): the
// first few are printed with their location, the rest only counted.
class Warnings : public InputWarnings {
 public:
  explicit Warnings(bool quiet) : quiet_(quiet) {}
  ~Warnings() override {
    if (!quiet_ && count_ > kMaxWarningsShown) {
      std::fprintf(stderr, "icts: ... and %llu more warnings\n",
                   static_cast<unsigned long long>(count_ - kMaxWarningsShown));
    }
  }
  Warnings(const Warnings&) = delete;
  Warnings& operator=(const Warnings&) = delete;

  void Add(const std::string& message) override {
    if (!quiet_ && count_ < kMaxWarningsShown) {
      std::fprintf(stderr, "icts: warning: %s\n", message.c_str());
    }
    ++count_;
  }

 private:
  bool quiet_;
  uint64_t count_ = 0;
};

// A progress line on stderr: drawn only when stderr is a terminal, CI is
// unset and the user did not ask for quiet; at most 10 redraws a second.
// Add() may be called from any thread.
class Progress {
 public:
  Progress(bool quiet, const char* unit) : unit_(unit), start_(Clock::now()) {
    enabled_ = !quiet && isatty(STDERR_FILENO) == 1 && std::getenv("CI") == nullptr;
  }
  ~Progress() { Finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool Enabled() const { return enabled_; }
  void SetTotal(std::optional<uint64_t> total) { total_ = total; }

  void Add(uint64_t n) {
    uint64_t done = done_.fetch_add(n) + n;
    if (!enabled_) return;
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    Clock::time_point now = Clock::now();
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    drawn_ = true;
    Draw(done, now);
  }

  // Erases the line.
  void Finish() {
    std::lock_guard<std::mutex> lock(mu_);
    if (enabled_ && drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }

 private:
  void Draw(uint64_t done, Clock::time_point now) {
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    std::string line;
    if (total_ && *total_ > 0) {
      constexpr int kBarWidth = 30;
      double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(*total_));
      int filled = static_cast<int>(frac * kBarWidth);
      line = fmt::format("\r[{}{}] {}/{} {} ({:.0f}%)  {:.0f} {}/s", std::string(filled, '#'),
                         std::string(kBarWidth - filled, '.'), done, *total_, unit_, frac * 100,
                         rate, unit_);
    } else {
      line = fmt::format("\r{} {}  {:.0f} {}/s", done, unit_, rate, unit_);
    }
    line += "\033[K";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }

  const char* unit_;
  bool enabled_ = false;
  std::optional<uint64_t> total_;
  std::atomic<uint64_t> done_{0};
  std::mutex mu_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool drawn_ = false;
};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Reads items in chunks of kBatchChunkRows with `read`, runs `work` on every
// item of a chunk in parallel, then hands the chunk and its results to
// `write` (in input order) before reading on. `read` returns an error after
// appending the good items that came before the bad one; those are still
// processed and written, then the error is returned.
template <typename Item, typename Done>
Status ForEachChunk(
    const std::function<Status(size_t, std::vector<Item>*)>& read,
    const std::function<void(const Item&, Done*)>& work,
    const std::function<Status(const std::vector<Item>&, const std::vector<Done>&)>& write,
    Progress* progress) {
  std::vector<Item> items;
  std::vector<Done> done;
  for (;;) {
    items.clear();
    Status read_status = read(kBatchChunkRows, &items);
    if (!items.empty()) {
      done.clear();
      done.resize(items.size());
      tbb::parallel_for(tbb::blocked_range<size_t>(0, items.size(), kParallelGrain),
                        [&](const tbb::blocked_range<size_t>& range) {
                          for (size_t i = range.begin(); i != range.end(); ++i) {
                            work(items[i], &done[i]);
                          }
                          progress->Add(range.size());
                        });
      ICTS_RETURN_IF_ERROR(write(items, done));
    }
    if (!read_status.ok()) return read_status;
    if (items.size() < kBatchChunkRows) return Status::Ok();
  }
}

// ---------------------------------------------------------------------------
// Screening.

struct ScreenDone {
  std::vector<match::Hit> hits;
  std::string text;                             // json / jsonl / csv output.
  std::vector<std::vector<std::string>> table;  // table output.
  // With --store: the result as recorded, and the hits a decision in force
  // clears (false-positive, not-applicable).
  std::string record_json;
  size_t cleared = 0;
};

// A hit as JSON, with the store's decision on it when there is one. Sets
// *cleared when a decision in force says it is not a match.
json HitJsonWithDecision(const ScreenRow& row, const match::Hit& h,
                         const HitDecisions* decisions, bool* cleared) {
  json j = match::HitToJson(h);
  *cleared = false;
  if (decisions == nullptr) return j;
  std::optional<store::DecisionState> state = decisions->Annotate(row.query.name, h, &j);
  if (state == store::DecisionState::kInForce) {
    const std::string status = j["decision"].value("status", "");
    *cleared = status == "false-positive" || status == "not-applicable";
  }
  return j;
}

// The DECISION cell of the table: "false-positive", "confirmed (reopened)" ...
std::string DecisionCell(const json& hit) {
  if (!hit.contains("decision")) return "";
  const json& d = hit["decision"];
  std::string state = d.value("state", "");
  std::string cell = d.value("status", "");
  if (state != "in-force") cell += " (" + state + ")";
  return cell;
}

constexpr char kScreenCsvHeader[] =
    "row,query,entity_id,name,matched_name,score,list,program,source_id\n";

std::string FirstOr(const std::vector<std::string>& v, std::string_view fallback) {
  return v.empty() ? std::string(fallback) : v.front();
}

// Formats one screened row for `output`. `batch` adds the row number.
void FormatScreenRow(const ScreenRow& row, const std::string& output, bool batch,
                     ScreenDone* done, const HitDecisions* decisions = nullptr) {
  std::vector<json> hit_json;
  if (decisions != nullptr) {
    std::string& rec = done->record_json;
    rec = "{\"query\":" + Dump(QueryToJson(row)) + ",\"hits\":[";
    for (size_t i = 0; i < done->hits.size(); ++i) {
      bool cleared = false;
      hit_json.push_back(HitJsonWithDecision(row, done->hits[i], decisions, &cleared));
      if (cleared) ++done->cleared;
      if (i > 0) rec += ",";
      rec += Dump(hit_json.back());
    }
    rec += "]}";
  }
  auto hit_at = [&](size_t i) {
    return decisions != nullptr ? hit_json[i] : match::HitToJson(done->hits[i]);
  };
  if (output == "json" && !batch) {
    ojson j = ojson::object();
    j["query"] = QueryToJson(row);
    ojson hits = ojson::array();
    for (size_t i = 0; i < done->hits.size(); ++i) hits.push_back(ojson(hit_at(i)));
    j["hits"] = std::move(hits);
    done->text = Dump(j, 2);
  } else if (output == "json" || output == "jsonl") {
    // Compact, one object per line, assembled from pieces: converting each
    // hit to an ordered object would double the cost of the batch.
    std::string& text = done->text;
    text = "{";
    if (batch) text += fmt::format("\"row\":{},", row.row);
    text += "\"query\":" + Dump(QueryToJson(row)) + ",\"hits\":[";
    for (size_t i = 0; i < done->hits.size(); ++i) {
      if (i > 0) text += ",";
      text += Dump(hit_at(i));
    }
    text += "]}";
  } else if (output == "csv") {
    std::string row_number = std::to_string(batch ? row.row : 1);
    for (const match::Hit& h : done->hits) {
      std::string score = FormatScore(h.score, 4);
      std::string list = FirstOr(h.lists, "");
      std::string program = FirstOr(h.programs, "");
      AppendCsvRow({row_number, row.query.name, h.entity_id, h.name, h.matched_name, score, list,
                    program, h.source_id},
                   ',', &done->text);
    }
  } else {
    for (size_t i = 0; i < done->hits.size(); ++i) {
      const match::Hit& h = done->hits[i];
      std::vector<std::string> cells;
      if (batch) cells.push_back(std::to_string(row.row));
      // Entities on no list (curated registry entries) show their source file.
      std::string_view source = h.source;
      if (size_t slash = source.find_last_of('/'); slash != std::string_view::npos) {
        source.remove_prefix(slash + 1);
      }
      cells.insert(cells.end(), {row.query.name, FormatScore(h.score, 3), h.entity_id,
                                 h.matched_name, FirstOr(h.lists, source)});
      if (decisions != nullptr) cells.push_back(DecisionCell(hit_json[i]));
      done->table.push_back(std::move(cells));
    }
  }
}

struct LoadedScreener {
  std::unique_ptr<refdata::Snapshot> snapshot;
  std::unique_ptr<match::Screener> screener;
};

// Batches of at least this many rows get the index's neighbours precomputed
// (match::BuildOptions): they save about 8 us on a row whose words the index
// holds and cost about 2.5 CPU seconds for the U.S. lists, so smaller batches
// and single names finish sooner without them. The hits are the same.
constexpr uint64_t kPrecomputeNeighbourRows = 300000;

Result<LoadedScreener> LoadScreener(const std::string& path, bool precompute_neighbours) {
  LoadedScreener out;
  auto snap = refdata::Snapshot::Open(path);
  if (!snap.ok()) return snap.status();
  out.snapshot = std::move(*snap);
  match::BuildOptions build;
  build.precompute_neighbours = precompute_neighbours;
  auto screener = match::Screener::Build(*out.snapshot, build);
  if (!screener.ok()) return screener.status().WithPrefix(path);
  out.screener = std::move(*screener);
  return out;
}

const std::vector<std::string> kTableHeader = {"NAME", "SCORE", "ENTITY", "MATCHED", "LIST"};

std::vector<std::string> TableHeaderWithDecision() {
  std::vector<std::string> h = kTableHeader;
  h.push_back("DECISION");
  return h;
}

// With --store: the store, its decisions on hits, and the recording of
// results (one batch id per run).
struct StoreSession {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<HitDecisions> decisions;
  std::string snapshot_sha256;
  std::string batch_id;

  Status Record(const std::vector<const ScreenRow*>& rows,
                const std::vector<const ScreenDone*>& done) {
    std::vector<store::ScreeningRecord> records;
    for (size_t i = 0; i < rows.size(); ++i) {
      store::ScreeningRecord r;
      r.query_name = rows[i]->query.name;
      r.query_json = Dump(QueryToJson(*rows[i]));
      r.result_json = done[i]->record_json;
      r.snapshot_sha256 = snapshot_sha256;
      r.hit_count = static_cast<int64_t>(done[i]->hits.size());
      r.batch_id = batch_id;
      records.push_back(std::move(r));
    }
    return store->PutScreenings(CliActor(), std::move(records)).status();
  }
};

Result<StoreSession> OpenStoreSession(const ScreenArgs& args,
                                      const refdata::Snapshot& snapshot) {
  StoreSession session;
  if (args.store.empty()) return session;
  auto opened = OpenStore(args.store);
  if (!opened.ok()) return Status(StatusCode::kUnavailable, opened.status().message());
  session.store = std::move(*opened);
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  Date today = Date::FromDays(static_cast<int32_t>(days.time_since_epoch().count()));
  Result<HitDecisions> decisions = HitDecisions::Load(*session.store, snapshot, today);
  if (!decisions.ok()) return decisions.status();
  session.decisions = std::make_unique<HitDecisions>(std::move(*decisions));
  session.snapshot_sha256 = snapshot.hash();
  session.batch_id = fmt::format(
      "batch-{}-{}",
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count(),
      getpid());
  return session;
}

Status CheckScreenArgs(const ScreenArgs& args) {
  if (args.snapshot.empty()) return InvalidArgumentError("screen needs --snapshot FILE");
  if (!(args.threshold >= 0 && args.threshold <= 1)) {
    return InvalidArgumentError("--threshold must be between 0 and 1");
  }
  if (args.top == 0) return InvalidArgumentError("--top must be at least 1");
  if (args.output != "table" && args.output != "json" && args.output != "jsonl" &&
      args.output != "csv") {
    return InvalidArgumentError(
        fmt::format("unknown output format '{}' (table, json, jsonl, csv)", args.output));
  }
  bool batch = !args.input.empty();
  bool single_flags = !args.country.empty() || !args.type.empty() || !args.identifiers.empty() ||
                      !args.birth_date.empty();
  bool column_flags = !args.name_column.empty() || !args.country_column.empty() ||
                      !args.type_column.empty() || !args.id_columns.empty() ||
                      !args.dob_column.empty();
  if (!batch && !args.name) {
    return InvalidArgumentError("screen needs a NAME or --input FILE");
  }
  if (batch && args.name) {
    return InvalidArgumentError("give either a NAME or --input FILE, not both");
  }
  if (batch && single_flags) {
    return InvalidArgumentError(
        "--country, --type, --id and --dob apply to a single NAME; with --input use "
        "--country-column, --type-column, --id-column and --dob-column");
  }
  if (!batch && (column_flags || !args.input_format.empty())) {
    return InvalidArgumentError("column and input-format flags need --input FILE");
  }
  return Status::Ok();
}

int ScreenSingle(const ScreenArgs& args) {
  if (!args.country.empty() && refdata::CountryCode(TrimAscii(args.country)).empty()) {
    return Fail(InvalidArgumentError(fmt::format("--country '{}': unknown country", args.country)));
  }
  Warnings warnings(args.quiet);
  ScreenRow row;
  Status s = MakeScreenRow(*args.name, args.country, args.type, args.identifiers, args.birth_date,
                           "NAME", &warnings, &row);
  if (!s.ok()) return Fail(s);
  auto loaded = LoadScreener(args.snapshot, /*precompute_neighbours=*/false);
  if (!loaded.ok()) return Fail(loaded.status());
  Result<StoreSession> session = OpenStoreSession(args, *loaded->snapshot);
  if (!session.ok()) return Fail(session.status());
  match::ScreenOptions options;
  options.threshold = args.threshold;
  options.top = args.top;
  ScreenDone done;
  done.hits = ScreenOne(*loaded->screener, row.query, options);
  FormatScreenRow(row, args.output, /*batch=*/false, &done, session->decisions.get());
  if (session->store) {
    s = session->Record({&row}, {&done});
    if (!s.ok()) return Fail(s);
  }
  if (args.output == "table") {
    if (done.hits.empty()) {
      std::cout << fmt::format("no hits at or above {:.2f}\n", args.threshold);
    } else {
      PrintTable(session->store ? TableHeaderWithDecision() : kTableHeader, done.table);
    }
  } else {
    std::string text =
        args.output == "csv" ? std::string(kScreenCsvHeader) + done.text : done.text + "\n";
    s = WriteStdout(text);
    if (!s.ok()) return Fail(s);
  }
  if (args.fail_on_hit && done.hits.size() > done.cleared) return 1;
  return 0;
}

int ScreenBatch(const ScreenArgs& args) {
  auto format = InputFormat(args.input_format, args.input, /*allow_jsonl=*/true);
  if (!format.ok()) return Fail(format.status());
  bool csv_columns = !args.name_column.empty() || !args.country_column.empty() ||
                     !args.type_column.empty() || !args.id_columns.empty() ||
                     !args.dob_column.empty();
  if (*format == "jsonl" && csv_columns) {
    return Fail(InvalidArgumentError(
        "column flags apply to CSV input; JSONL rows use the keys name, country, type, "
        "identifiers, birth_date"));
  }
  Warnings warnings(args.quiet);
  // Read the header (and fail on bad columns) before the slower index build.
  std::unique_ptr<ScreenInput> input;
  if (*format == "jsonl") {
    auto in = OpenJsonlScreenInput(args.input, &warnings);
    if (!in.ok()) return Fail(in.status());
    input = std::move(*in);
  } else {
    auto table = CsvTable::Open(args.input, *format == "tsv" ? '\t' : ',');
    if (!table.ok()) return Fail(table.status());
    ScreenColumns columns{args.name_column, args.country_column, args.type_column, args.id_columns,
                          args.dob_column};
    auto in = OpenCsvScreenInput(std::move(*table), columns, &warnings);
    if (!in.ok()) return Fail(in.status());
    input = std::move(*in);
  }
  std::function<Status(size_t, std::vector<ScreenRow>*)> read =
      [&](size_t max, std::vector<ScreenRow>* out) { return input->Read(max, out); };
  const std::optional<uint64_t> row_count = input->CountRows();
  auto loaded = LoadScreener(args.snapshot, row_count.value_or(0) >= kPrecomputeNeighbourRows);
  if (!loaded.ok()) return Fail(loaded.status());
  const match::Screener& screener = *loaded->screener;
  Result<StoreSession> session = OpenStoreSession(args, *loaded->snapshot);
  if (!session.ok()) return Fail(session.status());
  const HitDecisions* decisions = session->decisions.get();
  match::ScreenOptions options;
  options.threshold = args.threshold;
  options.top = args.top;

  Clock::time_point start = Clock::now();
  Progress progress(args.quiet, "rows");
  if (progress.Enabled()) progress.SetTotal(row_count);
  uint64_t rows = 0, rows_with_hits = 0;
  std::vector<std::vector<std::string>> table;
  bool first = true;
  if (args.output == "csv") {
    Status s = WriteStdout(kScreenCsvHeader);
    if (!s.ok()) return Fail(s);
  }
  if (args.output == "json") std::cout << "[";

  RepeatedQueries repeats(screener, options);
  std::function<void(const ScreenRow&, ScreenDone*)> work = [&](const ScreenRow& row,
                                                                ScreenDone* done) {
    done->hits = repeats.Hits(row.query);
    FormatScreenRow(row, args.output, /*batch=*/true, done, decisions);
  };
  std::function<Status(const std::vector<ScreenRow>&, const std::vector<ScreenDone>&)> write =
      [&](const std::vector<ScreenRow>& items, const std::vector<ScreenDone>& done) {
        if (session->store) {
          // One transaction per chunk, before its rows are printed.
          std::vector<const ScreenRow*> r;
          std::vector<const ScreenDone*> d;
          for (size_t i = 0; i < items.size(); ++i) {
            r.push_back(&items[i]);
            d.push_back(&done[i]);
          }
          Status recorded = session->Record(r, d);
          if (!recorded.ok()) return recorded;
        }
        std::string text;
        for (size_t i = 0; i < items.size(); ++i) {
          ++rows;
          if (done[i].hits.size() > done[i].cleared) ++rows_with_hits;
          if (args.output == "table") {
            table.insert(table.end(), done[i].table.begin(), done[i].table.end());
            continue;
          }
          if (args.output == "json") text += first ? "\n" : ",\n";
          first = false;
          text += done[i].text;
          if (args.output == "jsonl") text += "\n";
        }
        return WriteStdout(text);
      };
  Status status = ForEachChunk<ScreenRow, ScreenDone>(read, work, write, &progress);
  progress.Finish();
  if (args.output == "json") std::cout << (first ? "]\n" : "\n]\n") << std::flush;
  if (args.output == "table") {
    if (table.empty()) {
      std::cout << fmt::format("no hits at or above {:.2f} in {} rows\n", args.threshold, rows);
    } else {
      std::vector<std::string> header = {"ROW"};
      const std::vector<std::string> columns =
          session->store ? TableHeaderWithDecision() : kTableHeader;
      header.insert(header.end(), columns.begin(), columns.end());
      PrintTable(header, table);
    }
    std::cout.flush();
  }
  if (!status.ok()) return Fail(status);
  double seconds = SecondsSince(start);
  if (!args.quiet) {
    std::fprintf(stderr,
                 "screened %llu rows in %.2f s (%.0f rows/s): %llu with hits; %llu repeated "
                 "an earlier row's query\n",
                 static_cast<unsigned long long>(rows), seconds,
                 seconds > 0 ? static_cast<double>(rows) / seconds : 0.0,
                 static_cast<unsigned long long>(rows_with_hits),
                 static_cast<unsigned long long>(repeats.repeated()));
  }
  if (args.fail_on_hit && rows_with_hits > 0) return 1;
  return 0;
}

// ---------------------------------------------------------------------------
// Comparing pairs.

struct PairRow {
  uint64_t row = 0;
  std::vector<std::string> fields;  // All columns of the input row.
};

struct PairDone {
  match::ScoreExplanation explanation;
  std::string text;
};

// {"row" (when row > 0), "a", "b", "score", "match", "explanation"}.
ojson PairToJson(uint64_t row, std::string_view a, std::string_view b,
                 const match::ScoreExplanation& e, double threshold,
                 const std::string& snapshot_hash) {
  ojson j = ojson::object();
  if (row > 0) j["row"] = row;
  j["a"] = std::string(a);
  j["b"] = std::string(b);
  j["score"] = e.score;
  j["match"] = e.score >= threshold;
  if (!snapshot_hash.empty()) j["snapshot"] = snapshot_hash;
  j["explanation"] = ojson(match::ExplanationToJson(e));
  return j;
}

// How `icts compare` scores: words weighed uniformly, or (--snapshot) by
// their rarity in a snapshot's names; with the rules of --type.
struct CompareScoring {
  std::optional<LoadedScreener> loaded;
  match::TokenWeightFn weight;
  std::string snapshot_hash;
  text::NameType type = text::NameType::kUnknown;
};

Result<CompareScoring> LoadCompareScoring(const CompareArgs& args) {
  CompareScoring out;
  auto type = ParseType(args.type);
  if (!type.ok()) return type.status().WithPrefix("--type");
  out.type = *type;
  if (args.snapshot.empty()) return out;
  auto loaded = LoadScreener(args.snapshot, /*precompute_neighbours=*/false);
  if (!loaded.ok()) return loaded.status();
  out.loaded = std::move(*loaded);
  out.weight = out.loaded->screener->TokenWeights();
  out.snapshot_hash = out.loaded->snapshot->hash();
  return out;
}

void PrintExplanationTable(std::string_view a, std::string_view b, const match::ScoreExplanation& e,
                           double threshold) {
  std::cout << "a           " << a << "\n"
            << "b           " << b << "\n"
            << "score       " << FormatScore(e.score, 4)
            << (e.score >= threshold ? "  match" : "  no match")
            << fmt::format(" at threshold {:.2f}\n", threshold) << "name score  "
            << FormatScore(e.name_score, 4) << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const match::TokenAlignment& t : e.alignment) {
    rows.push_back({t.query_token.empty() ? "-" : t.query_token,
                    t.list_token.empty() ? "-" : t.list_token, FormatScore(t.similarity, 3),
                    FormatScore(t.weight, 3), fmt::format("{:+.3f}", t.contribution), t.how});
  }
  PrintTable({"A TOKEN", "B TOKEN", "SIMILARITY", "WEIGHT", "CONTRIBUTION", "HOW"}, rows);
  if (!e.adjustments.empty()) {
    std::cout << "\n";
    std::vector<std::vector<std::string>> adj;
    for (const match::Adjustment& x : e.adjustments) {
      adj.push_back({x.factor, fmt::format("{:+.3f}", x.delta), x.detail});
    }
    PrintTable({"FACTOR", "DELTA", "DETAIL"}, adj);
  }
}

int ComparePair(const CompareArgs& args) {
  const std::string& a = args.names[0];
  const std::string& b = args.names[1];
  auto scoring = LoadCompareScoring(args);
  if (!scoring.ok()) return Fail(scoring.status());
  match::ScoreExplanation e = match::CompareNames(a, b, scoring->weight, scoring->type);
  if (args.output == "table") {
    PrintExplanationTable(SanitizeUtf8(a), SanitizeUtf8(b), e, args.threshold);
    std::cout << (scoring->snapshot_hash.empty()
                      ? "weights     uniform (give --snapshot to weigh words by their rarity)\n"
                      : "weights     word rarity in snapshot " + scoring->snapshot_hash + "\n");
    std::cout.flush();
    return 0;
  }
  std::string text;
  if (args.output == "csv") {
    text = "a,b,score,match\n";
    AppendCsvRow({a, b, FormatScore(e.score, 4), e.score >= args.threshold ? "true" : "false"}, ',',
                 &text);
  } else {
    text = Dump(PairToJson(0, a, b, e, args.threshold, scoring->snapshot_hash),
                args.output == "json" ? 2 : -1) +
           "\n";
  }
  Status s = WriteStdout(text);
  return s.ok() ? 0 : Fail(s);
}

int CompareFile(const CompareArgs& args) {
  auto format = InputFormat(args.input_format, args.input, /*allow_jsonl=*/false);
  if (!format.ok()) return Fail(format.status());
  auto opened = CsvTable::Open(args.input, *format == "tsv" ? '\t' : ',');
  if (!opened.ok()) return Fail(opened.status());
  CsvTable& table = **opened;
  auto a_col = table.Column(args.a_column, "--a-column");
  if (!a_col.ok()) return Fail(a_col.status());
  auto b_col = table.Column(args.b_column, "--b-column");
  if (!b_col.ok()) return Fail(b_col.status());
  const size_t a = *a_col, b = *b_col;
  const char sep = table.Separator();
  auto scoring = LoadCompareScoring(args);
  if (!scoring.ok()) return Fail(scoring.status());
  const match::TokenWeightFn& weight = scoring->weight;
  const std::string& snapshot_hash = scoring->snapshot_hash;
  const text::NameType type = scoring->type;

  Clock::time_point start = Clock::now();
  Progress progress(args.quiet, "pairs");
  if (progress.Enabled()) progress.SetTotal(table.CountRecords());
  uint64_t pairs = 0, matches = 0;
  bool first = true;
  std::vector<std::vector<std::string>> table_rows;
  if (args.output == "csv") {
    std::string header;
    std::vector<std::string_view> cols(table.Header().begin(), table.Header().end());
    cols.push_back("score");
    cols.push_back("match");
    AppendCsvRow(cols, sep, &header);
    Status s = WriteStdout(header);
    if (!s.ok()) return Fail(s);
  }
  if (args.output == "json") std::cout << "[";

  uint64_t next_row = 0;
  std::function<Status(size_t, std::vector<PairRow>*)> read = [&](size_t max,
                                                                  std::vector<PairRow>* out) {
    refdata::CsvRecord record;
    while (out->size() < max) {
      bool more = false;
      ICTS_RETURN_IF_ERROR(table.Next(&record, &more));
      if (!more) break;
      out->push_back(PairRow{++next_row, std::move(record.fields)});
    }
    return Status::Ok();
  };
  std::function<void(const PairRow&, PairDone*)> work = [&](const PairRow& row, PairDone* done) {
    const std::string& left = row.fields[a];
    const std::string& right = row.fields[b];
    done->explanation = match::CompareNames(left, right, weight, type);
    const double score = done->explanation.score;
    const bool is_match = score >= args.threshold;
    if (args.output == "csv") {
      std::vector<std::string_view> cols(row.fields.begin(), row.fields.end());
      std::string score_text = FormatScore(score, 4);
      cols.push_back(score_text);
      cols.push_back(is_match ? "true" : "false");
      AppendCsvRow(cols, sep, &done->text);
    } else if (args.output == "json" || args.output == "jsonl") {
      done->text =
          Dump(PairToJson(row.row, left, right, done->explanation, args.threshold, snapshot_hash));
    }
  };
  std::function<Status(const std::vector<PairRow>&, const std::vector<PairDone>&)> write =
      [&](const std::vector<PairRow>& items, const std::vector<PairDone>& done) {
        std::string text;
        for (size_t i = 0; i < items.size(); ++i) {
          ++pairs;
          const double score = done[i].explanation.score;
          if (score >= args.threshold) ++matches;
          if (args.output == "table") {
            table_rows.push_back({std::to_string(items[i].row), SanitizeUtf8(items[i].fields[a]),
                                  SanitizeUtf8(items[i].fields[b]), FormatScore(score, 4),
                                  score >= args.threshold ? "true" : "false"});
            continue;
          }
          if (args.output == "json") text += first ? "\n" : ",\n";
          first = false;
          text += done[i].text;
          if (args.output == "jsonl") text += "\n";
        }
        return WriteStdout(text);
      };
  Status status = ForEachChunk<PairRow, PairDone>(read, work, write, &progress);
  progress.Finish();
  if (args.output == "json") std::cout << (first ? "]\n" : "\n]\n") << std::flush;
  if (args.output == "table") {
    PrintTable({"ROW", "A", "B", "SCORE", "MATCH"}, table_rows);
    std::cout.flush();
  }
  if (!status.ok()) return Fail(status);
  if (!args.quiet) {
    double seconds = SecondsSince(start);
    std::fprintf(stderr, "compared %llu pairs in %.2f s: %llu match at %.2f (%s)\n",
                 static_cast<unsigned long long>(pairs), seconds,
                 static_cast<unsigned long long>(matches), args.threshold,
                 snapshot_hash.empty() ? "uniform word weights"
                                       : ("word rarity in snapshot " + snapshot_hash).c_str());
  }
  return 0;
}

}  // namespace

int RunScreen(const ScreenArgs& args) {
  Status s = CheckScreenArgs(args);
  if (!s.ok()) return Fail(s);
  return args.input.empty() ? ScreenSingle(args) : ScreenBatch(args);
}

int RunCompare(const CompareArgs& args) {
  if (!(args.threshold >= 0 && args.threshold <= 1)) {
    return Fail(InvalidArgumentError("--threshold must be between 0 and 1"));
  }
  if (args.output != "table" && args.output != "json" && args.output != "jsonl" &&
      args.output != "csv") {
    return Fail(InvalidArgumentError(
        fmt::format("unknown output format '{}' (table, json, jsonl, csv)", args.output)));
  }
  if (!args.input.empty()) {
    if (!args.names.empty()) {
      return Fail(InvalidArgumentError("give either two names A B or --input FILE, not both"));
    }
    return CompareFile(args);
  }
  if (!args.input_format.empty() || args.a_column != "a" || args.b_column != "b") {
    return Fail(InvalidArgumentError("--input-format and column flags need --input FILE"));
  }
  if (args.names.size() != 2) {
    return Fail(InvalidArgumentError("compare needs two names A B, or --input FILE"));
  }
  return ComparePair(args);
}

}  // namespace icts::cli
