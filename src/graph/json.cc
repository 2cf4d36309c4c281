#include "graph/json.h"

#include <string>

#include <nlohmann/json.hpp>

#include "graph/rules.h"

namespace icts::graph {
namespace {

using ojson = nlohmann::ordered_json;

ojson CitationJson(const RuleCitation& c) {
  ojson j;
  j["text"] = c.text;
  if (!c.url.empty()) j["url"] = c.url;
  j["verification"] = std::string(1, c.verification);
  return j;
}

ojson FindingJson(const NexusFinding& f) {
  ojson j;
  j["adversary"] = f.adversary;
  j["prong"] = std::string(ProngName(f.prong));
  j["evidence"] = f.evidence;
  j["via"] = f.via;
  if (f.share >= 0) j["share"] = f.share;
  j["citation"] = CitationJson(f.citation);
  return j;
}

}  // namespace

ojson OwnersResultToJson(const OwnersResult& r, const std::string& query,
                         const std::string& resolved_by) {
  ojson j;
  j["id"] = r.id;
  j["name"] = r.name;
  j["type"] = r.type;
  j["query"] = {{"text", query}, {"resolved_by", resolved_by}};
  j["as_of"] = r.as_of;
  j["definition"] = r.definition;
  j["outcome"] = r.outcome;
  ojson shares = ojson::object();
  for (const auto& [code, s] : r.adversary_shares) shares[code] = s;
  j["adversary_shares"] = shares;
  ojson control = ojson::array();
  for (const auto& c : r.control) {
    control.push_back(
        {{"adversary", c.adversary}, {"via", c.via}, {"how", c.how}, {"holds", c.holds}});
  }
  j["control"] = control;
  ojson nexus = ojson::array(), review = ojson::array();
  for (const auto& f : r.nexus) nexus.push_back(FindingJson(f));
  for (const auto& f : r.review) review.push_back(FindingJson(f));
  j["nexus"] = nexus;
  j["review"] = review;
  ojson paths = ojson::array();
  for (const auto& p : r.paths) {
    paths.push_back(
        {{"adversary", p.adversary}, {"share", p.share}, {"via", p.via}, {"shares", p.shares}});
  }
  j["paths"] = paths;
  j["paths_complete"] = r.paths_complete;
  ojson unknowns = ojson::array();
  for (const auto& u : r.unknowns) {
    ojson x = {{"kind", u.kind}, {"node", u.node}, {"detail", u.detail}};
    if (!u.origin.empty()) x["origin"] = u.origin;
    unknowns.push_back(x);
  }
  j["unknowns"] = unknowns;
  return j;
}

}  // namespace icts::graph
