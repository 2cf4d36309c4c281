// Runs the review cases of rules/cases/tests/cases.yaml against the shipped
// deadline rules: each event applied or refused as the file says, then the
// state, the deadlines and Due() lists checked.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/date.h"
#include "cases/case.h"

namespace icts::cases {
namespace {

const char kCasesFile[] = ICTS_SOURCE_DIR "/rules/cases/tests/cases.yaml";

Date D(const YAML::Node& n) {
  auto d = Date::ParseIso(n.as<std::string>());
  EXPECT_TRUE(d.ok()) << n.as<std::string>();
  return d.ok() ? *d : Date();
}

const Deadline* Find(const std::vector<Deadline>& all, const std::string& id) {
  for (const Deadline& d : all) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

std::string Dump(const std::vector<Deadline>& all) {
  std::string s;
  for (const Deadline& d : all) {
    s += "  " + d.id + " " + d.date.ToIso() + " " + std::string(DeadlineStatusName(d.status)) +
         " " + d.note + "\n";
  }
  return s;
}

void RunCase(const DeadlineRules& rules, const YAML::Node& spec) {
  const std::string name = spec["name"].as<std::string>();
  SCOPED_TRACE(name);
  RuleChoice choice = RuleChoice::kAuto;
  if (spec["rule_version"]) {
    auto c = ParseRuleChoice(spec["rule_version"].as<std::string>());
    ASSERT_TRUE(c.ok());
    choice = *c;
  }
  auto made = NewCase(rules, "T-1", name, D(spec["opened"]), choice);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  Case c = *made;
  if (spec["subpart"]) c.subpart = spec["subpart"].as<std::string>();
  if (spec["transaction_date"]) c.transaction_date = D(spec["transaction_date"]);

  for (const YAML::Node& ev : spec["events"]) {
    Event e;
    auto kind = ParseEventKind(ev["kind"].as<std::string>());
    ASSERT_TRUE(kind.ok()) << kind.status().ToString();
    e.kind = *kind;
    e.date = D(ev["date"]);
    if (ev["due"]) e.due = D(ev["due"]);
    if (ev["measure"]) e.measure = ev["measure"].as<std::string>();
    if (ev["status"]) e.status = ev["status"].as<std::string>();
    const std::string label = ev["kind"].as<std::string>() + " on " + e.date.ToIso();
    Status s = Apply(rules, c, e);
    if (ev["error"]) {
      ASSERT_FALSE(s.ok()) << label << " should be refused";
      EXPECT_NE(s.message().find(ev["error"].as<std::string>()), std::string::npos)
          << label << ": " << s.message();
    } else {
      ASSERT_TRUE(s.ok()) << label << ": " << s.ToString();
    }
  }

  if (spec["state"]) {
    EXPECT_EQ(StateName(CurrentState(c)), spec["state"].as<std::string>());
  }
  std::vector<Deadline> all = Deadlines(rules, c);
  for (const YAML::Node& want : spec["deadlines"]) {
    const std::string id = want["id"].as<std::string>();
    const Deadline* d = Find(all, id);
    ASSERT_NE(d, nullptr) << "deadline " << id << " missing; have:\n" << Dump(all);
    EXPECT_EQ(d->date.ToIso(), want["date"].as<std::string>()) << id;
    if (want["status"]) {
      EXPECT_EQ(DeadlineStatusName(d->status), want["status"].as<std::string>()) << id;
    }
    if (want["note"]) {
      EXPECT_NE(d->note.find(want["note"].as<std::string>()), std::string::npos)
          << id << ": " << d->note;
    }
    EXPECT_FALSE(d->citation.text.empty()) << id;
  }
  for (const YAML::Node& id : spec["absent"]) {
    EXPECT_EQ(Find(all, id.as<std::string>()), nullptr)
        << "deadline " << id.as<std::string>() << " should not apply; have:\n"
        << Dump(all);
  }
  for (const YAML::Node& q : spec["due"]) {
    Date as_of = D(q["as_of"]);
    int days = q["days"].as<int>();
    std::vector<std::string> got;
    for (const DueItem& item : Due(rules, c, as_of, days)) {
      got.push_back(item.deadline.id);
      EXPECT_EQ(item.days_left, item.deadline.date - as_of);
      EXPECT_EQ(item.overdue, item.deadline.kind == DeadlineKind::kDue && item.days_left < 0);
    }
    std::vector<std::string> want;
    for (const YAML::Node& id : q["ids"]) want.push_back(id.as<std::string>());
    EXPECT_EQ(got, want) << "Due as of " << as_of.ToIso() << " + " << days << " days";
  }
}

TEST(CaseTable, AllCasesInTheFile) {
  auto rules = ShippedDeadlineRules();
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  YAML::Node root = YAML::LoadFile(kCasesFile);
  ASSERT_TRUE(root["cases"].IsSequence());
  ASSERT_GE(root["cases"].size(), 15u);
  for (const YAML::Node& spec : root["cases"]) RunCase(**rules, spec);
}

}  // namespace
}  // namespace icts::cases
