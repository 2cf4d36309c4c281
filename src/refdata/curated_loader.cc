#include "refdata/curated_loader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <new>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/date.h"
#include "base/strings.h"
#include "refdata/countries.h"
#include "refdata/model.h"

namespace icts::refdata {
namespace {

// Curated files are a few hundred kilobytes. The cap keeps a hostile input
// from tying up the parser; fuzzing uses a smaller one to stay fast.
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr size_t kMaxInputBytes = size_t{1} << 20;
#else
constexpr size_t kMaxInputBytes = size_t{16} << 20;
#endif

// yaml-cpp parses nested collections recursively (it gives up at depth 2000,
// which is already a deep stack). A curated file needs about six levels, so
// anything whose estimated nesting passes this bound is refused before the
// parser sees it.
constexpr size_t kMaxNestingEstimate = 64;

constexpr std::string_view kIdPrefix = "icts:";
constexpr std::string_view kSourceProperty = "curated_source";
constexpr size_t kMaxIdLength = 128;

// Keys each mapping may hold (docs/curated-format.md).
constexpr std::string_view kTopKeys[] = {"source", "entities", "relations"};
constexpr std::string_view kSourceKeys[] = {"id", "title", "published", "description"};
constexpr std::string_view kEntityKeys[] = {"id",          "schema",    "names",      "countries",
                                            "identifiers", "addresses", "lists",      "programs",
                                            "topics",      "dates",     "properties", "citations"};
constexpr std::string_view kNameKeys[] = {"name", "kind"};
constexpr std::string_view kCountryKeys[] = {"code", "role"};
constexpr std::string_view kIdentifierKeys[] = {"kind", "value", "country", "label"};
constexpr std::string_view kAddressKeys[] = {"full",   "street",      "city",
                                             "region", "postal_code", "country"};
constexpr std::string_view kDateKeys[] = {"kind", "value"};
constexpr std::string_view kCitationKeys[] = {"fact", "text", "url", "effective", "verification"};
constexpr std::string_view kRelationKeys[] = {"kind", "from",  "to",       "share",
                                              "role", "start", "citations"};

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Entity ids: lower-case letters, digits, '-', '.', '_'; starting with a
// letter or digit.
bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength || !IsLowerAlnum(id[0])) {
    return false;
  }
  for (char c : id) {
    if (!IsLowerAlnum(c) && c != '-' && c != '.' && c != '_') return false;
  }
  return true;
}

// Source ids: [a-z0-9-].
bool IsValidSourceId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (char c : id) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

// A full entity id of any source: "prefix:rest", the prefix in [a-z0-9_-],
// the rest free of spaces and control characters.
bool IsValidEntityRef(std::string_view ref) {
  size_t colon = ref.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == ref.size() ||
      ref.size() > 4 * kMaxIdLength) {
    return false;
  }
  for (char c : ref.substr(0, colon)) {
    if (!IsLowerAlnum(c) && c != '-' && c != '_') return false;
  }
  for (char c : ref.substr(colon + 1)) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7F') return false;
  }
  if (StartsWith(ref, kIdPrefix)) return IsValidId(ref.substr(kIdPrefix.size()));
  return true;
}

// ISO 3166-1 alpha-2, upper case, known to the country table. While the
// table is empty (it answers "" even for "US"), any two upper-case letters
// pass.
bool IsValidCountry(std::string_view code) {
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') {
    return false;
  }
  const bool table_ready = !CountryName("US").empty();
  return !table_ready || !CountryName(code).empty();
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "YYYY-MM-DD", or the partial forms "YYYY" and "YYYY-MM".
bool IsValidPartialDate(std::string_view s) {
  if (s.size() == 10) return Date::ParseIso(s).ok();
  if (s.size() == 4) return AllDigits(s) && s != "0000";
  if (s.size() == 7 && s[4] == '-' && AllDigits(s.substr(0, 4)) && AllDigits(s.substr(5, 2)) &&
      s.substr(0, 4) != "0000") {
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    return month >= 1 && month <= 12;
  }
  return false;
}

std::string OneOf(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// An upper-bound guess of how deeply the collections in `data` nest: on each
// line, the indentation plus the block indicators ("- ", "? ", ": ") plus the
// number of unclosed flow brackets. Quoting and comments are ignored, which
// only makes the guess larger. Returns the 0-based offset of the first line
// where the guess passes kMaxNestingEstimate, or npos.
size_t FindExcessiveNesting(std::string_view data) {
  size_t flow_depth = 0;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string_view::npos) end = data.size();
    size_t indent = 0;
    while (pos + indent < end && data[pos + indent] == ' ') ++indent;
    size_t indicators = 0;
    size_t max_flow = flow_depth;
    for (size_t i = pos + indent; i < end; ++i) {
      char c = data[i];
      if (c == '[' || c == '{') {
        ++flow_depth;
        if (flow_depth > max_flow) max_flow = flow_depth;
      } else if (c == ']' || c == '}') {
        if (flow_depth > 0) --flow_depth;
      } else if (c == '-' || c == '?' || c == ':') {
        if (i + 1 == end || data[i + 1] == ' ' || data[i + 1] == '\t' || data[i + 1] == '\r') {
          ++indicators;
        }
      }
    }
    if (indent + indicators + max_flow > kMaxNestingEstimate) return pos;
    pos = end + 1;
  }
  return std::string_view::npos;
}

// Offset of the first character YAML does not allow in a stream (C0
// controls other than tab, line feed and carriage return, and DEL), or npos.
// yaml-cpp mistakes a NUL for the end of the input and can then loop without
// end, so these are refused before parsing.
size_t FindControlCharacter(std::string_view data) {
  for (size_t i = 0; i < data.size(); ++i) {
    auto c = static_cast<unsigned char>(data[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Notes where each document starts and ignores everything else; used to
// count documents without building them.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  std::vector<YAML::Mark> starts;
};

uint64_t LineOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.line < 0 ? 0 : static_cast<uint64_t>(mark.line) + 1;
}

Status ErrorAtMark(const std::string& path, const YAML::Mark& mark, std::string_view message) {
  if (mark.line < 0) {
    return InvalidArgumentError(fmt::format("{}: {}", path, message));
  }
  return InvalidArgumentError(
      fmt::format("{}:{}:{}: {}", path, mark.line + 1, mark.column + 1, message));
}

// The pairs of one YAML mapping, in file order.
using Fields = std::vector<std::pair<std::string, YAML::Node>>;

// The value for `key`, or nullptr when the key is absent or its value is
// null ("key:" or "key: ~").
const YAML::Node* Find(const Fields& fields, std::string_view key) {
  for (const auto& [k, v] : fields) {
    if (k == key) return v.IsNull() ? nullptr : &v;
  }
  return nullptr;
}

// Walks one document. Each Read* method returns false after recording the
// problem (message and the line of the node at fault) in error_; the caller
// either rejects the current item or, for the file-level parts, fails the
// load.
class CuratedReader {
 public:
  CuratedReader(const Input& input, size_t size, EntitySink& sink, LoadReport& report)
      : input_(input),
        sink_(sink),
        report_(report),
        budget_(2 * static_cast<uint64_t>(size) + 4096) {}

  Status Run(const YAML::Node& root);

 private:
  bool Fail(const YAML::Node& at, std::string message) {
    error_ = std::move(message);
    error_mark_ = at.Mark();
    return false;
  }
  Status FileError() const { return ErrorAtMark(input_.path, error_mark_, error_); }

  // Counts work done on behalf of the document. Aliases let a short file
  // name the same large node many times; a well-formed file never costs
  // more than about twice its size, so anything beyond that is refused.
  bool Charge(const YAML::Node& at, uint64_t units) {
    cost_ += units;
    if (cost_ <= budget_) return true;
    exhausted_ = true;
    return Fail(at,
                "the document expands far beyond its size (repeated "
                "aliases?)");
  }

  bool ReadMap(const YAML::Node& node, std::string_view what,
               std::span<const std::string_view> allowed, Fields* out);
  bool ReadSeq(const YAML::Node& node, std::string_view what, std::vector<YAML::Node>* out);
  bool ReadText(const YAML::Node& node, std::string_view what, std::string* out);
  bool ReadOptionalText(const Fields& fields, std::string_view key, std::string_view what,
                        std::string* out);
  bool ReadTextList(const YAML::Node& node, std::string_view what, std::vector<std::string>* out);
  bool ReadCountryField(const Fields& fields, std::string_view key, std::string_view what,
                        std::string* out);
  bool ReadDateField(const Fields& fields, std::string_view key, std::string_view what,
                     std::string* out);

  bool ReadSource(const YAML::Node& node);
  bool ReadEntity(const YAML::Node& node, Entity* entity);
  bool ReadNames(const YAML::Node& node, Entity* entity);
  bool ReadCountries(const YAML::Node& node, Entity* entity);
  bool ReadIdentifiers(const YAML::Node& node, Entity* entity);
  bool ReadAddresses(const YAML::Node& node, Entity* entity);
  bool ReadDates(const YAML::Node& node, Entity* entity);
  bool ReadProperties(const YAML::Node& node, Entity* entity);
  bool ReadCitations(const YAML::Node& node, std::string_view what, std::vector<Citation>* out);
  bool ReadRelation(const YAML::Node& node, Relation* relation);

  // Records the current error_ as a reject of the item at `item`.
  void RejectItem(const YAML::Node& item, std::string_view label);

  const Input& input_;
  EntitySink& sink_;
  LoadReport& report_;
  std::string source_id_;
  std::string error_;
  YAML::Mark error_mark_;
  uint64_t cost_ = 0;
  uint64_t budget_;
  bool exhausted_ = false;
};

bool CuratedReader::ReadMap(const YAML::Node& node, std::string_view what,
                            std::span<const std::string_view> allowed, Fields* out) {
  if (!node.IsMap()) {
    return Fail(node, fmt::format("{}: expected a mapping", what));
  }
  out->clear();
  for (const auto& pair : node) {
    const YAML::Node& key = pair.first;
    if (!key.IsScalar()) {
      return Fail(key, fmt::format("{}: keys must be plain text", what));
    }
    const std::string& name = key.Scalar();
    if (!Charge(key, name.size() + 1)) return false;
    bool known = allowed.size() == 0;
    for (std::string_view a : allowed) known = known || a == name;
    if (!known) {
      return Fail(key, fmt::format("{}: unknown key '{}' (expected one of: {})", what, name,
                                   OneOf(allowed)));
    }
    for (const auto& seen : *out) {
      if (seen.first == name) {
        return Fail(key, fmt::format("{}: key '{}' given twice", what, name));
      }
    }
    out->emplace_back(name, pair.second);
  }
  return true;
}

bool CuratedReader::ReadSeq(const YAML::Node& node, std::string_view what,
                            std::vector<YAML::Node>* out) {
  if (!node.IsSequence()) {
    return Fail(node, fmt::format("{}: expected a list", what));
  }
  out->clear();
  for (const auto& item : node) {
    if (!Charge(node, 1)) return false;
    out->push_back(item);
  }
  return true;
}

bool CuratedReader::ReadText(const YAML::Node& node, std::string_view what, std::string* out) {
  if (node.IsNull()) return Fail(node, fmt::format("{}: missing value", what));
  if (!node.IsScalar()) {
    return Fail(node, fmt::format("{}: expected text, not a list or mapping", what));
  }
  const std::string& raw = node.Scalar();
  if (!Charge(node, raw.size() + 1)) return false;
  std::string_view trimmed = TrimAscii(raw);
  if (trimmed.empty()) return Fail(node, fmt::format("{}: empty value", what));
  out->assign(trimmed);
  return true;
}

bool CuratedReader::ReadOptionalText(const Fields& fields, std::string_view key,
                                     std::string_view what, std::string* out) {
  out->clear();
  const YAML::Node* node = Find(fields, key);
  if (node == nullptr) return true;
  return ReadText(*node, fmt::format("{}.{}", what, key), out);
}

bool CuratedReader::ReadTextList(const YAML::Node& node, std::string_view what,
                                 std::vector<std::string>* out) {
  std::vector<YAML::Node> items;
  if (!ReadSeq(node, what, &items)) return false;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string text;
    if (!ReadText(items[i], fmt::format("{}[{}]", what, i + 1), &text)) {
      return false;
    }
    bool seen = false;
    for (const std::string& s : *out) seen = seen || s == text;
    if (!seen) out->push_back(std::move(text));
  }
  return true;
}

bool CuratedReader::ReadCountryField(const Fields& fields, std::string_view key,
                                     std::string_view what, std::string* out) {
  if (!ReadOptionalText(fields, key, what, out)) return false;
  if (!out->empty() && !IsValidCountry(*out)) {
    return Fail(*Find(fields, key), fmt::format("{}.{}: '{}' is not an ISO 3166-1 alpha-2 code "
                                                "(two upper-case letters)",
                                                what, key, *out));
  }
  return true;
}

bool CuratedReader::ReadDateField(const Fields& fields, std::string_view key, std::string_view what,
                                  std::string* out) {
  if (!ReadOptionalText(fields, key, what, out)) return false;
  if (!out->empty() && !IsValidPartialDate(*out)) {
    return Fail(*Find(fields, key), fmt::format("{}.{}: '{}' is not a date (YYYY-MM-DD, YYYY-MM "
                                                "or YYYY)",
                                                what, key, *out));
  }
  return true;
}

bool CuratedReader::ReadSource(const YAML::Node& node) {
  Fields fields;
  if (!ReadMap(node, "source", kSourceKeys, &fields)) return false;
  const YAML::Node* id = Find(fields, "id");
  if (id == nullptr) return Fail(node, "source.id is required");
  if (!ReadText(*id, "source.id", &source_id_)) return false;
  if (!IsValidSourceId(source_id_)) {
    return Fail(*id, fmt::format("source.id '{}' may hold only a-z, 0-9 and "
                                 "'-'",
                                 source_id_));
  }
  const YAML::Node* title = Find(fields, "title");
  if (title == nullptr) return Fail(node, "source.title is required");
  std::string text;
  if (!ReadText(*title, "source.title", &text)) return false;
  if (!ReadOptionalText(fields, "description", "source", &text)) return false;
  std::string published;
  if (!ReadOptionalText(fields, "published", "source", &published)) {
    return false;
  }
  if (!published.empty()) {
    if (!Date::ParseIso(published).ok()) {
      return Fail(*Find(fields, "published"), fmt::format("source.published: '{}' is not a date "
                                                          "(YYYY-MM-DD)",
                                                          published));
    }
    report_.published = published;
  }
  return true;
}

bool CuratedReader::ReadNames(const YAML::Node& node, Entity* entity) {
  std::vector<YAML::Node> items;
  if (!ReadSeq(node, "names", &items)) return false;
  if (items.empty()) return Fail(node, "names: at least one name is required");
  for (size_t i = 0; i < items.size(); ++i) {
    std::string what = fmt::format("names[{}]", i + 1);
    std::string value;
    NameKind kind = i == 0 ? NameKind::kPrimary : NameKind::kStrongAlias;
    if (items[i].IsMap()) {
      Fields fields;
      if (!ReadMap(items[i], what, kNameKeys, &fields)) return false;
      const YAML::Node* name = Find(fields, "name");
      if (name == nullptr) return Fail(items[i], what + ".name is required");
      if (!ReadText(*name, what + ".name", &value)) return false;
      std::string kind_text;
      if (!ReadOptionalText(fields, "kind", what, &kind_text)) return false;
      if (!kind_text.empty()) {
        const YAML::Node& at = *Find(fields, "kind");
        if (i == 0) {
          return Fail(at, "names[1] is the primary name and takes no kind");
        }
        std::optional<NameKind> parsed = ParseNameKind(kind_text);
        if (!parsed || *parsed == NameKind::kPrimary) {
          return Fail(at, fmt::format("{}.kind: unknown kind '{}' (expected "
                                      "strong, weak, low_quality or previous)",
                                      what, kind_text));
        }
        kind = *parsed;
      }
    } else if (!ReadText(items[i], what, &value)) {
      return false;
    }
    entity->AddName(std::move(value), kind);
  }
  return true;
}

bool CuratedReader::ReadCountries(const YAML::Node& node, Entity* entity) {
  static constexpr std::initializer_list<CountryRole> kRoles = {
      CountryRole::kHeadquarters, CountryRole::kIncorporation, CountryRole::kJurisdiction,
      CountryRole::kAddress,      CountryRole::kNationality,   CountryRole::kCitizenship,
      CountryRole::kResidence};
  std::vector<YAML::Node> items;
  if (!ReadSeq(node, "countries", &items)) return false;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string what = fmt::format("countries[{}]", i + 1);
    Fields fields;
    if (!ReadMap(items[i], what, kCountryKeys, &fields)) return false;
    if (Find(fields, "code") == nullptr) {
      return Fail(items[i], what + ".code is required");
    }
    std::string code;
    if (!ReadCountryField(fields, "code", what, &code)) return false;
    std::string role_text;
    if (!ReadOptionalText(fields, "role", what, &role_text)) return false;
    CountryRole role = CountryRole::kUnspecified;
    if (!role_text.empty()) {
      std::optional<CountryRole> parsed = ParseCountryRole(role_text);
      bool allowed = false;
      for (CountryRole r : kRoles) allowed = allowed || (parsed && *parsed == r);
      if (!allowed) {
        return Fail(*Find(fields, "role"), fmt::format("{}.role: unknown role '{}' (expected "
                                                       "headquarters, incorporation, jurisdiction, "
                                                       "address, nationality, citizenship or "
                                                       "residence)",
                                                       what, role_text));
      }
      role = *parsed;
    }
    std::string label(CountryName(code));
    entity->AddCountry(std::move(code), role, std::move(label));
  }
  return true;
}

bool CuratedReader::ReadIdentifiers(const YAML::Node& node, Entity* entity) {
  std::vector<YAML::Node> items;
  if (!ReadSeq(node, "identifiers", &items)) return false;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string what = fmt::format("identifiers[{}]", i + 1);
    Fields fields;
    if (!ReadMap(items[i], what, kIdentifierKeys, &fields)) return false;
    const YAML::Node* kind_node = Find(fields, "kind");
    const YAML::Node* value_node = Find(fields, "value");
    if (kind_node == nullptr) return Fail(items[i], what + ".kind is required");
    if (value_node == nullptr) {
      return Fail(items[i], what + ".value is required");
    }
    Identifier id;
    std::string kind_text;
    if (!ReadText(*kind_node, what + ".kind", &kind_text) ||
        !ReadText(*value_node, what + ".value", &id.value) ||
        !ReadCountryField(fields, "country", what, &id.country) ||
        !ReadOptionalText(fields, "label", what, &id.label)) {
      return false;
    }
    // Kinds the model has no slot for are kept as "other", labelled with
    // the kind the file gives.
    std::optional<IdKind> parsed = ParseIdKind(kind_text);
    id.kind = parsed.value_or(IdKind::kOther);
    if (!parsed && id.label.empty()) id.label = kind_text;
    entity->identifiers.push_back(std::move(id));
  }
  return true;
}

bool CuratedReader::ReadAddresses(const YAML::Node& node, Entity* entity) {
  std::vector<YAML::Node> items;
  if (!ReadSeq(node, "addresses", &items)) return false;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string what = fmt::format("addresses[{}]", i + 1);
    Fields fields;
    if (!ReadMap(items[i], what, kAddressKeys, &fields)) return false;
    Address a;
    if (!ReadOptionalText(fields, "full", what, &a.full) ||
        !ReadOptionalText(fields, "street", what, &a.street) ||
        !ReadOptionalText(fields, "city", what, &a.city) ||
        !ReadOptionalText(fields, "region", what, &a.region) ||
        !ReadOptionalText(fields, "postal_code", what, &a.postal_code) ||
        !ReadCountryField(fields, "country", what, &a.country)) {
      return false;
    }
    if (a.full.empty()) {
      for (const std::string* part : {&a.street, &a.city, &a.region, &a.postal_code}) {
        if (part->empty()) continue;
        if (!a.full.empty()) a.full += ", ";
        a.full += *part;
      }
      std::string_view country_name = CountryName(a.country);
      std::string country(country_name.empty() ? std::string_view(a.country) : country_name);
      if (!country.empty()) {
        if (!a.full.empty()) a.full += ", ";
        a.full += country;
      }
    }
    if (a.full.empty()) return Fail(items[i], what + ": empty address");
    entity->addresses.push_back(std::move(a));
  }
  return true;
}

bool CuratedReader::ReadDates(const YAML::Node& node, Entity* entity) {
  std::vector<YAML::Node> items;
  if (!ReadSeq(node, "dates", &items)) return false;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string what = fmt::format("dates[{}]", i + 1);
    Fields fields;
    if (!ReadMap(items[i], what, kDateKeys, &fields)) return false;
    const YAML::Node* kind_node = Find(fields, "kind");
    if (kind_node == nullptr) return Fail(items[i], what + ".kind is required");
    if (Find(fields, "value") == nullptr) {
      return Fail(items[i], what + ".value is required");
    }
    std::string kind_text;
    DateFact fact;
    if (!ReadText(*kind_node, what + ".kind", &kind_text) ||
        !ReadDateField(fields, "value", what, &fact.value)) {
      return false;
    }
    std::optional<DateKind> kind = ParseDateKind(kind_text);
    if (!kind) {
      return Fail(*kind_node, fmt::format("{}.kind: unknown kind '{}' (expected listed, "
                                          "delisted, incorporation, dissolution, "
                                          "modified, birth or other)",
                                          what, kind_text));
    }
    fact.kind = *kind;
    entity->dates.push_back(std::move(fact));
  }
  return true;
}

bool CuratedReader::ReadProperties(const YAML::Node& node, Entity* entity) {
  Fields fields;
  if (!ReadMap(node, "properties", {}, &fields)) return false;
  for (const auto& [key, value] : fields) {
    std::string what = "properties." + key;
    if (TrimAscii(key).empty()) return Fail(value, "properties: empty key");
    if (key == kSourceProperty) {
      return Fail(value, fmt::format("{}: reserved; the loader sets it to "
                                     "source.id",
                                     what));
    }
    std::string text;
    if (!ReadText(value, what, &text)) return false;
    entity->AddProperty(key, std::move(text));
  }
  return true;
}

bool CuratedReader::ReadCitations(const YAML::Node& node, std::string_view what,
                                  std::vector<Citation>* out) {
  std::vector<YAML::Node> items;
  if (!ReadSeq(node, what, &items)) return false;
  if (items.empty()) {
    return Fail(node, fmt::format("{}: at least one citation is required", what));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    std::string item_what = fmt::format("{}[{}]", what, i + 1);
    Fields fields;
    if (!ReadMap(items[i], item_what, kCitationKeys, &fields)) return false;
    if (Find(fields, "text") == nullptr) {
      return Fail(items[i], item_what + ".text is required");
    }
    const YAML::Node* tag_node = Find(fields, "verification");
    if (tag_node == nullptr) {
      return Fail(items[i], item_what + ".verification is required (V, S or M)");
    }
    Citation c;
    std::string tag;
    if (!ReadOptionalText(fields, "text", item_what, &c.text) ||
        !ReadOptionalText(fields, "fact", item_what, &c.fact) ||
        !ReadOptionalText(fields, "url", item_what, &c.url) ||
        !ReadDateField(fields, "effective", item_what, &c.effective) ||
        !ReadText(*tag_node, item_what + ".verification", &tag)) {
      return false;
    }
    if (!c.url.empty() && !StartsWith(c.url, "https://") && !StartsWith(c.url, "http://")) {
      return Fail(*Find(fields, "url"),
                  fmt::format("{}.url: '{}' is not an http(s) address", item_what, c.url));
    }
    std::optional<Verification> v = ParseVerification(tag);
    if (!v) {
      return Fail(*tag_node, fmt::format("{}.verification: '{}' is not V, S or M", item_what, tag));
    }
    c.verification = *v;
    out->push_back(std::move(c));
  }
  return true;
}

bool CuratedReader::ReadEntity(const YAML::Node& node, Entity* entity) {
  Fields fields;
  if (!ReadMap(node, "entity", kEntityKeys, &fields)) return false;
  const YAML::Node* id = Find(fields, "id");
  if (id == nullptr) return Fail(node, "id is required");
  std::string id_text;
  if (!ReadText(*id, "id", &id_text)) return false;
  if (!IsValidId(id_text)) {
    return Fail(*id, fmt::format("id '{}' may hold only a-z, 0-9, '-', '.' "
                                 "and '_' and must start with a letter or "
                                 "digit",
                                 id_text));
  }
  entity->source_id = id_text;
  entity->id = std::string(kIdPrefix) + id_text;

  const YAML::Node* schema = Find(fields, "schema");
  if (schema == nullptr) return Fail(node, "schema is required");
  std::string schema_text;
  if (!ReadText(*schema, "schema", &schema_text)) return false;
  std::optional<Schema> parsed = ParseSchema(schema_text);
  if (!parsed || *parsed == Schema::kVessel || *parsed == Schema::kAircraft) {
    return Fail(*schema, fmt::format("schema: unknown schema '{}' (expected Person, "
                                     "Organization, Company, PublicBody or "
                                     "LegalEntity)",
                                     schema_text));
  }
  entity->schema = *parsed;

  const YAML::Node* names = Find(fields, "names");
  if (names == nullptr) return Fail(node, "names: at least one name is required");
  if (!ReadNames(*names, entity)) return false;

  const YAML::Node* citations = Find(fields, "citations");
  if (citations == nullptr) {
    return Fail(node, "citations: at least one citation is required");
  }
  if (!ReadCitations(*citations, "citations", &entity->citations)) return false;

  const YAML::Node* n = nullptr;
  if ((n = Find(fields, "countries")) && !ReadCountries(*n, entity)) return false;
  if ((n = Find(fields, "identifiers")) && !ReadIdentifiers(*n, entity)) {
    return false;
  }
  if ((n = Find(fields, "addresses")) && !ReadAddresses(*n, entity)) return false;
  if ((n = Find(fields, "lists")) && !ReadTextList(*n, "lists", &entity->lists)) {
    return false;
  }
  if ((n = Find(fields, "programs")) && !ReadTextList(*n, "programs", &entity->programs)) {
    return false;
  }
  if ((n = Find(fields, "topics")) && !ReadTextList(*n, "topics", &entity->topics)) {
    return false;
  }
  if ((n = Find(fields, "dates")) && !ReadDates(*n, entity)) return false;
  if ((n = Find(fields, "properties")) && !ReadProperties(*n, entity)) {
    return false;
  }
  entity->AddProperty(std::string(kSourceProperty), source_id_);
  return true;
}

bool CuratedReader::ReadRelation(const YAML::Node& node, Relation* relation) {
  Fields fields;
  if (!ReadMap(node, "relation", kRelationKeys, &fields)) return false;
  const YAML::Node* kind = Find(fields, "kind");
  if (kind == nullptr) return Fail(node, "kind is required");
  std::string kind_text;
  if (!ReadText(*kind, "kind", &kind_text)) return false;
  std::optional<RelationKind> parsed = ParseRelationKind(kind_text);
  if (!parsed) {
    return Fail(*kind, fmt::format("kind: unknown kind '{}' (expected "
                                   "ownership, control, directorship, "
                                   "membership, linked_to, associate or "
                                   "family)",
                                   kind_text));
  }
  relation->kind = *parsed;
  for (auto [key, out] : {std::pair{std::string_view("from"), &relation->from_id},
                          std::pair{std::string_view("to"), &relation->to_id}}) {
    const YAML::Node* ref = Find(fields, key);
    if (ref == nullptr) return Fail(node, fmt::format("{} is required", key));
    if (!ReadText(*ref, key, out)) return false;
    if (!IsValidEntityRef(*out)) {
      return Fail(*ref, fmt::format("{}: '{}' is not an entity id such as "
                                    "icts:huawei-technologies or "
                                    "ofac-sdn:306",
                                    key, *out));
    }
  }
  if (relation->from_id == relation->to_id) {
    return Fail(node, fmt::format("from and to are the same entity '{}'", relation->from_id));
  }
  std::string share;
  if (!ReadOptionalText(fields, "share", "relation", &share)) return false;
  if (!share.empty() && !ParseShareRange(share, &relation->share_min, &relation->share_max)) {
    return Fail(*Find(fields, "share"),
                fmt::format("share: '{}' is not a percentage or a range such "
                            "as 25-50",
                            share));
  }
  if (!ReadOptionalText(fields, "role", "relation", &relation->role) ||
      !ReadDateField(fields, "start", "relation", &relation->start_date)) {
    return false;
  }
  const YAML::Node* citations = Find(fields, "citations");
  if (citations == nullptr) {
    return Fail(node, "citations: at least one citation is required");
  }
  return ReadCitations(*citations, "citations", &relation->citations);
}

void CuratedReader::RejectItem(const YAML::Node& item, std::string_view label) {
  uint64_t line = LineOf(item);
  std::string reason = fmt::format("{}: {}", label, error_);
  if (error_mark_.line >= 0 && static_cast<uint64_t>(error_mark_.line) + 1 != line) {
    reason += fmt::format(" (line {})", error_mark_.line + 1);
  }
  report_.AddReject(input_.path, line, std::move(reason));
}

Status CuratedReader::Run(const YAML::Node& root) {
  if (!root.IsMap()) {
    return ErrorAtMark(input_.path, root.Mark(),
                       "expected a mapping with the keys source, entities "
                       "and relations");
  }
  Fields top;
  if (!ReadMap(root, "document", kTopKeys, &top)) return FileError();
  const YAML::Node* source = Find(top, "source");
  if (source == nullptr) {
    return ErrorAtMark(input_.path, root.Mark(),
                       "source is required (with source.id and source.title)");
  }
  if (!ReadSource(*source)) return FileError();

  std::unordered_map<std::string, uint64_t> first_line_of_id;
  if (const YAML::Node* entities = Find(top, "entities")) {
    std::vector<YAML::Node> items;
    if (!ReadSeq(*entities, "entities", &items)) return FileError();
    for (const YAML::Node& item : items) {
      ++report_.rows;
      Entity entity;
      bool ok = ReadEntity(item, &entity);
      if (exhausted_) return FileError();
      std::string label = entity.source_id.empty() ? std::string("entity")
                                                   : fmt::format("entity '{}'", entity.source_id);
      if (!entity.source_id.empty()) {
        auto [it, inserted] = first_line_of_id.emplace(entity.source_id, LineOf(item));
        if (!inserted && ok) {
          ok = Fail(item, fmt::format("duplicate id (first defined at line {})", it->second));
        }
      }
      if (!ok) {
        RejectItem(item, label);
        continue;
      }
      sink_.AddEntity(std::move(entity));
      ++report_.entities;
    }
  }
  if (const YAML::Node* relations = Find(top, "relations")) {
    std::vector<YAML::Node> items;
    if (!ReadSeq(*relations, "relations", &items)) return FileError();
    for (const YAML::Node& item : items) {
      ++report_.rows;
      Relation relation;
      bool ok = ReadRelation(item, &relation);
      if (exhausted_) return FileError();
      if (!ok) {
        RejectItem(item, "relation");
        continue;
      }
      sink_.AddRelation(std::move(relation));
      ++report_.relations;
    }
  }
  return Status::Ok();
}

}  // namespace

Status LoadCurated(const Input& input, EntitySink& sink, LoadReport& report) {
  ICTS_RETURN_IF_ERROR(CheckUtf8(input));
  std::string_view data = StripBomAndEof(input.data);
  if (data.size() > kMaxInputBytes) {
    return Status(StatusCode::kResourceExhausted,
                  fmt::format("{}: {} bytes is more than the {} a curated file "
                              "may hold",
                              input.path, data.size(), kMaxInputBytes));
  }
  if (size_t at = FindExcessiveNesting(data); at != std::string_view::npos) {
    return ErrorAt(StatusCode::kInvalidArgument, input.path, data, at,
                   fmt::format("nesting deeper than {} levels; a curated file "
                               "needs only a few",
                               kMaxNestingEstimate));
  }
  if (size_t at = FindControlCharacter(data); at != std::string_view::npos) {
    return ErrorAt(StatusCode::kInvalidArgument, input.path, data, at,
                   fmt::format("control character U+{:04X} is not allowed in "
                               "YAML",
                               static_cast<unsigned char>(data[at])));
  }
  try {
    std::string text(data);
    // Count documents first, stopping at the second, so that a stream of
    // endless empty documents cannot keep the parser busy.
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentCounter counter;
    int documents = 0;
    while (documents < 2 && parser.HandleNextDocument(counter)) ++documents;
    if (documents == 0) {
      return InvalidArgumentError(fmt::format(
          "{}:1:1: empty document; expected source, entities and relations", input.path));
    }
    if (documents > 1) {
      return ErrorAtMark(input.path,
                         counter.starts.size() > 1 ? counter.starts[1] : YAML::Mark::null_mark(),
                         "more than one YAML document; a curated file holds "
                         "exactly one");
    }
    CuratedReader reader(input, data.size(), sink, report);
    return reader.Run(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    return ErrorAtMark(input.path, e.mark, e.msg);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kResourceExhausted,
                  fmt::format("{}: out of memory while parsing", input.path));
  } catch (const std::exception& e) {
    return InternalError(fmt::format("{}: {}", input.path, e.what()));
  } catch (...) {
    return InternalError(fmt::format("{}: unexpected error while parsing", input.path));
  }
}

}  // namespace icts::refdata
