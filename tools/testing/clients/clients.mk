# SPDX-License-Identifier: GPL-2.0
# Real KMS clients from Debian on vvram's display, in the guest.

DEPS_PACKAGES += libdrm-tests drm-info kmscube libgl1-mesa-dri
GUEST_SUITES  += $(TOP)/tools/testing/clients/kms-clients
