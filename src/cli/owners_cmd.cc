#include "cli/owners_cmd.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/file.h"
#include "base/status.h"
#include "base/strings.h"
#include "cli/review_cmd.h"
#include "graph/graph.h"
#include "graph/json.h"
#include "graph/loaders.h"
#include "graph/nexus.h"
#include "graph/rules.h"
#include "match/screener.h"
#include "refdata/loader.h"
#include "refdata/snapshot.h"

namespace icts::cli {
namespace {

using ojson = nlohmann::ordered_json;
using graph::AdversaryList;
using graph::Graph;
using graph::GraphBuilder;
using graph::NexusDefinition;
using graph::OwnersResult;

constexpr size_t kMaxWarningsShown = 20;
constexpr size_t kMaxDotNodes = 200;

int Fail(const Status& status) { return FailWith(status); }

using Loader = Status (*)(const refdata::Input&, GraphBuilder&);

Status LoadFile(const std::string& path, Loader load, GraphBuilder& builder) {
  ICTS_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  return load(refdata::Input{path, file.data()}, builder);
}

Result<NexusDefinition> LoadDefinition(const std::string& name) {
  for (const std::string& known : graph::EmbeddedNexusNames()) {
    if (name == known) {
      std::string rule = "nexus/" + known;
      return graph::ParseNexusDefinition(graph::EmbeddedRule(rule), "rules/" + rule + ".yaml");
    }
  }
  if (name.find('/') == std::string::npos && name.find(".y") == std::string::npos) {
    return InvalidArgumentError(
        fmt::format("--definition '{}': expected subpart-ab, subpart-ab-interim, subpart-d or a YAML file", name));
  }
  return graph::ReadNexusDefinition(name);
}

std::string Percent(double share) {
  std::string s = fmt::format("{:.2f}", share * 100);
  return s + "%";
}

void PrintTable(const OwnersResult& r, const std::string& resolved_by) {
  std::cout << "entity      " << r.id << (r.name.empty() ? "" : "  " + r.name) << "  (" << r.type
            << ", found by " << resolved_by << ")\n";
  std::cout << "as of       " << r.as_of << "  definition " << r.definition << "\n";
  std::cout << "outcome     " << r.outcome << "\n";
  std::string shares;
  for (const auto& [code, s] : r.adversary_shares) {
    shares += (shares.empty() ? "" : ", ") + code + " " + Percent(s);
  }
  std::cout << "shares      " << (shares.empty() ? "none found" : shares) << "\n";
  auto print_findings = [](const char* title, const std::vector<graph::NexusFinding>& fs) {
    if (fs.empty()) return;
    std::cout << "\n" << title << "\n";
    for (const auto& f : fs) {
      std::cout << "  " << f.adversary << "  " << graph::ProngName(f.prong) << "  " << f.evidence
                << "  [" << f.citation.verification << "] " << f.citation.text << "\n";
    }
  };
  print_findings("NEXUS (prongs that hold)", r.nexus);
  print_findings("REVIEW (needs human judgement)", r.review);
  if (!r.paths.empty()) {
    std::cout << "\nPATHS" << (r.paths_complete ? "" : " (not all listed)") << "\n";
    for (const auto& p : r.paths) {
      std::string chain;
      for (size_t i = 0; i < p.via.size(); ++i) {
        if (i > 0) chain += fmt::format(" -{}-> ", Percent(p.shares[i - 1]));
        chain += p.via[i];
      }
      std::cout << "  " << p.adversary << "  " << Percent(p.share) << "  " << chain << "\n";
    }
  }
  if (!r.control.empty()) {
    std::cout << "\nCONTROL\n";
    for (const auto& c : r.control) {
      std::string chain;
      for (size_t i = 0; i < c.via.size(); ++i) {
        if (i > 0) chain += " -[" + c.how[i - 1] + "]-> ";
        chain += c.via[i];
      }
      std::cout << "  " << c.adversary << "  " << (c.holds ? "control" : "review") << "  " << chain
                << "\n";
    }
  }
  if (!r.unknowns.empty()) {
    std::cout << "\nUNKNOWNS\n";
    for (const auto& u : r.unknowns) {
      std::cout << "  " << u.kind << "  " << u.detail
                << (u.origin.empty() ? "" : "  (" + u.origin + ")") << "\n";
    }
  }
}

std::string DotEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// The entity and everything upstream of it (owners, controllers), at most
// kMaxDotNodes nodes; adversary-linked nodes are filled red.
void PrintDot(const Graph& g, const graph::Analysis& an, uint32_t t) {
  std::vector<uint32_t> nodes{t};
  std::unordered_set<uint32_t> seen{t};
  std::deque<uint32_t> queue{t};
  while (!queue.empty() && nodes.size() < kMaxDotNodes) {
    uint32_t v = queue.front();
    queue.pop_front();
    for (uint32_t ei : g.EdgesInto(v)) {
      uint32_t u = g.edge(ei).owner;
      if (seen.insert(u).second && nodes.size() < kMaxDotNodes) {
        nodes.push_back(u);
        queue.push_back(u);
      }
    }
  }
  std::cout << "digraph owners {\n  rankdir=TB;\n  node [shape=box, style=rounded];\n";
  for (uint32_t v : nodes) {
    const graph::Node& n = g.node(v);
    std::string countries;
    for (const auto& c : n.countries) {
      countries += (countries.empty() ? "" : ", ") + c.code + " " +
                   std::string(graph::CountryRoleName(c.role));
    }
    std::string shares;
    for (uint32_t a = 0; a < an.adversary_codes().size(); ++a) {
      double s = an.solution().Share(v, a);
      if (s > 0) shares += fmt::format("\n{} {}", an.adversary_codes()[a], Percent(s));
    }
    std::string label = n.id + (n.name.empty() || n.name == n.id ? "" : "\n" + n.name) +
                        (countries.empty() ? "" : "\n" + countries) + shares;
    std::cout << fmt::format("  \"{}\" [label=\"{}\"{}{}];\n", DotEscape(n.id), DotEscape(label),
                             an.seed(v) ? ", style=\"rounded,filled\", fillcolor=\"#f4a6a6\"" : "",
                             v == t ? ", penwidth=2" : "");
  }
  for (uint32_t v : nodes) {
    for (uint32_t ei : g.EdgesInto(v)) {
      const graph::Edge& e = g.edge(ei);
      if (!seen.count(e.owner)) continue;
      std::string label;
      std::string style;
      if (e.kind == graph::EdgeKind::kOwnership) {
        label = e.share_known() ? Percent(e.share) : "share ?";
      } else if (e.kind == graph::EdgeKind::kControl) {
        label = std::string(graph::ControlKindName(e.control));
        style = ", style=dashed, color=\"#b03030\"";
      } else {
        label = "director";
        style = ", style=dotted";
      }
      std::cout << fmt::format("  \"{}\" -> \"{}\" [label=\"{}\"{}];\n",
                               DotEscape(g.node(e.owner).id), DotEscape(g.node(v).id),
                               DotEscape(label), style);
    }
  }
  std::cout << "}\n";
}

}  // namespace

int RunOwners(const OwnersArgs& args) {
  if (args.nodes.empty() != args.edges.empty()) {
    return Fail(InvalidArgumentError("give --nodes and --edges together"));
  }
  if (args.nodes.empty() && args.snapshot.empty() && args.gleif.empty() && args.bods.empty() &&
      args.ftm.empty()) {
    return Fail(InvalidArgumentError(
        "no graph: give --nodes/--edges, --snapshot, --gleif, --bods or --ftm"));
  }
  Date as_of = TodayUtc();
  if (!args.as_of.empty()) {
    auto d = Date::ParseIso(args.as_of);
    if (!d.ok()) {
      return Fail(
          InvalidArgumentError(fmt::format("--as-of '{}' is not a YYYY-MM-DD date", args.as_of)));
    }
    as_of = *d;
  }
  auto def = LoadDefinition(args.definition);
  if (!def.ok()) return Fail(def.status());
  auto list = args.adversaries.empty()
                  ? graph::ParseAdversaryList(graph::EmbeddedRule("foreign-adversaries"),
                                              "rules/foreign-adversaries/pack.yaml")
                  : graph::ReadAdversaryList(args.adversaries);
  if (!list.ok()) return Fail(list.status());

  // Load every source; any error fails the whole load.
  GraphBuilder builder;
  if (!args.nodes.empty()) {
    Status s = LoadFile(args.nodes, &graph::LoadCsvNodes, builder);
    if (s.ok()) s = LoadFile(args.edges, &graph::LoadCsvEdges, builder);
    if (!s.ok()) return Fail(s);
  }
  for (const auto& f : args.gleif) {
    if (Status s = LoadFile(f, &graph::LoadGleif, builder); !s.ok()) return Fail(s);
  }
  for (const auto& f : args.bods) {
    if (Status s = LoadFile(f, &graph::LoadBods, builder); !s.ok()) return Fail(s);
  }
  for (const auto& f : args.ftm) {
    if (Status s = LoadFile(f, &graph::LoadFtmGraph, builder); !s.ok()) return Fail(s);
  }
  std::unique_ptr<refdata::Snapshot> snapshot;
  if (!args.snapshot.empty()) {
    auto snap = refdata::Snapshot::Open(args.snapshot);
    if (!snap.ok()) return Fail(snap.status());
    snapshot = std::move(*snap);
    graph::AddSnapshot(*snapshot, builder);
  }

  // Resolve the entity before freezing: a snapshot entity outside every
  // relation still needs its node.
  std::string resolved_by;
  auto g0 = builder.Finish();
  if (!g0.ok()) return Fail(g0.status());
  Graph g = std::move(*g0);
  if (!args.quiet) {
    size_t shown = 0;
    for (const auto& w : g.warnings()) {
      if (shown++ == kMaxWarningsShown) {
        std::fprintf(stderr, "icts: ... and %zu more warnings\n",
                     g.warnings().size() - kMaxWarningsShown);
        break;
      }
      std::fprintf(stderr, "icts: warning: %s\n", w.ToString().c_str());
    }
  }
  std::optional<uint32_t> target;
  if (auto byid = g.Find(args.entity)) {
    target = byid;
    resolved_by = g.node(*byid).id == args.entity ? "id" : "lei";
  }
  if (!target) {
    std::string needle = ToUpperAscii(args.entity);
    for (uint32_t v = 0; v < g.node_count() && !target; ++v) {
      if (!g.node(v).name.empty() && ToUpperAscii(g.node(v).name) == needle) {
        target = v;
        resolved_by = "name";
      }
    }
  }
  if (!target && snapshot) {
    match::BuildOptions build;
    build.precompute_neighbours = false;  // One name to find.
    auto screener = match::Screener::Build(*snapshot, build);
    if (!screener.ok()) return Fail(screener.status());
    match::Query q;
    q.name = args.entity;
    match::ScreenOptions so;
    so.top = 5;
    auto hits = (*screener)->Screen(q, so);
    for (const auto& h : hits) {
      if (auto v = g.Find(h.entity_id)) {
        target = v;
        resolved_by = fmt::format("screen (matched '{}', score {:.2f})", h.matched_name, h.score);
        break;
      }
    }
    if (!target && !hits.empty()) {
      // The best hit takes part in no relation: analyse it alone.
      auto ev = snapshot->FindById(hits[0].entity_id);
      if (ev) {
        GraphBuilder b2;
        graph::AddSnapshot(*snapshot, b2);
        graph::Node n;
        n.id = std::string(ev->id());
        n.name = std::string(ev->primary_name());
        n.type = ev->schema() == refdata::Schema::kPerson ? graph::NodeType::kPerson
                                                          : graph::NodeType::kOrganization;
        for (const auto& c : ev->Props(refdata::PropKind::kCountry)) {
          auto role = static_cast<refdata::CountryRole>(c.sub());
          graph::CountryRole gr = graph::CountryRole::kOther;
          if (role == refdata::CountryRole::kIncorporation ||
              role == refdata::CountryRole::kJurisdiction) {
            gr = graph::CountryRole::kIncorporation;
          } else if (role == refdata::CountryRole::kHeadquarters) {
            gr = graph::CountryRole::kHeadquarters;
          } else if (role == refdata::CountryRole::kNationality) {
            gr = graph::CountryRole::kNationality;
          } else if (role == refdata::CountryRole::kCitizenship) {
            gr = graph::CountryRole::kCitizenship;
          } else if (role == refdata::CountryRole::kResidence) {
            gr = graph::CountryRole::kResidence;
          }
          n.countries.push_back({std::string(c.field(0)), gr, {args.snapshot, 0}});
        }
        n.origin = {args.snapshot, 0};
        b2.AddNode(std::move(n), true);
        auto g2 = b2.Finish();
        if (!g2.ok()) return Fail(g2.status());
        g = std::move(*g2);
        target = g.Find(hits[0].entity_id);
        resolved_by =
            fmt::format("screen (matched '{}', score {:.2f})", hits[0].matched_name, hits[0].score);
      }
    }
  }
  if (!target) {
    return Fail(NotFoundError(fmt::format(
        "no entity '{}' in the graph (by id, LEI or exact name{})", args.entity,
        snapshot ? ", nor by screening the snapshot" : "; give --snapshot to screen names")));
  }

  auto analysis = graph::Analysis::Run(g, *list, *def, as_of);
  if (!analysis.ok()) return Fail(analysis.status());
  if (args.dot) {
    PrintDot(g, **analysis, *target);
    return 0;
  }
  OwnersResult r = (*analysis)->Explain(*target);
  if (args.output == "json") {
    std::cout << graph::OwnersResultToJson(r, args.entity, resolved_by)
                     .dump(2, ' ', false, ojson::error_handler_t::replace)
              << "\n";
  } else {
    PrintTable(r, resolved_by);
  }
  std::cout.flush();
  if (!std::cout) return Fail(UnavailableError("cannot write to standard output"));
  return 0;
}

}  // namespace icts::cli
