// SPDX-License-Identifier: MIT
/*
 * Finding and opening the vvram DRM device, and the files the kernel
 * publishes next to it (sysfs attributes, the debugfs directory).
 *
 * The device is found by driver name, never by node number: on a real
 * machine the vvram nodes sit next to those of the real GPUs, and the
 * minor numbers depend on the probe order.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vvram.h"

#define DRI_DIR "/dev/dri"
#define DEBUGFS_DRI_DIR "/sys/kernel/debug/dri"

int vvram_ioctl(int fd, unsigned long request, void *arg)
{
	/* drmIoctl() already restarts on EINTR and EAGAIN. */
	if (drmIoctl(fd, request, arg))
		return -errno;
	return 0;
}

/* Whether @fd is a DRM node of driver @driver (DRM_IOCTL_VERSION). */
static int is_driver(int fd, const char *driver)
{
	drmVersionPtr version = drmGetVersion(fd);
	int match;

	if (!version)
		return 0;
	match = version->name && !strcmp(version->name, driver);
	drmFreeVersion(version);
	return match;
}

int vvram_is_vvram(int fd)
{
	return is_driver(fd, VVRAM_DRIVER_NAME);
}

static int open_node(const char *path, const char *driver)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (!is_driver(fd, driver)) {
		close(fd);
		errno = ENODEV;
		return -ENODEV;
	}
	return fd;
}

int vvram_open_path(const char *path)
{
	return open_node(path, VVRAM_DRIVER_NAME);
}

/* Node names of one kind ("renderD" or "card") in version order. */
static int node_filter_render(const struct dirent *d)
{
	return !strncmp(d->d_name, "renderD", 7);
}

static int node_filter_card(const struct dirent *d)
{
	return !strncmp(d->d_name, "card", 4);
}

/*
 * Open the first node of one kind whose driver is vvram. Returns the fd,
 * or -ENODEV if there is none; a node that exists but cannot be opened
 * (say EACCES) is remembered so that the caller can report the real cause
 * instead of a misleading "no device".
 */
static int open_first(int (*filter)(const struct dirent *), const char *driver,
		      int *open_err)
{
	struct dirent **names;
	int count, i, fd = -ENODEV;

	count = scandir(DRI_DIR, &names, filter, versionsort);
	if (count < 0)
		return -ENODEV;
	for (i = 0; i < count; i++) {
		char path[sizeof(DRI_DIR) + 256];

		if (fd < 0) {
			snprintf(path, sizeof(path), DRI_DIR "/%s", names[i]->d_name);
			fd = open_node(path, driver);
			if (fd < 0 && fd != -ENODEV && !*open_err)
				*open_err = fd;
		}
		free(names[i]);
	}
	free(names);
	return fd;
}

int vvram_open_driver(const char *driver, unsigned int flags)
{
	int open_err = 0;
	int fd = -ENODEV;

	if (flags & ~(VVRAM_OPEN_PRIMARY | VVRAM_OPEN_RENDER)) {
		errno = EINVAL;
		return -EINVAL;
	}
	if (!flags)
		flags = VVRAM_OPEN_RENDER | VVRAM_OPEN_PRIMARY;
	if (flags & VVRAM_OPEN_RENDER)
		fd = open_first(node_filter_render, driver, &open_err);
	if (fd < 0 && (flags & VVRAM_OPEN_PRIMARY))
		fd = open_first(node_filter_card, driver, &open_err);
	if (fd < 0) {
		fd = open_err ? open_err : -ENODEV;
		errno = -fd;
	}
	return fd;
}

int vvram_open(unsigned int flags)
{
	const char *forced = getenv("VVRAM_DEVICE");

	if (forced && *forced && !(flags & ~(VVRAM_OPEN_PRIMARY | VVRAM_OPEN_RENDER)))
		return vvram_open_path(forced);
	return vvram_open_driver(VVRAM_DRIVER_NAME, flags);
}

int vvram_close(int fd)
{
	if (close(fd))
		return -errno;
	return 0;
}

/* The sysfs directory of the DRM minor behind @fd: /sys/dev/char/M:m */
static int minor_sysfs_dir(int fd, char *buf, size_t len)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	snprintf(buf, len, "/sys/dev/char/%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	return 0;
}

int vvram_sysfs_read_u64(int fd, const char *attr, uint64_t *value)
{
	char path[512], text[64];
	unsigned long long parsed;
	char *end;
	ssize_t len;
	int ret, afd;

	ret = minor_sysfs_dir(fd, path, sizeof(path));
	if (ret)
		goto fail;
	if (strchr(attr, '/')) {
		ret = -EINVAL;
		goto fail;
	}
	snprintf(path + strlen(path), sizeof(path) - strlen(path),
		 "/device/%s", attr);
	afd = open(path, O_RDONLY | O_CLOEXEC);
	if (afd < 0) {
		ret = -errno;
		goto fail;
	}
	len = read(afd, text, sizeof(text) - 1);
	ret = len < 0 ? -errno : 0;
	close(afd);
	if (ret)
		goto fail;
	text[len] = '\0';
	errno = 0;
	parsed = strtoull(text, &end, 0);
	if (errno || end == text || (*end && *end != '\n')) {
		ret = -EPROTO;
		goto fail;
	}
	*value = parsed;
	return 0;
fail:
	errno = -ret;
	return ret;
}

/*
 * debugfs names its per-device directories after the primary minor, and
 * each holds a "name" file starting with the driver name. Search by that
 * name rather than computing the minor, which render nodes do not give.
 */
int vvram_debugfs_dir(char *buf, size_t len)
{
	struct dirent **names;
	int count, i, ret = -ENOENT;

	count = scandir(DEBUGFS_DRI_DIR, &names, NULL, versionsort);
	if (count < 0) {
		ret = errno == ENOENT ? -ENOENT : -errno;
		errno = -ret;
		return ret;
	}
	for (i = 0; i < count; i++) {
		char path[sizeof(DEBUGFS_DRI_DIR) + 256 + 8], name[64] = "";
		FILE *f;

		if (ret == 0 || names[i]->d_name[0] == '.')
			goto next;
		snprintf(path, sizeof(path), DEBUGFS_DRI_DIR "/%s/name",
			 names[i]->d_name);
		f = fopen(path, "re");
		if (!f)
			goto next;
		if (fgets(name, sizeof(name), f) &&
		    !strncmp(name, VVRAM_DRIVER_NAME " ",
			     strlen(VVRAM_DRIVER_NAME) + 1)) {
			if ((size_t)snprintf(buf, len, DEBUGFS_DRI_DIR "/%s",
					     names[i]->d_name) < len)
				ret = 0;
			else
				ret = -ENAMETOOLONG;
		}
		fclose(f);
next:
		free(names[i]);
	}
	free(names);
	if (ret)
		errno = -ret;
	return ret;
}
