/* SPDX-License-Identifier: MIT */
/*
 * vvram_igt.h - helpers shared by every vvram IGT test: opening the device,
 * buffer objects over the vvram UAPI, and data patterns.
 *
 * Functions named vvram_*() assert success; the __vvram_*() variants return
 * 0 or a negative errno so that tests can check the exact error.
 */
#ifndef VVRAM_IGT_H
#define VVRAM_IGT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef VVRAM_IGT_REAL_HEADERS
#include "igt_core.h"
#include "drmtest.h"
#else
#include "igt_abi.h"
#endif

#include <xf86drm.h>

#define VVRAM_DRIVER_NAME "vvram"

#define SZ_4K (4096ull)
#define SZ_64K (64ull << 10)
#define SZ_1M (1ull << 20)

/* ---- Device ---- */

bool vvram_device_present(void);
int vvram_open(void);
int vvram_open_render(void);
bool vvram_is_device(int fd);

#endif /* VVRAM_IGT_H */
