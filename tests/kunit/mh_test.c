// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the Mobility Header codec: messages built and parsed
 * back, alignment and checksum of what is built, every kind of
 * malformed message refused for its own reason, and misaligned options
 * read.
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "../../net/hostcache/mh.h"

struct mh_test {
	struct in6_addr src, dst;
	struct hc_mh_msg msg;
	u8 buf[512];
};

static struct in6_addr a6(struct kunit *test, const char *text)
{
	struct in6_addr a;

	KUNIT_ASSERT_TRUE(test, in6_pton(text, -1, a.s6_addr, -1, NULL));
	return a;
}

static int mh_test_init(struct kunit *test)
{
	struct mh_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->src = a6(test, "2001:db8:1::aa:1");
	t->dst = a6(test, "2001:db8:2::bb:2");
	test->priv = t;
	return 0;
}

static int parse(struct kunit *test, unsigned int len)
{
	struct mh_test *t = test->priv;

	return hc_mh_parse(t->buf, len, &t->src, &t->dst, &t->msg);
}

/* Set the header length and checksum of a hand-made message. */
static unsigned int seal(struct kunit *test, unsigned int len)
{
	struct mh_test *t = test->priv;
	__sum16 csum;

	KUNIT_ASSERT_EQ(test, len % 8, 0U);
	t->buf[1] = len / 8 - 1;
	t->buf[4] = 0;
	t->buf[5] = 0;
	csum = csum_ipv6_magic(&t->src, &t->dst, len, IPPROTO_MH,
			       csum_partial(t->buf, len, 0));
	memcpy(t->buf + 4, &csum, sizeof(csum));
	return len;
}

/* A BU header of 12 bytes followed by @opts (padded with zeros: Pad1). */
static unsigned int raw_bu(struct kunit *test, const u8 *opts,
			   unsigned int olen)
{
	struct mh_test *t = test->priv;
	unsigned int len = round_up(12 + olen, 8);

	memset(t->buf, 0, sizeof(t->buf));
	t->buf[0] = NEXTHDR_NONE;
	t->buf[2] = HC_MH_BU;
	t->buf[7] = 9;				/* sequence 9 */
	memcpy(t->buf + 12, opts, olen);
	return seal(test, len);
}

static int write_bu(struct kunit *test, struct hc_mh_writer *w)
{
	struct mh_test *t = test->priv;
	struct hc_mh_bid bid = { .bid = 1 }, bid_coa = { .bid = 2, .coa_len = 16 };
	struct in6_addr prefixes[2] = {
		a6(test, "2001:db8:a:1::"), a6(test, "2001:db8:a:2::"),
	};

	bid_coa.coa = a6(test, "2001:db8:c::1");
	hc_mh_start(w, t->buf, sizeof(t->buf), HC_MH_BU);
	hc_mh_put_bu(w, 1234, HC_BU_A, 150);
	hc_mh_put_homeless(w);
	hc_mh_put_bid(w, &bid);
	hc_mh_put_bid(w, &bid_coa);
	hc_mh_put_refresh(w, 30);
	KUNIT_EXPECT_EQ(test, hc_mh_put_prefixes(w, 8, prefixes, 2), 0);
	hc_mh_put_altcoa(w, &bid_coa.coa);
	KUNIT_EXPECT_EQ(test, hc_mh_put_prefixes(w, 8, prefixes, 1), 0);
	return hc_mh_finish(w, &t->src, &t->dst);
}

static void bu_round_trip(struct kunit *test)
{
	struct mh_test *t = test->priv;
	struct hc_mh_msg *m = &t->msg;
	struct in6_addr expect[3];
	struct hc_mh_writer w;
	int len, i;

	len = write_bu(test, &w);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_EQ(test, len % 8, 0);
	KUNIT_EXPECT_EQ(test, (t->buf[1] + 1) * 8, len);
	KUNIT_ASSERT_EQ(test, parse(test, len), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, m->type, HC_MH_BU);
	KUNIT_EXPECT_EQ(test, m->seq, 1234);
	KUNIT_EXPECT_EQ(test, m->flags, HC_BU_A);
	KUNIT_EXPECT_EQ(test, m->lifetime, 150);
	KUNIT_EXPECT_TRUE(test, m->homeless);
	KUNIT_EXPECT_TRUE(test, m->has_refresh);
	KUNIT_EXPECT_EQ(test, m->refresh, 30);
	KUNIT_ASSERT_EQ(test, m->n_bids, 2U);
	KUNIT_EXPECT_EQ(test, m->bids[0].bid, 1);
	KUNIT_EXPECT_EQ(test, m->bids[0].coa_len, 0);
	KUNIT_EXPECT_EQ(test, m->bids[1].bid, 2);
	KUNIT_EXPECT_EQ(test, m->bids[1].coa_len, 16);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&m->bids[1].coa,
						&m->altcoas[0]));
	KUNIT_EXPECT_EQ(test, m->n_altcoas, 1U);
	KUNIT_EXPECT_EQ(test, m->n_unknown, 0U);
	/* Prefixes before the Alternate CoA take the source's suffix, the
	 * one after it the Alternate CoA's.
	 */
	KUNIT_ASSERT_EQ(test, m->n_prefixed, 3U);
	expect[0] = a6(test, "2001:db8:a:1::aa:1");
	expect[1] = a6(test, "2001:db8:a:2::aa:1");
	expect[2] = a6(test, "2001:db8:a:1::1");
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_TRUE_MSG(test, ipv6_addr_equal(&m->prefixed[i],
							    &expect[i]),
				      "address %d: %pI6c", i, &m->prefixed[i]);
}

/* Each option the writer puts starts where its alignment says. */
static void built_options_are_aligned(struct kunit *test)
{
	struct mh_test *t = test->priv;
	unsigned int off, bids = 0;
	struct hc_mh_writer w;
	int len;

	len = write_bu(test, &w);
	KUNIT_ASSERT_GT(test, len, 0);
	for (off = 12; off < len; off += t->buf[off] ? 2 + t->buf[off + 1] : 1) {
		switch (t->buf[off]) {
		case HC_MHOPT_BID:
			bids++;
			if (t->buf[off + 1] == 20)
				KUNIT_EXPECT_EQ(test, off % 8, 2U);
			else
				KUNIT_EXPECT_EQ(test, off % 2, 0U);
			break;
		case HC_MHOPT_ALTCOA:
			KUNIT_EXPECT_EQ(test, off % 8, 6U);
			break;
		case HC_MHOPT_REFRESH:
			KUNIT_EXPECT_EQ(test, off % 2, 0U);
			break;
		case HC_MHOPT_EXP:
			KUNIT_EXPECT_EQ(test, off % (t->buf[off + 2] ==
						     HC_EXP_ALTPREFIX ? 4 : 2), 0U);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, off, (unsigned int)len);
	KUNIT_EXPECT_EQ(test, bids, 2U);
}

static void ba_be_brr_round_trip(struct kunit *test)
{
	struct mh_test *t = test->priv;
	struct hc_mh_bid bid = { .bid = 7 };
	struct in6_addr home = a6(test, "2001:db8::5");
	struct hc_mh_writer w;
	int len;

	hc_mh_start(&w, t->buf, sizeof(t->buf), HC_MH_BA);
	hc_mh_put_ba(&w, 135, 0, 4321, 75);
	hc_mh_put_bid(&w, &bid);
	len = hc_mh_finish(&w, &t->src, &t->dst);
	KUNIT_ASSERT_EQ(test, parse(test, len), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.type, HC_MH_BA);
	KUNIT_EXPECT_EQ(test, t->msg.status, 135);
	KUNIT_EXPECT_EQ(test, t->msg.seq, 4321);
	KUNIT_EXPECT_EQ(test, t->msg.lifetime, 75);
	KUNIT_ASSERT_EQ(test, t->msg.n_bids, 1U);
	KUNIT_EXPECT_EQ(test, t->msg.bids[0].bid, 7);

	hc_mh_start(&w, t->buf, sizeof(t->buf), HC_MH_BE);
	hc_mh_put_be(&w, HC_BE_UNKNOWN_TYPE, &home);
	len = hc_mh_finish(&w, &t->src, &t->dst);
	KUNIT_EXPECT_EQ(test, len, 24);
	KUNIT_ASSERT_EQ(test, parse(test, len), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.status, HC_BE_UNKNOWN_TYPE);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&t->msg.home, &home));

	hc_mh_start(&w, t->buf, sizeof(t->buf), HC_MH_BRR);
	hc_mh_put_brr(&w);
	len = hc_mh_finish(&w, &t->src, &t->dst);
	KUNIT_EXPECT_EQ(test, len, 8);
	KUNIT_EXPECT_EQ(test, parse(test, len), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.type, HC_MH_BRR);
}

static void address_tests_round_trip_aligned_in_brr_and_bu(struct kunit *test)
{
	struct mh_test *t = test->priv;
	struct hc_mh_writer w;
	unsigned int i;
	int len;

	hc_mh_start(&w, t->buf, sizeof(t->buf), HC_MH_BRR);
	hc_mh_put_brr(&w);
	hc_mh_put_addr_test(&w, 0x0123456789abcdefULL);
	len = hc_mh_finish(&w, &t->src, &t->dst);
	KUNIT_EXPECT_EQ(test, len, 24);
	KUNIT_EXPECT_EQ(test, t->buf[13], HC_MHOPT_EXP);	/* at 8n + 5 */
	KUNIT_ASSERT_EQ(test, parse(test, len), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.type, HC_MH_BRR);
	KUNIT_ASSERT_EQ(test, t->msg.n_tests, 1U);
	KUNIT_EXPECT_EQ(test, t->msg.tests[0], 0x0123456789abcdefULL);

	hc_mh_start(&w, t->buf, sizeof(t->buf), HC_MH_BU);
	hc_mh_put_bu(&w, 7, HC_BU_A, 10);
	hc_mh_put_homeless(&w);
	for (i = 0; i < HC_MH_MAX_TESTS; i++)
		hc_mh_put_addr_test(&w, i + 1);
	len = hc_mh_finish(&w, &t->src, &t->dst);
	KUNIT_ASSERT_EQ(test, parse(test, len), HC_MH_OK);
	KUNIT_EXPECT_TRUE(test, t->msg.homeless);
	KUNIT_ASSERT_EQ(test, t->msg.n_tests, HC_MH_MAX_TESTS);
	for (i = 0; i < HC_MH_MAX_TESTS; i++)
		KUNIT_EXPECT_EQ(test, t->msg.tests[i], (u64)i + 1);

	/* One more than a message may carry. */
	hc_mh_start(&w, t->buf, sizeof(t->buf), HC_MH_BU);
	hc_mh_put_bu(&w, 7, HC_BU_A, 10);
	for (i = 0; i <= HC_MH_MAX_TESTS; i++)
		hc_mh_put_addr_test(&w, i + 1);
	len = hc_mh_finish(&w, &t->src, &t->dst);
	KUNIT_EXPECT_EQ(test, parse(test, len), HC_MH_ERR_TOO_MANY);
}

static void read_misaligned_address_tests_refuse_wrong_length(struct kunit *test)
{
	struct mh_test *t = test->priv;
	/* At offset 12, not 8n + 5. */
	static const u8 misaligned[11] = { 18, 9, HC_EXP_ADDR_TEST, 7 };
	/* At offset 13, one nonce byte short. */
	static const u8 short_nonce[11] = { 0, 18, 8, HC_EXP_ADDR_TEST };
	/* At offset 13, as it should be. */
	static const u8 right[12] = { 0, 18, 9, HC_EXP_ADDR_TEST, 1 };
	u64 nonce;

	KUNIT_ASSERT_EQ(test, parse(test, raw_bu(test, misaligned,
						 sizeof(misaligned))),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.n_misaligned, 1U);
	KUNIT_ASSERT_EQ(test, t->msg.n_tests, 1U);
	memcpy(&nonce, misaligned + 3, sizeof(nonce));
	KUNIT_EXPECT_EQ(test, t->msg.tests[0], nonce);
	KUNIT_EXPECT_EQ(test, parse(test, raw_bu(test, short_nonce,
						 sizeof(short_nonce))),
			HC_MH_ERR_OPTLEN);
	KUNIT_ASSERT_EQ(test, parse(test, raw_bu(test, right, sizeof(right))),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.n_tests, 1U);
	KUNIT_EXPECT_EQ(test, t->msg.n_misaligned, 0U);
}

static void writer_refuses_what_does_not_fit(struct kunit *test)
{
	struct mh_test *t = test->priv;
	struct in6_addr many[64] = {};
	struct hc_mh_writer w;

	hc_mh_start(&w, t->buf, sizeof(t->buf), HC_MH_BU);
	hc_mh_put_bu(&w, 1, 0, 1);
	KUNIT_EXPECT_EQ(test, hc_mh_put_prefixes(&w, 5, many, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, hc_mh_put_prefixes(&w, 20, many, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, hc_mh_put_prefixes(&w, 8, many, 0), -EINVAL);
	/* 32 prefixes of 8 bytes exceed an option's 255 bytes. */
	KUNIT_EXPECT_EQ(test, hc_mh_put_prefixes(&w, 8, many, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, hc_mh_put_prefixes(&w, 8, many, 31), 0);

	hc_mh_start(&w, t->buf, 16, HC_MH_BU);
	hc_mh_put_bu(&w, 1, 0, 1);
	hc_mh_put_homeless(&w);
	hc_mh_put_refresh(&w, 1);
	KUNIT_EXPECT_EQ(test, hc_mh_finish(&w, &t->src, &t->dst), -ENOSPC);
}

static void refuse_short_and_overlong(struct kunit *test)
{
	struct mh_test *t = test->priv;
	unsigned int len = raw_bu(test, NULL, 0);

	KUNIT_EXPECT_EQ(test, parse(test, 7), HC_MH_ERR_SHORT);
	KUNIT_EXPECT_EQ(test, parse(test, len - 8), HC_MH_ERR_LENGTH);
	/* A BU whose length says 8 bytes: shorter than its fixed part. */
	t->buf[1] = 0;
	seal(test, 8);
	KUNIT_EXPECT_EQ(test, parse(test, len), HC_MH_ERR_SHORT);
}

static void refuse_bad_checksum_and_proto(struct kunit *test)
{
	struct mh_test *t = test->priv;
	unsigned int len = raw_bu(test, NULL, 0);

	KUNIT_ASSERT_EQ(test, parse(test, len), HC_MH_OK);
	t->buf[7] ^= 1;
	KUNIT_EXPECT_EQ(test, parse(test, len), HC_MH_ERR_CSUM);
	t->buf[7] ^= 1;
	t->dst.s6_addr[15] ^= 1;		/* the pseudo-header counts */
	KUNIT_EXPECT_EQ(test, parse(test, len), HC_MH_ERR_CSUM);
	t->dst.s6_addr[15] ^= 1;
	t->buf[0] = IPPROTO_TCP;
	seal(test, len);
	KUNIT_EXPECT_EQ(test, parse(test, len), HC_MH_ERR_PROTO);
}

static void refuse_unknown_type(struct kunit *test)
{
	struct mh_test *t = test->priv;
	unsigned int len = raw_bu(test, NULL, 0);

	t->buf[2] = 42;
	seal(test, len);
	KUNIT_EXPECT_EQ(test, parse(test, len), HC_MH_ERR_TYPE);
	KUNIT_EXPECT_EQ(test, t->msg.type, 42);
}

static void skip_unknown_options(struct kunit *test)
{
	static const u8 opts[] = { 200, 2, 0xde, 0xad, 0, 0, 35, 4, 0, 3, 0, 0 };

	KUNIT_ASSERT_EQ(test, parse(test, raw_bu(test, opts, sizeof(opts))),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, ((struct mh_test *)test->priv)->msg.n_unknown, 1U);
	KUNIT_EXPECT_EQ(test, ((struct mh_test *)test->priv)->msg.n_bids, 1U);
}

/* RFC 6275 6.2 puts the alignment on senders: a receiver reads what it
 * gets, and counts it.
 */
static void read_misaligned_options_and_count_them(struct kunit *test)
{
	struct mh_test *t = test->priv;
	/* BID at offset 13: odd. */
	static const u8 bid[] = { 0, 35, 4, 0, 3, 0, 0 };
	/* Alternate CoA at offset 12, not 8n + 6. */
	static const u8 altcoa[18] = { 3, 16, 0x20, 0x01, 0x0d, 0xb8, [17] = 9 };
	/* BID with a CoA at offset 12, not 8n + 2. */
	static const u8 bid_coa[22] = { 35, 20, 0, 4, 0, 0, 0x20, 0x01,
					0x0d, 0xb8, [21] = 7 };
	struct in6_addr want;

	KUNIT_ASSERT_EQ(test, parse(test, raw_bu(test, bid, sizeof(bid))),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.n_misaligned, 1U);
	KUNIT_ASSERT_EQ(test, t->msg.n_bids, 1U);
	KUNIT_EXPECT_EQ(test, t->msg.bids[0].bid, 3);

	KUNIT_ASSERT_EQ(test, parse(test, raw_bu(test, altcoa, sizeof(altcoa))),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.n_misaligned, 1U);
	KUNIT_ASSERT_EQ(test, t->msg.n_altcoas, 1U);
	want = a6(test, "2001:db8::9");
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&t->msg.altcoas[0], &want));

	KUNIT_ASSERT_EQ(test, parse(test, raw_bu(test, bid_coa,
						 sizeof(bid_coa))),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->msg.n_misaligned, 1U);
	KUNIT_ASSERT_EQ(test, t->msg.n_bids, 1U);
	KUNIT_EXPECT_EQ(test, t->msg.bids[0].bid, 4);
	want = a6(test, "2001:db8::7");
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&t->msg.bids[0].coa, &want));
}

/* RFC 5648 6.2: a Binding Update with a BID option of a wrong length is
 * well-formed but refused (binding.c answers 164); any other message with
 * one is malformed.
 */
static void count_bad_bid_lengths_in_updates_refuse_them_elsewhere(struct kunit *test)
{
	static const u8 lengths[] = { 0, 2, 5, 6, 12, 18 };
	struct mh_test *t = test->priv;
	u8 opt[24] = { 35 };
	unsigned int i, len;

	for (i = 0; i < ARRAY_SIZE(lengths); i++) {
		opt[1] = lengths[i];
		len = raw_bu(test, opt, 2 + lengths[i]);
		KUNIT_EXPECT_EQ_MSG(test, parse(test, len), HC_MH_OK,
				    "length %u", lengths[i]);
		KUNIT_EXPECT_EQ(test, t->msg.n_bad_bids, 1U);
		KUNIT_EXPECT_EQ(test, t->msg.n_bids, 0U);
		/* The same option in a Binding Acknowledgment. */
		t->buf[2] = HC_MH_BA;
		seal(test, len);
		KUNIT_EXPECT_EQ_MSG(test, parse(test, len), HC_MH_ERR_BID_LEN,
				    "length %u", lengths[i]);
	}
}

static void refuse_bad_option_lengths(struct kunit *test)
{
	static const u8 refresh3[] = { 2, 3, 0, 1, 0 };
	static const u8 past_end[] = { 1, 200, 0, 0 };

	KUNIT_EXPECT_EQ(test, parse(test, raw_bu(test, refresh3,
						 sizeof(refresh3))),
			HC_MH_ERR_OPTLEN);
	KUNIT_EXPECT_EQ(test, parse(test, raw_bu(test, past_end,
						 sizeof(past_end))),
			HC_MH_ERR_OPTION);
}

/* Draft 3.1.2: length == 1 + prefix length * count, in the draft's terms. */
static void refuse_prefix_count_mismatch(struct kunit *test)
{
	/* Two 8-byte prefixes announced, one carried. */
	static const u8 short_by_one[12] = { 18, 10, HC_EXP_ALTPREFIX, 1 << 6 | 2 };
	/* One 8-byte prefix announced, two carried. */
	static const u8 long_by_one[20] = { 18, 18, HC_EXP_ALTPREFIX, 1 << 6 | 1 };
	/* One 8-byte prefix, as it should be. */
	static const u8 right[12] = { 18, 10, HC_EXP_ALTPREFIX, 1 << 6 | 1,
				      0x20, 0x01, 0x0d, 0xb8 };

	KUNIT_EXPECT_EQ(test, parse(test, raw_bu(test, short_by_one,
						 sizeof(short_by_one))),
			HC_MH_ERR_PREFIXES);
	KUNIT_EXPECT_EQ(test, parse(test, raw_bu(test, long_by_one,
						 sizeof(long_by_one))),
			HC_MH_ERR_PREFIXES);
	KUNIT_ASSERT_EQ(test, parse(test, raw_bu(test, right, sizeof(right))),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, ((struct mh_test *)test->priv)->msg.n_prefixed, 1U);
}

static struct kunit_case mh_test_cases[] = {
	KUNIT_CASE(bu_round_trip),
	KUNIT_CASE(built_options_are_aligned),
	KUNIT_CASE(ba_be_brr_round_trip),
	KUNIT_CASE(address_tests_round_trip_aligned_in_brr_and_bu),
	KUNIT_CASE(read_misaligned_address_tests_refuse_wrong_length),
	KUNIT_CASE(writer_refuses_what_does_not_fit),
	KUNIT_CASE(refuse_short_and_overlong),
	KUNIT_CASE(refuse_bad_checksum_and_proto),
	KUNIT_CASE(refuse_unknown_type),
	KUNIT_CASE(skip_unknown_options),
	KUNIT_CASE(read_misaligned_options_and_count_them),
	KUNIT_CASE(count_bad_bid_lengths_in_updates_refuse_them_elsewhere),
	KUNIT_CASE(refuse_bad_option_lengths),
	KUNIT_CASE(refuse_prefix_count_mismatch),
	{}
};

static struct kunit_suite mh_test_suite = {
	.name = "hostcache_mh",
	.init = mh_test_init,
	.test_cases = mh_test_cases,
};

kunit_test_suite(mh_test_suite);
