// SPDX-License-Identifier: MIT
/*
 * vvramctl info: the memory regions, from DRM_IOCTL_VVRAM_QUERY.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "vvramctl.h"

static const char info_usage[] =
"usage: vvramctl info\n"
"\n"
"Print the memory regions of the vvram device: VRAM (total, used, largest\n"
"contiguous free range), its CPU-visible window, GTT, and the eviction count.\n";

static double percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void print_region(const char *name, uint64_t used, uint64_t total)
{
	char used_text[32], total_text[32];

	printf("%-13s %12s used of %-12s (%5.1f%%)\n", name,
	       ctl_format_size(used, used_text, sizeof(used_text)),
	       ctl_format_size(total, total_text, sizeof(total_text)),
	       percent(used, total));
}

int cmd_info(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char link[64], node[PATH_MAX], text[32];
	struct vvram_memory mem;
	ssize_t len;
	int fd, opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(info_usage, stdout);
			return 0;
		}
		return ctl_usage_error(info_usage, "bad option");
	}
	if (optind != argc)
		return ctl_usage_error(info_usage, "info takes no arguments");

	fd = ctl_open_query(&mem);
	if (fd < 0)
		return 1;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, node, sizeof(node) - 1);
	node[len > 0 ? len : 0] = '\0';
	printf("device        %s\n", len > 0 ? node : "?");
	print_region("vram", mem.vram_used_bytes, mem.vram_total_bytes);
	print_region("  visible", mem.visible_used_bytes, mem.visible_total_bytes);
	printf("%-13s %12s\n", "  largest free",
	       ctl_format_size(mem.largest_free_bytes, text, sizeof(text)));
	printf("%-13s %12s\n", "  chunk",
	       ctl_format_size(mem.chunk_size_bytes, text, sizeof(text)));
	printf("%-13s %#12llx\n", "  base offset",
	       (unsigned long long)mem.base_offset);
	printf("%-13s %12s\n", "  scanout",
	       ctl_format_size(mem.scanout_bytes, text, sizeof(text)));
	print_region("gtt", mem.gtt_used_bytes, mem.gtt_total_bytes);
	printf("%-13s %12llu\n", "evictions", (unsigned long long)mem.evictions);
	vvram_close(fd);
	return 0;
}
