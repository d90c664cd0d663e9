// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace benchmark of vvram_buddy: the performance issue's workloads
 * (drivers/gpu/buddy/bench/, the same code the kernel module runs), on our
 * allocator only, with what the kernel module cannot afford to measure.
 *
 * Each workload and calling style runs twice:
 *  1. untouched, for the total time of each row;
 *  2. with every operation timed (median, p99, max from a histogram) and
 *     the metadata size read after every operation (exact peak).
 *
 * Outcome checks, which make the exit status non-zero when they fail:
 *  - W1-W4: every allocation succeeds (the space is always there);
 *  - W6: a contiguous request fails only when the model has no aligned free
 *    run for it, and every placement is right.
 *
 * Usage: vvram_buddy_bench [-w MASK] [-s MASK] [-b BUDGET_S]
 *   -w  workloads, bit 0 = W1 ... bit 5 = W6 (default 0x3f)
 *   -s  styles, bit 0 = seed (start = end = 0), bit 1 = range [0, size)
 *   -b  time budget of each row, seconds (default 600)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vvram_bench.h"

static bool row_outcome_ok(const struct bench_workload *wl,
			   const struct bench_row *row)
{
	if (!row->finished || row->violations || row->missed)
		return false;
	if (!strcmp(wl->id, "W5") || !strcmp(wl->id, "W6"))
		return true;
	return row->alloc_ok == row->allocs_planned;
}

static void print_header(void)
{
	printf("| row | style | total ms | median ns | p99 ns | max ns ");
	printf("| ok / allocs | MiB placed | peak metadata KiB ");
	printf("| B/block at peak | check |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
}

static void print_row(const struct bench_workload *wl, enum bench_style style,
		      const struct bench_row *timed,
		      const struct bench_row *traced, u64 peak_bytes,
		      u64 peak_blocks, bool ok)
{
	char model[48] = "";

	if (timed->expected_ok >= 0)
		snprintf(model, sizeof(model), " (model %lld)",
			 (long long)timed->expected_ok);
	printf("| %s | %s | %.3f ", timed->name, bench_style_name(style),
	       timed->time_ns / 1e6);
	printf("| %llu | %llu | %llu | %llu / %llu%s | %llu | %llu | %.1f | %s |\n",
	       (unsigned long long)bench_hist_percentile(traced->hist, 50),
	       (unsigned long long)bench_hist_percentile(traced->hist, 99),
	       (unsigned long long)traced->hist->max_ns,
	       (unsigned long long)timed->alloc_ok,
	       (unsigned long long)timed->allocs, model,
	       (unsigned long long)(timed->bytes_placed >> 20),
	       (unsigned long long)(peak_bytes >> 10),
	       peak_blocks ? (double)peak_bytes / peak_blocks : 0.0,
	       ok ? "ok" : "**FAIL**");
	(void)wl;
}

static void print_notes(const struct bench_row *row, enum bench_style style)
{
	if (row->note[0])
		printf("- %s, %s: %s\n", row->name, bench_style_name(style),
		       row->note);
	if (row->missed || row->violations)
		printf("- %s, %s: **%llu failed with an aligned run free, %llu misplaced**\n",
		       row->name, bench_style_name(style),
		       (unsigned long long)row->missed,
		       (unsigned long long)row->violations);
	if (!row->finished)
		printf("- %s, %s: **did not finish in the time budget**\n",
		       row->name, bench_style_name(style));
}

int main(int argc, char **argv)
{
	static struct bench_row timed[BENCH_MAX_ROWS], traced[BENCH_MAX_ROWS];
	static struct bench_row done[BENCH_N_WORKLOADS][BENCH_STYLE_COUNT]
				    [BENCH_MAX_ROWS];
	static struct bench_hist hists[BENCH_MAX_ROWS];
	unsigned long wl_mask = 0x3f, style_mask = 0x3, budget_s = 600;
	bool all_ok = true;
	unsigned int w, s, r;
	int opt, err;

	while ((opt = getopt(argc, argv, "w:s:b:")) != -1) {
		switch (opt) {
		case 'w':
			wl_mask = strtoul(optarg, NULL, 0);
			break;
		case 's':
			style_mask = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			budget_s = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-w MASK] [-s MASK] [-b BUDGET_S]\n",
				argv[0]);
			return 2;
		}
	}

	print_header();
	for (w = 0; w < BENCH_N_WORKLOADS; w++) {
		const struct bench_workload *wl = &bench_workloads[w];

		if (!(wl_mask & (1ul << w)))
			continue;
		for (s = 0; s < BENCH_STYLE_COUNT; s++) {
			if (!(style_mask & (1ul << s)))
				continue;
			err = bench_run_workload(wl, &bench_ops_vvram, s,
						 budget_s * 1000000000ull,
						 NULL, timed);
			bench_vvram_track_peak = true;
			bench_vvram_peak_metadata_bytes = 0;
			bench_vvram_peak_blocks = 0;
			if (!err)
				err = bench_run_workload(wl, &bench_ops_vvram,
							 s, budget_s *
							 1000000000ull,
							 hists, traced);
			bench_vvram_track_peak = false;
			if (err) {
				printf("| %s | %s | setup failed: %s |\n",
				       wl->id, bench_style_name(s),
				       strerror(-err));
				all_ok = false;
				continue;
			}
			for (r = 0; r < wl->n_rows; r++) {
				bool ok = row_outcome_ok(wl, &timed[r]) &&
					  row_outcome_ok(wl, &traced[r]);

				all_ok &= ok;
				print_row(wl, s, &timed[r], &traced[r],
					  bench_vvram_peak_metadata_bytes,
					  bench_vvram_peak_blocks, ok);
			}
			fflush(stdout);
			memcpy(done[w][s], timed, sizeof(timed));
		}
	}
	printf("\n");
	for (w = 0; w < BENCH_N_WORKLOADS; w++)
		for (s = 0; s < BENCH_STYLE_COUNT; s++)
			for (r = 0; r < bench_workloads[w].n_rows; r++)
				if (done[w][s][r].name[0])
					print_notes(&done[w][s][r], s);
	printf("\nPeak metadata is per workload run (all its rows), read after\n");
	printf("every operation; B/block divides it by the blocks (allocated\n");
	printf("and free) that existed at that moment.\n");
	printf("Outcome check: %s\n", all_ok ? "all passed" : "FAILED");
	return all_ok ? 0 : 1;
}
