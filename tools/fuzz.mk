# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer for the tools' parsers (spctl's arguments, spsd's updates),
# with ASan and UBSan; included by tools/spctl/Makefile and
# tools/spsd/Makefile.  fuzz_or_skip is the recipe line "make check"
# runs: the fuzz target where clang can build one, else a note why not.

FUZZ_CC ?= clang
FUZZ_TIME ?= 20
FUZZ_CFLAGS := -std=gnu11 -Wall -Wextra $(WERROR) -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
	-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

# Asked only when check runs: can $(FUZZ_CC) link a libFuzzer target?
have_fuzzer = $(shell printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' | \
	$(FUZZ_CC) -fsanitize=fuzzer -x c -o /dev/null - 2>/dev/null && echo y)

fuzz_or_skip = $(if $(have_fuzzer),$(MAKE) fuzz,@echo "fuzz: skipped: $(FUZZ_CC) cannot build -fsanitize=fuzzer programs (Debian: clang libclang-rt-dev)")
