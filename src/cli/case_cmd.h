// `icts case new|show|event|list|due`: review cases (src/cases/) kept in the
// store (src/store/), every write audited there.
//
// The case's header is the case record's payload; each event is a case event
// whose payload is the event's JSON (docs/cases.md). Reading a case replays
// its stored events through the state machine, so a stored case that no
// longer passes the rules is reported, not shown.
//
// Exit codes: 0 success (also for `due` with items falling due); 2 usage or
// input error, an event the state machine or a deadline refuses, an unknown
// case; 3 the store cannot be opened or written, or the case changed under us.
#ifndef ICTS_CLI_CASE_CMD_H_
#define ICTS_CLI_CASE_CMD_H_

#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace icts::cli {

struct CaseArgs {
  std::string store;             // "" = store::Store::DefaultUrl().
  std::string output = "table";  // table | json
  std::string id;
  std::string title;
  std::string opened;                 // new: YYYY-MM-DD, default today.
  std::string rule_version = "auto";  // new: auto | interim | final
  std::vector<std::string> parties;   // new and event.
  std::string subpart = "ab";         // new: ab | d
  std::string transaction_date;       // new: YYYY-MM-DD
  std::string kind;                   // event
  std::string date;                   // event: YYYY-MM-DD (required)
  std::string note;
  std::vector<std::string> attach;  // event: files, kept by SHA-256
  std::string actor;                // Default: $ICTS_ACTOR or cli:<login>.
  std::vector<std::string> determinations;
  std::string due;  // event: fd-extended / mitigation-measure
  std::string measure;
  std::string status;
  std::string state;       // list: only this state
  bool open_only = false;  // list
  int days = 30;           // due: horizon
  std::string as_of;       // due: default today
};

int RunCaseNew(const CaseArgs& args);
int RunCaseShow(const CaseArgs& args);
int RunCaseEvent(const CaseArgs& args);
int RunCaseList(const CaseArgs& args);
int RunCaseDue(const CaseArgs& args);

// Registers `case` and its subcommands on `app`; Run() executes the one the
// command line chose.
class CaseCommand {
 public:
  explicit CaseCommand(CLI::App& app);
  bool parsed() const;
  int Run() const;

 private:
  CaseArgs args_;
  CLI::App* case_ = nullptr;
  CLI::App* new_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* event_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* due_ = nullptr;
};

}  // namespace icts::cli

#endif  // ICTS_CLI_CASE_CMD_H_
