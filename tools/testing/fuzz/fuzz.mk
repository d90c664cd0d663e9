# SPDX-License-Identifier: GPL-2.0
#
# The structured ioctl fuzzer (tools/testing/fuzz/ioctl-fuzz.c) and its
# guest suite: `make check` runs a short pass, `make check-debug` a long
# one (guest-fuzz scales its length by VVRAM_TIME_SCALE).

FUZZ_OUT := $(BUILD)/fuzz
IOCTL_FUZZ := $(FUZZ_OUT)/ioctl-fuzz

USER_PROGS   += $(IOCTL_FUZZ)
GUEST_SUITES += $(TOP)/tools/testing/fuzz/guest-fuzz

# libvvram's flags and rules come from tools/libvvram/libvvram.mk: use
# them in recipes only.
$(IOCTL_FUZZ): $(TOP)/tools/testing/fuzz/ioctl-fuzz.c $(VVRAM_LIB)
	@mkdir -p $(@D)
	$(CC) $(VVRAM_CFLAGS) -pthread -o $@ $< $(VVRAM_LIB) $(VVRAM_DRM_LIBS)

-include $(wildcard $(FUZZ_OUT)/*.d)
