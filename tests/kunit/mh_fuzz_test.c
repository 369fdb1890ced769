// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the Mobility Header parser: random messages and mutations of valid
 * ones (bit flips, byte overwrites, truncation, growth, forged lengths and
 * option headers), most with a checksum made right so that the option
 * parsing is reached. Each message sits in a buffer of exactly its length,
 * so KASAN reports any read past it. The parser must return a known
 * verdict and keep its counts within bounds.
 *
 * make check runs a short fuzz; HC_MH_FUZZ_ITERATIONS=N make check a long
 * one (a build-time number: the suites run at load, before module
 * parameters are parsed).
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "../../net/hostcache/mh.h"

#ifndef HC_MH_FUZZ_ITERATIONS
#define HC_MH_FUZZ_ITERATIONS 20000
#endif

static const unsigned int mh_fuzz_iterations = HC_MH_FUZZ_ITERATIONS;

#define SEEDS	4
#define MAX_LEN	640

struct seed {
	u8 buf[MAX_LEN];
	int len;
};

static void make_seeds(struct kunit *test, struct seed *seeds,
		       const struct in6_addr *src, const struct in6_addr *dst)
{
	struct hc_mh_bid bid = { .bid = 1 }, bid_coa = { .bid = 2, .coa_len = 16 };
	struct in6_addr pfx[3] = {};
	struct hc_mh_writer w;
	int i;

	for (i = 0; i < 3; i++)
		pfx[i].s6_addr[1] = i + 1;
	bid_coa.coa = *src;

	hc_mh_start(&w, seeds[0].buf, MAX_LEN, HC_MH_BU);
	hc_mh_put_bu(&w, 1, HC_BU_A, 100);
	hc_mh_put_homeless(&w);
	hc_mh_put_bid(&w, &bid);
	hc_mh_put_bid(&w, &bid_coa);
	hc_mh_put_altcoa(&w, src);
	hc_mh_put_prefixes(&w, 8, pfx, 3);
	hc_mh_put_refresh(&w, 10);
	seeds[0].len = hc_mh_finish(&w, src, dst);

	hc_mh_start(&w, seeds[1].buf, MAX_LEN, HC_MH_BA);
	hc_mh_put_ba(&w, 0, 0, 1, 100);
	hc_mh_put_bid(&w, &bid);
	seeds[1].len = hc_mh_finish(&w, src, dst);

	hc_mh_start(&w, seeds[2].buf, MAX_LEN, HC_MH_BE);
	hc_mh_put_be(&w, HC_BE_UNKNOWN_TYPE, src);
	seeds[2].len = hc_mh_finish(&w, src, dst);

	hc_mh_start(&w, seeds[3].buf, MAX_LEN, HC_MH_BRR);
	hc_mh_put_brr(&w);
	hc_mh_put_bid(&w, &bid);
	seeds[3].len = hc_mh_finish(&w, src, dst);

	for (i = 0; i < SEEDS; i++)
		KUNIT_ASSERT_GT(test, seeds[i].len, 0);
}

/* Mutate @buf of @len bytes in place; return the new length. */
static unsigned int mutate(u8 *buf, unsigned int len)
{
	unsigned int n = 1 + get_random_u32_below(4), i, at;

	for (i = 0; i < n; i++) {
		at = len ? get_random_u32_below(len) : 0;
		switch (get_random_u32_below(7)) {
		case 0:		/* flip a bit */
			buf[at] ^= 1 << get_random_u32_below(8);
			break;
		case 1:		/* overwrite a byte */
			buf[at] = get_random_u32();
			break;
		case 2:		/* truncate */
			len = at;
			break;
		case 3:		/* grow with random bytes */
			at = min(len + 1 + get_random_u32_below(64), MAX_LEN);
			get_random_bytes(buf + len, at - len);
			len = at;
			break;
		case 4:		/* forge the header length */
			if (len > 1)
				buf[1] = get_random_u32_below(4) ?
					 len / 8 - 1 + get_random_u32_below(3) - 1 :
					 get_random_u32();
			break;
		case 5:		/* forge an option header */
			if (at + 1 < len) {
				buf[at] = (u8[]){ 0, 1, 2, 3, 4, 5, 18, 35 }
					  [get_random_u32_below(8)];
				buf[at + 1] = get_random_u32_below(4) ?
					      get_random_u32_below(24) :
					      get_random_u32();
			}
			break;
		case 6:		/* forge a sub-type or prefix count */
			if (at + 1 < len) {
				buf[at] = get_random_u32_below(4);
				buf[at + 1] = get_random_u32();
			}
			break;
		}
	}
	return len;
}

static void seal(u8 *buf, unsigned int len, const struct in6_addr *src,
		 const struct in6_addr *dst)
{
	__sum16 csum;

	if (len < 6)
		return;
	buf[4] = 0;
	buf[5] = 0;
	csum = csum_ipv6_magic(src, dst, len, IPPROTO_MH,
			       csum_partial(buf, len, 0));
	memcpy(buf + 4, &csum, sizeof(csum));
}

static void mh_fuzz(struct kunit *test)
{
	unsigned int verdicts[HC_MH_ERR_MAX] = {}, i, len;
	struct in6_addr src, dst;
	struct hc_mh_msg *msg;
	struct seed *seeds;
	u8 *work, *exact;
	int verdict;

	KUNIT_ASSERT_TRUE(test, in6_pton("2001:db8:1::1", -1, src.s6_addr, -1, NULL));
	KUNIT_ASSERT_TRUE(test, in6_pton("2001:db8:2::2", -1, dst.s6_addr, -1, NULL));
	seeds = kunit_kcalloc(test, SEEDS, sizeof(*seeds), GFP_KERNEL);
	msg = kunit_kzalloc(test, sizeof(*msg), GFP_KERNEL);
	work = kunit_kzalloc(test, MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seeds);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_ASSERT_NOT_NULL(test, work);
	make_seeds(test, seeds, &src, &dst);

	for (i = 0; i < mh_fuzz_iterations; i++) {
		if (get_random_u32_below(16)) {
			const struct seed *s = &seeds[get_random_u32_below(SEEDS)];

			memcpy(work, s->buf, s->len);
			len = mutate(work, s->len);
		} else {
			len = get_random_u32_below(MAX_LEN);
			get_random_bytes(work, len);
		}
		if (get_random_u32_below(10))
			seal(work, len, &src, &dst);

		/* Exactly @len bytes: KASAN sees any read past the end. */
		exact = kmemdup(work, len ?: 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, exact);
		verdict = hc_mh_parse(exact, len, &src, &dst, msg);
		kfree(exact);

		KUNIT_ASSERT_GE(test, verdict, 0);
		KUNIT_ASSERT_LT(test, verdict, HC_MH_ERR_MAX);
		verdicts[verdict]++;
		if (verdict == HC_MH_OK) {
			KUNIT_ASSERT_LE(test, msg->n_bids, (unsigned int)HC_MH_MAX_BIDS);
			KUNIT_ASSERT_LE(test, msg->n_altcoas, (unsigned int)HC_MH_MAX_ALTCOAS);
			KUNIT_ASSERT_LE(test, msg->n_prefixed, (unsigned int)HC_MH_MAX_PREFIXED);
			KUNIT_ASSERT_LE(test, msg->n_unknown, len);
		}
		if (!(i % 1024))
			cond_resched();
	}
	kunit_info(test, "%u messages: ok %u short %u length %u proto %u csum %u type %u option %u align %u optlen %u prefixes %u bid-len %u too-many %u\n",
		   mh_fuzz_iterations, verdicts[HC_MH_OK],
		   verdicts[HC_MH_ERR_SHORT], verdicts[HC_MH_ERR_LENGTH],
		   verdicts[HC_MH_ERR_PROTO], verdicts[HC_MH_ERR_CSUM],
		   verdicts[HC_MH_ERR_TYPE], verdicts[HC_MH_ERR_OPTION],
		   verdicts[HC_MH_ERR_ALIGN], verdicts[HC_MH_ERR_OPTLEN],
		   verdicts[HC_MH_ERR_PREFIXES], verdicts[HC_MH_ERR_BID_LEN],
		   verdicts[HC_MH_ERR_TOO_MANY]);
	/* The mutations must reach past the checksum into the options. */
	KUNIT_EXPECT_GT(test, verdicts[HC_MH_OK], 0U);
	KUNIT_EXPECT_GT(test, verdicts[HC_MH_ERR_ALIGN] +
			      verdicts[HC_MH_ERR_OPTLEN] +
			      verdicts[HC_MH_ERR_OPTION], 0U);
}

static struct kunit_case mh_fuzz_cases[] = {
	KUNIT_CASE(mh_fuzz),
	{}
};

static struct kunit_suite mh_fuzz_suite = {
	.name = "hostcache_mh_fuzz",
	.test_cases = mh_fuzz_cases,
};

kunit_test_suite(mh_fuzz_suite);
