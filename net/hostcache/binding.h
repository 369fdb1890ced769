/* SPDX-License-Identifier: GPL-2.0 */
/* hostcache: processing received Mobility Header messages against the
 * Host Cache (binding.c).
 */
#ifndef _NET_HOSTCACHE_BINDING_H
#define _NET_HOSTCACHE_BINDING_H

#include "cache.h"
#include "mh.h"

struct hc_net;

/* Binding Acknowledgment status (RFC 6275 6.1.8, RFC 5648 4.4). */
#define HC_BA_ACCEPTED		0
#define HC_BA_UNSPECIFIED	128	/* 128 and above: refused */
#define HC_BA_NO_RESOURCES	130
#define HC_BA_HOME_UNSUPPORTED	131
#define HC_BA_NOT_HA		133	/* RFC 5648-11 5.4: unknown BID */
#define HC_BA_SEQ_WINDOW	135
#define HC_BA_MCOA_MALFORMED	164
#define HC_BA_MCOA_NON_MCOA	165	/* a binding without BID exists */
#define HC_BA_MCOA_PROHIBITED	166
#define HC_BA_MCOA_BULK		168	/* bulk registration prohibited */
#define HC_BA_INVALID_COA	174

/* Binding Updates, or Acknowledgments, one packet may carry (draft
 * 3.2.2); all of them carry at most HC_MH_MAX_BIDS BIDs.
 */
#define HC_MH_MAX_CHAIN		4

/* Addresses one Binding Update may bind: its care-of address, further
 * Alternate Care-of Addresses and Alternate Prefixes.
 */
#define HC_BU_MAX_ADDRS		(HC_MH_MAX_ALTCOAS + HC_MH_MAX_PREFIXED)

/* Room for the largest answer: a Binding Acknowledgment (12 bytes)
 * copying every BID of a packet, at most HC_MH_MAX_BIDS (6 bytes each, no
 * care-of address), and the Homeless Support option (4 bytes).
 */
#define HC_MH_REPLY_MAX		(16 + 6 * HC_MH_MAX_BIDS)

/**
 * struct hc_mh_reply - a Mobility Header message to send
 * @len: its length
 * @buf: the message, checksum included
 */
struct hc_mh_reply {
	unsigned int len;
	u8 buf[HC_MH_REPLY_MAX];
};

/**
 * struct hc_mh_ack - a Binding Acknowledgment of one of our updates
 * @seq: its sequence number
 * @status: its status
 * @lifetime: the lifetime it grants, in units of 4 seconds
 * @homeless: it carried the Homeless Support option
 * @n_bids: number of its BID options: none from a peer that does not
 *	know them (RFC 5648 5.7)
 * @bids: their BIDs
 * @bid_status: and the status of each
 */
struct hc_mh_ack {
	u16 seq;
	u8 status;
	u16 lifetime;
	bool homeless;
	unsigned int n_bids;
	u16 bids[HC_MH_MAX_BIDS];
	u8 bid_status[HC_MH_MAX_BIDS];
};

/**
 * struct hc_mh_rx - scratch space to process one packet, and its answers
 * @msg: the message being looked at
 * @specs: the addresses of one Binding Update
 * @acked: BIDs a Binding Acknowledgment copies
 * @n_replies: answers in @replies
 * @replies: answers to send back to the packet's source
 * @param_problem: where an ICMPv6 Parameter Problem points, from the first
 *	Mobility Header; -1 for none
 * @n_acks: number of @acks
 * @acks: the authenticated Binding Acknowledgments of the packet, in order
 * @bound_homeless: a Binding Update with the Homeless Support option and
 *	a lifetime was applied
 * @bound: the entry the accepted Binding Updates changed, or 0: its
 *	addresses from updates that are not verified are to be tested
 * @n_claims: number of @claims
 * @claims: addresses of other entries that updates under an SA listed: the
 *	SA's peer claims them, to be tested
 * @n_echoes: number of @echoes
 * @echoes: Address Test nonces the accepted Binding Updates echoed
 * @n_tests: number of @tests
 * @tests: Address Test nonces of a Binding Refresh Request, to echo
 */
struct hc_mh_rx {
	struct hc_mh_msg msg;
	struct hc_faddr_spec specs[HC_BU_MAX_ADDRS];
	u16 acked[HC_MH_MAX_BIDS];
	unsigned int n_replies;
	struct hc_mh_reply replies[2];
	int param_problem;
	unsigned int n_acks;
	struct hc_mh_ack acks[HC_MH_MAX_CHAIN];
	bool bound_homeless;
	u32 bound;
	unsigned int n_claims;
	struct in6_addr claims[HC_BU_MAX_ADDRS];
	unsigned int n_echoes;
	u64 echoes[HC_MH_MAX_TESTS];
	unsigned int n_tests;
	u64 tests[HC_MH_MAX_TESTS];
};

/**
 * struct hc_mh_auth - what vouches for a received packet
 * @entry: the foreign entry whose AH SA the packet came under, or 0
 * @elsewhere: the packet came under @entry's SA from an address of another
 *	entry: only its Binding Updates count, which may claim the address
 * @open: the test switch is on: a packet under no SA may change the entry
 *	of its source, or make one
 * @locals: this host's addresses, which no peer may bind; NULL if none
 *	are known (tests)
 */
struct hc_mh_auth {
	u32 entry;
	bool elsewhere;
	bool open;
	struct hc_locals *locals;
};

u8 hc_bu_process(struct hc_cache *cache, const struct hc_mh_msg *bu,
		 const struct in6_addr *src, const struct hc_mh_auth *auth,
		 unsigned long now, struct hc_faddr_spec *specs, u16 *ack_seq,
		 u32 *bound, struct in6_addr *claims, unsigned int *n_claims);
int hc_mh_handle(struct hc_net *hn, const u8 *data, unsigned int len,
		 const struct in6_addr *src, const struct in6_addr *dst,
		 const struct hc_mh_auth *auth, unsigned long now,
		 struct hc_mh_rx *rx);

#endif /* _NET_HOSTCACHE_BINDING_H */
