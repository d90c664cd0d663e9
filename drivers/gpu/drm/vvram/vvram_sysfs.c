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

static struct vvram_device *dev_to_vvram(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t mem_info_vram_total_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	return sysfs_emit(buf, "%llu\n", dev_to_vvram(dev)->params.vram_size);
}

static ssize_t mem_info_vram_used_show(struct device *dev,
				       struct device_attribute *attr,
				       char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vvram_vram_mgr_used(&dev_to_vvram(dev)->vram_mgr));
}

static ssize_t mem_info_vis_vram_total_show(struct device *dev,
					    struct device_attribute *attr,
					    char *buf)
{
	return sysfs_emit(buf, "%llu\n", dev_to_vvram(dev)->params.visible_size);
}

static ssize_t mem_info_vis_vram_used_show(struct device *dev,
					   struct device_attribute *attr,
					   char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  vvram_vram_mgr_visible_used(&dev_to_vvram(dev)->vram_mgr));
}

static DEVICE_ATTR_RO(mem_info_vram_total);
static DEVICE_ATTR_RO(mem_info_vram_used);
static DEVICE_ATTR_RO(mem_info_vis_vram_total);
static DEVICE_ATTR_RO(mem_info_vis_vram_used);

static struct attribute *vvram_mem_info_attrs[] = {
	&dev_attr_mem_info_vram_total.attr,
	&dev_attr_mem_info_vram_used.attr,
	&dev_attr_mem_info_vis_vram_total.attr,
	&dev_attr_mem_info_vis_vram_used.attr,
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
