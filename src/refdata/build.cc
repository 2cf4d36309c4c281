#include "refdata/build.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "base/file.h"
#include "base/log.h"
#include "base/sha256.h"
#include "refdata/csl_loader.h"
#include "refdata/curated_loader.h"
#include "refdata/dpl_loader.h"
#include "refdata/ftm_loader.h"
#include "refdata/ofac_loader.h"
#include "refdata/un_loader.h"

namespace icts::refdata {
namespace {

Status ConfigError(const std::string& path, const YAML::Mark& mark,
                   std::string_view message) {
  if (mark.line < 0) return InvalidArgumentError(fmt::format("{}: {}", path, message));
  return InvalidArgumentError(
      fmt::format("{}:{}:{}: {}", path, mark.line + 1, mark.column + 1, message));
}

// Sink that records which source each entity and relation came from.
class SourceSink : public EntitySink {
 public:
  SourceSink(SnapshotContent* content, uint32_t source)
      : content_(content), source_(source) {}
  void AddEntity(Entity&& e) override {
    content_->entities.push_back(std::move(e));
    content_->entity_source.push_back(source_);
    ++entities;
  }
  void AddRelation(Relation&& r) override {
    content_->relations.push_back(std::move(r));
    content_->relation_source.push_back(source_);
    ++relations;
  }
  uint64_t entities = 0;
  uint64_t relations = 0;

 private:
  SnapshotContent* content_;
  uint32_t source_;
};

// Counting wrapper so the snapshot's per-source counts do not depend on each
// loader keeping its report in step.
class CountingSink : public EntitySink {
 public:
  explicit CountingSink(EntitySink& inner) : inner_(inner) {}
  void AddEntity(Entity&& e) override {
    ++entities;
    inner_.AddEntity(std::move(e));
  }
  void AddRelation(Relation&& r) override {
    ++relations;
    inner_.AddRelation(std::move(r));
  }
  uint64_t entities = 0;
  uint64_t relations = 0;

 private:
  EntitySink& inner_;
};

Status LoadOfacSet(const SourceSpec& spec, OfacList list, EntitySink& sink,
                   SourceInfo& info, LoadReport& report) {
  std::filesystem::path p(spec.resolved_path);
  std::error_code ec;
  std::filesystem::path dir =
      std::filesystem::is_directory(p, ec) ? p : p.parent_path();
  OfacFileNames names = OfacFileNamesFor(list);
  if (!std::filesystem::is_directory(p, ec) && !std::filesystem::exists(p, ec)) {
    return NotFoundError(fmt::format("{}: no such file or folder", spec.resolved_path));
  }
  std::string display_dir = std::filesystem::path(spec.path).has_extension()
                                ? std::filesystem::path(spec.path).parent_path().string()
                                : spec.path;
  auto display = [&](const std::string& file) {
    return display_dir.empty() ? file : display_dir + "/" + file;
  };
  MappedFile files[4];
  OfacInputs inputs;
  Input* slots[4] = {&inputs.main, &inputs.addresses, &inputs.aliases, &inputs.comments};
  const std::string* file_names[4] = {&names.main, &names.addresses, &names.aliases,
                                      &names.comments};
  std::string manifest;
  for (int i = 0; i < 4; ++i) {
    std::string full = (dir / *file_names[i]).string();
    if (!std::filesystem::exists(full, ec)) {
      if (i == 0) {
        return NotFoundError(fmt::format(
            "{}: the OFAC set has no {} (expected in {})", spec.path,
            *file_names[i], dir.string()));
      }
      continue;
    }
    ICTS_ASSIGN_OR_RETURN(files[i], MappedFile::Open(full));
    slots[i]->path = display(*file_names[i]);
    slots[i]->data = files[i].data();
    manifest += fmt::format("{} {}\n", *file_names[i], Sha256Hex(files[i].data()));
  }
  info.sha256 = Sha256Hex(manifest);
  return LoadOfac(inputs, list, sink, report);
}

}  // namespace

const std::vector<std::string>& SourceFormats() {
  static const std::vector<std::string> kFormats = {
      "csl", "ofac", "ofac-cons", "dpl", "un", "ftm", "curated"};
  return kFormats;
}

bool IsKnownFormat(std::string_view format) {
  for (const std::string& f : SourceFormats()) {
    if (f == format) return true;
  }
  return false;
}

Result<BuildConfig> ParseBuildConfig(std::string_view yaml,
                                     const std::string& config_path) {
  BuildConfig config;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) {
      return ConfigError(config_path, root.Mark(),
                         "expected a mapping with a 'sources' list");
    }
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      if (key != "sources") {
        return ConfigError(config_path, kv.first.Mark(),
                           fmt::format("unknown key '{}' (expected 'sources')", key));
      }
    }
    YAML::Node sources = root["sources"];
    if (!sources || !sources.IsSequence() || sources.size() == 0) {
      return ConfigError(config_path, root.Mark(),
                         "'sources' must be a non-empty list of {format, path}");
    }
    for (const YAML::Node& s : sources) {
      if (!s.IsMap()) {
        return ConfigError(config_path, s.Mark(), "each source must be a mapping");
      }
      SourceSpec spec;
      for (const auto& kv : s) {
        std::string key = kv.first.as<std::string>();
        if (!kv.second.IsScalar()) {
          return ConfigError(config_path, kv.second.Mark(),
                             fmt::format("'{}' must be a string", key));
        }
        std::string value = kv.second.as<std::string>();
        if (key == "format") {
          spec.format = value;
        } else if (key == "path") {
          spec.path = value;
        } else if (key == "url") {
          spec.url = value;
        } else {
          return ConfigError(config_path, kv.first.Mark(),
                             fmt::format("unknown key '{}' in a source (expected "
                                         "format, path, url)",
                                         key));
        }
      }
      if (!IsKnownFormat(spec.format)) {
        return ConfigError(
            config_path, s.Mark(),
            fmt::format("unknown or missing format '{}' (expected one of csl, ofac, "
                        "ofac-cons, dpl, un, ftm, curated)",
                        spec.format));
      }
      if (spec.path.empty() && spec.url.empty()) {
        return ConfigError(config_path, s.Mark(), "a source needs a 'path' (or a 'url')");
      }
      if (!spec.path.empty()) {
        spec.resolved_path = ResolveRelativeTo(config_path, spec.path);
      }
      config.sources.push_back(std::move(spec));
    }
  } catch (const YAML::Exception& e) {
    return ConfigError(config_path, e.mark, e.msg);
  }
  return config;
}

Result<BuildConfig> ReadBuildConfig(const std::string& config_path) {
  ICTS_ASSIGN_OR_RETURN(std::string text, ReadFileToString(config_path));
  return ParseBuildConfig(text, config_path);
}

Status LoadSource(const SourceSpec& spec, EntitySink& sink, SourceInfo& info,
                  LoadReport& report) {
  info.format = spec.format;
  info.path = spec.path;
  if (spec.resolved_path.empty()) {
    return InvalidArgumentError(fmt::format(
        "source '{}' has no local path (only a url); use 'icts lists fetch'",
        spec.url));
  }
  CountingSink counting(sink);
  Status status;
  if (spec.format == "ofac" || spec.format == "ofac-cons") {
    status = LoadOfacSet(spec,
                         spec.format == "ofac" ? OfacList::kSdn : OfacList::kConsolidated,
                         counting, info, report);
  } else {
    ICTS_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(spec.resolved_path));
    info.sha256 = Sha256Hex(file.data());
    Input input{spec.path, file.data()};
    if (spec.format == "csl") {
      status = LoadCsl(input, counting, report);
    } else if (spec.format == "dpl") {
      status = LoadDpl(input, counting, report);
    } else if (spec.format == "un") {
      status = LoadUn(input, counting, report);
    } else if (spec.format == "ftm") {
      status = LoadFtm(input, counting, report);
    } else if (spec.format == "curated") {
      status = LoadCurated(input, counting, report);
    } else {
      status = InvalidArgumentError(fmt::format("unknown format '{}'", spec.format));
    }
  }
  ICTS_RETURN_IF_ERROR(status);
  info.rows = report.rows;
  info.entities = counting.entities;
  info.relations = counting.relations;
  info.rejected = report.rejected;
  info.published = report.published;
  return Status::Ok();
}

Result<std::string> BuildSnapshotImage(const BuildConfig& config,
                                       const BuildOptions& options,
                                       BuildResult* result) {
  SnapshotContent content;
  BuildResult local;
  BuildResult& res = result != nullptr ? *result : local;
  res = BuildResult();
  for (const SourceSpec& spec : config.sources) {
    auto index = static_cast<uint32_t>(content.sources.size());
    content.sources.emplace_back();
    SourceSink sink(&content, index);
    LoadReport report;
    SourceInfo& info = content.sources.back();
    ICTS_RETURN_IF_ERROR(LoadSource(spec, sink, info, report));
    if (options.on_source) options.on_source(spec, info, report);
    if (options.strict && report.rejected > 0) {
      const Reject& first = report.rejects.front();
      return InvalidArgumentError(fmt::format(
          "{}:{}: {} (--strict: {} rejected row(s) in this source)", first.file,
          first.line, first.reason, report.rejected));
    }
    res.sources.push_back(info);
    res.reports.push_back(std::move(report));
  }
  ICTS_ASSIGN_OR_RETURN(std::string image, SerializeSnapshot(content));
  res.entities = content.entities.size();
  res.relations = content.relations.size();
  res.bytes = image.size();
  res.hash = SnapshotImageHash(image);
  return image;
}

Result<BuildResult> BuildSnapshot(const BuildConfig& config,
                                  const BuildOptions& options,
                                  const std::string& out_path) {
  BuildResult result;
  ICTS_ASSIGN_OR_RETURN(std::string image,
                        BuildSnapshotImage(config, options, &result));
  ICTS_RETURN_IF_ERROR(WriteFileAtomically(out_path, image));
  LogInfo(fmt::format("wrote {} ({} entities, {} bytes, hash {})", out_path,
                      result.entities, result.bytes, result.hash));
  return result;
}

}  // namespace icts::refdata
