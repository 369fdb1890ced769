/* SPDX-License-Identifier: GPL-2.0 */
/* hostcache: Mobility Header codec (RFC 6275 section 6.1, RFC 5648 BID
 * option, RFC 5096 experimental option carrying the homeless draft's
 * Homeless Support and Alternate Prefixes options).
 *
 * The codec reads and writes plain buffers; it knows nothing of sockets
 * or of the Host Cache, so KUnit tests it byte by byte.
 */
#ifndef _NET_HOSTCACHE_MH_H
#define _NET_HOSTCACHE_MH_H

#include <linux/in6.h>
#include <linux/types.h>

/* Message types (RFC 6275 6.1.2) handled here. */
#define HC_MH_BRR		0	/* Binding Refresh Request */
#define HC_MH_BU		5	/* Binding Update */
#define HC_MH_BA		6	/* Binding Acknowledgment */
#define HC_MH_BE		7	/* Binding Error */

/* Mobility options (RFC 6275 6.2, RFC 5648 4.3, RFC 5096). */
#define HC_MHOPT_PAD1		0
#define HC_MHOPT_PADN		1
#define HC_MHOPT_REFRESH	2	/* Binding Refresh Advice */
#define HC_MHOPT_ALTCOA		3	/* Alternate Care-of Address */
#define HC_MHOPT_NONCE		4	/* Nonce Indices */
#define HC_MHOPT_AUTH		5	/* Binding Authorization Data */
#define HC_MHOPT_EXP		18	/* experimental (RFC 5096) */
#define HC_MHOPT_BID		35	/* Binding Identifier (RFC 5648) */

/* First data byte of an experimental option: whose option it is. */
#define HC_EXP_HOMELESS		1	/* Homeless Support (draft 3.1.1) */
#define HC_EXP_ALTPREFIX	2	/* Alternate Prefixes (draft 3.1.2) */
#define HC_EXP_ADDR_TEST	3	/* Address Test (Documentation) */

/* Binding Update flags (RFC 6275 6.1.7); O from RFC 5648-11 4.2. */
#define HC_BU_A			0x8000	/* acknowledge */
#define HC_BU_H			0x4000	/* home registration */
#define HC_BU_O			0x0040	/* overwrite: see Documentation */

/* Binding Error status (RFC 6275 6.1.9). */
#define HC_BE_UNKNOWN_HAO	1
#define HC_BE_UNKNOWN_TYPE	2

#define HC_MH_MAX_BIDS		16
#define HC_MH_MAX_ALTCOAS	8
#define HC_MH_MAX_PREFIXED	32	/* addresses from Alternate Prefixes */
#define HC_MH_MAX_TESTS		4	/* Address Test options in a message */

/* Why a message was refused; each is counted. */
enum hc_mh_error {
	HC_MH_OK,
	HC_MH_ERR_SHORT,	/* shorter than its header or fixed part */
	HC_MH_ERR_LENGTH,	/* header length runs past the packet */
	HC_MH_ERR_PROTO,	/* payload proto is not IPPROTO_NONE */
	HC_MH_ERR_CSUM,		/* checksum does not verify */
	HC_MH_ERR_TYPE,		/* unknown message type */
	HC_MH_ERR_OPTION,	/* option runs past the message */
	HC_MH_ERR_OPTLEN,	/* known option of the wrong length */
	HC_MH_ERR_PREFIXES,	/* prefix count disagrees with the length */
	HC_MH_ERR_BID_LEN,	/* BID option length not 4, 8 or 20; a BU gets 164 */
	HC_MH_ERR_TOO_MANY,	/* more options of a kind than handled */
	HC_MH_ERR_MAX,
};

/* Counters: one per &enum hc_mh_error (HC_MH_OK counts the
 * well-formed messages), then these.
 */
enum {
	HC_MH_STAT_RECEIVED = HC_MH_ERR_MAX,	/* every message */
	HC_MH_STAT_UNAUTHENTICATED,		/* well-formed, refused */
	HC_MH_STAT_BU_ACCEPTED,
	HC_MH_STAT_BU_REJECTED,
	HC_MH_STAT_ACKS_SENT,
	HC_MH_STAT_ERRORS_SENT,
	HC_MH_STAT_SEND_FAILED,
	HC_MH_STAT_BU_SENT,
	HC_MH_STAT_BU_RETRIED,
	HC_MH_STAT_BU_ACKED,
	HC_MH_STAT_BU_GIVEN_UP,
	HC_MH_STAT_AUTHENTICATED,	/* under the AH SA of an entry */
	HC_MH_STAT_WRONG_SA,		/* under another entry's SA */
	HC_MH_STAT_MISALIGNED,		/* options out of alignment, read */
	/* Rewriting (rewrite.c) */
	HC_STAT_LEARNED,		/* entries made from outgoing traffic */
	HC_STAT_FLOWS_CREATED,
	/* SAs (sa.c) */
	HC_STAT_ACQUIRES,
	/* Address verification (verify.c) */
	HC_STAT_TESTS_SENT,
	HC_STAT_TESTS_FAILED,
	HC_STAT_TESTS_REFUSED,
	HC_STAT_ADDRS_VERIFIED,
	HC_STAT_ECHOES,
	HC_STAT_FLOWS_REFUSED,
	HC_STAT_HELD,			/* no source the peer accepted */
	HC_STAT_UNREACHABLE,		/* every address of the peer expired */
	HC_STAT_ADDRS_MOVED,		/* to the entry that proved them */
	HC_STAT_ORDINARY,		/* peers found not homeless */
	HC_STAT_SPARED,			/* probes not sent to them */
	HC_MH_STAT_MAX,
};

/**
 * struct hc_mh_bid - a Binding Identifier option
 * @bid: the BID
 * @status: status, meaningful in a BA
 * @h: H flag (home registration)
 * @coa_len: 0 (no care-of address), 4 (IPv4) or 16 (IPv6)
 * @coa: the care-of address; an IPv4 one is stored v4-mapped
 */
struct hc_mh_bid {
	u16 bid;
	u8 status;
	bool h;
	u8 coa_len;
	struct in6_addr coa;
};

/**
 * struct hc_mh_msg - a Mobility Header message, decoded
 * @type: HC_MH_*
 * @next: payload proto: NEXTHDR_NONE, or IPPROTO_MH when another message
 *	of the type follows in the packet (Binding Updates, Acknowledgments)
 * @len: the message's length in bytes
 * @seq: sequence number (BU, BA)
 * @flags: BU flags (HC_BU_*); BA flags in the high byte
 * @lifetime: lifetime in units of 4 seconds (BU, BA)
 * @status: BA or BE status
 * @home: home address (BE)
 * @homeless: a Homeless Support option was present
 * @has_refresh: a Binding Refresh Advice option was present
 * @refresh: its refresh interval, in units of 4 seconds
 * @n_bids: number of @bids
 * @bids: the BID options, in order
 * @n_altcoas: number of @altcoas
 * @altcoas: the Alternate Care-of Address options, in order
 * @n_prefixed: number of @prefixed
 * @prefixed: addresses the Alternate Prefixes options give, each prefix
 *	completed with the suffix of the nearest preceding Alternate
 *	Care-of Address, or of the packet's source address
 * @n_tests: number of @tests
 * @tests: the nonces of the Address Test options, in order: in a Binding
 *	Refresh Request, to echo; in a Binding Update, echoed
 * @n_unknown: options skipped as unknown
 * @n_misaligned: options not at their alignment (RFC 6275 6.2), read
 * @n_bad_bids: BID options of a length not 4, 8 or 20 in a Binding Update,
 *	which refuse it (RFC 5648 6.2)
 */
struct hc_mh_msg {
	u8 type;
	u8 next;
	unsigned int len;
	u16 seq;
	u16 flags;
	u16 lifetime;
	u8 status;
	struct in6_addr home;
	bool homeless;
	bool has_refresh;
	u16 refresh;
	unsigned int n_bids;
	struct hc_mh_bid bids[HC_MH_MAX_BIDS];
	unsigned int n_altcoas;
	struct in6_addr altcoas[HC_MH_MAX_ALTCOAS];
	unsigned int n_prefixed;
	struct in6_addr prefixed[HC_MH_MAX_PREFIXED];
	unsigned int n_tests;
	u64 tests[HC_MH_MAX_TESTS];
	unsigned int n_unknown;
	unsigned int n_misaligned;
	unsigned int n_bad_bids;
};

int hc_mh_input_init(void);
void hc_mh_input_exit(void);

int hc_mh_parse(const u8 *data, unsigned int len, const struct in6_addr *src,
		const struct in6_addr *dst, struct hc_mh_msg *msg);

/**
 * struct hc_mh_writer - builds one Mobility Header message into a buffer
 * @buf: the buffer
 * @size: its size
 * @len: bytes written so far
 * @err: set when the buffer ran out; the message is then unusable
 */
struct hc_mh_writer {
	u8 *buf;
	unsigned int size;
	unsigned int len;
	int err;
};

void hc_mh_start(struct hc_mh_writer *w, u8 *buf, unsigned int size, u8 type);
void hc_mh_put_bu(struct hc_mh_writer *w, u16 seq, u16 flags, u16 lifetime);
void hc_mh_put_ba(struct hc_mh_writer *w, u8 status, u8 flags, u16 seq,
		  u16 lifetime);
void hc_mh_put_be(struct hc_mh_writer *w, u8 status,
		  const struct in6_addr *home);
void hc_mh_put_brr(struct hc_mh_writer *w);
void hc_mh_put_bid(struct hc_mh_writer *w, const struct hc_mh_bid *bid);
void hc_mh_put_altcoa(struct hc_mh_writer *w, const struct in6_addr *coa);
void hc_mh_put_refresh(struct hc_mh_writer *w, u16 interval);
void hc_mh_put_homeless(struct hc_mh_writer *w);
void hc_mh_put_addr_test(struct hc_mh_writer *w, u64 nonce);
int hc_mh_put_prefixes(struct hc_mh_writer *w, unsigned int prefix_len,
		       const struct in6_addr *addrs, unsigned int n);
void hc_mh_chain(struct hc_mh_writer *w);
int hc_mh_finish(struct hc_mh_writer *w, const struct in6_addr *src,
		 const struct in6_addr *dst);

#endif /* _NET_HOSTCACHE_MH_H */
