// SPDX-License-Identifier: MIT
/*
 * vvramctl map: VRAM occupancy as text, from debugfs.
 */
#include <stdio.h>

#include "vvramctl.h"

int cmd_map(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ctl_error(0, "map: not yet");
}
