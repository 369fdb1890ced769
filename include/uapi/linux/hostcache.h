/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hostcache: Host Cache for homeless Mobile IPv6 hosts.
 *
 * Generic netlink API. This header is the single description of the API:
 * the module and the userspace tools (hcctl, the key daemon) include it.
 *
 * Every command that changes state needs CAP_NET_ADMIN in the user
 * namespace that owns the network namespace; reading is open to everyone.
 * Attributes are validated strictly: unknown attributes are rejected.
 */
#ifndef _UAPI_LINUX_HOSTCACHE_H
#define _UAPI_LINUX_HOSTCACHE_H

#define HOSTCACHE_GENL_NAME		"hostcache"
#define HOSTCACHE_GENL_VERSION		1
#define HOSTCACHE_GENL_MCGRP_EVENTS	"events"

/**
 * enum hostcache_cmd - generic netlink commands
 * @HOSTCACHE_CMD_UNSPEC: reserved
 * @HOSTCACHE_CMD_GET_INFO: module version and per-namespace summary
 *	(reply: %HOSTCACHE_A_VERSION, %HOSTCACHE_A_GENL_VERSION)
 * @HOSTCACHE_CMD_GET_PARAMS: read the namespace's parameters
 *	(reply: %HOSTCACHE_A_PARAMS)
 * @HOSTCACHE_CMD_SET_PARAMS: change one or more parameters; the whole
 *	request is validated before any value is applied (request:
 *	%HOSTCACHE_A_PARAMS)
 * @HOSTCACHE_CMD_NEW_FOREIGN: create a foreign entry (request:
 *	%HOSTCACHE_A_FOREIGN with %HOSTCACHE_FOREIGN_A_FLAGS and one or more
 *	%HOSTCACHE_FOREIGN_A_ADDR; reply: the entry). As an event: an entry
 *	was created.
 * @HOSTCACHE_CMD_DEL_FOREIGN: remove a foreign entry (request:
 *	%HOSTCACHE_FOREIGN_A_ID). As an event: an entry went, for the reason
 *	in %HOSTCACHE_FOREIGN_A_REASON.
 * @HOSTCACHE_CMD_GET_FOREIGN: one entry, by %HOSTCACHE_FOREIGN_A_ID or by
 *	one of its addresses (%HOSTCACHE_FOREIGN_A_ADDR); or, as a dump, all
 * @HOSTCACHE_CMD_SET_FOREIGN: change an entry's %HOSTCACHE_FOREIGN_A_FLAGS,
 *	its %HOSTCACHE_FOREIGN_A_AH_REQID or both (request:
 *	%HOSTCACHE_FOREIGN_A_ID and what changes). As an event: the entry's
 *	flags or its SA changed.
 * @HOSTCACHE_CMD_NEW_ADDR: add addresses to a foreign entry (request:
 *	%HOSTCACHE_A_FOREIGN with %HOSTCACHE_FOREIGN_A_ID and
 *	%HOSTCACHE_FOREIGN_A_ADDR) or one address to a local entry
 *	(%HOSTCACHE_A_LOCAL with %HOSTCACHE_LOCAL_A_ID and
 *	%HOSTCACHE_LOCAL_A_ADDR). As an event: an address was added or
 *	changed state (the entry with that address).
 * @HOSTCACHE_CMD_DEL_ADDR: remove one address from an entry; a foreign
 *	entry's last address takes the entry with it (request as for
 *	NEW_ADDR). As an event: the address went (the entry with that
 *	address).
 * @HOSTCACHE_CMD_GET_STATS: the namespace's counters (reply:
 *	%HOSTCACHE_A_STATS)
 * @HOSTCACHE_CMD_NEW_LOCAL: create a local entry from some of the host's
 *	addresses (request: %HOSTCACHE_A_LOCAL with one or more
 *	%HOSTCACHE_LOCAL_A_ADDR; reply: the entry). As an event: a local
 *	entry was created.
 * @HOSTCACHE_CMD_DEL_LOCAL: remove a local entry other than the default
 *	(request: %HOSTCACHE_LOCAL_A_ID). As an event: it went.
 * @HOSTCACHE_CMD_GET_LOCAL: one local entry by %HOSTCACHE_LOCAL_A_ID, or,
 *	as a dump, all. A dump spreads an entry too large for one message
 *	over several, each with its ID and more of its addresses (so does
 *	a dump of foreign entries); a GET of one is refused (EMSGSIZE).
 * @HOSTCACHE_CMD_ACQUIRE: an event only, for key daemons: this host talks
 *	to the peer of the entry (%HOSTCACHE_A_FOREIGN), which has no AH SA;
 *	once SAs exist, name them with SET_FOREIGN's
 *	%HOSTCACHE_FOREIGN_A_AH_REQID and the module sends the peer its
 *	Binding Update. Sent once per entry.
 * @__HOSTCACHE_CMD_MAX: number of commands
 */
enum hostcache_cmd {
	HOSTCACHE_CMD_UNSPEC,
	HOSTCACHE_CMD_GET_INFO,
	HOSTCACHE_CMD_GET_PARAMS,
	HOSTCACHE_CMD_SET_PARAMS,
	HOSTCACHE_CMD_NEW_FOREIGN,
	HOSTCACHE_CMD_DEL_FOREIGN,
	HOSTCACHE_CMD_GET_FOREIGN,
	HOSTCACHE_CMD_SET_FOREIGN,
	HOSTCACHE_CMD_NEW_ADDR,
	HOSTCACHE_CMD_DEL_ADDR,
	HOSTCACHE_CMD_GET_STATS,
	HOSTCACHE_CMD_NEW_LOCAL,
	HOSTCACHE_CMD_DEL_LOCAL,
	HOSTCACHE_CMD_GET_LOCAL,
	HOSTCACHE_CMD_ACQUIRE,

	__HOSTCACHE_CMD_MAX
};

#define HOSTCACHE_CMD_MAX (__HOSTCACHE_CMD_MAX - 1)

/**
 * enum hostcache_attr - top-level attributes
 * @HOSTCACHE_A_UNSPEC: reserved
 * @HOSTCACHE_A_VERSION: module version (NUL-terminated string)
 * @HOSTCACHE_A_GENL_VERSION: API version, %HOSTCACHE_GENL_VERSION (u32)
 * @HOSTCACHE_A_PARAMS: per-namespace parameters (nest of
 *	&enum hostcache_param_attr)
 * @HOSTCACHE_A_FOREIGN: a foreign entry (nest of
 *	&enum hostcache_foreign_attr)
 * @HOSTCACHE_A_STATS: counters (nest of &enum hostcache_stats_attr)
 * @HOSTCACHE_A_LOCAL: a local entry (nest of &enum hostcache_local_attr)
 * @__HOSTCACHE_A_MAX: number of attributes
 */
enum hostcache_attr {
	HOSTCACHE_A_UNSPEC,
	HOSTCACHE_A_VERSION,
	HOSTCACHE_A_GENL_VERSION,
	HOSTCACHE_A_PARAMS,
	HOSTCACHE_A_FOREIGN,
	HOSTCACHE_A_STATS,
	HOSTCACHE_A_LOCAL,

	__HOSTCACHE_A_MAX
};

#define HOSTCACHE_A_MAX (__HOSTCACHE_A_MAX - 1)

/**
 * enum hostcache_param_attr - per-namespace parameters (u32 unless noted)
 * @HOSTCACHE_PARAM_A_UNSPEC: reserved
 * @HOSTCACHE_PARAM_A_DEFAULT_LIFETIME: seconds an address not learned from
 *	a Binding Update stays valid without use (draft DEFAULT-LIFETIME)
 * @HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME: seconds an expired address is
 *	kept before it is removed (draft MAXIMUM-EXPIRED-LIFETIME)
 * @HOSTCACHE_PARAM_A_MAX_ENTRIES: foreign entries the namespace may hold;
 *	when full, an untrusted entry chosen at random makes room
 * @HOSTCACHE_PARAM_A_MAX_ADDRS: addresses one foreign entry may hold
 * @HOSTCACHE_PARAM_A_BINDING_LIFETIME: seconds of lifetime the Binding
 *	Updates this host sends ask for (4 to 262140); they are refreshed
 *	after three quarters of it
 * @HOSTCACHE_PARAM_A_MAX_BINDING_LIFETIME: the most seconds of lifetime a
 *	peer's Binding Update is granted (4 to 262140; default 420, RFC 6275's
 *	MAX_RR_BINDING_LIFETIME): the peer refreshes its bindings, and its
 *	addresses are tested again, at least that often
 * @HOSTCACHE_PARAM_A_MAX_FLOWS: flows the namespace rewrites at most (1 to
 *	16777216; default 65536); one peer may have a sixteenth of them
 * @HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED: (u8, 0 or 1) let Binding
 *	Updates that did not arrive under AH change the Host Cache. Off by
 *	default; for tests of the Mobility Header only, as anyone could then
 *	redirect a peer's traffic
 * @HOSTCACHE_PARAM_A_ENABLED: (u8, 0 or 1) the module works in the
 *	namespace. Off, its hooks are unregistered, the Mobility Header is
 *	an unknown protocol, the foreign entries and flows are forgotten, and
 *	the namespace behaves as without the module. New namespaces take the
 *	module parameter default_enabled (on unless set otherwise)
 * @HOSTCACHE_PARAM_A_ORDINARY_HOLD: seconds a peer found not to be homeless
 *	is left alone: no Binding Update and no key exchange goes to it
 *	(0 to 604800; default 3600; 0: it is asked again at its next
 *	connection)
 * @__HOSTCACHE_PARAM_A_MAX: number of attributes
 */
enum hostcache_param_attr {
	HOSTCACHE_PARAM_A_UNSPEC,
	HOSTCACHE_PARAM_A_DEFAULT_LIFETIME,
	HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME,
	HOSTCACHE_PARAM_A_MAX_ENTRIES,
	HOSTCACHE_PARAM_A_MAX_ADDRS,
	HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED,
	HOSTCACHE_PARAM_A_BINDING_LIFETIME,
	HOSTCACHE_PARAM_A_MAX_BINDING_LIFETIME,
	HOSTCACHE_PARAM_A_MAX_FLOWS,
	HOSTCACHE_PARAM_A_ENABLED,
	HOSTCACHE_PARAM_A_ORDINARY_HOLD,

	__HOSTCACHE_PARAM_A_MAX
};

#define HOSTCACHE_PARAM_A_MAX (__HOSTCACHE_PARAM_A_MAX - 1)

/**
 * enum hostcache_foreign_attr - a foreign entry
 * @HOSTCACHE_FOREIGN_A_UNSPEC: reserved
 * @HOSTCACHE_FOREIGN_A_ID: the entry's ID, never 0 (u32)
 * @HOSTCACHE_FOREIGN_A_FLAGS: HOSTCACHE_FOREIGN_F_* (u32)
 * @HOSTCACHE_FOREIGN_A_ADDR: one address (nest of
 *	&enum hostcache_addr_attr); repeated, one per address
 * @HOSTCACHE_FOREIGN_A_REASON: why an entry went, in a
 *	%HOSTCACHE_CMD_DEL_FOREIGN event: &enum hostcache_reason (u8)
 * @HOSTCACHE_FOREIGN_A_AH_REQID: the reqid of the transport-mode AH SAs
 *	(xfrm) that authenticate the peer: a Binding Update or
 *	Acknowledgment changes the entry only if it came under one of them.
 *	Unique in the namespace; 0, the default, for none (u32)
 * @__HOSTCACHE_FOREIGN_A_MAX: number of attributes
 */
enum hostcache_foreign_attr {
	HOSTCACHE_FOREIGN_A_UNSPEC,
	HOSTCACHE_FOREIGN_A_ID,
	HOSTCACHE_FOREIGN_A_FLAGS,
	HOSTCACHE_FOREIGN_A_ADDR,
	HOSTCACHE_FOREIGN_A_REASON,
	HOSTCACHE_FOREIGN_A_AH_REQID,

	__HOSTCACHE_FOREIGN_A_MAX
};

#define HOSTCACHE_FOREIGN_A_MAX (__HOSTCACHE_FOREIGN_A_MAX - 1)

/* Entry flags: trusted entries are never evicted (draft 5.2). */
#define HOSTCACHE_FOREIGN_F_TRUSTED	0x01
#define HOSTCACHE_FOREIGN_F_HOMELESS	0x02
/* The peer is known not to be homeless (%HOSTCACHE_PARAM_A_ORDINARY_HOLD):
 * set with every address of the entry remembered so; cleared, forgotten.
 * Never together with %HOSTCACHE_FOREIGN_F_HOMELESS.
 */
#define HOSTCACHE_FOREIGN_F_ORDINARY	0x04

/**
 * enum hostcache_reason - why a foreign entry went
 * @HOSTCACHE_REASON_REQUEST: a netlink request removed it
 * @HOSTCACHE_REASON_EVICTED: it made room for a new entry
 * @HOSTCACHE_REASON_EXPIRED: its last address expired and was removed
 * @HOSTCACHE_REASON_MERGED: its last address moved to the entry of the peer
 *	that proved it receives there: the same peer
 */
enum hostcache_reason {
	HOSTCACHE_REASON_REQUEST,
	HOSTCACHE_REASON_EVICTED,
	HOSTCACHE_REASON_EXPIRED,
	HOSTCACHE_REASON_MERGED,
};

/**
 * enum hostcache_addr_attr - one address of a foreign entry
 * @HOSTCACHE_ADDR_A_UNSPEC: reserved
 * @HOSTCACHE_ADDR_A_ADDR: the IPv6 address (16 bytes, network order)
 * @HOSTCACHE_ADDR_A_STATE: &enum hostcache_addr_state (u8)
 * @HOSTCACHE_ADDR_A_FLAGS: HOSTCACHE_ADDR_F_* (u32); in a request only
 *	%HOSTCACHE_ADDR_F_VERIFIED may be set
 * @HOSTCACHE_ADDR_A_LIFETIME: in a request, an absolute lifetime in
 *	seconds, as a Binding Update gives; without it the lifetime is
 *	activity-related (DEFAULT-LIFETIME after the last use) (u32)
 * @HOSTCACHE_ADDR_A_BID: Binding Identifier, RFC 5648 (u16, 1 to 65535)
 * @HOSTCACHE_ADDR_A_EXPIRES: seconds until a valid address expires, or an
 *	expired one is removed (u32, replies only)
 * @HOSTCACHE_ADDR_A_IDLE: seconds since a packet last used the address
 *	(u32, replies only)
 * @__HOSTCACHE_ADDR_A_MAX: number of attributes
 */
enum hostcache_addr_attr {
	HOSTCACHE_ADDR_A_UNSPEC,
	HOSTCACHE_ADDR_A_ADDR,
	HOSTCACHE_ADDR_A_STATE,
	HOSTCACHE_ADDR_A_FLAGS,
	HOSTCACHE_ADDR_A_LIFETIME,
	HOSTCACHE_ADDR_A_BID,
	HOSTCACHE_ADDR_A_EXPIRES,
	HOSTCACHE_ADDR_A_IDLE,

	__HOSTCACHE_ADDR_A_MAX
};

#define HOSTCACHE_ADDR_A_MAX (__HOSTCACHE_ADDR_A_MAX - 1)

/**
 * enum hostcache_addr_state - state of a foreign address
 * @HOSTCACHE_ADDR_VALID: usable
 * @HOSTCACHE_ADDR_EXPIRED: its lifetime ran out; kept for at most
 *	MAXIMUM-EXPIRED-LIFETIME
 */
enum hostcache_addr_state {
	HOSTCACHE_ADDR_VALID,
	HOSTCACHE_ADDR_EXPIRED,
};

/* Address flags. */
#define HOSTCACHE_ADDR_F_ABSOLUTE	0x01	/* lifetime from a Binding Update */
#define HOSTCACHE_ADDR_F_VERIFIED	0x02	/* reachability verified */
#define HOSTCACHE_ADDR_F_PREFERRED	0x04	/* current destination locator */
#define HOSTCACHE_ADDR_F_FROM_BU	0x08	/* learned from a Binding Update */

/**
 * enum hostcache_local_attr - a local entry: a set of this host's addresses
 * @HOSTCACHE_LOCAL_A_UNSPEC: reserved
 * @HOSTCACHE_LOCAL_A_ID: the entry's ID; %HOSTCACHE_LOCAL_DEFAULT is the
 *	default entry, which holds every address of the namespace (u32)
 * @HOSTCACHE_LOCAL_A_ADDR: one address (nest of &enum hostcache_addr_attr,
 *	%HOSTCACHE_ADDR_A_ADDR only); repeated, one per address
 * @__HOSTCACHE_LOCAL_A_MAX: number of attributes
 */
enum hostcache_local_attr {
	HOSTCACHE_LOCAL_A_UNSPEC,
	HOSTCACHE_LOCAL_A_ID,
	HOSTCACHE_LOCAL_A_ADDR,

	__HOSTCACHE_LOCAL_A_MAX
};

#define HOSTCACHE_LOCAL_A_MAX (__HOSTCACHE_LOCAL_A_MAX - 1)

#define HOSTCACHE_LOCAL_DEFAULT		1
/* Local entries a namespace may have besides the default one. */
#define HOSTCACHE_LOCAL_MAX		63

/**
 * enum hostcache_stats_attr - counters of a namespace (u64 unless noted)
 * @HOSTCACHE_STATS_A_UNSPEC: reserved
 * @HOSTCACHE_STATS_A_PAD: padding for 64-bit values
 * @HOSTCACHE_STATS_A_ENTRIES: foreign entries now (u32)
 * @HOSTCACHE_STATS_A_UNTRUSTED: of which untrusted (u32)
 * @HOSTCACHE_STATS_A_CREATED: entries created
 * @HOSTCACHE_STATS_A_REMOVED: entries removed by request or expiry
 * @HOSTCACHE_STATS_A_EVICTED: untrusted entries evicted to make room
 * @HOSTCACHE_STATS_A_ADDRS_EXPIRED: addresses that expired
 * @HOSTCACHE_STATS_A_ADDRS_REMOVED: expired addresses removed
 * @HOSTCACHE_STATS_A_REFUSED_FULL: entries refused: cache full of
 *	trusted entries
 * @HOSTCACHE_STATS_A_REFUSED_ADDRS: addresses refused over max-addrs
 * @HOSTCACHE_STATS_A_MH_RECEIVED: Mobility Header messages received
 * @HOSTCACHE_STATS_A_MH_WELL_FORMED: of which well-formed
 * @HOSTCACHE_STATS_A_MH_UNAUTHENTICATED: well-formed, refused: not under
 *	a valid AH SA of the peer
 * @HOSTCACHE_STATS_A_MH_SHORT: refused: shorter than their header or
 *	fixed part
 * @HOSTCACHE_STATS_A_MH_LENGTH: refused: header length past the packet
 * @HOSTCACHE_STATS_A_MH_PROTO: refused: payload proto not IPPROTO_NONE
 * @HOSTCACHE_STATS_A_MH_CHECKSUM: refused: bad checksum
 * @HOSTCACHE_STATS_A_MH_TYPE: refused: unknown message type
 * @HOSTCACHE_STATS_A_MH_OPTION: refused: an option runs past the message
 * @HOSTCACHE_STATS_A_MH_ALIGN: messages with an option out of its
 *	alignment, read all the same (RFC 6275 6.2 binds senders)
 * @HOSTCACHE_STATS_A_MH_OPTION_LENGTH: refused: a known option of the
 *	wrong length
 * @HOSTCACHE_STATS_A_MH_PREFIXES: refused: Alternate Prefixes count and
 *	length disagree
 * @HOSTCACHE_STATS_A_MH_BID_LENGTH: BID option length not 4, 8 or 20: a
 *	Binding Update gets status 164, another message is refused
 * @HOSTCACHE_STATS_A_MH_TOO_MANY: refused: more options of a kind, or
 *	more messages in one packet, than the module keeps
 * @HOSTCACHE_STATS_A_MH_BU_ACCEPTED: Binding Updates applied to the cache
 * @HOSTCACHE_STATS_A_MH_BU_REJECTED: authenticated Binding Updates refused
 *	with a Binding Acknowledgment status of 128 or more
 * @HOSTCACHE_STATS_A_MH_ACKS_SENT: Binding Acknowledgments sent
 * @HOSTCACHE_STATS_A_MH_ERRORS_SENT: Binding Errors sent
 * @HOSTCACHE_STATS_A_MH_SEND_FAILED: messages that could not be sent (no
 *	route, no memory)
 * @HOSTCACHE_STATS_A_MH_BU_SENT: Binding Updates sent: first ones, and on
 *	address changes
 * @HOSTCACHE_STATS_A_MH_BU_RETRIED: of which sent again, unacknowledged
 * @HOSTCACHE_STATS_A_MH_BU_ACKED: Binding Updates acknowledged
 * @HOSTCACHE_STATS_A_MH_BU_GIVEN_UP: peers given up: no acknowledgment
 *	after 6 tries, or a refusal; a peer asked whether it is homeless:
 *	no answer after 2
 * @HOSTCACHE_STATS_A_LEARNED: entries made because this host opened a
 *	connection to a peer (draft 2.1.1)
 * @HOSTCACHE_STATS_A_FLOWS: flows being rewritten now (u32)
 * @HOSTCACHE_STATS_A_FLOWS_CREATED: flows recorded
 * @HOSTCACHE_STATS_A_MH_AUTHENTICATED: packets that came under the AH SA of
 *	an entry, from one of its addresses or from an address no entry has
 * @HOSTCACHE_STATS_A_MH_WRONG_SA: packets under the AH SA of one entry from
 *	an address of another: only their Binding Updates count, and claim
 *	the address for the SA's entry, to be tested
 * @HOSTCACHE_STATS_A_ACQUIRES: %HOSTCACHE_CMD_ACQUIRE events sent
 * @HOSTCACHE_STATS_A_TESTS_SENT: Address Tests sent to peers' unverified addresses (retries too)
 * @HOSTCACHE_STATS_A_TESTS_FAILED: addresses given up: no echo after 3 tests
 * @HOSTCACHE_STATS_A_TESTS_REFUSED: addresses left untested: too many tests at once
 * @HOSTCACHE_STATS_A_ADDRS_VERIFIED: peers' addresses verified by an echoed Address Test
 * @HOSTCACHE_STATS_A_FLOWS_REFUSED: flows not recorded: max-flows, or its
 *	share for one peer, reached
 * @HOSTCACHE_STATS_A_ECHOES: Address Tests this host echoed to a peer
 * @HOSTCACHE_STATS_A_HELD: packets of a flow held back (dropped) because
 *	its own address is gone and its homeless peer has accepted none of
 *	this host's others yet
 * @HOSTCACHE_STATS_A_UNREACHABLE: packets of a flow refused with
 *	EHOSTUNREACH because every address of its peer expired
 * @HOSTCACHE_STATS_A_ADDRS_MOVED: addresses of one entry that an update
 *	of another's peer listed, moved to that entry once the peer echoed
 *	an Address Test sent to them
 * @HOSTCACHE_STATS_A_ORDINARY: peers found not to be homeless: they
 *	answered a Binding Update with an ICMPv6 Parameter Problem or did
 *	not answer 2, or a key daemon found so
 * @HOSTCACHE_STATS_A_SPARED: Binding Updates and %HOSTCACHE_CMD_ACQUIRE
 *	events not sent because the peer is known not to be homeless
 * @__HOSTCACHE_STATS_A_MAX: number of attributes
 */
enum hostcache_stats_attr {
	HOSTCACHE_STATS_A_UNSPEC,
	HOSTCACHE_STATS_A_PAD,
	HOSTCACHE_STATS_A_ENTRIES,
	HOSTCACHE_STATS_A_UNTRUSTED,
	HOSTCACHE_STATS_A_CREATED,
	HOSTCACHE_STATS_A_REMOVED,
	HOSTCACHE_STATS_A_EVICTED,
	HOSTCACHE_STATS_A_ADDRS_EXPIRED,
	HOSTCACHE_STATS_A_ADDRS_REMOVED,
	HOSTCACHE_STATS_A_REFUSED_FULL,
	HOSTCACHE_STATS_A_REFUSED_ADDRS,
	HOSTCACHE_STATS_A_MH_RECEIVED,
	HOSTCACHE_STATS_A_MH_WELL_FORMED,
	HOSTCACHE_STATS_A_MH_UNAUTHENTICATED,
	HOSTCACHE_STATS_A_MH_SHORT,
	HOSTCACHE_STATS_A_MH_LENGTH,
	HOSTCACHE_STATS_A_MH_PROTO,
	HOSTCACHE_STATS_A_MH_CHECKSUM,
	HOSTCACHE_STATS_A_MH_TYPE,
	HOSTCACHE_STATS_A_MH_OPTION,
	HOSTCACHE_STATS_A_MH_ALIGN,
	HOSTCACHE_STATS_A_MH_OPTION_LENGTH,
	HOSTCACHE_STATS_A_MH_PREFIXES,
	HOSTCACHE_STATS_A_MH_BID_LENGTH,
	HOSTCACHE_STATS_A_MH_TOO_MANY,
	HOSTCACHE_STATS_A_MH_BU_ACCEPTED,
	HOSTCACHE_STATS_A_MH_BU_REJECTED,
	HOSTCACHE_STATS_A_MH_ACKS_SENT,
	HOSTCACHE_STATS_A_MH_ERRORS_SENT,
	HOSTCACHE_STATS_A_MH_SEND_FAILED,
	HOSTCACHE_STATS_A_MH_BU_SENT,
	HOSTCACHE_STATS_A_MH_BU_RETRIED,
	HOSTCACHE_STATS_A_MH_BU_ACKED,
	HOSTCACHE_STATS_A_MH_BU_GIVEN_UP,
	HOSTCACHE_STATS_A_LEARNED,
	HOSTCACHE_STATS_A_FLOWS,
	HOSTCACHE_STATS_A_FLOWS_CREATED,
	HOSTCACHE_STATS_A_MH_AUTHENTICATED,
	HOSTCACHE_STATS_A_MH_WRONG_SA,
	HOSTCACHE_STATS_A_ACQUIRES,
	HOSTCACHE_STATS_A_TESTS_SENT,
	HOSTCACHE_STATS_A_TESTS_FAILED,
	HOSTCACHE_STATS_A_TESTS_REFUSED,
	HOSTCACHE_STATS_A_ADDRS_VERIFIED,
	HOSTCACHE_STATS_A_ECHOES,
	HOSTCACHE_STATS_A_FLOWS_REFUSED,
	HOSTCACHE_STATS_A_HELD,
	HOSTCACHE_STATS_A_UNREACHABLE,
	HOSTCACHE_STATS_A_ADDRS_MOVED,
	HOSTCACHE_STATS_A_ORDINARY,
	HOSTCACHE_STATS_A_SPARED,

	__HOSTCACHE_STATS_A_MAX
};

#define HOSTCACHE_STATS_A_MAX (__HOSTCACHE_STATS_A_MAX - 1)

/* Draft defaults and the range the module accepts, in seconds. */
#define HOSTCACHE_DEFAULT_LIFETIME		600
#define HOSTCACHE_DEFAULT_MAX_EXPIRED_LIFETIME	1800
#define HOSTCACHE_LIFETIME_MIN			1
#define HOSTCACHE_LIFETIME_MAX			(7 * 24 * 3600)
/* How long a peer found not to be homeless is left alone. */
#define HOSTCACHE_DEFAULT_ORDINARY_HOLD		3600
/* Lifetime of the Binding Updates sent: 4-second units in 16 bits. */
#define HOSTCACHE_DEFAULT_BINDING_LIFETIME	600
#define HOSTCACHE_DEFAULT_MAX_BINDING_LIFETIME	420
#define HOSTCACHE_DEFAULT_MAX_FLOWS		65536
#define HOSTCACHE_MAX_FLOWS_MAX			(1 << 24)
#define HOSTCACHE_BINDING_LIFETIME_MIN		4
#define HOSTCACHE_BINDING_LIFETIME_MAX		(4 * 65535)

/* Cache limits: defaults and the range the module accepts. */
#define HOSTCACHE_DEFAULT_MAX_ENTRIES		65536
#define HOSTCACHE_MAX_ENTRIES_MAX		(1 << 24)
#define HOSTCACHE_DEFAULT_MAX_ADDRS		16
/* An entry must fit one netlink message of NLMSG_GOODSIZE (~3.7 KiB on
 * 4 KiB pages), so that no event or dump ever drops it.
 */
#define HOSTCACHE_MAX_ADDRS_MAX			48

#endif /* _UAPI_LINUX_HOSTCACHE_H */
