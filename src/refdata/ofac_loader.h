// Loader for OFAC's legacy CSV sets: the SDN list (sdn.csv, add.csv, alt.csv,
// sdn_comments.csv) and the consolidated non-SDN list (cons_prim.csv,
// cons_add.csv, cons_alt.csv, cons_comments.csv). Handles the "-0-" null
// marker, the remarks overflow file, identifiers, dates and "Linked To:"
// references encoded inside remarks, and the trailing 0x1A byte.
//
// The files have no header row. Layouts:
//   main      ent_num, name, type, program, title, call_sign, vessel_type,
//             tonnage, grt, vessel_flag, vessel_owner, remarks
//   addresses ent_num, add_num, address, city/state/postal, country, remarks
//   aliases   ent_num, alt_num, alt_type (aka|fka|nka), alt_name, remarks
//   comments  ent_num, remarks overflow (appended to the main remarks)
//
// What an entity gets:
//  - names: the published name as primary; for individuals ("LAST, First")
//    also "First LAST" as a strong alias; alias rows (aka and nka strong, fka
//    previous, weak when the alias remarks say so); aliases written in the
//    remarks (OFAC publishes its weak a.k.a.s there: "a.k.a. 'X'" is a weak
//    alias, "f.k.a. 'X'" a previous name, "n.k.a. 'X'" a strong alias);
//  - programs (split on ';' and on the bracketed "A] [B" form), topic
//    "sanction", and the list: the SDN list, or for the consolidated set the
//    list each program belongs to (CMIC, SSI, PLC, FSE, CAPTA, NS-MBS);
//  - addresses (with an Address country), vessel flag, and everything the
//    remarks state: dates of birth, places of birth, nationality and
//    citizenship, identity documents and registration numbers (with the
//    issuing country), contact details, digital currency addresses, vessel
//    and aircraft identifiers, the incorporation date, and labelled notes
//    ("Secondary sanctions risk:", "Target Type", ...) as properties. The full
//    remarks text is always kept in the property "remarks".
//
// Report: `rows` counts data rows of the main file only; rows of the side
// files are not counted there. Rejected, with file and line: a main row with
// the wrong field count, a non-numeric ent_num, an empty name or a repeated
// ent_num (the first is kept); a side-file row with the wrong field count, a
// non-numeric ent_num, or an ent_num that no accepted main row has.
#ifndef ICTS_REFDATA_OFAC_LOADER_H_
#define ICTS_REFDATA_OFAC_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "refdata/loader.h"
#include "refdata/model.h"

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
// set where the name is unique; otherwise to_id stays empty and to_name holds
// the name. Relations are emitted after all entities.
//
// Errors: INVALID_ARGUMENT when `inputs.main` has no path; DATA_LOSS
// ("path:line:column: ...") for invalid UTF-8 or broken quoting in any file.
// Nothing is sent to `sink` when an error is returned.
Status LoadOfac(const OfacInputs& inputs, OfacList list, EntitySink& sink, LoadReport& report);

// A "Linked To:" reference found in remarks.
struct OfacLink {
  std::string name;     // The linked party's name as written.
  bool at_end = false;  // Last clause: a final '.' may be OFAC's end mark.
};

// Adds what OFAC remarks text states (see the list above) to `entity` and
// returns the "Linked To:" references in order. Clauses are separated by ';';
// a leading "alt. " marks another value of the same kind. Clauses it does not
// recognise are left alone (the caller keeps the full text). Exposed for
// tests.
std::vector<OfacLink> ApplyOfacRemarks(std::string_view remarks, Entity& entity);

// The list names the programs of a consolidated (non-SDN) entry belong to;
// "OFAC Consolidated (non-SDN) List" when none is known.
std::vector<std::string> OfacConsolidatedLists(const std::vector<std::string>& programs);

}  // namespace icts::refdata

#endif  // ICTS_REFDATA_OFAC_LOADER_H_
