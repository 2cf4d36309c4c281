#include "refdata/snapshot.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <numeric>
#include <type_traits>
#include <unordered_map>

#include <fmt/format.h>

#include "base/sha256.h"

namespace icts::refdata {
namespace {

using internal::EntityRec;
using internal::PropRec;
using internal::RelationRec;
using internal::StrRef;

constexpr char kMagic[8] = {'I', 'C', 'T', 'S', 'S', 'N', 'A', 'P'};

enum Section : uint32_t {
  kSources = 0,
  kEntities,
  kRelations,
  kProps,
  kFields,
  kIdOrder,
  kRelByFrom,
  kRelByTo,
  kBlob,
  kSectionCount,
};

struct SectionEntry {
  uint64_t offset;
  uint64_t count;  // Records (bytes for the blob).
};

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t header_size;
  uint64_t file_size;
  uint8_t hash[32];
  SectionEntry sections[kSectionCount];
};

struct SourceRec {
  StrRef format, path, sha256, published;
  uint64_t rows, entities, relations, rejected;
};

static_assert(std::is_trivially_copyable_v<Header>);
static_assert(sizeof(StrRef) == 8);
static_assert(sizeof(PropRec) == 8);
static_assert(sizeof(EntityRec) == 32);
static_assert(sizeof(SourceRec) == 64);
static_assert(sizeof(RelationRec) == 104);

constexpr size_t kRecordSize[kSectionCount] = {
    sizeof(SourceRec), sizeof(EntityRec), sizeof(RelationRec),
    sizeof(PropRec),   sizeof(StrRef),    sizeof(uint32_t),
    sizeof(uint32_t),  sizeof(uint32_t),  1};

// ---------------------------------------------------------------- writer

class Writer {
 public:
  StrRef Intern(std::string_view s) {
    if (s.empty()) return StrRef{0, 0};
    auto it = interned_.find(std::string(s));
    if (it != interned_.end()) return it->second;
    StrRef r{static_cast<uint32_t>(blob_.size()), static_cast<uint32_t>(s.size())};
    blob_.append(s);
    interned_.emplace(std::string(s), r);
    return r;
  }

  void AddProp(PropKind kind, uint8_t sub,
               std::initializer_list<std::string_view> fields) {
    PropRec p{};
    p.kind = static_cast<uint8_t>(kind);
    p.sub = sub;
    p.nfields = static_cast<uint16_t>(fields.size());
    p.first_field = static_cast<uint32_t>(fields_.size());
    for (std::string_view f : fields) fields_.push_back(Intern(f));
    props_.push_back(p);
  }

  void AddCitations(const std::vector<Citation>& citations) {
    for (const Citation& c : citations) {
      AddProp(PropKind::kCitation, static_cast<uint8_t>(c.verification),
              {c.text, c.url, c.effective, c.fact});
    }
  }

  uint32_t AddEntityProps(const Entity& e) {
    auto begin = static_cast<uint32_t>(props_.size());
    for (const Name& n : e.names) {
      AddProp(PropKind::kName, static_cast<uint8_t>(n.kind), {n.value});
    }
    for (const Country& c : e.countries) {
      AddProp(PropKind::kCountry, static_cast<uint8_t>(c.role), {c.code, c.label});
    }
    for (const Identifier& i : e.identifiers) {
      AddProp(PropKind::kIdentifier, static_cast<uint8_t>(i.kind),
              {i.value, i.country, i.label});
    }
    for (const Address& a : e.addresses) {
      AddProp(PropKind::kAddress, 0,
              {a.full, a.street, a.city, a.region, a.postal_code, a.country});
    }
    for (const DateFact& d : e.dates) {
      AddProp(PropKind::kDate, static_cast<uint8_t>(d.kind), {d.value});
    }
    for (const std::string& v : e.lists) AddProp(PropKind::kList, 0, {v});
    for (const std::string& v : e.programs) AddProp(PropKind::kProgram, 0, {v});
    for (const std::string& v : e.topics) AddProp(PropKind::kTopic, 0, {v});
    for (const Property& p : e.properties) {
      AddProp(PropKind::kProperty, 0, {p.key, p.value});
    }
    AddCitations(e.citations);
    return begin;
  }

  std::string blob_;
  std::unordered_map<std::string, StrRef> interned_;
  std::vector<PropRec> props_;
  std::vector<StrRef> fields_;
};

template <typename T>
void AppendSection(std::string& out, Header& h, Section s, const T* data,
                   size_t count) {
  while (out.size() % 8 != 0) out.push_back('\0');
  h.sections[s].offset = out.size();
  h.sections[s].count = count;
  if (count > 0) {
    out.append(reinterpret_cast<const char*>(data), count * sizeof(T));
  }
}

bool RelationLess(const Relation& a, uint32_t sa, const Relation& b, uint32_t sb) {
  if (sa != sb) return sa < sb;
  if (a.from_id != b.from_id) return a.from_id < b.from_id;
  if (a.to_id != b.to_id) return a.to_id < b.to_id;
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.id != b.id) return a.id < b.id;
  if (a.from_name != b.from_name) return a.from_name < b.from_name;
  if (a.to_name != b.to_name) return a.to_name < b.to_name;
  return a.role < b.role;
}

}  // namespace

Result<std::string> SerializeSnapshot(const SnapshotContent& content) {
  const size_t n_entities = content.entities.size();
  const size_t n_relations = content.relations.size();
  if (content.entity_source.size() != n_entities ||
      content.relation_source.size() != n_relations) {
    return InternalError("snapshot content: source index arrays out of step");
  }
  if (n_entities >= kNoEntity || n_relations >= kNoEntity) {
    return OutOfRangeError("snapshot content: too many entities or relations");
  }
  for (uint32_t s : content.entity_source) {
    if (s >= content.sources.size()) return InternalError("entity source out of range");
  }
  for (uint32_t s : content.relation_source) {
    if (s >= content.sources.size()) return InternalError("relation source out of range");
  }

  // Entity order: (source, id).
  std::vector<uint32_t> order(n_entities);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (content.entity_source[a] != content.entity_source[b]) {
      return content.entity_source[a] < content.entity_source[b];
    }
    return content.entities[a].id < content.entities[b].id;
  });
  // Final index of each entity, and the id order for lookups.
  std::vector<uint32_t> id_order(n_entities);
  std::iota(id_order.begin(), id_order.end(), 0);
  std::sort(id_order.begin(), id_order.end(), [&](uint32_t a, uint32_t b) {
    return content.entities[order[a]].id < content.entities[order[b]].id;
  });
  for (size_t i = 0; i + 1 < n_entities; ++i) {
    const std::string& a = content.entities[order[id_order[i]]].id;
    if (a == content.entities[order[id_order[i + 1]]].id) {
      return InvalidArgumentError(fmt::format(
          "entity id '{}' occurs more than once (sources '{}' and '{}')", a,
          content.sources[content.entity_source[order[id_order[i]]]].path,
          content.sources[content.entity_source[order[id_order[i + 1]]]].path));
    }
    if (a.empty()) return InvalidArgumentError("an entity has an empty id");
  }
  if (n_entities == 1 && content.entities[0].id.empty()) {
    return InvalidArgumentError("an entity has an empty id");
  }
  std::unordered_map<std::string_view, uint32_t> index_of;
  index_of.reserve(n_entities);
  for (uint32_t i = 0; i < n_entities; ++i) {
    index_of.emplace(content.entities[order[i]].id, i);
  }

  Writer w;
  std::vector<SourceRec> sources;
  for (const SourceInfo& s : content.sources) {
    SourceRec r{};
    r.format = w.Intern(s.format);
    r.path = w.Intern(s.path);
    r.sha256 = w.Intern(s.sha256);
    r.published = w.Intern(s.published);
    r.rows = s.rows;
    r.entities = s.entities;
    r.relations = s.relations;
    r.rejected = s.rejected;
    sources.push_back(r);
  }

  std::vector<EntityRec> entities(n_entities);
  for (uint32_t i = 0; i < n_entities; ++i) {
    const Entity& e = content.entities[order[i]];
    EntityRec& r = entities[i];
    std::memset(&r, 0, sizeof(r));
    r.id = w.Intern(e.id);
    r.source_id = w.Intern(e.source_id);
    r.source = content.entity_source[order[i]];
    r.schema = static_cast<uint8_t>(e.schema);
    r.prop_begin = w.AddEntityProps(e);
    r.prop_count = static_cast<uint32_t>(w.props_.size()) - r.prop_begin;
  }

  std::vector<uint32_t> rel_order(n_relations);
  std::iota(rel_order.begin(), rel_order.end(), 0);
  std::stable_sort(rel_order.begin(), rel_order.end(), [&](uint32_t a, uint32_t b) {
    return RelationLess(content.relations[a], content.relation_source[a],
                        content.relations[b], content.relation_source[b]);
  });
  auto resolve = [&](const std::string& id) -> uint32_t {
    auto it = index_of.find(id);
    return it == index_of.end() ? kNoEntity : it->second;
  };
  std::vector<RelationRec> relations(n_relations);
  for (uint32_t i = 0; i < n_relations; ++i) {
    const Relation& rel = content.relations[rel_order[i]];
    RelationRec& r = relations[i];
    std::memset(&r, 0, sizeof(r));
    r.kind = static_cast<uint8_t>(rel.kind);
    r.source = content.relation_source[rel_order[i]];
    r.from_index = resolve(rel.from_id);
    r.to_index = resolve(rel.to_id);
    r.id = w.Intern(rel.id);
    r.from_id = w.Intern(rel.from_id);
    r.to_id = w.Intern(rel.to_id);
    r.from_name = w.Intern(rel.from_name);
    r.to_name = w.Intern(rel.to_name);
    r.role = w.Intern(rel.role);
    r.start = w.Intern(rel.start_date);
    r.end = w.Intern(rel.end_date);
    // NaN is stored in one canonical bit pattern so the image is stable.
    r.share_min = std::isnan(rel.share_min) ? kUnknownShare : rel.share_min;
    r.share_max = std::isnan(rel.share_max) ? kUnknownShare : rel.share_max;
    r.prop_begin = static_cast<uint32_t>(w.props_.size());
    w.AddCitations(rel.citations);
    r.prop_count = static_cast<uint32_t>(w.props_.size()) - r.prop_begin;
  }
  auto by_side = [&](bool from) {
    std::vector<uint32_t> v(n_relations);
    std::iota(v.begin(), v.end(), 0);
    std::stable_sort(v.begin(), v.end(), [&](uint32_t a, uint32_t b) {
      return from ? relations[a].from_index < relations[b].from_index
                  : relations[a].to_index < relations[b].to_index;
    });
    return v;
  };
  std::vector<uint32_t> rel_by_from = by_side(true);
  std::vector<uint32_t> rel_by_to = by_side(false);

  if (w.blob_.size() > 0xFFFFFFFFull) {
    return OutOfRangeError("snapshot string data exceeds 4 GiB");
  }

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.version = kSnapshotFormatVersion;
  h.header_size = sizeof(Header);
  std::string out(sizeof(Header), '\0');
  AppendSection(out, h, kSources, sources.data(), sources.size());
  AppendSection(out, h, kEntities, entities.data(), entities.size());
  AppendSection(out, h, kRelations, relations.data(), relations.size());
  AppendSection(out, h, kProps, w.props_.data(), w.props_.size());
  AppendSection(out, h, kFields, w.fields_.data(), w.fields_.size());
  AppendSection(out, h, kIdOrder, id_order.data(), id_order.size());
  AppendSection(out, h, kRelByFrom, rel_by_from.data(), rel_by_from.size());
  AppendSection(out, h, kRelByTo, rel_by_to.data(), rel_by_to.size());
  AppendSection(out, h, kBlob, w.blob_.data(), w.blob_.size());
  h.file_size = out.size();
  std::memcpy(out.data(), &h, sizeof(h));  // Hash still zero.
  Sha256Digest digest = Sha256Of(out);
  std::memcpy(h.hash, digest.data(), digest.size());
  std::memcpy(out.data(), &h, sizeof(h));
  return out;
}

std::string SnapshotImageHash(std::string_view image) {
  if (image.size() < sizeof(Header)) return "";
  Header h;
  std::memcpy(&h, image.data(), sizeof(h));
  return ToHex(h.hash, sizeof(h.hash));
}

// ---------------------------------------------------------------- reader

Snapshot::~Snapshot() {
  if (mapped_ && base_ != nullptr) munmap(const_cast<char*>(base_), size_);
}

Result<std::unique_ptr<Snapshot>> Snapshot::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string msg = fmt::format("{}: cannot open snapshot: {}", path, std::strerror(err));
    return err == ENOENT ? NotFoundError(msg) : UnavailableError(msg);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return InvalidArgumentError(fmt::format("{}: not a regular file", path));
  }
  std::unique_ptr<Snapshot> s(new Snapshot());
  s->size_ = static_cast<size_t>(st.st_size);
  if (s->size_ < sizeof(Header)) {
    ::close(fd);
    return DataLossError(fmt::format(
        "{}: not an icts snapshot (file is {} bytes, shorter than the header)",
        path, s->size_));
  }
  void* p = mmap(nullptr, s->size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) {
    return UnavailableError(fmt::format("{}: cannot map snapshot: {}", path,
                                        std::strerror(errno)));
  }
  s->base_ = static_cast<const char*>(p);
  s->mapped_ = true;
  ICTS_RETURN_IF_ERROR(s->Init(path));
  return s;
}

Result<std::unique_ptr<Snapshot>> Snapshot::FromBytes(std::string_view bytes,
                                                      std::string name) {
  std::unique_ptr<Snapshot> s(new Snapshot());
  // std::string storage is suitably aligned for the 8-byte records.
  s->owned_.assign(bytes.data(), bytes.size());
  s->base_ = s->owned_.data();
  s->size_ = s->owned_.size();
  if (s->size_ < sizeof(Header)) {
    return DataLossError(fmt::format("{}: not an icts snapshot (too short)", name));
  }
  ICTS_RETURN_IF_ERROR(s->Init(std::move(name)));
  return s;
}

Status Snapshot::Init(std::string name) {
  name_ = std::move(name);
  auto bad = [&](std::string_view what) {
    return DataLossError(fmt::format("{}: damaged snapshot: {}", name_, what));
  };
  Header h;
  std::memcpy(&h, base_, sizeof(h));
  if (std::memcmp(h.magic, kMagic, sizeof(kMagic)) != 0) {
    return DataLossError(fmt::format("{}: not an icts snapshot (bad magic)", name_));
  }
  if (h.version != kSnapshotFormatVersion) {
    return FailedPreconditionError(fmt::format(
        "{}: snapshot format version {} is not supported (this build reads {}); "
        "rebuild it with 'icts lists build'",
        name_, h.version, kSnapshotFormatVersion));
  }
  if (h.header_size != sizeof(Header)) return bad("header size");
  if (h.file_size != size_) {
    return bad(fmt::format("file is {} bytes but the header says {} (truncated?)",
                           size_, h.file_size));
  }
  const void* ptr[kSectionCount];
  for (uint32_t s = 0; s < kSectionCount; ++s) {
    const SectionEntry& e = h.sections[s];
    if (e.offset < sizeof(Header) || e.offset > size_ || e.offset % 8 != 0) {
      return bad(fmt::format("section {} offset out of range", s));
    }
    if (e.count > (size_ - e.offset) / kRecordSize[s]) {
      return bad(fmt::format("section {} runs past the end of the file", s));
    }
    ptr[s] = base_ + e.offset;
  }
  source_table_ = static_cast<const uint8_t*>(ptr[kSources]);
  entities_ = static_cast<const EntityRec*>(ptr[kEntities]);
  relations_ = static_cast<const RelationRec*>(ptr[kRelations]);
  props_ = static_cast<const PropRec*>(ptr[kProps]);
  fields_ = static_cast<const StrRef*>(ptr[kFields]);
  id_order_ = static_cast<const uint32_t*>(ptr[kIdOrder]);
  rel_by_from_ = static_cast<const uint32_t*>(ptr[kRelByFrom]);
  rel_by_to_ = static_cast<const uint32_t*>(ptr[kRelByTo]);
  blob_ = static_cast<const char*>(ptr[kBlob]);
  n_sources_ = h.sections[kSources].count;
  n_entities_ = h.sections[kEntities].count;
  n_relations_ = h.sections[kRelations].count;
  n_props_ = h.sections[kProps].count;
  n_fields_ = h.sections[kFields].count;
  blob_size_ = h.sections[kBlob].count;
  if (h.sections[kIdOrder].count != n_entities_ ||
      h.sections[kRelByFrom].count != n_relations_ ||
      h.sections[kRelByTo].count != n_relations_) {
    return bad("index sizes do not match the tables");
  }
  if (n_entities_ >= kNoEntity || n_relations_ >= kNoEntity) return bad("too many records");

  auto str_ok = [&](StrRef r) {
    return static_cast<uint64_t>(r.off) + r.len <= blob_size_;
  };
  auto props_ok = [&](uint32_t begin, uint32_t count) {
    return static_cast<uint64_t>(begin) + count <= n_props_;
  };
  for (uint64_t i = 0; i < n_sources_; ++i) {
    SourceRec r;
    std::memcpy(&r, source_table_ + i * sizeof(SourceRec), sizeof(r));
    if (!str_ok(r.format) || !str_ok(r.path) || !str_ok(r.sha256) ||
        !str_ok(r.published)) {
      return bad(fmt::format("source {} has a string out of range", i));
    }
  }
  for (uint64_t i = 0; i < n_fields_; ++i) {
    if (!str_ok(fields_[i])) return bad(fmt::format("field {} out of range", i));
  }
  for (uint64_t i = 0; i < n_props_; ++i) {
    const PropRec& p = props_[i];
    if (p.kind >= static_cast<uint8_t>(PropKind::kCount) ||
        static_cast<uint64_t>(p.first_field) + p.nfields > n_fields_) {
      return bad(fmt::format("fact {} is malformed", i));
    }
  }
  for (uint64_t i = 0; i < n_entities_; ++i) {
    const EntityRec& e = entities_[i];
    if (!str_ok(e.id) || !str_ok(e.source_id) || e.source >= n_sources_ ||
        e.schema > static_cast<uint8_t>(Schema::kAircraft) ||
        !props_ok(e.prop_begin, e.prop_count)) {
      return bad(fmt::format("entity {} is malformed", i));
    }
    if (id_order_[i] >= n_entities_) return bad("id index out of range");
  }
  for (uint64_t i = 0; i < n_relations_; ++i) {
    const RelationRec& r = relations_[i];
    if (r.kind > static_cast<uint8_t>(RelationKind::kControl) ||
        r.source >= n_sources_ ||
        (r.from_index != kNoEntity && r.from_index >= n_entities_) ||
        (r.to_index != kNoEntity && r.to_index >= n_entities_) ||
        !str_ok(r.id) || !str_ok(r.from_id) || !str_ok(r.to_id) ||
        !str_ok(r.from_name) || !str_ok(r.to_name) || !str_ok(r.role) ||
        !str_ok(r.start) || !str_ok(r.end) || !props_ok(r.prop_begin, r.prop_count)) {
      return bad(fmt::format("relation {} is malformed", i));
    }
    if (rel_by_from_[i] >= n_relations_ || rel_by_to_[i] >= n_relations_) {
      return bad("relation index out of range");
    }
  }
  return Status::Ok();
}

Status Snapshot::Verify() const {
  Header h;
  std::memcpy(&h, base_, sizeof(h));
  Header zeroed = h;
  std::memset(zeroed.hash, 0, sizeof(zeroed.hash));
  Sha256 sha;
  sha.Update(&zeroed, sizeof(zeroed));
  sha.Update(base_ + sizeof(Header), size_ - sizeof(Header));
  Sha256Digest d = sha.Finish();
  if (std::memcmp(d.data(), h.hash, d.size()) != 0) {
    return DataLossError(fmt::format(
        "{}: content hash mismatch: stored {}, computed {} (the file was changed "
        "after it was built)",
        name_, ToHex(h.hash, sizeof(h.hash)), ToHex(d)));
  }
  return Status::Ok();
}

std::string Snapshot::hash() const {
  Header h;
  std::memcpy(&h, base_, sizeof(h));
  return ToHex(h.hash, sizeof(h.hash));
}

uint32_t Snapshot::format_version() const {
  Header h;
  std::memcpy(&h, base_, sizeof(h));
  return h.version;
}

size_t Snapshot::source_count() const { return n_sources_; }
size_t Snapshot::entity_count() const { return n_entities_; }
size_t Snapshot::relation_count() const { return n_relations_; }

SourceInfo Snapshot::source(size_t i) const {
  SourceRec r;
  std::memcpy(&r, source_table_ + i * sizeof(SourceRec), sizeof(r));
  SourceInfo s;
  s.format = std::string(Str(r.format));
  s.path = std::string(Str(r.path));
  s.sha256 = std::string(Str(r.sha256));
  s.published = std::string(Str(r.published));
  s.rows = r.rows;
  s.entities = r.entities;
  s.relations = r.relations;
  s.rejected = r.rejected;
  return s;
}

std::optional<EntityView> Snapshot::FindById(std::string_view id) const {
  const uint32_t* begin = id_order_;
  const uint32_t* end = id_order_ + n_entities_;
  const uint32_t* it = std::lower_bound(begin, end, id, [&](uint32_t i, std::string_view v) {
    return Str(entities_[i].id) < v;
  });
  if (it == end || Str(entities_[*it].id) != id) return std::nullopt;
  return EntityView(this, *it);
}

std::vector<RelationView> Snapshot::RelationsFrom(uint32_t entity_index) const {
  std::vector<RelationView> out;
  const uint32_t* begin = rel_by_from_;
  const uint32_t* end = rel_by_from_ + n_relations_;
  auto it = std::lower_bound(begin, end, entity_index, [&](uint32_t r, uint32_t e) {
    return relations_[r].from_index < e;
  });
  for (; it != end && relations_[*it].from_index == entity_index; ++it) {
    out.emplace_back(this, *it);
  }
  return out;
}

std::vector<RelationView> Snapshot::RelationsTo(uint32_t entity_index) const {
  std::vector<RelationView> out;
  const uint32_t* begin = rel_by_to_;
  const uint32_t* end = rel_by_to_ + n_relations_;
  auto it = std::lower_bound(begin, end, entity_index, [&](uint32_t r, uint32_t e) {
    return relations_[r].to_index < e;
  });
  for (; it != end && relations_[*it].to_index == entity_index; ++it) {
    out.emplace_back(this, *it);
  }
  return out;
}

// ---------------------------------------------------------------- views

std::string_view PropView::field(size_t i) const {
  if (i >= r_->nfields) return {};
  return s_->Str(s_->FieldAt(r_->first_field + static_cast<uint32_t>(i)));
}

EntityView::EntityView(const Snapshot* s, uint32_t index) : s_(s), index_(index) {}
std::string_view EntityView::id() const { return s_->Str(s_->EntityRecAt(index_).id); }
std::string_view EntityView::source_id() const {
  return s_->Str(s_->EntityRecAt(index_).source_id);
}
uint32_t EntityView::source_index() const { return s_->EntityRecAt(index_).source; }
Schema EntityView::schema() const {
  return static_cast<Schema>(s_->EntityRecAt(index_).schema);
}

std::vector<PropView> EntityView::Props(PropKind kind) const {
  const EntityRec& e = s_->EntityRecAt(index_);
  std::vector<PropView> out;
  for (uint32_t i = e.prop_begin; i < e.prop_begin + e.prop_count; ++i) {
    const PropRec& p = s_->PropRecAt(i);
    if (p.kind == static_cast<uint8_t>(kind)) out.emplace_back(s_, &p);
  }
  return out;
}

std::vector<std::string_view> EntityView::Values(PropKind kind) const {
  std::vector<std::string_view> out;
  for (const PropView& p : Props(kind)) out.push_back(p.field(0));
  return out;
}

std::string_view EntityView::primary_name() const {
  const EntityRec& e = s_->EntityRecAt(index_);
  std::string_view first;
  for (uint32_t i = e.prop_begin; i < e.prop_begin + e.prop_count; ++i) {
    const PropRec& p = s_->PropRecAt(i);
    if (p.kind != static_cast<uint8_t>(PropKind::kName)) continue;
    PropView v(s_, &p);
    if (p.sub == static_cast<uint8_t>(NameKind::kPrimary)) return v.field(0);
    if (first.empty()) first = v.field(0);
  }
  return first;
}

std::string_view EntityView::Property(std::string_view key) const {
  for (const PropView& p : Props(PropKind::kProperty)) {
    if (p.field(0) == key) return p.field(1);
  }
  return {};
}

namespace {
std::string S(std::string_view v) { return std::string(v); }

Citation ToCitation(const PropView& p) {
  Citation c;
  c.text = S(p.field(0));
  c.url = S(p.field(1));
  c.effective = S(p.field(2));
  c.fact = S(p.field(3));
  c.verification = static_cast<Verification>(p.sub());
  return c;
}
}  // namespace

Entity EntityView::ToEntity() const {
  Entity e;
  e.id = S(id());
  e.source_id = S(source_id());
  e.schema = schema();
  const EntityRec& r = s_->EntityRecAt(index_);
  for (uint32_t i = r.prop_begin; i < r.prop_begin + r.prop_count; ++i) {
    PropView p(s_, &s_->PropRecAt(i));
    switch (p.kind()) {
      case PropKind::kName:
        e.names.push_back(Name{S(p.field(0)), static_cast<NameKind>(p.sub())});
        break;
      case PropKind::kCountry:
        e.countries.push_back(Country{S(p.field(0)), static_cast<CountryRole>(p.sub()),
                                      S(p.field(1))});
        break;
      case PropKind::kIdentifier:
        e.identifiers.push_back(Identifier{static_cast<IdKind>(p.sub()), S(p.field(0)),
                                           S(p.field(1)), S(p.field(2))});
        break;
      case PropKind::kAddress:
        e.addresses.push_back(Address{S(p.field(0)), S(p.field(1)), S(p.field(2)),
                                      S(p.field(3)), S(p.field(4)), S(p.field(5))});
        break;
      case PropKind::kDate:
        e.dates.push_back(DateFact{static_cast<DateKind>(p.sub()), S(p.field(0))});
        break;
      case PropKind::kList: e.lists.push_back(S(p.field(0))); break;
      case PropKind::kProgram: e.programs.push_back(S(p.field(0))); break;
      case PropKind::kTopic: e.topics.push_back(S(p.field(0))); break;
      case PropKind::kProperty:
        e.properties.push_back(refdata::Property{S(p.field(0)), S(p.field(1))});
        break;
      case PropKind::kCitation: e.citations.push_back(ToCitation(p)); break;
      case PropKind::kCount: break;
    }
  }
  return e;
}

RelationView::RelationView(const Snapshot* s, uint32_t index) : s_(s), index_(index) {}
RelationKind RelationView::kind() const {
  return static_cast<RelationKind>(s_->RelationRecAt(index_).kind);
}
uint32_t RelationView::source_index() const { return s_->RelationRecAt(index_).source; }
std::string_view RelationView::id() const { return s_->Str(s_->RelationRecAt(index_).id); }
std::string_view RelationView::from_id() const {
  return s_->Str(s_->RelationRecAt(index_).from_id);
}
std::string_view RelationView::to_id() const {
  return s_->Str(s_->RelationRecAt(index_).to_id);
}
std::string_view RelationView::from_name() const {
  return s_->Str(s_->RelationRecAt(index_).from_name);
}
std::string_view RelationView::to_name() const {
  return s_->Str(s_->RelationRecAt(index_).to_name);
}
std::string_view RelationView::role() const {
  return s_->Str(s_->RelationRecAt(index_).role);
}
std::string_view RelationView::start_date() const {
  return s_->Str(s_->RelationRecAt(index_).start);
}
std::string_view RelationView::end_date() const {
  return s_->Str(s_->RelationRecAt(index_).end);
}
double RelationView::share_min() const { return s_->RelationRecAt(index_).share_min; }
double RelationView::share_max() const { return s_->RelationRecAt(index_).share_max; }
std::optional<uint32_t> RelationView::from_index() const {
  uint32_t i = s_->RelationRecAt(index_).from_index;
  if (i == kNoEntity) return std::nullopt;
  return i;
}
std::optional<uint32_t> RelationView::to_index() const {
  uint32_t i = s_->RelationRecAt(index_).to_index;
  if (i == kNoEntity) return std::nullopt;
  return i;
}
std::vector<PropView> RelationView::Citations() const {
  const RelationRec& r = s_->RelationRecAt(index_);
  std::vector<PropView> out;
  for (uint32_t i = r.prop_begin; i < r.prop_begin + r.prop_count; ++i) {
    out.emplace_back(s_, &s_->PropRecAt(i));
  }
  return out;
}

Relation RelationView::ToRelation() const {
  Relation r;
  r.kind = kind();
  r.id = S(id());
  r.from_id = S(from_id());
  r.to_id = S(to_id());
  r.from_name = S(from_name());
  r.to_name = S(to_name());
  r.share_min = share_min();
  r.share_max = share_max();
  r.role = S(role());
  r.start_date = S(start_date());
  r.end_date = S(end_date());
  for (const PropView& p : Citations()) r.citations.push_back(ToCitation(p));
  return r;
}

}  // namespace icts::refdata
