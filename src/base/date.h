// Civil (proleptic Gregorian) dates without time zones.
//
// A Date is a calendar day. Evaluations are always "as of" a Date; list
// entries and rules carry effective Dates. Dates order and subtract as day
// numbers (days since 1970-01-01).
#ifndef ICTS_BASE_DATE_H_
#define ICTS_BASE_DATE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace icts {

class Date {
 public:
  // 1970-01-01.
  constexpr Date() = default;

  // Returns an error unless y-m-d is a real calendar day in years 1..9999.
  static Result<Date> FromYmd(int year, int month, int day);
  // From days since 1970-01-01.
  static Date FromDays(int32_t days);

  // "YYYY-MM-DD".
  static Result<Date> ParseIso(std::string_view text);
  // "MM/DD/YYYY" (BIS Denied Persons List, U.S. style).
  static Result<Date> ParseUs(std::string_view text);
  // "DD Mon YYYY" or "DD Month YYYY" (OFAC remarks), English month names.
  static Result<Date> ParseDayMonthYear(std::string_view text);

  int year() const;
  int month() const;
  int day() const;
  int32_t days() const { return days_; }

  Date AddDays(int32_t n) const { return FromDays(days_ + n); }
  // Adds calendar years; Feb 29 becomes Feb 28 in non-leap years.
  Date AddYears(int n) const;

  std::string ToIso() const;

  friend bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
  friend bool operator<(Date a, Date b) { return a.days_ < b.days_; }
  friend bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
  friend bool operator>(Date a, Date b) { return a.days_ > b.days_; }
  friend bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }
  friend int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }

 private:
  explicit constexpr Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

// True for Gregorian leap years.
// Today's date in UTC from the system clock. For the command-line shells and
// the server; the evaluator never reads the clock (its date is an input).
Date TodayUtc();

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// Normalises the partial dates lists publish ("1957", "1957-06",
// "1957-06-30", "30 Jun 1957", "Jun 1957", "06/30/1957", "circa 1957") to an
// ISO prefix: "1957", "1957-06" or "1957-06-30". Returns an empty string when
// no date can be read.
std::string NormalizePartialDate(std::string_view text);

}  // namespace icts

#endif  // ICTS_BASE_DATE_H_
