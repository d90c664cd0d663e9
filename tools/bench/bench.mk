# SPDX-License-Identifier: GPL-2.0
#
# Buddy allocator benchmarks (workloads W1-W6, docs/buddy-bench.md).
#
#   make bench        userspace benchmark on the host, then in a guest the
#                     in-kernel benchmark (ours vs the kernel's allocator)
#                     and the TTM-level one (vvram.ko on either); prints
#                     the three tables
#   make bench-user   only the userspace benchmark
#   make bench-kernel only the in-kernel benchmark (one guest boot)
#   make bench-ttm    only the TTM-level benchmark (one guest boot)
#   make bench-display the display engine's composition, vvram against
#                     vkms built from linux-source-6.12 (one guest boot)
#   make bench-doc    `make bench`, then rewrites docs/buddy-bench.md
#
# BENCH_BUDGET_S bounds each measured row of each allocator in the guest;
# a row that runs out of it is reported as such, never dropped.
# BENCH_REPEATS interleaved runs per allocator; the best of each row counts.

BENCH_OUT       := $(BUILD)/bench
BENCH_SRC       := $(TOP)/drivers/gpu/buddy/bench
BENCH_BUDGET_S  ?= 60
BENCH_REPEATS   ?= 3
BENCH_TIMEOUT_S ?= 5400
BENCH_USER_SRCS := $(TOP)/tools/bench/vvram_buddy_bench.c \
		   $(BENCH_SRC)/vvram_bench_core.c \
		   $(BENCH_SRC)/vvram_bench_workloads.c \
		   $(BENCH_SRC)/vvram_bench_random.c \
		   $(BENCH_SRC)/vvram_bench_ops_vvram.c
BENCH_USER_BIN  := $(BENCH_OUT)/vvram_buddy_bench
BENCH_TTM_BIN   := $(BENCH_OUT)/vvram_ttm_bench
BENCH_DISPLAY_BIN := $(BENCH_OUT)/vvram_display_bench
# libvvram's rules and flags come from tools/libvvram/libvvram.mk,
# included after this file: use them in recipes only.
BENCH_VVRAM_LIB := $(BUILD)/libvvram/libvvram.a

USER_PROGS += $(BENCH_USER_BIN) $(BENCH_TTM_BIN) $(BENCH_DISPLAY_BIN)

# The user-cflags query runs when the recipe does, not when make parses
# this file (that would recurse).
$(BENCH_USER_BIN): $(BENCH_USER_SRCS) $(BENCH_SRC)/vvram_bench.h \
		   $(TOP)/include/linux/vvram_buddy.h $(BUILD)/user/libvvram_buddy.a
	@mkdir -p $(@D)
	$(CC) -O2 -g $(USER_WARN_CFLAGS) \
		$$($(MAKE) -s --no-print-directory -C $(TOP) user-cflags) \
		-I$(BENCH_SRC) -o $@ $(BENCH_USER_SRCS) \
		$(BUILD)/user/libvvram_buddy.a

$(BENCH_TTM_BIN): $(TOP)/tools/bench/vvram_ttm_bench.c $(BENCH_VVRAM_LIB)
	@mkdir -p $(@D)
	$(CC) $(VVRAM_CFLAGS) -o $@ $< $(BENCH_VVRAM_LIB) $(VVRAM_DRM_LIBS)

$(BENCH_DISPLAY_BIN): $(TOP)/tools/bench/vvram_display_bench.c $(BENCH_VVRAM_LIB)
	@mkdir -p $(@D)
	$(CC) $(VVRAM_CFLAGS) -o $@ $< $(BENCH_VVRAM_LIB) $(VVRAM_DRM_LIBS)

.PHONY: bench bench-user bench-kernel bench-ttm bench-display bench-doc

bench-user: $(BENCH_USER_BIN)
	@mkdir -p $(BENCH_OUT)
	$(BENCH_USER_BIN) > $(BENCH_OUT)/user.md.tmp; \
		status=$$?; cat $(BENCH_OUT)/user.md.tmp; \
		mv $(BENCH_OUT)/user.md.tmp $(BENCH_OUT)/user.md; exit $$status

# bench_in_guest VMDIR,LOG,RESULT,TITLE,COMMAND: run COMMAND in a guest
# with its output in $(BENCH_OUT)/LOG, keep the lines between
# "=== TITLE ===" and "=== end ===" in $(BENCH_OUT)/RESULT and print them
# (or the whole log if there are none), and exit with COMMAND's status.
define bench_in_guest
	@mkdir -p $(BENCH_OUT)
	$(TOP)/tools/vm/run --timeout $(BENCH_TIMEOUT_S) --out $(BENCH_OUT)/$(1) -- \
		$(5) > $(BENCH_OUT)/$(2) 2>&1; \
		status=$$?; \
		sed -n '/^=== $(strip $(4)) ===/,/^=== end ===/p' $(BENCH_OUT)/$(2) | \
			sed '1d;$$d' > $(BENCH_OUT)/$(3); \
		if [ -s $(BENCH_OUT)/$(3) ]; then \
			cat $(BENCH_OUT)/$(3); \
		else \
			cat $(BENCH_OUT)/$(2); \
		fi; \
		exit $$status
endef

# The benchmark module is built only when asked for (see the top Kbuild).
bench-kernel: VVRAM_TEST_MODULES := 1
bench-kernel: modules
	$(call bench_in_guest,vm,guest.log,kernel.txt,vvram_buddy_bench results,\
		$(TOP)/tools/bench/guest-kernel-bench \
		$(BENCH_SRC)/vvram_buddy_bench.ko budget_s=$(BENCH_BUDGET_S) \
		repeats=$(BENCH_REPEATS))

bench-ttm: modules $(BENCH_TTM_BIN)
	$(call bench_in_guest,vm-ttm,guest-ttm.log,ttm.txt,vvram TTM-level results,\
		$(TOP)/tools/bench/guest-ttm-bench $(BENCH_TTM_BIN) $(BENCH_REPEATS))

# BENCH_FRAMES: CRC entries read (or writeback jobs run) per driver and row
# while compositions are timed.
BENCH_FRAMES ?= 240
# BENCH_DISPLAY_REPEATS: interleaved runs per driver and row; the lowest
# median counts.
BENCH_DISPLAY_REPEATS ?= 2

# Two overlays on vvram, as vkms has with enable_overlay=1.
bench-display: BENCH_MODPARAMS := --modparams "vvram.enable_overlay=2"
bench-display: modules $(BENCH_DISPLAY_BIN)
	$(call bench_in_guest,vm-display $(BENCH_MODPARAMS),guest-display.log,display.txt,\
		vvram display results,\
		$(TOP)/tools/bench/guest-display-bench \
		"$$($(TOP)/tools/bench/build-vkms $(KDIR))" $(BENCH_DISPLAY_BIN) \
		$(BENCH_FRAMES) $(BENCH_DISPLAY_REPEATS))

# A failing part does not stop the others: every table is wanted, and a
# failure shows in its own output for everyone to see.
bench:
	-@$(MAKE) --no-print-directory bench-user
	-@$(MAKE) --no-print-directory bench-kernel
	-@$(MAKE) --no-print-directory bench-ttm
	@$(MAKE) --no-print-directory bench-display

bench-doc: bench
	$(TOP)/tools/bench/mkdoc $(TOP) $(BENCH_OUT) > $(TOP)/docs/buddy-bench.md.tmp
	mv $(TOP)/docs/buddy-bench.md.tmp $(TOP)/docs/buddy-bench.md
