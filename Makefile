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

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

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

.PHONY: all modules install clean lint vm-test check demo
