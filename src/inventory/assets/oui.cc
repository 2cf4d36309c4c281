#include "inventory/assets/oui.h"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <utility>

#include "base/file.h"
#include "base/strings.h"
#include "refdata/countries.h"
#include "refdata/csv.h"

namespace icts::inventory {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsCountryCode(std::string_view token) {
  if (token.size() != 2 || !std::isupper(static_cast<unsigned char>(token[0])) ||
      !std::isupper(static_cast<unsigned char>(token[1]))) {
    return false;
  }
  return !refdata::CountryName(token).empty();
}

}  // namespace

std::string MacAddress::ToString() const {
  return fmt::format("{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}", (value >> 40) & 0xFF,
                     (value >> 32) & 0xFF, (value >> 24) & 0xFF, (value >> 16) & 0xFF,
                     (value >> 8) & 0xFF, value & 0xFF);
}

Result<MacAddress> ParseMac(std::string_view text) {
  text = TrimAscii(text);
  auto bad = [&]() {
    return InvalidArgumentError(
        fmt::format("bad MAC address \"{}\": expected six hex pairs such as 00:1A:2B:3C:4D:5E "
                    "(also 00-1A-2B-3C-4D-5E, 001a.2b3c.4d5e or 001A2B3C4D5E)",
                    text));
  };
  // Accepted layouts, by separator positions.
  std::string hex;
  if (text.size() == 17 && (text[2] == ':' || text[2] == '-')) {
    char sep = text[2];
    for (size_t i = 0; i < text.size(); ++i) {
      if (i % 3 == 2) {
        if (text[i] != sep) return bad();
      } else {
        hex.push_back(text[i]);
      }
    }
  } else if (text.size() == 14 && text[4] == '.' && text[9] == '.') {
    for (size_t i = 0; i < text.size(); ++i) {
      if (i != 4 && i != 9) hex.push_back(text[i]);
    }
  } else if (text.size() == 12) {
    hex = std::string(text);
  } else {
    return bad();
  }
  uint64_t value = 0;
  for (char c : hex) {
    int digit = HexValue(c);
    if (digit < 0) return bad();
    value = (value << 4) | static_cast<uint64_t>(digit);
  }
  return MacAddress{value};
}

std::string OuiLookup::Explain() const {
  switch (outcome) {
    case Outcome::kFound:
      return fmt::format("{} block {} is registered to {}{}", registry, assignment, organization,
                         country.empty() ? "" : fmt::format(" ({})", country));
    case Outcome::kPrivate:
      return fmt::format("{} block {} is registered privately (the holder is not published)",
                         registry, assignment);
    case Outcome::kNotFound:
      return "no IEEE registration covers this address";
    case Outcome::kLocallyAdministered:
      return "locally administered address (bit 0x02 of the first octet): assigned by software "
             "or randomised, so it names no manufacturer";
    case Outcome::kMulticast:
      return "multicast address (bit 0x01 of the first octet): a group address, not a device";
  }
  return "";
}

std::string OuiRegistry::CountryFromAddress(std::string_view address) {
  std::vector<std::string_view> tokens = SplitTrimmed(address, ' ');
  size_t fallback = tokens.size();
  for (size_t i = tokens.size(); i-- > 0;) {
    size_t after = tokens.size() - 1 - i;
    if (after > 4) break;
    if (!IsCountryCode(tokens[i])) continue;
    bool postal = false;
    for (size_t j = i + 1; j < tokens.size(); ++j) {
      for (char c : tokens[j]) postal = postal || std::isdigit(static_cast<unsigned char>(c));
    }
    if (postal) return std::string(tokens[i]);
    if (fallback == tokens.size()) fallback = i;
  }
  return fallback < tokens.size() ? std::string(tokens[fallback]) : std::string();
}

Result<OuiRegistry> OuiRegistry::LoadDirectory(const std::string& dir) {
  OuiRegistry registry;
  int loaded = 0;
  for (const char* file : {"oui.csv", "mam.csv", "oui36.csv", "iab.csv"}) {
    std::string path = dir + "/" + file;
    if (!std::filesystem::exists(path)) continue;
    ICTS_ASSIGN_OR_RETURN(MappedFile mapped, MappedFile::Open(path));
    ICTS_RETURN_IF_ERROR(registry.AddCsv(mapped.data(), path));
    ++loaded;
  }
  if (loaded == 0) {
    return NotFoundError(fmt::format(
        "{}: no IEEE registry files (oui.csv, mam.csv, oui36.csv, iab.csv); install the "
        "ieee-data package",
        dir));
  }
  return registry;
}

Status OuiRegistry::AddCsv(std::string_view data, const std::string& name) {
  if (StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
  refdata::CsvReader reader(data, name);
  refdata::CsvRecord record;
  bool header = true;
  while (reader.Next(&record)) {
    if (header) {
      header = false;
      if (record.fields.size() < 4 || !EqualsIgnoreCaseAscii(record.fields[0], "Registry") ||
          !EqualsIgnoreCaseAscii(record.fields[1], "Assignment")) {
        return InvalidArgumentError(fmt::format(
            "{}:{}: expected the header Registry,Assignment,Organization Name,Organization "
            "Address",
            name, record.line));
      }
      continue;
    }
    if (record.fields.size() != 4) {
      return InvalidArgumentError(fmt::format("{}:{}: expected 4 fields, found {}", name,
                                              record.line, record.fields.size()));
    }
    std::string_view assignment = TrimAscii(record.fields[1]);
    int bits = static_cast<int>(assignment.size()) * 4;
    int table = bits == 36 ? 0 : bits == 28 ? 1 : bits == 24 ? 2 : -1;
    uint64_t prefix = 0;
    for (char c : assignment) {
      int digit = HexValue(c);
      if (digit < 0) table = -1;
      prefix = (prefix << 4) | static_cast<uint64_t>(digit < 0 ? 0 : digit);
    }
    if (table < 0) {
      return InvalidArgumentError(fmt::format(
          "{}:{}: assignment \"{}\" is not 6, 7 or 9 hex digits", name, record.line, assignment));
    }
    auto [it, inserted] = by_prefix_[table].emplace(prefix, static_cast<uint32_t>(entries_.size()));
    if (!inserted) continue;  // The first registration of a prefix wins.
    Entry entry;
    entry.registry = std::string(TrimAscii(record.fields[0]));
    entry.assignment = ToUpperAscii(assignment);
    entry.organization = std::string(TrimAscii(record.fields[2]));
    entry.address = CollapseWhitespace(record.fields[3]);
    entry.country = CountryFromAddress(entry.address);
    entries_.push_back(std::move(entry));
  }
  if (!reader.status().ok()) return reader.status();
  if (reader.truncated_line() != 0) {
    return DataLossError(
        fmt::format("{}:{}: {}", name, reader.truncated_line(), refdata::kTruncatedRecordReason));
  }
  return Status::Ok();
}

OuiLookup OuiRegistry::Lookup(const MacAddress& mac) const {
  OuiLookup result;
  if (mac.multicast()) {
    result.outcome = OuiLookup::Outcome::kMulticast;
    return result;
  }
  if (mac.locally_administered()) {
    result.outcome = OuiLookup::Outcome::kLocallyAdministered;
    return result;
  }
  for (int table = 0; table < 3; ++table) {
    uint64_t prefix = mac.value >> (48 - kPrefixBits[table]);
    auto it = by_prefix_[table].find(prefix);
    if (it == by_prefix_[table].end()) continue;
    const Entry& entry = entries_[it->second];
    result.registry = entry.registry;
    result.assignment = entry.assignment;
    if (EqualsIgnoreCaseAscii(entry.organization, "Private")) {
      result.outcome = OuiLookup::Outcome::kPrivate;
      return result;
    }
    result.outcome = OuiLookup::Outcome::kFound;
    result.organization = entry.organization;
    result.country = entry.country;
    result.address = entry.address;
    return result;
  }
  return result;
}

}  // namespace icts::inventory
