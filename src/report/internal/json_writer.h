// Private to src/report: a streaming JSON writer, so that reports of
// hundreds of thousands of findings are written without building a DOM
// (nlohmann's costs about 1 KB and several allocations per value).
//
// Output is indented like nlohmann::json::dump(indent). Strings are
// escaped, and ill-formed UTF-8 is replaced with U+FFFD byte by byte, as
// nlohmann's error_handler_t::replace does. The caller keeps keys and
// values balanced; the writer does not check.
#ifndef ICTS_REPORT_INTERNAL_JSON_WRITER_H_
#define ICTS_REPORT_INTERNAL_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace icts::report::internal {

// Appends `s` as a JSON string literal (with quotes).
void AppendJsonString(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out, int indent = 2) : out_(out), indent_(indent) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key);
  void String(std::string_view s);
  void Uint(uint64_t v);
  void Bool(bool v);
  void Null();

  // Key and value in one call.
  void Field(std::string_view key, std::string_view v) { Key(key), String(v); }
  void Field(std::string_view key, const char* v) { Key(key), String(v); }
  void Field(std::string_view key, const std::string& v) { Key(key), String(v); }
  void Field(std::string_view key, uint64_t v) { Key(key), Uint(v); }
  void FieldBool(std::string_view key, bool v) { Key(key), Bool(v); }
  // A string, or null when `v` is empty.
  void FieldOrNull(std::string_view key, std::string_view v);
  void StringArray(std::string_view key, const std::vector<std::string>& v);
  void UintArray(std::string_view key, const std::vector<size_t>& v);

 private:
  void Open(char c);
  void Close(char c);
  void BeforeValue();
  void NewLine(size_t depth);

  std::string* out_;
  int indent_;
  std::vector<bool> empty_;  // Per open container: nothing written in it yet.
  bool after_key_ = false;
};

}  // namespace icts::report::internal

#endif  // ICTS_REPORT_INTERNAL_JSON_WRITER_H_
