// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: emulated VRAM
 *
 * vvram's device memory is one vmalloc() area of ``vram_size`` bytes. It
 * is ordinary RAM, so it is never handed to TTM's iomem paths (x86 refuses
 * to ioremap RAM): the CPU reaches VRAM offset x at &vvram_vram.vaddr + x
 * in the kernel, and userspace mappings insert the pfn of that page with a
 * cached protection, through &ttm_device_funcs.io_mem_pfn.
 *
 * The area is allocated zeroed, so the whole of VRAM starts out clear and
 * the buddy is told so: the first BOs need no clearing.
 */

#include <linux/mm.h>
#include <linux/vmalloc.h>

#include <drm/drm_managed.h>

#include "vvram_drv.h"

static void vvram_vram_release(struct drm_device *drm, void *arg)
{
	struct vvram_vram *vram = arg;

	vfree(vram->vaddr);
	vram->vaddr = NULL;
}

/**
 * vvram_vram_init - allocate the emulated VRAM of a device
 * @vdev: the device; @vdev->params.vram_size is the size
 *
 * The memory is zeroed and freed when the DRM device is released.
 *
 * Return: 0 or -ENOMEM.
 */
int vvram_vram_init(struct vvram_device *vdev)
{
	struct vvram_vram *vram = &vdev->vram;

	/* On failure vmalloc itself reports the size it could not find. */
	vram->vaddr = vzalloc(vdev->params.vram_size);
	if (!vram->vaddr)
		return -ENOMEM;

	return drmm_add_action_or_reset(&vdev->drm, vvram_vram_release, vram);
}

/**
 * vvram_vram_vaddr - kernel address of a VRAM offset
 * @vdev: the device
 * @offset: byte offset in VRAM, below the VRAM size
 *
 * Return: the address; the bytes up to the end of VRAM follow it.
 */
void *vvram_vram_vaddr(struct vvram_device *vdev, u64 offset)
{
	return vdev->vram.vaddr + offset;
}

/**
 * vvram_vram_pfn - page frame number backing a VRAM offset
 * @vdev: the device
 * @offset: byte offset in VRAM, below the VRAM size
 *
 * Return: the pfn of the page holding @offset.
 */
unsigned long vvram_vram_pfn(struct vvram_device *vdev, u64 offset)
{
	return vmalloc_to_pfn(vvram_vram_vaddr(vdev, offset));
}
