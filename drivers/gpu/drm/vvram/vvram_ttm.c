// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: TTM glue
 *
 * vvram's TTM device has three memory types:
 *
 * - %TTM_PL_VRAM: emulated VRAM, managed by vvram_vram_mgr.c;
 * - %TTM_PL_TT: system pages the device reaches through its (emulated)
 *   GART, a range manager sized to half of RAM;
 * - %TTM_PL_SYSTEM: system pages the device cannot reach.
 *
 * Moves are CPU copies, done synchronously, in both directions. The
 * emulated copy engine, like a real one, reaches system memory only
 * through the GART: a move between VRAM and SYSTEM asks TTM for a hop
 * through TT (-EMULTIHOP). Moves between TT and SYSTEM keep the pages
 * and only change the resource.
 *
 * Clearing policy: VRAM is cleared on allocation, when a BO with no
 * content (new, or never populated) lands in VRAM, and only the blocks
 * the buddy does not already know to be zeroed (all of VRAM at load).
 * Memory that a move fills with a copy is never cleared, and freeing
 * and evicting cost no clearing. The alternative, clearing on free and
 * freeing with %VVRAM_BUDDY_CLEARED, zeroes every byte a BO vacates,
 * including VRAM vacated by eviction that the evictor's copy overwrites
 * at once, so it zeroes more in total and moves the cost from create to
 * close. debugfs ``clear_stats`` counts cleared, skipped and copied
 * bytes.
 *
 * CPU access: VRAM is RAM here, so mappings use the pfns of its pages with
 * cached attributes (&ttm_bus_placement.is_iomem is set only so that TTM
 * asks io_mem_pfn for them), and kernel access goes through the vmalloc
 * address, never through TTM's ioremap paths.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>

#include <drm/drm_managed.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_range_manager.h>
#include <drm/ttm/ttm_tt.h>

#include <uapi/drm/vvram_drm.h>

#include "vvram_drv.h"

/**
 * struct vvram_tt - a vvram TT
 * @ttm: the TTM TT
 * @sg: for an imported BO, the exporter's pages, else NULL
 */
struct vvram_tt {
	struct ttm_tt ttm;
	struct sg_table *sg;
};

static struct ttm_tt *vvram_ttm_tt_create(struct ttm_buffer_object *tbo,
					  u32 page_flags)
{
	struct vvram_tt *vtt;

	vtt = kzalloc(sizeof(*vtt), GFP_KERNEL);
	if (!vtt)
		return NULL;

	if (tbo->type == ttm_bo_type_sg) {
		/* The exporter owns the pages; mmap() goes to the exporter. */
		page_flags |= TTM_TT_FLAG_EXTERNAL;
		vtt->sg = tbo->sg;
	}
	if (ttm_tt_init(&vtt->ttm, tbo, page_flags, ttm_cached, 0)) {
		kfree(vtt);
		return NULL;
	}
	return &vtt->ttm;
}

static int vvram_ttm_tt_populate(struct ttm_device *bdev, struct ttm_tt *ttm,
				 struct ttm_operation_ctx *ctx)
{
	struct vvram_tt *vtt = container_of(ttm, struct vvram_tt, ttm);

	if (vtt->sg)
		return drm_prime_sg_to_page_array(vtt->sg, ttm->pages,
						  ttm->num_pages);
	return ttm_pool_alloc(&bdev->pool, ttm, ctx);
}

static void vvram_ttm_tt_unpopulate(struct ttm_device *bdev, struct ttm_tt *ttm)
{
	struct vvram_tt *vtt = container_of(ttm, struct vvram_tt, ttm);

	if (!vtt->sg)
		ttm_pool_free(&bdev->pool, ttm);
}

static void vvram_ttm_tt_destroy(struct ttm_device *bdev, struct ttm_tt *ttm)
{
	ttm_tt_fini(ttm);
	kfree(container_of(ttm, struct vvram_tt, ttm));
}

static void vvram_evict_flags(struct ttm_buffer_object *tbo,
			      struct ttm_placement *placement)
{
	static const struct ttm_place from_vram[] = {
		{ .mem_type = TTM_PL_TT },
		{ .mem_type = TTM_PL_SYSTEM },
	};
	static const struct ttm_place to_system = { .mem_type = TTM_PL_SYSTEM };
	struct vvram_device *vdev = bdev_to_vvram(tbo->bdev);

	if (tbo->resource->mem_type == TTM_PL_VRAM) {
		atomic64_inc(&vdev->evictions);
		vvram_compat_set_placement(placement, from_vram,
					   ARRAY_SIZE(from_vram));
	} else {
		vvram_compat_set_placement(placement, &to_system, 1);
	}
}

/* Zero the blocks of a new VRAM resource that the buddy does not know clear. */
static void vvram_clear_new_vram(struct vvram_device *vdev,
				 struct ttm_resource *res)
{
	u64 start_ns = local_clock(), cleared = 0, skipped = 0;
	struct vvram_vram_cursor cur;

	for (vvram_vram_cursor_first(&cur, &vdev->vram_mgr, res, 0); cur.remaining;
	     vvram_vram_cursor_next(&cur, cur.remaining)) {
		if (vvram_vram_cursor_is_clear(&cur)) {
			skipped += cur.remaining;
			continue;
		}
		memset(vvram_vram_vaddr(vdev, cur.offset), 0, cur.remaining);
		cleared += cur.remaining;
		cond_resched();
	}
	atomic64_add(cleared, &vdev->clear.cleared_bytes);
	atomic64_add(skipped, &vdev->clear.skipped_clear_bytes);
	if (cleared)
		atomic64_add(local_clock() - start_ns, &vdev->clear.clear_ns);
}

/*
 * Kernel address of page @index of a BO placed in @res, mapped with
 * kmap_local_page() for system pages (undo with vvram_unmap_page()).
 */
static void *vvram_map_page(struct vvram_device *vdev, struct ttm_resource *res,
			    struct ttm_tt *ttm, struct vvram_vram_cursor *cur,
			    pgoff_t index)
{
	if (res->mem_type == TTM_PL_VRAM)
		return vvram_vram_vaddr(vdev, cur->offset);
	return kmap_local_page(ttm->pages[index]);
}

static void vvram_unmap_page(struct ttm_resource *res, void *vaddr)
{
	if (res->mem_type != TTM_PL_VRAM)
		kunmap_local(vaddr);
}

/*
 * Copy a BO's content from @src to @dst, page by page: VRAM blocks and
 * chunks are page-aligned, so every page lies inside one block. System
 * pages are those of the BO's TT, which both sides share when one side is
 * not VRAM.
 */
static void vvram_copy(struct vvram_device *vdev, struct ttm_buffer_object *tbo,
		       struct ttm_resource *dst, struct ttm_resource *src)
{
	struct vvram_vram_mgr *mgr = &vdev->vram_mgr;
	pgoff_t i, num_pages = PFN_UP(tbo->base.size);
	struct vvram_vram_cursor dst_cur = {}, src_cur = {};
	void *d, *s;

	if (dst->mem_type == TTM_PL_VRAM)
		vvram_vram_cursor_first(&dst_cur, mgr, dst, 0);
	if (src->mem_type == TTM_PL_VRAM)
		vvram_vram_cursor_first(&src_cur, mgr, src, 0);

	for (i = 0; i < num_pages; i++) {
		d = vvram_map_page(vdev, dst, tbo->ttm, &dst_cur, i);
		s = vvram_map_page(vdev, src, tbo->ttm, &src_cur, i);
		copy_page(d, s);
		vvram_unmap_page(src, s);
		vvram_unmap_page(dst, d);
		if (dst->mem_type == TTM_PL_VRAM)
			vvram_vram_cursor_next(&dst_cur, PAGE_SIZE);
		if (src->mem_type == TTM_PL_VRAM)
			vvram_vram_cursor_next(&src_cur, PAGE_SIZE);
		if (!(i % 256))
			cond_resched();
	}
	atomic64_add(tbo->base.size, &vdev->clear.copied_bytes);
}

/*
 * Whether the BO has content to carry: it is in VRAM, or its TT is
 * populated or swapped out. A TT is only ever unpopulated by swapout or
 * destruction, so one that is neither was never written.
 */
static bool vvram_bo_has_content(struct ttm_buffer_object *tbo)
{
	struct ttm_resource *res = tbo->resource;

	if (!res)
		return false;
	if (res->mem_type == TTM_PL_VRAM)
		return true;
	return tbo->ttm && (ttm_tt_is_populated(tbo->ttm) ||
			    (tbo->ttm->page_flags & TTM_TT_FLAG_SWAPPED));
}

static int vvram_bo_move(struct ttm_buffer_object *tbo, bool evict,
			 struct ttm_operation_ctx *ctx,
			 struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct vvram_device *vdev = bdev_to_vvram(tbo->bdev);
	struct ttm_resource *old_mem = tbo->resource;
	u32 old_type = old_mem ? old_mem->mem_type : TTM_PL_SYSTEM;
	u32 new_type = new_mem->mem_type;
	int ret;

	ret = ttm_bo_wait_ctx(tbo, ctx);
	if (ret)
		return ret;

	if (old_type != TTM_PL_VRAM && new_type != TTM_PL_VRAM) {
		/* System pages either way: the TT and its pages stay. */
		ttm_bo_move_null(tbo, new_mem);
		return 0;
	}

	if (!vvram_bo_has_content(tbo)) {
		/* Nothing to copy: all new VRAM must read zero. */
		if (new_type == TTM_PL_VRAM)
			vvram_clear_new_vram(vdev, new_mem);
		ttm_bo_move_sync_cleanup(tbo, new_mem);
		return 0;
	}

	if (old_type == TTM_PL_SYSTEM || new_type == TTM_PL_SYSTEM) {
		hop->mem_type = TTM_PL_TT;
		hop->fpfn = 0;
		hop->lpfn = 0;
		hop->flags = 0;
		return -EMULTIHOP;
	}

	/* VRAM <-> TT, or VRAM <-> VRAM (into the visible window). */
	vvram_copy(vdev, tbo, new_mem, old_mem);
	ttm_bo_move_sync_cleanup(tbo, new_mem);
	return 0;
}

static int vvram_io_mem_reserve(struct ttm_device *bdev,
				struct ttm_resource *mem)
{
	switch (mem->mem_type) {
	case TTM_PL_SYSTEM:
	case TTM_PL_TT:
		return 0;
	case TTM_PL_VRAM:
		/* RAM, not iomem: only so that faults ask vvram_io_mem_pfn(). */
		mem->bus.is_iomem = true;
		mem->bus.caching = ttm_cached;
		mem->bus.offset = (u64)mem->start << PAGE_SHIFT;
		return 0;
	default:
		return -EINVAL;
	}
}

static unsigned long vvram_io_mem_pfn(struct ttm_buffer_object *tbo,
				      unsigned long page_offset)
{
	struct vvram_device *vdev = bdev_to_vvram(tbo->bdev);

	return vvram_vram_pfn(vdev, vvram_vram_res_offset(&vdev->vram_mgr,
							  tbo->resource,
							  (u64)page_offset << PAGE_SHIFT));
}

/* ptrace and /proc/pid/mem access to VRAM mappings. */
static int vvram_access_memory(struct ttm_buffer_object *tbo,
			       unsigned long offset, void *buf, int len,
			       int write)
{
	struct vvram_device *vdev = bdev_to_vvram(tbo->bdev);
	struct vvram_vram_cursor cur;
	int done = 0;

	if (tbo->resource->mem_type != TTM_PL_VRAM)
		return -EIO;

	vvram_vram_cursor_first(&cur, &vdev->vram_mgr, tbo->resource, offset);
	while (done < len && cur.remaining) {
		size_t n = min_t(u64, len - done, cur.remaining);
		void *vaddr = vvram_vram_vaddr(vdev, cur.offset);

		if (write)
			memcpy(vaddr, buf + done, n);
		else
			memcpy(buf + done, vaddr, n);
		done += n;
		vvram_vram_cursor_next(&cur, n);
	}
	return done;
}

const struct ttm_device_funcs vvram_ttm_funcs = {
	.ttm_tt_create		= vvram_ttm_tt_create,
	.ttm_tt_populate	= vvram_ttm_tt_populate,
	.ttm_tt_unpopulate	= vvram_ttm_tt_unpopulate,
	.ttm_tt_destroy		= vvram_ttm_tt_destroy,
	.eviction_valuable	= ttm_bo_eviction_valuable,
	.evict_flags		= vvram_evict_flags,
	.move			= vvram_bo_move,
	.io_mem_reserve		= vvram_io_mem_reserve,
	.io_mem_pfn		= vvram_io_mem_pfn,
	.access_memory		= vvram_access_memory,
};

/**
 * vvram_gtt_size - bytes of the GTT domain
 * @vdev: the device
 *
 * Return: the size of the TT range manager in bytes.
 */
u64 vvram_gtt_size(struct vvram_device *vdev)
{
	return ttm_manager_type(&vdev->bdev, TTM_PL_TT)->size << PAGE_SHIFT;
}

static void vvram_ttm_device_release(struct drm_device *drm, void *arg)
{
	struct vvram_device *vdev = arg;

	ttm_device_fini(&vdev->bdev);
}

static void vvram_ttm_tt_mgr_release(struct drm_device *drm, void *arg)
{
	struct vvram_device *vdev = arg;

	ttm_range_man_fini(&vdev->bdev, TTM_PL_TT);
}

/*
 * BOs freed while busy are destroyed later by TTM's workqueue (imported
 * BOs always are); finish that before the managers go.
 */
static void vvram_ttm_flush_release(struct drm_device *drm, void *arg)
{
	struct vvram_device *vdev = arg;

	vvram_compat_ttm_flush_release(&vdev->bdev);
}

/**
 * vvram_ttm_init - set up the TTM device and its memory managers
 * @vdev: the device, with its emulated VRAM allocated
 *
 * Everything is torn down in reverse order when the DRM device is
 * released.
 *
 * Return: 0 or a negative errno.
 */
int vvram_ttm_init(struct vvram_device *vdev)
{
	struct drm_device *drm = &vdev->drm;
	int ret;

	ret = ttm_device_init(&vdev->bdev, &vvram_ttm_funcs, drm->dev,
			      drm->anon_inode->i_mapping,
			      drm->vma_offset_manager, false, false);
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(drm, vvram_ttm_device_release, vdev);
	if (ret)
		return ret;

	ret = ttm_range_man_init(&vdev->bdev, TTM_PL_TT, true,
				 totalram_pages() / 2);
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(drm, vvram_ttm_tt_mgr_release, vdev);
	if (ret)
		return ret;

	ret = vvram_vram_mgr_init(vdev);
	if (ret)
		return ret;

	return drmm_add_action_or_reset(drm, vvram_ttm_flush_release, vdev);
}
