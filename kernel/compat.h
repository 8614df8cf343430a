/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces that differ between the releases sleepproxy builds
 * on (5.15 to mainline).  Everything version-dependent lives here.
 */

#ifndef _SP_COMPAT_H
#define _SP_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/* 6.1 rejects stray header flags for commands from this one on. */
#if KERNEL_VERSION(6, 1, 0) <= LINUX_VERSION_CODE
#define SP_GENL_RESV_START_OP(op)	.resv_start_op = (op),
#else
#define SP_GENL_RESV_START_OP(op)
#endif

/*
 * 6.0 added a helper that also marks the missing attribute; before it, a
 * presence test.  Callers add the message that says which one it is.
 */
#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr)	(!(info)->attrs[attr])
#endif

/* 6.2 moved the parsed attributes of a dump into a struct genl_info. */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define sp_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define sp_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/* 6.2 named del_timer_sync() timer_delete_sync(). */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define sp_timer_delete_sync(t)	timer_delete_sync(t)
#else
#define sp_timer_delete_sync(t)	del_timer_sync(t)
#endif

/* 6.16 named from_timer() timer_container_of(); both are macros. */
#ifdef timer_container_of
#define sp_from_timer(var, t, field)	timer_container_of(var, t, field)
#else
#define sp_from_timer(var, t, field)	from_timer(var, t, field)
#endif

#endif /* _SP_COMPAT_H */
