/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces that differ between the releases sleepproxy
 * supports: 6.1 (Debian 12) to 6.12 (Debian 13), both built, sparse-checked
 * and tested by `make check`.  Everything version-dependent lives here,
 * each difference once, with the release that made it.
 */

#ifndef _SP_COMPAT_H
#define _SP_COMPAT_H

#include <linux/version.h>
#include <linux/timer.h>
#include <net/genetlink.h>

/*
 * Nothing older is built or tested, and the module uses what 6.1 brought
 * without a fallback: genetlink's resv_start_op (6.1) and
 * GENL_REQ_ATTR_CHECK() (6.0).
 */
#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "sleepproxy needs Linux 6.1 or later"
#endif

/* 6.2 moved the parsed attributes of a dump into a struct genl_info. */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define sp_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define sp_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * 6.2 named del_timer_sync() timer_delete_sync() (later 6.1 stable
 * releases have both names).
 */
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
#define sp_timer_delete_sync(t)	timer_delete_sync(t)
#else
#define sp_timer_delete_sync(t)	del_timer_sync(t)
#endif

/*
 * 6.16 named from_timer() timer_container_of(); both are macros.  Newer
 * than 6.12 is not built here: this follows the rename by its name.
 */
#ifdef timer_container_of
#define sp_from_timer(var, t, field)	timer_container_of(var, t, field)
#else
#define sp_from_timer(var, t, field)	from_timer(var, t, field)
#endif

#endif /* _SP_COMPAT_H */
