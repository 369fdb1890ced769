// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the Mobility Header parser and Binding Update processing: random
 * packets and mutations of valid ones (bit flips, byte overwrites,
 * truncation, growth, forged lengths and option headers), most with a
 * checksum made right so that the option parsing is reached, from a few
 * source addresses so that updates meet entries they made before. Each
 * packet sits in a buffer of exactly its length, so KASAN reports any read
 * past it. The parser must return a known verdict and keep its counts
 * within bounds; every packet goes on through hc_mh_handle() into a real
 * Host Cache, which must not change for a packet that fails validation or
 * whose updates are all refused, and must stay within its limits.
 *
 * make check runs a short fuzz; make fuzz a long one of 10,000,000 packets
 * (HC_MH_FUZZ_ITERATIONS, a build-time number: the suites run at load,
 * before module parameters are parsed), in rounds of at most a million
 * packets, each a test case of its own within KUnit's time limit.
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <asm/unaligned.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "../../net/hostcache/hostcache.h"

#ifndef HC_MH_FUZZ_ITERATIONS
#define HC_MH_FUZZ_ITERATIONS 20000
#endif

#define ROUND	1000000U
#define ROUNDS	DIV_ROUND_UP(HC_MH_FUZZ_ITERATIONS, ROUND)

/* One byte per round: the address of its byte is a round's parameter. */
static const char mh_fuzz_rounds[ROUNDS];

static unsigned int round_first(const void *round)
{
	return ((const char *)round - mh_fuzz_rounds) * ROUND;
}

static unsigned int round_packets(const void *round)
{
	return min(HC_MH_FUZZ_ITERATIONS - round_first(round), ROUND);
}

static const void *mh_fuzz_gen_round(const void *prev, char *desc)
{
	const char *round = prev ? (const char *)prev + 1 : mh_fuzz_rounds;

	if (round == mh_fuzz_rounds + ROUNDS)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "packets %u to %u",
		 round_first(round) + 1, round_first(round) + round_packets(round));
	return round;
}

#define SEEDS	8
#define MAX_LEN	640
#define N_SRC	4

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

	/* Updates that apply: a homeless peer's BIDs, a removal, and two
	 * updates in one packet.
	 */
	bid_coa.coa.s6_addr[15] ^= 0x10;
	hc_mh_start(&w, seeds[4].buf, MAX_LEN, HC_MH_BU);
	hc_mh_put_bu(&w, 2, HC_BU_A, 100);
	hc_mh_put_homeless(&w);
	hc_mh_put_bid(&w, &bid);
	hc_mh_put_bid(&w, &bid_coa);
	seeds[4].len = hc_mh_finish(&w, src, dst);

	hc_mh_start(&w, seeds[5].buf, MAX_LEN, HC_MH_BU);
	hc_mh_put_bu(&w, 3, HC_BU_A, 0);
	hc_mh_put_bid(&w, &bid_coa);
	seeds[5].len = hc_mh_finish(&w, src, dst);

	hc_mh_start(&w, seeds[6].buf, MAX_LEN, HC_MH_BU);
	hc_mh_put_bu(&w, 4, 0, 100);
	hc_mh_put_homeless(&w);
	hc_mh_put_altcoa(&w, &bid_coa.coa);
	hc_mh_put_prefixes(&w, 8, pfx, 2);
	hc_mh_chain(&w);
	seeds[6].len = hc_mh_finish(&w, src, dst);
	hc_mh_start(&w, seeds[6].buf + seeds[6].len, MAX_LEN - seeds[6].len,
		    HC_MH_BU);
	hc_mh_put_bu(&w, 5, HC_BU_A | HC_BU_O, 50);
	hc_mh_put_bid(&w, &bid);
	seeds[6].len += hc_mh_finish(&w, src, dst);

	/* As many BIDs and alternate addresses as one update may carry, so
	 * that a repeated option is one too many.
	 */
	hc_mh_start(&w, seeds[7].buf, MAX_LEN, HC_MH_BU);
	hc_mh_put_bu(&w, 6, HC_BU_A, 100);
	hc_mh_put_homeless(&w);
	for (i = 0; i < HC_MH_MAX_BIDS; i++) {
		bid.bid = 10 + i;
		hc_mh_put_bid(&w, &bid);
	}
	for (i = 0; i < HC_MH_MAX_ALTCOAS; i++) {
		bid_coa.coa.s6_addr[14] = i + 1;
		hc_mh_put_altcoa(&w, &bid_coa.coa);
	}
	seeds[7].len = hc_mh_finish(&w, src, dst);

	for (i = 0; i < SEEDS; i++)
		KUNIT_ASSERT_GT(test, seeds[i].len, 0);
}

/* Mutate @buf of @len bytes in place; return the new length. */
static unsigned int mutate(u8 *buf, unsigned int len)
{
	unsigned int n = 1 + get_random_u32_below(4), i, at, span;

	for (i = 0; i < n; i++) {
		at = len ? get_random_u32_below(len) : 0;
		switch (get_random_u32_below(8)) {
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
		case 7:		/* repeat a stretch, an option perhaps */
			span = min(1 + get_random_u32_below(24), len - at);
			span = min(span, MAX_LEN - len);
			memcpy(buf + len, buf + at, span);
			len += span;
			break;
		}
	}
	return len;
}

/* Make the checksum of each message of the packet right. */
static void seal(u8 *buf, unsigned int len, const struct in6_addr *src,
		 const struct in6_addr *dst)
{
	unsigned int off = 0, mlen;
	__sum16 csum;

	while (len - off >= 6) {
		mlen = min((buf[off + 1] + 1) * 8U, len - off);
		buf[off + 4] = 0;
		buf[off + 5] = 0;
		csum = csum_ipv6_magic(src, dst, mlen, IPPROTO_MH,
				       csum_partial(buf + off, mlen, 0));
		memcpy(buf + off + 4, &csum, sizeof(csum));
		if (buf[off] != IPPROTO_MH)
			break;
		off += mlen;
	}
}

/* The test switch: any well-formed update may change the cache. */
static const struct hc_mh_auth hc_fuzz_auth = { .open = true };

struct fuzz {
	struct hc_net hn;
	struct hc_mh_rx rx;
	struct hc_mh_msg msg;
	struct seed seeds[SEEDS];
	struct in6_addr src[N_SRC], dst;
	u8 work[MAX_LEN];
};

static int mh_fuzz_suite_init(struct kunit_suite *suite)
{
	return hc_cache_module_init();
}

static void mh_fuzz_suite_exit(struct kunit_suite *suite)
{
	hc_cache_module_exit();
}

/* The cache stays within its limits, and its counts add up. */
static void check_cache(struct kunit *test, struct hc_cache *cache)
{
	unsigned int n = 0, naddrs;
	struct hc_foreign *fe;
	struct hc_faddr *fa;
	unsigned long id;

	spin_lock_bh(&cache->lock);
	xa_for_each(&cache->entries, id, fe) {
		naddrs = 0;
		list_for_each_entry(fa, &fe->addrs, list) {
			naddrs++;
			KUNIT_EXPECT_PTR_EQ(test, fa->entry, fe);
		}
		KUNIT_EXPECT_EQ(test, naddrs, (unsigned int)fe->naddrs);
		KUNIT_EXPECT_GT(test, naddrs, 0U);
		KUNIT_EXPECT_LE(test, naddrs, cache->params->max_addrs);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, cache->n_entries);
	spin_unlock_bh(&cache->lock);
}

static void fuzzed_packets_break_no_rule(struct kunit *test)
{
	unsigned int verdicts[HC_MH_ERR_MAX] = {}, i, len, changed = 0;
	unsigned int packets = round_packets(test->param_value);
	unsigned long now = (unsigned long)-(60 * HZ);
	u64 accepted, before;
	const struct in6_addr *src;
	struct fuzz *f;
	int verdict;
	u8 *exact;
	u32 seq;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	for (i = 0; i < N_SRC; i++)
		KUNIT_ASSERT_TRUE(test, in6_pton("2001:db8:1::1", -1,
						 f->src[i].s6_addr, -1, NULL));
	for (i = 1; i < N_SRC; i++)
		f->src[i].s6_addr[15] += i << 4;	/* ::1, ::11, ::21 */
	KUNIT_ASSERT_TRUE(test, in6_pton("2001:db8:2::2", -1, f->dst.s6_addr, -1, NULL));
	make_seeds(test, f->seeds, &f->src[0], &f->dst);
	hc_params_init(&f->hn.params);
	KUNIT_ASSERT_EQ(test, hc_cache_init(&f->hn.cache, &f->hn.params), 0);

	for (i = 0; i < packets; i++) {
		if (get_random_u32_below(16)) {
			const struct seed *s = &f->seeds[get_random_u32_below(SEEDS)];

			memcpy(f->work, s->buf, s->len);
			len = mutate(f->work, s->len);
		} else {
			len = get_random_u32_below(MAX_LEN);
			get_random_bytes(f->work, len);
		}
		/* Mostly a fresh sequence number, so updates get past the
		 * window check to the rules behind it.
		 */
		if (len >= 8 && f->work[2] == HC_MH_BU && get_random_u32_below(4))
			put_unaligned_be16(get_random_u32(), f->work + 6);
		src = &f->src[get_random_u32_below(N_SRC)];
		if (get_random_u32_below(10))
			seal(f->work, len, src, &f->dst);

		/* Exactly @len bytes: KASAN sees any read past the end. */
		exact = kmemdup(f->work, len ?: 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, exact);
		verdict = hc_mh_parse(exact, len, src, &f->dst, &f->msg);
		KUNIT_ASSERT_GE(test, verdict, 0);
		KUNIT_ASSERT_LT(test, verdict, HC_MH_ERR_MAX);
		if (verdict == HC_MH_OK) {
			KUNIT_ASSERT_LE(test, f->msg.n_bids, (unsigned int)HC_MH_MAX_BIDS);
			KUNIT_ASSERT_LE(test, f->msg.n_altcoas, (unsigned int)HC_MH_MAX_ALTCOAS);
			KUNIT_ASSERT_LE(test, f->msg.n_prefixed, (unsigned int)HC_MH_MAX_PREFIXED);
			KUNIT_ASSERT_LE(test, f->msg.n_unknown, len);
		}

		seq = f->hn.cache.seq;
		before = atomic64_read(&f->hn.mh_stats[HC_MH_STAT_BU_ACCEPTED]);
		now += get_random_u32_below(2 * HZ);
		verdict = hc_mh_handle(&f->hn, exact, len, src, &f->dst,
				       &hc_fuzz_auth, now, &f->rx);
		kfree(exact);
		KUNIT_ASSERT_GE(test, verdict, 0);
		KUNIT_ASSERT_LT(test, verdict, HC_MH_ERR_MAX);
		verdicts[verdict]++;
		accepted = atomic64_read(&f->hn.mh_stats[HC_MH_STAT_BU_ACCEPTED]);
		if (verdict != HC_MH_OK || accepted == before)
			KUNIT_ASSERT_EQ_MSG(test, f->hn.cache.seq, seq,
					    "packet %u changed the cache", i);
		changed += f->hn.cache.seq != seq;
		KUNIT_ASSERT_LE(test, f->rx.n_replies, 2U);

		if (!(i % 4096)) {
			hc_cache_gc(&f->hn.cache, now);
			check_cache(test, &f->hn.cache);
		}
		if (!(i % 1024))
			cond_resched();
	}
	check_cache(test, &f->hn.cache);
	kunit_info(test, "%u packets: ok %u short %u length %u proto %u csum %u type %u option %u misaligned %llu optlen %u prefixes %u bid-len %u too-many %u; updates accepted %llu refused %llu; %u changed the cache, which holds %u entries\n",
		   packets, verdicts[HC_MH_OK],
		   verdicts[HC_MH_ERR_SHORT], verdicts[HC_MH_ERR_LENGTH],
		   verdicts[HC_MH_ERR_PROTO], verdicts[HC_MH_ERR_CSUM],
		   verdicts[HC_MH_ERR_TYPE], verdicts[HC_MH_ERR_OPTION],
		   atomic64_read(&f->hn.mh_stats[HC_MH_STAT_MISALIGNED]),
		   verdicts[HC_MH_ERR_OPTLEN],
		   verdicts[HC_MH_ERR_PREFIXES], verdicts[HC_MH_ERR_BID_LEN],
		   verdicts[HC_MH_ERR_TOO_MANY],
		   atomic64_read(&f->hn.mh_stats[HC_MH_STAT_BU_ACCEPTED]),
		   atomic64_read(&f->hn.mh_stats[HC_MH_STAT_BU_REJECTED]),
		   changed, f->hn.cache.n_entries);
	/* The mutations must reach past the checksum into the options, and
	 * into processing that both applies and refuses updates.
	 */
	KUNIT_EXPECT_GT(test, verdicts[HC_MH_OK], 0U);
	KUNIT_EXPECT_GT(test, verdicts[HC_MH_ERR_OPTLEN] +
			      verdicts[HC_MH_ERR_OPTION], 0U);
	KUNIT_EXPECT_GT(test, changed, 0U);
	KUNIT_EXPECT_GT(test, atomic64_read(&f->hn.mh_stats[HC_MH_STAT_BU_REJECTED]), 0ULL);
	hc_cache_destroy(&f->hn.cache);
}

static struct kunit_case mh_fuzz_cases[] = {
	KUNIT_CASE_PARAM(fuzzed_packets_break_no_rule, mh_fuzz_gen_round),
	{}
};

static struct kunit_suite mh_fuzz_suite = {
	.name = "hostcache_mh_fuzz",
	.suite_init = mh_fuzz_suite_init,
	.suite_exit = mh_fuzz_suite_exit,
	.test_cases = mh_fuzz_cases,
};

kunit_test_suite(mh_fuzz_suite);
