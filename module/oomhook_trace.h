/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomhook's tracepoints: events/oomhook/ in tracefs, for perf and
 * trace-cmd ("trace-cmd record -e oomhook").
 *
 * Strings are copied into dynamic arrays by a helper: that works the same
 * on every kernel line we build for, unlike __assign_str(), whose
 * signature changed in 6.10.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM oomhook

#ifndef _OOMHOOK_TRACE_HELPERS
#define _OOMHOOK_TRACE_HELPERS
#include <linux/string.h>

static inline void oomhook_trace_copy(char *dst, const char *src)
{
	memcpy(dst, src, strlen(src) + 1);
}

#define oomhook_trace_str(field, src)					\
	oomhook_trace_copy(__get_dynamic_array(field), src)
#endif

#if !defined(_OOMHOOK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _OOMHOOK_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(oomhook_trigger,
	    TP_PROTO(const char *trigger),
	    TP_ARGS(trigger),
	    TP_STRUCT__entry(__dynamic_array(char, trigger,
					     strlen(trigger) + 1)),
	    TP_fast_assign(oomhook_trace_str(trigger, trigger);),
	    TP_printk("trigger=%s", __get_str(trigger))
);

TRACE_EVENT(oomhook_action,
	    TP_PROTO(u64 seq, const char *trigger, const char *policy,
		     const char *action, const char *victim, u64 bytes,
		     u64 latency_us, const char *outcome),
	    TP_ARGS(seq, trigger, policy, action, victim, bytes, latency_us,
		    outcome),
	    TP_STRUCT__entry(__field(u64, seq)
			     __dynamic_array(char, trigger, strlen(trigger) + 1)
			     __dynamic_array(char, policy, strlen(policy) + 1)
			     __dynamic_array(char, action, strlen(action) + 1)
			     __dynamic_array(char, victim, strlen(victim) + 1)
			     __field(u64, bytes)
			     __field(u64, latency_us)
			     __dynamic_array(char, outcome, strlen(outcome) + 1)),
	    TP_fast_assign(__entry->seq = seq;
			   oomhook_trace_str(trigger, trigger);
			   oomhook_trace_str(policy, policy);
			   oomhook_trace_str(action, action);
			   oomhook_trace_str(victim, victim);
			   __entry->bytes = bytes;
			   __entry->latency_us = latency_us;
			   oomhook_trace_str(outcome, outcome);),
	    TP_printk("seq=%llu trigger=%s policy=%s action=%s victim=%s bytes=%llu latency_us=%llu outcome=%s",
		      __entry->seq, __get_str(trigger), __get_str(policy),
		      __get_str(action), __get_str(victim), __entry->bytes,
		      __entry->latency_us, __get_str(outcome))
);

TRACE_EVENT(oomhook_fallback,
	    TP_PROTO(const char *reason),
	    TP_ARGS(reason),
	    TP_STRUCT__entry(__dynamic_array(char, reason,
					     strlen(reason) + 1)),
	    TP_fast_assign(oomhook_trace_str(reason, reason);),
	    TP_printk("reason=%s", __get_str(reason))
);

#endif /* _OOMHOOK_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE oomhook_trace
#include <trace/define_trace.h>
