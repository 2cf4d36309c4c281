#include "text/normalize.h"

namespace icts::text {

bool IsLegalFormToken(std::string_view) { return false; }

}  // namespace icts::text
