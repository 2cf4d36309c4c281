// CycloneDX XML reader on pugixml. The whole file is parsed into a DOM
// (pugixml keeps about 2-3× the file size); pugixml's parser is iterative
// and never resolves external entities. Nested components and services are
// walked with an explicit stack.
#include <pugixml.hpp>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/file.h"
#include "inventory/cyclonedx/cyclonedx.h"
#include "inventory/cyclonedx/ref_table.h"
#include "inventory/cyclonedx/schema_checks.h"

namespace icts::inventory {
namespace {

using cyclonedx::RefTable;

constexpr std::string_view kNamespacePrefix = "http://cyclonedx.org/schema/bom/";
constexpr int kMaxDetachedDepth = 64;
constexpr size_t kMaxWarnings = 20;

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Text of an element with surrounding whitespace removed.
std::string Text(const pugi::xml_node& node) {
  std::string_view s = node.child_value();
  if (node.first_child() && node.first_child().type() == pugi::node_cdata) {
    s = node.first_child().value();
  }
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// The namespace prefix of the <bom> element being read ("" for the default
// namespace). Elements with another prefix are extensions and are skipped.
thread_local std::string_view bom_prefix;

bool InBomNamespace(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) return bom_prefix.empty();
  return name.substr(0, colon) == bom_prefix;
}

template <typename Fn>
void ForChildren(const pugi::xml_node& node, Fn fn) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && InBomNamespace(c)) fn(c, LocalName(c));
  }
}

RefTable::Handle HandleOf(const pugi::xml_node& node) {
  return reinterpret_cast<uintptr_t>(node.internal_object());
}
pugi::xml_node NodeOf(RefTable::Handle h) {
  return pugi::xml_node(reinterpret_cast<pugi::xml_node_struct*>(static_cast<uintptr_t>(h)));
}

struct Frame {
  pugi::xml_node node;
  std::string path;
  bool is_service;
  uint32_t depth;
  Item item;
  std::vector<Item> pending;  // Unused in XML: refs are attributes, known up front.
  pugi::xml_node next_child;  // Next nested component/service element to visit.
  std::string children_path;
  size_t child_index = 0;
  bool children_started = false;
};

class XmlReader {
 public:
  XmlReader(std::string_view data, const std::string& name, ItemSink* sink)
      : data_(data), name_(name), sink_(sink) {
    info_.file = name;
    info_.format = "cyclonedx-xml";
  }

  Status Run();

 private:
  Status At(const pugi::xml_node& node, std::string_view path, std::string_view message) const {
    // offset_debug() is the offset of the element name, just after '<'.
    size_t offset = node ? static_cast<size_t>(node.offset_debug()) : 0;
    if (offset > 0 && node.type() == pugi::node_element) --offset;
    LineCol lc = LineColAt(data_, offset);
    return InvalidArgumentError(
        fmt::format("{}:{}:{}: {}: {}", name_, lc.line, lc.column, path, message));
  }
  static std::string ChildPath(const std::string& path, std::string_view name, size_t index) {
    return fmt::format("{}/{}[{}]", path, name, index);
  }
  // Path of a component or service element, as the items' paths are written:
  // component and service elements carry their 1-based index among siblings.
  static std::string PathOf(pugi::xml_node node) {
    std::vector<std::string> parts;
    for (; node && node.type() == pugi::node_element; node = node.parent()) {
      size_t index = 1;
      std::string_view name = LocalName(node);
      for (pugi::xml_node s = node.previous_sibling(); s; s = s.previous_sibling()) {
        if (s.type() == pugi::node_element && LocalName(s) == name) ++index;
      }
      bool indexed = name == "component" || name == "service";
      parts.push_back(indexed ? fmt::format("{}[{}]", name, index) : std::string(name));
    }
    std::string out;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += "/" + *it;
    return out;
  }

  Status ReadMetadata(const pugi::xml_node& metadata, const std::string& path);
  Status ReadOrg(const pugi::xml_node& node, std::string_view role, const std::string& path,
                 OrgRef* org);
  Status ReadItems(const pugi::xml_node& container, const std::string& path, bool services,
                   bool single);
  Status ReadFields(Frame& frame, int detached_depth);
  Status CheckItem(const pugi::xml_node& node, const std::string& path, bool is_service,
                   int detached_depth, Item* item);
  Status ReadDetached(const pugi::xml_node& node, const std::string& path, int depth);
  Status ReadPedigree(const pugi::xml_node& node, const std::string& path, int depth);
  Status ReadLicenses(const pugi::xml_node& node, const std::string& path);
  Status ReadProperties(const pugi::xml_node& node, const std::string& path, Item* item);
  Status ReadHashes(const pugi::xml_node& node, const std::string& path, Item* item);
  Status ReadDependencies(const pugi::xml_node& node, const std::string& path);
  Status ReadCitations(const pugi::xml_node& node, const std::string& path);
  Status Finish();

  std::string_view data_;
  std::string name_;
  ItemSink* sink_;
  DocumentInfo info_;
  int minor_ = 0;
  RefTable refs_;
};

Status XmlReader::Run() {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer(data_.data(), data_.size(), pugi::parse_default, pugi::encoding_auto);
  if (!parsed) {
    LineCol lc = LineColAt(data_, static_cast<size_t>(parsed.offset));
    return InvalidArgumentError(fmt::format("{}:{}:{}: XML syntax error: {}", name_, lc.line,
                                            lc.column, parsed.description()));
  }
  pugi::xml_node bom = doc.document_element();
  if (!bom || LocalName(bom) != "bom") {
    return InvalidArgumentError(
        fmt::format("{}: not a CycloneDX document: the root element is not <bom>", name_));
  }
  std::string_view root_name = bom.name();
  size_t colon = root_name.find(':');
  bom_prefix = colon == std::string_view::npos ? std::string_view() : root_name.substr(0, colon);
  std::string xmlns = colon == std::string_view::npos
                          ? std::string("xmlns")
                          : "xmlns:" + std::string(root_name.substr(0, colon));
  std::string_view ns = bom.attribute(xmlns.c_str()).value();
  if (ns.substr(0, kNamespacePrefix.size()) != kNamespacePrefix) {
    return At(bom, "/bom",
              fmt::format("namespace \"{}\" is not a CycloneDX namespace ({}1.2 … 1.7)", ns,
                          kNamespacePrefix));
  }
  std::string_view version = ns.substr(kNamespacePrefix.size());
  minor_ = cyclonedx::SpecMinor(version);
  if (minor_ == 0) {
    return At(bom, "/bom",
              fmt::format("unsupported CycloneDX namespace \"{}\" (this reader accepts 1.2 to "
                          "1.7)",
                          ns));
  }
  info_.spec_version = std::string(version);
  if (pugi::xml_attribute serial = bom.attribute("serialNumber")) {
    if (!cyclonedx::IsSerialNumber(serial.value())) {
      return At(bom, "/bom/@serialNumber",
                fmt::format("serialNumber \"{}\" is not a urn:uuid: URN", serial.value()));
    }
    info_.serial = serial.value();
  }
  Status status;
  ForChildren(bom, [&](const pugi::xml_node& c, std::string_view name) {
    if (!status.ok()) return;
    std::string path = "/bom/" + std::string(name);
    if (name == "metadata") {
      status = ReadMetadata(c, path);
    } else if (name == "components") {
      status = ReadItems(c, path, false, false);
    } else if (name == "services") {
      status = ReadItems(c, path, true, false);
    } else if (name == "dependencies") {
      status = ReadDependencies(c, path);
    } else if (name == "citations") {
      status = ReadCitations(c, path);
    }
  });
  ICTS_RETURN_IF_ERROR(status);
  return Finish();
}

Status XmlReader::ReadOrg(const pugi::xml_node& node, std::string_view role,
                          const std::string& path, OrgRef* org) {
  org->role = std::string(role);
  org->pointer = path;
  ForChildren(node, [&](const pugi::xml_node& c, std::string_view name) {
    if (name == "name") {
      org->name = Text(c);
    } else if (name == "url" && org->url.empty()) {
      org->url = Text(c);
    } else if (name == "contact" && org->email.empty()) {
      org->email = Text(c.child("email"));
    } else if (name == "address") {
      org->country = Text(c.child("country"));
    }
  });
  return Status::Ok();
}

Status XmlReader::ReadMetadata(const pugi::xml_node& metadata, const std::string& path) {
  Status status;
  ForChildren(metadata, [&](const pugi::xml_node& c, std::string_view name) {
    if (!status.ok()) return;
    std::string p = path + "/" + std::string(name);
    if (!cyclonedx::IsMetadataKey(name, minor_)) {
      status = At(c, p, fmt::format("unknown metadata element <{}>", name));
    } else if (name == "timestamp") {
      std::string ts = Text(c);
      if (!cyclonedx::IsDateTime(ts)) {
        status = At(c, p, fmt::format("timestamp \"{}\" is not an RFC 3339 date-time", ts));
      }
    } else if (name == "component") {
      status = ReadItems(c, p, false, true);
    } else if (name == "supplier" || name == "manufacturer" || name == "manufacture") {
      OrgRef org;
      status = ReadOrg(c, name == "supplier" ? "supplier" : "manufacturer", p, &org);
      info_.creators.push_back(std::move(org));
    } else if (name == "authors") {
      size_t i = 0;
      ForChildren(c, [&](const pugi::xml_node& a, std::string_view) {
        OrgRef org;
        org.role = "author";
        org.name = Text(a.child("name"));
        org.email = Text(a.child("email"));
        org.pointer = ChildPath(p, "author", ++i);
        info_.creators.push_back(std::move(org));
      });
    } else if (name == "licenses") {
      status = ReadLicenses(c, p);
    } else if (name == "properties") {
      status = ReadProperties(c, p, nullptr);
    }
  });
  return status;
}

// Validates the fields of one component/service element and fills `item`
// (nullptr for detached components such as pedigree ancestors).
Status XmlReader::CheckItem(const pugi::xml_node& node, const std::string& path, bool is_service,
                            int detached_depth, Item* item) {
  Item scratch;
  Item& it = item != nullptr ? *item : scratch;
  if (!is_service) {
    pugi::xml_attribute type = node.attribute("type");
    if (!type) return At(node, path, "component has no \"type\"");
    if (!cyclonedx::IsComponentType(type.value())) {
      return At(node, path, fmt::format("unknown component type \"{}\"", type.value()));
    }
    it.type = type.value();
    it.kind = std::string(cyclonedx::KindForComponentType(it.type));
  } else {
    it.kind = "service";
    it.type = "service";
  }
  if (pugi::xml_attribute ref = node.attribute("bom-ref")) {
    if (std::strlen(ref.value()) == 0) return At(node, path, "bom-ref must not be empty");
    it.ref = ref.value();
  }
  bool has_name = false, has_version = false, has_range = false;
  bool external = std::string_view(node.attribute("isExternal").value()) == "true";
  Status status;
  ForChildren(node, [&](const pugi::xml_node& c, std::string_view name) {
    if (!status.ok()) return;
    std::string p = path + "/" + std::string(name);
    if (name == "name") {
      it.name = Text(c);
      has_name = true;
    } else if (name == "group") {
      it.group = Text(c);
    } else if (name == "version") {
      it.version = Text(c);
      has_version = true;
    } else if (name == "versionRange") {
      has_range = true;
    } else if (name == "description") {
      it.description = Text(c);
    } else if (name == "properties") {
      status = ReadProperties(c, p, &it);
    } else if (name == "tags") {
      ForChildren(c, [&](const pugi::xml_node& t, std::string_view) { it.tags.push_back(Text(t)); });
    } else if (name == "licenses") {
      status = ReadLicenses(c, p);
    } else if (is_service) {
      if (name == "provider") {
        OrgRef org;
        status = ReadOrg(c, "provider", p, &org);
        it.provider = org.name;
        it.orgs.push_back(std::move(org));
      } else if (name == "data") {
        ForChildren(c, [&](const pugi::xml_node& d, std::string_view dname) {
          if (!status.ok()) return;
          // 1.2-1.4: <classification flow="..">; 1.5+: <dataflow> with <classification>.
          pugi::xml_node cls = dname == "classification" ? d : d.child("classification");
          pugi::xml_attribute flow = d.attribute("flow");
          if (!flow) flow = cls.attribute("flow");
          if (flow && !cyclonedx::IsDataFlow(flow.value())) {
            status = At(d, p, fmt::format("unknown data flow \"{}\"", flow.value()));
            return;
          }
          if (cls) it.data_categories.push_back(Text(cls));
        });
      }
    } else if (name == "purl") {
      it.purl = Text(c);
    } else if (name == "cpe") {
      it.cpes.push_back(Text(c));
    } else if (name == "hashes") {
      status = ReadHashes(c, p, &it);
    } else if (name == "supplier" || name == "manufacturer") {
      OrgRef org;
      status = ReadOrg(c, name, p, &org);
      it.orgs.push_back(std::move(org));
    } else if (name == "publisher" || name == "author") {
      OrgRef org;
      org.role = std::string(name);
      org.name = Text(c);
      org.pointer = p;
      it.orgs.push_back(std::move(org));
    } else if (name == "authors") {
      size_t i = 0;
      ForChildren(c, [&](const pugi::xml_node& a, std::string_view) {
        OrgRef org;
        org.role = "author";
        org.name = Text(a.child("name"));
        org.email = Text(a.child("email"));
        org.pointer = ChildPath(p, "author", ++i);
        it.orgs.push_back(std::move(org));
      });
    } else if (name == "scope") {
      std::string scope = Text(c);
      if (!cyclonedx::IsScope(scope)) status = At(c, p, fmt::format("unknown scope \"{}\"", scope));
    } else if (name == "swid") {
      if (!c.attribute("tagId")) {
        status = At(c, p, "swid has no \"tagId\"");
      } else if (!c.attribute("name")) {
        status = At(c, p, "swid has no \"name\"");
      }
    } else if (name == "pedigree") {
      status = ReadPedigree(c, p, detached_depth + 1);
    }
  });
  ICTS_RETURN_IF_ERROR(status);
  if (!has_name) {
    return At(node, path, fmt::format("{} has no <name>", is_service ? "service" : "component"));
  }
  if (has_range) {
    if (has_version) {
      return At(node, path, "a component may have <version> or <versionRange>, not both");
    }
    if (!external) {
      return At(node, path, "<versionRange> is only allowed when isExternal is true");
    }
  }
  return Status::Ok();
}

Status XmlReader::ReadItems(const pugi::xml_node& container, const std::string& path,
                            bool services, bool single) {
  std::vector<Frame> stack;
  std::string_view element = services ? "service" : "component";
  auto push = [&](const pugi::xml_node& node, std::string p, uint32_t depth) -> Status {
    Frame f;
    f.node = node;
    f.path = std::move(p);
    f.is_service = services;
    f.depth = depth;
    f.item.file = name_;
    f.item.pointer = f.path;
    f.item.depth = depth;
    ICTS_RETURN_IF_ERROR(CheckItem(node, f.path, services, 0, &f.item));
    if (f.item.ref.empty()) {
      f.item.ref = f.path;
    } else {
      RefTable::Handle earlier = refs_.Add(f.item.ref, HandleOf(node), [&](RefTable::Handle h) {
        return f.item.ref == NodeOf(h).attribute("bom-ref").value();
      });
      if (earlier != RefTable::kNone) {
        return At(node, f.path,
                  fmt::format("duplicate bom-ref \"{}\" (also used by {})", f.item.ref,
                              PathOf(NodeOf(earlier))));
      }
    }
    if (!stack.empty()) f.item.parent_ref = stack.back().item.ref;
    // Nested children: the <components> (<services>) child element.
    pugi::xml_node nested;
    ForChildren(node, [&](const pugi::xml_node& c, std::string_view name) {
      if (name == (services ? "services" : "components")) nested = c;
    });
    if (nested) {
      f.children_path = f.path + "/" + std::string(LocalName(nested));
      f.next_child = nested.first_child();
    }
    stack.push_back(std::move(f));
    return Status::Ok();
  };
  if (single) {
    ICTS_RETURN_IF_ERROR(push(container, path, 0));
  }
  pugi::xml_node top_next = single ? pugi::xml_node() : container.first_child();
  size_t top_index = 0;
  for (;;) {
    if (stack.empty()) {
      while (top_next && (top_next.type() != pugi::node_element || !InBomNamespace(top_next) ||
                          LocalName(top_next) != element)) {
        top_next = top_next.next_sibling();
      }
      if (!top_next) break;
      pugi::xml_node node = top_next;
      top_next = top_next.next_sibling();
      ICTS_RETURN_IF_ERROR(push(node, ChildPath(path, element, ++top_index), 0));
      continue;
    }
    Frame& top = stack.back();
    while (top.next_child &&
           (top.next_child.type() != pugi::node_element || !InBomNamespace(top.next_child) ||
            LocalName(top.next_child) != element)) {
      top.next_child = top.next_child.next_sibling();
    }
    if (top.next_child) {
      pugi::xml_node node = top.next_child;
      top.next_child = top.next_child.next_sibling();
      std::string p = ChildPath(top.children_path, element, ++top.child_index);
      uint32_t depth = top.depth + 1;
      ICTS_RETURN_IF_ERROR(push(node, std::move(p), depth));
      continue;
    }
    Item item = std::move(top.item);
    stack.pop_back();
    ICTS_RETURN_IF_ERROR(sink_->OnItem(std::move(item)));
  }
  return Status::Ok();
}

Status XmlReader::ReadDetached(const pugi::xml_node& node, const std::string& path, int depth) {
  if (depth > kMaxDetachedDepth) {
    return At(node, path, fmt::format("nested more than {} levels deep", kMaxDetachedDepth));
  }
  ICTS_RETURN_IF_ERROR(CheckItem(node, path, false, depth, nullptr));
  Status status;
  ForChildren(node, [&](const pugi::xml_node& c, std::string_view name) {
    if (!status.ok() || name != "components") return;
    size_t i = 0;
    ForChildren(c, [&](const pugi::xml_node& comp, std::string_view) {
      if (status.ok()) {
        status = ReadDetached(comp, ChildPath(path + "/components", "component", ++i), depth + 1);
      }
    });
  });
  return status;
}

Status XmlReader::ReadPedigree(const pugi::xml_node& node, const std::string& path, int depth) {
  if (depth > kMaxDetachedDepth) {
    return At(node, path, fmt::format("nested more than {} levels deep", kMaxDetachedDepth));
  }
  Status status;
  ForChildren(node, [&](const pugi::xml_node& c, std::string_view name) {
    if (!status.ok()) return;
    std::string p = path + "/" + std::string(name);
    if (name == "ancestors" || name == "descendants" || name == "variants") {
      size_t i = 0;
      ForChildren(c, [&](const pugi::xml_node& comp, std::string_view) {
        if (status.ok()) status = ReadDetached(comp, ChildPath(p, "component", ++i), depth + 1);
      });
    } else if (name == "patches") {
      size_t i = 0;
      ForChildren(c, [&](const pugi::xml_node& patch, std::string_view) {
        if (!status.ok()) return;
        std::string pp = ChildPath(p, "patch", ++i);
        pugi::xml_attribute type = patch.attribute("type");
        if (!type) {
          status = At(patch, pp, "patch has no \"type\"");
        } else if (!cyclonedx::IsPatchType(type.value())) {
          status = At(patch, pp, fmt::format("unknown patch type \"{}\"", type.value()));
        }
        ForChildren(patch, [&](const pugi::xml_node& r, std::string_view rname) {
          if (!status.ok() || rname != "resolves") return;
          ForChildren(r, [&](const pugi::xml_node& issue, std::string_view) {
            pugi::xml_attribute itype = issue.attribute("type");
            if (status.ok() && itype && !cyclonedx::IsIssueType(itype.value())) {
              status = At(issue, pp + "/resolves",
                          fmt::format("unknown issue type \"{}\"", itype.value()));
            }
          });
        });
      });
    }
  });
  return status;
}

Status XmlReader::ReadLicenses(const pugi::xml_node& node, const std::string& path) {
  size_t count = 0;
  std::string expression_path;
  Status status;
  ForChildren(node, [&](const pugi::xml_node& c, std::string_view name) {
    if (!status.ok()) return;
    ++count;
    std::string p = ChildPath(path, name, count);
    if (name == "expression") {
      if (expression_path.empty()) expression_path = p;
      return;
    }
    if (name != "license") return;
    size_t ids = 0, names = 0;
    ForChildren(c, [&](const pugi::xml_node& f, std::string_view fname) {
      if (!status.ok()) return;
      if (fname == "id") {
        ++ids;
        std::string id = Text(f);
        if (!cyclonedx::IsSpdxLicenseId(id)) {
          status = At(f, p + "/id",
                      fmt::format("\"{}\" is not an SPDX license identifier (use <name> for "
                                  "other licenses)",
                                  id));
        }
      } else if (fname == "name") {
        ++names;
      } else if (fname == "text") {
        pugi::xml_attribute enc = f.attribute("encoding");
        if (enc && std::string_view(enc.value()) != "base64") {
          status = At(f, p + "/text",
                      fmt::format("unknown encoding \"{}\" (only base64)", enc.value()));
        }
      } else if (fname == "properties") {
        status = ReadProperties(f, p + "/properties", nullptr);
      }
    });
    if (!status.ok()) return;
    if (ids + names != 1) {
      status = At(c, p,
                  ids + names == 0 ? "license needs an <id> or a <name>"
                                   : "license must have exactly one <id> or <name>");
    }
    pugi::xml_attribute ack = c.attribute("acknowledgement");
    if (status.ok() && ack && !cyclonedx::IsLicenseAcknowledgement(ack.value())) {
      status = At(c, p, fmt::format("unknown acknowledgement \"{}\"", ack.value()));
    }
  });
  ICTS_RETURN_IF_ERROR(status);
  if (!expression_path.empty() && count > 1 && minor_ < 7) {
    return At(node, expression_path,
              "a license expression must be the only entry of <licenses> before spec 1.7");
  }
  return Status::Ok();
}

Status XmlReader::ReadProperties(const pugi::xml_node& node, const std::string& path,
                                 Item* item) {
  size_t i = 0;
  Status status;
  ForChildren(node, [&](const pugi::xml_node& c, std::string_view) {
    if (!status.ok()) return;
    ++i;
    pugi::xml_attribute name = c.attribute("name");
    if (!name) {
      status = At(c, ChildPath(path, "property", i), "property has no name attribute");
      return;
    }
    if (item != nullptr) item->properties.emplace_back(name.value(), c.child_value());
  });
  return status;
}

Status XmlReader::ReadHashes(const pugi::xml_node& node, const std::string& path, Item* item) {
  size_t i = 0;
  Status status;
  ForChildren(node, [&](const pugi::xml_node& c, std::string_view) {
    if (!status.ok()) return;
    std::string p = ChildPath(path, "hash", ++i);
    std::string_view alg = c.attribute("alg").value();
    std::string content = Text(c);
    if (!cyclonedx::IsHashAlgorithm(alg)) {
      status = At(c, p, fmt::format("unknown hash algorithm \"{}\"", alg));
    } else if (!cyclonedx::IsHashContent(content)) {
      status = At(c, p, "hash content is not 32, 40, 64, 96 or 128 hex digits");
    } else {
      for (char& ch : content) {
        if (ch >= 'A' && ch <= 'F') ch = static_cast<char>(ch + ('a' - 'A'));
      }
      item->hashes.push_back(std::string(alg) + ":" + content);
    }
  });
  return status;
}

Status XmlReader::ReadDependencies(const pugi::xml_node& node, const std::string& path) {
  size_t i = 0;
  Status status;
  ForChildren(node, [&](const pugi::xml_node& dep, std::string_view) {
    if (!status.ok()) return;
    std::string p = ChildPath(path, "dependency", ++i);
    std::string_view from = dep.attribute("ref").value();
    if (from.empty()) {
      status = At(dep, p, "dependency has no (or an empty) ref attribute");
      return;
    }
    const uint32_t source = refs_.AddSource(from, HandleOf(dep));
    ForChildren(dep, [&](const pugi::xml_node& to_node, std::string_view kind) {
      if (!status.ok()) return;
      std::string_view to = to_node.attribute("ref").value();
      if (to.empty()) {
        status = At(to_node, p, "dependency target has no (or an empty) ref attribute");
        return;
      }
      bool provides = kind == "provides";
      if (!provides) refs_.AddEdge(source, to, HandleOf(to_node));
      status = sink_->OnRelation(from, provides ? "provides" : "dependsOn", to);
    });
  });
  return status;
}

Status XmlReader::ReadCitations(const pugi::xml_node& node, const std::string& path) {
  size_t i = 0;
  Status status;
  ForChildren(node, [&](const pugi::xml_node& c, std::string_view) {
    if (!status.ok()) return;
    std::string p = ChildPath(path, "citation", ++i);
    size_t pointers = 0, expressions = 0, attributed = 0, process = 0;
    ForChildren(c, [&](const pugi::xml_node&, std::string_view name) {
      pointers += name == "pointers";
      expressions += name == "expressions";
      attributed += name == "attributedTo";
      process += name == "process";
    });
    if (pointers + expressions != 1) {
      status = At(c, p, "a citation needs exactly one of <pointers> and <expressions>");
    } else if (attributed + process == 0) {
      status = At(c, p, "a citation needs <attributedTo> or <process>");
    } else if (attributed > 1 || process > 1) {
      status = At(c, p, "a citation has at most one <attributedTo> and one <process>");
    }
  });
  return status;
}

Status XmlReader::Finish() {
  size_t unknown_total = 0;
  auto problems = refs_.Check(kMaxWarnings, 5, &unknown_total);
  auto ref_of = [](RefTable::Handle h) {
    pugi::xml_node n = NodeOf(h);
    return std::string(n.attribute("ref") ? n.attribute("ref").value()
                                          : n.attribute("bom-ref").value());
  };
  for (const auto& problem : problems) {
    if (!problem.cycle) {
      pugi::xml_node n = NodeOf(problem.handle);
      LineCol lc = LineColAt(data_, static_cast<size_t>(n.offset_debug() > 0 ? n.offset_debug() - 1 : 0));
      info_.warnings.push_back(fmt::format("{}:{}:{}: dependency on unknown bom-ref \"{}\"", name_,
                                           lc.line, lc.column, ref_of(problem.handle)));
    } else {
      std::string path;
      for (RefTable::Handle h : problem.path) {
        if (!path.empty()) path += " -> ";
        path += ref_of(h);
      }
      info_.warnings.push_back(fmt::format("{}: dependency cycle: {}", name_, path));
    }
  }
  if (unknown_total > kMaxWarnings) {
    info_.warnings.push_back(fmt::format("{}: {} more dependencies on unknown bom-refs", name_,
                                         unknown_total - kMaxWarnings));
  }
  return sink_->OnDocument(info_);
}

}  // namespace

Status ReadCycloneDxXmlBuffer(std::string_view data, const std::string& name, ItemSink* sink) {
  XmlReader reader(data, name, sink);
  return reader.Run();
}

Status ReadCycloneDxXml(const std::string& path, ItemSink* sink) {
  ICTS_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  return ReadCycloneDxXmlBuffer(file.data(), path, sink);
}

bool LooksLikeCycloneDxXml(std::string_view head) {
  size_t bom = head.find("<bom");
  if (bom == std::string_view::npos) {
    bom = head.find(":bom");
    if (bom == std::string_view::npos) return false;
  }
  return head.find("cyclonedx.org/schema/bom", bom) != std::string_view::npos;
}

}  // namespace icts::inventory
