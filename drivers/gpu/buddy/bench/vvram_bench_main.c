// SPDX-License-Identifier: GPL-2.0
/*
 * vvram_buddy_bench.ko: runs the benchmark's workloads on
 * vvram_buddy and on the running kernel's own buddy allocator, in the same
 * boot and interleaved (for each workload and calling style: ours, then
 * the kernel's), when the module is loaded.  On W1-W4 a third allocator
 * joins them, the floor (vvram_bench_ops_floor.c): it does no bookkeeping,
 * so its time is what the harness itself costs, and kernel time / floor
 * time is the best ratio any allocator could show on that row.
 *
 * Progress goes to the kernel log as each run ends; the final table is in
 * /sys/kernel/debug/vvram_buddy_bench/results.  Every row has a time
 * budget: a row that runs out of it stops, says so, and the ratio becomes a
 * lower bound.  Loading runs every workload, so it takes minutes.
 */

#define pr_fmt(fmt) "vvram_buddy_bench: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/utsname.h>

#include "vvram_bench.h"

static unsigned int budget_s = 120;
module_param(budget_s, uint, 0444);
MODULE_PARM_DESC(budget_s, "Time budget of each measured row and allocator, seconds (default 120, 0 = none)");

static unsigned int repeats = 3;
module_param(repeats, uint, 0444);
MODULE_PARM_DESC(repeats, "Runs of each workload per allocator, interleaved; the best of each row is kept (default 3)");

static unsigned int workloads = 0x3f;
module_param(workloads, uint, 0444);
MODULE_PARM_DESC(workloads, "Bit mask of the workloads to run: bit 0 = W1 ... bit 5 = W6 (default all)");

static unsigned int styles = 0x3;
module_param(styles, uint, 0444);
MODULE_PARM_DESC(styles, "Bit mask of calling styles: bit 0 = seed (start=end=0), bit 1 = range [0, size) (default both)");

#define BENCH_N_ALLOCATORS	3
/* Index of the floor in bench_allocators[]: measured, never judged. */
#define BENCH_FLOOR		2
#define BENCH_TEXT_BYTES	(64 * 1024)

static const struct bench_allocator_ops *const bench_allocators[] = {
	&bench_ops_vvram,
	&bench_ops_kernel,
	&bench_ops_floor,
};

/* rows[workload][style][allocator][row], best of the repetitions */
struct bench_results {
	struct bench_row rows[BENCH_N_WORKLOADS][BENCH_STYLE_COUNT][BENCH_N_ALLOCATORS]
			     [BENCH_MAX_ROWS];
	int err[BENCH_N_WORKLOADS][BENCH_STYLE_COUNT][BENCH_N_ALLOCATORS];
	bool ran[BENCH_N_WORKLOADS][BENCH_STYLE_COUNT][BENCH_N_ALLOCATORS];
	struct bench_row scratch[BENCH_MAX_ROWS];
};

static struct dentry *bench_dir;
static char *bench_text;
static size_t bench_text_len;

static __printf(1, 2) void bench_out(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	bench_text_len += vscnprintf(bench_text + bench_text_len,
				     BENCH_TEXT_BYTES - bench_text_len, fmt,
				     args);
	va_end(args);
}

/* "12.345" ms from ns, without floating point. */
static void bench_fmt_ms(char *buf, size_t len, u64 ns)
{
	u64 us = div_u64(ns, 1000);
	u32 frac = do_div(us, 1000);

	scnprintf(buf, len, "%llu.%03u", us, frac);
}

/*
 * kernel time / our time with two decimals; ">=" when the kernel ran out
 * of budget (it would have needed more), "n/a" when ours did.
 */
static void bench_fmt_ratio(char *buf, size_t len, const struct bench_row *ours,
			    const struct bench_row *kern)
{
	u64 x100;
	u32 frac;

	if (!ours->finished || !ours->time_ns) {
		scnprintf(buf, len, "n/a");
		return;
	}
	x100 = div64_u64(kern->time_ns * 100, ours->time_ns);
	frac = do_div(x100, 100);
	scnprintf(buf, len, "%s%llu.%02u", kern->finished ? "" : ">=", x100,
		  frac);
}

static void bench_log_row(const char *alloc_name, enum bench_style style,
			  unsigned int rep, const struct bench_row *row)
{
	char ms[24];

	bench_fmt_ms(ms, sizeof(ms), row->time_ns);
	pr_info("%-18s %-5s %-9s #%u %12s ms  ok %llu/%llu of %llu  meta %llu KiB%s\n",
		row->name, bench_style_name(style), alloc_name, rep, ms,
		row->alloc_ok, row->allocs, row->allocs_planned,
		row->peak_metadata_bytes >> 10,
		row->finished ? "" : "  [out of time budget]");
	if (row->note[0])
		pr_info("%-18s %-5s %-9s %s\n", row->name,
			bench_style_name(style), alloc_name, row->note);
}

/*
 * One repetition of one workload on one allocator, folded into the best
 * rows.  Returns false when repeating is pointless: setup failed, or the
 * time budget stopped a row (its time is the budget, it cannot improve).
 */
static bool bench_run_once(struct bench_results *res, unsigned int w,
			   enum bench_style s, unsigned int a, unsigned int rep)
{
	const struct bench_workload *wl = &bench_workloads[w];
	const struct bench_allocator_ops *ops = bench_allocators[a];
	unsigned int r;
	int err;

	err = bench_run_workload(wl, ops, s, (u64)budget_s * NSEC_PER_SEC,
				 NULL, res->scratch);
	if (err) {
		pr_info("%s %s %s: setup failed (%d)\n", wl->id,
			bench_style_name(s), ops->name, err);
		res->err[w][s][a] = err;
		return false;
	}
	for (r = 0; r < wl->n_rows; r++)
		bench_log_row(ops->name, s, rep, &res->scratch[r]);
	bench_keep_best(res->rows[w][s][a], res->scratch, wl->n_rows, !rep);
	res->ran[w][s][a] = true;
	return bench_rows_finished(res->scratch, wl->n_rows);
}

/*
 * Interleaved: each repetition runs the allocators back to back, and the
 * order flips from one repetition to the next so that none always runs on
 * a warmer or colder system.  The floor runs only on the workloads that
 * allow it.
 */
static void bench_run_all(struct bench_results *res)
{
	bool again[BENCH_N_ALLOCATORS];
	unsigned int w, s, a, i, rep;

	for (w = 0; w < BENCH_N_WORKLOADS; w++) {
		if (!(workloads & BIT(w)))
			continue;
		for (s = 0; s < BENCH_STYLE_COUNT; s++) {
			if (!(styles & BIT(s)))
				continue;
			for (a = 0; a < BENCH_N_ALLOCATORS; a++)
				again[a] = a != BENCH_FLOOR ||
					   bench_workloads[w].floor_ok;
			for (rep = 0; rep < max(repeats, 1u); rep++) {
				for (i = 0; i < BENCH_N_ALLOCATORS; i++) {
					a = rep % 2 ? BENCH_N_ALLOCATORS - 1 - i
						    : i;
					if (again[a])
						again[a] = bench_run_once(res, w,
									  s, a,
									  rep);
				}
			}
		}
	}
}

/* Whether the row meets its goal (&bench_workload.target_x100), in a word. */
static const char *bench_verdict(const struct bench_row *ours,
				 const struct bench_row *kern,
				 unsigned int target_x100)
{
	u64 x100;

	if (ours->missed || ours->violations)
		return "WRONG";
	if (!ours->finished)
		return "ours-DNF";
	if (ours->rounds_grow)
		return "SLOWS";
	x100 = ours->time_ns ? div64_u64(kern->time_ns * 100, ours->time_ns) :
	       U64_MAX;
	if (x100 >= target_x100)
		return kern->finished ? "met" : "met(>=)";
	return kern->finished ? "MISSED" : "open(DNF)";
}

/* @floor is NULL where the floor did not run; the verdict ignores it. */
static void bench_table_row(const struct bench_row *ours,
			    const struct bench_row *kern,
			    const struct bench_row *floor,
			    enum bench_style style, unsigned int target_x100)
{
	char ours_ms[24], kern_ms[24], ratio[24];
	char floor_ms[24] = "-", floor_ratio[24] = "-";

	bench_fmt_ms(ours_ms, sizeof(ours_ms), ours->time_ns);
	bench_fmt_ms(kern_ms, sizeof(kern_ms), kern->time_ns);
	bench_fmt_ratio(ratio, sizeof(ratio), ours, kern);
	if (floor) {
		bench_fmt_ms(floor_ms, sizeof(floor_ms), floor->time_ns);
		bench_fmt_ratio(floor_ratio, sizeof(floor_ratio), floor, kern);
	}
	bench_out("%-18s %-5s %12s%s %12s%s %9s %12s%s %9s %5u %-9s ",
		  ours->name, bench_style_name(style),
		  ours_ms, ours->finished ? " " : "*",
		  kern_ms, kern->finished ? " " : "*", ratio,
		  floor_ms, floor && !floor->finished ? "*" : " ", floor_ratio,
		  target_x100 / 100, bench_verdict(ours, kern, target_x100));
	bench_out("%7llu/%-7llu %7llu/%-7llu ", ours->alloc_ok, ours->allocs,
		  kern->alloc_ok, kern->allocs);
	if (ours->expected_ok < 0)
		bench_out("%6s ", "-");
	else
		bench_out("%6lld ", ours->expected_ok);
	bench_out("%8llu %9llu\n", ours->peak_metadata_bytes >> 10,
		  kern->peak_metadata_bytes >> 10);
}

static void bench_notes(const struct bench_row *row, const char *who,
			enum bench_style style)
{
	if (row->note[0])
		bench_out("  %s %s %s: %s\n", row->name,
			  bench_style_name(style), who, row->note);
	if (row->missed || row->violations)
		bench_out("  %s %s %s: %llu failed with an aligned run free, %llu misplaced\n",
			  row->name, bench_style_name(style), who,
			  row->missed, row->violations);
}

static void bench_make_table(const struct bench_results *res)
{
	unsigned int w, s, r;
	bool floor_ran;

	bench_out("vvram_buddy vs %s, kernel %s, budget %u s per row, best of %u\n",
		  bench_ops_kernel.name, init_utsname()->release, budget_s,
		  max(repeats, 1u));
	bench_out("%-18s %-5s %13s %13s %9s %13s %9s %5s %-9s %-15s %-15s %6s %8s %9s\n",
		  "row", "style", "ours ms", "kernel ms", "k/ours", "floor ms",
		  "max k/f", "goal", "verdict", "ours ok/alloc",
		  "kern ok/alloc", "model", "ours KiB", "kern KiB");
	for (w = 0; w < BENCH_N_WORKLOADS; w++) {
		if (!(workloads & BIT(w)))
			continue;
		for (s = 0; s < BENCH_STYLE_COUNT; s++) {
			if (!(styles & BIT(s)) || res->err[w][s][0] ||
			    res->err[w][s][1])
				continue;
			floor_ran = res->ran[w][s][BENCH_FLOOR];
			for (r = 0; r < bench_workloads[w].n_rows; r++)
				bench_table_row(&res->rows[w][s][0][r],
						&res->rows[w][s][1][r],
						floor_ran ?
						&res->rows[w][s][BENCH_FLOOR][r] :
						NULL, s,
						bench_workloads[w].target_x100[r]);
		}
	}
	bench_out("* = stopped by the time budget (not repeated)\n");
	bench_out("k/ours = kernel time / our time; goal = the issue's target\n");
	bench_out("floor = the same workload driven through the same harness with an\n");
	bench_out("  allocator that does no bookkeeping (one node per request, nothing\n");
	bench_out("  placed): the harness's own cost; - = not run (W5 and W6\n");
	bench_out("  depend on real placements)\n");
	bench_out("max k/f = kernel time / floor time: the ceiling of k/ours on that row\n");
	bench_out("  under this harness; the floor is never judged against the goal\n");
	bench_out("verdict: met; met(>=): the kernel ran out of budget,\n");
	bench_out("  the ratio is a lower bound;\n");
	bench_out("  MISSED; open(DNF): the kernel ran out of budget below the goal;\n");
	bench_out("  SLOWS: our W4 free blocks grow or a round takes 2x the first;\n");
	bench_out("  WRONG: our placements fail the model\n");
	bench_out("model = W6 requests for which an aligned free run exists\n");
	bench_out("KiB = peak metadata, sampled at phase boundaries\n");
	for (w = 0; w < BENCH_N_WORKLOADS; w++) {
		if (!(workloads & BIT(w)))
			continue;
		for (s = 0; s < BENCH_STYLE_COUNT; s++) {
			if (!(styles & BIT(s)))
				continue;
			for (r = 0; r < bench_workloads[w].n_rows; r++) {
				bench_notes(&res->rows[w][s][0][r], "ours", s);
				bench_notes(&res->rows[w][s][1][r], "kernel",
					    s);
			}
		}
	}
}

static ssize_t bench_results_read(struct file *file, char __user *buf,
				  size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(buf, count, ppos, bench_text,
				       bench_text_len);
}

static const struct file_operations bench_results_fops = {
	.owner = THIS_MODULE,
	.read = bench_results_read,
	.llseek = default_llseek,
};

static int __init vvram_bench_init(void)
{
	struct bench_results *res;

	bench_text = kvzalloc(BENCH_TEXT_BYTES, GFP_KERNEL);
	res = kvzalloc(sizeof(*res), GFP_KERNEL);
	if (!bench_text || !res) {
		kvfree(res);
		kvfree(bench_text);
		return -ENOMEM;
	}

	pr_info("running against %s, budget %u s per row\n",
		bench_ops_kernel.name, budget_s);
	bench_run_all(res);
	bench_make_table(res);
	kvfree(res);

	bench_dir = debugfs_create_dir("vvram_buddy_bench", NULL);
	debugfs_create_file("results", 0444, bench_dir, NULL,
			    &bench_results_fops);
	pr_info("done, table in debugfs vvram_buddy_bench/results\n");
	return 0;
}

static void __exit vvram_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	kvfree(bench_text);
}

module_init(vvram_bench_init);
module_exit(vvram_bench_exit);

MODULE_DESCRIPTION("vvram_buddy benchmarks against the kernel's buddy allocator");
MODULE_LICENSE("GPL");
