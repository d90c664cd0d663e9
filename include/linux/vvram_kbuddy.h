/* SPDX-License-Identifier: GPL-2.0 */
/**
 * DOC: kernel buddy shim
 *
 * The running kernel's own buddy allocator under one set of names, for
 * the ``allocator=kernel`` backend of the VRAM manager and for the
 * benchmark module. Debian's 6.12 kernels from 6.12.101 on build it into
 * vmlinux as gpu_buddy (<linux/gpu_buddy.h>); older ones have it in the
 * drm_buddy module (<drm/drm_buddy.h>). kbuddy_* and KBUDDY_* stand for
 * whichever one the kernel headers provide, chosen at build time by
 * <linux/vvram_compat.h>, which also fills in what 6.1's drm_buddy lacks.
 *
 * Allocation and free flags are vvram_buddy's (VVRAM_BUDDY_*), translated
 * by kbuddy_alloc_flags() and kbuddy_free_flags(). The kbuddy_op_*()
 * functions take the allocator as a void pointer, so that the op tables
 * of both users point at them.
 */
#ifndef _VVRAM_KBUDDY_H_
#define _VVRAM_KBUDDY_H_

#include <linux/err.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/vvram_buddy.h>
#include <linux/vvram_compat.h>

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
 * kbuddy_free_flags - the kernel allocator's free flags for vvram_buddy's
 * @flags: 0 or %VVRAM_BUDDY_CLEARED
 *
 * Return: the same in KBUDDY_* flags.
 */
static inline unsigned int kbuddy_free_flags(unsigned int flags)
{
	return flags & VVRAM_BUDDY_CLEARED ? KBUDDY_CLEARED : 0;
}

/**
 * kbuddy_op_init - kbuddy_create() for an op table
 * @mm: set to the new allocator
 * @size: bytes to manage
 * @chunk_size: the smallest block
 *
 * Return: 0, or the error of kbuddy_create().
 */
static inline int kbuddy_op_init(void **mm, u64 size, u64 chunk_size)
{
	struct kbuddy *buddy = kbuddy_create(size, chunk_size);

	if (IS_ERR(buddy))
		return PTR_ERR(buddy);
	*mm = buddy;
	return 0;
}

/**
 * kbuddy_op_fini - kbuddy_destroy() for an op table
 * @mm: an allocator of kbuddy_op_init()
 */
static inline void kbuddy_op_fini(void *mm)
{
	kbuddy_destroy(mm);
}

/**
 * kbuddy_op_alloc - kbuddy_alloc_blocks() with vvram_buddy's flags
 * @mm: the allocator
 * @start: start of the window, with %VVRAM_BUDDY_RANGE_ALLOCATION
 * @end: end of the window, with %VVRAM_BUDDY_RANGE_ALLOCATION
 * @size: bytes to allocate
 * @min_block_size: the smallest block, and the alignment
 * @blocks: the list the blocks are added to
 * @flags: VVRAM_BUDDY_*_ALLOCATION and VVRAM_BUDDY_TRIM_DISABLE
 *
 * Return: 0 or the kernel allocator's error.
 */
static inline int kbuddy_op_alloc(void *mm, u64 start, u64 end, u64 size,
				  u64 min_block_size, struct list_head *blocks,
				  unsigned long flags)
{
	return kbuddy_alloc_blocks(mm, start, end, size, min_block_size,
				   blocks, kbuddy_alloc_flags(flags));
}

/**
 * kbuddy_op_free_list - kbuddy_free_list() with vvram_buddy's flags
 * @mm: the allocator
 * @blocks: the blocks to free, all of them
 * @flags: 0 or %VVRAM_BUDDY_CLEARED
 */
static inline void kbuddy_op_free_list(void *mm, struct list_head *blocks,
				       unsigned int flags)
{
	kbuddy_free_list(mm, blocks, kbuddy_free_flags(flags));
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
