// SPDX-License-Identifier: MIT
/*
 * vvramctl map: VRAM occupancy as text.
 *
 * The BOs and their VRAM blocks come from the driver's debugfs file
 * "bos", one BO per line:
 *
 *   bo <id> size <bytes> domain <vram|gtt|cpu> allowed <mask> flags <mask>
 *      pin <count> [contiguous] [visible] [blocks: <offset>+<size> ...]
 *
 * (offsets in VRAM, hexadecimal), or "bo <id> size <bytes> busy" for a BO
 * being moved. VRAM's size and visible window come from QUERY. Each cell
 * of the map stands for an equal slice of VRAM and shows the BO owning
 * most of it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vvramctl.h"

static const char map_usage[] =
"usage: vvramctl map [-w WIDTH] [-r ROWS]\n"
"\n"
"Draw VRAM as ROWS lines of WIDTH cells (default 64 x 8), each cell an equal\n"
"slice of VRAM, from the driver's debugfs (needs root and debugfs mounted):\n"
"  A-Z a-z 0-9  the BO owning most of the cell (see the legend below the map)\n"
"  :            used, by several BOs none of which owns half the cell\n"
"  .            free, inside the CPU-visible window\n"
"  _            free, outside the window\n"
"The legend lists every BO of the device, in VRAM or not.\n";

#define MAX_BLOCKS_PER_BO 4096

static const char bo_symbols[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

struct map_block {
	uint64_t offset;
	uint64_t size_bytes;
};

struct map_bo {
	uint64_t size_bytes;
	char domain[8];
	unsigned int pin;
	bool contiguous, visible, busy, no_cpu_access;
	unsigned int block_count;
	struct map_block *blocks;
};

struct map {
	struct map_bo *bos;
	unsigned int count, cap;
};

static void map_free(struct map *m)
{
	unsigned int i;

	for (i = 0; i < m->count; i++)
		free(m->bos[i].blocks);
	free(m->bos);
}

/* Parse one line of "bos"; returns 0, or -EPROTO if it is not one. */
static int parse_bo_line(char *line, struct map_bo *bo)
{
	char *tok, *save = NULL;
	bool in_blocks = false;
	unsigned int cap = 0;

	memset(bo, 0, sizeof(*bo));
	tok = strtok_r(line, " \t\n", &save);
	if (!tok || strcmp(tok, "bo"))
		return -EPROTO;
	strtok_r(NULL, " \t\n", &save);	/* the BO's id: not needed */
	while ((tok = strtok_r(NULL, " \t\n", &save))) {
		char *value;

		if (in_blocks) {
			struct map_block block;

			if (sscanf(tok, "%lli+%lli", (long long *)&block.offset,
				   (long long *)&block.size_bytes) != 2)
				return -EPROTO;
			if (bo->block_count == cap) {
				struct map_block *grown;

				if (cap >= MAX_BLOCKS_PER_BO)
					return -EPROTO;
				cap = cap ? 2 * cap : 8;
				grown = realloc(bo->blocks, cap * sizeof(*grown));
				if (!grown)
					return -ENOMEM;
				bo->blocks = grown;
			}
			bo->blocks[bo->block_count++] = block;
			continue;
		}
		if (!strcmp(tok, "blocks:")) {
			in_blocks = true;
		} else if (!strcmp(tok, "contiguous")) {
			bo->contiguous = true;
		} else if (!strcmp(tok, "visible")) {
			bo->visible = true;
		} else if (!strcmp(tok, "busy")) {
			bo->busy = true;
		} else {
			/* key value pairs; unknown keys are for newer drivers. */
			value = strtok_r(NULL, " \t\n", &save);
			if (!value)
				return -EPROTO;
			if (!strcmp(tok, "size"))
				bo->size_bytes = strtoull(value, NULL, 0);
			else if (!strcmp(tok, "domain"))
				snprintf(bo->domain, sizeof(bo->domain), "%s", value);
			else if (!strcmp(tok, "pin"))
				bo->pin = (unsigned int)strtoul(value, NULL, 0);
			else if (!strcmp(tok, "flags"))
				bo->no_cpu_access = strtoul(value, NULL, 0) &
						    VVRAM_GEM_CREATE_NO_CPU_ACCESS;
		}
	}
	return 0;
}

static int read_bos(struct map *m)
{
	char dir[256], path[300], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret;

	ret = vvram_debugfs_dir(dir, sizeof(dir));
	if (ret == -ENOENT)
		return ctl_error(0, "no vvram directory in /sys/kernel/debug/dri (is debugfs mounted, are you root?)");
	if (ret)
		return ctl_error(ret, "looking for vvram in debugfs");
	snprintf(path, sizeof(path), "%s/bos", dir);
	f = fopen(path, "re");
	if (!f)
		return ctl_error(errno, "%s", path);
	ret = 0;
	while (!ret && getline(&line, &cap, f) > 0) {
		struct map_bo bo;

		if (m->count == m->cap) {
			struct map_bo *grown;

			m->cap = m->cap ? 2 * m->cap : 64;
			grown = realloc(m->bos, m->cap * sizeof(*grown));
			if (!grown) {
				ret = ctl_error(ENOMEM, "reading %s", path);
				break;
			}
			m->bos = grown;
		}
		ret = parse_bo_line(line, &bo);
		if (ret) {
			free(bo.blocks);
			ret = ctl_error(ret, "%s: unexpected line '%s'", path, line);
			break;
		}
		m->bos[m->count++] = bo;
	}
	free(line);
	fclose(f);
	return ret;
}

static char symbol(unsigned int index)
{
	return bo_symbols[index % (sizeof(bo_symbols) - 1)];
}

/* Bytes of [start, end) that BO @bo covers. */
static uint64_t overlap(const struct map_bo *bo, uint64_t start, uint64_t end)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < bo->block_count; i++) {
		uint64_t b_start = bo->blocks[i].offset;
		uint64_t b_end = b_start + bo->blocks[i].size_bytes;

		if (b_end > start && b_start < end)
			total += (b_end < end ? b_end : end) -
				 (b_start > start ? b_start : start);
	}
	return total;
}

static char cell_char(const struct map *m, uint64_t start, uint64_t end,
		      uint64_t visible_end)
{
	uint64_t used = 0, best = 0;
	unsigned int i, best_index = 0;

	for (i = 0; i < m->count; i++) {
		uint64_t bytes = overlap(&m->bos[i], start, end);

		used += bytes;
		if (bytes > best) {
			best = bytes;
			best_index = i;
		}
	}
	if (!used)
		return start < visible_end ? '.' : '_';
	if (2 * best >= end - start || best == used)
		return symbol(best_index);
	return ':';
}

static void print_legend(const struct map *m)
{
	char size_text[32];
	unsigned int i;

	printf("\n%-3s %12s  %-6s %s\n", "bo", "size", "domain", "placement");
	for (i = 0; i < m->count; i++) {
		const struct map_bo *bo = &m->bos[i];

		printf("%-3c %12s  %-6s", symbol(i),
		       ctl_format_size(bo->size_bytes, size_text, sizeof(size_text)),
		       bo->busy ? "?" : bo->domain);
		if (bo->busy)
			printf(" busy (moving)");
		if (bo->block_count)
			printf(" %u block%s at %#llx", bo->block_count,
			       bo->block_count == 1 ? "" : "s",
			       (unsigned long long)bo->blocks[0].offset);
		if (bo->contiguous)
			printf(", contiguous");
		if (bo->visible)
			printf(", visible");
		if (bo->no_cpu_access)
			printf(", no-cpu-access");
		if (bo->pin)
			printf(", pinned");
		printf("\n");
	}
	if (!m->count)
		printf("(no BOs)\n");
}

int cmd_map(int argc, char **argv)
{
	static const struct option options[] = {
		{ "width", required_argument, NULL, 'w' },
		{ "rows", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t width = 64, rows = 8, cells, cell, row;
	char total_text[32], cell_text[32];
	struct vvram_memory mem;
	struct map m = { 0 };
	int fd, ret, opt;

	while ((opt = getopt_long(argc, argv, "w:r:h", options, NULL)) != -1) {
		switch (opt) {
		case 'w':
			if (ctl_parse_u64(optarg, &width) || !width || width > 1024)
				return ctl_usage_error(map_usage, "bad width '%s' (1 to 1024)", optarg);
			break;
		case 'r':
			if (ctl_parse_u64(optarg, &rows) || !rows || rows > 1024)
				return ctl_usage_error(map_usage, "bad row count '%s' (1 to 1024)", optarg);
			break;
		case 'h':
			fputs(map_usage, stdout);
			return 0;
		default:
			fputs(map_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return ctl_usage_error(map_usage, "map takes no arguments");

	fd = ctl_open_query(&mem);
	if (fd < 0)
		return 1;
	vvram_close(fd);
	ret = read_bos(&m);
	if (ret) {
		map_free(&m);
		return ret;
	}

	/* Fewer cells than chunks would draw empty slices between chunks. */
	cells = width * rows;
	if (mem.chunk_size_bytes && cells > mem.vram_total_bytes / mem.chunk_size_bytes)
		cells = mem.vram_total_bytes / mem.chunk_size_bytes;
	if (!cells)
		cells = 1;
	if (width > cells)
		width = cells;
	printf("VRAM %s, %llu cells of %s; window: '.' free visible, '_' free beyond\n",
	       ctl_format_size(mem.vram_total_bytes, total_text, sizeof(total_text)),
	       (unsigned long long)cells,
	       ctl_format_size(mem.vram_total_bytes / cells, cell_text, sizeof(cell_text)));
	for (row = 0; row * width < cells; row++) {
		uint64_t row_start = mem.vram_total_bytes * (row * width) / cells;

		printf("%#10llx |", (unsigned long long)row_start);
		for (cell = row * width; cell < (row + 1) * width && cell < cells; cell++) {
			uint64_t start = mem.vram_total_bytes * cell / cells;
			uint64_t end = mem.vram_total_bytes * (cell + 1) / cells;

			putchar(cell_char(&m, start, end, mem.visible_total_bytes));
		}
		printf("|\n");
	}
	print_legend(&m);
	map_free(&m);
	return 0;
}
