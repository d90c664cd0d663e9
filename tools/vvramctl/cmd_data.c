// SPDX-License-Identifier: MIT
/*
 * vvramctl fill, verify and migrate: work on a BO another process holds,
 * reached by its flink name (which needs the primary node).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "vvramctl.h"

static const char fill_usage[] =
"usage: vvramctl fill NAME SEED\n"
"\n"
"Write test pattern SEED into the BO with flink name NAME (as printed by\n"
"'vvramctl alloc'). Every 8-byte word depends on SEED and its offset.\n";

static const char verify_usage[] =
"usage: vvramctl verify NAME SEED|zero\n"
"\n"
"Check that the BO with flink name NAME holds pattern SEED, or only zero\n"
"bytes. Exit status 1 and the first bad offset if it does not.\n";

static const char migrate_usage[] =
"usage: vvramctl migrate NAME DOMAIN\n"
"\n"
"Move the BO with flink name NAME to DOMAIN (vram, gtt or cpu), keeping its\n"
"data, and print its new placement.\n";

/* A BO opened by flink name on a fresh primary-node fd. */
struct named_bo {
	int fd;
	uint32_t name;
	uint32_t handle;
	uint64_t size_bytes;
};

static int no_options(int argc, char **argv, const char *usage, int nargs)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		return ctl_usage_error(usage, "bad option");
	}
	if (argc - optind != nargs)
		return ctl_usage_error(usage, "expected %d arguments", nargs);
	return 0;
}

static int open_named(const char *text, const char *usage, struct named_bo *bo)
{
	uint64_t name;
	int ret;

	if (ctl_parse_u64(text, &name) || !name || name > UINT32_MAX)
		return ctl_usage_error(usage, "bad flink name '%s'", text);
	bo->name = (uint32_t)name;
	bo->fd = ctl_open(ctl_device_path ? 0 : VVRAM_OPEN_PRIMARY);
	if (bo->fd < 0)
		return 1;
	ret = vvram_bo_open_name(bo->fd, bo->name, &bo->handle, &bo->size_bytes);
	if (ret) {
		vvram_close(bo->fd);
		if (ret == -ENOENT)
			return ctl_error(0, "no BO has flink name %u (is its 'vvramctl alloc' still holding it?)",
					 bo->name);
		return ctl_error(ret, "opening BO by flink name %u", bo->name);
	}
	return 0;
}

static void close_named(struct named_bo *bo)
{
	vvram_bo_close(bo->fd, bo->handle);
	vvram_close(bo->fd);
}

static int map_named(struct named_bo *bo, int prot, void **map)
{
	int ret = vvram_bo_mmap(bo->fd, bo->handle, bo->size_bytes, prot, map);

	if (ret == -EPERM)
		return ctl_error(0, "BO %u was created with no CPU access; it cannot be mapped",
				 bo->name);
	if (ret)
		return ctl_error(ret, "mapping BO %u", bo->name);
	return 0;
}

int cmd_fill(int argc, char **argv)
{
	struct named_bo bo;
	uint64_t seed;
	void *map;
	int ret;

	ret = no_options(argc, argv, fill_usage, 2);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (ctl_parse_u64(argv[optind + 1], &seed))
		return ctl_usage_error(fill_usage, "bad seed '%s'", argv[optind + 1]);
	ret = open_named(argv[optind], fill_usage, &bo);
	if (ret)
		return ret;
	ret = map_named(&bo, PROT_READ | PROT_WRITE, &map);
	if (!ret) {
		char size_text[32];

		vvram_pattern_fill(map, bo.size_bytes, seed);
		munmap(map, bo.size_bytes);
		printf("filled BO %u (%s) with pattern %llu\n", bo.name,
		       ctl_format_size(bo.size_bytes, size_text, sizeof(size_text)),
		       (unsigned long long)seed);
	}
	close_named(&bo);
	return ret;
}

int cmd_verify(int argc, char **argv)
{
	const char *what = NULL;
	char size_text[32];
	struct named_bo bo;
	uint64_t seed = 0, bad = 0;
	bool zero;
	void *map;
	int ret, check;

	ret = no_options(argc, argv, verify_usage, 2);
	if (ret)
		return ret < 0 ? 0 : ret;
	what = argv[optind + 1];
	zero = !strcmp(what, "zero");
	if (!zero && ctl_parse_u64(what, &seed))
		return ctl_usage_error(verify_usage, "bad seed '%s'", what);
	ret = open_named(argv[optind], verify_usage, &bo);
	if (ret)
		return ret;
	ret = map_named(&bo, PROT_READ, &map);
	if (ret) {
		close_named(&bo);
		return ret;
	}
	if (zero)
		check = vvram_check_bytes(map, bo.size_bytes, 0, &bad);
	else
		check = vvram_pattern_check(map, bo.size_bytes, seed, &bad);
	ctl_format_size(bo.size_bytes, size_text, sizeof(size_text));
	if (check) {
		ret = ctl_error(0, "BO %u: byte %llu of %s is %#x, expected %#x (%s)",
				bo.name, (unsigned long long)bad, size_text,
				((const uint8_t *)map)[bad],
				zero ? 0 : vvram_pattern_expected(seed, bad),
				zero ? "zero" : "pattern");
	} else {
		printf("verified BO %u (%s): %s\n", bo.name, size_text,
		       zero ? "all zero" : "pattern matches");
	}
	munmap(map, bo.size_bytes);
	close_named(&bo);
	return ret;
}

int cmd_migrate(int argc, char **argv)
{
	struct named_bo bo;
	uint32_t domain;
	int ret;

	ret = no_options(argc, argv, migrate_usage, 2);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (ctl_parse_domains(argv[optind + 1], &domain) ||
	    (domain & (domain - 1)))
		return ctl_usage_error(migrate_usage, "bad domain '%s' (one of vram, gtt, cpu)",
				       argv[optind + 1]);
	ret = open_named(argv[optind], migrate_usage, &bo);
	if (ret)
		return ret;
	ret = vvram_bo_migrate(bo.fd, bo.handle, domain);
	if (ret)
		ret = ctl_error(ret, "migrating BO %u to %s", bo.name,
				ctl_domain_name(domain));
	else
		ret = ctl_print_bo(bo.fd, bo.handle, bo.name);
	close_named(&bo);
	return ret;
}
