# SPDX-License-Identifier: GPL-2.0
# Real KMS clients from Debian on vvram's display, in the guest, and a
# Wayland compositor (weston) whose picture vvram's writeback must match.

DEPS_PACKAGES += libdrm-tests drm-info kmscube libgl1-mesa-dri weston netpbm
GUEST_SUITES  += $(TOP)/tools/testing/clients/kms-clients
GUEST_SUITES  += $(TOP)/tools/testing/clients/compositor
