# SPDX-License-Identifier: GPL-2.0
# The foundation's guest test: vvram.ko loads, shows its nodes, unloads.

LIBDRM_CFLAGS := $(shell pkg-config --cflags libdrm 2>/dev/null)
LIBDRM_LIBS   := $(shell pkg-config --libs libdrm 2>/dev/null || echo -ldrm)

USER_PROGS   += $(BUILD)/foundation/drm_probe
GUEST_SUITES += $(TOP)/tools/testing/foundation/module-reload

$(BUILD)/foundation/drm_probe: $(TOP)/tools/testing/foundation/drm_probe.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_WARN_CFLAGS) -O2 $(LIBDRM_CFLAGS) -o $@ $< $(LIBDRM_LIBS)
