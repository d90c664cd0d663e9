/* SPDX-License-Identifier: MIT */
/*
 * A reference model of vvram_buddy (one state byte per chunk) that drives
 * random operations against the real allocator and checks every result.
 * Shared by the differential test (diff_main.c) and the fuzzer (fuzz.c).
 */
#ifndef _BUDDY_MODEL_H_
#define _BUDDY_MODEL_H_

#include <linux/types.h>
#include <linux/vvram_buddy.h>

/**
 * struct op_source - where operation choices come from
 * @next: returns the next raw 64-bit choice; @arg is its state.
 * @arg: state for @next.
 * @exhausted: set by @next when a finite source (fuzz input) ran out.
 */
struct op_source {
	u64 (*next)(void *arg);
	void *arg;
	bool exhausted;
};

/**
 * struct model_stats - what a run exercised, for the TAP diagnostics
 * @ops: operations done.
 * @allocs: successful allocations, by kind below.
 * @nospc: allocations refused with -ENOSPC (each proven right).
 * @einval: allocations refused with -EINVAL (each proven right).
 * @contig: successful contiguous allocations.
 * @range: successful range allocations.
 * @clear_hits: blocks handed out clear.
 * @placed: allocations whose every chunk was checked against where the
 *	model places them (plain, top-down, best-fit contiguous).
 * @frees: allocations returned.
 * @trims: successful trims.
 * @resets: reset_clear calls.
 */
struct model_stats {
	unsigned long ops, allocs, nospc, einval, contig, range, clear_hits;
	unsigned long placed, frees, trims, resets;
};

struct model;

/* A model and a real allocator of @nr_chunks chunks of @chunk bytes. */
struct model *model_new(u64 nr_chunks, u64 chunk);
/* Frees everything still allocated, checks, and tears both down. */
int model_free(struct model *m);
/* One random operation and the full comparison; 0 or -1 (diagnosed). */
int model_step(struct model *m, struct op_source *src, struct model_stats *st);
/* Verifies the whole state now (also done by each model_step()). */
int model_compare(struct model *m);
/* The allocator under test. */
struct vvram_buddy *model_mm(struct model *m);

#endif
