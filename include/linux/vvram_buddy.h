/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vvram_buddy: a binary buddy allocator for GPU memory.
 *
 * The same header serves the kernel module and the userspace build
 * (tools/include provides the few kernel types it needs there).
 */
#ifndef _LINUX_VVRAM_BUDDY_H_
#define _LINUX_VVRAM_BUDDY_H_

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/types.h>

/* Allocation flags (vvram_buddy_alloc_blocks()). */
#define VVRAM_BUDDY_RANGE_ALLOCATION		BIT(0)
#define VVRAM_BUDDY_TOPDOWN_ALLOCATION		BIT(1)
#define VVRAM_BUDDY_CONTIGUOUS_ALLOCATION	BIT(2)
#define VVRAM_BUDDY_CLEAR_ALLOCATION		BIT(3)
#define VVRAM_BUDDY_TRIM_DISABLE		BIT(4)

/* Free flags (vvram_buddy_free_list()). */
#define VVRAM_BUDDY_CLEARED			BIT(0)

/*
 * Block orders are below 64: sizes are below 2^64 and chunks at least
 * 4 KiB, so the largest order in use is 51; 64 keeps masks in one u64.
 */
#define VVRAM_BUDDY_MAX_ORDERS			64

/* Chunks an instance may manage: 16 TiB with 4 KiB chunks. */
#define VVRAM_BUDDY_MAX_CHUNKS			BIT_ULL(32)

/* Bits of &vvram_buddy_block.header below the chunk-aligned offset. */
#define VVRAM_BUDDY_HDR_ORDER			GENMASK_ULL(5, 0)
#define VVRAM_BUDDY_HDR_FREE			BIT_ULL(6)
#define VVRAM_BUDDY_HDR_CLEAR			BIT_ULL(7)
#define VVRAM_BUDDY_HDR_OFFSET			(~GENMASK_ULL(11, 0))

/**
 * struct vvram_buddy_block - one naturally aligned power-of-two block
 * @header: offset in bytes (chunk aligned, so bits 11:0 are free) OR'ed with
 *	the order (bits 5:0), the FREE bit and the CLEAR bit; read it through
 *	vvram_buddy_block_offset() and friends.
 * @link: while allocated, links the block into the caller's list.
 *
 * Only allocated blocks have a node: free memory lives in the allocator's
 * bitmaps, which keeps a block at 24 bytes. Allocated blocks belong to the
 * caller, who may move them between its own lists through @link but must
 * hand each back exactly once.
 */
struct vvram_buddy_block {
	u64 header;
	struct list_head link;
};

/* Summary levels of a bitset: 64^7 bits is more than any instance needs. */
#define VVRAM_BUDDY_BITSET_LEVELS		7

/**
 * struct vvram_buddy_bitset - a bitset with summaries, private
 * @nbits: bits in the set.
 * @depth: index of the top level, which is one word.
 * @nwords: words at each level.
 * @ones: @ones[0] holds the bits; bit i of @ones[l] is set iff word i of
 *	@ones[l - 1] is not zero.
 * @zeros: NULL when not kept; else bit i of @zeros[1] is set iff word i of
 *	@ones[0] has a clear bit below @nbits, and bit i of @zeros[l] iff
 *	word i of @zeros[l - 1] is not zero.
 */
struct vvram_buddy_bitset {
	u64 nbits;
	unsigned int depth;
	u64 nwords[VVRAM_BUDDY_BITSET_LEVELS];
	u64 *ones[VVRAM_BUDDY_BITSET_LEVELS];
	u64 *zeros[VVRAM_BUDDY_BITSET_LEVELS];
};

/**
 * struct vvram_buddy_blockset - a set of aligned blocks, per order, private
 * @orders: bit k is set iff @count[k] is not zero.
 * @of_order: one bitset per order 0..max_order; bit i of @of_order[k] is
 *	block i of order k (the mixed blocks keep none for order 0).
 * @count: blocks of each order.
 */
struct vvram_buddy_blockset {
	u64 orders;
	struct vvram_buddy_bitset *of_order;
	u64 count[VVRAM_BUDDY_MAX_ORDERS];
};

/**
 * struct vvram_buddy - a buddy allocator instance
 * @size: bytes managed, a multiple of @chunk_size.
 * @avail: free bytes.
 * @clear_avail: free bytes known to be zeroed; always <= @avail and exact.
 * @chunk_size: smallest block size in bytes, a power of two >= 4 KiB.
 *
 * All other members are private to the allocator. The caller serialises
 * every call on one instance (for example with a mutex); the allocator
 * takes no lock of its own.
 */
struct vvram_buddy {
	u64 size;
	u64 avail;
	u64 clear_avail;
	u64 chunk_size;

	/* private: the books, see the DOC overview in vvram_buddy.c */
	unsigned int chunk_shift;
	unsigned int max_order;
	u64 nr_chunks;
	/*
	 * free memory in the books of the kernel's allocator: the canonical
	 * split into maximal aligned blocks of the zeroed free chunks
	 * (clear_blocks, covering clear_chunks) and of the others
	 * (dirty_blocks); and the free blocks holding both kinds, which
	 * still merge here (mixed_blocks, orders 1 and up). The free blocks
	 * are the mixed blocks and the blocks of one kind outside them, the
	 * canonical split of each free run; of order k there are
	 * dirty_blocks.count[k] + clear_blocks.count[k] + free_adjust[k]
	 * (mod 2^64). See the DOC overview in vvram_buddy.c.
	 */
	struct vvram_buddy_blockset dirty_blocks;
	struct vvram_buddy_blockset clear_blocks;
	struct vvram_buddy_blockset mixed_blocks;
	u64 free_adjust[VVRAM_BUDDY_MAX_ORDERS];
	/* one bit per chunk: free and known zeroed */
	struct vvram_buddy_bitset clear_chunks;
	/* node slabs, chained through their first node, and spare nodes */
	struct vvram_buddy_block *slabs;
	struct vvram_buddy_block *spare;
	u64 nr_slabs;
	u64 nr_spare;
	u64 nr_allocated;
	u64 bitset_bytes;
};

/**
 * struct vvram_buddy_stats - a consistent snapshot for debugfs, ioctls and
 *	benchmarks
 * @size: bytes managed.
 * @chunk_size: chunk size in bytes.
 * @avail: free bytes.
 * @clear_avail: free bytes known zeroed.
 * @dirty_avail: free bytes not known zeroed (@avail - @clear_avail).
 * @largest_free: the longest free contiguous range in bytes, whatever the
 *	buddy boundaries inside it.
 * @max_order: the largest block order of this instance.
 * @nr_allocated_blocks: blocks handed out and not yet returned.
 * @nr_free_blocks: free blocks, all orders.
 * @nr_free_runs: maximal free contiguous ranges.
 * @nr_clear_runs: maximal known-zeroed free ranges.
 * @metadata_bytes: bytes of allocator metadata currently held (blocks,
 *	bitsets and spare nodes), not counting struct vvram_buddy itself.
 * @free_per_order: number of free blocks of each order.
 */
struct vvram_buddy_stats {
	u64 size;
	u64 chunk_size;
	u64 avail;
	u64 clear_avail;
	u64 dirty_avail;
	u64 largest_free;
	unsigned int max_order;
	u64 nr_allocated_blocks;
	u64 nr_free_blocks;
	u64 nr_free_runs;
	u64 nr_clear_runs;
	u64 metadata_bytes;
	u64 free_per_order[VVRAM_BUDDY_MAX_ORDERS];
};

/**
 * vvram_buddy_init - set up an allocator
 * @mm: the instance to initialise.
 * @size: bytes to manage; rounded down to a multiple of @chunk_size and
 *	at most %VVRAM_BUDDY_MAX_CHUNKS chunks. Need not be a power of two.
 * @chunk_size: the smallest block, a power of two of at least 4 KiB.
 *
 * Free memory is kept in bitsets of about 6 bits per chunk in all
 * (206 KiB per GiB with 4 KiB chunks), allocated here; afterwards only
 * allocated blocks take memory, 24 bytes each, in slabs of 1024.
 *
 * Return: 0, -EINVAL for a bad @chunk_size or a @size below one chunk,
 * -E2BIG for more than %VVRAM_BUDDY_MAX_CHUNKS chunks, -ENOMEM when
 * metadata cannot be allocated (nothing is left allocated).
 */
int vvram_buddy_init(struct vvram_buddy *mm, u64 size, u64 chunk_size);

/**
 * vvram_buddy_fini - tear an allocator down
 * @mm: the instance.
 *
 * Frees all metadata. Blocks still allocated are a caller bug: it warns
 * once and frees the allocator's metadata anyway; such blocks must not be
 * touched afterwards.
 */
void vvram_buddy_fini(struct vvram_buddy *mm);

/**
 * vvram_buddy_alloc_blocks - allocate memory as a list of blocks
 * @mm: the instance.
 * @start: window start in bytes with %VVRAM_BUDDY_RANGE_ALLOCATION; 0
 *	otherwise.
 * @end: window end (exclusive) with %VVRAM_BUDDY_RANGE_ALLOCATION; 0
 *	otherwise. When @start + @size == @end the request is an exact-range
 *	allocation of [@start, @end) (chunk alignment only).
 * @size: bytes wanted, a non-zero multiple of the chunk size.
 * @min_block_size: the alignment of every piece, a power of two >= chunk.
 * @blocks: list that receives the blocks (appended in address order for
 *	contiguous and exact-range requests).
 * @flags: %VVRAM_BUDDY_*_ALLOCATION and %VVRAM_BUDDY_TRIM_DISABLE.
 *
 * Placement uses round_up(@size, @min_block_size); every piece starts at a
 * @min_block_size aligned offset. Unless %VVRAM_BUDDY_TRIM_DISABLE is set
 * the excess is never handed out, so the blocks total exactly @size.
 *
 * Plain requests take, piece by piece, the smallest fitting free block of
 * the kind they prefer, topmost first. The kind preferred is memory known
 * to be zeroed with %VVRAM_BUDDY_CLEAR_ALLOCATION and dirty memory
 * without, then the other kind, as the kernel's allocator picks from its
 * clear and dirty trees: requests without CLEAR_ALLOCATION leave zeroed
 * memory to those with it. %VVRAM_BUDDY_TOPDOWN_ALLOCATION takes, piece
 * by piece, the highest fitting free block whatever its kind, with
 * CLEAR_ALLOCATION or without (the kernel prefers the kind there too; see
 * the DOC overview). %VVRAM_BUDDY_RANGE_ALLOCATION takes the lowest free
 * addresses inside [@start, @end).
 * %VVRAM_BUDDY_CONTIGUOUS_ALLOCATION returns one contiguous range and
 * finds any aligned free run, even across buddy boundaries; one of a
 * power-of-two size, without a range or top-down, takes the smallest
 * fitting block, dirty first. With %VVRAM_BUDDY_CLEAR_ALLOCATION, range
 * and contiguous requests look at zeroed runs first. Check each block
 * with vvram_buddy_block_is_clear().
 *
 * Return: 0; -EINVAL for bad arguments (zero or unaligned size, bad
 * @min_block_size, unaligned, empty, inverted or out-of-bounds range, a
 * size larger than the window); -ENOSPC when the request cannot be
 * placed now; -ENOMEM when metadata cannot be allocated. On error nothing
 * is allocated and @blocks is unchanged.
 */
int vvram_buddy_alloc_blocks(struct vvram_buddy *mm, u64 start, u64 end,
			     u64 size, u64 min_block_size,
			     struct list_head *blocks, unsigned long flags);

/**
 * vvram_buddy_free_block - return one allocated block
 * @mm: the instance.
 * @block: a block from vvram_buddy_alloc_blocks(); the caller must have
 *	unlinked it from its list. Its memory is taken as dirty.
 */
void vvram_buddy_free_block(struct vvram_buddy *mm,
			    struct vvram_buddy_block *block);

/**
 * vvram_buddy_free_list - return every block of a list
 * @mm: the instance.
 * @blocks: the list; it is empty afterwards.
 * @flags: %VVRAM_BUDDY_CLEARED when the caller zeroed all of the memory.
 */
void vvram_buddy_free_list(struct vvram_buddy *mm, struct list_head *blocks,
			   unsigned int flags);

/**
 * vvram_buddy_block_trim - shrink an allocated contiguous range
 * @mm: the instance.
 * @start: if not NULL, the byte offset the kept range starts at; else the
 *	range keeps its start.
 * @new_size: bytes to keep, a non-zero multiple of the chunk size.
 * @blocks: one contiguous allocation, blocks in address order; on success
 *	it holds the kept range in address order.
 *
 * The released parts return to the pool as dirty memory; kept blocks keep
 * their clear state.
 *
 * Return: 0, -EINVAL for a list that is empty, not contiguous or not in
 * address order, or a kept range that is unaligned or not inside it,
 * -ENOMEM (the list is then unchanged).
 */
int vvram_buddy_block_trim(struct vvram_buddy *mm, u64 *start, u64 new_size,
			   struct list_head *blocks);

/**
 * vvram_buddy_reset_clear - declare all free memory zeroed or dirty
 * @mm: the instance.
 * @is_clear: true when the caller has zeroed all free memory.
 */
void vvram_buddy_reset_clear(struct vvram_buddy *mm, bool is_clear);

/**
 * vvram_buddy_largest_free - the longest free contiguous range
 * @mm: the instance.
 *
 * Return: its length in bytes (0 when full). Measures only the runs that
 * hold a free block of the two largest orders in use, block by block;
 * for statistics rather than hot paths.
 */
u64 vvram_buddy_largest_free(const struct vvram_buddy *mm);

/**
 * vvram_buddy_metadata_bytes - bytes of metadata the instance holds
 * @mm: the instance.
 *
 * Bitsets and node slabs, not counting struct vvram_buddy itself; O(1).
 *
 * Return: the byte count, as in &vvram_buddy_stats.metadata_bytes.
 */
u64 vvram_buddy_metadata_bytes(const struct vvram_buddy *mm);

/**
 * vvram_buddy_get_stats - fill a &struct vvram_buddy_stats snapshot
 * @mm: the instance.
 * @stats: filled in; counting the free and clear runs visits every free
 *	block and reads one word per 64 chunks, for statistics rather than
 *	hot paths.
 */
void vvram_buddy_get_stats(const struct vvram_buddy *mm,
			   struct vvram_buddy_stats *stats);

/**
 * vvram_buddy_dump - describe the allocator in text lines
 * @mm: the instance.
 * @emit: called once per line (without a trailing newline), for example
 *	a wrapper around seq_puts(), drm_puts() or puts().
 * @arg: passed to @emit.
 *
 * Prints size, chunk, free bytes split into clear and dirty, the largest
 * free contiguous range, and the number of free blocks of each order in
 * use.
 */
void vvram_buddy_dump(const struct vvram_buddy *mm,
		      void (*emit)(void *arg, const char *line), void *arg);

/**
 * vvram_buddy_check - verify every invariant of an instance (debug aid)
 * @mm: the instance.
 *
 * Walks all of the allocator's books, O(n log n). Used by the tests after
 * every step; cheap enough for a debugfs trigger, not for a hot path.
 *
 * Return: 0, -EUCLEAN (with the broken invariant logged) or -ENOMEM.
 */
int vvram_buddy_check(const struct vvram_buddy *mm);

/**
 * vvram_buddy_block_offset - byte offset of a block
 * @block: the block.
 *
 * Return: the offset of the block's first byte from the start of the
 * managed range.
 */
static inline u64 vvram_buddy_block_offset(const struct vvram_buddy_block *block)
{
	return block->header & VVRAM_BUDDY_HDR_OFFSET;
}

/**
 * vvram_buddy_block_order - order of a block: its size is chunk << order
 * @block: the block.
 *
 * Return: the order, below %VVRAM_BUDDY_MAX_ORDERS.
 */
static inline unsigned int
vvram_buddy_block_order(const struct vvram_buddy_block *block)
{
	return block->header & VVRAM_BUDDY_HDR_ORDER;
}

/**
 * vvram_buddy_block_size - size of a block in bytes
 * @mm: the instance the block belongs to.
 * @block: the block.
 *
 * Return: the chunk size shifted by the block's order.
 */
static inline u64 vvram_buddy_block_size(const struct vvram_buddy *mm,
					 const struct vvram_buddy_block *block)
{
	return mm->chunk_size << vvram_buddy_block_order(block);
}

/**
 * vvram_buddy_block_is_clear - whether every byte of a block is known zeroed
 * @block: an allocated block.
 *
 * Return: true if every byte of the block is known to be zero.
 */
static inline bool vvram_buddy_block_is_clear(const struct vvram_buddy_block *block)
{
	return block->header & VVRAM_BUDDY_HDR_CLEAR;
}

/*
 * Op-table adapters: the calls above with the instance as a void pointer,
 * for tables of allocator operations that hold either allocator (the
 * driver's backends, the benchmark's ops); <linux/vvram_kbuddy.h> has the
 * same for the kernel's allocator.
 */

/**
 * vvram_buddy_op_init - allocate and initialise an instance
 * @mm: set to the new instance
 * @size: as for vvram_buddy_init()
 * @chunk_size: as for vvram_buddy_init()
 *
 * Return: 0, -ENOMEM or the error of vvram_buddy_init().
 */
static inline int vvram_buddy_op_init(void **mm, u64 size, u64 chunk_size)
{
	struct vvram_buddy *buddy = kzalloc(sizeof(*buddy), GFP_KERNEL);
	int err;

	if (!buddy)
		return -ENOMEM;
	err = vvram_buddy_init(buddy, size, chunk_size);
	if (err) {
		kfree(buddy);
		return err;
	}
	*mm = buddy;
	return 0;
}

/**
 * vvram_buddy_op_fini - tear down and free an instance of vvram_buddy_op_init()
 * @mm: the instance
 */
static inline void vvram_buddy_op_fini(void *mm)
{
	vvram_buddy_fini(mm);
	kfree(mm);
}

/**
 * vvram_buddy_op_alloc - vvram_buddy_alloc_blocks() for an op table
 * @mm: the instance
 * @start: as for vvram_buddy_alloc_blocks()
 * @end: as for vvram_buddy_alloc_blocks()
 * @size: as for vvram_buddy_alloc_blocks()
 * @min_block_size: as for vvram_buddy_alloc_blocks()
 * @blocks: as for vvram_buddy_alloc_blocks()
 * @flags: as for vvram_buddy_alloc_blocks()
 *
 * Return: as vvram_buddy_alloc_blocks().
 */
static inline int vvram_buddy_op_alloc(void *mm, u64 start, u64 end, u64 size,
				       u64 min_block_size,
				       struct list_head *blocks,
				       unsigned long flags)
{
	return vvram_buddy_alloc_blocks(mm, start, end, size, min_block_size,
					blocks, flags);
}

/**
 * vvram_buddy_op_free_list - vvram_buddy_free_list() for an op table
 * @mm: the instance
 * @blocks: as for vvram_buddy_free_list()
 * @flags: as for vvram_buddy_free_list()
 */
static inline void vvram_buddy_op_free_list(void *mm, struct list_head *blocks,
					    unsigned int flags)
{
	vvram_buddy_free_list(mm, blocks, flags);
}

#endif /* _LINUX_VVRAM_BUDDY_H_ */
