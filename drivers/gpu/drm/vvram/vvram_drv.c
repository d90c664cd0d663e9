// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: vvram module and device
 *
 * vvram is a virtual DRM device, kin to vkms and vgem, that has VRAM: its
 * buffer objects are placed by TTM into emulated device memory managed by
 * a buddy allocator, and behave as on a discrete GPU.
 *
 * The module registers the "vvram" platform driver and one platform
 * device of that name, which the module parameters describe. Probing it
 * creates a DRM device with a primary and a render node. Everything the
 * DRM device owns is drmm-managed, or devres-managed on the platform
 * device, so teardown mirrors setup.
 *
 * The device can be unbound and bound again through
 * /sys/bus/platform/drivers/vvram/{unbind,bind}, as a hot-unplugged GPU
 * would be, with clients still holding it: see vvram_remove().
 *
 * Module parameters are validated once, before the device exists; a bad
 * value fails the load with -EINVAL and a message saying why. Sizes accept
 * the K, M and G suffixes.
 *
 * Unloading while clients hold the device is refused: open files, mmap()s
 * and exported dma-bufs all hold a reference on the module (the file
 * operations' owner), so rmmod fails with "in use" until they are gone.
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>

#include "vvram_drv.h"

/**
 * struct vvram_size_param - a size module parameter
 * @bytes: its value
 * @set: whether the user gave it
 */
struct vvram_size_param {
	u64 bytes;
	bool set;
};

static int vvram_size_param_set(const char *val, const struct kernel_param *kp)
{
	struct vvram_size_param *param = kp->arg;
	char *end;
	u64 bytes;

	bytes = memparse(val, &end);
	if (end == val || (*end && *end != '\n')) {
		pr_err("vvram: %s='%s' is not a size (bytes, or with K/M/G)\n",
		       kp->name, val);
		return -EINVAL;
	}
	param->bytes = bytes;
	param->set = true;
	return 0;
}

static int vvram_size_param_get(char *buf, const struct kernel_param *kp)
{
	const struct vvram_size_param *param = kp->arg;

	return sysfs_emit(buf, "%llu\n", param->bytes);
}

static const struct kernel_param_ops vvram_size_param_ops = {
	.set = vvram_size_param_set,
	.get = vvram_size_param_get,
};

static struct vvram_size_param vram_size = { .bytes = SZ_256M };
module_param_cb(vram_size, &vvram_size_param_ops, &vram_size, 0444);
MODULE_PARM_DESC(vram_size,
		 "Bytes of emulated VRAM, a multiple of chunk_size (default 256M)");

static struct vvram_size_param visible_size = { .bytes = SZ_256M };
module_param_cb(visible_size, &vvram_size_param_ops, &visible_size, 0444);
MODULE_PARM_DESC(visible_size,
		 "Bytes of the CPU-visible window at the start of VRAM, at most vram_size (default 256M, or vram_size if smaller)");

static struct vvram_size_param chunk_size = { .bytes = SZ_4K };
module_param_cb(chunk_size, &vvram_size_param_ops, &chunk_size, 0444);
MODULE_PARM_DESC(chunk_size,
		 "Smallest VRAM block, a power of two of at least the page size (default 4K)");

static struct vvram_size_param base_offset;
module_param_cb(base_offset, &vvram_size_param_ops, &base_offset, 0444);
MODULE_PARM_DESC(base_offset, "Device address of the start of VRAM (default 0)");

static const char * const vvram_allocator_names[] = {
	[VVRAM_ALLOCATOR_VVRAM] = "vvram",
	[VVRAM_ALLOCATOR_KERNEL] = "kernel",
};

static enum vvram_allocator allocator = VVRAM_ALLOCATOR_VVRAM;

static int vvram_allocator_param_set(const char *val,
				     const struct kernel_param *kp)
{
	int i = sysfs_match_string(vvram_allocator_names, val);

	if (i < 0) {
		pr_err("vvram: allocator='%s' is neither 'vvram' nor 'kernel'\n",
		       val);
		return -EINVAL;
	}
	*(enum vvram_allocator *)kp->arg = i;
	return 0;
}

static int vvram_allocator_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  vvram_allocator_names[*(enum vvram_allocator *)kp->arg]);
}

static const struct kernel_param_ops vvram_allocator_param_ops = {
	.set = vvram_allocator_param_set,
	.get = vvram_allocator_param_get,
};

module_param_cb(allocator, &vvram_allocator_param_ops, &allocator, 0444);
MODULE_PARM_DESC(allocator,
		 "Buddy allocator of VRAM: vvram (this project's) or kernel (the running kernel's) (default vvram)");

static bool display = true;
module_param(display, bool, 0444);
MODULE_PARM_DESC(display, "Display pipes (KMS); 0 gives a render-only device (default 1)");

static unsigned int crtcs = 1;
module_param(crtcs, uint, 0444);
MODULE_PARM_DESC(crtcs, "Number of display pipes, 1 to 4 (default 1)");

static bool enable_cursor = true;
module_param(enable_cursor, bool, 0444);
MODULE_PARM_DESC(enable_cursor, "A cursor plane on each pipe (default 1)");

static unsigned int enable_overlay;
module_param(enable_overlay, uint, 0444);
MODULE_PARM_DESC(enable_overlay, "Overlay planes on each pipe, 0 to 4 (default 0)");

static bool enable_writeback = true;
module_param(enable_writeback, bool, 0444);
MODULE_PARM_DESC(enable_writeback, "A writeback connector on each pipe (default 1)");

static bool scanout_contiguous = true;
module_param(scanout_contiguous, bool, 0444);
MODULE_PARM_DESC(scanout_contiguous,
		 "Scan framebuffers out of one contiguous VRAM range (default 1)");

static bool fbdev = true;
module_param(fbdev, bool, 0444);
MODULE_PARM_DESC(fbdev,
		 "fbdev emulation and so fbcon, its buffer in VRAM; ignored with display=0 (default 1)");

/* Check the module parameters and derive @p from them. */
static int vvram_params_init(struct vvram_params *p)
{
	u64 ram_bytes = (u64)totalram_pages() << PAGE_SHIFT;
	u64 end;

	p->chunk_size = chunk_size.bytes;
	p->vram_size = vram_size.bytes;
	p->base_offset = base_offset.bytes;
	p->allocator = allocator;
	p->display = display;
	p->crtcs = crtcs;
	p->cursor = enable_cursor;
	p->overlays = enable_overlay;
	p->writeback = enable_writeback;
	p->scanout_contiguous = scanout_contiguous;
	p->fbdev = fbdev;

	if (p->crtcs < 1 || p->crtcs > VVRAM_MAX_CRTCS) {
		pr_err("vvram: crtcs=%u must be 1 to %d\n", p->crtcs,
		       VVRAM_MAX_CRTCS);
		return -EINVAL;
	}
	if (p->overlays > VVRAM_MAX_OVERLAYS) {
		pr_err("vvram: enable_overlay=%u must be 0 to %d\n",
		       p->overlays, VVRAM_MAX_OVERLAYS);
		return -EINVAL;
	}

	if (!is_power_of_2(p->chunk_size) || p->chunk_size < PAGE_SIZE) {
		pr_err("vvram: chunk_size=%llu must be a power of two of at least %lu\n",
		       p->chunk_size, PAGE_SIZE);
		return -EINVAL;
	}
	if (!p->vram_size || !IS_ALIGNED(p->vram_size, p->chunk_size)) {
		pr_err("vvram: vram_size=%llu must be a non-zero multiple of chunk_size=%llu\n",
		       p->vram_size, p->chunk_size);
		return -EINVAL;
	}
	if (p->vram_size > ram_bytes / 2) {
		pr_err("vvram: vram_size=%llu exceeds half of RAM (%llu bytes)\n",
		       p->vram_size, ram_bytes / 2);
		return -EINVAL;
	}

	if (visible_size.set) {
		p->visible_size = visible_size.bytes;
		if (p->visible_size > p->vram_size) {
			pr_err("vvram: visible_size=%llu exceeds vram_size=%llu\n",
			       p->visible_size, p->vram_size);
			return -EINVAL;
		}
	} else {
		p->visible_size = min(visible_size.bytes, p->vram_size);
	}
	if (!IS_ALIGNED(p->visible_size, p->chunk_size)) {
		pr_err("vvram: visible_size=%llu must be a multiple of chunk_size=%llu\n",
		       p->visible_size, p->chunk_size);
		return -EINVAL;
	}

	if (check_add_overflow(p->base_offset, p->vram_size, &end)) {
		pr_err("vvram: base_offset=%#llx + vram_size=%#llx overflows 64 bits\n",
		       p->base_offset, p->vram_size);
		return -EINVAL;
	}
	return 0;
}

static const struct file_operations vvram_fops = {
	.owner		= THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo	= drm_show_fdinfo,
};

static const struct drm_driver vvram_driver = {
	.driver_features	= DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
				  DRIVER_SYNCOBJ_TIMELINE | DRIVER_MODESET |
				  DRIVER_ATOMIC,
	.fops			= &vvram_fops,
	.ioctls			= vvram_ioctls,
	.num_ioctls		= VVRAM_NUM_IOCTLS,
	.dumb_create		= vvram_gem_dumb_create,
	.dumb_map_offset	= drm_gem_ttm_dumb_map_offset,
	.gem_prime_import_sg_table = vvram_gem_prime_import_sg_table,
	.debugfs_init		= vvram_debugfs_init,
	VVRAM_COMPAT_DRIVER_OPS
	.name			= VVRAM_DRIVER_NAME,
	.desc			= VVRAM_DRIVER_DESC,
	.major			= VVRAM_DRIVER_MAJOR,
	.minor			= VVRAM_DRIVER_MINOR,
};

static int vvram_device_init(struct vvram_device *vdev)
{
	struct drm_device *drm = &vdev->drm;
	int ret;

	/* Importing a dma-buf maps its pages for our device. */
	ret = dma_coerce_mask_and_coherent(drm->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	ret = vvram_vram_init(vdev);
	if (ret)
		return ret;
	ret = vvram_ttm_init(vdev);
	if (ret)
		return ret;
	ret = vvram_modeset_init(vdev);
	if (ret)
		return ret;
	ret = vvram_sysfs_init(vdev);
	if (ret)
		return ret;

	ret = drm_dev_register(drm, 0);
	if (ret)
		return ret;
	/*
	 * The fbdev client draws into a shadow buffer and copies the damage
	 * into a dumb buffer, which its modeset pins into VRAM like any
	 * framebuffer. drm_dev_unregister() removes it.
	 */
	if (vdev->params.display && vdev->params.fbdev)
		vvram_compat_fbdev_setup(drm, 32);
	return 0;
}

/*
 * The errno of the last probe. The driver core does not hand a probe's
 * failure back to whoever added the device, yet loading the module must
 * fail with it: vvram_init() reads it after the default device's probe,
 * which runs synchronously inside platform_device_register_data().
 */
static int vvram_probe_result;

static int vvram_probe(struct platform_device *pdev)
{
	const struct vvram_params *params = dev_get_platdata(&pdev->dev);
	struct vvram_device *vdev;
	int ret;

	vdev = devm_drm_dev_alloc(&pdev->dev, &vvram_driver,
				  struct vvram_device, drm);
	ret = PTR_ERR_OR_ZERO(vdev);
	if (ret)
		goto out;
	vdev->pdev = pdev;
	vdev->params = *params;
	platform_set_drvdata(pdev, vdev);

	ret = vvram_device_init(vdev);
	if (ret)
		goto out;
	drm_info(&vdev->drm,
		 "%llu MiB VRAM (%llu MiB visible, chunk %llu, base %#llx, %s buddy)\n",
		 params->vram_size >> 20, params->visible_size >> 20,
		 params->chunk_size, params->base_offset,
		 vvram_allocator_names[params->allocator]);
out:
	vvram_probe_result = ret;
	return ret;
}

/*
 * Unbinding, from sysfs or as the module unloads. The DRM device is
 * unplugged: its nodes go away, and every ioctl of a file still open
 * fails with -ENODEV. The pipes are turned off, which unpins what they
 * scanned out. Everything else, the VRAM included, is drmm-managed and
 * lives until the last file, mapping or dma-buf lets go of the device,
 * so existing mappings keep valid pages until they are unmapped.
 */
static void vvram_remove(struct platform_device *pdev)
{
	struct vvram_device *vdev = platform_get_drvdata(pdev);

	drm_dev_unplug(&vdev->drm);
	vvram_modeset_fini(vdev);
}

static struct platform_driver vvram_platform_driver = {
	.probe = vvram_probe,
	VVRAM_COMPAT_PLATFORM_REMOVE(vvram_remove),
	.driver = {
		.name = VVRAM_DRIVER_NAME,
	},
};

/* The device the module parameters describe. */
static struct platform_device *vvram_default_pdev;

static int __init vvram_init(void)
{
	struct platform_device *pdev;
	struct vvram_params params;
	int ret;

	ret = vvram_params_init(&params);
	if (ret)
		return ret;

	ret = platform_driver_register(&vvram_platform_driver);
	if (ret)
		return ret;
	pdev = platform_device_register_data(NULL, VVRAM_DRIVER_NAME,
					     PLATFORM_DEVID_NONE,
					     &params, sizeof(params));
	ret = PTR_ERR_OR_ZERO(pdev);
	if (!ret && vvram_probe_result) {
		ret = vvram_probe_result;
		platform_device_unregister(pdev);
	}
	if (ret) {
		platform_driver_unregister(&vvram_platform_driver);
		return ret;
	}
	vvram_default_pdev = pdev;
	return 0;
}

static void __exit vvram_exit(void)
{
	platform_device_unregister(vvram_default_pdev);
	platform_driver_unregister(&vvram_platform_driver);
}

module_init(vvram_init);
module_exit(vvram_exit);

MODULE_AUTHOR("The vvram authors");
MODULE_DESCRIPTION(VVRAM_DRIVER_DESC);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
