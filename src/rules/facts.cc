#include "rules/facts.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "refdata/countries.h"

namespace icts::rules {

using nlohmann::json;

const std::vector<std::string_view> kActivities = {"acquisition",  "importation", "transfer",
                                                   "installation", "dealing-in",  "use"};
const std::vector<std::string_view> kActKinds = {
    "new-agreement",        "update",          "repair",
    "maintenance",          "managed-service", "data-hosting",
    "data-transmission",    "resale",          "integration",
    "licensing-for-resale", "ksn-operation",   "continued-use"};
const std::vector<std::string_view> kPartyRoles = {
    "designer", "developer", "manufacturer", "supplier",     "provider", "service-provider",
    "seller",   "licensor",  "broker",       "intermediary", "buyer",    "acquirer",
    "end-user", "importer",  "transferor",   "integrator",
    "vcs-hardware-importer", "connected-vehicle-manufacturer"};
const std::vector<std::string_view> kCountryRoles = {
    "incorporation", "headquarters", "principal-place-of-business",
    "organization",  "citizenship",  "nationality",
    "residence",     "address",      "operations"};
const std::vector<std::string_view> kProngs = {"agency", "citizenship", "organization",
                                               "ownership-control"};
const std::vector<std::string_view> kCountKeys = {"us_units_sold_12m", "us_users_12m",
                                                  "us_persons_sensitive_data_12m"};

std::string_view TriName(Tri t) {
  switch (t) {
    case Tri::kUnknown:
      return "unknown";
    case Tri::kNo:
      return "no";
    case Tri::kYes:
      return "yes";
  }
  return "?";
}

namespace {

bool In(const std::vector<std::string_view>& set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

std::string Join(const std::vector<std::string_view>& set) {
  std::string out;
  for (std::string_view s : set) out += fmt::format("{}{}", out.empty() ? "" : ", ", s);
  return out;
}

// Reads one JSON object with a pointer for every error.
class Obj {
 public:
  Obj(const json& j, std::string pointer) : j_(j), pointer_(std::move(pointer)) {}

  Status Error(std::string_view key, std::string_view message) const {
    return InvalidArgumentError(fmt::format(
        "{}: {}", key.empty() ? (pointer_.empty() ? "/" : pointer_) : At(key), message));
  }
  std::string At(std::string_view key) const { return pointer_ + "/" + std::string(key); }
  const std::string& pointer() const { return pointer_; }

  Status Check(std::string_view what, std::initializer_list<std::string_view> allowed) const {
    if (!j_.is_object()) return Error("", fmt::format("{} must be an object", what));
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
        return Error(it.key(), fmt::format("unknown field '{}' in {} (expected one of: {})",
                                           it.key(), what, list));
      }
    }
    return Status::Ok();
  }

  bool Has(std::string_view key) const {
    return j_.contains(std::string(key)) && !j_[std::string(key)].is_null();
  }
  const json& Get(std::string_view key) const { return j_[std::string(key)]; }

  Result<std::string> Str(std::string_view key, bool required = false) const {
    if (!Has(key)) {
      if (required) return Error(key, "required");
      return std::string();
    }
    const json& v = Get(key);
    if (!v.is_string()) return Error(key, "must be a string");
    if (required && v.get_ref<const std::string&>().empty()) {
      return Error(key, "required: must not be empty");
    }
    return v.get<std::string>();
  }

  Result<std::optional<Date>> DateAt(std::string_view key) const {
    if (!Has(key)) return std::optional<Date>();
    const json& v = Get(key);
    if (!v.is_string()) return Error(key, "must be a date string YYYY-MM-DD");
    Result<Date> d = Date::ParseIso(v.get<std::string>());
    if (!d.ok()) {
      return Error(key, fmt::format("'{}' is not a date YYYY-MM-DD", v.get<std::string>()));
    }
    return std::optional<Date>(*d);
  }

  Result<Tri> TriAt(std::string_view key) const {
    if (!Has(key)) return Tri::kUnknown;
    const json& v = Get(key);
    if (!v.is_boolean()) return Error(key, "must be true, false or null (unknown)");
    return v.get<bool>() ? Tri::kYes : Tri::kNo;
  }

  Result<std::string> OneOf(std::string_view key, const std::vector<std::string_view>& set,
                            bool required = false) const {
    ICTS_ASSIGN_OR_RETURN(std::string s, Str(key, required));
    if (!s.empty() && !In(set, s)) {
      return Error(key, fmt::format("unknown value '{}' (expected one of: {})", s, Join(set)));
    }
    return s;
  }

  Result<std::vector<std::string>> Strings(std::string_view key) const {
    std::vector<std::string> out;
    if (!Has(key)) return out;
    const json& v = Get(key);
    if (!v.is_array()) return Error(key, "must be an array of strings");
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        return InvalidArgumentError(fmt::format("{}/{}: must be a string", At(key), i));
      }
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }

 private:
  const json& j_;
  std::string pointer_;
};

Result<std::string> Country(const json& v, const std::string& pointer) {
  if (!v.is_string()) return InvalidArgumentError(fmt::format("{}: must be a string", pointer));
  const std::string raw = v.get<std::string>();
  const std::string code = refdata::CountryCode(raw);
  if (code.empty()) {
    return InvalidArgumentError(
        fmt::format("{}: unknown country '{}' (ISO 3166 code or English name)", pointer, raw));
  }
  return code;
}

Result<std::optional<int>> ModelYear(const Obj& o, std::string_view key) {
  if (!o.Has(key)) return std::optional<int>();
  const json& y = o.Get(key);
  if (!y.is_number_integer() || y.get<int64_t>() < 1900 || y.get<int64_t>() > 2200) {
    return o.Error(key, "must be a model year (a whole number such as 2027)");
  }
  return std::optional<int>(static_cast<int>(y.get<int64_t>()));
}

// Reads a party, or (entity = true) an owner that is not a party: no role,
// an id required, nothing about the item.
Result<Party> ReadParty(const json& j, const std::string& pointer, bool entity = false) {
  Obj o(j, pointer);
  if (entity) {
    ICTS_RETURN_IF_ERROR(o.Check("an entity", {"id", "name", "type", "countries", "us_person",
                                               "nexus", "identifiers"}));
  } else {
    ICTS_RETURN_IF_ERROR(o.Check(
        "a party", {"id", "role", "name", "type", "countries", "us_person", "services_item",
                    "nexus", "ownership_known", "lists", "families", "identifiers", "screened"}));
  }
  Party p;
  p.pointer = pointer;
  ICTS_ASSIGN_OR_RETURN(p.id, o.Str("id", entity));
  if (!entity) {
    ICTS_ASSIGN_OR_RETURN(p.role, o.OneOf("role", kPartyRoles, true));
  }
  ICTS_ASSIGN_OR_RETURN(p.name, o.Str("name", !entity));
  ICTS_ASSIGN_OR_RETURN(p.type, o.OneOf("type", {"organization", "person"}));
  if (o.Has("countries")) {
    const json& cs = o.Get("countries");
    if (!cs.is_array()) return o.Error("countries", "must be an array of {code, role}");
    for (size_t i = 0; i < cs.size(); ++i) {
      const std::string cp = fmt::format("{}/{}", o.At("countries"), i);
      Obj c(cs[i], cp);
      ICTS_RETURN_IF_ERROR(c.Check("a country", {"code", "role"}));
      CountryFact f;
      if (!c.Has("code")) return c.Error("code", "required");
      ICTS_ASSIGN_OR_RETURN(f.code, Country(c.Get("code"), c.At("code")));
      ICTS_ASSIGN_OR_RETURN(f.role, c.OneOf("role", kCountryRoles, true));
      p.countries.push_back(std::move(f));
    }
  }
  // Contradictory countries: an organisation incorporated in two places.
  {
    std::string incorporated;
    for (size_t i = 0; i < p.countries.size(); ++i) {
      if (p.countries[i].role != "incorporation") continue;
      if (!incorporated.empty() && incorporated != p.countries[i].code) {
        return InvalidArgumentError(
            fmt::format("{}/countries/{}: contradictory countries: incorporated in both {} and {}",
                        pointer, i, incorporated, p.countries[i].code));
      }
      incorporated = p.countries[i].code;
    }
  }
  ICTS_ASSIGN_OR_RETURN(p.us_person, o.TriAt("us_person"));
  ICTS_ASSIGN_OR_RETURN(p.services_item, o.TriAt("services_item"));
  ICTS_ASSIGN_OR_RETURN(p.ownership_known, o.TriAt("ownership_known"));
  if (o.Has("nexus")) {
    const json& ns = o.Get("nexus");
    if (!ns.is_array()) return o.Error("nexus", "must be an array");
    for (size_t i = 0; i < ns.size(); ++i) {
      Obj n(ns[i], fmt::format("{}/{}", o.At("nexus"), i));
      ICTS_RETURN_IF_ERROR(
          n.Check("a nexus fact", {"adversary", "prong", "evidence", "definition"}));
      NexusFact f;
      ICTS_ASSIGN_OR_RETURN(f.adversary, n.Str("adversary", true));
      if (f.adversary.find('-') == std::string::npos) {
        ICTS_ASSIGN_OR_RETURN(f.adversary, Country(n.Get("adversary"), n.At("adversary")));
      }
      ICTS_ASSIGN_OR_RETURN(f.prong, n.OneOf("prong", kProngs, true));
      ICTS_ASSIGN_OR_RETURN(f.evidence, n.Str("evidence"));
      ICTS_ASSIGN_OR_RETURN(f.definition, n.Str("definition"));
      p.nexus.push_back(std::move(f));
    }
  }
  if (o.Has("lists")) {
    const json& ls = o.Get("lists");
    if (!ls.is_array()) return o.Error("lists", "must be an array");
    for (size_t i = 0; i < ls.size(); ++i) {
      Obj l(ls[i], fmt::format("{}/{}", o.At("lists"), i));
      ICTS_RETURN_IF_ERROR(
          l.Check("a list membership", {"list", "program", "entity_id", "name", "score", "since"}));
      ListMembership m;
      ICTS_ASSIGN_OR_RETURN(m.list, l.Str("list", true));
      ICTS_ASSIGN_OR_RETURN(m.program, l.Str("program"));
      ICTS_ASSIGN_OR_RETURN(m.entity_id, l.Str("entity_id"));
      ICTS_ASSIGN_OR_RETURN(m.name, l.Str("name"));
      if (l.Has("score")) {
        if (!l.Get("score").is_number()) return l.Error("score", "must be a number in [0, 1]");
        m.score = l.Get("score").get<double>();
        if (!(m.score >= 0 && m.score <= 1)) return l.Error("score", "must be a number in [0, 1]");
      }
      ICTS_ASSIGN_OR_RETURN(m.since, l.DateAt("since"));
      p.lists.push_back(std::move(m));
    }
  }
  if (o.Has("families")) {
    ICTS_ASSIGN_OR_RETURN(p.families, o.Strings("families"));
    p.family_known = Tri::kYes;
  }
  ICTS_ASSIGN_OR_RETURN(p.screened, o.TriAt("screened"));
  if (p.screened == Tri::kUnknown && (o.Has("lists") || o.Has("families"))) p.screened = Tri::kYes;
  if (p.screened == Tri::kYes) p.family_known = Tri::kYes;
  ICTS_RETURN_IF_ERROR(o.Strings("identifiers").status());
  return p;
}

}  // namespace

Result<Transaction> ReadTransaction(const json& j, const Taxonomy& taxonomy,
                                    const std::string& pointer) {
  Obj o(j, pointer);
  ICTS_RETURN_IF_ERROR(o.Check(
      "a transaction", {"id", "date", "activity", "agreement", "contract_date", "acts",
                        "us_jurisdiction", "foreign_interest", "industrial_security_program",
                        "cfius", "item", "vehicle", "parties", "entities", "ownership", "description"}));
  Transaction tx;
  ICTS_ASSIGN_OR_RETURN(tx.id, o.Str("id", true));
  ICTS_ASSIGN_OR_RETURN(tx.date, o.DateAt("date"));
  if (!tx.date) return o.Error("date", "required: the date the transaction was initiated");
  ICTS_ASSIGN_OR_RETURN(tx.activity, o.OneOf("activity", kActivities, true));
  ICTS_ASSIGN_OR_RETURN(tx.agreement, o.OneOf("agreement", {"new", "existing"}));
  ICTS_ASSIGN_OR_RETURN(tx.contract_date, o.DateAt("contract_date"));
  if (o.Has("acts")) {
    const json& as = o.Get("acts");
    if (!as.is_array()) return o.Error("acts", "must be an array of {kind, date}");
    for (size_t i = 0; i < as.size(); ++i) {
      Obj a(as[i], fmt::format("{}/{}", o.At("acts"), i));
      ICTS_RETURN_IF_ERROR(a.Check("an act", {"kind", "date"}));
      Act act;
      ICTS_ASSIGN_OR_RETURN(act.kind, a.OneOf("kind", kActKinds, true));
      ICTS_ASSIGN_OR_RETURN(act.date, a.DateAt("date"));
      tx.acts.push_back(std::move(act));
    }
  }
  ICTS_ASSIGN_OR_RETURN(tx.us_jurisdiction, o.TriAt("us_jurisdiction"));
  ICTS_ASSIGN_OR_RETURN(tx.foreign_interest, o.TriAt("foreign_interest"));
  ICTS_ASSIGN_OR_RETURN(tx.industrial_security_program, o.TriAt("industrial_security_program"));
  ICTS_ASSIGN_OR_RETURN(tx.cfius, o.TriAt("cfius"));
  if (!o.Has("item")) return o.Error("item", "required: the ICTS item");
  {
    Obj it(o.Get("item"), o.At("item"));
    ICTS_RETURN_IF_ERROR(
        it.Check("the item", {"kind", "description", "product", "tags", "counts", "model_year",
                              "repair_or_warranty", "released", "maintained_after_release"}));
    ICTS_ASSIGN_OR_RETURN(tx.item.released, it.DateAt("released"));
    ICTS_ASSIGN_OR_RETURN(tx.item.maintained_after_release, it.TriAt("maintained_after_release"));
    ICTS_ASSIGN_OR_RETURN(tx.item.model_year, ModelYear(it, "model_year"));
    ICTS_ASSIGN_OR_RETURN(tx.item.repair_or_warranty, it.TriAt("repair_or_warranty"));
    ICTS_ASSIGN_OR_RETURN(tx.item.kind, it.OneOf("kind", {"hardware", "software", "service"}));
    ICTS_ASSIGN_OR_RETURN(tx.item.description, it.Str("description"));
    ICTS_ASSIGN_OR_RETURN(tx.item.product, it.Str("product"));
    ICTS_ASSIGN_OR_RETURN(tx.item.tags, it.Strings("tags"));
    for (size_t i = 0; i < tx.item.tags.size(); ++i) {
      if (!taxonomy.Has(tx.item.tags[i])) {
        return InvalidArgumentError(
            fmt::format("{}/{}: unknown tag '{}' (see the item taxonomy: icts rules tags)",
                        it.At("tags"), i, tx.item.tags[i]));
      }
    }
    if (it.Has("counts")) {
      Obj c(it.Get("counts"), it.At("counts"));
      if (!it.Get("counts").is_object()) return c.Error("", "must be an object");
      for (auto kv = it.Get("counts").begin(); kv != it.Get("counts").end(); ++kv) {
        if (!In(kCountKeys, kv.key())) {
          return c.Error(kv.key(), fmt::format("unknown count '{}' (expected one of: {})", kv.key(),
                                               Join(kCountKeys)));
        }
        if (kv->is_null()) continue;
        if (!kv->is_number_integer() || kv->get<int64_t>() < 0) {
          return c.Error(kv.key(), "must be a non-negative integer");
        }
        tx.item.counts[kv.key()] = kv->get<int64_t>();
      }
    }
  }
  if (o.Has("vehicle")) {
    Obj v(o.Get("vehicle"), o.At("vehicle"));
    ICTS_RETURN_IF_ERROR(v.Check("the vehicle", {"make", "model", "trim", "model_year", "gvwr_lb",
                                                 "rail_only", "first_import_or_sale"}));
    Vehicle veh;
    ICTS_ASSIGN_OR_RETURN(veh.make, v.Str("make"));
    ICTS_ASSIGN_OR_RETURN(veh.model, v.Str("model"));
    ICTS_ASSIGN_OR_RETURN(veh.trim, v.Str("trim"));
    ICTS_ASSIGN_OR_RETURN(veh.model_year, ModelYear(v, "model_year"));
    if (v.Has("gvwr_lb")) {
      const json& g = v.Get("gvwr_lb");
      if (!g.is_number_integer() || g.get<int64_t>() <= 0 || g.get<int64_t>() > 1000000) {
        return v.Error("gvwr_lb", "must be a whole number of pounds (1 to 1,000,000)");
      }
      veh.gvwr_lb = g.get<int64_t>();
    }
    ICTS_ASSIGN_OR_RETURN(veh.rail_only, v.TriAt("rail_only"));
    ICTS_ASSIGN_OR_RETURN(veh.first_import_or_sale, v.DateAt("first_import_or_sale"));
    tx.vehicle = std::move(veh);
  }
  if (!o.Has("parties") || !o.Get("parties").is_array() || o.Get("parties").empty()) {
    return o.Error("parties", "required: a non-empty array of parties");
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < o.Get("parties").size(); ++i) {
    ICTS_ASSIGN_OR_RETURN(Party p,
                          ReadParty(o.Get("parties")[i], fmt::format("{}/{}", o.At("parties"), i)));
    if (p.id.empty()) p.id = fmt::format("p{}", i + 1);
    if (!ids.insert(p.id).second) {
      return InvalidArgumentError(
          fmt::format("{}/{}/id: party id '{}' used twice", o.At("parties"), i, p.id));
    }
    tx.parties.push_back(std::move(p));
  }
  if (o.Has("entities")) {
    const json& es = o.Get("entities");
    if (!es.is_array()) return o.Error("entities", "must be an array of entities");
    for (size_t i = 0; i < es.size(); ++i) {
      const std::string ep = fmt::format("{}/{}", o.At("entities"), i);
      ICTS_ASSIGN_OR_RETURN(Party e, ReadParty(es[i], ep, /*entity=*/true));
      if (!ids.insert(e.id).second) {
        return InvalidArgumentError(
            fmt::format("{}/id: id '{}' is already used by a party or an entity", ep, e.id));
      }
      tx.entities.push_back(std::move(e));
    }
  }
  if (o.Has("ownership")) {
    const json& es = o.Get("ownership");
    if (!es.is_array()) return o.Error("ownership", "must be an array of edges");
    for (size_t i = 0; i < es.size(); ++i) {
      Obj e(es[i], fmt::format("{}/{}", o.At("ownership"), i));
      ICTS_RETURN_IF_ERROR(e.Check("an ownership edge", {"owner", "owned", "share", "control"}));
      OwnershipEdge edge;
      ICTS_ASSIGN_OR_RETURN(edge.owner, e.Str("owner", true));
      ICTS_ASSIGN_OR_RETURN(edge.owned, e.Str("owned", true));
      for (const char* end : {"owner", "owned"}) {
        const std::string& id = std::string_view(end) == "owner" ? edge.owner : edge.owned;
        if (ids.count(id) == 0) {
          return e.Error(end, fmt::format("'{}' is neither a party id nor an entity id", id));
        }
      }
      if (edge.owner == edge.owned) return e.Error("owned", "an edge from a node to itself");
      if (!e.Has("share") && !e.Has("control")) {
        return e.Error("", "an edge needs a share, a control kind, or both");
      }
      if (e.Has("share")) {
        const json& s = e.Get("share");
        if (!s.is_number() || !(s.get<double>() >= 0 && s.get<double>() <= 1)) {
          return e.Error("share", "must be a number in [0, 1]");
        }
        edge.share = s.get<double>();
      }
      ICTS_ASSIGN_OR_RETURN(edge.control, e.OneOf("control", {"board-majority", "special-share",
                                                              "proxy", "contract", "direction"}));
      tx.ownership.push_back(std::move(edge));
    }
  }
  tx.input_sha256 = Sha256Hex(j.dump());
  return tx;
}

json TransactionToJson(const Transaction& tx) {
  json j;
  j["id"] = tx.id;
  if (tx.date) j["date"] = tx.date->ToIso();
  j["activity"] = tx.activity;
  if (!tx.agreement.empty()) j["agreement"] = tx.agreement;
  if (tx.contract_date) j["contract_date"] = tx.contract_date->ToIso();
  auto tri = [&](const char* key, Tri t) {
    if (t != Tri::kUnknown) j[key] = t == Tri::kYes;
  };
  tri("us_jurisdiction", tx.us_jurisdiction);
  tri("foreign_interest", tx.foreign_interest);
  tri("industrial_security_program", tx.industrial_security_program);
  tri("cfius", tx.cfius);
  json item;
  if (!tx.item.kind.empty()) item["kind"] = tx.item.kind;
  if (!tx.item.description.empty()) item["description"] = tx.item.description;
  if (!tx.item.product.empty()) item["product"] = tx.item.product;
  item["tags"] = tx.item.tags;
  for (const auto& [k, v] : tx.item.counts) item["counts"][k] = v;
  if (tx.item.model_year) item["model_year"] = *tx.item.model_year;
  if (tx.item.repair_or_warranty != Tri::kUnknown) {
    item["repair_or_warranty"] = tx.item.repair_or_warranty == Tri::kYes;
  }
  if (tx.item.released) item["released"] = tx.item.released->ToIso();
  if (tx.item.maintained_after_release != Tri::kUnknown) {
    item["maintained_after_release"] = tx.item.maintained_after_release == Tri::kYes;
  }
  j["item"] = item;
  if (tx.vehicle) {
    const Vehicle& v = *tx.vehicle;
    json jv = json::object();
    if (!v.make.empty()) jv["make"] = v.make;
    if (!v.model.empty()) jv["model"] = v.model;
    if (!v.trim.empty()) jv["trim"] = v.trim;
    if (v.model_year) jv["model_year"] = *v.model_year;
    if (v.gvwr_lb) jv["gvwr_lb"] = *v.gvwr_lb;
    if (v.rail_only != Tri::kUnknown) jv["rail_only"] = v.rail_only == Tri::kYes;
    if (v.first_import_or_sale) jv["first_import_or_sale"] = v.first_import_or_sale->ToIso();
    j["vehicle"] = jv;
  }
  j["parties"] = json::array();
  for (const Party& p : tx.parties) {
    json jp;
    jp["id"] = p.id;
    jp["role"] = p.role;
    jp["name"] = p.name;
    if (!p.type.empty()) jp["type"] = p.type;
    for (const CountryFact& c : p.countries)
      jp["countries"].push_back({{"code", c.code}, {"role", c.role}});
    if (p.us_person != Tri::kUnknown) jp["us_person"] = p.us_person == Tri::kYes;
    if (p.services_item != Tri::kUnknown) jp["services_item"] = p.services_item == Tri::kYes;
    if (p.ownership_known != Tri::kUnknown) jp["ownership_known"] = p.ownership_known == Tri::kYes;
    for (const NexusFact& n : p.nexus) {
      json jn = {{"adversary", n.adversary}, {"prong", n.prong}};
      if (!n.evidence.empty()) jn["evidence"] = n.evidence;
      if (!n.definition.empty()) jn["definition"] = n.definition;
      jp["nexus"].push_back(jn);
    }
    for (const ListMembership& m : p.lists) {
      json jm = {{"list", m.list}};
      if (!m.program.empty()) jm["program"] = m.program;
      if (!m.entity_id.empty()) jm["entity_id"] = m.entity_id;
      if (!m.name.empty()) jm["name"] = m.name;
      jm["score"] = m.score;
      if (m.since) jm["since"] = m.since->ToIso();
      jp["lists"].push_back(jm);
    }
    if (p.family_known == Tri::kYes) jp["families"] = p.families;
    if (p.screened != Tri::kUnknown) jp["screened"] = p.screened == Tri::kYes;
    j["parties"].push_back(jp);
  }
  for (const Party& e : tx.entities) {
    json je;
    je["id"] = e.id;
    if (!e.name.empty()) je["name"] = e.name;
    if (!e.type.empty()) je["type"] = e.type;
    for (const CountryFact& c : e.countries)
      je["countries"].push_back({{"code", c.code}, {"role", c.role}});
    if (e.us_person != Tri::kUnknown) je["us_person"] = e.us_person == Tri::kYes;
    for (const NexusFact& n : e.nexus) {
      json jn = {{"adversary", n.adversary}, {"prong", n.prong}};
      if (!n.evidence.empty()) jn["evidence"] = n.evidence;
      if (!n.definition.empty()) jn["definition"] = n.definition;
      je["nexus"].push_back(jn);
    }
    j["entities"].push_back(je);
  }
  for (const OwnershipEdge& e : tx.ownership) {
    json je = {{"owner", e.owner}, {"owned", e.owned}};
    if (e.share) je["share"] = *e.share;
    if (!e.control.empty()) je["control"] = e.control;
    j["ownership"].push_back(je);
  }
  return j;
}

namespace {

json ScalarToJson(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;  // Quoted: a string.
  if (s == "true") return true;
  if (s == "false") return false;
  if (s == "null" || s == "~" || s.empty()) return nullptr;
  if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) {
    size_t used = 0;
    try {
      const long long v = std::stoll(s, &used);
      if (used == s.size()) return v;
    } catch (const std::exception&) {
    }
    try {
      const double d = std::stod(s, &used);
      if (used == s.size() && std::isfinite(d)) return d;
    } catch (const std::exception&) {
    }
  }
  return s;
}

json NodeToJson(const YAML::Node& n, int depth) {
  if (depth > 32) throw YAML::Exception(n.Mark(), "nesting too deep");
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return ScalarToJson(n);
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const YAML::Node& c : n) a.push_back(NodeToJson(c, depth + 1));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) o[kv.first.Scalar()] = NodeToJson(kv.second, depth + 1);
      return o;
    }
  }
  return nullptr;
}

}  // namespace

Result<json> YamlToJson(std::string_view yaml, const std::string& file) {
  try {
    return NodeToJson(YAML::Load(std::string(yaml)), 0);
  } catch (const YAML::Exception& e) {
    if (e.mark.line >= 0) {
      return InvalidArgumentError(
          fmt::format("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg));
    }
    return InvalidArgumentError(fmt::format("{}: {}", file, e.msg));
  }
}

}  // namespace icts::rules
