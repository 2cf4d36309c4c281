// SPDX 2.2 / 2.3 JSON and SPDX 3.0 JSON-LD, read with simdjson On-Demand.
//
// On-Demand reads forward only. SPDX 2 JSON is read in two passes over the
// same buffer: the first reads the document header (version, name,
// namespace, creators, how many files and snippets) so the version is
// checked and OnDocument is called before any package; the second streams
// packages and relationships. SPDX 3 is read in one pass into small records
// and sent to the sink once the graph's references can be resolved.
//
// Inside this file, wrong values are thrown as ValueError (with their JSON
// pointer) and simdjson failures as simdjson_error; ReadDocument turns both
// into a Status. Nothing is thrown past the public functions.
#include <simdjson.h>

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "inventory/spdx/spdx.h"
#include "inventory/spdx/spdx_common.h"

namespace icts::inventory {
namespace {

namespace od = simdjson::ondemand;
using spdx_internal::FormatHash;
using spdx_internal::IsNoAssertion;
using spdx_internal::KindForPurpose;
using spdx_internal::ParseAgent;
using spdx_internal::PointerToken;

// A value of the wrong shape at `pointer`.
struct ValueError {
  std::string pointer;
  std::string message;
};

// The sink asked to stop.
struct SinkStop {
  Status status;
};

void Check(Status status) {
  if (!status.ok()) throw SinkStop{std::move(status)};
}

std::string_view TypeName(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "an unknown value";
}

std::string Child(const std::string& pointer, std::string_view key) {
  return pointer + "/" + PointerToken(key);
}
std::string Child(const std::string& pointer, size_t index) {
  return pointer + "/" + std::to_string(index);
}

// A string value; null reads as "".
std::string ReadString(od::value value, const std::string& pointer) {
  od::json_type type = value.type();
  if (type == od::json_type::null) return {};
  if (type != od::json_type::string) {
    throw ValueError{pointer, fmt::format("expected a string, found {}", TypeName(type))};
  }
  std::string_view s = value.get_string();
  return std::string(s);
}

od::object ReadObject(od::value value, const std::string& pointer) {
  od::json_type type = value.type();
  if (type != od::json_type::object) {
    throw ValueError{pointer, fmt::format("expected an object, found {}", TypeName(type))};
  }
  return value.get_object();
}

od::array ReadArray(od::value value, const std::string& pointer) {
  od::json_type type = value.type();
  if (type != od::json_type::array) {
    throw ValueError{pointer, fmt::format("expected an array, found {}", TypeName(type))};
  }
  return value.get_array();
}

// An array of strings, or one string (SPDX 3 writes single references both
// ways).
std::vector<std::string> ReadStrings(od::value value, const std::string& pointer) {
  std::vector<std::string> out;
  od::json_type type = value.type();
  if (type == od::json_type::null) return out;
  if (type == od::json_type::string) {
    out.push_back(ReadString(value, pointer));
    return out;
  }
  size_t index = 0;
  for (auto element : ReadArray(value, pointer)) {
    out.push_back(ReadString(element.value(), Child(pointer, index)));
    ++index;
  }
  return out;
}

// Owns the padded copy of the input and formats errors against it.
class JsonInput {
 public:
  JsonInput(std::string name) : name_(std::move(name)) {}

  Status Load(std::string_view data) {
    if (StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
    buffer_ = simdjson::padded_string(data.data(), data.size());
    return Status::Ok();
  }

  Status LoadFile(const std::string& path) {
    auto loaded = simdjson::padded_string::load(path);
    if (loaded.error()) {
      // MappedFile gives the project's usual message (missing, permission...).
      auto mapped = MappedFile::Open(path);
      if (!mapped.ok()) return mapped.status();
      return Load(mapped->data());
    }
    buffer_ = std::move(loaded).value_unsafe();
    if (StartsWith(view(), "\xEF\xBB\xBF")) {
      std::string copy(view().substr(3));
      buffer_ = simdjson::padded_string(copy);
    }
    return Status::Ok();
  }

  std::string_view view() const { return {buffer_.data(), buffer_.size()}; }
  const std::string& name() const { return name_; }

  // Starts (or restarts) reading; stage-1 failures come back as a Status.
  Status Iterate(od::parser* parser, od::document* doc) {
    auto result = parser->iterate(buffer_);
    if (result.error()) return SyntaxError(result.error(), nullptr);
    *doc = std::move(result).value_unsafe();
    return Status::Ok();
  }

  // "file:line:col: JSON syntax error: ..." at the parser's position.
  Status SyntaxError(simdjson::error_code error, od::document* doc) const {
    size_t offset = buffer_.size();
    if (error == simdjson::UTF8_ERROR) {
      size_t bad = FindInvalidUtf8(view());
      if (bad != std::string_view::npos) offset = bad;
      LineCol at = LineColAt(view(), offset);
      return DataLossError(
          fmt::format("{}:{}:{}: invalid UTF-8 in JSON text", name_, at.line, at.column));
    }
    if (doc != nullptr) {
      const char* location = nullptr;
      if (!doc->current_location().get(location) && location != nullptr &&
          location >= buffer_.data() && location <= buffer_.data() + buffer_.size()) {
        offset = static_cast<size_t>(location - buffer_.data());
      }
    }
    std::string what = simdjson::error_message(error);
    if (buffer_.size() == 0 || error == simdjson::EMPTY) what = "the input is empty";
    if (error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
      // On-Demand checks the last structural character first, so a file
      // that is cut off or has text after its closing brace fails at the
      // start; point at the end instead.
      std::string_view text = TrimAscii(view());
      if (!text.empty() && text.back() != '}' && text.back() != ']') {
        offset = static_cast<size_t>(text.data() - buffer_.data()) + text.size() - 1;
        what =
            "the JSON text does not end with its closing '}' or ']' (the file is cut off, or "
            "other text follows the JSON)";
      }
    }
    LineCol at = LineColAt(view(), offset);
    return DataLossError(
        fmt::format("{}:{}:{}: JSON syntax error: {}", name_, at.line, at.column, what));
  }

  Status ValueStatus(const ValueError& error) const {
    std::string_view pointer = error.pointer;
    if (pointer.empty()) pointer = "(top level)";
    return InvalidArgumentError(fmt::format("{}: {}: {}", name_, pointer, error.message));
  }

 private:
  std::string name_;
  simdjson::padded_string buffer_;
};

// Runs `body` and turns what it throws into a Status.
template <typename Body>
Status Guarded(const JsonInput& input, od::document* doc, Body&& body) {
  try {
    return body();
  } catch (const ValueError& error) {
    return input.ValueStatus(error);
  } catch (const SinkStop& stop) {
    return stop.status;
  } catch (const simdjson::simdjson_error& error) {
    return input.SyntaxError(error.error(), doc);
  }
}

od::object RootObject(od::document& doc) {
  od::json_type type = doc.type();
  if (type != od::json_type::object) {
    throw ValueError{"", fmt::format("expected a JSON object, found {}", TypeName(type))};
  }
  return doc.get_object();
}

// Element ids seen so far, with where each was defined.
class IdRegistry {
 public:
  void Add(const std::string& id, const std::string& pointer, std::string_view what) {
    if (const std::string* first = TryAdd(id, pointer)) {
      throw ValueError{pointer,
                       fmt::format("duplicate {} \"{}\" (first defined at {})", what, id, *first)};
    }
  }
  // nullptr when `id` is new; else where it was first defined.
  const std::string* TryAdd(const std::string& id, const std::string& pointer) {
    auto [it, inserted] = first_.emplace(id, pointer);
    return inserted ? nullptr : &it->second;
  }

 private:
  std::unordered_map<std::string, std::string> first_;
};

// ---------------------------------------------------------------------------
// SPDX 2.2 / 2.3 JSON

struct Spdx2Header {
  std::string version;
  std::string id;
  std::string name;
  std::string namespace_uri;
  std::vector<OrgRef> creators;
  uint64_t files = 0;
  uint64_t snippets = 0;
};

void ReadCreationInfo(od::value value, const std::string& pointer, Spdx2Header* header) {
  for (auto field : ReadObject(value, pointer)) {
    std::string_view key = field.unescaped_key();
    if (key != "creators") continue;
    std::string creators_pointer = Child(pointer, key);
    size_t index = 0;
    for (auto element : ReadArray(field.value(), creators_pointer)) {
      std::string at = Child(creators_pointer, index++);
      std::string text = ReadString(element.value(), at);
      std::string agent_type;
      auto org = ParseAgent(text, "creator", &agent_type);
      if (!org) continue;
      if (agent_type == "Tool") org->role = "tool";
      org->pointer = at;
      header->creators.push_back(std::move(*org));
    }
  }
}

void ReadSpdx2Header(od::document& doc, Spdx2Header* header) {
  for (auto field : RootObject(doc)) {
    std::string_view key = field.unescaped_key();
    std::string pointer = Child("", key);
    if (key == "spdxVersion") {
      header->version = ReadString(field.value(), pointer);
    } else if (key == "SPDXID") {
      header->id = ReadString(field.value(), pointer);
    } else if (key == "name") {
      header->name = ReadString(field.value(), pointer);
    } else if (key == "documentNamespace") {
      header->namespace_uri = ReadString(field.value(), pointer);
    } else if (key == "creationInfo") {
      ReadCreationInfo(field.value(), pointer, header);
    } else if (key == "files" || key == "snippets") {
      od::array elements = ReadArray(field.value(), pointer);
      uint64_t count = elements.count_elements().value();
      (key == "files" ? header->files : header->snippets) += count;
    }
  }
}

void ReadExternalRef(od::value value, const std::string& pointer, Item* item) {
  std::string type, locator;
  for (auto field : ReadObject(value, pointer)) {
    std::string_view key = field.unescaped_key();
    if (key == "referenceType") {
      type = ReadString(field.value(), Child(pointer, key));
    } else if (key == "referenceLocator") {
      locator = ReadString(field.value(), Child(pointer, key));
    }
  }
  if (locator.empty()) return;
  if (type == "purl") {
    if (item->purl.empty()) {
      item->purl = locator;
    } else if (item->purl != locator) {
      item->properties.emplace_back("purl", locator);
    }
  } else if (type == "cpe22Type" || type == "cpe23Type") {
    item->cpes.push_back(locator);
  } else {
    item->properties.emplace_back("externalRef:" + type, locator);
  }
}

void ReadChecksum(od::value value, const std::string& pointer, Item* item) {
  std::string algorithm, checksum;
  for (auto field : ReadObject(value, pointer)) {
    std::string_view key = field.unescaped_key();
    if (key == "algorithm") {
      algorithm = ReadString(field.value(), Child(pointer, key));
    } else if (key == "checksumValue") {
      checksum = ReadString(field.value(), Child(pointer, key));
    }
  }
  if (algorithm.empty() || checksum.empty()) {
    throw ValueError{pointer, "a checksum needs both algorithm and checksumValue"};
  }
  item->hashes.push_back(FormatHash(algorithm, checksum));
}

Item ReadSpdx2Package(od::value value, const std::string& pointer, const std::string& file) {
  Item item;
  item.file = file;
  item.pointer = pointer;
  std::string summary;
  bool has_purpose = false;
  for (auto field : ReadObject(value, pointer)) {
    std::string_view key = field.unescaped_key();
    std::string at = Child(pointer, key);
    od::value v = field.value();
    if (key == "SPDXID") {
      item.ref = ReadString(v, at);
    } else if (key == "name") {
      item.name = ReadString(v, at);
    } else if (key == "versionInfo") {
      item.version = ReadString(v, at);
    } else if (key == "supplier" || key == "originator") {
      std::string agent_type;
      auto org = ParseAgent(ReadString(v, at), std::string(key), &agent_type);
      if (org) {
        org->pointer = at;
        item.orgs.push_back(std::move(*org));
      }
    } else if (key == "externalRefs") {
      size_t index = 0;
      for (auto element : ReadArray(v, at))
        ReadExternalRef(element.value(), Child(at, index++), &item);
    } else if (key == "checksums") {
      size_t index = 0;
      for (auto element : ReadArray(v, at))
        ReadChecksum(element.value(), Child(at, index++), &item);
    } else if (key == "primaryPackagePurpose") {
      item.type = ReadString(v, at);
      has_purpose = !item.type.empty();
    } else if (key == "description") {
      item.description = ReadString(v, at);
    } else if (key == "summary") {
      summary = ReadString(v, at);
    } else if (key == "downloadLocation" || key == "homepage" || key == "licenseConcluded" ||
               key == "licenseDeclared") {
      std::string text = ReadString(v, at);
      if (!IsNoAssertion(text)) item.properties.emplace_back(std::string(key), std::move(text));
    }
  }
  if (item.ref.empty()) throw ValueError{pointer, "package has no SPDXID"};
  if (item.name.empty()) throw ValueError{pointer, "package has no name"};
  if (item.description.empty()) item.description = std::move(summary);
  // SPDX 2.2 has no purpose field; its packages are software packages.
  item.kind = has_purpose ? KindForPurpose(item.type) : "software";
  return item;
}

// The SPDXID of a file or snippet (for duplicate checks).
std::string ReadElementId(od::value value, const std::string& pointer) {
  std::string id;
  for (auto field : ReadObject(value, pointer)) {
    std::string_view key = field.unescaped_key();
    if (key == "SPDXID") id = ReadString(field.value(), Child(pointer, key));
  }
  if (id.empty()) throw ValueError{pointer, "element has no SPDXID"};
  return id;
}

void ReadRelationship(od::value value, const std::string& pointer, ItemSink* sink) {
  std::string from, type, to;
  for (auto field : ReadObject(value, pointer)) {
    std::string_view key = field.unescaped_key();
    if (key == "spdxElementId") {
      from = ReadString(field.value(), Child(pointer, key));
    } else if (key == "relationshipType") {
      type = ReadString(field.value(), Child(pointer, key));
    } else if (key == "relatedSpdxElement") {
      to = ReadString(field.value(), Child(pointer, key));
    }
  }
  if (from.empty()) throw ValueError{pointer, "relationship has no spdxElementId"};
  if (type.empty()) throw ValueError{pointer, "relationship has no relationshipType"};
  if (to.empty()) throw ValueError{pointer, "relationship has no relatedSpdxElement"};
  Check(sink->OnRelation(from, type, to));
}

Status ReadSpdx2(JsonInput& input, ItemSink* sink) {
  od::parser parser;
  od::document doc;
  ICTS_RETURN_IF_ERROR(input.Iterate(&parser, &doc));
  Spdx2Header header;
  ICTS_RETURN_IF_ERROR(Guarded(input, &doc, [&]() -> Status {
    ReadSpdx2Header(doc, &header);
    return Status::Ok();
  }));
  if (header.version.empty()) {
    return InvalidArgumentError(
        fmt::format("{}: not an SPDX 2 JSON document: there is no \"spdxVersion\"", input.name()));
  }
  if (header.version != "SPDX-2.2" && header.version != "SPDX-2.3") {
    return InvalidArgumentError(
        fmt::format("{}: /spdxVersion: unsupported SPDX version \"{}\" (this reader takes "
                    "SPDX-2.2 and SPDX-2.3 JSON)",
                    input.name(), header.version));
  }
  DocumentInfo info;
  info.file = input.name();
  info.format = "spdx-json";
  info.spec_version = header.version;
  info.serial = header.namespace_uri;
  info.name = header.name;
  info.creators = std::move(header.creators);
  if (header.files + header.snippets > 0) {
    info.warnings.push_back(fmt::format(
        "{}: {} files and {} snippets are listed; SPDX files and snippets are not inventory "
        "items and were skipped",
        input.name(), header.files, header.snippets));
  }
  ICTS_RETURN_IF_ERROR(sink->OnDocument(info));

  ICTS_RETURN_IF_ERROR(input.Iterate(&parser, &doc));
  return Guarded(input, &doc, [&]() -> Status {
    IdRegistry ids;
    if (!header.id.empty()) ids.Add(header.id, "/SPDXID", "SPDXID");
    for (auto field : RootObject(doc)) {
      std::string_view key = field.unescaped_key();
      std::string pointer = Child("", key);
      if (key == "packages") {
        size_t index = 0;
        for (auto element : ReadArray(field.value(), pointer)) {
          std::string at = Child(pointer, index++);
          Item item = ReadSpdx2Package(element.value(), at, input.name());
          ids.Add(item.ref, at, "SPDXID");
          Check(sink->OnItem(std::move(item)));
        }
      } else if (key == "files" || key == "snippets") {
        size_t index = 0;
        for (auto element : ReadArray(field.value(), pointer)) {
          std::string at = Child(pointer, index++);
          ids.Add(ReadElementId(element.value(), at), at, "SPDXID");
        }
      } else if (key == "relationships") {
        size_t index = 0;
        for (auto element : ReadArray(field.value(), pointer)) {
          ReadRelationship(element.value(), Child(pointer, index++), sink);
        }
      } else if (key == "documentDescribes") {
        std::vector<std::string> described = ReadStrings(field.value(), pointer);
        std::string from = header.id.empty() ? "SPDXRef-DOCUMENT" : header.id;
        for (const std::string& to : described) Check(sink->OnRelation(from, "DESCRIBES", to));
      }
    }
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------
// SPDX 3.0 JSON-LD

// One graph element, with every field any of the kept element types uses.
struct Element {
  std::string id;
  std::string type;
  std::string pointer;
  std::string name, description, summary;
  std::string version, purl, purpose, download, homepage;
  std::vector<std::pair<std::string, std::string>> supplied_by;    // (id, pointer)
  std::vector<std::pair<std::string, std::string>> originated_by;  // (id, pointer)
  std::vector<std::string> cpes;
  std::vector<std::pair<std::string, std::string>> identifiers;  // (type, identifier)
  std::vector<std::string> hashes;
  // Relationship.
  std::string from, relationship_type;
  std::vector<std::string> to;
  // CreationInfo.
  std::vector<std::string> created_by, created_using;
  std::string spec_version;
  std::string creation_info;  // Reference from an element to its CreationInfo.
};

struct Agent {
  std::string name;
  std::string type;
};

struct CreationInfo {
  std::vector<std::string> created_by, created_using;
  std::string spec_version;
};

constexpr int kMaxInlineDepth = 4;

class Spdx3Reader {
 public:
  explicit Spdx3Reader(const std::string& file) : file_(file) {}

  void ReadRoot(od::document& doc) {
    bool have_graph = false;
    for (auto field : RootObject(doc)) {
      std::string_view key = field.unescaped_key();
      std::string pointer = Child("", key);
      if (key == "@context") {
        ReadContext(field.value(), pointer);
      } else if (key == "@graph") {
        have_graph = true;
        size_t index = 0;
        for (auto element : ReadArray(field.value(), pointer)) {
          std::string at = Child(pointer, index++);
          Keep(ReadElement(element.value(), at, 0));
        }
      }
    }
    if (context_.empty()) {
      throw ValueError{"", "not an SPDX 3 JSON-LD document: there is no \"@context\""};
    }
    if (!have_graph) throw ValueError{"", "SPDX 3 document has no \"@graph\""};
  }

  Status Emit(ItemSink* sink) {
    DocumentInfo info;
    info.file = file_;
    info.format = "spdx3-jsonld";
    info.name = document_name_;
    info.serial = document_id_;
    const CreationInfo* doc_info = nullptr;
    if (auto it = creation_infos_.find(document_creation_info_); it != creation_infos_.end()) {
      doc_info = &it->second;
    } else if (!creation_infos_.empty()) {
      doc_info = &creation_infos_.at(first_creation_info_);
    }
    info.spec_version = context_version_;
    if (doc_info != nullptr) {
      if (!doc_info->spec_version.empty()) info.spec_version = doc_info->spec_version;
      for (const std::string& id : doc_info->created_by) AddCreator(id, "creator", &info);
      for (const std::string& id : doc_info->created_using) AddCreator(id, "tool", &info);
    }
    if (!StartsWith(info.spec_version, "3.0")) {
      return InvalidArgumentError(
          fmt::format("{}: unsupported SPDX specVersion \"{}\" (this reader takes SPDX 3.0)", file_,
                      info.spec_version));
    }
    size_t unresolved = 0;
    std::string first_unresolved;
    for (Item& item : items_) {
      for (OrgRef& org : item.orgs) {
        auto it = agents_.find(org.name);  // Holds the referenced id until resolved.
        if (it != agents_.end() && !it->second.name.empty()) {
          org.name = it->second.name;
        } else {
          if (unresolved++ == 0) first_unresolved = org.pointer + " → " + org.name;
          org.name.clear();
        }
      }
      std::erase_if(item.orgs, [](const OrgRef& org) { return org.name.empty(); });
    }
    if (files_ + snippets_ > 0) {
      info.warnings.push_back(fmt::format(
          "{}: {} files and {} snippets are listed; SPDX files and snippets are not inventory "
          "items and were skipped",
          file_, files_, snippets_));
    }
    for (std::string& warning : warnings_) info.warnings.push_back(std::move(warning));
    if (unresolved > 0) {
      info.warnings.push_back(
          fmt::format("{}: {} supplier/originator references name no agent with a name in this "
                      "document and were dropped (first: {})",
                      file_, unresolved, first_unresolved));
    }
    ICTS_RETURN_IF_ERROR(sink->OnDocument(info));
    for (Item& item : items_) ICTS_RETURN_IF_ERROR(sink->OnItem(std::move(item)));
    for (const Element& rel : relationships_) {
      for (const std::string& to : rel.to) {
        if (to.empty()) continue;
        ICTS_RETURN_IF_ERROR(sink->OnRelation(rel.from, rel.relationship_type, to));
      }
    }
    return Status::Ok();
  }

 private:
  void ReadContext(od::value value, const std::string& pointer) {
    std::vector<std::string> contexts;
    od::json_type type = value.type();
    if (type == od::json_type::string || type == od::json_type::array) {
      size_t index = 0;
      if (type == od::json_type::string) {
        contexts.push_back(ReadString(value, pointer));
      } else {
        for (auto element : value.get_array()) {
          od::value v = element.value();
          if (v.type() == od::json_type::string) {
            contexts.push_back(ReadString(v, Child(pointer, index)));
          }
          ++index;
        }
      }
    }
    for (const std::string& context : contexts) {
      size_t at = context.find("spdx.org/rdf/");
      if (at == std::string::npos) continue;
      std::string_view rest = std::string_view(context).substr(at + 13);
      std::string_view version = rest.substr(0, rest.find('/'));
      if (!StartsWith(version, "3.0")) {
        throw ValueError{pointer, fmt::format("unsupported SPDX context \"{}\" (this reader takes "
                                              "SPDX 3.0.x)",
                                              context)};
      }
      context_ = context;
      context_version_ = std::string(version);
      return;
    }
    throw ValueError{pointer,
                     "not an SPDX 3 context (expected "
                     "https://spdx.org/rdf/3.0.x/spdx-context.jsonld)"};
  }

  // "https://spdx.org/rdf/3.0.1/terms/Software/Package" → "software_Package".
  static std::string CompactType(std::string type) {
    size_t terms = type.find("/terms/");
    if (terms == std::string::npos) return type;
    std::string rest = type.substr(terms + 7);
    size_t slash = rest.find('/');
    if (slash == std::string::npos) return rest;
    std::string profile = rest.substr(0, slash);
    std::string name = rest.substr(slash + 1);
    if (profile == "Core") return name;
    return ToLowerAscii(profile) + "_" + name;
  }

  // References to other elements: a string, an inline object or an array of
  // either. Inline elements are kept under a made-up id.
  std::vector<std::pair<std::string, std::string>> ReadRefs(od::value value,
                                                            const std::string& pointer, int depth) {
    std::vector<std::pair<std::string, std::string>> out;
    od::json_type type = value.type();
    if (type == od::json_type::null) return out;
    if (type == od::json_type::array) {
      size_t index = 0;
      for (auto element : value.get_array()) {
        auto refs = ReadRefs(element.value(), Child(pointer, index++), depth);
        for (auto& ref : refs) out.push_back(std::move(ref));
      }
      return out;
    }
    if (type == od::json_type::object) {
      Element inline_element = ReadElement(value, pointer, depth + 1);
      if (inline_element.id.empty()) inline_element.id = "_:inline" + pointer;
      std::string id = inline_element.id;
      Keep(std::move(inline_element));
      out.emplace_back(std::move(id), pointer);
      return out;
    }
    out.emplace_back(ReadString(value, pointer), pointer);
    return out;
  }

  Element ReadElement(od::value value, const std::string& pointer, int depth) {
    if (depth > kMaxInlineDepth) throw ValueError{pointer, "inline elements nested too deeply"};
    Element e;
    e.pointer = pointer;
    for (auto field : ReadObject(value, pointer)) {
      std::string_view key = field.unescaped_key();
      std::string at = Child(pointer, key);
      od::value v = field.value();
      if (key == "spdxId" || key == "@id") {
        e.id = ReadString(v, at);
      } else if (key == "type" || key == "@type") {
        e.type = CompactType(ReadString(v, at));
      } else if (key == "name") {
        e.name = ReadString(v, at);
      } else if (key == "description") {
        e.description = ReadString(v, at);
      } else if (key == "summary") {
        e.summary = ReadString(v, at);
      } else if (key == "software_packageVersion") {
        e.version = ReadString(v, at);
      } else if (key == "software_packageUrl") {
        e.purl = ReadString(v, at);
      } else if (key == "software_primaryPurpose") {
        e.purpose = ReadString(v, at);
      } else if (key == "software_downloadLocation") {
        e.download = ReadString(v, at);
      } else if (key == "software_homePage") {
        e.homepage = ReadString(v, at);
      } else if (key == "suppliedBy") {
        e.supplied_by = ReadRefs(v, at, depth);
      } else if (key == "originatedBy") {
        e.originated_by = ReadRefs(v, at, depth);
      } else if (key == "externalIdentifier") {
        ReadIdentifiers(v, at, &e);
      } else if (key == "verifiedUsing") {
        ReadHashes(v, at, &e);
      } else if (key == "from") {
        e.from = ReadString(v, at);
      } else if (key == "to") {
        e.to = ReadStrings(v, at);
      } else if (key == "relationshipType") {
        e.relationship_type = ReadString(v, at);
      } else if (key == "createdBy") {
        for (auto& ref : ReadRefs(v, at, depth)) e.created_by.push_back(std::move(ref.first));
      } else if (key == "createdUsing") {
        for (auto& ref : ReadRefs(v, at, depth)) e.created_using.push_back(std::move(ref.first));
      } else if (key == "specVersion") {
        e.spec_version = ReadString(v, at);
      } else if (key == "creationInfo") {
        auto refs = ReadRefs(v, at, depth);
        if (!refs.empty()) e.creation_info = std::move(refs.front().first);
      }
    }
    return e;
  }

  void ReadIdentifiers(od::value value, const std::string& pointer, Element* e) {
    size_t index = 0;
    od::json_type type = value.type();
    if (type == od::json_type::object) {
      ReadIdentifier(value, pointer, e);
      return;
    }
    for (auto element : ReadArray(value, pointer)) {
      ReadIdentifier(element.value(), Child(pointer, index++), e);
    }
  }

  void ReadIdentifier(od::value value, const std::string& pointer, Element* e) {
    std::string type, identifier;
    for (auto field : ReadObject(value, pointer)) {
      std::string_view key = field.unescaped_key();
      if (key == "externalIdentifierType") {
        type = ReadString(field.value(), Child(pointer, key));
      } else if (key == "identifier") {
        identifier = ReadString(field.value(), Child(pointer, key));
      }
    }
    if (!identifier.empty()) e->identifiers.emplace_back(std::move(type), std::move(identifier));
  }

  void ReadHashes(od::value value, const std::string& pointer, Element* e) {
    size_t index = 0;
    if (value.type() == od::json_type::object) {
      ReadHash(value, pointer, e);
      return;
    }
    for (auto element : ReadArray(value, pointer)) {
      ReadHash(element.value(), Child(pointer, index++), e);
    }
  }

  void ReadHash(od::value value, const std::string& pointer, Element* e) {
    std::string type, algorithm, hash;
    for (auto field : ReadObject(value, pointer)) {
      std::string_view key = field.unescaped_key();
      if (key == "type" || key == "@type") {
        type = ReadString(field.value(), Child(pointer, key));
      } else if (key == "algorithm") {
        algorithm = ReadString(field.value(), Child(pointer, key));
      } else if (key == "hashValue") {
        hash = ReadString(field.value(), Child(pointer, key));
      }
    }
    // PackageVerificationCode and other integrity methods are not hashes.
    if (type != "Hash" || algorithm.empty() || hash.empty()) return;
    e->hashes.push_back(FormatHash(algorithm, hash));
  }

  static bool IsPackageType(const std::string& type) {
    return type == "software_Package" || type == "ai_AIPackage" || type == "dataset_DatasetPackage";
  }
  static bool IsAgentType(const std::string& type) {
    return type == "Organization" || type == "Person" || type == "SoftwareAgent" ||
           type == "Agent" || type == "Tool";
  }

  void Keep(Element&& e) {
    if (e.type.empty()) throw ValueError{e.pointer, "element has no \"type\""};
    if (!e.id.empty()) {
      if (IsPackageType(e.type)) {
        ids_.Add(e.id, e.pointer, "element id");
      } else if (const std::string* first = ids_.TryAdd(e.id, e.pointer)) {
        // JSON-LD merges node objects with one @id, so a repeated element
        // that is not a package (seen: a relationship written twice) is kept
        // once, with a warning.
        warnings_.push_back(
            fmt::format("{}: {}: element id \"{}\" is defined again (first at "
                        "{}); the repetition was skipped",
                        file_, e.pointer, e.id, *first));
        return;
      }
    }
    if (IsPackageType(e.type)) {
      if (e.id.empty()) throw ValueError{e.pointer, "package has no \"spdxId\""};
      if (e.name.empty()) throw ValueError{e.pointer, "package has no name"};
      items_.push_back(ToItem(std::move(e)));
    } else if (IsAgentType(e.type)) {
      if (!e.id.empty()) agents_[e.id] = Agent{std::move(e.name), std::move(e.type)};
    } else if (e.type == "Relationship" || e.type == "LifecycleScopedRelationship") {
      if (e.from.empty()) throw ValueError{e.pointer, "relationship has no \"from\""};
      if (e.relationship_type.empty()) {
        throw ValueError{e.pointer, "relationship has no \"relationshipType\""};
      }
      relationships_.push_back(std::move(e));
    } else if (e.type == "CreationInfo") {
      if (e.id.empty()) return;  // Unreachable: nothing can refer to it.
      if (first_creation_info_.empty()) first_creation_info_ = e.id;
      creation_infos_[e.id] = CreationInfo{std::move(e.created_by), std::move(e.created_using),
                                           std::move(e.spec_version)};
    } else if (e.type == "SpdxDocument") {
      if (document_id_.empty()) {
        document_id_ = e.id;
        document_name_ = e.name;
        document_creation_info_ = e.creation_info;
      }
    } else if (e.type == "software_File") {
      ++files_;
    } else if (e.type == "software_Snippet") {
      ++snippets_;
    }
  }

  Item ToItem(Element&& e) {
    Item item;
    item.ref = std::move(e.id);
    item.file = file_;
    item.pointer = e.pointer;
    item.name = std::move(e.name);
    item.version = std::move(e.version);
    item.description = e.description.empty() ? std::move(e.summary) : std::move(e.description);
    item.purl = std::move(e.purl);
    item.type = e.purpose;
    if (e.type == "dataset_DatasetPackage") {
      item.kind = "data";
    } else {
      item.kind = e.purpose.empty() ? "software" : KindForPurpose(e.purpose);
    }
    for (auto& [type, identifier] : e.identifiers) {
      if (type == "cpe22" || type == "cpe23") {
        item.cpes.push_back(std::move(identifier));
      } else if (type == "packageUrl" && item.purl.empty()) {
        item.purl = std::move(identifier);
      } else {
        item.properties.emplace_back("externalIdentifier:" + type, std::move(identifier));
      }
    }
    item.hashes = std::move(e.hashes);
    if (!IsNoAssertion(e.download)) item.properties.emplace_back("downloadLocation", e.download);
    if (!e.homepage.empty()) item.properties.emplace_back("homepage", e.homepage);
    if (e.type != "software_Package") item.properties.emplace_back("spdxType", e.type);
    // The names are resolved in Emit; until then OrgRef::name holds the id.
    for (auto& [id, at] : e.supplied_by) {
      item.orgs.push_back(OrgRef{"supplier", id, "", "", "", at});
    }
    for (auto& [id, at] : e.originated_by) {
      item.orgs.push_back(OrgRef{"originator", id, "", "", "", at});
    }
    return item;
  }

  void AddCreator(const std::string& id, const std::string& role, DocumentInfo* info) {
    auto it = agents_.find(id);
    if (it == agents_.end() || it->second.name.empty()) return;
    OrgRef org;
    org.role = it->second.type == "Tool" ? "tool" : role;
    org.name = it->second.name;
    for (const OrgRef& existing : info->creators) {
      if (existing.role == org.role && existing.name == org.name) return;
    }
    info->creators.push_back(std::move(org));
  }

  std::string file_;
  std::string context_, context_version_;
  std::string document_id_, document_name_, document_creation_info_;
  std::string first_creation_info_;
  IdRegistry ids_;
  std::vector<Item> items_;
  std::unordered_map<std::string, Agent> agents_;
  std::unordered_map<std::string, CreationInfo> creation_infos_;
  std::vector<Element> relationships_;
  uint64_t files_ = 0, snippets_ = 0;
  std::vector<std::string> warnings_;
};

Status ReadSpdx3(JsonInput& input, ItemSink* sink) {
  od::parser parser;
  od::document doc;
  ICTS_RETURN_IF_ERROR(input.Iterate(&parser, &doc));
  Spdx3Reader reader(input.name());
  ICTS_RETURN_IF_ERROR(Guarded(input, &doc, [&]() -> Status {
    reader.ReadRoot(doc);
    return Status::Ok();
  }));
  return reader.Emit(sink);
}

}  // namespace

Status ReadSpdxJson(std::string_view data, const std::string& name, ItemSink* sink) {
  JsonInput input(name);
  ICTS_RETURN_IF_ERROR(input.Load(data));
  return ReadSpdx2(input, sink);
}

Status ReadSpdxJson(const std::string& path, ItemSink* sink) {
  JsonInput input(path);
  ICTS_RETURN_IF_ERROR(input.LoadFile(path));
  return ReadSpdx2(input, sink);
}

Status ReadSpdx3JsonLd(std::string_view data, const std::string& name, ItemSink* sink) {
  JsonInput input(name);
  ICTS_RETURN_IF_ERROR(input.Load(data));
  return ReadSpdx3(input, sink);
}

Status ReadSpdx3JsonLd(const std::string& path, ItemSink* sink) {
  JsonInput input(path);
  ICTS_RETURN_IF_ERROR(input.LoadFile(path));
  return ReadSpdx3(input, sink);
}

}  // namespace icts::inventory
