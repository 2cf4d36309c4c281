#include "cli/vehicles_cmd.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/sha256.h"
#include "base/strings.h"
#include "base/status.h"
#include "inventory/item.h"
#include "review/review.h"
#include "rules/evaluate.h"
#include "rules/facts.h"
#include "scan/scan.h"
#include "store/store.h"
#include "cli/store_cmd.h"

namespace icts::cli {
namespace {

using nlohmann::json;

int Fail(const Status& s) { return FailWith(s); }

// The packs a vehicle check evaluates: the adversary list, Subpart D and,
// when the suppliers are screened, the list flags (a supplier on the Entity
// List is worth knowing; without screening they would only say "unknown").
rules::PackSet VehiclePacks(const rules::PackSet& all, bool screened) {
  rules::PackSet set;
  set.taxonomy = all.taxonomy;
  for (const rules::Pack& p : all.packs) {
    if (p.id == "foreign-adversaries" || p.id == "connected-vehicles" ||
        (screened && p.id == "list-flags")) {
      set.packs.push_back(p);
    }
  }
  return set;
}

bool IsVehicleClass(const rules::Taxonomy& t, const std::string& tag) {
  for (const rules::Taxonomy::Tag& x : t.tags) {
    if (x.id == tag) return x.group == "vehicle";
  }
  return false;
}

std::string VehicleClasses(const rules::Taxonomy& t) {
  std::string out;
  for (const rules::Taxonomy::Tag& x : t.tags) {
    if (x.group == "vehicle") out += (out.empty() ? "" : ", ") + x.id;
  }
  return out;
}

// One item to check, as the transaction it stands for.
struct CheckItem {
  std::string ref;
  std::string name;
  std::string klass;     // "" when unknown
  std::string supplier;  // "" when the input names none
  std::string where;     // input file and pointer
  json tx;               // The transaction JSON given to the reader.
};

Status Invalid(const std::string& file, const std::string& pointer, const std::string& message) {
  return InvalidArgumentError(fmt::format("{}: {}: {}", file, pointer.empty() ? "/" : pointer,
                                          message));
}

// An authorization held by the filer (791.306 general, 791.307 specific) or
// an advisory opinion (791.310) that an item's transaction is not
// prohibited. It covers an item when every stated matcher matches.
struct Authorization {
  std::string id, kind, title, citation, verification, where;
  std::optional<Date> from, to;
  std::vector<std::string> items, suppliers, classes;
  bool Covers(const json& item, Date as_of) const {
    if (from && as_of < *from) return false;
    if (to && *to < as_of) return false;
    auto in = [](const std::vector<std::string>& list, const json& v) {
      if (list.empty()) return true;
      if (!v.is_string()) return false;
      return std::find(list.begin(), list.end(), v.get<std::string>()) != list.end();
    };
    if (!in(items, item["item"]) || !in(suppliers, item["supplier"]) || !in(classes, item["class"])) {
      return false;
    }
    return true;
  }
};

Result<std::vector<Authorization>> ReadAuthorizations(const std::string& path) {
  std::vector<Authorization> out;
  if (path.empty()) return out;
  ICTS_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  ICTS_ASSIGN_OR_RETURN(json doc, rules::YamlToJson(text, path));
  const json list = doc.is_object() && doc.contains("authorizations") ? doc["authorizations"] : doc;
  if (!list.is_array()) {
    return InvalidArgumentError(path + ": expected a list of authorizations (under `authorizations:`)");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const json& a = list[i];
    const std::string ptr = fmt::format("/authorizations/{}", i);
    if (!a.is_object()) return Invalid(path, ptr, "must be a mapping");
    static const char* kKeys[] = {"id", "kind", "title", "citation", "verification", "from", "to",
                                  "items", "suppliers", "classes"};
    for (auto k = a.begin(); k != a.end(); ++k) {
      if (std::find(std::begin(kKeys), std::end(kKeys), k.key()) == std::end(kKeys)) {
        return Invalid(path, ptr + "/" + k.key(), "unknown key");
      }
    }
    Authorization z;
    z.where = path + " " + ptr;
    for (const char* req : {"id", "kind", "citation"}) {
      if (!a.contains(req) || !a[req].is_string() || a[req].get<std::string>().empty()) {
        return Invalid(path, ptr + "/" + req, "required");
      }
    }
    z.id = a["id"];
    z.kind = a["kind"];
    if (z.kind != "general" && z.kind != "specific" && z.kind != "advisory-opinion") {
      return Invalid(path, ptr + "/kind", "must be general, specific or advisory-opinion");
    }
    z.title = a.value("title", "");
    z.citation = a["citation"];
    z.verification = a.value("verification", "M");
    if (z.verification != "V" && z.verification != "S" && z.verification != "M") {
      return Invalid(path, ptr + "/verification", "must be V, S or M");
    }
    for (const char* key : {"from", "to"}) {
      if (!a.contains(key) || a[key].is_null()) continue;
      Result<Date> d = a[key].is_string() ? Date::ParseIso(a[key].get<std::string>())
                                          : Result<Date>(InvalidArgumentError("not a string"));
      if (!d.ok()) return Invalid(path, ptr + "/" + key, "must be a date YYYY-MM-DD");
      (std::string_view(key) == "from" ? z.from : z.to) = *d;
    }
    for (auto [key, dest] : {std::pair<const char*, std::vector<std::string>*>{"items", &z.items},
                             {"suppliers", &z.suppliers},
                             {"classes", &z.classes}}) {
      if (!a.contains(key)) continue;
      if (!a[key].is_array()) return Invalid(path, ptr + "/" + key, "must be a list");
      for (const json& v : a[key]) {
        if (!v.is_string()) return Invalid(path, ptr + "/" + key, "must be a list of strings");
        dest->push_back(v.get<std::string>());
      }
    }
    if (z.items.empty() && z.suppliers.empty() && z.classes.empty()) {
      return Invalid(path, ptr, "an authorization must name items, suppliers or classes");
    }
    out.push_back(std::move(z));
  }
  return out;
}

}  // namespace

// The input file as read: its bytes and its JSON.
struct VehicleInput {
  std::string text;
  json doc;
};

// Checks every item; the result is the `vehicles check -o json` document.
// `input`, when given, receives the input as read.
Result<json> CheckVehicle(const VehiclesArgs& args, VehicleInput* input = nullptr) {
  Result<rules::PackSet> all = LoadRules(args.rules);
  if (!all.ok()) return all.status();
  const rules::PackSet packs = VehiclePacks(*all, !args.snapshot.empty());
  const rules::Taxonomy& taxonomy = packs.taxonomy;
  Result<std::string> text = ReadFileToString(args.input);
  if (!text.ok()) return text.status();
  json in = json::parse(*text, nullptr, false);
  const std::string& file = args.input;
  if (in.is_discarded() || !in.is_object()) {
    return InvalidArgumentError(file + ": not a JSON object (see docs/schema/vehicle-check.schema.json)");
  }
  if (input != nullptr) {
    input->text = *text;
    input->doc = in;
  }
  static const char* kKeys[] = {"id", "date", "filer", "vehicle", "items", "boms", "entities",
                                "ownership", "description"};
  for (auto it = in.begin(); it != in.end(); ++it) {
    if (std::find(std::begin(kKeys), std::end(kKeys), it.key()) == std::end(kKeys)) {
      return Invalid(file, "/" + it.key(), "unknown key");
    }
  }
  if (!in.contains("date") || !in["date"].is_string()) {
    return Invalid(file, "/date", "required: the date of the import or sale (YYYY-MM-DD)");
  }
  if (!in.contains("filer") || !in["filer"].is_object()) {
    return Invalid(file, "/filer",
                        "required: the filer (role vcs-hardware-importer or "
                        "connected-vehicle-manufacturer)");
  }
  const json& filer = in["filer"];
  const std::string role = filer.value("role", "");
  if (role != "vcs-hardware-importer" && role != "connected-vehicle-manufacturer") {
    return Invalid(file, "/filer/role",
                        "must be vcs-hardware-importer or connected-vehicle-manufacturer");
  }
  if (role == "connected-vehicle-manufacturer" && !in.contains("vehicle")) {
    return Invalid(file, "/vehicle", "required for a connected vehicle manufacturer");
  }
  std::optional<Date> as_of;
  if (!args.as_of.empty()) {
    Result<Date> d = Date::ParseIso(args.as_of);
    if (!d.ok()) {
      return InvalidArgumentError(fmt::format("--as-of '{}' is not a date", args.as_of));
    }
    as_of = *d;
  }

  // The items: listed in the input, and read from the BOMs it names.
  std::vector<CheckItem> items;
  auto base_tx = [&](const std::string& id) {
    json tx = {{"id", id}, {"date", in["date"]}, {"activity", "importation"}};
    if (in.contains("vehicle")) tx["vehicle"] = in["vehicle"];
    if (in.contains("entities")) tx["entities"] = in["entities"];
    if (in.contains("ownership")) tx["ownership"] = in["ownership"];
    tx["parties"] = json::array({filer});
    return tx;
  };
  if (in.contains("items")) {
    if (!in["items"].is_array()) return Invalid(file, "/items", "must be an array");
    for (size_t i = 0; i < in["items"].size(); ++i) {
      const json& it = in["items"][i];
      const std::string ptr = fmt::format("/items/{}", i);
      if (!it.is_object()) return Invalid(file, ptr, "must be an object");
      static const char* kItemKeys[] = {"id",         "class",    "name",
                                        "version",    "kind",     "description",
                                        "model_year", "repair_or_warranty", "supplier",
                                        "released",   "maintained_after_release"};
      for (auto k = it.begin(); k != it.end(); ++k) {
        if (std::find(std::begin(kItemKeys), std::end(kItemKeys), k.key()) ==
            std::end(kItemKeys)) {
          return Invalid(file, ptr + "/" + k.key(), "unknown key");
        }
      }
      CheckItem c;
      c.ref = it.value("id", fmt::format("item-{}", i + 1));
      c.name = it.value("name", "");
      c.where = file + " " + ptr;
      c.klass = it.value("class", "");
      if (!c.klass.empty() && !IsVehicleClass(taxonomy, c.klass)) {
        return Invalid(file, ptr + "/class",
                            fmt::format("unknown item class '{}' (one of: {})", c.klass,
                                        VehicleClasses(taxonomy)));
      }
      json tx = base_tx(c.ref);
      json item = {{"kind", it.value("kind", c.klass == "vcs-hardware" ? "hardware" : "software")},
                   {"product", c.name + (it.contains("version") ? " " + it["version"].get<std::string>() : "")},
                   {"tags", c.klass.empty() ? json::array() : json::array({c.klass})}};
      if (it.contains("description")) item["description"] = it["description"];
      if (it.contains("model_year")) item["model_year"] = it["model_year"];
      if (it.contains("repair_or_warranty")) item["repair_or_warranty"] = it["repair_or_warranty"];
      if (it.contains("released")) item["released"] = it["released"];
      if (it.contains("maintained_after_release")) {
        item["maintained_after_release"] = it["maintained_after_release"];
      }
      tx["item"] = item;
      if (it.contains("supplier")) {
        json s = it["supplier"];
        if (!s.is_object()) return Invalid(file, ptr + "/supplier", "must be an object");
        if (!s.contains("role")) s["role"] = c.klass == "vcs-hardware" ? "manufacturer" : "developer";
        c.supplier = s.value("name", "");
        tx["parties"].push_back(s);
      }
      c.tx = std::move(tx);
      items.push_back(std::move(c));
    }
  }
  if (in.contains("boms")) {
    if (!in["boms"].is_array()) return Invalid(file, "/boms", "must be an array of paths");
    const std::filesystem::path dir = std::filesystem::path(file).parent_path();
    for (size_t b = 0; b < in["boms"].size(); ++b) {
      if (!in["boms"][b].is_string()) {
        return Invalid(file, fmt::format("/boms/{}", b), "must be a path");
      }
      const std::string path = (dir / in["boms"][b].get<std::string>()).string();
      inventory::CollectingSink sink;
      Status s = scan::ReadInventoryFile(path, &sink);
      if (!s.ok()) return s;
      for (inventory::Item& it : sink.items) {
        if (it.pointer == "/metadata/component" || it.pointer == "/bom/metadata/component") {
          continue;  // The vehicle or module the BOM describes, not a part of it.
        }
        CheckItem c;
        c.ref = it.ref;
        c.name = it.name;
        c.where = path + " " + it.pointer;
        std::vector<std::string> tags = it.tags;
        for (const auto& [k, v] : it.properties) {
          if (k == "icts:tags" || k == "icts:class") tags.push_back(v);
        }
        for (const std::string& t : tags) {
          if (c.klass.empty() && IsVehicleClass(taxonomy, t)) c.klass = t;
        }
        if (c.klass.empty() && it.kind == "firmware") c.klass = "vehicle-firmware";
        json tx = base_tx(c.ref);
        json item = {{"kind", it.kind == "hardware" ? "hardware" : "software"},
                     {"product", it.name + (it.version.empty() ? "" : " " + it.version)},
                     {"tags", c.klass.empty() ? json::array() : json::array({c.klass})}};
        for (const auto& [k, v] : it.properties) {
          if (k != "icts:model_year") continue;
          int year = 0;
          if (std::sscanf(v.c_str(), "%d", &year) != 1 || year < 1900 || year > 2200) {
            return Invalid(path, it.pointer, fmt::format("icts:model_year '{}' is not a model year", v));
          }
          item["model_year"] = year;
        }
        tx["item"] = item;
        for (const inventory::OrgRef& o : it.orgs) {
          if (!c.supplier.empty() || o.name.empty()) continue;
          c.supplier = o.name;
          json party = {{"role", it.kind == "hardware" ? "manufacturer" : "developer"},
                        {"name", o.name},
                        {"type", "organization"}};
          if (!o.country.empty()) {
            party["countries"] = json::array({{{"code", o.country}, {"role", "incorporation"}}});
          }
          tx["parties"].push_back(party);
        }
        c.tx = std::move(tx);
        items.push_back(std::move(c));
      }
    }
  }
  if (items.empty()) {
    return Invalid(file, "/items", "no items: give `items` or `boms`");
  }

  // Validate every item's transaction before anything is reviewed.
  std::vector<rules::Transaction> txs;
  for (const CheckItem& c : items) {
    Result<rules::Transaction> tx = rules::ReadTransaction(c.tx, taxonomy);
    if (!tx.ok()) {
      // The reader's pointers are those of the item's transaction: name the
      // input's own places.
      std::string m = tx.status().message();
      for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
               {"/parties/0", "/filer"}, {"/parties/1", "supplier of " + c.where},
               {"/vehicle", "/vehicle"}, {"/item", c.where}, {"/date", "/date"}}) {
        if (m.rfind(from, 0) == 0) {
          m = to + m.substr(from.size());
          break;
        }
      }
      return InvalidArgumentError(fmt::format("{}: {}", file, m));
    }
    txs.push_back(std::move(*tx));
  }

  Result<ReviewSetup> setup = MakeReviewer(packs, args.snapshot);
  if (!setup.ok()) return setup.status();
  json out;
  out["id"] = in.value("id", "");
  out["vehicle"] = in.contains("vehicle") ? in["vehicle"] : json(nullptr);
  out["role"] = role;
  out["filer"] = filer.value("name", "");
  out["items"] = json::array();
  std::optional<Date> due;
  bool any_required = false, any_unknown = false, prohibited = false, review = false;
  std::optional<int> model_year;
  std::string basis;
  std::string snapshot_sha256, engine_version;
  json packs_json = json::array();
  for (size_t i = 0; i < txs.size(); ++i) {
    const CheckItem& c = items[i];
    rules::Determination d = setup->reviewer->Review(std::move(txs[i]), as_of);
    if (out.find("as_of") == out.end()) out["as_of"] = d.provenance.as_of;
    snapshot_sha256 = d.provenance.snapshot_sha256;
    engine_version = d.provenance.engine_version;
    packs_json = json::array();
    for (const rules::Provenance::PackRef& pr : d.provenance.packs) {
      packs_json.push_back({{"id", pr.id}, {"version", pr.version}, {"sha256", pr.sha256}});
    }
    json ji = {{"item", c.ref},
               {"name", c.name},
               {"class", c.klass.empty() ? json(nullptr) : json(c.klass)},
               {"supplier", c.supplier.empty() ? json(nullptr) : json(c.supplier)},
               {"where", c.where},
               {"outcome", rules::OutcomeName(d.outcome)}};
    // The determining rule (or, when clear, the connected-vehicle rule that
    // looked at the item) with its citation.
    const rules::Finding* main = nullptr;
    for (const rules::Finding& f : d.findings) {
      const bool determining =
          std::find(d.determining.begin(), d.determining.end(), f.rule) != d.determining.end();
      if (main == nullptr && (determining || f.kind == "connected-vehicle")) main = &f;
    }
    ji["rule"] = main != nullptr ? json(main->rule)
                                 : (d.determining.empty() ? json(nullptr) : json(d.determining[0]));
    ji["citation"] = main != nullptr ? json(main->citation.text) : json(nullptr);
    ji["verification"] = main != nullptr
                             ? json(std::string(rules::VerificationTag(main->citation.verification)))
                             : json(nullptr);
    ji["explanation"] = main != nullptr ? json(main->explanation) : json(nullptr);
    ji["findings"] = json::array();
    for (const rules::Finding& f : d.findings) {
      ji["findings"].push_back({{"rule", f.rule},
                                {"severity", rules::SeverityName(f.severity)},
                                {"citation", f.citation.text},
                                {"verification", rules::VerificationTag(f.citation.verification)},
                                {"explanation", f.explanation}});
    }
    // An item without a supplier is unknown through the nexus rules (no
    // party in a supplier-side role), unless its class takes it out.
    ji["unknowns"] = d.unknowns;
    prohibited |= d.outcome == rules::Outcome::kProhibited;
    review |= d.outcome == rules::Outcome::kNeedsReview;
    if (d.declaration) {
      const rules::DeclarationNeed& n = *d.declaration;
      any_required |= n.required == rules::Tri::kYes || d.outcome == rules::Outcome::kProhibited;
      any_unknown |= n.required == rules::Tri::kUnknown;
      if (n.due && (!due || *n.due < *due)) due = n.due;
      if (n.model_year) model_year = n.model_year;
      if (basis.empty() && n.required != rules::Tri::kNo) basis = n.basis;
    }
    out["items"].push_back(std::move(ji));
  }
  // Authorizations: a prohibited item that one covers is not prohibited for
  // this filer; the authorization is cited.
  ICTS_ASSIGN_OR_RETURN(std::vector<Authorization> held, ReadAuthorizations(args.authorizations));
  const Date when = as_of ? *as_of : *Date::ParseIso(out.value("as_of", "1970-01-01"));
  prohibited = false;
  for (json& ji : out["items"]) {
    ji["authorization"] = nullptr;
    if (ji["outcome"] == "prohibited") {
      for (const Authorization& z : held) {
        if (!z.Covers(ji, when)) continue;
        ji["authorization"] = {{"id", z.id},     {"kind", z.kind},   {"title", z.title},
                               {"citation", z.citation}, {"verification", z.verification},
                               {"where", z.where}};
        ji["outcome"] = "clear";
        ji["explanation"] = fmt::format("{} — not prohibited for this filer: {} authorization {} ({}) [{}]",
                                        ji["explanation"].is_null() ? std::string() : ji["explanation"].get<std::string>(),
                                        z.kind, z.id, z.citation, z.verification);
        break;
      }
    }
    prohibited |= ji["outcome"] == "prohibited";
  }
  json decl;
  decl["required"] = any_required ? json(true) : (any_unknown ? json(nullptr) : json(false));
  decl["due"] = due ? json(due->ToIso()) : json(nullptr);
  decl["model_year"] = model_year ? json(*model_year) : json(nullptr);
  decl["basis"] = basis;
  out["declaration"] = decl;
  out["outcome"] = prohibited ? "prohibited" : (review ? "needs_review" : "clear");

  out["provenance"] = {{"snapshot_sha256", snapshot_sha256},
                       {"engine_version", engine_version},
                       {"packs", packs_json}};
  return out;
}

int RunVehiclesCheck(const VehiclesArgs& args) {
  Result<json> checked = CheckVehicle(args);
  if (!checked.ok()) return Fail(checked.status());
  const json& out = *checked;
  const json& decl = out["declaration"];
  const std::string basis = decl["basis"].get<std::string>();
  const std::string role = out["role"].get<std::string>();
  const bool prohibited = out["outcome"] == "prohibited";
  const bool review = out["outcome"] == "needs_review";
  if (args.output == "json") {
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << fmt::format("{} ({}), as of {}: {}\n", out["filer"].get<std::string>(), role,
                             out.value("as_of", ""), out["outcome"].get<std::string>());
    for (const json& ji : out["items"]) {
      std::cout << fmt::format("  [{}] {} — class {}, supplier {}\n", ji["outcome"].get<std::string>(),
                               ji["name"].get<std::string>(),
                               ji["class"].is_null() ? "unknown" : ji["class"].get<std::string>(),
                               ji["supplier"].is_null() ? "unknown" : ji["supplier"].get<std::string>());
      if (!ji["explanation"].is_null()) {
        std::cout << fmt::format("      {}\n      {} [{}]\n", ji["explanation"].get<std::string>(),
                                 ji["citation"].get<std::string>(),
                                 ji["verification"].get<std::string>());
      }
      for (const json& u : ji["unknowns"]) std::cout << "      unknown: " << u.get<std::string>() << "\n";
    }
    std::cout << fmt::format(
        "  Declaration of Conformity: {}{}{}\n",
        decl["required"].is_null() ? "unknown" : (decl["required"].get<bool>() ? "required" : "not required"),
        decl["due"].is_null() ? "" : ", due by " + decl["due"].get<std::string>(),
        basis.empty() ? "" : " (" + basis + ")");
  }
  if (args.fail_on == "prohibited") return prohibited ? 1 : 0;
  if (args.fail_on == "needs-review") return prohibited || review ? 1 : 0;
  return 0;
}

namespace {

std::string Str(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string DeclarationHtml(const json& r) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += "<title>" + HtmlEscape(Str(r["title"])) + "</title>\n";
  h += "<style>body{font:11pt/1.45 'DejaVu Sans',Arial,sans-serif;margin:2cm;color:#111}"
       "h1{font-size:16pt;margin:0 0 .2em}h2{font-size:12pt;margin:1.4em 0 .4em;border-bottom:1px solid #999}"
       "table{border-collapse:collapse;width:100%;font-size:9.5pt}td,th{border:1px solid #bbb;padding:3px 5px;"
       "text-align:left;vertical-align:top}th{background:#eee}.tag{font-weight:bold}"
       ".status{display:inline-block;padding:2px 8px;border:1px solid #333}"
       ".prohibited{color:#a00}.needs_review{color:#a60}.muted{color:#555;font-size:9pt}"
       "@page{size:Letter;margin:1.5cm}</style></head><body>\n";
  h += "<h1>" + HtmlEscape(Str(r["title"])) + "</h1>\n";
  h += "<p class=\"muted\">" + HtmlEscape(Str(r["citation"])) + "</p>\n";
  h += "<p>Status: <span class=\"status\">" + HtmlEscape(Str(r["status"])) + "</span> &nbsp; Document " +
       HtmlEscape(Str(r["id"])) + "</p>\n";
  const json& f = r["filer"];
  h += "<h2>Filer</h2><table><tr><th>Name</th><td>" + HtmlEscape(Str(f["name"])) +
       "</td></tr><tr><th>Role</th><td>" + HtmlEscape(Str(f["role"])) + "</td></tr><tr><th>Point of contact</th><td>" +
       HtmlEscape(Str(f["contact"])) + "</td></tr></table>\n";
  const json& v = r["vehicle"];
  if (v.is_object()) {
    h += "<h2>Vehicle</h2><table><tr><th>Make / model / trim</th><td>" +
         HtmlEscape(Str(v.value("make", json())) + " " + Str(v.value("model", json())) + " " +
              Str(v.value("trim", json()))) +
         "</td></tr><tr><th>Model year</th><td>" + HtmlEscape(Str(v.value("model_year", json()))) +
         "</td></tr><tr><th>First import or sale</th><td>" +
         HtmlEscape(Str(v.value("first_import_or_sale", json()))) + "</td></tr><tr><th>Declaration due</th><td>" +
         HtmlEscape(Str(r["due"])) + "</td></tr></table>\n";
  }
  h += "<h2>Items</h2><table><tr><th>Item</th><th>Class</th><th>Supplier</th><th>Outcome</th><th>Rule and citation</th></tr>\n";
  for (const json& it : r["items"]) {
    std::string rule = Str(it["rule"]);
    if (!it["citation"].is_null()) {
      rule += "<br><span class=\"muted\">" + HtmlEscape(Str(it["citation"])) + " [" + HtmlEscape(Str(it["verification"])) + "]</span>";
    }
    if (!it["authorization"].is_null()) {
      rule += "<br>Authorization: " + HtmlEscape(Str(it["authorization"]["kind"])) + " " +
              HtmlEscape(Str(it["authorization"]["id"])) + " (" + HtmlEscape(Str(it["authorization"]["citation"])) + ")";
    }
    h += "<tr><td>" + HtmlEscape(Str(it["name"])) + "<br><span class=\"muted\">" + HtmlEscape(Str(it["item"])) +
         "</span></td><td>" + HtmlEscape(Str(it["class"])) + "</td><td>" + HtmlEscape(Str(it["supplier"])) +
         "</td><td class=\"" + HtmlEscape(Str(it["outcome"])) + "\">" + HtmlEscape(Str(it["outcome"])) + "</td><td>" +
         (rule.rfind("<br>", 0) == 0 ? rule : HtmlEscape(Str(it["rule"])) + rule.substr(Str(it["rule"]).size())) +
         "</td></tr>\n";
  }
  h += "</table>\n<h2>Statements</h2><ol>\n";
  for (const json& st : r["statements"]) {
    h += "<li>" + HtmlEscape(Str(st["text"])) + " <span class=\"muted\">(" + HtmlEscape(Str(st["citation"])) + ") <span class=\"tag\">[" +
         HtmlEscape(Str(st["verification"])) + "]</span></span></li>\n";
  }
  h += "</ol>\n<h2>Due-diligence evidence</h2><table>";
  const json& e = r["evidence"];
  h += "<tr><th>Rules applied as of</th><td>" + HtmlEscape(Str(e["as_of"])) + "</td></tr>";
  h += "<tr><th>Lists snapshot</th><td>" + HtmlEscape(Str(e["snapshot_sha256"]).empty() ? "none (suppliers not screened)" : Str(e["snapshot_sha256"])) + "</td></tr>";
  h += "<tr><th>Rule packs</th><td>";
  for (const json& p : e["packs"]) h += HtmlEscape(Str(p["id"]) + " " + Str(p["version"]) + " (" + Str(p["sha256"]).substr(0, 12) + ")") + "<br>";
  h += "</td></tr><tr><th>Input SHA-256</th><td>" + HtmlEscape(Str(e["input_sha256"])) + "</td></tr>";
  h += "<tr><th>Records kept until</th><td>" + HtmlEscape(Str(r["retain_until"])) + "</td></tr></table>\n";
  h += "<p class=\"muted\">Tags: [V] read in the regulatory text; [S] secondary sources only; [M] not verified. "
       "Generated by " + HtmlEscape(Str(r["generated_by"])) + ".</p>\n</body></html>\n";
  return h;
}

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const char* path_env = std::getenv("PATH");
    std::string path = path_env ? path_env : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find(':', start);
      std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
      std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return "";
}

// Prints `html_path` to `pdf_path` with headless Chromium (no shell; bounded
// by a 120 s timeout). The PDF is written to a temporary name first.
Status PrintPdf(const std::string& html_path, const std::string& pdf_path) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    return UnavailableError("--pdf needs Chromium (Debian package chromium); not found on PATH");
  }
  const std::string tmp = pdf_path + ".tmp";
  const std::string url = "file://" + std::filesystem::absolute(html_path).string();
  const std::string out_arg = "--print-to-pdf=" + tmp;
  const std::string profile = "--user-data-dir=" + std::filesystem::temp_directory_path().string() +
                              "/icts-chromium-" + std::to_string(::getpid());
  std::vector<std::string> argv_s = {"timeout", "120", chromium, "--headless", "--no-sandbox",
                                     "--disable-gpu", "--no-pdf-header-footer", profile, out_arg, url};
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return UnavailableError("cannot start Chromium: fork failed");
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::error_code ec;
  std::filesystem::remove_all(profile.substr(std::string("--user-data-dir=").size()), ec);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !std::filesystem::exists(tmp)) {
    std::filesystem::remove(tmp, ec);
    return UnavailableError(fmt::format("Chromium could not print {} (exit status {})", html_path,
                                        WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  std::filesystem::rename(tmp, pdf_path, ec);
  if (ec) return UnavailableError(fmt::format("{}: {}", pdf_path, ec.message()));
  return Status::Ok();
}

}  // namespace

int RunVehiclesDeclaration(const VehiclesArgs& args) {
  VehicleInput input;
  Result<json> checked = CheckVehicle(args, &input);
  if (!checked.ok()) return Fail(checked.status());
  const json& c = *checked;
  const std::string* text = &input.text;
  const json& in = input.doc;
  const json& decl = c["declaration"];
  std::string status;
  std::vector<std::string> open;
  for (const json& it : c["items"]) {
    if (it["outcome"] != "clear") {
      open.push_back(fmt::format("{} ({}): {}", Str(it["name"]), Str(it["item"]), Str(it["outcome"])));
    }
  }
  if (c["outcome"] == "prohibited") {
    status = "blocked";
  } else if (!open.empty() || decl["required"].is_null()) {
    status = "open";
  } else if (decl["required"] == true) {
    status = "ready";
  } else {
    status = "not-required";
  }
  const Date date = *Date::ParseIso(in["date"].get<std::string>());
  json r;
  r["title"] = "Declaration of Conformity — connected vehicles";
  r["citation"] = "15 CFR 791.305 (Declaration of Conformity); contents per secondary sources [S/M]; records 15 CFR 791.312 [V]";
  r["status"] = status;
  r["filer"] = {{"name", in["filer"].value("name", "")},
                {"role", c["role"]},
                {"countries", in["filer"].value("countries", json::array())},
                {"contact", args.contact}};
  r["vehicle"] = c["vehicle"];
  r["model_year"] = decl["model_year"];
  r["due"] = decl["due"];
  r["due_basis"] = decl["basis"];
  r["items"] = json::array();
  for (const json& it : c["items"]) {
    r["items"].push_back({{"item", it["item"]}, {"name", it["name"]}, {"class", it["class"]},
                          {"supplier", it["supplier"]}, {"outcome", it["outcome"]}, {"rule", it["rule"]},
                          {"citation", it["citation"]}, {"verification", it["verification"]},
                          {"authorization", it["authorization"]}});
  }
  r["open_items"] = open;
  r["statements"] = json::array(
      {{{"text", "The filer has exercised due diligence on the VCS hardware and covered software listed "
                 "and, to its knowledge, engages in no transaction prohibited by 15 CFR 791.302-791.304 "
                 "with them, other than under an authorization cited above."},
        {"citation", "15 CFR 791.300(b), 791.305; certification wording per secondary sources"},
        {"verification", "M"}},
       {{"text", "A hardware bill of materials and a software bill of materials for these items are "
                 "maintained and available to BIS on request."},
        {"citation", "15 CFR 791.305, as described by secondary sources"},
        {"verification", "M"}},
       {{"text", "The primary business records of the transaction are kept for at least 10 years."},
        {"citation", "15 CFR 791.312"},
        {"verification", "V"}}});
  const std::string input_sha = Sha256Hex(*text);
  r["evidence"] = {{"as_of", c.value("as_of", "")},
                   {"snapshot_sha256", c["provenance"]["snapshot_sha256"]},
                   {"packs", c["provenance"]["packs"]},
                   {"input_sha256", input_sha}};
  r["retain_until"] = date.AddYears(10).ToIso();
  r["generated_by"] = "icts " + Str(c["provenance"]["engine_version"]);
  r["id"] = "doc-" + Sha256Hex(input_sha + c.value("as_of", "") + status).substr(0, 16);

  // Write what was asked, each atomically, before recording.
  const std::string html = DeclarationHtml(r);
  std::string html_path = args.html_out;
  std::string tmp_html;
  if (!args.html_out.empty()) {
    if (Status s = WriteFileAtomically(args.html_out, html); !s.ok()) return Fail(s);
  }
  if (!args.pdf_out.empty()) {
    if (html_path.empty()) {
      tmp_html = std::filesystem::temp_directory_path().string() + "/icts-declaration-" +
                 std::to_string(::getpid()) + ".html";
      if (Status s = WriteFileAtomically(tmp_html, html); !s.ok()) return Fail(s);
      html_path = tmp_html;
    }
    Status s = PrintPdf(html_path, args.pdf_out);
    if (!tmp_html.empty()) std::filesystem::remove(tmp_html);
    if (!s.ok()) return Fail(s);
  }
  if (!args.store.empty()) {
    Result<std::unique_ptr<store::Store>> st = store::Store::Open(args.store);
    if (!st.ok()) return Fail(st.status());
    store::DeterminationRecord rec;
    rec.transaction_id = r["id"];
    rec.outcome = c["outcome"];
    rec.input_json = *text;
    rec.result_json = r.dump();
    rec.provenance.input_sha256 = input_sha;
    rec.provenance.snapshot_sha256 = Str(c["provenance"]["snapshot_sha256"]);
    rec.provenance.packs_json = c["provenance"]["packs"].dump();
    rec.provenance.engine_version = Str(c["provenance"]["engine_version"]);
    rec.provenance.as_of = *Date::ParseIso(c.value("as_of", in["date"].get<std::string>()));
    rec.retain_until = date.AddYears(10);
    Result<std::string> id = (*st)->PutDetermination(CliActor(), std::move(rec));
    if (!id.ok()) return Fail(id.status());
    r["stored_as"] = *id;
    std::cerr << "icts: stored declaration " << *id << " (kept until " << Str(r["retain_until"]) << ")\n";
  }
  std::cout << r.dump(2) << "\n";
  return status == "ready" || status == "not-required" ? 0 : 1;
}

}  // namespace icts::cli
