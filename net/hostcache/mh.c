// SPDX-License-Identifier: GPL-2.0
/* hostcache: Mobility Header codec.
 *
 * Offsets and alignments count from the start of the Mobility Header, as
 * RFC 6275 6.2 says. The draft's two options travel as RFC 5096
 * experimental options whose first data byte names them, so that other
 * implementations skip them as valid options.
 */

#include <linux/errno.h>
#include <linux/string.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "mh.h"

#define HC_MH_HDR_LEN	6	/* up to and with the checksum */

/* Bytes of the fixed part of each message type, header included. */
static unsigned int hc_mh_fixed_len(u8 type)
{
	switch (type) {
	case HC_MH_BRR:
		return 8;
	case HC_MH_BU:
	case HC_MH_BA:
		return 12;
	case HC_MH_BE:
		return 24;
	}
	return 0;
}

/* Alternate Prefixes: the prefix length a PL value names (draft 3.1.2).
 * The draft's formula, 1 << (2 * (PL + 1)), gives 4, 16, 64 and 256; its
 * table and its maximum counts (63, 31, 21, 15) say 4, 8, 12 and 16, which
 * is what is implemented.
 */
static unsigned int hc_prefix_len(unsigned int pl)
{
	return 4 * (pl + 1);
}

static bool hc_aligned(unsigned int off, unsigned int n, unsigned int y)
{
	return off % n == y;
}

static u16 hc_get16(const u8 *p)
{
	return (p[0] << 8) | p[1];
}

static void hc_put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* Count an option that does not start at @n x + @y. RFC 6275 6.2 puts
 * the alignment on senders; receivers commonly read what they get, and
 * the codec reads options byte by byte, so it takes them too.
 */
static void hc_check_align(struct hc_mh_msg *msg, unsigned int off,
			   unsigned int n, unsigned int y)
{
	if (!hc_aligned(off, n, y))
		msg->n_misaligned++;
}

static int hc_parse_bid(const u8 *opt, unsigned int off, unsigned int olen,
			struct hc_mh_msg *msg)
{
	struct hc_mh_bid *bid;

	if (olen != 4 && olen != 8 && olen != 20) {
		/* RFC 5648 6.2: a Binding Update with one is answered
		 * with status 164 (binding.c); another message is refused.
		 */
		if (msg->type != HC_MH_BU)
			return HC_MH_ERR_BID_LEN;
		msg->n_bad_bids++;
		return HC_MH_OK;
	}
	hc_check_align(msg, off, olen == 4 ? 2 : 8, olen == 4 ? 0 : 2);
	if (msg->n_bids == HC_MH_MAX_BIDS)
		return HC_MH_ERR_TOO_MANY;
	bid = &msg->bids[msg->n_bids++];
	bid->bid = hc_get16(opt + 2);
	bid->status = opt[4];
	bid->h = opt[5] & 0x80;
	bid->coa_len = olen - 4;
	if (olen == 8) {
		__be32 v4;

		memcpy(&v4, opt + 6, sizeof(v4));
		ipv6_addr_set_v4mapped(v4, &bid->coa);
	} else if (olen == 20) {
		memcpy(&bid->coa, opt + 6, sizeof(bid->coa));
	}
	return HC_MH_OK;
}

/* Complete each prefix with the suffix of @base. */
static int hc_parse_prefixes(const u8 *opt, unsigned int off,
			     unsigned int olen, const struct in6_addr *base,
			     struct hc_mh_msg *msg)
{
	unsigned int plen, count, i;
	struct in6_addr *addr;

	hc_check_align(msg, off, 4, 0);
	if (olen < 2)
		return HC_MH_ERR_OPTLEN;
	plen = hc_prefix_len(opt[3] >> 6);
	count = opt[3] & 0x3f;
	/* Draft 3.1.2: the draft's length (ours less the sub-type byte) is
	 * 1 + prefix length * prefix count.
	 */
	if (olen - 1 != 1 + plen * count)
		return HC_MH_ERR_PREFIXES;
	if (msg->n_prefixed + count > HC_MH_MAX_PREFIXED)
		return HC_MH_ERR_TOO_MANY;
	for (i = 0; i < count; i++) {
		addr = &msg->prefixed[msg->n_prefixed++];
		*addr = *base;
		memcpy(addr, opt + 4 + i * plen, plen);
	}
	return HC_MH_OK;
}

static int hc_parse_exp(const u8 *opt, unsigned int off, unsigned int olen,
			const struct in6_addr *src, struct hc_mh_msg *msg)
{
	const struct in6_addr *base;

	if (olen < 1) {
		msg->n_unknown++;
		return HC_MH_OK;
	}
	switch (opt[2]) {
	case HC_EXP_HOMELESS:
		hc_check_align(msg, off, 2, 0);
		if (olen != 2)
			return HC_MH_ERR_OPTLEN;
		msg->homeless = true;
		return HC_MH_OK;
	case HC_EXP_ALTPREFIX:
		base = msg->n_altcoas ? &msg->altcoas[msg->n_altcoas - 1] : src;
		return hc_parse_prefixes(opt, off, olen, base, msg);
	case HC_EXP_ADDR_TEST:
		hc_check_align(msg, off, 8, 5);
		if (olen != 1 + sizeof(u64))
			return HC_MH_ERR_OPTLEN;
		if (msg->n_tests == HC_MH_MAX_TESTS)
			return HC_MH_ERR_TOO_MANY;
		memcpy(&msg->tests[msg->n_tests++], opt + 3, sizeof(u64));
		return HC_MH_OK;
	}
	msg->n_unknown++;
	return HC_MH_OK;
}

/* Check a known option's alignment and length. */
static int hc_check_opt(struct hc_mh_msg *msg, unsigned int off,
			unsigned int olen, unsigned int n, unsigned int y,
			unsigned int want)
{
	hc_check_align(msg, off, n, y);
	return olen == want ? HC_MH_OK : HC_MH_ERR_OPTLEN;
}

static int hc_parse_options(const u8 *data, unsigned int off, unsigned int end,
			    const struct in6_addr *src, struct hc_mh_msg *msg)
{
	unsigned int olen;
	const u8 *opt;
	int err;

	while (off < end) {
		opt = data + off;
		if (opt[0] == HC_MHOPT_PAD1) {
			off++;
			continue;
		}
		if (end - off < 2 || end - off - 2 < opt[1])
			return HC_MH_ERR_OPTION;
		olen = opt[1];
		switch (opt[0]) {
		case HC_MHOPT_PADN:
			err = HC_MH_OK;
			break;
		case HC_MHOPT_REFRESH:
			err = hc_check_opt(msg, off, olen, 2, 0, 2);
			if (!err) {
				msg->has_refresh = true;
				msg->refresh = hc_get16(opt + 2);
			}
			break;
		case HC_MHOPT_ALTCOA:
			err = hc_check_opt(msg, off, olen, 8, 6, 16);
			if (!err && msg->n_altcoas == HC_MH_MAX_ALTCOAS)
				err = HC_MH_ERR_TOO_MANY;
			if (!err)
				memcpy(&msg->altcoas[msg->n_altcoas++], opt + 2,
				       sizeof(struct in6_addr));
			break;
		case HC_MHOPT_NONCE:
			err = hc_check_opt(msg, off, olen, 2, 0, 4);
			break;
		case HC_MHOPT_AUTH:
			/* Return routability's; ignored (Documentation). */
			hc_check_align(msg, off, 8, 2);
			err = HC_MH_OK;
			break;
		case HC_MHOPT_BID:
			err = hc_parse_bid(opt, off, olen, msg);
			break;
		case HC_MHOPT_EXP:
			err = hc_parse_exp(opt, off, olen, src, msg);
			break;
		default:
			msg->n_unknown++;
			err = HC_MH_OK;
		}
		if (err)
			return err;
		off += 2 + olen;
	}
	return HC_MH_OK;
}

/**
 * hc_mh_parse() - decode and check a Mobility Header message
 * @data: the message, from its first byte
 * @len: bytes available at @data
 * @src: the packet's source address (checksum, Alternate Prefixes)
 * @dst: the packet's destination address (checksum)
 * @msg: the decoded message
 *
 * Checks, in order: the header fits, its length fits the packet, the
 * payload proto is IPPROTO_NONE (or, for a Binding Update or
 * Acknowledgment, another Mobility Header), the checksum, the type, the
 * fixed part and each option: known options must be of their length (a
 * misaligned one is counted in @msg->n_misaligned and read all the same;
 * a BID option of a wrong length in a Binding Update is counted in
 * @msg->n_bad_bids, for the update's refusal); unknown ones are skipped.
 * For %HC_MH_ERR_TYPE, @msg->type is set, so the caller can answer with a
 * Binding Error.
 *
 * Return: %HC_MH_OK, or the &enum hc_mh_error that refused the message.
 */
int hc_mh_parse(const u8 *data, unsigned int len, const struct in6_addr *src,
		const struct in6_addr *dst, struct hc_mh_msg *msg)
{
	unsigned int mlen, fixed;

	memset(msg, 0, sizeof(*msg));
	if (len < 8)
		return HC_MH_ERR_SHORT;
	mlen = (data[1] + 1) * 8;
	if (mlen > len)
		return HC_MH_ERR_LENGTH;
	/* Draft 3.2.2: a packet may carry several Binding Updates, or
	 * Acknowledgments; each but the last names the next as its
	 * payload (RFC 6275 B.1).
	 */
	if (data[0] != NEXTHDR_NONE &&
	    (data[0] != IPPROTO_MH ||
	     (data[2] != HC_MH_BU && data[2] != HC_MH_BA)))
		return HC_MH_ERR_PROTO;
	if (csum_ipv6_magic(src, dst, mlen, IPPROTO_MH,
			    csum_partial(data, mlen, 0)))
		return HC_MH_ERR_CSUM;
	msg->type = data[2];
	msg->next = data[0];
	msg->len = mlen;
	fixed = hc_mh_fixed_len(msg->type);
	if (!fixed)
		return HC_MH_ERR_TYPE;
	if (mlen < fixed)
		return HC_MH_ERR_SHORT;

	switch (msg->type) {
	case HC_MH_BU:
		msg->seq = hc_get16(data + 6);
		msg->flags = hc_get16(data + 8);
		msg->lifetime = hc_get16(data + 10);
		break;
	case HC_MH_BA:
		msg->status = data[6];
		msg->flags = data[7] << 8;
		msg->seq = hc_get16(data + 8);
		msg->lifetime = hc_get16(data + 10);
		break;
	case HC_MH_BE:
		msg->status = data[6];
		memcpy(&msg->home, data + 8, sizeof(msg->home));
		break;
	}
	return hc_parse_options(data, fixed, mlen, src, msg);
}

static u8 *hc_mh_reserve(struct hc_mh_writer *w, unsigned int n)
{
	u8 *p;

	if (w->err || w->size - w->len < n) {
		w->err = -ENOSPC;
		return NULL;
	}
	p = w->buf + w->len;
	memset(p, 0, n);
	w->len += n;
	return p;
}

/* Pad with Pad1 or PadN so that the next option starts at xn + y. */
static void hc_mh_align(struct hc_mh_writer *w, unsigned int n, unsigned int y)
{
	unsigned int pad = (y + n - w->len % n) % n;
	u8 *p;

	if (!pad)
		return;
	p = hc_mh_reserve(w, pad);
	if (p && pad > 1) {
		p[0] = HC_MHOPT_PADN;
		p[1] = pad - 2;
	}
}

/* Start an option of @olen data bytes at xn + y; return its data. */
static u8 *hc_mh_option(struct hc_mh_writer *w, u8 type, unsigned int olen,
			unsigned int n, unsigned int y)
{
	u8 *p;

	hc_mh_align(w, n, y);
	p = hc_mh_reserve(w, 2 + olen);
	if (!p)
		return NULL;
	p[0] = type;
	p[1] = olen;
	return p + 2;
}

/**
 * hc_mh_start() - begin a message
 * @w: the writer
 * @buf: where to build it
 * @size: room at @buf
 * @type: HC_MH_*; the fixed part follows with hc_mh_put_bu() and friends
 */
void hc_mh_start(struct hc_mh_writer *w, u8 *buf, unsigned int size, u8 type)
{
	u8 *p;

	w->buf = buf;
	w->size = size;
	w->len = 0;
	w->err = 0;
	p = hc_mh_reserve(w, HC_MH_HDR_LEN);
	if (p) {
		p[0] = NEXTHDR_NONE;
		p[2] = type;
	}
}

/**
 * hc_mh_put_bu() - the fixed part of a Binding Update
 * @w: the writer
 * @seq: sequence number
 * @flags: HC_BU_*
 * @lifetime: in units of 4 seconds
 */
void hc_mh_put_bu(struct hc_mh_writer *w, u16 seq, u16 flags, u16 lifetime)
{
	u8 *p = hc_mh_reserve(w, 6);

	if (p) {
		hc_put16(p, seq);
		hc_put16(p + 2, flags);
		hc_put16(p + 4, lifetime);
	}
}

/**
 * hc_mh_put_ba() - the fixed part of a Binding Acknowledgment
 * @w: the writer
 * @status: BA status
 * @flags: BA flags byte
 * @seq: sequence number acknowledged
 * @lifetime: granted lifetime, in units of 4 seconds
 */
void hc_mh_put_ba(struct hc_mh_writer *w, u8 status, u8 flags, u16 seq,
		  u16 lifetime)
{
	u8 *p = hc_mh_reserve(w, 6);

	if (p) {
		p[0] = status;
		p[1] = flags;
		hc_put16(p + 2, seq);
		hc_put16(p + 4, lifetime);
	}
}

/**
 * hc_mh_put_be() - the fixed part of a Binding Error
 * @w: the writer
 * @status: HC_BE_*
 * @home: the home address of the packet in error, or ::
 */
void hc_mh_put_be(struct hc_mh_writer *w, u8 status,
		  const struct in6_addr *home)
{
	u8 *p = hc_mh_reserve(w, 18);

	if (p) {
		p[0] = status;
		memcpy(p + 2, home, sizeof(*home));
	}
}

/**
 * hc_mh_put_brr() - the fixed part of a Binding Refresh Request
 * @w: the writer
 */
void hc_mh_put_brr(struct hc_mh_writer *w)
{
	hc_mh_reserve(w, 2);
}

/**
 * hc_mh_put_bid() - a Binding Identifier option (RFC 5648 4.3)
 * @w: the writer
 * @bid: the option; a care-of address only if @bid->coa_len is 16
 */
void hc_mh_put_bid(struct hc_mh_writer *w, const struct hc_mh_bid *bid)
{
	bool coa = bid->coa_len == 16;
	u8 *p;

	p = hc_mh_option(w, HC_MHOPT_BID, coa ? 20 : 4, coa ? 8 : 2,
			 coa ? 2 : 0);
	if (!p)
		return;
	hc_put16(p, bid->bid);
	p[2] = bid->status;
	p[3] = bid->h ? 0x80 : 0;
	if (coa)
		memcpy(p + 4, &bid->coa, sizeof(bid->coa));
}

/**
 * hc_mh_put_altcoa() - an Alternate Care-of Address option
 * @w: the writer
 * @coa: the address
 */
void hc_mh_put_altcoa(struct hc_mh_writer *w, const struct in6_addr *coa)
{
	u8 *p = hc_mh_option(w, HC_MHOPT_ALTCOA, sizeof(*coa), 8, 6);

	if (p)
		memcpy(p, coa, sizeof(*coa));
}

/**
 * hc_mh_put_refresh() - a Binding Refresh Advice option
 * @w: the writer
 * @interval: in units of 4 seconds
 */
void hc_mh_put_refresh(struct hc_mh_writer *w, u16 interval)
{
	u8 *p = hc_mh_option(w, HC_MHOPT_REFRESH, 2, 2, 0);

	if (p)
		hc_put16(p, interval);
}

/**
 * hc_mh_put_homeless() - the Homeless Support option (draft 3.1.1)
 * @w: the writer
 */
void hc_mh_put_homeless(struct hc_mh_writer *w)
{
	u8 *p = hc_mh_option(w, HC_MHOPT_EXP, 2, 2, 0);

	if (p)
		p[0] = HC_EXP_HOMELESS;
}

/**
 * hc_mh_put_addr_test() - an Address Test option: a nonce sent to an
 *	address in a Binding Refresh Request, echoed in a Binding Update
 * @w: the writer
 * @nonce: the nonce, opaque to the echoing side
 */
void hc_mh_put_addr_test(struct hc_mh_writer *w, u64 nonce)
{
	/* At 8n + 5, so that the nonce is 8-byte aligned. */
	u8 *p = hc_mh_option(w, HC_MHOPT_EXP, 1 + sizeof(nonce), 8, 5);

	if (!p)
		return;
	p[0] = HC_EXP_ADDR_TEST;
	memcpy(p + 1, &nonce, sizeof(nonce));
}

/**
 * hc_mh_put_prefixes() - an Alternate Prefixes option (draft 3.1.2)
 * @w: the writer
 * @prefix_len: 4, 8, 12 or 16 bytes of each address to send
 * @addrs: the addresses; the receiver takes the rest of each from the
 *	preceding Alternate Care-of Address or the source address
 * @n: how many; at most what fits in one option
 *
 * Return: 0, or -EINVAL for a prefix length or count the option cannot
 * carry.
 */
int hc_mh_put_prefixes(struct hc_mh_writer *w, unsigned int prefix_len,
		       const struct in6_addr *addrs, unsigned int n)
{
	unsigned int pl = prefix_len / 4 - 1, i;
	u8 *p;

	if (prefix_len % 4 || pl > 3 || !n || n > 0x3f ||
	    1 + 1 + prefix_len * n > 255)
		return -EINVAL;
	p = hc_mh_option(w, HC_MHOPT_EXP, 2 + prefix_len * n, 4, 0);
	if (!p)
		return w->err;
	p[0] = HC_EXP_ALTPREFIX;
	p[1] = pl << 6 | n;
	for (i = 0; i < n; i++)
		memcpy(p + 2 + i * prefix_len, &addrs[i], prefix_len);
	return 0;
}

/**
 * hc_mh_chain() - say that another Binding Update follows this one in the
 *	same packet (draft 3.2.2)
 * @w: the writer of a Binding Update, before hc_mh_finish()
 */
void hc_mh_chain(struct hc_mh_writer *w)
{
	if (!w->err)
		w->buf[0] = IPPROTO_MH;
}

/**
 * hc_mh_finish() - pad to a multiple of 8 bytes, set length and checksum
 * @w: the writer
 * @src: the source address the message will be sent from
 * @dst: its destination address
 *
 * Return: the message's length, or -ENOSPC if it did not fit.
 */
int hc_mh_finish(struct hc_mh_writer *w, const struct in6_addr *src,
		 const struct in6_addr *dst)
{
	__sum16 csum;

	hc_mh_align(w, 8, 0);
	if (w->err)
		return w->err;
	if (w->len > 8 * 256)
		return -ENOSPC;
	w->buf[1] = w->len / 8 - 1;
	csum = csum_ipv6_magic(src, dst, w->len, IPPROTO_MH,
			       csum_partial(w->buf, w->len, 0));
	memcpy(w->buf + 4, &csum, sizeof(csum));
	return w->len;
}
