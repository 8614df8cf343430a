/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_FILTER_H
#define _SP_FILTER_H

#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/log2.h>
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
 * @bits: log2 of the number of slots (bits), more than SP_FILTER_WORD_BITS
 * @slot: one bit per slot
 *
 * The (interface, MAC) of every host that was not awake when it was
 * built, and every proxied (interface, address), set two bits each, in
 * one word.  A clear one means the key is in neither table (or its host
 * is awake), and the hook is done with a frame after two multiplications
 * and one load instead of a keyed hash and a bucket.  Both set proves
 * nothing: the tables are asked.  Two bits a key make that about a third
 * as likely for an absent key as one bit would, for the same size and
 * the same load.  The slots are not a hash table, so keys that collide on
 * purpose cost what every frame cost without the filter, no more.  Bits
 * are never cleared: removed keys are counted and the filter is built
 * again when they outnumber the live ones, or when it is too full or too
 * empty, and a second after hosts woke (sp_filter_woken()).
 */
struct sp_filter {
	struct rcu_head rcu;
	u64 seed;
	u32 bits;
	unsigned long slot[];
};

/* log2(BITS_PER_LONG): the bits of a hash that choose a bit in a word. */
#define SP_FILTER_WORD_BITS	ilog2(BITS_PER_LONG)

/* Odd constants with no pattern in their bits (SplitMix64's). */
#define SP_FILTER_IFINDEX_MUL	0xbf58476d1ce4e5b9ULL
#define SP_FILTER_MIX_MUL	0x94d049bb133111ebULL

/*
 * @x spread over 64 bits.  Keys are counted up (a subnet's addresses, a
 * vendor's MACs), and the top bits of one multiplication keep patterns
 * that, with two bits a key, let up to 1 in 6 absent keys of such a run
 * through, depending on the seed.  A second multiplication, after the
 * high half is folded onto the low one, does not (about 1 in 60
 * throughout).  Two 64-bit multiplications cost the same on every
 * architecture, where the high half of a 128-bit product is one
 * instruction on some and four multiplications on others.
 */
static inline u64 sp_filter_mix(u64 x)
{
	u64 h = x * GOLDEN_RATIO_64;

	return (h ^ (h >> 32)) * SP_FILTER_MIX_MUL;
}

/*
 * Where @word's two bits are: the top bits of its hash choose a bit in a
 * word twice, the bits after them the word.  Returns the word's index.
 */
static inline unsigned long sp_filter_pos(const struct sp_filter *f,
					  u64 word, unsigned long *mask)
{
	u64 h = sp_filter_mix(word ^ f->seed);

	*mask = BIT(h >> (64 - SP_FILTER_WORD_BITS)) |
		BIT((h >> (64 - 2 * SP_FILTER_WORD_BITS)) &
		    (BITS_PER_LONG - 1));
	return (h << 2 * SP_FILTER_WORD_BITS) >>
	       (64 + SP_FILTER_WORD_BITS - f->bits);
}

/*
 * Sets @word's two bits: a word at a time, so that readers see it before
 * or after, never torn.  Context: &sp_net.lock held, or @f not published.
 */
static inline void sp_filter_set(struct sp_filter *f, u64 word)
{
	unsigned long i, mask;

	i = sp_filter_pos(f, word, &mask);
	WRITE_ONCE(f->slot[i], f->slot[i] | mask);
}

/*
 * The key of a filter slot: the MAC or the address folded into 64 bits,
 * plus the interface multiplied by a constant (an exact collision needs
 * keys that differ by a multiple of it: not a subnet's neighbours on two
 * interfaces).  IPv4 keys are tagged above the MACs' 48 bits.
 */
static inline u64 sp_filter_ifindex(int ifindex)
{
	return (u64)(u32)ifindex * SP_FILTER_IFINDEX_MUL;
}

static inline u64 sp_filter_mac_word(int ifindex, const u8 *mac)
{
	return ((u64)get_unaligned((const u16 *)mac) << 32 |
		get_unaligned((const u32 *)(mac + 2))) +
	       sp_filter_ifindex(ifindex);
}

static inline u64 sp_filter_ipv4_word(int ifindex, __be32 addr)
{
	return (4ULL << 48 | (__force u32)addr) + sp_filter_ifindex(ifindex);
}

/* The prefix folded onto the interface identifier. */
static inline u64 sp_filter_ipv6_word(int ifindex, const struct in6_addr *a)
{
	return ((u64)(__force u32)(a->s6_addr32[0] ^ a->s6_addr32[2]) << 32 |
		(__force u32)(a->s6_addr32[1] ^ a->s6_addr32[3])) +
	       sp_filter_ifindex(ifindex);
}

/*
 * May @word be in the tables?  With no filter (there was no memory for
 * one) it may.  Context: RCU read-side critical section (@f from
 * rcu_dereference()).
 */
static inline bool sp_filter_maybe(const struct sp_filter *f, u64 word)
{
	unsigned long i, mask;

	if (unlikely(!f))
		return true;
	i = sp_filter_pos(f, word, &mask);
	return (READ_ONCE(f->slot[i]) & mask) == mask;
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
