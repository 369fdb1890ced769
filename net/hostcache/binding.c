// SPDX-License-Identifier: GPL-2.0
/* hostcache: processing received Mobility Header messages.
 *
 * A Binding Update becomes a &struct hc_bind_req for the Host Cache, by
 * the rules of RFC 6275 9.5 and RFC 5648 6.2 for a correspondent, with the
 * homeless draft's relaxations (3.2.2): a homeless peer may bind several
 * BIDs at once and send several updates in one packet. The answers to
 * send, Binding Acknowledgments or a Binding Error, are built into
 * buffers; mh_input.c sends them. Nothing here touches an skb, so KUnit
 * and the fuzz test drive the same code the packet path runs.
 */

#include <linux/jiffies.h>
#include <net/ipv6.h>

#include "hostcache.h"

/* An address a peer may bind: unicast and routable beyond the link. */
static bool hc_coa_usable(const struct in6_addr *addr)
{
	int type = ipv6_addr_type(addr);

	return type != IPV6_ADDR_ANY &&
	       !(type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK |
			 IPV6_ADDR_MAPPED | IPV6_ADDR_LINKLOCAL));
}

static void hc_bind_spec_set(struct hc_faddr_spec *spec,
			     const struct in6_addr *addr, u16 bid,
			     u32 lifetime)
{
	memset(spec, 0, sizeof(*spec));
	spec->addr = *addr;
	spec->bid = bid;
	spec->lifetime = lifetime;
	spec->flags = HOSTCACHE_ADDR_F_FROM_BU;
}

/* Turn the BID options of @bu into @req; return a BA status. */
static u8 hc_bu_bids(const struct hc_mh_msg *bu, const struct in6_addr *src,
		     u32 lifetime, struct hc_bind_req *req,
		     struct hc_faddr_spec *specs)
{
	const struct hc_mh_bid *b;
	const struct in6_addr *coa;
	unsigned int i, j;
	__be32 v4;

	for (i = 0; i < bu->n_bids; i++) {
		b = &bu->bids[i];
		/* BID 0 is reserved (RFC 5648 4.3) and what a receiver does
		 * with it is unspecified: it is refused as malformed.
		 */
		if (!b->bid)
			return HC_BA_MCOA_MALFORMED;
		for (j = 0; j < i; j++)
			if (bu->bids[j].bid == b->bid)
				return HC_BA_MCOA_MALFORMED;
	}
	req->op = lifetime ? HC_BIND_BIDS : HC_BIND_DEL_BIDS;
	for (i = 0; i < bu->n_bids; i++) {
		b = &bu->bids[i];
		if (!lifetime) {
			/* RFC 5648 5.4: a removal's care-of address is
			 * ignored.
			 */
			hc_bind_spec_set(&specs[i], &in6addr_any, b->bid, 0);
			continue;
		}
		if (b->coa_len == 4) {
			v4 = b->coa.s6_addr32[3];
			if (ipv4_is_zeronet(v4) || ipv4_is_loopback(v4) ||
			    ipv4_is_multicast(v4) || ipv4_is_lbcast(v4))
				return HC_BA_MCOA_MALFORMED;
			/* An IPv4 care-of address needs DSMIPv6 (RFC 5555),
			 * which this module does not do.
			 */
			return HC_BA_MCOA_PROHIBITED;
		}
		if (b->coa_len == 16) {
			coa = &b->coa;
			if (!hc_coa_usable(coa))
				return HC_BA_MCOA_MALFORMED;
		} else {
			/* RFC 5648 6.2: Alternate Care-of Address, else the
			 * source address.
			 */
			coa = bu->n_altcoas ? &bu->altcoas[0] : src;
			if (!hc_coa_usable(coa))
				return HC_BA_INVALID_COA;
		}
		for (j = 0; j < i; j++)
			if (ipv6_addr_equal(&specs[j].addr, coa))
				return HC_BA_MCOA_MALFORMED;
		hc_bind_spec_set(&specs[i], coa, b->bid, lifetime);
	}
	req->n = bu->n_bids;
	return HC_BA_ACCEPTED;
}

/* The @i-th address a BU without BID names: its care-of address (the
 * first Alternate Care-of Address, else the source), then the further
 * Alternate Care-of Addresses and the Alternate Prefixes' addresses that
 * a homeless peer may add (draft 3.2.2).
 */
static const struct in6_addr *hc_bu_addr(const struct hc_mh_msg *bu,
					 const struct in6_addr *src,
					 unsigned int i)
{
	if (i == 0)
		return bu->n_altcoas ? &bu->altcoas[0] : src;
	if (i < bu->n_altcoas)
		return &bu->altcoas[i];
	return &bu->prefixed[i - max(bu->n_altcoas, 1U)];
}

/* Collect the addresses of a BU without BID, each once, into @req;
 * return a BA status.
 */
static u8 hc_bu_addrs(const struct hc_mh_msg *bu, const struct in6_addr *src,
		      u32 lifetime, struct hc_bind_req *req,
		      struct hc_faddr_spec *specs)
{
	unsigned int total = max(bu->n_altcoas, 1U) + bu->n_prefixed;
	const struct in6_addr *addr;
	unsigned int i, j, n = 0;

	for (i = 0; i < total; i++) {
		addr = hc_bu_addr(bu, src, i);
		if (!hc_coa_usable(addr))
			return HC_BA_INVALID_COA;
		for (j = 0; j < n; j++)
			if (ipv6_addr_equal(&specs[j].addr, addr))
				break;
		if (j == n)
			hc_bind_spec_set(&specs[n++], addr, 0, lifetime);
	}
	req->op = HC_BIND_REPLACE;
	req->n = n;
	return HC_BA_ACCEPTED;
}

/* Whether a spec of @req names one of this host's addresses: a peer that
 * binds one would have this host send to itself, or to a neighbour that
 * answers for it.
 */
static bool hc_bind_names_ours(struct hc_locals *locals,
			       const struct hc_bind_req *req)
{
	bool ours = false;
	unsigned int i;

	if (!locals)
		return false;
	rcu_read_lock();
	for (i = 0; i < req->n && !ours; i++)
		ours = hc_local_has(locals, &req->specs[i].addr);
	rcu_read_unlock();
	return ours;
}

/* Take out of @req the addresses that another entry than @id holds, into
 * @claims (*@n_claims of them so far, room for %HC_BU_MAX_ADDRS): the
 * peer of @id, whose SA vouches for the update, claims them. They may be
 * its own, reached by this host's traffic before its first update made
 * the two entries one, or another peer's: they move once the peer echoes
 * a test sent to them (hc_foreign_claim()), and nothing changes before.
 * An entry with an SA of its own is its key holder's: an update that
 * lists one of its addresses is refused, as is one with more claims
 * than there is room for. Return false if refused.
 */
static bool hc_bu_claims(struct hc_cache *cache, u32 id,
			 struct hc_bind_req *req, struct hc_faddr_spec *specs,
			 struct in6_addr *claims, unsigned int *n_claims)
{
	unsigned int i, n = 0, first = *n_claims;
	struct hc_faddr *fa;
	bool ok = true;

	rcu_read_lock();
	for (i = 0; i < req->n && ok; i++) {
		fa = hc_faddr_lookup(cache, &specs[i].addr);
		if (!fa || fa->entry->id == id)
			specs[n++] = specs[i];
		else if (READ_ONCE(fa->entry->ah_reqid) ||
			 *n_claims == HC_BU_MAX_ADDRS)
			ok = false;
		else
			claims[(*n_claims)++] = specs[i].addr;
	}
	rcu_read_unlock();
	if (!ok)
		*n_claims = first;
	else
		req->n = n;
	return ok;
}

/* A BA status for what hc_foreign_bind() said. */
static u8 hc_bind_status(int err)
{
	switch (err) {
	case 0:
		return HC_BA_ACCEPTED;
	case -ERANGE:
		return HC_BA_SEQ_WINDOW;
	case -EPERM:
		return HC_BA_MCOA_BULK;
	case -ENOENT:
		return HC_BA_NOT_HA;	/* RFC 5648-11 5.4 */
	case -EBUSY:
		return HC_BA_MCOA_NON_MCOA;
	case -EADDRINUSE:
	case -EINVAL:
		return HC_BA_INVALID_COA;
	case -E2BIG:
	case -ENOSPC:
	case -ENOMEM:
		return HC_BA_NO_RESOURCES;
	}
	return HC_BA_UNSPECIFIED;
}

/**
 * hc_bu_process() - apply one Binding Update to the Host Cache
 * @cache: the cache
 * @bu: the update, as hc_mh_parse() decoded it
 * @src: the packet's source address
 * @auth: what vouches for it: the entry whose AH SA authenticated the
 *	update, or 0 for the entry of @src (test switch); this host's
 *	addresses, which no update may bind
 * @now: the time (jiffies)
 * @specs: room for %HC_BU_MAX_ADDRS addresses
 * @ack_seq: set to the sequence number a Binding Acknowledgment carries
 * @bound: set to the entry the update changed, if it was applied
 * @claims: gets the addresses of other entries an update under an SA
 *	lists, to test (room for %HC_BU_MAX_ADDRS)
 * @n_claims: how many @claims holds
 *
 * Return: the Binding Acknowledgment status: 0 if the update was applied,
 * 128 or more if it was refused and nothing changed.
 */
u8 hc_bu_process(struct hc_cache *cache, const struct hc_mh_msg *bu,
		 const struct in6_addr *src, const struct hc_mh_auth *auth,
		 unsigned long now, struct hc_faddr_spec *specs, u16 *ack_seq,
		 u32 *bound, struct in6_addr *claims, unsigned int *n_claims)
{
	u32 lifetime = min(bu->lifetime * 4U,
			   READ_ONCE(cache->params->max_binding_lifetime));
	struct hc_bind_req req = {
		.peer = src,
		.entry = auth->entry,
		.specs = specs,
		.seq = bu->seq,
		.overwrite = bu->flags & HC_BU_O,
		.homeless = bu->homeless,
	};
	u8 status = HC_BA_ACCEPTED;
	u16 last_seq = 0;
	u32 id;
	int err;

	*ack_seq = bu->seq;
	/* A correspondent, not a home agent (RFC 6275 9.5.1). */
	if (bu->flags & HC_BU_H)
		return HC_BA_HOME_UNSUPPORTED;
	/* RFC 6275's checks before RFC 5648's. */
	if (hc_foreign_bind_stale(cache, &req, &last_seq)) {
		*ack_seq = last_seq;
		return HC_BA_SEQ_WINDOW;
	}
	if (bu->n_bad_bids)
		return HC_BA_MCOA_MALFORMED;	/* RFC 5648 6.2 */
	if (bu->n_bids)
		status = hc_bu_bids(bu, src, lifetime, &req, specs);
	else if (lifetime)
		status = hc_bu_addrs(bu, src, lifetime, &req, specs);
	else
		req.op = HC_BIND_DEL_ALL;
	if (status)
		return status;
	if (hc_bind_names_ours(auth->locals, &req))
		return HC_BA_INVALID_COA;
	/* Draft 3.2.2: only a homeless peer binds several addresses at once,
	 * by BIDs or by Alternate Care-of Addresses and Prefixes.
	 */
	req.bulk = req.n > 1;
	/* RFC 5648 5.4: the O flag means nothing in a removal. */
	if (!lifetime)
		req.overwrite = false;
	if (auth->entry && lifetime) {
		if (!hc_bu_claims(cache, auth->entry, &req, specs, claims,
				  n_claims))
			return HC_BA_INVALID_COA;
		/* Nothing else to bind: the claims wait for their tests. */
		if (!req.n)
			return HC_BA_ACCEPTED;
	}

	err = hc_foreign_bind(cache, &req, now, &id, &last_seq);
	if (err == -ERANGE)
		*ack_seq = last_seq;	/* RFC 6275 9.5.1 */
	if (!err)
		*bound = id;
	return hc_bind_status(err);
}

static void hc_mh_count(struct hc_net *hn, unsigned int counter)
{
	atomic64_inc(&hn->mh_stats[counter]);
}

/* Queue a Binding Acknowledgment to the sender of the packet. Its BID
 * options copy the acknowledged updates' BIDs with status 0: a
 * correspondent puts its verdict in the BA status (RFC 5648 6.2). The
 * Homeless Support option tells the peer that this host is homeless.
 */
static void hc_mh_queue_ba(struct hc_mh_rx *rx, u8 status, u16 seq,
			   u16 lifetime, const u16 *bids, unsigned int n_bids,
			   const struct in6_addr *src,
			   const struct in6_addr *dst)
{
	struct hc_mh_reply *reply = &rx->replies[rx->n_replies];
	struct hc_mh_bid bid = {};
	struct hc_mh_writer w;
	unsigned int i;
	int len;

	hc_mh_start(&w, reply->buf, sizeof(reply->buf), HC_MH_BA);
	hc_mh_put_ba(&w, status, 0, seq, lifetime);
	for (i = 0; i < n_bids; i++) {
		bid.bid = bids[i];
		hc_mh_put_bid(&w, &bid);
	}
	hc_mh_put_homeless(&w);
	len = hc_mh_finish(&w, dst, src);
	if (len > 0) {
		reply->len = len;
		rx->n_replies++;
	}
}

static void hc_mh_queue_be(struct hc_mh_rx *rx, u8 status,
			   const struct in6_addr *src,
			   const struct in6_addr *dst)
{
	struct hc_mh_reply *reply = &rx->replies[rx->n_replies];
	struct hc_mh_writer w;
	int len;

	hc_mh_start(&w, reply->buf, sizeof(reply->buf), HC_MH_BE);
	hc_mh_put_be(&w, status, &in6addr_any);
	len = hc_mh_finish(&w, dst, src);
	if (len > 0) {
		reply->len = len;
		rx->n_replies++;
	}
}

/* What to answer a packet refused with @verdict, whose bad message starts
 * at @off (RFC 6275 9.2): a Binding Error for an unknown type, an ICMPv6
 * Parameter Problem for a wrong payload proto or a header length below
 * the type's minimum, silence for the rest.
 */
static void hc_mh_answer_error(struct hc_mh_rx *rx, int verdict,
			       unsigned int off, unsigned int len,
			       const struct in6_addr *src,
			       const struct in6_addr *dst)
{
	if (verdict == HC_MH_ERR_TYPE)
		hc_mh_queue_be(rx, HC_BE_UNKNOWN_TYPE, src, dst);
	else if (verdict == HC_MH_ERR_PROTO && !off)
		rx->param_problem = 0;
	else if (verdict == HC_MH_ERR_SHORT && len - off >= 8)
		rx->param_problem = off + 1;
}

/* Check every message of the packet, before any changes anything. */
static int hc_mh_check(struct hc_net *hn, const u8 *data, unsigned int len,
		       const struct in6_addr *src, const struct in6_addr *dst,
		       struct hc_mh_rx *rx, unsigned int *off)
{
	unsigned int n = 0, bids = 0;
	u8 type = 0;
	int verdict;

	*off = 0;
	for (;;) {
		verdict = hc_mh_parse(data + *off, len - *off, src, dst,
				      &rx->msg);
		if (verdict)
			return verdict;
		if (rx->msg.n_misaligned)
			hc_mh_count(hn, HC_MH_STAT_MISALIGNED);
		if (rx->msg.n_bad_bids)
			hc_mh_count(hn, HC_MH_ERR_BID_LEN);
		/* Only Binding Updates, or Acknowledgments, come several to
		 * a packet, with as many BIDs in all as one Binding
		 * Acknowledgment copies.
		 */
		if (n && rx->msg.type != type)
			return HC_MH_ERR_PROTO;
		type = rx->msg.type;
		bids += rx->msg.n_bids;
		if (bids > HC_MH_MAX_BIDS)
			return HC_MH_ERR_TOO_MANY;
		if (rx->msg.next != IPPROTO_MH)
			return HC_MH_OK;
		if (++n == HC_MH_MAX_CHAIN)
			return HC_MH_ERR_TOO_MANY;
		*off += rx->msg.len;
	}
}

/* Keep the Binding Acknowledgment in @rx->msg for announce.c. */
static void hc_mh_note_ack(struct hc_mh_rx *rx)
{
	struct hc_mh_ack *ack = &rx->acks[rx->n_acks++];
	unsigned int i;

	ack->seq = rx->msg.seq;
	ack->status = rx->msg.status;
	ack->lifetime = rx->msg.lifetime;
	ack->homeless = rx->msg.homeless;
	ack->n_bids = rx->msg.n_bids;
	for (i = 0; i < rx->msg.n_bids; i++) {
		ack->bids[i] = rx->msg.bids[i].bid;
		ack->bid_status[i] = rx->msg.bids[i].status;
	}
}

/**
 * hc_mh_handle() - process the Mobility Header messages of one packet
 * @hn: the namespace
 * @data: the packet from its first Mobility Header on
 * @len: bytes at @data
 * @src: the packet's source address
 * @dst: the packet's destination address
 * @auth: what vouches for the packet: it may change the Host Cache only
 *	under an entry's AH SA, or with the test switch on
 * @now: the time (jiffies)
 * @rx: scratch space; on return, the answers to send from @dst to @src
 *	in @rx->replies, in @rx->param_problem the offset from @data an
 *	ICMPv6 Parameter Problem should point to, or -1, and in @rx->acks
 *	the authenticated Binding Acknowledgments that came
 *
 * A packet with any malformed message changes nothing. Binding Updates
 * are applied in order, each all or nothing; the first one refused stops
 * the rest. Accepted updates get one Binding Acknowledgment, for the
 * highest sequence number (draft 3.2.2), if any of them asked for one; a
 * refused one gets its own.
 *
 * Context: any; counts into @hn->mh_stats.
 * Return: %HC_MH_OK or the &enum hc_mh_error that refused the packet.
 */
int hc_mh_handle(struct hc_net *hn, const u8 *data, unsigned int len,
		 const struct in6_addr *src, const struct in6_addr *dst,
		 const struct hc_mh_auth *auth, unsigned long now,
		 struct hc_mh_rx *rx)
{
	unsigned int off, i, n_acked = 0;
	u16 seq, ack_seq = 0, ack_lifetime = 0;
	bool ack = false;
	int verdict;
	u8 status;

	rx->n_replies = 0;
	rx->param_problem = -1;
	rx->n_acks = 0;
	rx->bound_homeless = false;
	rx->bound = 0;
	rx->n_claims = 0;
	rx->n_echoes = 0;
	rx->n_tests = 0;
	hc_mh_count(hn, HC_MH_STAT_RECEIVED);
	verdict = hc_mh_check(hn, data, len, src, dst, rx, &off);
	hc_mh_count(hn, verdict);
	if (verdict) {
		hc_mh_answer_error(rx, verdict, off, len, src, dst);
		return verdict;
	}
	/* A test of our address needs no authentication: the echo goes
	 * under our SA to the peer the source names, which ignores a nonce
	 * it did not send.
	 */
	if (rx->msg.type == HC_MH_BRR) {
		rx->n_tests = rx->msg.n_tests;
		memcpy(rx->tests, rx->msg.tests, sizeof(rx->tests));
		return HC_MH_OK;
	}
	if (!auth->entry && !auth->open) {
		hc_mh_count(hn, HC_MH_STAT_UNAUTHENTICATED);
		return HC_MH_OK;
	}

	for (off = 0; off < len; off += rx->msg.len) {
		hc_mh_parse(data + off, len - off, src, dst, &rx->msg);
		if (rx->msg.type == HC_MH_BA) {
			if (!auth->elsewhere)
				hc_mh_note_ack(rx);
			if (rx->msg.next != IPPROTO_MH)
				break;
			continue;
		}
		if (rx->msg.type != HC_MH_BU)
			break;	/* alone in its packet */
		status = hc_bu_process(&hn->cache, &rx->msg, src, auth, now,
				       rx->specs, &seq, &rx->bound, rx->claims,
				       &rx->n_claims);
		if (status >= HC_BA_UNSPECIFIED) {
			hc_mh_count(hn, HC_MH_STAT_BU_REJECTED);
			if (ack)
				hc_mh_queue_ba(rx, HC_BA_ACCEPTED, ack_seq,
					       ack_lifetime, rx->acked,
					       n_acked, src, dst);
			ack = false;
			for (i = 0; i < rx->msg.n_bids; i++)
				rx->acked[i] = rx->msg.bids[i].bid;
			hc_mh_queue_ba(rx, status, seq, 0, rx->acked,
				       rx->msg.n_bids, src, dst);
			break;
		}
		hc_mh_count(hn, HC_MH_STAT_BU_ACCEPTED);
		for (i = 0; i < rx->msg.n_bids; i++)
			rx->acked[n_acked++] = rx->msg.bids[i].bid;
		ack |= rx->msg.flags & HC_BU_A;
		ack_seq = seq;
		/* The lifetime granted (RFC 6275 9.5.1), in units of 4 s. */
		ack_lifetime = min_t(u32, rx->msg.lifetime,
				     READ_ONCE(hn->params.max_binding_lifetime) / 4);
		rx->bound_homeless |= rx->msg.homeless && rx->msg.lifetime;
		for (i = 0; i < rx->msg.n_tests; i++)
			if (rx->n_echoes < HC_MH_MAX_TESTS)
				rx->echoes[rx->n_echoes++] = rx->msg.tests[i];
		if (rx->msg.next != IPPROTO_MH)
			break;
	}
	if (ack)
		hc_mh_queue_ba(rx, HC_BA_ACCEPTED, ack_seq, ack_lifetime,
			       rx->acked, n_acked, src, dst);
	return HC_MH_OK;
}
