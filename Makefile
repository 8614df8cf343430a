# SPDX-License-Identifier: GPL-2.0
#
#   make               build kernel/sleepproxy.ko, tools/spctl/spctl and
#                      tools/spsd/spsd
#   make check         install what the tests need, build, run every test
#   make demo          install what the demo needs, build, show it in a VM
#   make bench         install what it needs, build, measure (BENCHMARKS.md)
#
# KVER picks the kernel for everything below (build, sparse, KUnit, the VM):
# a release or its start (KVER=6.12); by default the running kernel if its
# headers are installed, else the newest kernel installed with headers and
# an image (scripts/kernel.sh, the one rule).  KDIR= builds against another
# kernel tree instead, and KVER is then that tree's release.
# `make check` runs the kernel-specific checks for every kernel in KVERS:
# by default each one installed with headers and an image (after deps has
# installed them: `scripts/kernel.sh list`).

ifeq ($(origin KDIR),undefined)
override KVER := $(shell scripts/kernel.sh pick $(KVER) 2>/dev/null)
KDIR := $(if $(KVER),/lib/modules/$(KVER)/build)
else
override KVER := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
endif
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
	SLEEPPROXY_KVER=$(KVER) tests/kunit/run.sh

# One VM boot for every system test; VMTEST=tests/ipv6.sh runs only one.
VMTEST ?= tests/system.sh

vmtest: deps all
	SLEEPPROXY_VM_KVER=$(KVER) tests/vm/run.sh $(VMTEST)

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
	$(MAKE) tools
	$(MAKE) style
	$(MAKE) i386
	$(MAKE) -C tools/spctl check
	$(MAKE) -C tools/spsd check
	@kvers="$(KVERS)"; kvers=$${kvers:-$$(scripts/kernel.sh list)}; \
	test -n "$$kvers" || { echo "make check: no kernel with headers and an image" >&2; exit 1; }; \
	for k in $$kvers; do \
		echo "make check: kernel $$k"; \
		$(MAKE) KVER=$$k module sparse kunit vmtest || exit 1; \
	done; \
	echo "make check: all tests passed on" $$kvers

demo: deps all
	SLEEPPROXY_VM_KVER=$(KVER) tests/vm/run.sh tests/demo.sh

bench: deps all
	bench/run.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/spctl clean
	$(MAKE) -C tools/spsd clean
	rm -f .sparse.log

.PHONY: all module tools install deps kunit vmtest style sparse i386 check \
	demo bench clean
