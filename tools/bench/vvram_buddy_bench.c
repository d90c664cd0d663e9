// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace benchmark of vvram_buddy: the benchmark's workloads
 * (drivers/gpu/buddy/bench/, the same code the kernel module runs), on our
 * allocator only, with what the kernel module cannot afford to measure.
 *
 * Each workload and calling style runs:
 *  1. untouched, -r times, for the total time of each row (the best of the
 *     repetitions, as in the kernel module, filters out a loaded host);
 *  2. once with every operation timed (median, p99, max from a histogram)
 *     and the metadata size read after every operation (exact peak).
 *
 * Outcome checks, which make the exit status non-zero when they fail:
 *  - W1-W4: every allocation succeeds (the space is always there);
 *  - W6: a contiguous request fails only when the model has no aligned free
 *    run for it, and every placement is right.
 *
 * Usage: vvram_buddy_bench [-w MASK] [-s MASK] [-b BUDGET_S] [-r REPEATS]
 *   -w  workloads, bit 0 = W1 ... bit 5 = W6 (default 0x3f)
 *   -s  styles, bit 0 = seed (start = end = 0), bit 1 = range [0, size)
 *   -b  time budget of each row, seconds (default 600)
 *   -r  timed repetitions (default 3)
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
	printf("| B/block at most blocks | worst B/block | KiB held when empty ");
	printf("| check |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
}

static void print_row(const struct bench_workload *wl, enum bench_style style,
		      const struct bench_row *timed,
		      const struct bench_row *traced,
		      const struct bench_vvram_peak *peak, bool ok)
{
	char model[48] = "";

	if (timed->expected_ok >= 0)
		snprintf(model, sizeof(model), " (model %lld)",
			 (long long)timed->expected_ok);
	printf("| %s | %s | %.3f ", timed->name, bench_style_name(style),
	       timed->time_ns / 1e6);
	printf("| %llu | %llu | %llu | %llu / %llu%s | %llu | %llu | %.1f | %.1f | %llu | %s |\n",
	       (unsigned long long)bench_hist_percentile(traced->hist, 50),
	       (unsigned long long)bench_hist_percentile(traced->hist, 99),
	       (unsigned long long)traced->hist->max_ns,
	       (unsigned long long)timed->alloc_ok,
	       (unsigned long long)timed->allocs, model,
	       (unsigned long long)(timed->bytes_placed >> 20),
	       (unsigned long long)(peak->metadata_bytes >> 10),
	       peak->blocks ?
	       (double)peak->metadata_at_most_blocks / peak->blocks : 0.0,
	       peak->worst_x10_per_block / 10.0,
	       (unsigned long long)(peak->metadata_last_bytes >> 10),
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
	static struct bench_row scratch[BENCH_MAX_ROWS];
	static struct bench_row done[BENCH_N_WORKLOADS][BENCH_STYLE_COUNT]
				    [BENCH_MAX_ROWS];
	static struct bench_hist hists[BENCH_MAX_ROWS];
	unsigned long wl_mask = 0x3f, style_mask = 0x3, budget_s = 600;
	unsigned long repeats = 3, rep;
	/* The value each option letter sets, in the order of opt_letters. */
	static const char opt_letters[] = "wsbr";
	unsigned long *const opt_values[] = {
		&wl_mask, &style_mask, &budget_s, &repeats,
	};
	const char *letter;
	bool all_ok = true;
	unsigned int w, s, r;
	int opt, err;

	while ((opt = getopt(argc, argv, "w:s:b:r:")) != -1) {
		letter = opt != '?' ? strchr(opt_letters, opt) : NULL;
		if (!letter) {
			fprintf(stderr, "usage: %s [-w MASK] [-s MASK]",
				argv[0]);
			fprintf(stderr, " [-b BUDGET_S] [-r REPEATS]\n");
			return 2;
		}
		*opt_values[letter - opt_letters] = strtoul(optarg, NULL, 0);
	}

	print_header();
	for (w = 0; w < BENCH_N_WORKLOADS; w++) {
		const struct bench_workload *wl = &bench_workloads[w];

		if (!(wl_mask & (1ul << w)))
			continue;
		for (s = 0; s < BENCH_STYLE_COUNT; s++) {
			if (!(style_mask & (1ul << s)))
				continue;
			err = 0;
			for (rep = 0; rep < repeats || !rep; rep++) {
				err = bench_run_workload(wl, &bench_ops_vvram,
							 s, budget_s *
							 1000000000ull,
							 NULL, scratch);
				if (err)
					break;
				bench_keep_best(timed, scratch, wl->n_rows,
						!rep);
				if (!bench_rows_finished(scratch, wl->n_rows))
					break;
			}
			bench_vvram_track_peak = true;
			memset(&bench_vvram_peak, 0, sizeof(bench_vvram_peak));
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
					  &bench_vvram_peak, ok);
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
	printf("\nMetadata is read after every operation of a workload run (all\n");
	printf("its rows): peak bytes held (blocks, runs and spare nodes);\n");
	printf("bytes per block (allocated and free) when the most blocks\n");
	printf("existed; and the worst bytes per block at any moment with at\n");
	printf("least 1024 blocks; and what is still held once the workload\n");
	printf("has freed everything (before fini).\n");
	printf("Outcome check: %s\n", all_ok ? "all passed" : "FAILED");
	return all_ok ? 0 : 1;
}
