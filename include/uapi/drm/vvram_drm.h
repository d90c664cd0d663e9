/* SPDX-License-Identifier: MIT */
/*
 * vvram UAPI (work in progress: the ioctls are added in the next commit).
 */
#ifndef _UAPI_VVRAM_DRM_H_
#define _UAPI_VVRAM_DRM_H_

#include "drm.h"

#endif /* _UAPI_VVRAM_DRM_H_ */
