// SPDX-License-Identifier: MIT
/*
 * vvramctl: inspect and exercise the vvram device from the shell.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vvramctl.h"

const char *ctl_device_path;

static const char main_usage[] =
"usage: vvramctl [-d NODE] COMMAND [ARGS]\n"
"\n"
"Inspect and exercise the vvram DRM device (found by driver name).\n"
"\n"
"Commands:\n"
"  info                    memory regions: VRAM, visible window, GTT\n"
"  alloc [OPTIONS] SIZE... create buffer objects, show where they landed,\n"
"                          then hold them until Enter, a signal or a timeout\n"
"  fill NAME SEED          write pattern SEED into the BO with flink NAME\n"
"  verify NAME SEED|zero   check that BO NAME holds pattern SEED (or zeros)\n"
"  migrate NAME DOMAIN     move BO NAME to vram, gtt or cpu, keeping its data\n"
"  map [-w WIDTH]          VRAM occupancy as text (from debugfs)\n"
"  capture [--crtc N] FILE save what CRTC N shows as a PNG (writeback)\n"
"\n"
"Options:\n"
"  -d, --device NODE       use this DRM node (default: $VVRAM_DEVICE, else\n"
"                          the first /dev/dri node whose driver is vvram)\n"
"  -h, --help              this help; 'vvramctl COMMAND -h' for a command\n"
"\n"
"Sizes take K, M, G suffixes (binary: 16M = 16 MiB). BOs are shared between\n"
"commands by flink name, which alloc prints; they live while alloc holds them.\n"
"Exit status: 0 success, 1 failure (including a failed verify), 2 bad usage.\n";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "info", cmd_info },
	{ "alloc", cmd_alloc },
	{ "fill", cmd_fill },
	{ "verify", cmd_verify },
	{ "migrate", cmd_migrate },
	{ "map", cmd_map },
	{ "capture", cmd_capture },
};

int ctl_error(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("vvramctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err < 0 ? -err : err));
	fputc('\n', stderr);
	return 1;
}

int ctl_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("vvramctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int ctl_open_query(struct vvram_memory *mem)
{
	int fd = ctl_open(0), ret;

	if (fd < 0)
		return -1;
	ret = vvram_query_memory(fd, mem);
	if (ret) {
		vvram_close(fd);
		ctl_error(ret, "memory region query");
		return -1;
	}
	return fd;
}

int ctl_open(unsigned int flags)
{
	int fd;

	if (ctl_device_path)
		fd = vvram_open_path(ctl_device_path);
	else
		fd = vvram_open(flags);
	if (fd == -ENODEV) {
		if (ctl_device_path)
			ctl_error(0, "%s is not a vvram device", ctl_device_path);
		else
			ctl_error(0, "no vvram device in /dev/dri (is the vvram module loaded?)");
		return -1;
	}
	if (fd < 0) {
		ctl_error(fd, "cannot open the vvram device%s%s",
			  ctl_device_path ? " " : "",
			  ctl_device_path ? ctl_device_path : "");
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int opt;

	/* Scripts read alloc's output while it holds the BOs. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* '+': stop at the command, whose options are its own. */
	while ((opt = getopt_long(argc, argv, "+d:h", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			ctl_device_path = optarg;
			break;
		case 'h':
			fputs(main_usage, stdout);
			return 0;
		default:
			fputs(main_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return ctl_usage_error(main_usage, "no command given");

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			argv += optind;
			argc -= optind;
			/* 0 makes glibc restart getopt: commands parse argv[1..]. */
			optind = 0;
			return commands[i].run(argc, argv);
		}
	}
	if (!strcmp(argv[optind], "help")) {
		fputs(main_usage, stdout);
		return 0;
	}
	return ctl_usage_error(main_usage, "unknown command '%s'", argv[optind]);
}
