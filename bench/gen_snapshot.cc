// Writes a synthetic snapshot: gen_snapshot PATH [ENTITIES]
#include <cstdio>
#include <cstdlib>

#include "base/file.h"
#include "bench/synthetic.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_snapshot PATH [ENTITIES]\n");
    return 2;
  }
  unsigned long long n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000000ull;
  auto image = icts::refdata::SerializeSnapshot(icts::bench::MakeSyntheticContent(n));
  if (!image.ok()) {
    std::fprintf(stderr, "%s\n", image.status().ToString().c_str());
    return 3;
  }
  auto s = icts::WriteFileAtomically(argv[1], *image);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 3;
  }
  std::printf("%s: %llu entities, %zu bytes\n", argv[1], n, image->size());
  return 0;
}
