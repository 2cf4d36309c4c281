#include "refdata/fetch.h"

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <fmt/format.h>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "refdata/ofac_loader.h"

namespace icts::refdata {
namespace {

namespace fs = std::filesystem;

struct Url {
  std::string scheme;  // http | https | file
  std::string host_port;
  std::string path;
};

Result<Url> ParseUrl(const std::string& url) {
  Url u;
  size_t colon = url.find("://");
  if (colon == std::string::npos) {
    return InvalidArgumentError(fmt::format("'{}' is not an address (no scheme)", url));
  }
  u.scheme = ToLowerAscii(url.substr(0, colon));
  std::string rest = url.substr(colon + 3);
  if (u.scheme == "file") {
    u.path = rest;
    return u;
  }
  if (u.scheme != "http" && u.scheme != "https") {
    return InvalidArgumentError(
        fmt::format("'{}': only http, https and file addresses are supported", url));
  }
  size_t slash = rest.find('/');
  u.host_port = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.host_port.empty()) {
    return InvalidArgumentError(fmt::format("'{}': no host in the address", url));
  }
  return u;
}

std::string LastSegment(const std::string& url) {
  std::string path = url;
  size_t q = path.find_first_of("?#");
  if (q != std::string::npos) path.resize(q);
  while (!path.empty() && path.back() == '/') path.pop_back();
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string DefaultFileName(const std::string& format) {
  if (format == "csl") return "consolidated.csv";
  if (format == "dpl") return "dpl.txt";
  if (format == "un") return "consolidated.xml";
  if (format == "ftm") return "entities.ftm.json";
  return format + ".yaml";
}

std::string RandomSuffix() {
  std::random_device rd;
  return fmt::format("{:08x}", rd());
}

}  // namespace

std::string_view OfficialFetchConfig() {
  return R"(# Official publication addresses of the screening lists.
sources:
  - format: csl
    url: https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv
  - format: ofac
    url: https://www.treasury.gov/ofac/downloads/
  - format: ofac-cons
    url: https://www.treasury.gov/ofac/downloads/consolidated/
  - format: un
    url: https://scsanctions.un.org/resources/xml/en/consolidated.xml
)";
}

Status DownloadTo(const std::string& url, const std::string& dest_path,
                  const FetchOptions& options) {
  ICTS_ASSIGN_OR_RETURN(Url u, ParseUrl(url));
  if (u.scheme == "file") {
    ICTS_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(u.path));
    return WriteFileAtomically(dest_path, bytes);
  }
  httplib::Client client(u.scheme + "://" + u.host_port);
  client.set_connection_timeout(options.connect_timeout_seconds, 0);
  client.set_read_timeout(options.read_timeout_seconds, 0);
  client.set_follow_location(true);
  if (u.scheme == "https") client.enable_server_certificate_verification(true);
  std::string tmp = dest_path + ".part-" + RandomSuffix();
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) {
    return UnavailableError(fmt::format("{}: cannot create file", tmp));
  }
  uint64_t received = 0;
  bool too_big = false;
  bool write_failed = false;
  int http_status = 0;
  auto res = client.Get(
      u.path.c_str(),
      [&](const httplib::Response& r) {
        http_status = r.status;
        return r.status == 200;
      },
      [&](const char* data, size_t len) {
        received += len;
        if (received > options.max_bytes) {
          too_big = true;
          return false;
        }
        out.write(data, static_cast<std::streamsize>(len));
        if (!out) {
          write_failed = true;
          return false;
        }
        return true;
      });
  out.close();
  auto fail = [&](Status s) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return s;
  };
  if (too_big) {
    return fail(UnavailableError(fmt::format("{}: larger than the {} byte limit", url,
                                             options.max_bytes)));
  }
  if (write_failed) return fail(UnavailableError(fmt::format("{}: cannot write", tmp)));
  if (!res) {
    if (http_status != 0 && http_status != 200) {
      return fail(UnavailableError(fmt::format("{}: HTTP {}", url, http_status)));
    }
    return fail(UnavailableError(
        fmt::format("{}: download failed: {}", url, httplib::to_string(res.error()))));
  }
  if (res->status != 200) {
    return fail(UnavailableError(fmt::format("{}: HTTP {}", url, res->status)));
  }
  std::error_code ec;
  fs::rename(tmp, dest_path, ec);
  if (ec) {
    return fail(UnavailableError(
        fmt::format("{}: cannot move into place: {}", dest_path, ec.message())));
  }
  return Status::Ok();
}

Result<BuildResult> FetchAndBuild(const BuildConfig& config,
                                  const FetchOptions& options) {
  if (options.download_dir.empty() || options.out_path.empty()) {
    return InvalidArgumentError("fetch needs a download folder and an output snapshot");
  }
  std::error_code ec;
  fs::create_directories(options.download_dir, ec);
  if (ec) {
    return UnavailableError(fmt::format("{}: cannot create folder: {}",
                                        options.download_dir, ec.message()));
  }
  fs::path staging = fs::path(options.download_dir) / (".staging-" + RandomSuffix());
  fs::create_directories(staging, ec);
  if (ec) {
    return UnavailableError(
        fmt::format("{}: cannot create folder: {}", staging.string(), ec.message()));
  }
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(dir, e);
    }
  } cleanup{staging};

  BuildConfig staged = config;
  std::set<std::string> used;
  std::vector<std::string> folders;  // Staged sub-folders to move into place.
  for (SourceSpec& spec : staged.sources) {
    if (spec.url.empty()) continue;
    std::string folder = spec.format;
    for (int n = 2; used.count(folder) != 0; ++n) folder = fmt::format("{}-{}", spec.format, n);
    used.insert(folder);
    folders.push_back(folder);
    fs::path stage_dir = staging / folder;
    fs::create_directories(stage_dir, ec);
    fs::path final_dir = fs::path(options.download_dir) / folder;
    if (spec.format == "ofac" || spec.format == "ofac-cons") {
      OfacFileNames names = OfacFileNamesFor(spec.format == "ofac" ? OfacList::kSdn
                                                                    : OfacList::kConsolidated);
      std::string base = spec.url;
      if (!EndsWith(base, "/")) base += "/";
      for (const std::string* name :
           {&names.main, &names.addresses, &names.aliases, &names.comments}) {
        if (options.progress) options.progress(fmt::format("downloading {}{}", base, *name));
        ICTS_RETURN_IF_ERROR(
            DownloadTo(base + *name, (stage_dir / *name).string(), options));
      }
      spec.resolved_path = stage_dir.string();
      spec.path = final_dir.string();
    } else {
      std::string name = LastSegment(spec.url);
      if (name.empty() || name == "." || name == "..") name = DefaultFileName(spec.format);
      if (options.progress) options.progress(fmt::format("downloading {}", spec.url));
      ICTS_RETURN_IF_ERROR(DownloadTo(spec.url, (stage_dir / name).string(), options));
      spec.resolved_path = (stage_dir / name).string();
      spec.path = (final_dir / name).string();
    }
  }

  BuildResult result;
  ICTS_ASSIGN_OR_RETURN(std::string image,
                        BuildSnapshotImage(staged, options.build, &result));
  // Everything loaded: move the downloads into place, then the snapshot.
  for (const std::string& folder : folders) {
    fs::path final_dir = fs::path(options.download_dir) / folder;
    fs::path old_dir = fs::path(options.download_dir) / (folder + ".old-" + RandomSuffix());
    bool had_old = fs::exists(final_dir, ec);
    if (had_old) fs::rename(final_dir, old_dir, ec);
    if (ec) {
      return UnavailableError(fmt::format("{}: cannot replace: {}", final_dir.string(),
                                          ec.message()));
    }
    fs::rename(staging / folder, final_dir, ec);
    if (ec) {
      if (had_old) fs::rename(old_dir, final_dir, ec);
      return UnavailableError(fmt::format("{}: cannot move downloads into place",
                                          final_dir.string()));
    }
    if (had_old) fs::remove_all(old_dir, ec);
  }
  ICTS_RETURN_IF_ERROR(WriteFileAtomically(options.out_path, image));
  return result;
}

}  // namespace icts::refdata
