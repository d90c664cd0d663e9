// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's view of our allocator, vvram_buddy: the same file builds
 * into the kernel module and the userspace benchmark.
 */

#include <linux/vvram_buddy.h>

#include "vvram_bench.h"

/*
 * Set by the userspace benchmark for an extra pass that reads the metadata
 * size after every operation, to find the true peak; the timed passes
 * leave it off.
 */
bool bench_vvram_track_peak;
struct bench_vvram_peak bench_vvram_peak;

/* Below this many blocks, bytes per block says nothing about the design. */
#define BENCH_MIN_BLOCKS_FOR_RATIO	1024

static void vvram_ops_note_peak(struct vvram_buddy *mm)
{
	struct bench_vvram_peak *peak = &bench_vvram_peak;
	u64 bytes = vvram_buddy_metadata_bytes(mm), blocks = mm->nr_allocated;
	unsigned int order;

	/*
	 * After every operation, so O(1) counters only: the stats call walks
	 * the free runs, which would make this the benchmark's hot spot. The
	 * free blocks of an order are counted as vvram_buddy_get_stats() does.
	 */
	for (order = 0; order <= mm->max_order; order++)
		blocks += mm->dirty_blocks.count[order] +
			  mm->clear_blocks.count[order] +
			  mm->free_adjust[order];
	peak->metadata_last_bytes = bytes;
	if (bytes > peak->metadata_bytes)
		peak->metadata_bytes = bytes;
	if (blocks > peak->blocks) {
		peak->blocks = blocks;
		peak->metadata_at_most_blocks = bytes;
	}
	if (blocks >= BENCH_MIN_BLOCKS_FOR_RATIO &&
	    bytes * 10 / blocks > peak->worst_x10_per_block)
		peak->worst_x10_per_block = bytes * 10 / blocks;
}

static int vvram_ops_alloc(void *mm, u64 start, u64 end, u64 size_bytes,
			   u64 min_block_bytes, struct list_head *blocks,
			   unsigned long bench_flags)
{
	int err;

	err = vvram_buddy_op_alloc(mm, start, end, size_bytes, min_block_bytes,
				   blocks, bench_flags);
	if (bench_vvram_track_peak)
		vvram_ops_note_peak(mm);
	return err;
}

static void vvram_ops_free_list(void *mm, struct list_head *blocks,
				unsigned int bench_flags)
{
	vvram_buddy_op_free_list(mm, blocks, bench_flags);
	if (bench_vvram_track_peak)
		vvram_ops_note_peak(mm);
}

static u64 vvram_ops_avail(void *mm)
{
	return ((struct vvram_buddy *)mm)->avail;
}

static u64 vvram_ops_block_offset(void *mm __maybe_unused,
				  struct list_head *link)
{
	return vvram_buddy_block_offset(list_entry(link,
						   struct vvram_buddy_block,
						   link));
}

static u64 vvram_ops_block_size(void *mm, struct list_head *link)
{
	return vvram_buddy_block_size(mm, list_entry(link,
						     struct vvram_buddy_block,
						     link));
}

static void vvram_ops_census(void *mm, struct bench_census *census)
{
	struct vvram_buddy_stats stats;

	vvram_buddy_get_stats(mm, &stats);
	census->free_blocks = stats.nr_free_blocks;
	census->metadata_bytes = stats.metadata_bytes;
}

const struct bench_allocator_ops bench_ops_vvram = {
	.name = "vvram",
	.init = vvram_buddy_op_init,
	.fini = vvram_buddy_op_fini,
	.alloc = vvram_ops_alloc,
	.free_list = vvram_ops_free_list,
	.avail = vvram_ops_avail,
	.block_offset = vvram_ops_block_offset,
	.block_size = vvram_ops_block_size,
	.census = vvram_ops_census,
};
