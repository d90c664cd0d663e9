// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's floor: an "allocator" that places nothing.
 *
 * Every request takes one node from a stack, whatever its size, and every
 * free puts the nodes back; the only state is the avail counter the
 * harness reads.  Run through the same workloads and the same wrappers as
 * the real allocators, it measures what the harness itself costs per
 * operation, and so the best ratio to the kernel's allocator that any
 * allocator could show under this harness.  It is a measuring stick: its
 * placements are all at offset 0 and overlap, so it only drives workloads
 * that never look at placements, and its times are never judged against
 * the goals.
 */

#include <linux/slab.h>

#include "vvram_bench.h"

/**
 * struct floor_block - one allocation of the floor allocator
 * @link: on the caller's list while allocated.
 * @offset: always 0; the floor places nothing.
 * @size: the size asked for, whole, however many blocks it would need.
 */
struct floor_block {
	struct list_head link;
	u64 offset;
	u64 size;
};

/**
 * struct floor_mm - the floor allocator's instance
 * @avail: bytes not taken by live allocations.
 * @nodes: every node, allocated once at init.
 * @free: stack of the nodes not in use, @top of them.
 * @n_nodes: size of @nodes and @free.
 * @top: number of nodes on @free.
 */
struct floor_mm {
	u64 avail;
	struct floor_block *nodes;
	struct floor_block **free;
	size_t n_nodes;
	size_t top;
};

static void floor_ops_fini(void *mm)
{
	struct floor_mm *floor = mm;

	kvfree(floor->free);
	kvfree(floor->nodes);
	kfree(floor);
}

/*
 * One node per live request, and no workload keeps more requests live
 * than there are chunks in the pool, so size / chunk nodes always do.
 */
static int floor_ops_init(void **mm, u64 size_bytes, u64 chunk_bytes)
{
	struct floor_mm *floor;
	size_t i;

	if (!chunk_bytes || size_bytes < chunk_bytes)
		return -EINVAL;
	floor = kzalloc(sizeof(*floor), GFP_KERNEL);
	if (!floor)
		return -ENOMEM;
	floor->n_nodes = div64_u64(size_bytes, chunk_bytes);
	floor->nodes = kvmalloc_array(floor->n_nodes, sizeof(*floor->nodes),
				      GFP_KERNEL);
	floor->free = kvmalloc_array(floor->n_nodes, sizeof(*floor->free),
				     GFP_KERNEL);
	if (!floor->nodes || !floor->free) {
		floor_ops_fini(floor);
		return -ENOMEM;
	}
	/* Pushed in reverse so that the first pops walk the array forward. */
	for (i = 0; i < floor->n_nodes; i++)
		floor->free[i] = &floor->nodes[floor->n_nodes - 1 - i];
	floor->top = floor->n_nodes;
	floor->avail = size_bytes;
	*mm = floor;
	return 0;
}

static int floor_ops_alloc(void *mm, u64 start, u64 end, u64 size_bytes,
			   u64 min_block_bytes, struct list_head *blocks,
			   unsigned long bench_flags)
{
	struct floor_mm *floor = mm;
	struct floor_block *block;

	if (unlikely(!floor->top || size_bytes > floor->avail))
		return -ENOSPC;
	block = floor->free[--floor->top];
	block->offset = 0;
	block->size = size_bytes;
	list_add_tail(&block->link, blocks);
	floor->avail -= size_bytes;
	return 0;
}

static void floor_ops_free_list(void *mm, struct list_head *blocks,
				unsigned int bench_flags)
{
	struct floor_mm *floor = mm;
	struct floor_block *block, *next;

	list_for_each_entry_safe(block, next, blocks, link) {
		floor->avail += block->size;
		floor->free[floor->top++] = block;
	}
	INIT_LIST_HEAD(blocks);
}

static u64 floor_ops_avail(void *mm)
{
	return ((struct floor_mm *)mm)->avail;
}

static u64 floor_ops_block_offset(void *mm, struct list_head *link)
{
	return list_entry(link, struct floor_block, link)->offset;
}

static u64 floor_ops_block_size(void *mm, struct list_head *link)
{
	return list_entry(link, struct floor_block, link)->size;
}

/* No free blocks and no metadata: the floor keeps no placement state. */
static void floor_ops_census(void *mm, struct bench_census *census)
{
	census->free_blocks = 0;
	census->metadata_bytes = 0;
}

const struct bench_allocator_ops bench_ops_floor = {
	.name = "floor",
	.init = floor_ops_init,
	.fini = floor_ops_fini,
	.alloc = floor_ops_alloc,
	.free_list = floor_ops_free_list,
	.avail = floor_ops_avail,
	.block_offset = floor_ops_block_offset,
	.block_size = floor_ops_block_size,
	.census = floor_ops_census,
};
