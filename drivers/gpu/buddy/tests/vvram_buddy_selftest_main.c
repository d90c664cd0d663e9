// SPDX-License-Identifier: GPL-2.0
/*
 * vvram_buddy_selftest: runs the shared vvram_buddy unit tests in the
 * kernel when loaded. Results go to the kernel log as KTAP and, as flat
 * TAP lines for the host's test runner, to
 * /sys/kernel/debug/vvram_buddy_selftest/results.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "vvram_buddy_test.h"

#define RESULTS_SIZE	(64 * 1024)

static struct dentry *selftest_dir;
static char *results;
static size_t results_len;

static __printf(1, 2) void results_add(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(results + results_len, RESULTS_SIZE - results_len, fmt,
		      args);
	va_end(args);
	results_len = min_t(size_t, results_len + max(n, 0), RESULTS_SIZE - 1);
}

static void log_line(void *arg, const char *line)
{
	pr_info("    # %s\n", line);
	results_add("# %s\n", line);
}

static ssize_t results_read(struct file *file, char __user *buf, size_t len,
			    loff_t *pos)
{
	return simple_read_from_buffer(buf, len, pos, results, results_len);
}

static const struct file_operations results_fops = {
	.owner = THIS_MODULE,
	.read = results_read,
	.llseek = default_llseek,
};

static void run_all(void)
{
	unsigned int i, failed = 0;

	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", vvram_buddy_nr_test_cases);
	for (i = 0; i < vvram_buddy_nr_test_cases; i++) {
		const struct vvram_buddy_test_case *tc = &vvram_buddy_test_cases[i];
		struct vbt t = { .log = log_line };

		vvram_buddy_run_case(tc, &t);
		failed += !!t.failures;
		pr_info("%sok %u %s\n", t.failures ? "not " : "", i + 1,
			tc->name);
		results_add("%sok %u - kernel: %s\n", t.failures ? "not " : "",
			    i + 1, tc->name);
	}
	results_add("1..%u\n", vvram_buddy_nr_test_cases);
	pr_info("# vvram_buddy_selftest: %u passed, %u failed\n",
		vvram_buddy_nr_test_cases - failed, failed);
}

static int __init vvram_buddy_selftest_init(void)
{
	results = vzalloc(RESULTS_SIZE);
	if (!results)
		return -ENOMEM;
	run_all();
	selftest_dir = debugfs_create_dir("vvram_buddy_selftest", NULL);
	debugfs_create_file("results", 0444, selftest_dir, NULL,
			    &results_fops);
	return 0;
}

static void __exit vvram_buddy_selftest_exit(void)
{
	debugfs_remove_recursive(selftest_dir);
	vfree(results);
}

module_init(vvram_buddy_selftest_init);
module_exit(vvram_buddy_selftest_exit);

MODULE_DESCRIPTION("vvram_buddy in-kernel unit tests (KTAP)");
MODULE_LICENSE("GPL");
