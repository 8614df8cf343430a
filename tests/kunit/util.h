/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the sleepproxy KUnit suites. */

#ifndef _SP_KUNIT_UTIL_H
#define _SP_KUNIT_UTIL_H

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/prandom.h>
#include <linux/skbuff.h>

/* An skb holding @len bytes of @data from its network header on. */
static inline struct sk_buff *sp_test_skb(struct kunit *test,
					  const void *data, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_reset_network_header(skb);
	skb_put_data(skb, data, len);
	return skb;
}

/* The same with its first @head bytes linear and the rest in a page. */
static inline struct sk_buff *sp_test_skb_split(struct kunit *test,
						const void *data,
						unsigned int len,
						unsigned int head)
{
	struct sk_buff *skb = sp_test_skb(test, data, head);
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	memcpy(page_address(page), data + head, len - head);
	skb_add_rx_frag(skb, 0, page, 0, len - head, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, skb_headlen(skb), head);
	return skb;
}

static const u8 sp_test_dev_mac[ETH_ALEN] __aligned(2) = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01
};

/* An unregistered Ethernet device: enough to build frames for. */
static inline struct net_device *sp_test_dev(struct kunit *test)
{
	struct net_device *dev = alloc_etherdev(0);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	eth_hw_addr_set(dev, sp_test_dev_mac);
	return dev;
}

/*
 * Frames per classifier in the fuzz cases: four classifiers make a
 * million frames a run.
 */
#define SP_TEST_FUZZ_FRAMES	250000

/*
 * A frame mutated from @valid (@len bytes) into @buf: a few bytes set to
 * random values, and a random length up to @len + 8 (the bytes past @len
 * random too), or now and then entirely random bytes.  Returns the length.
 * Deterministic for a given @st, so that a failure can be replayed.
 */
static inline unsigned int sp_test_mutate(struct rnd_state *st, u8 *buf,
					  const u8 *valid, unsigned int len)
{
	unsigned int i, n = prandom_u32_state(st) % 5;

	prandom_bytes_state(st, buf, len + 8);
	if (prandom_u32_state(st) % 16)
		memcpy(buf, valid, len);
	for (i = 0; i < n; i++)
		buf[prandom_u32_state(st) % len] = prandom_u32_state(st);
	return prandom_u32_state(st) % 4 ? len : prandom_u32_state(st) % (len + 9);
}

#endif /* _SP_KUNIT_UTIL_H */
