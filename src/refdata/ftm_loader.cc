#include "refdata/ftm_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/strings.h"
#include "refdata/countries.h"

namespace icts::refdata {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kIdPrefix = "ftm:";

// An edge row naming several owners and several assets stands for every
// pairing; past this many pairings the row is rejected rather than allowed
// to multiply a small input into a huge graph.
constexpr size_t kMaxEdgePairs = 100;

std::string PrefixedId(std::string_view ftm_id) {
  return std::string(kIdPrefix) + std::string(ftm_id);
}

// FtM schemata that become entities.
std::optional<Schema> ThingSchema(std::string_view name) {
  if (name == "Person") return Schema::kPerson;
  if (name == "Organization") return Schema::kOrganization;
  if (name == "Company") return Schema::kCompany;
  if (name == "LegalEntity") return Schema::kLegalEntity;
  if (name == "PublicBody") return Schema::kPublicBody;
  if (name == "Vessel") return Schema::kVessel;
  if (name == "Airplane") return Schema::kAircraft;
  return std::nullopt;
}

// An FtM edge schema: which properties hold its two ends, and what it means.
struct EdgeSchema {
  std::string_view schema;
  RelationKind kind;
  const char* from;
  const char* to;
};

constexpr EdgeSchema kEdgeSchemata[] = {
    {"Ownership", RelationKind::kOwnership, "owner", "asset"},
    {"Directorship", RelationKind::kDirectorship, "director", "organization"},
    {"Membership", RelationKind::kMembership, "member", "organization"},
    {"Family", RelationKind::kFamily, "person", "relative"},
    {"Associate", RelationKind::kAssociate, "person", "associate"},
    {"UnknownLink", RelationKind::kLinkedTo, "subject", "object"},
};

const EdgeSchema* FindEdgeSchema(std::string_view name) {
  for (const EdgeSchema& edge : kEdgeSchemata) {
    if (edge.schema == name) return &edge;
  }
  return nullptr;
}

struct CountryProperty {
  const char* property;
  CountryRole role;
};

constexpr CountryProperty kCountryProperties[] = {
    {"country", CountryRole::kUnspecified},
    {"nationality", CountryRole::kNationality},
    {"citizenship", CountryRole::kCitizenship},
    {"jurisdiction", CountryRole::kJurisdiction},
    {"mainCountry", CountryRole::kHeadquarters},
    {"birthCountry", CountryRole::kBirthPlace},
    {"flag", CountryRole::kFlag},
};

struct IdProperty {
  const char* property;
  IdKind kind;
};

// Identifier properties common to every thing schema. "idNumber" and
// "registrationNumber" depend on the schema and are handled apart.
constexpr IdProperty kIdProperties[] = {
    {"leiCode", IdKind::kLei},
    {"ogrnCode", IdKind::kRegistration},
    {"okpoCode", IdKind::kRegistration},
    {"innCode", IdKind::kTax},
    {"taxNumber", IdKind::kTax},
    {"vatCode", IdKind::kTax},
    {"swiftBic", IdKind::kSwiftBic},
    {"dunsCode", IdKind::kDuns},
    {"cageCode", IdKind::kCage},
    {"imoNumber", IdKind::kImo},
    {"passportNumber", IdKind::kPassport},
    {"email", IdKind::kEmail},
    {"website", IdKind::kWebsite},
    {"phone", IdKind::kPhone},
    {"uniqueEntityId", IdKind::kOther},
    {"permId", IdKind::kOther},
    {"mmsi", IdKind::kOther},
    {"callSign", IdKind::kOther},
    {"icaoCode", IdKind::kOther},
    {"serialNumber", IdKind::kOther},
};

struct DateProperty {
  const char* property;
  DateKind kind;
};

constexpr DateProperty kDateProperties[] = {
    {"birthDate", DateKind::kBirth},
    {"incorporationDate", DateKind::kIncorporation},
    {"dissolutionDate", DateKind::kDissolution},
    {"modifiedAt", DateKind::kModified},
};

struct TextProperty {
  const char* property;
  const char* key;
};

constexpr TextProperty kTextProperties[] = {
    {"notes", "notes"},          {"summary", "summary"},        {"description", "description"},
    {"sourceUrl", "source_url"}, {"position", "position"},      {"title", "title"},
    {"gender", "gender"},        {"birthPlace", "birth_place"}, {"legalForm", "legal_form"},
    {"status", "status"},        {"sector", "sector"},          {"programId", "program_id"},
};

// The values of property `name`: strings as given (trimmed), numbers and
// booleans in their JSON spelling; anything else is skipped.
std::vector<std::string> Values(const Json& props, const char* name) {
  std::vector<std::string> out;
  if (!props.is_object()) return out;
  auto it = props.find(name);
  if (it == props.end()) return out;
  auto add = [&out](const Json& value) {
    std::string text;
    if (value.is_string()) {
      text = std::string(TrimAscii(value.get_ref<const std::string&>()));
    } else if (value.is_number() || value.is_boolean()) {
      text = value.dump();
    }
    if (!text.empty()) out.push_back(std::move(text));
  };
  if (it->is_array()) {
    for (const Json& value : *it) add(value);
  } else {
    add(*it);
  }
  return out;
}

std::string FirstValue(const Json& props, const char* name) {
  std::vector<std::string> values = Values(props, name);
  return values.empty() ? std::string() : std::move(values.front());
}

void AddUnique(std::vector<std::string>& values, std::string value) {
  if (value.empty()) return;
  if (std::find(values.begin(), values.end(), value) != values.end()) return;
  values.push_back(std::move(value));
}

void AddDate(Entity& entity, DateKind kind, std::string_view text) {
  std::string value = NormalizePartialDate(text);
  if (value.empty()) return;
  for (const DateFact& d : entity.dates) {
    if (d.kind == kind && d.value == value) return;
  }
  entity.dates.push_back(DateFact{kind, std::move(value)});
}

void AddIdentifier(Entity& entity, IdKind kind, std::string value, std::string country,
                   std::string label) {
  for (const Identifier& id : entity.identifiers) {
    if (id.kind == kind && id.value == value && id.country == country) return;
  }
  entity.identifiers.push_back(
      Identifier{kind, std::move(value), std::move(country), std::move(label)});
}

// Adds a property unless the same key and value are already there (a
// repeated id restates what its first record said).
void AddPropertyOnce(Entity& entity, const char* key, std::string value) {
  for (const Property& p : entity.properties) {
    if (p.key == key && p.value == value) return;
  }
  entity.AddProperty(key, std::move(value));
}

void AddAddress(Entity& entity, Address address) {
  if (address.full.empty()) return;
  for (const Address& a : entity.addresses) {
    if (a.full == address.full) return;
  }
  entity.addresses.push_back(std::move(address));
}

// FtM writes countries as lower-case ISO codes ("ru"), sometimes with
// extensions of its own; known names and codes go through the country table,
// and any other two-letter code is kept as it is.
std::string FtmCountryCode(std::string_view value) {
  std::string code = CountryCode(value);
  if (!code.empty()) return code;
  if (value.size() == 2 && std::isalpha(static_cast<unsigned char>(value[0])) &&
      std::isalpha(static_cast<unsigned char>(value[1]))) {
    return ToUpperAscii(value);
  }
  return "";
}

IdKind IdentificationKind(std::string_view schema, std::string_view type) {
  if (schema == "Passport") return IdKind::kPassport;
  std::string lower = ToLowerAscii(type);
  if (lower.find("passport") != std::string::npos) return IdKind::kPassport;
  if (lower.find("national") != std::string::npos || lower.find("id card") != std::string::npos) {
    return IdKind::kNationalId;
  }
  if (lower.find("tax") != std::string::npos) return IdKind::kTax;
  return IdKind::kOther;
}

// The human-readable part of a nlohmann parse error ("syntax error while
// parsing value - invalid literal; last read: 'x'").
std::string ParseErrorText(const Json::parse_error& error) {
  std::string_view what = error.what();
  size_t column = what.find("column ");
  size_t colon = what.find(": ", column == std::string_view::npos ? 0 : column);
  if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
  return std::string(what);
}

// An FtM Address entity, kept until the things that point at it are known.
struct AddressEntity {
  Address address;
  std::string country;  // The country as the file wrote it.
};

// One buffered thing, with what can only be resolved once the whole file is
// read.
struct PendingEntity {
  Entity entity;
  std::vector<std::string> address_refs;  // FtM ids of Address entities.
};

// A Sanction, Passport or Identification row, applied to its target at the
// end of the file.
struct PendingAttachment {
  uint64_t line = 0;
  std::string ftm_id;
  std::string schema;
  Json props;
};

class FtmLoader {
 public:
  FtmLoader(const Input& input, EntitySink& sink, LoadReport& report)
      : input_(input), sink_(sink), report_(report) {}

  Status Run();

 private:
  // Handles one non-empty line. `first` is true for the first non-empty line
  // of the file, whose failure to parse means the file is not FtM at all.
  Status HandleLine(std::string_view line, size_t line_offset, uint64_t line_number, bool first);
  void AddThing(const std::string& ftm_id, Schema schema, const Json& props, const Json& object,
                uint64_t line_number);
  void AddAddressEntity(const std::string& ftm_id, const Json& props);
  void AddEdge(const EdgeSchema& edge, const std::string& ftm_id, const Json& props,
               uint64_t line_number);
  void ApplyAttachment(const PendingAttachment& attachment);
  void ApplySanction(const PendingAttachment& attachment, Entity& entity);
  void ApplyIdentification(const PendingAttachment& attachment, Entity& entity);
  void Finish();

  const Input& input_;
  EntitySink& sink_;
  LoadReport& report_;

  std::vector<PendingEntity> entities_;
  std::unordered_map<std::string, size_t> entity_index_;      // FtM id → index.
  std::unordered_map<std::string, AddressEntity> addresses_;  // By FtM id.
  std::vector<PendingAttachment> attachments_;
  std::vector<Relation> relations_;
};

Status FtmLoader::Run() {
  std::string_view data = StripBomAndEof(input_.data);
  // Offsets in messages are relative to the caller's bytes, BOM included.
  const size_t base = static_cast<size_t>(data.data() - input_.data.data());
  uint64_t line_number = 0;
  bool seen_content = false;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    std::string_view line = data.substr(pos, end - pos);
    ++line_number;
    if (!TrimAscii(line).empty()) {
      ++report_.rows;
      ICTS_RETURN_IF_ERROR(HandleLine(line, base + pos, line_number, !seen_content));
      seen_content = true;
    }
    pos = end + 1;
  }
  Finish();
  return Status::Ok();
}

Status FtmLoader::HandleLine(std::string_view line, size_t line_offset, uint64_t line_number,
                             bool first) {
  Json object;
  try {
    object = Json::parse(line.begin(), line.end());
  } catch (const Json::parse_error& error) {
    if (first) {
      size_t column = error.byte > 0 ? error.byte - 1 : 0;
      return ErrorAt(StatusCode::kInvalidArgument, input_.path, input_.data,
                     line_offset + std::min(column, line.size()),
                     fmt::format("not FollowTheMoney JSON lines: {}", ParseErrorText(error)));
    }
    report_.AddReject(
        input_.path, line_number,
        fmt::format("invalid JSON at byte {}: {}", error.byte, ParseErrorText(error)));
    return Status::Ok();
  } catch (const Json::exception& error) {
    // Numbers out of range and the like: valid shape, unusable value.
    report_.AddReject(input_.path, line_number, fmt::format("unreadable JSON: {}", error.what()));
    return Status::Ok();
  }

  if (!object.is_object()) {
    report_.AddReject(input_.path, line_number, "not a JSON object");
    return Status::Ok();
  }
  auto id_it = object.find("id");
  auto schema_it = object.find("schema");
  if (id_it == object.end() || !id_it->is_string() ||
      id_it->get_ref<const std::string&>().empty()) {
    report_.AddReject(input_.path, line_number, "entity has no \"id\"");
    return Status::Ok();
  }
  if (schema_it == object.end() || !schema_it->is_string() ||
      schema_it->get_ref<const std::string&>().empty()) {
    report_.AddReject(input_.path, line_number, "entity has no \"schema\"");
    return Status::Ok();
  }
  const std::string& ftm_id = id_it->get_ref<const std::string&>();
  const std::string& schema = schema_it->get_ref<const std::string&>();
  static const Json kNoProperties = Json::object();
  auto props_it = object.find("properties");
  const Json& props =
      (props_it != object.end() && props_it->is_object()) ? *props_it : kNoProperties;

  if (std::optional<Schema> thing = ThingSchema(schema)) {
    AddThing(ftm_id, *thing, props, object, line_number);
  } else if (schema == "Address") {
    AddAddressEntity(ftm_id, props);
  } else if (const EdgeSchema* edge = FindEdgeSchema(schema)) {
    AddEdge(*edge, ftm_id, props, line_number);
  } else if (schema == "Sanction" || schema == "Passport" || schema == "Identification") {
    attachments_.push_back(PendingAttachment{line_number, ftm_id, schema, props});
  }
  // Any other schema (Payment, Event, ...) is read and left out.
  return Status::Ok();
}

void FtmLoader::AddThing(const std::string& ftm_id, Schema schema, const Json& props,
                         const Json& object, uint64_t line_number) {
  std::vector<std::string> names = Values(props, "name");
  if (names.empty()) {
    // A person may come with name parts only.
    std::string composed;
    for (const char* part : {"firstName", "middleName", "lastName"}) {
      std::string value = FirstValue(props, part);
      if (value.empty()) continue;
      if (!composed.empty()) composed += ' ';
      composed += value;
    }
    if (!composed.empty()) names.push_back(std::move(composed));
  }

  auto [it, inserted] = entity_index_.try_emplace(ftm_id, entities_.size());
  if (inserted) {
    if (names.empty()) {
      entity_index_.erase(it);
      report_.AddReject(input_.path, line_number,
                        fmt::format("{} {} has no name", SchemaName(schema), ftm_id));
      return;
    }
    entities_.emplace_back();
    Entity& created = entities_.back().entity;
    created.id = PrefixedId(ftm_id);
    created.source_id = ftm_id;
    created.schema = schema;
  }
  // A repeated id adds its facts to the first record with that id.
  PendingEntity& pending = entities_[it->second];
  Entity& entity = pending.entity;

  for (std::string& name : names) {
    NameKind kind = entity.names.empty() ? NameKind::kPrimary : NameKind::kStrongAlias;
    entity.AddName(std::move(name), kind);
  }
  for (std::string& name : Values(props, "alias")) {
    entity.AddName(std::move(name), NameKind::kStrongAlias);
  }
  for (std::string& name : Values(props, "weakAlias")) {
    entity.AddName(std::move(name), NameKind::kWeakAlias);
  }
  for (std::string& name : Values(props, "previousName")) {
    entity.AddName(std::move(name), NameKind::kPrevious);
  }

  for (const CountryProperty& cp : kCountryProperties) {
    for (std::string& value : Values(props, cp.property)) {
      std::string code = FtmCountryCode(value);
      entity.AddCountry(std::move(code), cp.role, std::move(value));
    }
  }

  for (const IdProperty& ip : kIdProperties) {
    for (std::string& value : Values(props, ip.property)) {
      AddIdentifier(entity, ip.kind, std::move(value), "", ip.property);
    }
  }
  // An aircraft's registration is its tail number; for other things it is a
  // company or vessel register entry.
  IdKind registration_kind =
      schema == Schema::kAircraft ? IdKind::kAircraftTail : IdKind::kRegistration;
  for (std::string& value : Values(props, "registrationNumber")) {
    AddIdentifier(entity, registration_kind, std::move(value), "", "registrationNumber");
  }
  IdKind id_number_kind = schema == Schema::kPerson ? IdKind::kNationalId : IdKind::kOther;
  for (std::string& value : Values(props, "idNumber")) {
    AddIdentifier(entity, id_number_kind, std::move(value), "", "idNumber");
  }

  for (std::string& value : Values(props, "address")) {
    Address address;
    address.full = std::move(value);
    AddAddress(entity, std::move(address));
  }
  for (std::string& ref : Values(props, "addressEntity")) {
    AddUnique(pending.address_refs, std::move(ref));
  }

  for (const DateProperty& dp : kDateProperties) {
    for (const std::string& value : Values(props, dp.property)) {
      AddDate(entity, dp.kind, value);
    }
  }
  for (std::string& topic : Values(props, "topics")) {
    AddUnique(entity.topics, std::move(topic));
  }
  for (std::string& program : Values(props, "program")) {
    AddUnique(entity.programs, std::move(program));
  }
  for (const TextProperty& tp : kTextProperties) {
    for (std::string& value : Values(props, tp.property)) {
      AddPropertyOnce(entity, tp.key, std::move(value));
    }
  }
  for (std::string& dataset : Values(object, "datasets")) {
    AddPropertyOnce(entity, "dataset", std::move(dataset));
  }

  // FtM's "parent" names a controlling organisation without a share.
  for (std::string& parent : Values(props, "parent")) {
    Relation relation;
    relation.kind = RelationKind::kControl;
    relation.from_id = PrefixedId(parent);
    relation.to_id = entity.id;
    relation.role = "parent";
    relations_.push_back(std::move(relation));
  }
}

void FtmLoader::AddAddressEntity(const std::string& ftm_id, const Json& props) {
  Address address;
  address.full = FirstValue(props, "full");
  address.street = FirstValue(props, "street");
  address.city = FirstValue(props, "city");
  address.region = FirstValue(props, "region");
  if (address.region.empty()) address.region = FirstValue(props, "state");
  address.postal_code = FirstValue(props, "postalCode");
  std::string country = FirstValue(props, "country");
  address.country = FtmCountryCode(country);
  if (address.full.empty()) {
    for (const std::string* part :
         {&address.street, &address.city, &address.region, &address.postal_code, &country}) {
      if (part->empty()) continue;
      if (!address.full.empty()) address.full += ", ";
      address.full += *part;
    }
  }
  if (address.full.empty()) return;
  addresses_.insert_or_assign(ftm_id, AddressEntity{std::move(address), std::move(country)});
}

void FtmLoader::AddEdge(const EdgeSchema& edge, const std::string& ftm_id, const Json& props,
                        uint64_t line_number) {
  std::vector<std::string> from = Values(props, edge.from);
  std::vector<std::string> to = Values(props, edge.to);
  if (from.empty() || to.empty()) {
    report_.AddReject(
        input_.path, line_number,
        fmt::format("{} {} lacks \"{}\"", edge.schema, ftm_id, from.empty() ? edge.from : edge.to));
    return;
  }
  if (from.size() * to.size() > kMaxEdgePairs) {
    report_.AddReject(input_.path, line_number,
                      fmt::format("{} {} names {} x {} ends; at most {} pairings are read",
                                  edge.schema, ftm_id, from.size(), to.size(), kMaxEdgePairs));
    return;
  }
  Relation base;
  base.kind = edge.kind;
  base.id = PrefixedId(ftm_id);
  base.role = FirstValue(props, "role");
  if (base.role.empty()) base.role = FirstValue(props, "relationship");
  base.start_date = NormalizePartialDate(FirstValue(props, "startDate"));
  base.end_date = NormalizePartialDate(FirstValue(props, "endDate"));
  if (edge.kind == RelationKind::kOwnership) {
    std::string percentage = FirstValue(props, "percentage");
    double lo = 0;
    double hi = 0;
    if (!percentage.empty() && ParseShareRange(percentage, &lo, &hi)) {
      base.share_min = lo;
      base.share_max = hi;
    }
  }
  // FtM edges have one value at each end; should a source give several,
  // every pairing is a relation of its own.
  for (const std::string& source : from) {
    for (const std::string& target : to) {
      Relation relation = base;
      relation.from_id = PrefixedId(source);
      relation.to_id = PrefixedId(target);
      relations_.push_back(std::move(relation));
    }
  }
}

void FtmLoader::ApplyAttachment(const PendingAttachment& attachment) {
  const bool sanction = attachment.schema == "Sanction";
  const char* target_property = sanction ? "entity" : "holder";
  std::vector<std::string> targets = Values(attachment.props, target_property);
  if (targets.empty()) {
    report_.AddReject(
        input_.path, attachment.line,
        fmt::format("{} {} lacks \"{}\"", attachment.schema, attachment.ftm_id, target_property));
    return;
  }
  for (const std::string& target : targets) {
    auto it = entity_index_.find(target);
    if (it == entity_index_.end()) {
      report_.AddReject(input_.path, attachment.line,
                        fmt::format("{} {} refers to unknown entity {}", attachment.schema,
                                    attachment.ftm_id, target));
      continue;
    }
    Entity& entity = entities_[it->second].entity;
    if (sanction) {
      ApplySanction(attachment, entity);
    } else {
      ApplyIdentification(attachment, entity);
    }
  }
}

void FtmLoader::ApplySanction(const PendingAttachment& attachment, Entity& entity) {
  const Json& props = attachment.props;
  std::vector<std::string> programs = Values(props, "program");
  if (programs.empty()) programs = Values(props, "programId");
  for (const std::string& program : programs) {
    AddUnique(entity.programs, program);
  }
  std::vector<std::string> authorities = Values(props, "authority");
  for (const std::string& authority : authorities) {
    AddUnique(entity.lists, authority);
  }
  std::vector<std::string> listed = Values(props, "listingDate");
  if (listed.empty()) listed = Values(props, "startDate");
  for (const std::string& date : listed) {
    AddDate(entity, DateKind::kListed, date);
  }
  for (const std::string& date : Values(props, "endDate")) {
    AddDate(entity, DateKind::kDelisted, date);
  }
  AddUnique(entity.topics, "sanction");

  Citation citation;
  citation.fact = "sanction";
  citation.url = FirstValue(props, "sourceUrl");
  std::string authority = authorities.empty() ? std::string() : authorities[0];
  std::string program = programs.empty() ? std::string() : programs[0];
  if (!authority.empty() && !program.empty()) {
    citation.text = authority + ": " + program;
  } else {
    citation.text = authority.empty() ? program : authority;
  }
  if (!listed.empty()) citation.effective = NormalizePartialDate(listed[0]);
  if (citation.effective.size() != 10) citation.effective.clear();
  if (!citation.text.empty() || !citation.url.empty()) {
    entity.citations.push_back(std::move(citation));
  }
}

void FtmLoader::ApplyIdentification(const PendingAttachment& attachment, Entity& entity) {
  const Json& props = attachment.props;
  std::string number = FirstValue(props, "number");
  if (number.empty()) number = FirstValue(props, "passportNumber");
  if (number.empty()) return;  // A document with no number adds nothing.
  std::string type = FirstValue(props, "type");
  std::string country = FirstValue(props, "country");
  AddIdentifier(entity, IdentificationKind(attachment.schema, type), std::move(number),
                FtmCountryCode(country), type.empty() ? attachment.schema : type);
}

void FtmLoader::Finish() {
  for (const PendingAttachment& attachment : attachments_) {
    ApplyAttachment(attachment);
  }
  for (PendingEntity& pending : entities_) {
    for (const std::string& ref : pending.address_refs) {
      auto it = addresses_.find(ref);
      if (it == addresses_.end()) continue;  // Held by another dataset.
      const Address& address = it->second.address;
      std::vector<Address>& known = pending.entity.addresses;
      auto same = std::find_if(known.begin(), known.end(),
                               [&](const Address& a) { return a.full == address.full; });
      if (same != known.end()) {
        // Same text as a plain "address" value: keep the structured form.
        *same = address;
      } else {
        known.push_back(address);
      }
      if (!it->second.country.empty()) {
        pending.entity.AddCountry(address.country, CountryRole::kAddress, it->second.country);
      }
    }
  }

  // Names for relation ends that this file describes.
  std::unordered_map<std::string, std::string> names;
  for (const PendingEntity& pending : entities_) {
    names.emplace(pending.entity.id, pending.entity.PrimaryName());
  }
  for (PendingEntity& pending : entities_) {
    sink_.AddEntity(std::move(pending.entity));
    ++report_.entities;
  }
  for (Relation& relation : relations_) {
    if (auto it = names.find(relation.from_id); it != names.end()) {
      relation.from_name = it->second;
    }
    if (auto it = names.find(relation.to_id); it != names.end()) {
      relation.to_name = it->second;
    }
    sink_.AddRelation(std::move(relation));
    ++report_.relations;
  }
  entities_.clear();
  relations_.clear();
}

}  // namespace

Status LoadFtm(const Input& input, EntitySink& sink, LoadReport& report) {
  ICTS_RETURN_IF_ERROR(CheckUtf8(input));
  FtmLoader loader(input, sink, report);
  return loader.Run();
}

}  // namespace icts::refdata
