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
	.init = kbuddy_op_init,
	.fini = kbuddy_op_fini,
	.alloc = kbuddy_op_alloc,
	.free_list = kbuddy_op_free_list,
	.avail = kbuddy_ops_avail,
	.block_offset = kbuddy_ops_block_offset,
	.block_size = kbuddy_ops_block_size,
	.census = kbuddy_ops_census,
};
