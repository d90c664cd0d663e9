/* SPDX-License-Identifier: GPL-2.0 */
/**
 * DOC: kernel buddy shim
 *
 * The running kernel's own buddy allocator under one set of names, for
 * the ``allocator=kernel`` backend of the VRAM manager and for the
 * benchmark module. Debian's 6.12 kernels from 6.12.101 on build it into
 * vmlinux as gpu_buddy (<linux/gpu_buddy.h>); older ones have it in the
 * drm_buddy module (<drm/drm_buddy.h>). The two APIs differ only in their
 * prefix, so kbuddy_* and KBUDDY_* stand for whichever one the kernel
 * headers provide, chosen once here at build time.
 *
 * Allocation flags are vvram_buddy's (VVRAM_BUDDY_*), translated by
 * kbuddy_alloc_flags().
 */
#ifndef _VVRAM_KBUDDY_H_
#define _VVRAM_KBUDDY_H_

#include <linux/err.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/vvram_buddy.h>

/* Quoted so that checkpatch does not read <...> as operators. */
#if __has_include("linux/gpu_buddy.h")
#define VVRAM_HAVE_GPU_BUDDY
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
#else
#include <drm/drm_buddy.h>
#define KBUDDY_NAME			"drm_buddy"
#define kbuddy				drm_buddy
#define kbuddy_block			drm_buddy_block
#define kbuddy_init			drm_buddy_init
#define kbuddy_fini			drm_buddy_fini
#define kbuddy_alloc_blocks		drm_buddy_alloc_blocks
#define kbuddy_free_list		drm_buddy_free_list
#define kbuddy_reset_clear		drm_buddy_reset_clear
#define kbuddy_block_offset		drm_buddy_block_offset
#define kbuddy_block_size		drm_buddy_block_size
#define kbuddy_block_is_clear		drm_buddy_block_is_clear
#define kbuddy_block_is_free		drm_buddy_block_is_free
#define kbuddy_block_is_split		drm_buddy_block_is_split
#define KBUDDY_RANGE_ALLOCATION		DRM_BUDDY_RANGE_ALLOCATION
#define KBUDDY_TOPDOWN_ALLOCATION	DRM_BUDDY_TOPDOWN_ALLOCATION
#define KBUDDY_CONTIGUOUS_ALLOCATION	DRM_BUDDY_CONTIGUOUS_ALLOCATION
#define KBUDDY_CLEAR_ALLOCATION		DRM_BUDDY_CLEAR_ALLOCATION
#define KBUDDY_TRIM_DISABLE		DRM_BUDDY_TRIM_DISABLE
#define KBUDDY_CLEARED			DRM_BUDDY_CLEARED
#endif

/**
 * kbuddy_create - allocate and initialise a kernel buddy allocator
 * @size: bytes to manage
 * @chunk_size: the smallest block, a power of two of at least PAGE_SIZE
 *
 * Return: the allocator, to free with kbuddy_destroy(), or an ERR_PTR():
 * -ENOMEM, or the error of kbuddy_init().
 */
static inline struct kbuddy *kbuddy_create(u64 size, u64 chunk_size)
{
	struct kbuddy *mm = kzalloc(sizeof(*mm), GFP_KERNEL);
	int ret;

	if (!mm)
		return ERR_PTR(-ENOMEM);
	ret = kbuddy_init(mm, size, chunk_size);
	if (ret) {
		kfree(mm);
		return ERR_PTR(ret);
	}
	return mm;
}

/**
 * kbuddy_destroy - tear down and free an allocator of kbuddy_create()
 * @mm: the allocator
 */
static inline void kbuddy_destroy(struct kbuddy *mm)
{
	kbuddy_fini(mm);
	kfree(mm);
}

/**
 * kbuddy_alloc_flags - the kernel allocator's flags for vvram_buddy's
 * @flags: VVRAM_BUDDY_*_ALLOCATION and VVRAM_BUDDY_TRIM_DISABLE
 *
 * Return: the same request in KBUDDY_* flags.
 */
static inline unsigned long kbuddy_alloc_flags(unsigned long flags)
{
	unsigned long kflags = 0;

	if (flags & VVRAM_BUDDY_RANGE_ALLOCATION)
		kflags |= KBUDDY_RANGE_ALLOCATION;
	if (flags & VVRAM_BUDDY_TOPDOWN_ALLOCATION)
		kflags |= KBUDDY_TOPDOWN_ALLOCATION;
	if (flags & VVRAM_BUDDY_CONTIGUOUS_ALLOCATION)
		kflags |= KBUDDY_CONTIGUOUS_ALLOCATION;
	if (flags & VVRAM_BUDDY_CLEAR_ALLOCATION)
		kflags |= KBUDDY_CLEAR_ALLOCATION;
	if (flags & VVRAM_BUDDY_TRIM_DISABLE)
		kflags |= KBUDDY_TRIM_DISABLE;
	return kflags;
}

/**
 * kbuddy_link_block - the block an allocated block's list link belongs to
 * @link: the &kbuddy_block.link of an allocated block
 *
 * Return: the block.
 */
static inline struct kbuddy_block *kbuddy_link_block(struct list_head *link)
{
	return list_entry(link, struct kbuddy_block, link);
}

#endif /* _VVRAM_KBUDDY_H_ */
