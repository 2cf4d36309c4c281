# Convenience wrapper over CMake/ctest. Targets:
#   make          release build of the CLI at build/icts
#   make demo     build the shipped demo snapshot and show it
#   make test     every test (unit, data-driven, fuzz-corpus replay, CLI end to
#                 end) under AddressSanitizer + UndefinedBehaviorSanitizer
#   make test-postgres  the store tests against a throwaway PostgreSQL server
#                 on 127.0.0.1 (scripts/test-postgres.sh); `make test` runs them
#                 when ICTS_TEST_POSTGRES_URL is set and skips them otherwise
#   make bench    benchmarks (release build)
#   make fuzz     libFuzzer targets with clang, each run for FUZZ_SECONDS
#   make deps     install the Debian packages the project needs (apt-get)
#   make format   clang-format the sources

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all build demo test test-postgres test-release bench fuzz deps format clean

all: build

build:
	cmake -S . -B build $(GENERATOR) -DCMAKE_BUILD_TYPE=Release -DICTS_BUILD_TESTS=OFF >/dev/null
	cmake --build build -j $(JOBS) --target icts

demo: build
	./examples/demo.sh build/icts

test:
	cmake -S . -B build-asan $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug -DICTS_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS) --timeout 600

test-postgres:
	cmake -S . -B build-asan $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug -DICTS_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	url=$$(./scripts/test-postgres.sh start) && \
	  (cd build-asan && ICTS_TEST_POSTGRES_URL=$$url ctest --output-on-failure -j $(JOBS) -R '[Ss]tore'); \
	  rc=$$?; ./scripts/test-postgres.sh stop; exit $$rc

test-release:
	cmake -S . -B build-rel $(GENERATOR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-rel -j $(JOBS)
	cd build-rel && ctest --output-on-failure -j $(JOBS)

bench:
	cmake -S . -B build-bench $(GENERATOR) -DCMAKE_BUILD_TYPE=Release -DICTS_BUILD_TESTS=OFF -DICTS_BUILD_BENCH=ON >/dev/null
	cmake --build build-bench -j $(JOBS)
	./bench/run.sh build-bench

fuzz:
	cmake -S . -B build-fuzz $(GENERATOR) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DICTS_FUZZ=ON -DICTS_BUILD_TESTS=OFF >/dev/null
	cmake --build build-fuzz -j $(JOBS)
	./fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

deps:
	./scripts/install-deps.sh

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'fuzz/*.cc' 'bench/*.cc' 'tests/*.h')

clean:
	rm -rf build build-asan build-rel build-bench build-fuzz
