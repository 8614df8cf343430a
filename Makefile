# SPDX-License-Identifier: GPL-2.0
#
#   make               build kernel/sleepproxy.ko, tools/spctl/spctl and
#                      tools/spsd/spsd
#   make check         install what the tests need, build, run every test
#   make demo          install what the demo needs, build, show it in a VM
#   make bench         install what it needs, build, measure (BENCHMARKS.md)
#   make install       install the module and the tools under DESTDIR and
#                      PREFIX (default /usr/local)
#   make dkms-install  put the module's sources in /usr/src for DKMS, which
#                      builds it for every kernel with headers, and for
#                      each new one
#   make deb           build the Debian packages sleepproxy-dkms and
#                      sleepproxy into dist/
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
DOCDIR ?= $(PREFIX)/share/doc/sleepproxy
V ?= 0
# One version for the module, its DKMS sources and the packages.
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC := /usr/src/sleepproxy-$(VERSION)

# Kbuild cannot build in a directory whose path has a blank: such a
# checkout builds through a link to it that has none.
blank := $(subst x, ,x)
MDIR := $(CURDIR)
ifneq ($(findstring $(blank),$(CURDIR)),)
MDIR := $(shell d=$${TMPDIR:-/tmp}/sleepproxy-$$(id -u)-$$(printf %s '$(CURDIR)' | \
	md5sum | cut -c1-8) && ln -sfn '$(CURDIR)' "$$d" && echo "$$d")
endif

all: module tools

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: install linux-headers-amd64 or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(MDIR) V=$(V) W=1 modules

tools:
	$(MAKE) -C tools/spctl
	$(MAKE) -C tools/spsd

install: all install-tools
	$(MAKE) -C $(KDIR) M=$(MDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install

# Everything but the module: spctl, spsd, their man pages, systemd units
# and spctl's bash completion, and the modprobe.d and modules-load.d
# examples.
install-tools: tools
	$(MAKE) -C tools/spctl install
	$(MAKE) -C tools/spsd install
	install -d $(DESTDIR)$(DOCDIR)/examples
	install -m 0644 tools/modprobe.d/sleepproxy.conf \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d-sleepproxy.conf
	install -m 0644 tools/modules-load.d/sleepproxy.conf \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d-sleepproxy.conf

# The module's sources as DKMS wants them (sleepproxy-dkms has these).
KERNEL_SRC := kernel/Kbuild kernel/Kconfig $(wildcard kernel/*.h) \
	$(filter-out %.mod.c,$(wildcard kernel/*.c))
install-dkms-src:
	install -d $(DESTDIR)$(DKMS_SRC)/kernel $(DESTDIR)$(DKMS_SRC)/uapi/linux
	install -m 0644 Kbuild dkms.conf $(DESTDIR)$(DKMS_SRC)/
	install -m 0644 $(KERNEL_SRC) $(DESTDIR)$(DKMS_SRC)/kernel/
	install -m 0644 uapi/linux/sleepproxy.h $(DESTDIR)$(DKMS_SRC)/uapi/linux/

# DKMS builds the module for every kernel that has its headers now, and
# AUTOINSTALL for every kernel installed later.
dkms-install: install-dkms-src
	dkms status -m sleepproxy -v $(VERSION) | grep -q . || \
		dkms add -m sleepproxy -v $(VERSION)
	for k in $$(ls /lib/modules); do \
		test -e /lib/modules/$$k/build || continue; \
		dkms install -m sleepproxy -v $(VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	! dkms status -m sleepproxy -v $(VERSION) | grep -q . || \
		dkms remove -m sleepproxy -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

# sleepproxy-dkms and sleepproxy, built with debhelper from a clean copy
# of the checkout, land in dist/.
deb:
	tools/deb.sh

# The packages built, checked with lintian and for what they hold.
debcheck: deps deb
	tests/debs.sh

# What a fresh Debian machine needs for the checks and the demo.
deps:
	tests/deps.sh

kunit: deps
	SLEEPPROXY_KVER=$(KVER) tests/kunit/run.sh

# One VM boot for every system test; VMTEST=tests/ipv6.sh runs only one.
VMTEST ?= tests/system.sh

vmtest: deps all
	SLEEPPROXY_VM_KVER=$(KVER) tests/vm/run.sh $(VMTEST)

# The packages installed in a VM, DKMS building the module for the
# guest's kernel under emulation (a quarter of an hour on 2 cores): not
# part of make check yet.
pkgtest: deps all deb
	SLEEPPROXY_VM_KVER=$(KVER) tests/vm/run.sh tests/install.sh

style: deps
	tests/style.sh

sparse: deps
	$(MAKE) -C $(KDIR) M=$(MDIR) C=2 W=1 modules 2>&1 | tee .sparse.log
	@! grep -E 'warning|error' .sparse.log

# The module built for a 32-bit (i386) kernel with W=1, in a copy, against
# a kernel tree prepared once in ~/.cache/sleepproxy/i386.
i386: deps
	tests/build-i386.sh

check: deps
	$(MAKE) tools
	$(MAKE) style
	tests/bench-table.sh
	$(MAKE) i386
	$(MAKE) -C tools/spctl check
	$(MAKE) -C tools/spsd check
	$(MAKE) debcheck
	@kvers="$(KVERS)"; kvers=$${kvers:-$$(scripts/kernel.sh list)}; \
	test -n "$$kvers" || { echo "make check: no kernel with headers and an image" >&2; exit 1; }; \
	MAKE="$(MAKE)" tests/kernels.sh $$kvers

demo: deps all
	SLEEPPROXY_VM_KVER=$(KVER) tests/vm/run.sh tests/demo.sh

bench: deps all
	SLEEPPROXY_KVER=$(KVER) SLEEPPROXY_VM_KVER=$(KVER) bench/run.sh

clean:
	$(MAKE) -C $(KDIR) M=$(MDIR) clean
	$(MAKE) -C tools/spctl clean
	$(MAKE) -C tools/spsd clean
	rm -f .sparse.log
	rm -rf dist

.PHONY: all module tools install deps kunit vmtest style sparse i386 check \
	demo bench pkgtest clean install-tools install-dkms-src dkms-install \
	dkms-uninstall deb debcheck
