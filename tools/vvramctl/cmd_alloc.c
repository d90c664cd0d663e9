// SPDX-License-Identifier: MIT
/*
 * vvramctl alloc: create BOs, show where they landed, hold them.
 *
 * BOs live as long as a handle to them does, so alloc keeps its handles
 * open while it holds; other vvramctl commands reach the BOs through the
 * flink names it prints.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vvramctl.h"

static const char alloc_usage[] =
"usage: vvramctl alloc [OPTIONS] SIZE...\n"
"\n"
"Create one buffer object per SIZE, print its placement and flink name, then\n"
"hold them all until a line is read from stdin, SIGINT/SIGTERM arrives, or\n"
"the --hold time is up. The end of stdin releases only on a terminal (Ctrl-D),\n"
"so 'vvramctl alloc 16M </dev/null &' holds until killed.\n"
"\n"
"Options:\n"
"  -D, --domain DOMAINS   vram, gtt, cpu, or a list like vram,gtt (default vram)\n"
"  -c, --contiguous       one physically contiguous VRAM range\n"
"  -v, --cpu-access       placed inside the CPU-visible window\n"
"  -n, --no-cpu-access    never CPU-mapped; placed top-down outside the window\n"
"  -a, --align SIZE       alignment of the VRAM placement (a power of two)\n"
"  -p, --pin              pin each BO in its first domain (never evicted; the\n"
"                         CPU cannot touch a BO pinned outside the window)\n"
"  -f, --fill SEED        fill each BO with pattern SEED+i (i = 0, 1, ...)\n"
"  -t, --hold SECONDS     hold for at most SECONDS (0: release at once)\n"
"  -h, --help             this help\n";

static volatile sig_atomic_t release_signal;

static void on_release_signal(int sig)
{
	release_signal = sig;
}

/* Wait for Enter, a signal or the deadline (hold_s < 0: no deadline). */
static void hold(long hold_s)
{
	static const int release_signals[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_release_signal };
	struct pollfd stdin_poll = { .fd = STDIN_FILENO, .events = POLLIN };
	bool stdin_is_tty = isatty(STDIN_FILENO);
	bool watch_stdin = true;
	struct timespec deadline, now, left;
	sigset_t blocked, unblocked;
	size_t i;

	if (hold_s == 0)
		return;
	/*
	 * The signals stay blocked except inside ppoll(), so one that arrives
	 * between the check of release_signal and the wait still ends it.
	 */
	sigemptyset(&blocked);
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(release_signals) / sizeof(release_signals[0]); i++) {
		sigaddset(&blocked, release_signals[i]);
		sigaction(release_signals[i], &sa, NULL);
	}
	sigprocmask(SIG_BLOCK, &blocked, &unblocked);
	if (hold_s > 0)
		printf("holding for %ld s, or until Enter or SIGINT/SIGTERM (pid %d)\n",
		       hold_s, (int)getpid());
	else
		printf("holding until Enter or SIGINT/SIGTERM (pid %d)\n",
		       (int)getpid());

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += hold_s;
	while (!release_signal) {
		struct timespec *timeout = NULL;
		char line[64];

		if (hold_s > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left.tv_sec = deadline.tv_sec - now.tv_sec;
			left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
			if (left.tv_nsec < 0) {
				left.tv_sec--;
				left.tv_nsec += 1000000000L;
			}
			if (left.tv_sec < 0)
				break;
			timeout = &left;
		}
		if (ppoll(&stdin_poll, watch_stdin ? 1 : 0, timeout,
			  &unblocked) <= 0)
			continue;
		/*
		 * Enter releases, and so does Ctrl-D on a terminal; the end of
		 * a file or pipe only stops the watching, so that
		 * "vvramctl alloc ... </dev/null &" holds.
		 */
		if (fgets(line, sizeof(line), stdin)) {
			if (strchr(line, '\n'))
				break;
		} else if (stdin_is_tty) {
			break;
		} else {
			watch_stdin = false;
		}
	}
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
	if (release_signal)
		printf("released by signal %d (%s)\n", (int)release_signal,
		       strsignal(release_signal));
	else
		printf("released\n");
}

int ctl_print_bo(int fd, uint32_t handle, uint32_t name)
{
	struct vvram_bo_info info;
	char size_text[32], name_text[16];
	uint32_t i;
	int ret;

	ret = vvram_bo_info(fd, handle, &info);
	if (ret) {
		vvram_bo_info_fini(&info);
		return ctl_error(ret, "info of BO %u", handle);
	}
	if (name)
		snprintf(name_text, sizeof(name_text), "%u", name);
	else
		snprintf(name_text, sizeof(name_text), "-");
	printf("bo name %s handle %u: %s in %s", name_text, handle,
	       ctl_format_size(info.size_bytes, size_text, sizeof(size_text)),
	       ctl_domain_name(info.domain));
	if (info.domain == VVRAM_GEM_DOMAIN_VRAM)
		printf(" at %#llx, %u block%s", (unsigned long long)info.address,
		       info.block_count, info.block_count == 1 ? "" : "s");
	if (info.flags & VVRAM_GEM_INFO_CONTIGUOUS)
		printf(", contiguous");
	if (info.flags & VVRAM_GEM_INFO_CPU_VISIBLE)
		printf(", cpu-visible");
	if (info.create_flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS)
		printf(", no-cpu-access");
	if (info.flags & VVRAM_GEM_INFO_PINNED)
		printf(", pinned");
	printf("\n");
	/* Enough blocks to see the shape; the rest only as a count. */
	for (i = 0; i < info.block_count && i < 8; i++)
		printf("    block %#12llx .. %#12llx  %s\n",
		       (unsigned long long)info.blocks[i].address,
		       (unsigned long long)(info.blocks[i].address +
					    info.blocks[i].size_bytes),
		       ctl_format_size(info.blocks[i].size_bytes, size_text,
				       sizeof(size_text)));
	if (info.block_count > 8)
		printf("    ... %u more blocks\n", info.block_count - 8);
	vvram_bo_info_fini(&info);
	return 0;
}

static int fill_bo(int fd, uint32_t handle, uint64_t size_bytes, uint64_t seed)
{
	void *map;
	int ret;

	ret = vvram_bo_mmap(fd, handle, size_bytes, PROT_READ | PROT_WRITE, &map);
	if (ret)
		return ctl_error(ret, "mapping BO %u to fill it", handle);
	vvram_pattern_fill(map, size_bytes, seed);
	munmap(map, size_bytes);
	return 0;
}

struct alloc_options {
	struct vvram_bo_params params;
	bool pin;
	bool fill;
	uint64_t seed;
	long hold_s;
};

static int parse_options(int argc, char **argv, struct alloc_options *o)
{
	static const struct option options[] = {
		{ "domain", required_argument, NULL, 'D' },
		{ "contiguous", no_argument, NULL, 'c' },
		{ "cpu-access", no_argument, NULL, 'v' },
		{ "no-cpu-access", no_argument, NULL, 'n' },
		{ "align", required_argument, NULL, 'a' },
		{ "pin", no_argument, NULL, 'p' },
		{ "fill", required_argument, NULL, 'f' },
		{ "hold", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t value;
	int opt;

	o->params.domains = VVRAM_GEM_DOMAIN_VRAM;
	o->hold_s = -1;
	while ((opt = getopt_long(argc, argv, "D:cvna:pf:t:h", options,
				  NULL)) != -1) {
		switch (opt) {
		case 'D':
			if (ctl_parse_domains(optarg, &o->params.domains))
				return ctl_usage_error(alloc_usage, "bad domain list '%s'", optarg);
			break;
		case 'c':
			o->params.flags |= VVRAM_GEM_CREATE_CONTIGUOUS;
			break;
		case 'v':
			o->params.flags |= VVRAM_GEM_CREATE_CPU_ACCESS_REQUIRED;
			break;
		case 'n':
			o->params.flags |= VVRAM_GEM_CREATE_NO_CPU_ACCESS;
			break;
		case 'a':
			if (ctl_parse_size(optarg, &o->params.alignment_bytes))
				return ctl_usage_error(alloc_usage, "bad alignment '%s'", optarg);
			break;
		case 'p':
			o->pin = true;
			break;
		case 'f':
			if (ctl_parse_u64(optarg, &o->seed))
				return ctl_usage_error(alloc_usage, "bad seed '%s'", optarg);
			o->fill = true;
			break;
		case 't':
			if (ctl_parse_u64(optarg, &value) || value > 86400 * 365)
				return ctl_usage_error(alloc_usage, "bad hold time '%s'", optarg);
			o->hold_s = (long)value;
			break;
		case 'h':
			fputs(alloc_usage, stdout);
			exit(0);
		default:
			fputs(alloc_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return ctl_usage_error(alloc_usage, "no SIZE given");
	if ((o->params.flags & VVRAM_GEM_CREATE_NO_CPU_ACCESS) && o->fill)
		return ctl_usage_error(alloc_usage, "--fill needs CPU access, not --no-cpu-access");
	return 0;
}

/* The lowest domain bit of a mask: where --pin puts the BO. */
static uint32_t first_domain(uint32_t domains)
{
	return domains & -domains;
}

int cmd_alloc(int argc, char **argv)
{
	struct alloc_options o = { 0 };
	uint32_t *handles, count = 0;
	int fd, ret, status = 0;
	int i, first_size;

	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret;
	first_size = optind;
	/* Check every size before creating anything. */
	for (i = first_size; i < argc; i++) {
		uint64_t size;

		if (ctl_parse_size(argv[i], &size) || !size)
			return ctl_usage_error(alloc_usage, "bad size '%s'", argv[i]);
	}

	/* flink needs the primary node; without one, alloc still works. */
	fd = ctl_open(ctl_device_path ? 0 : VVRAM_OPEN_PRIMARY);
	if (fd < 0)
		return 1;
	handles = calloc((size_t)(argc - first_size), sizeof(*handles));
	if (!handles) {
		vvram_close(fd);
		return ctl_error(ENOMEM, "alloc");
	}

	for (i = first_size; i < argc && !status; i++) {
		uint32_t handle, name = 0;

		ctl_parse_size(argv[i], &o.params.size_bytes);
		ret = vvram_bo_create(fd, &o.params, &handle);
		if (ret) {
			status = ctl_error(ret, "creating a BO of %s", argv[i]);
			break;
		}
		handles[count++] = handle;
		/* Fill first: a BO pinned outside the visible window cannot be
		 * touched by the CPU, while pinning keeps the data it moves.
		 */
		if (o.fill)
			status = fill_bo(fd, handle, o.params.size_bytes,
					 o.seed + (uint64_t)(i - first_size));
		if (!status && o.pin) {
			ret = vvram_bo_pin(fd, handle, first_domain(o.params.domains));
			if (ret)
				status = ctl_error(ret, "pinning BO %u", handle);
		}
		if (vvram_bo_flink(fd, handle, &name))
			name = 0;
		if (!status)
			status = ctl_print_bo(fd, handle, name);
	}
	if (!status)
		hold(o.hold_s);
	/* Closing the fd would drop them too; be explicit for the reader. */
	while (count)
		vvram_bo_close(fd, handles[--count]);
	free(handles);
	vvram_close(fd);
	return status;
}
