#include "refdata/countries.h"

namespace icts::refdata {

std::string CountryCode(std::string_view /*name_or_code*/) { return ""; }
std::string_view CountryName(std::string_view /*alpha2*/) { return ""; }

}  // namespace icts::refdata
