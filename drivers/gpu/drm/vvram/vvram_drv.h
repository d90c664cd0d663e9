/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vvram private header: the device structure and the prototypes shared
 * between the driver's files.
 */
#ifndef _VVRAM_DRV_H_
#define _VVRAM_DRV_H_

#include <drm/drm_device.h>

#define VVRAM_DRIVER_NAME	"vvram"
#define VVRAM_DRIVER_DESC	"Virtual GPU with emulated VRAM"
#define VVRAM_DRIVER_MAJOR	1
#define VVRAM_DRIVER_MINOR	0

struct platform_device;

/**
 * struct vvram_device - one vvram device
 * @drm: the DRM device, embedded; its lifetime is the device's lifetime
 * @pdev: the platform device the DRM device hangs off; created and
 *	destroyed by the module
 */
struct vvram_device {
	struct drm_device drm;
	struct platform_device *pdev;
};

static inline struct vvram_device *to_vvram(struct drm_device *drm)
{
	return container_of(drm, struct vvram_device, drm);
}

#endif /* _VVRAM_DRV_H_ */
