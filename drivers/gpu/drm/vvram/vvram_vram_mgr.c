// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: VRAM resource manager
 *
 * The TTM resource manager of %TTM_PL_VRAM hands out VRAM as lists of
 * buddy blocks (&struct vvram_vram_res). Sizes are in bytes throughout:
 * &ttm_resource_manager.size is the VRAM size and TTM's fpfn/lpfn page
 * numbers are turned into byte windows here.
 *
 * Placement: a place's [fpfn, lpfn) becomes the allocation window (lpfn 0
 * means the end of VRAM). Allocations are bottom-up inside the window,
 * which keeps ordinary BOs in the CPU-visible window at the start of VRAM,
 * or top-down with %TTM_PL_FLAG_TOPDOWN. The kernel's buddy
 * (``allocator=kernel``) ignores top-down in a range, so top-down in a
 * narrower window tries the window's top first, in windows that double
 * until they are the whole one. %TTM_PL_FLAG_CONTIGUOUS asks for
 * one range; any resource whose blocks happen to be contiguous gets the
 * flag too, as ttm_resource_compatible() expects. The BO's page alignment
 * becomes the buddy's minimum block size.
 *
 * Errors: only -ENOSPC tells TTM that evicting could help. A request that
 * can never fit its window, even in empty VRAM, fails with -E2BIG so that
 * TTM does not evict every BO in vain.
 *
 * Placement wins over clear state: allocations do not ask the buddy to
 * prefer zeroed memory (%VVRAM_BUDDY_CLEAR_ALLOCATION), which would move
 * BOs away from the bottom or top of their window. With clearing on
 * allocation, zeroed free memory only exists until VRAM is first used, so
 * preferring it saves little; vvram_ttm.c still skips every block the
 * buddy reports clear.
 *
 * Locking: &vvram_vram_mgr.lock serialises the buddy. The block list of a
 * resource only changes at alloc and free, so it can be read without the
 * lock while the resource lives (under the BO's reservation lock).
 */

#include <linux/vvram_buddy.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "vvram_drv.h"

static struct vvram_vram_mgr *to_vvram_mgr(struct ttm_resource_manager *man)
{
	return container_of(man, struct vvram_vram_mgr, manager);
}

/* The byte window [start, end) of a place, chunk-aligned inward. */
static void place_window(struct vvram_vram_mgr *mgr,
			 const struct ttm_place *place, u64 *start, u64 *end)
{
	u64 chunk = mgr->chunk_size;
	u64 size = mgr->manager.size;

	*start = round_up((u64)place->fpfn << PAGE_SHIFT, chunk);
	*end = place->lpfn ? min_t(u64, (u64)place->lpfn << PAGE_SHIFT, size) : size;
	*end = round_down(*end, chunk);
}

/*
 * Whether a request of @size bytes at @align_bytes alignment can ever fit
 * the window [start, end), that is, in VRAM holding no other BO.
 */
static bool window_fits(u64 start, u64 end, u64 size, u64 align_bytes)
{
	u64 first = round_up(start, align_bytes);

	return first < end && round_up(size, align_bytes) <= end - first;
}

/**
 * vvram_vram_mgr_fits - whether a BO can ever be placed in VRAM
 * @mgr: the VRAM manager
 * @size_bytes: the BO size
 * @align_bytes: the BO's alignment, 0 for none
 * @end_bytes: end of the allowed window [0, @end_bytes) of VRAM
 *
 * Used to leave VRAM out of the placements of BOs that can never fit, as
 * TTM stops at the first place whose manager fails with an error other
 * than -ENOSPC.
 *
 * Return: true if @size_bytes fits the window of empty VRAM.
 */
bool vvram_vram_mgr_fits(struct vvram_vram_mgr *mgr, u64 size_bytes,
			 u64 align_bytes, u64 end_bytes)
{
	u64 chunk = mgr->chunk_size;

	return window_fits(0, round_down(min(end_bytes, mgr->manager.size), chunk),
			   round_up(size_bytes, chunk), max(chunk, align_bytes));
}

/*
 * The buddy allocation of @size bytes in [@start, @end); top-down in a
 * window (a range allocation) is tried at the window's top first, in
 * windows of 1, 2, 4... times @size up to the whole one, for backends
 * whose range allocations ignore top-down.
 */
static int alloc_blocks(struct vvram_vram_mgr *mgr, u64 start, u64 end,
			u64 size, u64 min_block, struct list_head *blocks,
			unsigned long flags)
{
	u64 span = round_up(size, min_block);
	int ret;

	if ((flags & (VVRAM_BUDDY_TOPDOWN_ALLOCATION | VVRAM_BUDDY_RANGE_ALLOCATION)) !=
	    (VVRAM_BUDDY_TOPDOWN_ALLOCATION | VVRAM_BUDDY_RANGE_ALLOCATION))
		return mgr->backend->alloc(mgr->mm, start, end, size, min_block,
					   blocks, flags);
	for (; span < end - start; span *= 2) {
		u64 from = round_down(end - span, min_block);

		ret = mgr->backend->alloc(mgr->mm, max(from, start), end, size,
					  min_block, blocks, flags);
		if (ret != -ENOSPC)
			return ret;
	}
	return mgr->backend->alloc(mgr->mm, start, end, size, min_block, blocks,
				   flags);
}

static int vvram_vram_mgr_alloc(struct ttm_resource_manager *man,
				struct ttm_buffer_object *tbo,
				const struct ttm_place *place,
				struct ttm_resource **res)
{
	struct vvram_vram_mgr *mgr = to_vvram_mgr(man);
	u64 chunk = mgr->chunk_size;
	u64 size = round_up((u64)tbo->base.size, chunk);
	u64 min_block = max_t(u64, chunk, (u64)tbo->page_alignment << PAGE_SHIFT);
	struct vvram_vram_cursor cur;
	struct vvram_vram_res *vres;
	unsigned long flags = 0;
	u64 start, end, prev_end;
	bool contiguous = true;
	int ret;

	place_window(mgr, place, &start, &end);
	if (!is_power_of_2(min_block) || !window_fits(start, end, size, min_block))
		return -E2BIG;

	if (place->flags & TTM_PL_FLAG_TOPDOWN)
		flags |= VVRAM_BUDDY_TOPDOWN_ALLOCATION;
	if (place->flags & TTM_PL_FLAG_CONTIGUOUS)
		flags |= VVRAM_BUDDY_CONTIGUOUS_ALLOCATION;
	/*
	 * A plain buddy allocation takes the topmost block; a range
	 * allocation the lowest. Bottom-up is what keeps ordinary BOs in the
	 * visible window, so every allocation not top-down is a range one.
	 */
	if (!(flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION) || start || end != man->size)
		flags |= VVRAM_BUDDY_RANGE_ALLOCATION;
	else
		start = 0, end = 0;

	vres = kzalloc(sizeof(*vres), GFP_KERNEL);
	if (!vres)
		return -ENOMEM;
	INIT_LIST_HEAD(&vres->blocks);
	ttm_resource_init(tbo, place, &vres->base);

	mutex_lock(&mgr->lock);
	ret = alloc_blocks(mgr, start, end, size, min_block, &vres->blocks, flags);
	mutex_unlock(&mgr->lock);
	if (ret) {
		ttm_resource_fini(man, &vres->base);
		kfree(vres);
		return ret;
	}

	prev_end = U64_MAX;
	for (vvram_vram_cursor_first(&cur, mgr, &vres->base, 0); cur.remaining;
	     vvram_vram_cursor_next(&cur, cur.remaining)) {
		if (prev_end == U64_MAX)
			vres->base.start = cur.offset >> PAGE_SHIFT;
		else if (cur.offset != prev_end)
			contiguous = false;
		prev_end = cur.offset + cur.remaining;
		vres->alloc_bytes += cur.remaining;
		if (cur.offset < mgr->visible_size)
			vres->visible_bytes += min(cur.remaining,
						   mgr->visible_size - cur.offset);
	}
	if (contiguous)
		vres->base.placement |= TTM_PL_FLAG_CONTIGUOUS;
	atomic64_add(vres->visible_bytes, &mgr->visible_used);

	*res = &vres->base;
	return 0;
}

static void vvram_vram_mgr_free(struct ttm_resource_manager *man,
				struct ttm_resource *res)
{
	struct vvram_vram_mgr *mgr = to_vvram_mgr(man);
	struct vvram_vram_res *vres = to_vvram_vram_res(res);

	atomic64_sub(vres->visible_bytes, &mgr->visible_used);

	/* Freed memory is dirty: it is cleared on its next fresh allocation. */
	mutex_lock(&mgr->lock);
	mgr->backend->free_list(mgr->mm, &vres->blocks, 0);
	mutex_unlock(&mgr->lock);

	ttm_resource_fini(man, res);
	kfree(vres);
}

/*
 * Whether any block (@all false) or every block (@all true) of @res lies
 * in the byte window [start, end).
 */
static bool res_in_window(struct vvram_vram_mgr *mgr, struct ttm_resource *res,
			  u64 start, u64 end, bool all)
{
	struct vvram_vram_cursor cur;

	for (vvram_vram_cursor_first(&cur, mgr, res, 0); cur.remaining;
	     vvram_vram_cursor_next(&cur, cur.remaining)) {
		bool in = cur.offset >= start && cur.offset + cur.remaining <= end;
		bool overlaps = cur.offset < end && cur.offset + cur.remaining > start;

		if (all ? !in : overlaps)
			return !all;
	}
	return all;
}

/*
 * Whether @res has any block (@all false) or only blocks (@all true) in
 * the window of @place; every resource meets a place without a window.
 */
static bool res_meets_place(struct ttm_resource_manager *man,
			    struct ttm_resource *res,
			    const struct ttm_place *place, bool all)
{
	struct vvram_vram_mgr *mgr = to_vvram_mgr(man);
	u64 start, end;

	if (!place->fpfn && !place->lpfn)
		return true;
	place_window(mgr, place, &start, &end);
	return res_in_window(mgr, res, start, end, all);
}

static bool vvram_vram_mgr_intersects(struct ttm_resource_manager *man,
				      struct ttm_resource *res,
				      const struct ttm_place *place,
				      size_t size)
{
	return res_meets_place(man, res, place, false);
}

static bool vvram_vram_mgr_compatible(struct ttm_resource_manager *man,
				      struct ttm_resource *res,
				      const struct ttm_place *place,
				      size_t size)
{
	if ((place->flags & TTM_PL_FLAG_CONTIGUOUS) &&
	    !(res->placement & TTM_PL_FLAG_CONTIGUOUS))
		return false;
	return res_meets_place(man, res, place, true);
}

/*
 * TTM's debug hook: the buddy's own dump (free blocks per order, largest
 * free contiguous range, clear and dirty bytes), then the visible window's
 * figures.
 */
static void vvram_vram_mgr_debug(struct ttm_resource_manager *man,
				 struct drm_printer *p)
{
	struct vvram_vram_mgr *mgr = to_vvram_mgr(man);

	drm_printf(p, "allocator: %s\n", mgr->backend->name);
	mutex_lock(&mgr->lock);
	mgr->backend->dump(mgr->mm, p);
	mutex_unlock(&mgr->lock);
	drm_printf(p, "used: %llu bytes\n", vvram_vram_mgr_used(mgr));
	drm_printf(p, "visible: %llu bytes, %llu used\n", mgr->visible_size,
		   vvram_vram_mgr_visible_used(mgr));
}

static const struct ttm_resource_manager_func vvram_vram_mgr_func = {
	.alloc		= vvram_vram_mgr_alloc,
	.free		= vvram_vram_mgr_free,
	.intersects	= vvram_vram_mgr_intersects,
	.compatible	= vvram_vram_mgr_compatible,
	.debug		= vvram_vram_mgr_debug,
};

/**
 * vvram_vram_mgr_stats - snapshot of the allocator's figures
 * @mgr: the manager
 * @stats: filled in
 */
void vvram_vram_mgr_stats(struct vvram_vram_mgr *mgr,
			  struct vvram_buddy_stats_brief *stats)
{
	mutex_lock(&mgr->lock);
	mgr->backend->stats(mgr->mm, stats);
	mutex_unlock(&mgr->lock);
}

/**
 * vvram_vram_mgr_used - bytes of VRAM allocated, in whole chunks
 * @mgr: the manager
 *
 * Return: the VRAM size minus the buddy's free bytes.
 */
u64 vvram_vram_mgr_used(struct vvram_vram_mgr *mgr)
{
	struct vvram_buddy_stats_brief stats;

	vvram_vram_mgr_stats(mgr, &stats);
	return stats.size - stats.avail;
}

/**
 * vvram_vram_mgr_visible_used - bytes allocated in the visible window
 * @mgr: the manager
 *
 * Return: the bytes, kept up to date at every alloc and free (O(1)).
 */
u64 vvram_vram_mgr_visible_used(struct vvram_vram_mgr *mgr)
{
	return atomic64_read(&mgr->visible_used);
}

/**
 * vvram_vram_res_is_visible - whether a resource lies in the visible window
 * @res: a VRAM resource
 *
 * Return: true if every byte of @res is CPU-visible.
 */
bool vvram_vram_res_is_visible(struct ttm_resource *res)
{
	struct vvram_vram_res *vres = to_vvram_vram_res(res);

	return vres->visible_bytes == vres->alloc_bytes;
}

/**
 * vvram_vram_res_is_contiguous - whether a resource is one range
 * @res: a VRAM resource
 *
 * Return: true if the blocks of @res are contiguous in address order.
 */
bool vvram_vram_res_is_contiguous(struct ttm_resource *res)
{
	return res->placement & TTM_PL_FLAG_CONTIGUOUS;
}

/**
 * vvram_vram_cursor_first - start walking a VRAM resource
 * @cur: the cursor
 * @mgr: the manager of @res
 * @res: a VRAM resource
 * @start: byte offset in the BO to start at
 *
 * Context: the BO's reservation lock is held.
 */
void vvram_vram_cursor_first(struct vvram_vram_cursor *cur,
			     struct vvram_vram_mgr *mgr,
			     struct ttm_resource *res, u64 start)
{
	struct vvram_vram_res *vres = to_vvram_vram_res(res);

	cur->mgr = mgr;
	cur->head = &vres->blocks;
	cur->link = cur->head;
	cur->remaining = 0;
	cur->pos = 0;
	vvram_vram_cursor_next(cur, start);
}

/**
 * vvram_vram_cursor_next - advance a VRAM cursor
 * @cur: the cursor
 * @bytes: how far to advance, in BO bytes
 *
 * Walking past the last block leaves &vvram_vram_cursor.link at the list
 * head and &vvram_vram_cursor.remaining at 0.
 */
void vvram_vram_cursor_next(struct vvram_vram_cursor *cur, u64 bytes)
{
	u64 offset, size;

	cur->pos += bytes;
	while (bytes >= cur->remaining) {
		bytes -= cur->remaining;
		cur->link = cur->link->next;
		if (cur->link == cur->head) {
			cur->remaining = 0;
			return;
		}
		cur->mgr->backend->block_range(cur->mgr->mm, cur->link,
					       &offset, &size);
		cur->offset = offset;
		cur->remaining = size;
		if (!bytes)
			return;
	}
	cur->offset += bytes;
	cur->remaining -= bytes;
}

/**
 * vvram_vram_cursor_is_clear - whether the cursor's block is known zeroed
 * @cur: a cursor inside a resource, not past its end
 *
 * Return: true if the buddy knows every byte of the current block to be
 * zero.
 */
bool vvram_vram_cursor_is_clear(const struct vvram_vram_cursor *cur)
{
	return cur->mgr->backend->block_is_clear(cur->link);
}

/**
 * vvram_vram_res_offset - VRAM byte offset of a byte of a BO
 * @mgr: the manager of @res
 * @res: a VRAM resource
 * @bo_offset: byte offset in the BO, below its size
 *
 * A cursor kept in the resource resumes every lookup at or after the
 * previous one from where that stopped, so a fault mapping pages in order
 * costs O(1) per page.
 *
 * Context: the BO's reservation lock is held.
 * Return: the byte offset in VRAM.
 */
u64 vvram_vram_res_offset(struct vvram_vram_mgr *mgr, struct ttm_resource *res,
			  u64 bo_offset)
{
	struct vvram_vram_cursor *cur = &to_vvram_vram_res(res)->fault_cursor;

	if (!cur->mgr || bo_offset < cur->pos)
		vvram_vram_cursor_first(cur, mgr, res, bo_offset);
	else
		vvram_vram_cursor_next(cur, bo_offset - cur->pos);
	return cur->offset;
}

static void vvram_vram_mgr_release(struct drm_device *drm, void *arg)
{
	struct vvram_device *vdev = arg;
	struct vvram_vram_mgr *mgr = &vdev->vram_mgr;
	struct ttm_resource_manager *man = &mgr->manager;

	ttm_resource_manager_set_used(man, false);
	if (ttm_resource_manager_evict_all(&vdev->bdev, man))
		drm_err(drm, "VRAM still in use at teardown\n");
	ttm_resource_manager_cleanup(man);
	ttm_set_driver_manager(&vdev->bdev, TTM_PL_VRAM, NULL);
	mgr->backend->fini(mgr->mm);
	mgr->mm = NULL;
}

/**
 * vvram_vram_mgr_init - set up the VRAM manager of a device
 * @vdev: the device, with its TTM device initialised
 *
 * The manager is torn down when the DRM device is released.
 *
 * Return: 0, or the buddy's error (-ENOMEM, -EINVAL).
 */
int vvram_vram_mgr_init(struct vvram_device *vdev)
{
	struct vvram_vram_mgr *mgr = &vdev->vram_mgr;
	struct ttm_resource_manager *man = &mgr->manager;
	int ret;

	mgr->backend = vdev->params.allocator == VVRAM_ALLOCATOR_KERNEL ?
		&vvram_buddy_backend_kernel : &vvram_buddy_backend_vvram;
	mgr->chunk_size = vdev->params.chunk_size;
	mgr->visible_size = vdev->params.visible_size;
	atomic64_set(&mgr->visible_used, 0);
	ret = drmm_mutex_init(&vdev->drm, &mgr->lock);
	if (ret)
		return ret;

	/* Emulated VRAM starts zeroed: the backends mark it all clear. */
	ret = mgr->backend->init(&mgr->mm, vdev->params.vram_size,
				 mgr->chunk_size);
	if (ret) {
		drm_err(&vdev->drm, "%s buddy init failed: %d\n",
			mgr->backend->name, ret);
		return ret;
	}

	man->func = &vvram_vram_mgr_func;
	ttm_resource_manager_init(man, &vdev->bdev, vdev->params.vram_size);
	ttm_set_driver_manager(&vdev->bdev, TTM_PL_VRAM, man);
	ttm_resource_manager_set_used(man, true);

	return drmm_add_action_or_reset(&vdev->drm, vvram_vram_mgr_release, vdev);
}
