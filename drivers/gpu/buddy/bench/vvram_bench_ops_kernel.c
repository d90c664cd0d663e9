// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's view of the running kernel's own buddy allocator,
 * gpu_buddy or drm_buddy through the shim of <linux/vvram_kbuddy.h>.
 */

#include <linux/slab.h>
#include <linux/vvram_kbuddy.h>

#include "vvram_bench.h"

/* Deeper than any buddy tree: orders stay below 64. */
#define KBUDDY_WALK_STACK	128

static int kbuddy_ops_init(void **mm, u64 size_bytes, u64 chunk_bytes)
{
	struct kbuddy *buddy = kbuddy_create(size_bytes, chunk_bytes);

	if (IS_ERR(buddy))
		return PTR_ERR(buddy);
	*mm = buddy;
	return 0;
}

static void kbuddy_ops_fini(void *mm)
{
	kbuddy_destroy(mm);
}

static int kbuddy_ops_alloc(void *mm, u64 start, u64 end, u64 size_bytes,
			    u64 min_block_bytes, struct list_head *blocks,
			    unsigned int bench_flags)
{
	return kbuddy_alloc_blocks(mm, start, end, size_bytes, min_block_bytes,
				   blocks, kbuddy_alloc_flags(bench_flags));
}

static void kbuddy_ops_free_list(void *mm, struct list_head *blocks,
				 unsigned int bench_flags)
{
	kbuddy_free_list(mm, blocks,
			 bench_flags & BENCH_FREE_CLEARED ? KBUDDY_CLEARED : 0);
}

static u64 kbuddy_ops_avail(void *mm)
{
	return ((struct kbuddy *)mm)->avail;
}

static u64 kbuddy_ops_block_offset(void *mm, struct list_head *link)
{
	return kbuddy_block_offset(kbuddy_link_block(link));
}

static u64 kbuddy_ops_block_size(void *mm, struct list_head *link)
{
	return kbuddy_block_size(mm, kbuddy_link_block(link));
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
			if (kbuddy_block_is_free(block))
				census->free_blocks++;
			if (kbuddy_block_is_split(block) &&
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
	.name = KBUDDY_NAME,
	.init = kbuddy_ops_init,
	.fini = kbuddy_ops_fini,
	.alloc = kbuddy_ops_alloc,
	.free_list = kbuddy_ops_free_list,
	.avail = kbuddy_ops_avail,
	.block_offset = kbuddy_ops_block_offset,
	.block_size = kbuddy_ops_block_size,
	.census = kbuddy_ops_census,
};
