// Snapshot: one immutable, content-hashed file holding every entity and
// relation of a set of list sources, with per-source metadata.
//
// The file is a flat little-endian image: a fixed header, fixed-size record
// tables and one string blob. Opening maps it read-only and checks every
// offset, so a damaged or hostile file gives an error, never a crash; the
// content hash (SHA-256 over everything after the header) is checked by
// Verify(). Building twice from the same inputs gives the same bytes and so
// the same hash.
//
// A Snapshot is immutable after Open(); all const methods are thread-safe.
// Views (EntityView, RelationView, string_views) point into the mapping and
// stay valid while the Snapshot lives.
#ifndef ICTS_REFDATA_SNAPSHOT_H_
#define ICTS_REFDATA_SNAPSHOT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "refdata/model.h"

namespace icts::refdata {

inline constexpr uint32_t kSnapshotFormatVersion = 1;
inline constexpr uint32_t kNoEntity = 0xFFFFFFFFu;

// Metadata of one source as recorded at build time.
struct SourceInfo {
  std::string format;     // csl | ofac | ofac-cons | dpl | un | ftm | curated
  std::string path;       // As written in the build config.
  std::string sha256;     // Of the file (for a folder set: see build.h).
  std::string published;  // ISO date the file states, or "".
  uint64_t rows = 0;
  uint64_t entities = 0;
  uint64_t relations = 0;
  uint64_t rejected = 0;
};

namespace internal {
struct StrRef {
  uint32_t off;
  uint32_t len;
};
struct PropRec {
  uint8_t kind;  // PropKind
  uint8_t sub;   // NameKind / CountryRole / IdKind / DateKind / Verification
  uint16_t nfields;
  uint32_t first_field;  // Index into the field table (StrRef array).
};
struct EntityRec {
  StrRef id;
  StrRef source_id;
  uint32_t source;
  uint8_t schema;
  uint8_t pad[3];
  uint32_t prop_begin;
  uint32_t prop_count;
};
struct RelationRec {
  uint8_t kind;
  uint8_t pad[3];
  uint32_t source;
  uint32_t from_index;  // Entity index, or kNoEntity when not in the snapshot.
  uint32_t to_index;
  StrRef id, from_id, to_id, from_name, to_name, role, start, end;
  double share_min;
  double share_max;
  uint32_t prop_begin;  // Citations.
  uint32_t prop_count;
};
}  // namespace internal

// Kinds of per-entity facts, in the order they are stored.
enum class PropKind : uint8_t {
  kName = 0,        // fields: value
  kCountry = 1,     // fields: code, label
  kIdentifier = 2,  // fields: value, country, label
  kAddress = 3,     // fields: full, street, city, region, postal, country
  kDate = 4,        // fields: value
  kList = 5,        // fields: value
  kProgram = 6,     // fields: value
  kTopic = 7,       // fields: value
  kProperty = 8,    // fields: key, value
  kCitation = 9,    // fields: text, url, effective, fact
  kCount = 10,
};

class Snapshot;

// One fact of an entity: its kind, its qualifier (e.g. the NameKind) and its
// string fields (see PropKind for their order).
class PropView {
 public:
  PropView(const Snapshot* s, const internal::PropRec* r) : s_(s), r_(r) {}
  PropKind kind() const { return static_cast<PropKind>(r_->kind); }
  uint8_t sub() const { return r_->sub; }
  size_t field_count() const { return r_->nfields; }
  // Field `i`, or "" when there is no such field.
  std::string_view field(size_t i) const;

 private:
  const Snapshot* s_;
  const internal::PropRec* r_;
};

class EntityView {
 public:
  EntityView(const Snapshot* s, uint32_t index);
  uint32_t index() const { return index_; }
  std::string_view id() const;
  std::string_view source_id() const;
  uint32_t source_index() const;
  Schema schema() const;
  std::string_view primary_name() const;  // "" if the entity has no name.

  // All facts of one kind, in stored order.
  std::vector<PropView> Props(PropKind kind) const;
  // Values (field 0) of every fact of one kind.
  std::vector<std::string_view> Values(PropKind kind) const;
  // The value of property `key`, or "".
  std::string_view Property(std::string_view key) const;

  // Converts back to the build-time model (copies).
  Entity ToEntity() const;

 private:
  const Snapshot* s_;
  uint32_t index_;
};

class RelationView {
 public:
  RelationView(const Snapshot* s, uint32_t index);
  RelationKind kind() const;
  uint32_t source_index() const;
  std::string_view id() const;
  std::string_view from_id() const;
  std::string_view to_id() const;
  std::string_view from_name() const;
  std::string_view to_name() const;
  std::string_view role() const;
  std::string_view start_date() const;
  std::string_view end_date() const;
  double share_min() const;  // NaN when not stated.
  double share_max() const;
  // Entity indexes, or nullopt when the id is not in this snapshot.
  std::optional<uint32_t> from_index() const;
  std::optional<uint32_t> to_index() const;
  std::vector<PropView> Citations() const;
  Relation ToRelation() const;

 private:
  const Snapshot* s_;
  uint32_t index_;
};

// What the writer needs: the sources and what they produced.
struct SnapshotContent {
  std::vector<SourceInfo> sources;
  // entity_source[i] is the index into `sources` of entities[i]; same for
  // relations.
  std::vector<Entity> entities;
  std::vector<uint32_t> entity_source;
  std::vector<Relation> relations;
  std::vector<uint32_t> relation_source;
};

// Serialises `content` into the snapshot image. Entities are ordered by
// (source, id) and relations by (source, from, to, kind, id), so the image
// does not depend on the order loaders emitted them. Duplicate entity ids are
// an error (INVALID_ARGUMENT naming the id).
Result<std::string> SerializeSnapshot(const SnapshotContent& content);

// Lower-case hex content hash stored in a serialised image ("" when `image`
// is too short to hold a header).
std::string SnapshotImageHash(std::string_view image);

class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // Maps `path` and validates its structure (not the content hash).
  // Errors: NOT_FOUND, or DATA_LOSS naming the path and what is wrong.
  static Result<std::unique_ptr<Snapshot>> Open(const std::string& path);
  // Same over bytes in memory (copied).
  static Result<std::unique_ptr<Snapshot>> FromBytes(std::string_view bytes,
                                                     std::string name);

  // Recomputes the content hash and compares it with the stored one.
  Status Verify() const;

  std::string hash() const;  // Lower-case hex of the stored content hash.
  uint32_t format_version() const;
  uint64_t file_size() const { return size_; }

  size_t source_count() const;
  SourceInfo source(size_t i) const;
  size_t entity_count() const;
  EntityView entity(uint32_t i) const { return EntityView(this, i); }
  size_t relation_count() const;
  RelationView relation(uint32_t i) const { return RelationView(this, i); }

  // Exact id lookup, O(log n).
  std::optional<EntityView> FindById(std::string_view id) const;
  // Relations where the entity is the `from` / the `to` side.
  std::vector<RelationView> RelationsFrom(uint32_t entity_index) const;
  std::vector<RelationView> RelationsTo(uint32_t entity_index) const;

  // Internal accessors used by the views.
  std::string_view Str(internal::StrRef r) const {
    return std::string_view(blob_ + r.off, r.len);
  }
  const internal::EntityRec& EntityRecAt(uint32_t i) const { return entities_[i]; }
  const internal::RelationRec& RelationRecAt(uint32_t i) const { return relations_[i]; }
  const internal::PropRec& PropRecAt(uint32_t i) const { return props_[i]; }
  internal::StrRef FieldAt(uint32_t i) const { return fields_[i]; }

 private:
  Snapshot() = default;
  Status Init(std::string name);

  std::string name_;
  const char* base_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
  std::string owned_;  // Used by FromBytes.
  const char* blob_ = nullptr;
  const internal::EntityRec* entities_ = nullptr;
  const internal::RelationRec* relations_ = nullptr;
  const internal::PropRec* props_ = nullptr;
  const internal::StrRef* fields_ = nullptr;
  const uint32_t* id_order_ = nullptr;    // Entity indexes sorted by id.
  const uint32_t* rel_by_from_ = nullptr; // Relation indexes sorted by from_index.
  const uint32_t* rel_by_to_ = nullptr;   // Relation indexes sorted by to_index.
  const uint8_t* source_table_ = nullptr;
  uint64_t n_entities_ = 0, n_relations_ = 0, n_props_ = 0, n_fields_ = 0,
           n_sources_ = 0, blob_size_ = 0;
};

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_SNAPSHOT_H_
