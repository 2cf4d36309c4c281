// Reference for the CycloneDX reader benchmark: nlohmann/json on the same
// file. Mode "dom" parses the whole document into a json value and walks the
// components recursively (the usual way nlohmann is used); mode "sax" counts
// the objects of every "components" array with the SAX interface (constant
// memory). Prints components, seconds, GB/s and peak RSS.
//
//   inventory_nlohmann_ref dom|sax FILE
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;

size_t CountDom(const json& components) {
  size_t n = 0;
  std::vector<const json*> stack = {&components};
  while (!stack.empty()) {
    const json* arr = stack.back();
    stack.pop_back();
    if (!arr->is_array()) continue;
    for (const json& c : *arr) {
      ++n;
      auto it = c.find("components");
      if (it != c.end()) stack.push_back(&*it);
    }
  }
  return n;
}

// Counts objects that are direct elements of an array under a "components" key.
struct CountingSax : nlohmann::json_sax<json> {
  std::vector<bool> in_components;  // Per open array.
  std::vector<char> kinds;          // 'a' array, 'o' object.
  std::string last_key;
  size_t count = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (!kinds.empty() && kinds.back() == 'a' && in_components.back()) ++count;
    kinds.push_back('o');
    return true;
  }
  bool end_object() override {
    kinds.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    in_components.push_back(!kinds.empty() && kinds.back() == 'o' && last_key == "components");
    kinds.push_back('a');
    return true;
  }
  bool end_array() override {
    kinds.pop_back();
    in_components.pop_back();
    return true;
  }
  bool key(string_t& k) override {
    last_key = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::strcmp(argv[1], "dom") != 0 && std::strcmp(argv[1], "sax") != 0)) {
    std::fprintf(stderr, "usage: inventory_nlohmann_ref dom|sax FILE\n");
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::ifstream in(argv[2], std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t count = 0;
  if (std::strcmp(argv[1], "dom") == 0) {
    json doc = json::parse(text);
    count = CountDom(doc["components"]);
    if (doc.contains("metadata") && doc["metadata"].contains("component")) ++count;
  } else {
    CountingSax sax;
    if (!json::sax_parse(text, &sax)) return 1;
    count = sax.count;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("components %zu bytes %zu time %.3f s (%.3f GB/s) peak_rss %.1f MB\n", count,
              text.size(), secs, static_cast<double>(text.size()) / 1e9 / secs,
              static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
