# SPDX-License-Identifier: GPL-2.0
#
# vvram: kernel modules out of tree, userspace tools and the test suites.
# `make help` lists the targets.

TOP   := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
KVER  ?= $(shell $(TOP)/tools/build/kver)
KDIR  ?= /lib/modules/$(KVER)/build
CC    ?= cc
USER_WARN_CFLAGS := -Wall -Wextra -Werror=implicit-function-declaration

export TOP BUILD KVER KDIR

# Component fragments append to these lists:
#   DEPS_PACKAGES  Debian packages that `make deps` installs
#   USER_PROGS     userspace programs built by `make all`
#   USER_TESTS     host programs run by `make check`; each prints TAP
#   GUEST_SUITES   guest programs run by `make check`, one guest boot each;
#                  each prints TAP and the guest's dmesg must stay clean
DEPS_PACKAGES := linux-headers-6.12-amd64 linux-image-6.12-amd64 \
		 qemu-system-x86 libdrm-dev intel-gpu-tools kmod \
		 busybox-static cpio xz-utils gcc make libc6-dev pkg-config
# `make check KVER=<release>` tests another kernel: its image and headers.
DEPS_PACKAGES += $(if $(filter command line environment,$(origin KVER)),\
		 linux-headers-$(KVER) linux-image-$(KVER))
USER_PROGS    :=
USER_TESTS    :=
GUEST_SUITES  :=

.PHONY: all modules deps deps-matrix matrix install check check-run demo \
	shell clean help

all: modules

include $(sort $(wildcard $(TOP)/tools/*/*.mk $(TOP)/tools/testing/*/*.mk $(TOP)/igt-tests/*.mk))

all: $(USER_PROGS)

# VVRAM_TEST_MODULES=1 also builds the selftest and benchmark modules;
# the targets that load them (check-run here, bench-kernel) set it.
VVRAM_TEST_MODULES ?=
check-run: VVRAM_TEST_MODULES := 1

modules:
	@test -d "$(KDIR)" || { echo "no kernel build dir '$(KDIR)': run 'make deps'" >&2; exit 1; }
	+$(TOP)/tools/build/kbuild $(KDIR) $(TOP) modules \
		$(if $(VVRAM_TEST_MODULES),VVRAM_TEST_MODULES=1)

deps:
	@$(TOP)/tools/build/deps $(DEPS_PACKAGES)

matrix:
	+$(TOP)/tools/build/matrix

deps-matrix:
	$(TOP)/tools/build/deps-matrix

# INSTALL_MOD_PATH=<dir> stages the install under <dir> instead of /.
install: modules
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=updates modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KVER)

# `check` and `demo` install what is missing first, then re-enter make so
# that KVER is discovered after the kernel headers exist.
check: deps
	@$(MAKE) --no-print-directory check-run

check-run: modules $(USER_PROGS) $(USER_TESTS) $(GUEST_SUITES)
	@$(TOP)/tools/testing/check --user "$(USER_TESTS)" --guest "$(GUEST_SUITES)"

demo: deps
	@$(MAKE) --no-print-directory all
	$(TOP)/tools/vm/run -- $(TOP)/tools/demo

shell: modules
	$(TOP)/tools/vm/run --interactive

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf $(BUILD)

help:
	@echo 'make          build the kernel modules (and userspace tools)'
	@echo 'make deps     install the Debian packages this project needs'
	@echo 'make deps-matrix  install every 6.12.y header and the newest 6.1'
	@echo 'make matrix   build against every installed 6.1/6.12 kernel, print a table'
	@echo 'make check    deps, build, then run every host and guest test'
	@echo 'make demo     deps, build, boot a guest and show vvram working'
	@echo 'make shell    an interactive guest with vvram loaded'
	@echo 'make dkms-trial  dkms install for the newest 6.1, then modprobe it in a guest'
	@echo 'make install  install the modules into /lib/modules/$$KVER/updates'
