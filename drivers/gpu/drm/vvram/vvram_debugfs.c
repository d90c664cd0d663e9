// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: debugfs
 *
 * Under /sys/kernel/debug/dri/<minor>/:
 *
 * - ``vram_mm``: the buddy's dump (free blocks per order, largest free
 *   contiguous range, clear and dirty bytes) and the visible window;
 * - ``ttm_vram``: the same through TTM's manager debug hook, followed by
 *   TTM's own usage figure;
 * - ``bos``: every BO with its size, domain, pin count and VRAM blocks;
 * - ``clear_stats``: what clearing new VRAM cost, and what it skipped.
 */

#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include <uapi/drm/vvram_drm.h>

#include "vvram_drv.h"

static struct vvram_device *m_to_vvram(struct seq_file *m)
{
	struct drm_debugfs_entry *entry = m->private;

	return to_vvram(entry->dev);
}

static int vvram_debugfs_vram_mm(struct seq_file *m, void *unused)
{
	struct drm_printer p = drm_seq_file_printer(m);

	vvram_vram_mgr_dump(&m_to_vvram(m)->vram_mgr, &p);
	return 0;
}

static int vvram_debugfs_ttm_vram(struct seq_file *m, void *unused)
{
	struct vvram_device *vdev = m_to_vvram(m);
	struct ttm_resource_manager *man =
		ttm_manager_type(&vdev->bdev, TTM_PL_VRAM);
	struct drm_printer p = drm_seq_file_printer(m);

	ttm_resource_manager_debug(man, &p);
	return 0;
}

static const char *domain_name(u32 domain)
{
	switch (domain) {
	case VVRAM_GEM_DOMAIN_VRAM:
		return "vram";
	case VVRAM_GEM_DOMAIN_GTT:
		return "gtt";
	default:
		return "cpu";
	}
}

static void vvram_debugfs_bo(struct seq_file *m, struct vvram_device *vdev,
			     struct vvram_bo *bo)
{
	struct ttm_resource *res = bo->tbo.resource;
	struct list_head *link;
	u64 offset, size;

	seq_printf(m, "bo %p size %zu domain %s allowed %#x flags %#x pin %u",
		   bo, bo->tbo.base.size, domain_name(vvram_bo_domain(bo)),
		   bo->domains, bo->create_flags, bo->tbo.pin_count);
	if (!res || res->mem_type != TTM_PL_VRAM) {
		seq_puts(m, "\n");
		return;
	}
	seq_printf(m, "%s%s blocks:",
		   vvram_vram_res_is_contiguous(res) ? " contiguous" : "",
		   vvram_vram_res_is_visible(res) ? " visible" : "");
	list_for_each(link, &to_vvram_vram_res(res)->blocks) {
		vvram_vram_mgr_block_range(&vdev->vram_mgr, link, &offset, &size);
		seq_printf(m, " %#llx+%#llx", offset, size);
	}
	seq_puts(m, "\n");
}

static int vvram_debugfs_bos(struct seq_file *m, void *unused)
{
	struct vvram_device *vdev = m_to_vvram(m);
	struct vvram_bo *bo;

	mutex_lock(&vdev->bo_lock);
	list_for_each_entry(bo, &vdev->bo_list, link) {
		/* A BO being moved or destroyed is skipped, not waited for. */
		if (!dma_resv_trylock(bo->tbo.base.resv)) {
			seq_printf(m, "bo %p size %zu busy\n", bo,
				   bo->tbo.base.size);
			continue;
		}
		vvram_debugfs_bo(m, vdev, bo);
		dma_resv_unlock(bo->tbo.base.resv);
	}
	mutex_unlock(&vdev->bo_lock);
	return 0;
}

static int vvram_debugfs_clear_stats(struct seq_file *m, void *unused)
{
	struct vvram_clear_stats *clear = &m_to_vvram(m)->clear;

	seq_printf(m, "cleared_bytes %lld\n", atomic64_read(&clear->cleared_bytes));
	seq_printf(m, "clear_ns %lld\n", atomic64_read(&clear->clear_ns));
	seq_printf(m, "skipped_clear_bytes %lld\n",
		   atomic64_read(&clear->skipped_clear_bytes));
	seq_printf(m, "copied_bytes %lld\n", atomic64_read(&clear->copied_bytes));
	return 0;
}

static const struct drm_debugfs_info vvram_debugfs_list[] = {
	{ "vram_mm", vvram_debugfs_vram_mm, 0 },
	{ "ttm_vram", vvram_debugfs_ttm_vram, 0 },
	{ "bos", vvram_debugfs_bos, 0 },
	{ "clear_stats", vvram_debugfs_clear_stats, 0 },
};

/**
 * vvram_debugfs_init - register the debugfs files of a device
 * @vdev: the device, before drm_dev_register()
 */
void vvram_debugfs_init(struct vvram_device *vdev)
{
	drm_debugfs_add_files(&vdev->drm, vvram_debugfs_list,
			      ARRAY_SIZE(vvram_debugfs_list));
}
