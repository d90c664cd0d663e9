# SPDX-License-Identifier: GPL-2.0
#
# The debug tier (issue 13): every guest suite on a debug kernel built from
# linux-source-6.12 with KASAN, lockdep, kmemleak, UBSAN, DEBUG_LIST,
# DEBUG_OBJECTS, fault injection and sw_sync (tools/debug-kernel/debug.config),
# cached outside the clone (tools/debug-kernel/build).
#
#   make debug-deps     install what building that kernel needs
#   make debug-kernel   build it (cached), print its build directory
#   make -s debug-kdir  print only its build directory (building it if needed)
#   make debug-modules  build this tree's modules against it, in place
#   make check-debug    all of that, then every guest suite on it
#
# check-debug's logs go to build/check-debug/; its guests allow four times
# the usual time (tools/vm/run --debug), each IGT subtest 600 s, and the
# ioctl fuzzer runs for 10 minutes (tools/testing/fuzz/guest-fuzz).

DEBUG_DEPS_PACKAGES := linux-source-6.12 flex bison bc libelf-dev libssl-dev \
		       xz-utils kmod
DEBUG_KERNEL_BUILD := $(TOP)/tools/debug-kernel/build
DEBUG_VKMS_DIR := $(BUILD)/debug-kernel/vkms
DEBUG_IGT_TIMEOUT ?= 600
# The fuzzer's long pass: this, times the debug kernel's time scale of 4.
DEBUG_FUZZ_SECONDS ?= 150

USER_TESTS += $(TOP)/tools/debug-kernel/test-gates

.PHONY: debug-deps debug-kernel debug-kdir debug-modules debug-vkms check-debug

debug-deps:
	@$(TOP)/tools/build/deps $(DEBUG_DEPS_PACKAGES)

debug-kernel debug-kdir:
	@$(DEBUG_KERNEL_BUILD)

# In place, as `make modules` does for the installed kernel (Kbuild
# rebuilds every object when KDIR changes); -g so that a splat's
# module offsets can be turned into lines (scripts/faddr2line). The
# stack frame limit is Debian's 2048 bytes: the debug kernel's 1024 comes
# from tinyconfig's 32-bit allnoconfig pass, and KASAN's redzones grow
# frames (vvram_buddy_dump has 1032 bytes there).
debug-modules:
	@kdir=$$($(DEBUG_KERNEL_BUILD)) && \
	$(TOP)/tools/build/kbuild "$$kdir" $(TOP) modules VVRAM_TEST_MODULES=1 \
		"KCFLAGS=-g -Wframe-larger-than=2048"

# vkms for the IGT runner's second pass, from the debug kernel's own
# sources, beside (not over) the one tools/bench/build-vkms makes.
debug-vkms:
	@kdir=$$($(DEBUG_KERNEL_BUILD)) && src=$$(readlink -f "$$kdir/source") && \
	rm -rf $(DEBUG_VKMS_DIR) && mkdir -p $(DEBUG_VKMS_DIR) && \
	cp "$$src"/drivers/gpu/drm/vkms/*.[ch] "$$src"/drivers/gpu/drm/vkms/Makefile \
		$(DEBUG_VKMS_DIR)/ && \
	$(MAKE) -s -C "$$kdir" M=$(DEBUG_VKMS_DIR) CONFIG_DRM_VKMS=m modules \
		>$(DEBUG_VKMS_DIR)/build.log 2>&1 || { cat $(DEBUG_VKMS_DIR)/build.log; exit 1; }

# tools/testing/check keeps its logs in build/check; they move to
# build/check-debug afterwards, so that `make check`'s are not mistaken
# for these.
check-debug: deps debug-deps
	@$(MAKE) --no-print-directory debug-kernel >/dev/null
	@$(MAKE) --no-print-directory check-debug-run

# Expanded a second time: fragments included after this one (the fuzzer's)
# add to USER_PROGS and GUEST_SUITES too.
.PHONY: check-debug-run
.SECONDEXPANSION:
check-debug-run: debug-modules debug-vkms $$(USER_PROGS) $$(GUEST_SUITES)
	@start=$$(date +%s); \
	VVRAM_DEBUG_KERNEL=1 \
	VVRAM_GUEST_ENV="VKMS_KO=$(DEBUG_VKMS_DIR)/vkms.ko IGT_TIMEOUT=$(DEBUG_IGT_TIMEOUT) FUZZ_SECONDS=$(DEBUG_FUZZ_SECONDS)" \
		$(TOP)/tools/testing/check --guest "$(GUEST_SUITES)"; \
	status=$$?; \
	rm -rf $(BUILD)/check-debug; mv $(BUILD)/check $(BUILD)/check-debug; \
	echo "check-debug: $$(( $$(date +%s) - start ))s on $$(cat "$$($(DEBUG_KERNEL_BUILD))/include/config/kernel.release"); logs in build/check-debug/"; \
	exit $$status
