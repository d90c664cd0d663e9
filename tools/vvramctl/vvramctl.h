/* SPDX-License-Identifier: MIT */
/*
 * vvramctl: the command-line tool on libvvram. One file per subcommand;
 * this header holds what they share.
 */
#ifndef VVRAMCTL_H
#define VVRAMCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "vvram.h"

/* Exit statuses: 0 success, 1 the operation failed, 2 bad usage. */
#define EXIT_USAGE 2

/* The node given with -d, or NULL to search for the vvram device. */
extern const char *ctl_device_path;

/* Open the device, printing why on failure (returns -1 then). */
int ctl_open(unsigned int flags);
/* Open the device and QUERY its memory regions; -1 after printing why. */
int ctl_open_query(struct vvram_memory *mem);

/* "4096", "64K", "16M", "1G", "0x1000": 0 on success, -EINVAL or -ERANGE. */
int ctl_parse_size(const char *text, uint64_t *bytes);
/* A plain unsigned number (decimal or 0x hex). */
int ctl_parse_u64(const char *text, uint64_t *value);
/* "vram", "gtt", "cpu" or a list such as "vram,gtt". */
int ctl_parse_domains(const char *text, uint32_t *domains);
/* "vram", "gtt", "cpu": the name of one domain bit. */
const char *ctl_domain_name(uint32_t domain);
/* "16 MiB", "4 KiB", "1234 B": a human size with exact units. */
const char *ctl_format_size(uint64_t bytes, char *buf, unsigned int len);

/* Print an error "vvramctl: <what>: <strerror>" and return 1. */
int ctl_error(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print a usage error and the subcommand's usage; return EXIT_USAGE. */
int ctl_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_info(int argc, char **argv);
int cmd_alloc(int argc, char **argv);
int cmd_fill(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_capture(int argc, char **argv);

/* Print one BO's placement as alloc does (for alloc and migrate). */
int ctl_print_bo(int fd, uint32_t handle, uint32_t name);

#endif /* VVRAMCTL_H */
