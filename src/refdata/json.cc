#include "refdata/json.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace icts::refdata {

using nlohmann::json;

json CitationToJson(const Citation& c) {
  json j = {{"text", c.text}};
  if (!c.fact.empty()) j["fact"] = c.fact;
  if (!c.url.empty()) j["url"] = c.url;
  if (!c.effective.empty()) j["effective"] = c.effective;
  if (c.verification != Verification::kNone) {
    j["verification"] = std::string(VerificationName(c.verification));
  }
  return j;
}

json EntityToJson(const Entity& e) {
  json j;
  j["id"] = e.id;
  j["source_id"] = e.source_id;
  j["schema"] = std::string(SchemaName(e.schema));
  j["name"] = e.PrimaryName();
  json names = json::array();
  for (const Name& n : e.names) {
    names.push_back({{"value", n.value}, {"kind", std::string(NameKindName(n.kind))}});
  }
  j["names"] = names;
  json countries = json::array();
  for (const Country& c : e.countries) {
    json cj = {{"code", c.code}, {"role", std::string(CountryRoleName(c.role))}};
    if (!c.label.empty()) cj["label"] = c.label;
    countries.push_back(cj);
  }
  j["countries"] = countries;
  json ids = json::array();
  for (const Identifier& i : e.identifiers) {
    json ij = {{"kind", std::string(IdKindName(i.kind))}, {"value", i.value}};
    if (!i.country.empty()) ij["country"] = i.country;
    if (!i.label.empty()) ij["label"] = i.label;
    ids.push_back(ij);
  }
  j["identifiers"] = ids;
  json addresses = json::array();
  for (const Address& a : e.addresses) {
    json aj = {{"full", a.full}};
    if (!a.street.empty()) aj["street"] = a.street;
    if (!a.city.empty()) aj["city"] = a.city;
    if (!a.region.empty()) aj["region"] = a.region;
    if (!a.postal_code.empty()) aj["postal_code"] = a.postal_code;
    if (!a.country.empty()) aj["country"] = a.country;
    addresses.push_back(aj);
  }
  j["addresses"] = addresses;
  json dates = json::array();
  for (const DateFact& d : e.dates) {
    dates.push_back({{"kind", std::string(DateKindName(d.kind))}, {"value", d.value}});
  }
  j["dates"] = dates;
  j["lists"] = e.lists;
  j["programs"] = e.programs;
  j["topics"] = e.topics;
  json props = json::object();
  for (const Property& p : e.properties) {
    if (props.contains(p.key)) {
      if (!props[p.key].is_array()) props[p.key] = json::array({props[p.key]});
      props[p.key].push_back(p.value);
    } else {
      props[p.key] = p.value;
    }
  }
  j["properties"] = props;
  json cites = json::array();
  for (const Citation& c : e.citations) cites.push_back(CitationToJson(c));
  j["citations"] = cites;
  return j;
}

json RelationToJson(const Relation& r) {
  json j;
  j["kind"] = std::string(RelationKindName(r.kind));
  if (!r.id.empty()) j["id"] = r.id;
  j["from"] = r.from_id;
  j["to"] = r.to_id;
  if (!r.from_name.empty()) j["from_name"] = r.from_name;
  if (!r.to_name.empty()) j["to_name"] = r.to_name;
  if (!std::isnan(r.share_min)) j["share_min"] = r.share_min;
  if (!std::isnan(r.share_max)) j["share_max"] = r.share_max;
  if (!r.role.empty()) j["role"] = r.role;
  if (!r.start_date.empty()) j["start"] = r.start_date;
  if (!r.end_date.empty()) j["end"] = r.end_date;
  json cites = json::array();
  for (const Citation& c : r.citations) cites.push_back(CitationToJson(c));
  j["citations"] = cites;
  return j;
}

json SourceInfoToJson(const SourceInfo& s) {
  json j;
  j["format"] = s.format;
  j["path"] = s.path;
  j["sha256"] = s.sha256;
  j["published"] = s.published.empty() ? json(nullptr) : json(s.published);
  j["rows"] = s.rows;
  j["entities"] = s.entities;
  j["relations"] = s.relations;
  j["rejected"] = s.rejected;
  return j;
}

}  // namespace icts::refdata
