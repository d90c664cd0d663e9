// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: vvram module and device
 *
 * vvram is a virtual DRM device, kin to vkms and vgem, that has VRAM: its
 * buffer objects are placed by TTM into emulated device memory.
 *
 * The module creates one platform device named "vvram" and a DRM device on
 * top of it. All resources of the DRM device are devres- or drmm-managed in
 * one devres group of the platform device, so teardown mirrors setup and
 * unloading the module releases everything in reverse order.
 */

#include <linux/module.h>
#include <linux/platform_device.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>

#include "vvram_drv.h"

static struct vvram_device *vvram_global;

DEFINE_DRM_GEM_FOPS(vvram_fops);

static const struct drm_driver vvram_driver = {
	.driver_features	= DRIVER_GEM | DRIVER_RENDER,
	.fops			= &vvram_fops,
	.name			= VVRAM_DRIVER_NAME,
	.desc			= VVRAM_DRIVER_DESC,
	.major			= VVRAM_DRIVER_MAJOR,
	.minor			= VVRAM_DRIVER_MINOR,
};

static int vvram_create(void)
{
	struct platform_device *pdev;
	struct vvram_device *vdev;
	int ret;

	pdev = platform_device_register_simple(VVRAM_DRIVER_NAME, -1, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);

	if (!devres_open_group(&pdev->dev, NULL, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto out_unregister;
	}

	vdev = devm_drm_dev_alloc(&pdev->dev, &vvram_driver,
				  struct vvram_device, drm);
	if (IS_ERR(vdev)) {
		ret = PTR_ERR(vdev);
		goto out_devres;
	}
	vdev->pdev = pdev;

	ret = drm_dev_register(&vdev->drm, 0);
	if (ret)
		goto out_devres;

	vvram_global = vdev;
	return 0;

out_devres:
	devres_release_group(&pdev->dev, NULL);
out_unregister:
	platform_device_unregister(pdev);
	return ret;
}

static void vvram_destroy(struct vvram_device *vdev)
{
	struct platform_device *pdev = vdev->pdev;

	drm_dev_unregister(&vdev->drm);
	devres_release_group(&pdev->dev, NULL);
	platform_device_unregister(pdev);
}

static int __init vvram_init(void)
{
	return vvram_create();
}

static void __exit vvram_exit(void)
{
	vvram_destroy(vvram_global);
	vvram_global = NULL;
}

module_init(vvram_init);
module_exit(vvram_exit);

MODULE_AUTHOR("The vvram authors");
MODULE_DESCRIPTION(VVRAM_DRIVER_DESC);
MODULE_LICENSE("GPL");
