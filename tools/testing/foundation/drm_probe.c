// SPDX-License-Identifier: MIT
/*
 * drm_probe: report the DRM nodes (/dev/dri/card* and renderD*) whose
 * driver, as DRM_IOCTL_VERSION reports it through libdrm, is DRIVER.
 *
 * usage: drm_probe DRIVER          exit 0 if it has a card and a render node
 *        drm_probe --absent DRIVER exit 0 if it has no node at all
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

static bool node_has_driver(const char *path, const char *driver)
{
	drmVersionPtr version;
	bool match;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "drm_probe: open %s: %s\n", path, strerror(errno));
		return false;
	}
	version = drmGetVersion(fd);
	match = version && strcmp(version->name, driver) == 0;
	if (version)
		printf("# %s: driver %s %d.%d.%d\n", path, version->name,
		       version->version_major, version->version_minor,
		       version->version_patchlevel);
	drmFreeVersion(version);
	close(fd);
	return match;
}

int main(int argc, char **argv)
{
	bool absent = argc == 3 && strcmp(argv[1], "--absent") == 0;
	const char *driver = argv[argc - 1];
	int cards = 0, renders = 0;
	struct dirent *entry;
	char path[300];
	DIR *dir;

	if (argc != 2 && !absent) {
		fprintf(stderr, "usage: drm_probe [--absent] DRIVER\n");
		return 2;
	}
	dir = opendir("/dev/dri");
	while (dir && (entry = readdir(dir))) {
		bool card = strncmp(entry->d_name, "card", 4) == 0;
		bool render = strncmp(entry->d_name, "renderD", 7) == 0;

		if (!card && !render)
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", entry->d_name);
		if (!node_has_driver(path, driver))
			continue;
		cards += card;
		renders += render;
	}
	if (dir)
		closedir(dir);
	printf("# driver %s: %d card node(s), %d render node(s)\n",
	       driver, cards, renders);
	if (absent)
		return cards + renders == 0 ? 0 : 1;
	return cards > 0 && renders > 0 ? 0 : 1;
}
