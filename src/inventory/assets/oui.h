// MAC addresses and the IEEE registration authority's registries (MA-L,
// MA-M, MA-S and the older IAB), as Debian's `ieee-data` package ships them:
// CSV files with the columns Registry,Assignment,Organization Name,
// Organization Address.
//
// Lookup takes the longest registered prefix: an MA-S or IAB block (36 bits)
// before an MA-M block (28 bits) before an MA-L block (24 bits), so a
// sub-assigned block names its own holder rather than "IEEE Registration
// Authority". Addresses with the multicast bit (0x01 of the first octet) or
// the locally administered bit (0x02) are not registered to anyone and are
// reported as such, without a lookup.
//
// A loaded registry is immutable; const methods are thread-safe.
#ifndef ICTS_INVENTORY_ASSETS_OUI_H_
#define ICTS_INVENTORY_ASSETS_OUI_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace icts::inventory {

// A 48-bit MAC address.
struct MacAddress {
  uint64_t value = 0;

  bool multicast() const { return (value >> 40) & 0x01; }
  bool locally_administered() const { return (value >> 40) & 0x02; }
  // "AA:BB:CC:DD:EE:FF".
  std::string ToString() const;
};

// Parses "AA:BB:CC:DD:EE:FF", "aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff" (Cisco)
// or "AABBCCDDEEFF". The error message has no location (callers add it).
Result<MacAddress> ParseMac(std::string_view text);

struct OuiLookup {
  enum class Outcome {
    kFound,                // A registrant with a name.
    kPrivate,              // Registered, but the holder chose "Private".
    kNotFound,             // No registered prefix covers the address.
    kLocallyAdministered,  // Bit 0x02 set: assigned by software or randomised.
    kMulticast,            // Bit 0x01 set: a group address, not a device.
  };
  Outcome outcome = Outcome::kNotFound;
  std::string organization;  // As registered ("HUAWEI TECHNOLOGIES CO.,LTD").
  std::string country;       // ISO alpha-2 from the end of the address, or "".
  std::string registry;      // MA-L | MA-M | MA-S | IAB
  std::string assignment;    // Hex prefix as registered ("44D791", "70B3D5F2F").
  std::string address;       // Organisation address as registered.

  bool found() const { return outcome == Outcome::kFound; }
  // One sentence on what was (not) found, for reports.
  std::string Explain() const;
};

class OuiRegistry {
 public:
  // Where Debian's ieee-data package installs the registries.
  static constexpr char kDefaultDirectory[] = "/usr/share/ieee-data";

  // Loads oui.csv, mam.csv, oui36.csv and iab.csv from `dir`. Missing files
  // are skipped; NOT_FOUND when none is there.
  static Result<OuiRegistry> LoadDirectory(const std::string& dir);

  // Adds one registry file; errors name `name` and the line.
  Status AddCsv(std::string_view data, const std::string& name);

  OuiLookup Lookup(const MacAddress& mac) const;
  size_t size() const { return entries_.size(); }

  // The ISO alpha-2 country code near the end of an IEEE address
  // ("No.555 Qianmo Road Hangzhou Zhejiang CN 310052" → "CN"): the last
  // valid code followed by at most four tokens, preferring one followed by
  // a postal code (so "... NL 5656 AE" is NL, not AE); "" when none.
  static std::string CountryFromAddress(std::string_view address);

 private:
  struct Entry {
    std::string registry, assignment, organization, address, country;
  };
  // Prefix tables for 24, 28 and 36 bits, keyed by the prefix value.
  static constexpr int kPrefixBits[3] = {36, 28, 24};
  std::vector<Entry> entries_;
  std::unordered_map<uint64_t, uint32_t> by_prefix_[3];
};

}  // namespace icts::inventory

#endif  // ICTS_INVENTORY_ASSETS_OUI_H_
