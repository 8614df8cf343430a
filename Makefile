# SPDX-License-Identifier: GPL-2.0
#
#   make               build kernel/sleepproxy.ko, tools/spctl/spctl and
#                      tools/spsd/spsd
#   make check         install what the tests need, build, run every test
#   make demo          install what the demo needs, build, show it in a VM
#   make bench         install what it needs, build, measure (BENCHMARKS.md)
#
# KDIR picks the kernel build tree; by default the running kernel's, or the
# newest installed headers when the running kernel has none.

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1))
PREFIX ?= /usr/local
V ?= 0

all: module tools

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: install linux-headers-amd64 or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) V=$(V) W=1 modules

tools:
	$(MAKE) -C tools/spctl
	$(MAKE) -C tools/spsd

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	$(MAKE) -C tools/spctl PREFIX=$(PREFIX) install
	$(MAKE) -C tools/spsd PREFIX=$(PREFIX) install

# What a fresh Debian machine needs for the checks and the demo.
deps:
	tests/deps.sh

kunit: deps
	tests/kunit/run.sh

# One VM boot for every system test; VMTEST=tests/ipv6.sh runs only one.
VMTEST ?= tests/system.sh

vmtest: deps all
	tests/vm/run.sh $(VMTEST)

style: deps
	tests/style.sh

sparse: deps
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 W=1 modules 2>&1 | tee .sparse.log
	@! grep -E 'warning|error' .sparse.log

# The module built for a 32-bit (i386) kernel with W=1, in a copy, against
# a kernel tree prepared once in ~/.cache/sleepproxy/i386.
i386: deps
	tests/build-i386.sh

check: deps
	$(MAKE) all
	$(MAKE) style
	$(MAKE) sparse
	$(MAKE) i386
	$(MAKE) kunit
	$(MAKE) -C tools/spctl check
	$(MAKE) -C tools/spsd check
	$(MAKE) vmtest
	@echo "make check: all tests passed"

demo: deps all
	tests/vm/run.sh tests/demo.sh

bench: deps all
	bench/run.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/spctl clean
	$(MAKE) -C tools/spsd clean
	rm -f .sparse.log

.PHONY: all module tools install deps kunit vmtest style sparse i386 check \
	demo bench clean
