// SPDX 2.2 / 2.3 tag-value.
//
// A document is a sequence of "Tag: value" lines; a value may run over
// several lines inside <text>…</text>. Lines end with LF, CRLF or a lone CR
// (some generators write classic Mac line ends). Blank lines and lines
// starting with '#' are skipped. Sections start with PackageName, FileName,
// SnippetSPDXID or LicenseID; package tags outside a package section are
// errors. The input is read twice: once for the document header (version,
// name, namespace, creators, file and snippet counts), once for packages and
// relationships.
#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "inventory/spdx/spdx.h"
#include "inventory/spdx/spdx_common.h"

namespace icts::inventory {
namespace {

using spdx_internal::FormatHash;
using spdx_internal::IsNoAssertion;
using spdx_internal::KindForPurpose;
using spdx_internal::ParseAgent;

struct TvLine {
  std::string_view tag;
  std::string_view value;
  uint64_t line = 0;        // Line of the tag.
  uint64_t tag_column = 1;  // 1-based byte columns.
  uint64_t value_column = 1;
};

bool IsTagChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

class TvLexer {
 public:
  TvLexer(std::string_view data, const std::string& name) : data_(data), name_(name) {}

  // The next "Tag: value" line; false at the end or on error (see status()).
  bool Next(TvLine* out) {
    while (status_.ok() && pos_ < data_.size()) {
      size_t start = pos_;
      size_t end = start;
      while (end < data_.size() && data_[end] != '\n' && data_[end] != '\r') ++end;
      std::string_view text = data_.substr(start, end - start);
      uint64_t line = line_;
      size_t lead = 0;
      while (lead < text.size() && (text[lead] == ' ' || text[lead] == '\t')) ++lead;
      std::string_view body = text.substr(lead);
      if (TrimAscii(body).empty() || body.front() == '#') {
        AdvanceTo(end);
        SkipLineEnd();
        continue;
      }
      size_t colon = body.find(':');
      size_t tag_end = 0;
      while (tag_end < body.size() && IsTagChar(body[tag_end])) ++tag_end;
      if (colon == std::string_view::npos || tag_end == 0 ||
          !TrimAscii(body.substr(tag_end, colon - tag_end)).empty()) {
        Fail(line, lead + 1, "expected \"Tag: value\"");
        return false;
      }
      out->tag = body.substr(0, tag_end);
      out->line = line;
      out->tag_column = lead + 1;
      size_t value_start = start + lead + colon + 1;
      while (value_start < end && (data_[value_start] == ' ' || data_[value_start] == '\t')) {
        ++value_start;
      }
      out->value_column = value_start - start + 1;
      if (data_.substr(value_start, 6) == "<text>") {
        size_t content = value_start + 6;
        size_t close = data_.find("</text>", content);
        if (close == std::string_view::npos) {
          Fail(line, out->value_column,
               "<text> is never closed (no </text> before the end of the file)");
          return false;
        }
        out->value = TrimAscii(data_.substr(content, close - content));
        AdvanceTo(close + 7);
        // Whatever follows </text> on its line is ignored.
        while (pos_ < data_.size() && data_[pos_] != '\n' && data_[pos_] != '\r') ++pos_;
      } else {
        out->value = TrimAscii(data_.substr(value_start, end - value_start));
        AdvanceTo(end);
      }
      SkipLineEnd();
      return true;
    }
    return false;
  }

  const Status& status() const { return status_; }

  Status ErrorAt(uint64_t line, uint64_t column, std::string_view message) const {
    return InvalidArgumentError(fmt::format("{}:{}:{}: {}", name_, line, column, message));
  }

 private:
  void Fail(uint64_t line, uint64_t column, std::string_view message) {
    status_ = ErrorAt(line, column, message);
  }

  // Moves to `target`, counting the line ends passed.
  void AdvanceTo(size_t target) {
    for (; pos_ < target; ++pos_) {
      char c = data_[pos_];
      if (c == '\n' || (c == '\r' && (pos_ + 1 >= data_.size() || data_[pos_ + 1] != '\n'))) {
        ++line_;
      }
    }
  }

  void SkipLineEnd() {
    if (pos_ < data_.size() && data_[pos_] == '\r') ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
    ++line_;
  }

  std::string_view data_;
  const std::string& name_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  Status status_;
};

struct TvHeader {
  std::string version;
  uint64_t version_line = 0, version_column = 0;
  std::string id;
  std::string name;
  std::string namespace_uri;
  std::vector<OrgRef> creators;
  uint64_t files = 0, snippets = 0;
};

Status ReadHeader(std::string_view data, const std::string& name, TvHeader* header) {
  TvLexer lexer(data, name);
  TvLine line;
  bool in_section = false;
  while (lexer.Next(&line)) {
    if (line.tag == "SPDXVersion") {
      if (header->version.empty()) {
        header->version = std::string(line.value);
        header->version_line = line.line;
        header->version_column = line.value_column;
      }
    } else if (line.tag == "DocumentName") {
      header->name = std::string(line.value);
    } else if (line.tag == "DocumentNamespace") {
      header->namespace_uri = std::string(line.value);
    } else if (line.tag == "SPDXID" && !in_section && header->id.empty()) {
      header->id = std::string(line.value);
    } else if (line.tag == "Creator") {
      std::string agent_type;
      auto org = ParseAgent(line.value, "creator", &agent_type);
      if (org) {
        if (agent_type == "Tool") org->role = "tool";
        org->pointer = fmt::format("line {}", line.line);
        header->creators.push_back(std::move(*org));
      }
    } else if (line.tag == "PackageName" || line.tag == "LicenseID") {
      in_section = true;
    } else if (line.tag == "FileName") {
      in_section = true;
      ++header->files;
    } else if (line.tag == "SnippetSPDXID") {
      in_section = true;
      ++header->snippets;
    }
  }
  return lexer.status();
}

bool IsPackageOnlyTag(std::string_view tag) {
  return (StartsWith(tag, "Package") && tag != "PackageName") || tag == "ExternalRef" ||
         tag == "ExternalRefComment" || tag == "PrimaryPackagePurpose" || tag == "FilesAnalyzed" ||
         tag == "ReleaseDate" || tag == "BuiltDate" || tag == "ValidUntilDate";
}

class TvBody {
 public:
  TvBody(std::string_view data, const std::string& name, const TvHeader& header, ItemSink* sink)
      : lexer_(data, name), name_(name), header_(header), sink_(sink) {}

  Status Run() {
    if (!header_.id.empty()) ids_.emplace(header_.id, "the document");
    TvLine line;
    while (lexer_.Next(&line)) {
      ICTS_RETURN_IF_ERROR(Handle(line));
    }
    ICTS_RETURN_IF_ERROR(lexer_.status());
    return Flush();
  }

 private:
  enum class Section { kDocument, kPackage, kFile, kSnippet, kLicense };

  Status Handle(const TvLine& line) {
    std::string_view tag = line.tag;
    if (tag == "PackageName") {
      ICTS_RETURN_IF_ERROR(Flush());
      section_ = Section::kPackage;
      package_ = Item();
      package_.name = std::string(line.value);
      package_.file = name_;
      package_.pointer = fmt::format("line {}", line.line);
      package_line_ = line.line;
      package_column_ = line.tag_column;
      summary_.clear();
      has_purpose_ = false;
      if (package_.name.empty()) {
        return lexer_.ErrorAt(line.line, line.value_column, "PackageName is empty");
      }
      return Status::Ok();
    }
    if (tag == "FileName" || tag == "LicenseID") {
      ICTS_RETURN_IF_ERROR(Flush());
      section_ = tag == "FileName" ? Section::kFile : Section::kLicense;
      return Status::Ok();
    }
    if (tag == "SnippetSPDXID") {
      ICTS_RETURN_IF_ERROR(Flush());
      section_ = Section::kSnippet;
      return AddId(line);
    }
    if (tag == "SPDXID") {
      if (section_ == Section::kPackage) {
        if (!package_.ref.empty()) {
          return lexer_.ErrorAt(
              line.line, line.tag_column,
              fmt::format("second SPDXID for the package that starts at line {}", package_line_));
        }
        package_.ref = std::string(line.value);
        return AddId(line);
      }
      if (section_ == Section::kFile) return AddId(line);
      return Status::Ok();  // The document's own id (checked in Run).
    }
    if (tag == "Relationship") return HandleRelationship(line);
    if (IsPackageOnlyTag(tag)) {
      if (section_ != Section::kPackage) {
        return lexer_.ErrorAt(line.line, line.tag_column,
                              fmt::format("{} outside a package (no PackageName before it)", tag));
      }
      return HandlePackageTag(line);
    }
    return Status::Ok();
  }

  Status HandlePackageTag(const TvLine& line) {
    std::string_view tag = line.tag;
    std::string value(line.value);
    std::string at = fmt::format("line {}", line.line);
    if (tag == "PackageVersion") {
      package_.version = value;
    } else if (tag == "PackageSupplier" || tag == "PackageOriginator") {
      std::string agent_type;
      auto org =
          ParseAgent(value, tag == "PackageSupplier" ? "supplier" : "originator", &agent_type);
      if (org) {
        org->pointer = at;
        package_.orgs.push_back(std::move(*org));
      }
    } else if (tag == "PackageChecksum") {
      size_t colon = value.find(':');
      std::string_view algorithm =
          colon == std::string::npos ? "" : TrimAscii(std::string_view(value).substr(0, colon));
      std::string_view hash =
          colon == std::string::npos ? "" : TrimAscii(std::string_view(value).substr(colon + 1));
      if (algorithm.empty() || hash.empty()) {
        return lexer_.ErrorAt(line.line, line.value_column,
                              "PackageChecksum must be \"ALGORITHM: value\"");
      }
      package_.hashes.push_back(FormatHash(algorithm, hash));
    } else if (tag == "ExternalRef") {
      std::vector<std::string_view> parts = SplitTrimmed(value, ' ');
      if (parts.size() != 3) {
        return lexer_.ErrorAt(line.line, line.value_column,
                              "ExternalRef must be \"CATEGORY type locator\"");
      }
      std::string type(parts[1]);
      std::string locator(parts[2]);
      if (type == "purl") {
        if (package_.purl.empty()) {
          package_.purl = locator;
        } else if (package_.purl != locator) {
          package_.properties.emplace_back("purl", locator);
        }
      } else if (type == "cpe22Type" || type == "cpe23Type") {
        package_.cpes.push_back(locator);
      } else {
        package_.properties.emplace_back("externalRef:" + type, locator);
      }
    } else if (tag == "PrimaryPackagePurpose") {
      package_.type = value;
      has_purpose_ = !value.empty();
    } else if (tag == "PackageDescription") {
      package_.description = value;
    } else if (tag == "PackageSummary") {
      summary_ = value;
    } else if (tag == "PackageDownloadLocation" || tag == "PackageHomePage" ||
               tag == "PackageLicenseConcluded" || tag == "PackageLicenseDeclared") {
      static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
          {"PackageDownloadLocation", "downloadLocation"},
          {"PackageHomePage", "homepage"},
          {"PackageLicenseConcluded", "licenseConcluded"},
          {"PackageLicenseDeclared", "licenseDeclared"}};
      for (const auto& [tv_name, json_name] : kNames) {
        if (tag == tv_name && !IsNoAssertion(value)) {
          package_.properties.emplace_back(std::string(json_name), value);
        }
      }
    }
    return Status::Ok();
  }

  Status HandleRelationship(const TvLine& line) {
    std::vector<std::string_view> parts = SplitTrimmed(line.value, ' ');
    if (parts.size() != 3) {
      return lexer_.ErrorAt(line.line, line.value_column,
                            "Relationship must be \"SPDXRef-A RELATIONSHIP_TYPE SPDXRef-B\"");
    }
    return sink_->OnRelation(parts[0], parts[1], parts[2]);
  }

  Status AddId(const TvLine& line) {
    std::string id(line.value);
    if (id.empty()) return lexer_.ErrorAt(line.line, line.value_column, "empty SPDXID");
    auto [it, inserted] = ids_.emplace(id, fmt::format("line {}", line.line));
    if (!inserted) {
      return lexer_.ErrorAt(
          line.line, line.value_column,
          fmt::format("duplicate SPDXID \"{}\" (first defined at {})", id, it->second));
    }
    return Status::Ok();
  }

  Status Flush() {
    if (section_ != Section::kPackage) return Status::Ok();
    section_ = Section::kDocument;
    if (package_.ref.empty()) {
      return lexer_.ErrorAt(package_line_, package_column_,
                            fmt::format("package \"{}\" has no SPDXID", package_.name));
    }
    if (package_.description.empty()) package_.description = std::move(summary_);
    package_.kind = has_purpose_ ? KindForPurpose(package_.type) : "software";
    return sink_->OnItem(std::move(package_));
  }

  TvLexer lexer_;
  const std::string& name_;
  const TvHeader& header_;
  ItemSink* sink_;
  Section section_ = Section::kDocument;
  Item package_;
  uint64_t package_line_ = 0, package_column_ = 1;
  std::string summary_;
  bool has_purpose_ = false;
  std::unordered_map<std::string, std::string> ids_;
};

Status ReadTv(std::string_view data, const std::string& name, ItemSink* sink) {
  if (StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
  if (size_t bad = FindInvalidUtf8(data); bad != std::string_view::npos) {
    LineCol at = LineColAt(data, bad);
    return DataLossError(fmt::format("{}:{}:{}: invalid UTF-8", name, at.line, at.column));
  }
  TvHeader header;
  ICTS_RETURN_IF_ERROR(ReadHeader(data, name, &header));
  if (header.version.empty()) {
    return InvalidArgumentError(
        fmt::format("{}:1:1: not an SPDX tag-value document: there is no SPDXVersion line", name));
  }
  if (header.version != "SPDX-2.2" && header.version != "SPDX-2.3") {
    return InvalidArgumentError(fmt::format(
        "{}:{}:{}: unsupported SPDX version \"{}\" (this reader takes SPDX-2.2 and SPDX-2.3 "
        "tag-value)",
        name, header.version_line, header.version_column, header.version));
  }
  DocumentInfo info;
  info.file = name;
  info.format = "spdx-tv";
  info.spec_version = header.version;
  info.serial = header.namespace_uri;
  info.name = header.name;
  info.creators = header.creators;
  if (header.files + header.snippets > 0) {
    info.warnings.push_back(fmt::format(
        "{}: {} files and {} snippets are listed; SPDX files and snippets are not inventory "
        "items and were skipped",
        name, header.files, header.snippets));
  }
  ICTS_RETURN_IF_ERROR(sink->OnDocument(info));
  TvBody body(data, name, header, sink);
  return body.Run();
}

}  // namespace

Status ReadSpdxTagValue(std::string_view data, const std::string& name, ItemSink* sink) {
  return ReadTv(data, name, sink);
}

Status ReadSpdxTagValue(const std::string& path, ItemSink* sink) {
  ICTS_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  return ReadTv(file.data(), path, sink);
}

}  // namespace icts::inventory
