#include "base/date.h"

#include <array>
#include <chrono>
#include <cctype>
#include <charconv>
#include <string>

#include <fmt/format.h>

namespace icts {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

struct Civil {
  int y;
  unsigned m;
  unsigned d;
};

Civil CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{y + (m <= 2 ? 1 : 0), m, d};
}

bool ParseInt(std::string_view text, int* out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto res = std::from_chars(text.data(), text.data() + text.size(), *out);
  return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

// Returns 1..12 for an English month name or its 3-letter abbreviation.
int MonthFromName(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  std::string lower;
  for (char c : name) {
    if (c == '.') continue;
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (lower.size() < 3) return 0;
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == lower) return static_cast<int>(i) + 1;
    if (lower.size() == 3 && kNames[i].substr(0, 3) == lower) {
      return static_cast<int>(i) + 1;
    }
    if (lower == "sept" && i == 8) return 9;
  }
  return 0;
}

}  // namespace

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[static_cast<size_t>(month - 1)];
}

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return InvalidArgumentError(
        fmt::format("not a calendar date: {}-{}-{}", year, month, day));
  }
  return Date(DaysFromCivil(year, static_cast<unsigned>(month),
                            static_cast<unsigned>(day)));
}

Date Date::FromDays(int32_t days) { return Date(days); }

Result<Date> Date::ParseIso(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseInt(text.substr(0, 4), &y) || !ParseInt(text.substr(5, 2), &m) ||
      !ParseInt(text.substr(8, 2), &d)) {
    return InvalidArgumentError(
        fmt::format("expected a date as YYYY-MM-DD, got '{}'", text));
  }
  return FromYmd(y, m, d);
}

Result<Date> Date::ParseUs(std::string_view text) {
  int y = 0, m = 0, d = 0;
  size_t s1 = text.find('/');
  size_t s2 = s1 == std::string_view::npos ? s1 : text.find('/', s1 + 1);
  if (s2 == std::string_view::npos || !ParseInt(text.substr(0, s1), &m) ||
      !ParseInt(text.substr(s1 + 1, s2 - s1 - 1), &d) ||
      !ParseInt(text.substr(s2 + 1), &y) || text.size() - s2 - 1 != 4) {
    return InvalidArgumentError(
        fmt::format("expected a date as MM/DD/YYYY, got '{}'", text));
  }
  return FromYmd(y, m, d);
}

Result<Date> Date::ParseDayMonthYear(std::string_view text) {
  size_t s1 = text.find(' ');
  size_t s2 = s1 == std::string_view::npos ? s1 : text.find(' ', s1 + 1);
  int y = 0, d = 0;
  int m = 0;
  if (s2 != std::string_view::npos && ParseInt(text.substr(0, s1), &d) &&
      ParseInt(text.substr(s2 + 1), &y)) {
    m = MonthFromName(text.substr(s1 + 1, s2 - s1 - 1));
  }
  if (m == 0) {
    return InvalidArgumentError(
        fmt::format("expected a date as 'DD Mon YYYY', got '{}'", text));
  }
  return FromYmd(y, m, d);
}

int Date::year() const { return CivilFromDays(days_).y; }
int Date::month() const { return static_cast<int>(CivilFromDays(days_).m); }
int Date::day() const { return static_cast<int>(CivilFromDays(days_).d); }

Date TodayUtc() {
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date::FromDays(static_cast<int32_t>(days.time_since_epoch().count()));
}

Date Date::AddYears(int n) const {
  Civil c = CivilFromDays(days_);
  int y = c.y + n;
  unsigned d = c.d;
  if (c.m == 2 && d == 29 && !IsLeapYear(y)) d = 28;
  return Date(DaysFromCivil(y, c.m, d));
}

std::string Date::ToIso() const {
  Civil c = CivilFromDays(days_);
  return fmt::format("{:04d}-{:02d}-{:02d}", c.y, c.m, c.d);
}

std::string NormalizePartialDate(std::string_view text) {
  // Trim and drop qualifiers such as "circa" / "c." / "approximately".
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    }
    return s;
  };
  text = trim(text);
  for (std::string_view prefix : {"circa ", "Circa ", "CIRCA ", "c. ", "ca. ",
                                  "approximately ", "Approximately "}) {
    if (text.substr(0, prefix.size()) == prefix) {
      text = trim(text.substr(prefix.size()));
    }
  }
  if (text.empty()) return "";
  int y = 0, m = 0;
  if (text.size() == 4 && ParseInt(text, &y) && y > 0) {
    return fmt::format("{:04d}", y);
  }
  if (text.size() == 7 && text[4] == '-' && ParseInt(text.substr(0, 4), &y) &&
      ParseInt(text.substr(5, 2), &m) && m >= 1 && m <= 12) {
    return fmt::format("{:04d}-{:02d}", y, m);
  }
  if (auto d = Date::ParseIso(text.substr(0, 10)); d.ok() &&
      (text.size() == 10 || text[10] == 'T' || text[10] == ' ')) {
    return d->ToIso();
  }
  if (auto d = Date::ParseUs(text); d.ok()) return d->ToIso();
  if (auto d = Date::ParseDayMonthYear(text); d.ok()) return d->ToIso();
  // "Jun 1957" / "June 1957".
  size_t sp = text.find(' ');
  if (sp != std::string_view::npos && ParseInt(text.substr(sp + 1), &y) &&
      text.size() - sp - 1 == 4) {
    m = MonthFromName(text.substr(0, sp));
    if (m != 0) return fmt::format("{:04d}-{:02d}", y, m);
  }
  return "";
}

}  // namespace icts
