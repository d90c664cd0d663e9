/* SPDX-License-Identifier: GPL-2.0 */
/**
 * DOC: kernel compatibility
 *
 * vvram is written against the newest Debian 6.12 kernel and also builds
 * for Debian 12's default 6.1. Every difference between the kernel APIs
 * it uses is bridged here, and this is the only file with a kernel
 * conditional. Where possible a feature is tested (a header, a flag)
 * rather than a version, because Debian's stable kernels carry backports.
 *
 * Each shim below says what differs and since when. The driver is written
 * in the 6.12 API; on older kernels a shim supplies the missing piece.
 * What cannot exist on 6.1 is listed in the README's table of kernels.
 */
#ifndef _VVRAM_COMPAT_H_
#define _VVRAM_COMPAT_H_

#include <linux/dma-resv.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/types.h>

/*
 * Headers that moved. Quoted so that checkpatch does not read <...> as
 * operators.
 */
#if __has_include("linux/unaligned.h")	/* asm/ before 6.12 */
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * Kernels are told apart by what their headers have, not by
 * LINUX_VERSION_CODE. Of the supported ones, only 6.1 has TTM's BO API in
 * two headers (joined in 6.3): VVRAM_COMPAT_6_1 marks the shims for the
 * 6.12 API that 6.1 lacks, each with the version that brought it.
 */
#if __has_include("drm/ttm/ttm_bo.h")
#include <drm/ttm/ttm_bo.h>
#else
#define VVRAM_COMPAT_6_1
#include <drm/ttm/ttm_bo_api.h>
#include <drm/ttm/ttm_bo_driver.h>
#endif

/*
 * The kernel's buddy allocator, for the allocator=kernel backend and the
 * benchmark module (see <linux/vvram_kbuddy.h>). From 6.12.101 Debian
 * builds it into vmlinux as gpu_buddy; before, it is the drm_buddy
 * module. The two APIs differ in their prefix; 6.1's drm_buddy also
 * lacks contiguous and clear-aware allocation, filled in further down.
 */
#if __has_include("linux/gpu_buddy.h")
#include <linux/gpu_buddy.h>
#define KBUDDY_NAME			"gpu_buddy"
#define kbuddy				gpu_buddy
#define kbuddy_block			gpu_buddy_block
#define kbuddy_init			gpu_buddy_init
#define kbuddy_fini			gpu_buddy_fini
#define kbuddy_alloc_blocks		gpu_buddy_alloc_blocks
#define kbuddy_free_list		gpu_buddy_free_list
#define kbuddy_reset_clear		gpu_buddy_reset_clear
#define kbuddy_block_offset		gpu_buddy_block_offset
#define kbuddy_block_size		gpu_buddy_block_size
#define kbuddy_block_is_clear		gpu_buddy_block_is_clear
#define kbuddy_block_is_free		gpu_buddy_block_is_free
#define kbuddy_block_is_split		gpu_buddy_block_is_split
#define KBUDDY_RANGE_ALLOCATION		GPU_BUDDY_RANGE_ALLOCATION
#define KBUDDY_TOPDOWN_ALLOCATION	GPU_BUDDY_TOPDOWN_ALLOCATION
#define KBUDDY_CONTIGUOUS_ALLOCATION	GPU_BUDDY_CONTIGUOUS_ALLOCATION
#define KBUDDY_CLEAR_ALLOCATION		GPU_BUDDY_CLEAR_ALLOCATION
#define KBUDDY_TRIM_DISABLE		GPU_BUDDY_TRIM_DISABLE
#define KBUDDY_CLEARED			GPU_BUDDY_CLEARED

/**
 * kbuddy_largest_free_order - the order of the largest free block
 * @mm: the allocator
 *
 * Return: the order, or -1 when nothing is free.
 */
static inline int kbuddy_largest_free_order(struct kbuddy *mm)
{
	int order, tree;

	for (order = mm->max_order; order >= 0; order--)
		for_each_free_tree(tree)
			if (!RB_EMPTY_ROOT(&mm->free_trees[tree][order]))
				return order;
	return -1;
}

/**
 * kbuddy_clear_avail - free bytes the kernel's allocator knows are zeroed
 * @mm: the allocator
 *
 * Return: the bytes.
 */
static inline u64 kbuddy_clear_avail(struct kbuddy *mm)
{
	return mm->clear_avail;
}
#else
#include <drm/drm_buddy.h>
#define KBUDDY_NAME			"drm_buddy"
#define kbuddy				drm_buddy
#define kbuddy_block			drm_buddy_block
#define kbuddy_init			drm_buddy_init
#define kbuddy_fini			drm_buddy_fini
#define kbuddy_block_offset		drm_buddy_block_offset
#define kbuddy_block_size		drm_buddy_block_size
#define kbuddy_block_is_free		drm_buddy_block_is_free
#define kbuddy_block_is_split		drm_buddy_block_is_split
#define KBUDDY_RANGE_ALLOCATION		DRM_BUDDY_RANGE_ALLOCATION
#define KBUDDY_TOPDOWN_ALLOCATION	DRM_BUDDY_TOPDOWN_ALLOCATION

/**
 * kbuddy_largest_free_order - the order of the largest free block
 * @mm: the allocator
 *
 * Return: the order, or -1 when nothing is free.
 */
static inline int kbuddy_largest_free_order(struct kbuddy *mm)
{
	int order;

	for (order = mm->max_order; order >= 0; order--)
		if (!list_empty(&mm->free_list[order]))
			return order;
	return -1;
}

#ifdef DRM_BUDDY_CLEAR_ALLOCATION	/* 6.10 to 6.12.100 */
#define kbuddy_alloc_blocks		drm_buddy_alloc_blocks
#define kbuddy_free_list		drm_buddy_free_list
#define kbuddy_reset_clear		drm_buddy_reset_clear
#define kbuddy_block_is_clear		drm_buddy_block_is_clear
#define KBUDDY_CONTIGUOUS_ALLOCATION	DRM_BUDDY_CONTIGUOUS_ALLOCATION
#define KBUDDY_CLEAR_ALLOCATION		DRM_BUDDY_CLEAR_ALLOCATION
#define KBUDDY_TRIM_DISABLE		DRM_BUDDY_TRIM_DISABLE
#define KBUDDY_CLEARED			DRM_BUDDY_CLEARED

static inline u64 kbuddy_clear_avail(struct kbuddy *mm)
{
	return mm->clear_avail;
}
#else
/*
 * 6.1's drm_buddy has neither contiguous allocation nor clear tracking.
 * The flags below are ours, above drm_buddy's, and never reach it.
 *
 * Contiguous is done as amdgpu did on 6.1: one block of the size rounded
 * up to a power of two, trimmed back to the size unless TRIM_DISABLE is
 * set. It fails where no such aligned block is free even if a smaller
 * unaligned run is, which the kernel's later allocator would find.
 *
 * Nothing is ever known to be zeroed: CLEAR_ALLOCATION and CLEARED are
 * accepted and ignored, so every block reads as dirty and the driver
 * clears what it hands out (its clear policy does so for dirty blocks).
 */
#define KBUDDY_CONTIGUOUS_ALLOCATION	BIT(29)
#define KBUDDY_CLEAR_ALLOCATION		BIT(30)
#define KBUDDY_TRIM_DISABLE		BIT(31)
#define KBUDDY_CLEARED			BIT(0)

static inline int kbuddy_alloc_blocks(struct kbuddy *mm, u64 start, u64 end,
				      u64 size, u64 min_block_size,
				      struct list_head *blocks,
				      unsigned long flags)
{
	unsigned long kflags = flags & (KBUDDY_RANGE_ALLOCATION |
					KBUDDY_TOPDOWN_ALLOCATION);
	bool exact = (flags & KBUDDY_RANGE_ALLOCATION) && end - start == size;
	u64 block = min_block_size;
	int ret;

	if ((flags & KBUDDY_CONTIGUOUS_ALLOCATION) && !exact && size &&
	    size <= (u64)1 << 63)
		block = max_t(u64, min_block_size, roundup_pow_of_two(size));
	ret = drm_buddy_alloc_blocks(mm, start, end, block > size ? block : size,
				     block, blocks, kflags);
	if (ret || block <= size || (flags & KBUDDY_TRIM_DISABLE))
		return ret;
	return drm_buddy_block_trim(mm, size, blocks);
}

static inline void kbuddy_free_list(struct kbuddy *mm,
				    struct list_head *blocks,
				    unsigned int flags)
{
	drm_buddy_free_list(mm, blocks);
}

static inline void kbuddy_reset_clear(struct kbuddy *mm, bool is_clear)
{
}

static inline bool kbuddy_block_is_clear(struct kbuddy_block *block)
{
	return false;
}

static inline u64 kbuddy_clear_avail(struct kbuddy *mm)
{
	return 0;
}
#endif /* DRM_BUDDY_CLEAR_ALLOCATION */
#endif /* linux/gpu_buddy.h */

/*
 * DRM and TTM. The 6.12 API the driver uses, on kernels that lack it.
 */
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_crtc.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>
#include <drm/drm_writeback.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

void vvram_show_fdinfo(struct drm_printer *p, struct drm_file *file);

#if __has_include("drm/drm_fbdev_ttm.h")	/* 6.11 */
#include <drm/drm_fbdev_ttm.h>
#define vvram_compat_fbdev_setup	drm_fbdev_ttm_setup
#else
#include <drm/drm_fb_helper.h>
#define vvram_compat_fbdev_setup	drm_fbdev_generic_setup
#endif

/**
 * vvram_compat_set_placement - make a placement the list of some places
 * @placement: the placement
 * @places: the places, in order of preference
 * @n: how many
 *
 * From 6.9 one list serves first without eviction, then with. 6.1 takes
 * the second pass from a list of its own, and without one never evicts.
 */
static inline void vvram_compat_set_placement(struct ttm_placement *placement,
					      const struct ttm_place *places,
					      unsigned int n)
{
	placement->placement = places;
	placement->num_placement = n;
#ifdef VVRAM_COMPAT_6_1
	placement->busy_placement = places;
	placement->num_busy_placement = n;
#endif
}

/**
 * vvram_compat_bo_init_reserved - ttm_bo_init_reserved(), placed as on 6.12
 * @bdev: the TTM device
 * @bo: the BO
 * @type: its type
 * @placement: where it may go, in order of preference
 * @alignment: in pages
 * @ctx: the operation context
 * @sg: the pages of an imported BO, or NULL
 * @resv: a shared reservation object, or NULL
 * @destroy: the BO's destructor, which TTM calls on failure
 *
 * 6.1 starts every BO in a system resource, which any placement listing
 * TTM_PL_SYSTEM accepts as it is; from 6.3 a BO starts with none and
 * goes to the first place with room. On 6.1 a BO left in system memory
 * is moved to a place before it in @placement if one has room without
 * eviction, as 6.12 would have put it; if none has, it stays.
 *
 * Return: 0 or the error of ttm_bo_init_reserved().
 */
static inline int
vvram_compat_bo_init_reserved(struct ttm_device *bdev,
			      struct ttm_buffer_object *bo,
			      enum ttm_bo_type type,
			      struct ttm_placement *placement,
			      u32 alignment, struct ttm_operation_ctx *ctx,
			      struct sg_table *sg, struct dma_resv *resv,
			      void (*destroy)(struct ttm_buffer_object *))
{
	int ret = ttm_bo_init_reserved(bdev, bo, type, placement, alignment,
				       ctx, sg, resv, destroy);
#ifdef VVRAM_COMPAT_6_1
	struct ttm_placement before = { .placement = placement->placement };

	if (ret || bo->resource->mem_type != TTM_PL_SYSTEM)
		return ret;
	while (before.num_placement < placement->num_placement &&
	       placement->placement[before.num_placement].mem_type !=
	       TTM_PL_SYSTEM)
		before.num_placement++;
	if (before.num_placement)
		ttm_bo_validate(bo, &before, ctx);
#endif
	return ret;
}

#ifndef VVRAM_COMPAT_6_1
/*
 * &drm_driver members that 6.1 does not have: .show_fdinfo (6.5) and
 * the fbdev client's .fbdev_probe (6.11).
 */
#define VVRAM_COMPAT_DRIVER_OPS \
	.show_fdinfo = vvram_show_fdinfo, \
	DRM_FBDEV_TTM_DRIVER_OPS,

/*
 * &platform_driver.remove returns void from 6.11; before, the void form
 * is .remove_new (6.1 has it as a backport).
 */
#define VVRAM_COMPAT_PLATFORM_REMOVE(fn)	.remove = (fn)

/**
 * vvram_compat_res_size - the bytes of a TTM resource
 * @res: the resource
 *
 * Return: the size; 6.1 keeps a page count instead.
 */
static inline u64 vvram_compat_res_size(const struct ttm_resource *res)
{
	return res->size;
}

/**
 * vvram_compat_ttm_flush_release - wait for TTM's queued BO releases
 * @bdev: the TTM device
 *
 * 6.12 releases BOs from a workqueue of its own; 6.1 from a delayed work
 * that walks its list of BOs to destroy.
 */
static inline void vvram_compat_ttm_flush_release(struct ttm_device *bdev)
{
	flush_workqueue(bdev->wq);
}

/**
 * vvram_compat_gem_lock - hold a GEM object's reservation in its callbacks
 * @obj: the object
 *
 * Since 6.3 the DRM core calls &drm_gem_object_funcs.vmap, .vunmap, .pin
 * and .unpin with the object's reservation lock held, which they need for
 * TTM's pin count; this checks it. 6.1 calls them unlocked, and there the
 * callbacks take the lock themselves.
 */
static inline void vvram_compat_gem_lock(struct drm_gem_object *obj)
{
	dma_resv_assert_held(obj->resv);
}

/**
 * vvram_compat_gem_unlock - end what vvram_compat_gem_lock() began
 * @obj: the object
 */
static inline void vvram_compat_gem_unlock(struct drm_gem_object *obj)
{
}
#else /* 6.1 */
/*
 * &drm_driver members that 6.1 needs set:
 * - .date: 6.1 copies it to DRM_IOCTL_VERSION, and libdrm's
 *   drmGetVersion() crashes on an empty one; 6.12 ignores the member;
 * - the PRIME ioctls and dma-buf mmap() through the GEM object's mmap,
 *   which are the default only from 6.6.
 */
#define VVRAM_COMPAT_DRIVER_OPS \
	.date = "20261201", \
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd, \
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle, \
	.gem_prime_mmap = drm_gem_prime_mmap,

#define VVRAM_COMPAT_PLATFORM_REMOVE(fn)	.remove_new = (fn)

static inline u64 vvram_compat_res_size(const struct ttm_resource *res)
{
	return (u64)res->num_pages << PAGE_SHIFT;
}

static inline void vvram_compat_ttm_flush_release(struct ttm_device *bdev)
{
	flush_delayed_work(&bdev->wq);
}

static inline void vvram_compat_gem_lock(struct drm_gem_object *obj)
{
	dma_resv_lock(obj->resv, NULL);
}

static inline void vvram_compat_gem_unlock(struct drm_gem_object *obj)
{
	dma_resv_unlock(obj->resv);
}

/* 6.1 takes the functions as non-const; it does not write them. */
#define ttm_device_init(bdev, funcs, ...) \
	ttm_device_init(bdev, (struct ttm_device_funcs *)(funcs), __VA_ARGS__)

/* 6.11 */
static inline struct drm_vblank_crtc *
drm_crtc_vblank_crtc(struct drm_crtc *crtc)
{
	return &crtc->dev->vblank[drm_crtc_index(crtc)];
}

/* 6.8: the connector-state form of the writeback check */
static inline int
drm_atomic_helper_check_wb_connector_state(struct drm_connector *connector,
					   struct drm_atomic_state *state)
{
	struct drm_writeback_connector *wb = drm_connector_to_writeback(connector);

	return drm_atomic_helper_check_wb_encoder_state(&wb->encoder,
		drm_atomic_get_new_connector_state(state, connector));
}

/*
 * 6.5's fdinfo helpers. 6.1's DRM core prints nothing in fdinfo, so the
 * driver's file_operations.show_fdinfo does it all: drm-driver, then the
 * memory keys in bytes. drm-client-id needs the per-file id that 6.5
 * added to &drm_file, and is absent.
 */
enum drm_gem_object_status {
	DRM_GEM_OBJECT_RESIDENT = BIT(0),
	DRM_GEM_OBJECT_PURGEABLE = BIT(1),
};

struct drm_memory_stats {
	u64 shared;
	u64 private;
	u64 resident;
	u64 purgeable;
	u64 active;
};

static inline void drm_print_memory_stats(struct drm_printer *p,
					  const struct drm_memory_stats *stats,
					  enum drm_gem_object_status supported,
					  const char *region)
{
	drm_printf(p, "drm-total-%s:\t%llu\n", region,
		   stats->private + stats->shared);
	drm_printf(p, "drm-shared-%s:\t%llu\n", region, stats->shared);
	drm_printf(p, "drm-active-%s:\t%llu\n", region, stats->active);
	if (supported & DRM_GEM_OBJECT_RESIDENT)
		drm_printf(p, "drm-resident-%s:\t%llu\n", region,
			   stats->resident);
	if (supported & DRM_GEM_OBJECT_PURGEABLE)
		drm_printf(p, "drm-purgeable-%s:\t%llu\n", region,
			   stats->purgeable);
}

static inline void drm_show_fdinfo(struct seq_file *m, struct file *f)
{
	struct drm_file *file = f->private_data;
	struct drm_printer p = drm_seq_file_printer(m);

	drm_printf(&p, "drm-driver:\t%s\n", file->minor->dev->driver->name);
	vvram_show_fdinfo(&p, file);
}
#endif /* 6.1 */

#endif /* _VVRAM_COMPAT_H_ */
