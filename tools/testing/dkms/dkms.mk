# SPDX-License-Identifier: GPL-2.0
# `make dkms-trial [DKMS_KVER=<release>]`: install through DKMS for a
# kernel (default: the newest 6.1) and load it in a guest booting that
# kernel, as a new user would; DKMS's copy is removed afterwards.

.PHONY: dkms-trial

dkms-trial: $(VVRAMCTL)
	$(TOP)/tools/testing/dkms/dkms-trial $(DKMS_KVER)
