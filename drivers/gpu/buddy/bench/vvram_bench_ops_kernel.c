// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's view of the running kernel's own buddy allocator.
 *
 * Debian's 6.12.y kernels from 6.12.101 on build it into vmlinux as
 * gpu_buddy_* (<linux/gpu_buddy.h>); older ones as the drm_buddy module
 * (<drm/drm_buddy.h>).  The two APIs are the same apart from the prefix,
 * so the prefix is chosen once here at build time.
 */

#include <linux/slab.h>

/* The quoted form searches the same -I paths and keeps checkpatch calm. */
#if __has_include("linux/gpu_buddy.h")
#include <linux/gpu_buddy.h>
#define KBUDDY_API		"gpu_buddy"
#define kbuddy			gpu_buddy
#define kbuddy_block		gpu_buddy_block
#define KBUDDY(fn)		gpu_buddy_##fn
#define KBUDDY_FLAG(flag)	GPU_BUDDY_##flag
#else
#include <drm/drm_buddy.h>
#define KBUDDY_API		"drm_buddy"
#define kbuddy			drm_buddy
#define kbuddy_block		drm_buddy_block
#define KBUDDY(fn)		drm_buddy_##fn
#define KBUDDY_FLAG(flag)	DRM_BUDDY_##flag
#endif

#include "vvram_bench.h"

/* Deeper than any buddy tree: orders stay below 64. */
#define KBUDDY_WALK_STACK	128

static int kbuddy_ops_init(void **mm, u64 size_bytes, u64 chunk_bytes)
{
	struct kbuddy *buddy = kzalloc(sizeof(*buddy), GFP_KERNEL);
	int err;

	if (!buddy)
		return -ENOMEM;
	err = KBUDDY(init)(buddy, size_bytes, chunk_bytes);
	if (err) {
		kfree(buddy);
		return err;
	}
	*mm = buddy;
	return 0;
}

static void kbuddy_ops_fini(void *mm)
{
	KBUDDY(fini)(mm);
	kfree(mm);
}

static int kbuddy_ops_alloc(void *mm, u64 start, u64 end, u64 size_bytes,
			    u64 min_block_bytes, struct list_head *blocks,
			    unsigned int bench_flags)
{
	unsigned long flags = 0;

	if (bench_flags & BENCH_ALLOC_RANGE)
		flags |= KBUDDY_FLAG(RANGE_ALLOCATION);
	if (bench_flags & BENCH_ALLOC_TOPDOWN)
		flags |= KBUDDY_FLAG(TOPDOWN_ALLOCATION);
	if (bench_flags & BENCH_ALLOC_CONTIGUOUS)
		flags |= KBUDDY_FLAG(CONTIGUOUS_ALLOCATION);
	if (bench_flags & BENCH_ALLOC_CLEAR)
		flags |= KBUDDY_FLAG(CLEAR_ALLOCATION);
	return KBUDDY(alloc_blocks)(mm, start, end, size_bytes,
				    min_block_bytes, blocks, flags);
}

static void kbuddy_ops_free_list(void *mm, struct list_head *blocks,
				 unsigned int bench_flags)
{
	KBUDDY(free_list)(mm, blocks,
			  bench_flags & BENCH_FREE_CLEARED ?
			  KBUDDY_FLAG(CLEARED) : 0);
}

static u64 kbuddy_ops_avail(void *mm)
{
	return ((struct kbuddy *)mm)->avail;
}

static u64 kbuddy_ops_block_offset(void *mm, struct list_head *link)
{
	return KBUDDY(block_offset)(list_entry(link, struct kbuddy_block,
					       link));
}

static u64 kbuddy_ops_block_size(void *mm, struct list_head *link)
{
	return KBUDDY(block_size)(mm, list_entry(link, struct kbuddy_block,
						 link));
}

/*
 * The kernel keeps no counters, so walk its buddy trees: every node, split
 * or not, is one slab object, and the free leaves are its free blocks.
 * Costs O(nodes); only called outside the timed sections.
 */
static void kbuddy_ops_census(void *mm, struct bench_census *census)
{
	struct kbuddy *buddy = mm;
	struct kbuddy_block **stack, *block;
	unsigned int depth = 0, i;
	u64 nodes = 0;

	census->free_blocks = 0;
	census->metadata_bytes = 0;
	stack = kmalloc_array(KBUDDY_WALK_STACK, sizeof(*stack), GFP_KERNEL);
	if (!stack)
		return;
	for (i = 0; i < buddy->n_roots; i++) {
		stack[depth++] = buddy->roots[i];
		while (depth) {
			block = stack[--depth];
			nodes++;
			if (KBUDDY(block_is_free)(block))
				census->free_blocks++;
			if (KBUDDY(block_is_split)(block) &&
			    depth + 2 <= KBUDDY_WALK_STACK) {
				stack[depth++] = block->right;
				stack[depth++] = block->left;
			}
			if (!(nodes & 4095))
				cond_resched();
		}
	}
	kfree(stack);
	census->metadata_bytes = nodes * sizeof(struct kbuddy_block);
}

const struct bench_allocator_ops bench_ops_kernel = {
	.name = KBUDDY_API,
	.init = kbuddy_ops_init,
	.fini = kbuddy_ops_fini,
	.alloc = kbuddy_ops_alloc,
	.free_list = kbuddy_ops_free_list,
	.avail = kbuddy_ops_avail,
	.block_offset = kbuddy_ops_block_offset,
	.block_size = kbuddy_ops_block_size,
	.census = kbuddy_ops_census,
};
