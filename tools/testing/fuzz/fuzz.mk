# SPDX-License-Identifier: GPL-2.0
#
# The structured ioctl fuzzer (tools/testing/fuzz/ioctl-fuzz.c) and its
# guest suite: `make check` runs a short pass, `make check-debug` a long
# one (guest-fuzz scales its length by VVRAM_TIME_SCALE). Fault injection
# (fail-nth.c, and ioctl-fuzz --fail-random) needs the debug kernel:
# guest-fault-inject skips elsewhere.

FUZZ_OUT := $(BUILD)/fuzz
IOCTL_FUZZ := $(FUZZ_OUT)/ioctl-fuzz
FAIL_NTH := $(FUZZ_OUT)/fail-nth

USER_PROGS   += $(IOCTL_FUZZ) $(FAIL_NTH)
GUEST_SUITES += $(TOP)/tools/testing/fuzz/guest-fuzz \
		$(TOP)/tools/testing/fuzz/guest-fault-inject

# libvvram's flags and rules come from tools/libvvram/libvvram.mk: use
# them in recipes only.
$(IOCTL_FUZZ): $(TOP)/tools/testing/fuzz/ioctl-fuzz.c $(VVRAM_LIB)
	@mkdir -p $(@D)
	$(CC) $(VVRAM_CFLAGS) -pthread -o $@ $< $(VVRAM_LIB) $(VVRAM_DRM_LIBS)

$(FAIL_NTH): $(TOP)/tools/testing/fuzz/fail-nth.c $(VVRAM_LIB)
	@mkdir -p $(@D)
	$(CC) $(VVRAM_CFLAGS) -o $@ $< $(VVRAM_LIB) $(VVRAM_DRM_LIBS)

-include $(wildcard $(FUZZ_OUT)/*.d)
