# SPDX-License-Identifier: GPL-2.0
# The guest harness: its accelerator decision is tested on the host.

USER_TESTS += $(TOP)/tools/vm/test-accel
