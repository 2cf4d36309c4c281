// Country names as lists write them → ISO 3166-1 alpha-2 codes.
//
// Covers every ISO 3166-1 country and territory with its English short name,
// common alternative names ("Burma", "Korea, North", "North Korea",
// "Russian Federation", "Iran (Islamic Republic of)", "PRC", "Mainland China",
// "Hong Kong SAR", "Macau"/"Macao"), and the codes themselves. Matching is
// case-insensitive and ignores surrounding space and punctuation.
#ifndef ICTS_REFDATA_COUNTRIES_H_
#define ICTS_REFDATA_COUNTRIES_H_

#include <string>
#include <string_view>

namespace icts::refdata {

// Returns the alpha-2 code (upper case) for a country name, an alpha-2 code
// or an alpha-3 code; "" when unknown. Pure lookup; thread-safe.
std::string CountryCode(std::string_view name_or_code);

// English short name for an alpha-2 code ("CN" → "China"), "" when unknown.
std::string_view CountryName(std::string_view alpha2);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_COUNTRIES_H_
