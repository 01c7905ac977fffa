# Thin wrapper over CMake + CTest. Every target that builds first makes sure
# the Debian packages it needs are installed (scripts/install-deps).
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
PREFIX     ?= /usr/local
FUZZ_SECONDS ?= 60
DEMO_OUT   ?= demo-out

.PHONY: all deps test-deps check format-check sanitize tsan demo bench install fuzz clean

all: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX)
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/install-deps build

test-deps:
	@scripts/install-deps test

check: test-deps all
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The checked-in .clang-format, applied to every C file (CI runs this).
format-check:
	git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror

sanitize: test-deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSW_SANITIZE=address,undefined
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) -LE 'slow|bindings'

# The suite under ThreadSanitizer: the model's sweeps, the periods' fits,
# hashing and flagged.csv all run on threads of their own.
tsan: test-deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSW_SANITIZE=thread
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	TSAN_OPTIONS=halt_on_error=1 \
	  ctest --test-dir $(TSAN_BUILD) --output-on-failure -j $(JOBS) -LE 'slow|bindings'

demo: all
	@scripts/demo $(BUILD)/steerwatch $(DEMO_OUT)

bench: all
	@scripts/install-deps bench
	@bench/run $(BUILD)/steerwatch

install: all
	cmake --install $(BUILD)

fuzz: test-deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSW_BUILD_FUZZERS=ON -DSW_BUILD_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" scripts/fuzz $(FUZZ_BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) $(DEMO_OUT)
