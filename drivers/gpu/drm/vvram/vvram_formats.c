// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram pixel formats
 *
 * The formats every vvram plane scans out. All are single-plane and
 * linear, so a framebuffer is one BO read row by row from VRAM.
 */
#include <drm/drm_fourcc.h>

#include "vvram_drv.h"

const u32 vvram_plane_formats[VVRAM_NUM_PLANE_FORMATS] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XRGB16161616,
	DRM_FORMAT_ARGB16161616,
	DRM_FORMAT_RGB565,
};
