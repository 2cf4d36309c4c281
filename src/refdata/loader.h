// What every list loader shares: its input, where it sends entities, and the
// report it keeps (rows read, entities made, rows rejected with file:line).
//
// Loaders read bytes already in memory (a MappedFile for real files, a buffer
// in fuzz targets) and stream over them in one pass. Two kinds of problems:
//  - a malformed row (wrong field count, missing name, bad reference) is
//    recorded as a Reject with its file and line, and loading continues;
//  - a corrupt file (broken quoting, truncated XML, invalid UTF-8, unreadable
//    structure) ends the load with a DATA_LOSS or INVALID_ARGUMENT Status whose
//    message starts with "file:line:column: ".
#ifndef ICTS_REFDATA_LOADER_H_
#define ICTS_REFDATA_LOADER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "refdata/model.h"

namespace icts::refdata {

// One input file: its display path (as given by the user, used in messages)
// and its bytes.
struct Input {
  std::string path;
  std::string_view data;
};

struct Reject {
  std::string file;
  uint64_t line = 0;
  std::string reason;
};

struct LoadReport {
  uint64_t rows = 0;       // Data rows / records read (header rows excluded).
  uint64_t entities = 0;   // Entities emitted.
  uint64_t relations = 0;  // Relations emitted.
  uint64_t rejected = 0;   // Rows skipped; details in `rejects`.
  std::vector<Reject> rejects;  // At most kMaxRejectDetails kept.
  std::string published;   // ISO publication date when the file states one.

  static constexpr size_t kMaxRejectDetails = 1000;
  void AddReject(const std::string& file, uint64_t line, std::string reason);
};

// Receives what a loader makes. Implementations decide what to keep.
class EntitySink {
 public:
  virtual ~EntitySink() = default;
  virtual void AddEntity(Entity&& entity) = 0;
  virtual void AddRelation(Relation&& relation) = 0;
};

// A sink that keeps everything in memory (tests, the snapshot builder).
class CollectingSink : public EntitySink {
 public:
  void AddEntity(Entity&& entity) override { entities.push_back(std::move(entity)); }
  void AddRelation(Relation&& relation) override {
    relations.push_back(std::move(relation));
  }
  std::vector<Entity> entities;
  std::vector<Relation> relations;
};

// "path:line:column: message" for a byte offset inside `data`.
Status ErrorAt(StatusCode code, const std::string& path, std::string_view data,
               size_t offset, std::string_view message);
// "path:line: message".
Status ErrorAtLine(StatusCode code, const std::string& path, uint64_t line,
                   std::string_view message);

// Fails with "path:line:column: invalid UTF-8 ..." unless `input` is valid
// UTF-8. Every loader calls this first: real lists are UTF-8 and a wrong byte
// means a damaged or mis-encoded file.
Status CheckUtf8(const Input& input);

// Strips a UTF-8 byte-order mark and trailing DOS end-of-file bytes (0x1A).
std::string_view StripBomAndEof(std::string_view data);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_LOADER_H_
