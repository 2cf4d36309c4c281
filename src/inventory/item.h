// Inventory items: what every inventory reader (CycloneDX, SPDX, asset CSV,
// cloud services) produces and what `icts scan` evaluates.
//
// Readers stream: they hand each item to an ItemSink as soon as it is read
// and keep nothing but what they need to check the document (bom-refs for
// duplicates, the nesting path). A reader that fails returns a Status whose
// message starts with the location of the problem ("file:line:col: ..." or
// "file: /components/3/name: ..."); the caller discards what the sink saw
// (imports are all-or-nothing), so a sink must not have side effects outside
// the scan until the reader returns OK.
#ifndef ICTS_INVENTORY_ITEM_H_
#define ICTS_INVENTORY_ITEM_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace icts::inventory {

// A person or organisation named by the inventory for an item.
struct OrgRef {
  // supplier | manufacturer | publisher | author | originator | vendor |
  // provider | creator (document level) | mac-registrant (from the OUI).
  std::string role;
  std::string name;
  std::string country;  // ISO alpha-2 when the input states it (or the OUI address).
  std::string url;
  std::string email;
  std::string pointer;  // Where in the input this name was read.
};

struct Item {
  // Identity within its document: CycloneDX bom-ref, SPDX SPDXID / spdxId,
  // "row:<n>" for CSV. Unique per document (readers reject duplicates).
  std::string ref;
  // hardware | software | firmware | service | data | "" (unknown); the
  // coarse class used by the rules. `type` keeps the input's own word
  // (CycloneDX "library", "device", SPDX primaryPackagePurpose ...).
  std::string kind;
  std::string type;
  std::string group;  // CycloneDX group / namespace.
  std::string name;
  std::string version;
  std::string description;
  std::string purl;
  std::vector<std::string> cpes;
  std::vector<std::string> hashes;  // "SHA-256:<hex>"
  std::vector<OrgRef> orgs;
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<std::string> tags;  // Tags the input states (CycloneDX 1.6 tags, CSV column).
  // Hardware asset fields (CSV inventory, CycloneDX device properties).
  std::string model;
  std::string mac;  // Normalised "AA:BB:CC:DD:EE:FF" when given.
  std::string serial;
  std::string location;
  std::string sector;
  int64_t count = 1;  // Units this record stands for.
  // Service fields (CycloneDX services, cloud service lists).
  std::string provider;
  std::string region;
  std::vector<std::string> data_categories;
  // Where it was read: the file and a JSON pointer, "line:col" or "line N".
  std::string file;
  std::string pointer;
  std::string parent_ref;  // Ref of the enclosing component, "" at top level.
  uint32_t depth = 0;      // Nesting depth (0 = top level).
};

// Facts about the document as a whole.
struct DocumentInfo {
  std::string file;
  std::string format;        // cyclonedx-json | cyclonedx-xml | spdx-json | spdx-tv |
                             // spdx3-jsonld | asset-csv | services-csv | services-json
  std::string spec_version;  // "1.6", "SPDX-2.3", "3.0.1", "" for CSV
  std::string serial;        // CycloneDX serialNumber / SPDX documentNamespace.
  std::string name;          // Document / root component name.
  std::vector<OrgRef> creators;  // metadata.authors / manufacturer / creationInfo.
  std::vector<std::string> warnings;  // Accepted but odd (each with its location).
};

// Parts of an Item that a sink may decline (ItemSink::WantedFields). A
// reader still checks them (whether a document is valid does not depend on
// the sink) but may leave them empty instead of copying them; readers that
// do not look at the choice fill everything.
enum ItemField : uint32_t {
  kItemHashes = 1u << 0,
  kItemProperties = 1u << 1,
  kItemDescription = 1u << 2,
  kItemAllFields = ~0u,
};

// Receives items while a reader runs. Returning a non-OK status stops the
// reader, which returns that status.
class ItemSink {
 public:
  virtual ~ItemSink() = default;
  // The optional ItemField parts this sink uses; asked once per document.
  virtual uint32_t WantedFields() const { return kItemAllFields; }
  // Once per document, before or after the items: a reader that only knows
  // its warnings at the end (CycloneDX: dependencies on unknown refs, cycles)
  // calls it last. Sinks must not depend on the order.
  virtual Status OnDocument(const DocumentInfo& info) = 0;
  virtual Status OnItem(Item&& item) = 0;
  // A dependency / relationship edge between two refs ("dependsOn",
  // "CONTAINS", "provides" ...). Optional for readers that have none.
  virtual Status OnRelation(std::string_view from, std::string_view kind, std::string_view to) {
    (void)from;
    (void)kind;
    (void)to;
    return Status::Ok();
  }
};

// A sink that keeps everything (tests, small inputs).
class CollectingSink : public ItemSink {
 public:
  Status OnDocument(const DocumentInfo& info) override {
    document = info;
    return Status::Ok();
  }
  Status OnItem(Item&& item) override {
    items.push_back(std::move(item));
    return Status::Ok();
  }
  Status OnRelation(std::string_view from, std::string_view kind, std::string_view to) override {
    relations.push_back({std::string(from), std::string(kind), std::string(to)});
    return Status::Ok();
  }
  struct Relation {
    std::string from, kind, to;
  };
  DocumentInfo document;
  std::vector<Item> items;
  std::vector<Relation> relations;
};

}  // namespace icts::inventory

#endif  // ICTS_INVENTORY_ITEM_H_
