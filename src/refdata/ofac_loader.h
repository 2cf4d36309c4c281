// Loader for OFAC's legacy CSV sets: the SDN list (sdn.csv, add.csv, alt.csv,
// sdn_comments.csv) and the consolidated non-SDN list (cons_prim.csv,
// cons_add.csv, cons_alt.csv, cons_comments.csv). Handles the "-0-" null
// marker, the remarks overflow file, identifiers, dates and "Linked To:"
// references encoded inside remarks, and the trailing 0x1A byte.
#ifndef ICTS_REFDATA_OFAC_LOADER_H_
#define ICTS_REFDATA_OFAC_LOADER_H_

#include <string>

#include "base/status.h"
#include "refdata/loader.h"

namespace icts::refdata {

enum class OfacList { kSdn, kConsolidated };

// The four files of one set. Only `main` is required; an input with an empty
// path is absent.
struct OfacInputs {
  Input main;
  Input addresses;
  Input aliases;
  Input comments;
};

// File names of a set inside one folder.
struct OfacFileNames {
  std::string main, addresses, aliases, comments;
};
OfacFileNames OfacFileNamesFor(OfacList list);

// Entity ids are "ofac-sdn:<ent_num>" or "ofac-cons:<ent_num>". "Linked To:"
// remarks become kLinkedTo relations resolved by name to entities of the same
// set where the name is unique.
Status LoadOfac(const OfacInputs& inputs, OfacList list, EntitySink& sink,
                LoadReport& report);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_OFAC_LOADER_H_
