// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: sysfs
 *
 * The memory figures amdgpu exposes, under the same names so that existing
 * tools read them, on the platform device
 * (/sys/class/drm/cardN/device/): ``mem_info_vram_total``,
 * ``mem_info_vram_used``, ``mem_info_vis_vram_total`` and
 * ``mem_info_vis_vram_used``, in bytes.
 */

#include <linux/device.h>
#include <linux/sysfs.h>

#include "vvram_drv.h"

/**
 * struct vvram_mem_info_attr - one mem_info_* file
 * @attr: the device attribute
 * @bytes: the figure it shows
 */
struct vvram_mem_info_attr {
	struct device_attribute attr;
	u64 (*bytes)(struct vvram_device *vdev);
};

static ssize_t mem_info_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	const struct vvram_mem_info_attr *info =
		container_of(attr, struct vvram_mem_info_attr, attr);

	return sysfs_emit(buf, "%llu\n", info->bytes(dev_get_drvdata(dev)));
}

static u64 vram_total(struct vvram_device *vdev)
{
	return vdev->params.vram_size;
}

static u64 vram_used(struct vvram_device *vdev)
{
	return vvram_vram_mgr_used(&vdev->vram_mgr);
}

static u64 vis_vram_total(struct vvram_device *vdev)
{
	return vdev->params.visible_size;
}

static u64 vis_vram_used(struct vvram_device *vdev)
{
	return vvram_vram_mgr_visible_used(&vdev->vram_mgr);
}

#define MEM_INFO_ATTR(name)						\
	struct vvram_mem_info_attr mem_info_##name = {			\
		.attr = __ATTR(mem_info_##name, 0444, mem_info_show, NULL), \
		.bytes = name,						\
	}

static MEM_INFO_ATTR(vram_total);
static MEM_INFO_ATTR(vram_used);
static MEM_INFO_ATTR(vis_vram_total);
static MEM_INFO_ATTR(vis_vram_used);

static struct attribute *vvram_mem_info_attrs[] = {
	&mem_info_vram_total.attr.attr,
	&mem_info_vram_used.attr.attr,
	&mem_info_vis_vram_total.attr.attr,
	&mem_info_vis_vram_used.attr.attr,
	NULL
};

static const struct attribute_group vvram_mem_info_group = {
	.attrs = vvram_mem_info_attrs,
};

/**
 * vvram_sysfs_init - add the mem_info_* files to the platform device
 * @vdev: the device; its platform device's drvdata points to it
 *
 * The files go away with the device's devres group.
 *
 * Return: 0 or a negative errno.
 */
int vvram_sysfs_init(struct vvram_device *vdev)
{
	return devm_device_add_group(vdev->drm.dev, &vvram_mem_info_group);
}
