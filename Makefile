# Convenience wrapper over CMake/ctest. Targets:
#   make          release build of the CLI at build/icts
#   make demo     build the shipped demo snapshot and show it
#   make test     every test (unit, data-driven, fuzz-corpus replay, CLI end to
#                 end) under AddressSanitizer + UndefinedBehaviorSanitizer
#   make test-postgres  the store tests against a throwaway PostgreSQL server
#                 on 127.0.0.1 (scripts/test-postgres.sh); `make test` runs
#                 them too, against $ICTS_TEST_POSTGRES_URL or a throwaway
#                 server of its own when PostgreSQL is installed
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

# The store suite also runs on PostgreSQL: against $$ICTS_TEST_POSTGRES_URL when
# set (.ci/run starts a server), else against a throwaway server on
# 127.0.0.1:$(TEST_PG_PORT) when PostgreSQL is installed (make deps installs it);
# without either, those tests are reported as skipped.
TEST_PG_PORT ?= 55433

test:
	cmake -S . -B build-asan $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug -DICTS_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	@if [ -z "$$ICTS_TEST_POSTGRES_URL" ] && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && \
	   url=$$(ICTS_PG_PORT=$(TEST_PG_PORT) ./scripts/test-postgres.sh start 2>/dev/null | tail -1) && \
	   [ -n "$$url" ]; then \
	  echo "PostgreSQL test server: $$url"; \
	  (cd build-asan && ICTS_TEST_POSTGRES_URL=$$url ctest --output-on-failure -j $(JOBS) --timeout 600); \
	  rc=$$?; ICTS_PG_PORT=$(TEST_PG_PORT) ./scripts/test-postgres.sh stop >/dev/null; exit $$rc; \
	else \
	  cd build-asan && ctest --output-on-failure -j $(JOBS) --timeout 600; \
	fi

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
