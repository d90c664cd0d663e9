// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: debugfs
 *
 * Under /sys/kernel/debug/dri/<minor>/:
 *
 * - ``vram_mm``: TTM's view of the VRAM manager (size, usage), then the
 *   buddy's dump (free blocks per order, largest free contiguous range,
 *   clear and dirty bytes) and the visible window;
 * - ``gtt_mm``: TTM's view of the GTT range manager;
 * - ``bos``: every BO that userspace holds a handle to, with its size,
 *   domain, pin count and VRAM blocks;
 * - ``clear_stats``: what clearing new VRAM cost, and what it skipped;
 * - ``scanout``: the VRAM held by BOs the display shows.
 */

#include <linux/idr.h>
#include <linux/seq_file.h>
#include <linux/xarray.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include <uapi/drm/vvram_drm.h>

#include "vvram_drv.h"

static struct vvram_device *m_to_vvram(struct seq_file *m)
{
	struct drm_info_node *node = m->private;

	return to_vvram(node->minor->dev);
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
	struct vvram_vram_cursor cur;

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
	for (vvram_vram_cursor_first(&cur, &vdev->vram_mgr, res, 0); cur.remaining;
	     vvram_vram_cursor_next(&cur, cur.remaining))
		seq_printf(m, " %#llx+%#llx", cur.offset, cur.remaining);
	seq_puts(m, "\n");
}

/*
 * Every BO that some open file holds a handle to, as the files' object
 * tables list them; a BO with several handles is listed once, at the
 * first, which @seen remembers.
 */
static int vvram_debugfs_bos(struct seq_file *m, void *unused)
{
	struct vvram_device *vdev = m_to_vvram(m);
	struct drm_device *drm = &vdev->drm;
	struct drm_gem_object *obj;
	struct drm_file *file;
	struct xarray seen;
	int handle, ret;

	ret = mutex_lock_interruptible(&drm->filelist_mutex);
	if (ret)
		return ret;
	xa_init(&seen);
	list_for_each_entry(file, &drm->filelist, lhead) {
		spin_lock(&file->table_lock);
		idr_for_each_entry(&file->object_idr, obj, handle) {
			struct vvram_bo *bo = gem_to_vvram_bo(obj);

			if (xa_insert(&seen, (unsigned long)obj, obj,
				      GFP_ATOMIC) == -EBUSY)
				continue;
			/* A BO being moved or destroyed is skipped, not waited for. */
			if (!dma_resv_trylock(obj->resv)) {
				seq_printf(m, "bo %p size %zu busy\n", bo,
					   obj->size);
				continue;
			}
			vvram_debugfs_bo(m, vdev, bo);
			dma_resv_unlock(obj->resv);
		}
		spin_unlock(&file->table_lock);
	}
	xa_destroy(&seen);
	mutex_unlock(&drm->filelist_mutex);
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

static int vvram_debugfs_scanout(struct seq_file *m, void *unused)
{
	seq_printf(m, "scanout_bytes %lld\n",
		   atomic64_read(&m_to_vvram(m)->scanout_bytes));
	return 0;
}

static const struct drm_info_list vvram_debugfs_list[] = {
	{ "bos", vvram_debugfs_bos, 0 },
	{ "clear_stats", vvram_debugfs_clear_stats, 0 },
	{ "scanout", vvram_debugfs_scanout, 0 },
};

/**
 * vvram_debugfs_init - &drm_driver.debugfs_init: create the debugfs files
 * @minor: the primary minor, being registered
 *
 * The files go in the minor's directory and are removed with it. This is
 * the interface that 6.1 and 6.12 share; drm_debugfs_add_files() is 6.3's.
 */
void vvram_debugfs_init(struct drm_minor *minor)
{
	struct vvram_device *vdev = to_vvram(minor->dev);
	struct dentry *root = minor->debugfs_root;

	drm_debugfs_create_files(vvram_debugfs_list,
				 ARRAY_SIZE(vvram_debugfs_list), root, minor);
	ttm_resource_manager_create_debugfs(ttm_manager_type(&vdev->bdev,
							     TTM_PL_VRAM),
					    root, "vram_mm");
	ttm_resource_manager_create_debugfs(ttm_manager_type(&vdev->bdev,
							     TTM_PL_TT),
					    root, "gtt_mm");
}
