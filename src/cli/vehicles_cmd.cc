#include "cli/vehicles_cmd.h"

#include <algorithm>
#include <cstdio>
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
#include "base/status.h"
#include "inventory/item.h"
#include "review/review.h"
#include "rules/evaluate.h"
#include "rules/facts.h"
#include "scan/scan.h"

namespace icts::cli {
namespace {

using nlohmann::json;

int Fail(const Status& s) {
  std::cerr << "icts: " << s.message() << "\n";
  return ExitCodeFor(s);
}

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

}  // namespace

int RunVehiclesCheck(const VehiclesArgs& args) {
  Result<rules::PackSet> all = LoadRules(args.rules);
  if (!all.ok()) return Fail(all.status());
  const rules::PackSet packs = VehiclePacks(*all, !args.snapshot.empty());
  const rules::Taxonomy& taxonomy = packs.taxonomy;
  Result<std::string> text = ReadFileToString(args.input);
  if (!text.ok()) return Fail(text.status());
  json in = json::parse(*text, nullptr, false);
  const std::string& file = args.input;
  if (in.is_discarded() || !in.is_object()) {
    return Fail(InvalidArgumentError(file + ": not a JSON object (see docs/schema/vehicle-check.schema.json)"));
  }
  static const char* kKeys[] = {"id", "date", "filer", "vehicle", "items", "boms", "entities",
                                "ownership", "description"};
  for (auto it = in.begin(); it != in.end(); ++it) {
    if (std::find(std::begin(kKeys), std::end(kKeys), it.key()) == std::end(kKeys)) {
      return Fail(Invalid(file, "/" + it.key(), "unknown key"));
    }
  }
  if (!in.contains("date") || !in["date"].is_string()) {
    return Fail(Invalid(file, "/date", "required: the date of the import or sale (YYYY-MM-DD)"));
  }
  if (!in.contains("filer") || !in["filer"].is_object()) {
    return Fail(Invalid(file, "/filer",
                        "required: the filer (role vcs-hardware-importer or "
                        "connected-vehicle-manufacturer)"));
  }
  const json& filer = in["filer"];
  const std::string role = filer.value("role", "");
  if (role != "vcs-hardware-importer" && role != "connected-vehicle-manufacturer") {
    return Fail(Invalid(file, "/filer/role",
                        "must be vcs-hardware-importer or connected-vehicle-manufacturer"));
  }
  if (role == "connected-vehicle-manufacturer" && !in.contains("vehicle")) {
    return Fail(Invalid(file, "/vehicle", "required for a connected vehicle manufacturer"));
  }
  std::optional<Date> as_of;
  if (!args.as_of.empty()) {
    Result<Date> d = Date::ParseIso(args.as_of);
    if (!d.ok()) {
      return Fail(InvalidArgumentError(fmt::format("--as-of '{}' is not a date", args.as_of)));
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
    if (!in["items"].is_array()) return Fail(Invalid(file, "/items", "must be an array"));
    for (size_t i = 0; i < in["items"].size(); ++i) {
      const json& it = in["items"][i];
      const std::string ptr = fmt::format("/items/{}", i);
      if (!it.is_object()) return Fail(Invalid(file, ptr, "must be an object"));
      static const char* kItemKeys[] = {"id",         "class",    "name",
                                        "version",    "kind",     "description",
                                        "model_year", "repair_or_warranty", "supplier"};
      for (auto k = it.begin(); k != it.end(); ++k) {
        if (std::find(std::begin(kItemKeys), std::end(kItemKeys), k.key()) ==
            std::end(kItemKeys)) {
          return Fail(Invalid(file, ptr + "/" + k.key(), "unknown key"));
        }
      }
      CheckItem c;
      c.ref = it.value("id", fmt::format("item-{}", i + 1));
      c.name = it.value("name", "");
      c.where = file + " " + ptr;
      c.klass = it.value("class", "");
      if (!c.klass.empty() && !IsVehicleClass(taxonomy, c.klass)) {
        return Fail(Invalid(file, ptr + "/class",
                            fmt::format("unknown item class '{}' (one of: {})", c.klass,
                                        VehicleClasses(taxonomy))));
      }
      json tx = base_tx(c.ref);
      json item = {{"kind", it.value("kind", c.klass == "vcs-hardware" ? "hardware" : "software")},
                   {"product", c.name + (it.contains("version") ? " " + it["version"].get<std::string>() : "")},
                   {"tags", c.klass.empty() ? json::array() : json::array({c.klass})}};
      if (it.contains("description")) item["description"] = it["description"];
      if (it.contains("model_year")) item["model_year"] = it["model_year"];
      if (it.contains("repair_or_warranty")) item["repair_or_warranty"] = it["repair_or_warranty"];
      tx["item"] = item;
      if (it.contains("supplier")) {
        json s = it["supplier"];
        if (!s.is_object()) return Fail(Invalid(file, ptr + "/supplier", "must be an object"));
        if (!s.contains("role")) s["role"] = c.klass == "vcs-hardware" ? "manufacturer" : "developer";
        c.supplier = s.value("name", "");
        tx["parties"].push_back(s);
      }
      c.tx = std::move(tx);
      items.push_back(std::move(c));
    }
  }
  if (in.contains("boms")) {
    if (!in["boms"].is_array()) return Fail(Invalid(file, "/boms", "must be an array of paths"));
    const std::filesystem::path dir = std::filesystem::path(file).parent_path();
    for (size_t b = 0; b < in["boms"].size(); ++b) {
      if (!in["boms"][b].is_string()) {
        return Fail(Invalid(file, fmt::format("/boms/{}", b), "must be a path"));
      }
      const std::string path = (dir / in["boms"][b].get<std::string>()).string();
      inventory::CollectingSink sink;
      Status s = scan::ReadInventoryFile(path, &sink);
      if (!s.ok()) return Fail(s);
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
            return Fail(Invalid(path, it.pointer, fmt::format("icts:model_year '{}' is not a model year", v)));
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
    return Fail(Invalid(file, "/items", "no items: give `items` or `boms`"));
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
      return Fail(InvalidArgumentError(fmt::format("{}: {}", file, m)));
    }
    txs.push_back(std::move(*tx));
  }

  Result<ReviewSetup> setup = MakeReviewer(packs, args.snapshot);
  if (!setup.ok()) return Fail(setup.status());
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
  for (size_t i = 0; i < txs.size(); ++i) {
    const CheckItem& c = items[i];
    rules::Determination d = setup->reviewer->Review(std::move(txs[i]), as_of);
    if (out.find("as_of") == out.end()) out["as_of"] = d.provenance.as_of;
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
  json decl;
  decl["required"] = any_required ? json(true) : (any_unknown ? json(nullptr) : json(false));
  decl["due"] = due ? json(due->ToIso()) : json(nullptr);
  decl["model_year"] = model_year ? json(*model_year) : json(nullptr);
  decl["basis"] = basis;
  out["declaration"] = decl;
  out["outcome"] = prohibited ? "prohibited" : (review ? "needs_review" : "clear");

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

}  // namespace icts::cli
