/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_FILTER_H
#define _SP_FILTER_H

#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <net/ipv6.h>

struct sp_host;
struct sp_host_cfg;
struct sp_net;

/**
 * struct sp_filter - the keys that may be in a namespace's tables
 * @rcu: freed after a grace period
 * @seed: random, chosen when the filter is built
 * @bits: log2 of the number of slots
 * @slot: one bit per slot
 *
 * The (interface, MAC) of every host that was not awake when it was
 * built, and every proxied (interface, address), set one bit each.  A
 * clear bit means the key is in neither table (or its host is awake), and
 * the hook is done with a frame after a multiplication instead of a keyed
 * hash and a bucket.  A set bit proves nothing: the tables are asked.
 * The slots are not a hash table, so keys that collide on purpose cost
 * what every frame cost without the filter, no more.  Bits are never
 * cleared: removed keys are counted and the filter is built again when
 * they outnumber the live ones, or when it is too full or too empty, and
 * a second after hosts woke (sp_filter_woken()).
 */
struct sp_filter {
	struct rcu_head rcu;
	u32 seed;
	u32 bits;
	unsigned long slot[];
};

/*
 * The key of a filter slot, folded into one word, then spread by the
 * multiplicative hash.  The MAC's last four bytes carry most of its
 * entropy; the first two are folded in shifted.
 */
static inline u32 sp_filter_mac_word(int ifindex, const u8 *mac)
{
	return get_unaligned((const u32 *)(mac + 2)) ^
	       ((u32)get_unaligned((const u16 *)mac) << 7) ^ (u32)ifindex;
}

static inline u32 sp_filter_ipv4_word(int ifindex, __be32 addr)
{
	return (__force u32)addr ^ ((u32)ifindex << 16) ^ 4;
}

static inline u32 sp_filter_ipv6_word(int ifindex, const struct in6_addr *a)
{
	return (__force u32)(a->s6_addr32[0] ^ a->s6_addr32[1] ^
			     a->s6_addr32[2] ^ a->s6_addr32[3]) ^
	       ((u32)ifindex << 16) ^ 6;
}

/*
 * May @word be in the tables?  With no filter (there was no memory for
 * one) it may.  Context: RCU read-side critical section (@f from
 * rcu_dereference()).
 */
static inline bool sp_filter_maybe(const struct sp_filter *f, u32 word)
{
	return unlikely(!f) ||
	       test_bit(hash_32(word ^ f->seed, f->bits), f->slot);
}

/*
 * May the IPv4 packet @skb (network header set) be for a proxied address
 * on @ifindex?  Asked by the hooks before anything is called: most
 * packets are not, and are done with here, reading the destination in
 * place.  One whose header is not all in the linear part may be (the
 * handler reads it, or finds it truncated).
 */
static inline bool sp_filter_maybe_ipv4(const struct sp_filter *f,
					const struct sk_buff *skb,
					int ifindex)
{
	int off = skb_network_offset(skb) + offsetof(struct iphdr, daddr);

	if (unlikely(off < 0 || skb_headlen(skb) < off + sizeof(__be32)))
		return true;
	return sp_filter_maybe(f, sp_filter_ipv4_word(ifindex,
		get_unaligned((const __be32 *)(skb->data + off))));
}

/*
 * The same for IPv6, where multicast may be Neighbour Discovery about a
 * proxied address (sp_ipv6_rcv() decides).
 */
static inline bool sp_filter_maybe_ipv6(const struct sp_filter *f,
					const struct sk_buff *skb,
					int ifindex)
{
	int off = skb_network_offset(skb) + offsetof(struct ipv6hdr, daddr);
	const struct in6_addr *daddr;

	if (unlikely(off < 0 ||
		     skb_headlen(skb) < off + sizeof(struct in6_addr)))
		return true;
	daddr = (const struct in6_addr *)(skb->data + off);
	return ipv6_addr_is_multicast(daddr) ||
	       sp_filter_maybe(f, sp_filter_ipv6_word(ifindex, daddr));
}

void sp_filter_init(struct sp_net *spn);
void sp_filter_add(struct sp_net *spn, const struct sp_host *host,
		   const struct sp_host_cfg *cfg, const struct sp_host_cfg *old);
void sp_filter_forget(struct sp_net *spn, unsigned int n);
void sp_filter_woken(struct sp_net *spn);
void sp_filter_free(struct sp_net *spn);

#endif /* _SP_FILTER_H */
