#include "text/normalize.h"

namespace icts::text {

size_t NormalizedName::SignificantTokenCount() const { return 0; }
NormalizedName NormalizeName(std::string_view raw, NameType) {
  NormalizedName n;
  n.original = std::string(raw);
  return n;
}
std::string ToLatin(std::string_view raw) { return std::string(raw); }

}  // namespace icts::text
