# SPDX-License-Identifier: GPL-2.0
#
# oomhook -- see README.md.
#
#   make                 build the modules for KVER (default: running kernel)
#   make check           everything CI runs (installs what it needs)
#   make demo            show oomhook at work in a QEMU guest
#   make lint            W=1, sparse and checkpatch --strict; fails on any report
#   make vm-test         the QEMU scenarios alone
#   make install         install the modules for KVER (no loading)
#   make dkms-install    register with DKMS, build and install for KVER
#   make dkms-remove     remove every DKMS build and the source copy
#   make deb             build the oomhook-dkms Debian package (into ..)
#   make version         print the version (dkms.conf's PACKAGE_VERSION)
#   make stage DEST=dir  copy the module sources (what DKMS and the
#                        package ship) into dir
#   make clean
#
# KVER and KDIR (default /lib/modules/$(KVER)/build) are overridable.  When
# the running kernel has no headers installed (a container, a CI machine),
# the newest kernel under /lib/modules that has them is used.

KVER ?= $(shell uname -r)
ifeq ($(wildcard /lib/modules/$(KVER)/build),)
KVER_FOUND := $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4)
ifneq ($(KVER_FOUND),)
KVER := $(KVER_FOUND)
endif
endif
KDIR ?= /lib/modules/$(KVER)/build

# The version is kept in dkms.conf alone (Kbuild reads it the same way).
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
# What a module build needs: DKMS and the Debian package ship exactly this.
SOURCES := Kbuild Makefile dkms.conf compat include module policies kunit
DKMS_SRC := /usr/src/oomhook-$(VERSION)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

version:
	@echo $(VERSION)

stage:
	@test -n "$(DEST)" || { echo "usage: make stage DEST=<dir>" >&2; exit 1; }
	mkdir -p "$(DEST)"
	cp -r $(SOURCES) "$(DEST)/"

dkms-install:
	rm -rf "$(DKMS_SRC)"
	$(MAKE) -s stage DEST="$(DKMS_SRC)"
	dkms add oomhook/$(VERSION)
	dkms build oomhook/$(VERSION) -k $(KVER)
	dkms install oomhook/$(VERSION) -k $(KVER)

dkms-remove:
	-dkms remove oomhook/$(VERSION) --all
	rm -rf "$(DKMS_SRC)"

deb:
	tools/mkdeb.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tests/helpers clean

lint:
	tests/lint.sh

vm-test:
	tests/vm/run.sh

check:
	tests/check.sh

demo:
	tests/demo.sh

# Every contender, every scenario, three runs: about 80 minutes (bench/README.md).
bench:
	bench/run.sh

bench-smoke:
	bench/smoke.sh

# oomhook's global-OOM decisions beside the kernel's own: about 20 minutes.
bench-micro:
	bench/micro.sh

.PHONY: all modules install version stage dkms-install dkms-remove deb clean lint \
	vm-test check demo bench bench-smoke bench-micro
