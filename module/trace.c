// SPDX-License-Identifier: GPL-2.0
/* Instantiates oomhook's tracepoints. */
#define CREATE_TRACE_POINTS
#include "oomhook_trace.h"
