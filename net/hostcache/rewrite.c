// SPDX-License-Identifier: GPL-2.0
/* hostcache: address rewriting at the IP layer.
 *
 * Sockets keep the addresses their flow started with (identifiers);
 * packets on the wire carry current addresses (locators). A flow record,
 * keyed by its peer's entry, protocol and ports, remembers both
 * identifiers and the peer's locator last seen. It lives while packets
 * use it or its socket exists, however long it is idle; the number of
 * flows is bounded (max-flows, a sixteenth of it per peer). Packets out
 * make flows; a connection this host has not sent on since its peer got
 * an entry gets its flow when this host loses the connection's address
 * (hc_flows_adopt()), or when the peer's packet comes from another of
 * the peer's addresses (hc_flow_recover()). A peer gets
 * an entry when this host opens a TCP connection or sends on a connected
 * UDP socket to it (draft 2.1.1), never from a packet received; the entry
 * is trusted once a TCP handshake with it completes, and then the peer is
 * asked whether it is homeless (announce.c). Outbound (LOCAL_OUT, after
 * conntrack and the filter) the destination becomes a valid locator of
 * the peer, never one a Binding Update brought in that is not yet
 * verified (verify.c), and a source this host lost becomes one the peer
 * accepted, the packet held back while there is none (draft 2.2.1); a
 * flow whose peer's addresses all expired fails with EHOSTUNREACH (draft
 * 2.2), and no new flow goes to an expired address (draft 2.1.3);
 * inbound (LOCAL_IN, after the routing decision took the locator as ours)
 * both go back to the identifiers. Only TCP and UDP are touched, behind
 * Hop-by-Hop and Destination Options headers if any (hc_transport());
 * never ICMPv6, the Mobility Header, AH or ESP. A datagram's fragments
 * reach LOCAL_IN reassembled, as with conntrack: the namespace defragments
 * before routing (nf_defrag_ipv6), else the stack would reassemble them
 * behind the hook, addresses unchanged. An ICMPv6 error about a flow's
 * packet quotes its locators: the quoted header gets the flow's
 * identifiers back, so that the error (Packet Too Big above all) reaches
 * the socket; the error's own addresses stay. Packets to a multicast group
 * or to an anycast address of this host are left alone: they are not a
 * flow's. A flow's source that was never an address of the host's (free
 * or transparent binding, AnyIP) stays as it is.
 */

#include <linux/icmpv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/inet6_hashtables.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "hostcache.h"

/* TCP states past the handshake, in which a socket acknowledges. */
#define HC_TCPF_SYNCED	(TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 | \
			 TCPF_CLOSE_WAIT | TCPF_CLOSING | TCPF_LAST_ACK)

/**
 * struct hc_flow_key - what names a flow
 * @entry: the peer's foreign entry
 * @lport: our port
 * @rport: the peer's port
 * @proto: IPPROTO_TCP or IPPROTO_UDP
 * @pad: zero, as the whole key is hashed
 */
struct hc_flow_key {
	u32 entry;
	__be16 lport;
	__be16 rport;
	u8 proto;
	u8 pad[3];
};

/**
 * struct hc_flow_name - what a flow's socket calls it: its identifiers
 * @lid: our identifier: the address the socket has
 * @rid: the peer's identifier
 * @lport: our port
 * @rport: the peer's port
 * @proto: IPPROTO_TCP or IPPROTO_UDP
 * @pad: zero, as the whole name is hashed
 */
struct hc_flow_name {
	struct in6_addr lid;
	struct in6_addr rid;
	__be16 lport;
	__be16 rport;
	u8 proto;
	u8 pad[3];
};

/**
 * struct hc_flow - one TCP or UDP flow with a peer in the Host Cache
 * @node: in &struct hc_net.flows, by @key
 * @name_node: in &struct hc_net.flow_names, by @name, once the peer's
 *	identifier is leaving the cache (HC_FLOW_NAMED)
 * @key: its key
 * @name: its identifiers and ports
 * @rloc: the peer's locator last seen, the preferred destination. Written
 *	without a lock when it changes; a reader that sees it half written
 *	looks up an address that is not the peer's, or another valid one of
 *	the same peer, and hc_pick_dst() checks which
 * @last_used: when a packet of the flow last went through (jiffies)
 * @state: HC_FLOW_* bits
 * @rcu: for freeing after a grace period
 */
struct hc_flow {
	struct rhash_head node;
	struct rhash_head name_node;
	struct hc_flow_key key;
	struct hc_flow_name name;
	struct in6_addr rloc;
	unsigned long last_used;
	unsigned long state;
	struct rcu_head rcu;
};

/* Bits of &struct hc_flow.state. */
enum {
	HC_FLOW_OPENED,		/* this host opened it (a SYN, a connected send) */
	HC_FLOW_HELD,		/* a packet of it was held back or refused */
	HC_FLOW_SHARED,		/* another connection has its key */
	HC_FLOW_NAMED,		/* in the flows found by name */
	HC_FLOW_SETTLED,	/* the peer answered: a TCP handshake completed,
				 * or a UDP datagram came back
				 */
	HC_FLOW_LOCAL_ID,	/* its identifier was an address of this host
				 * when it began, one the host may lose; not
				 * one taken by a free or transparent bind,
				 * AnyIP or anycast, which stays the source
				 */
};

static const struct rhashtable_params hc_flow_params = {
	.key_len = sizeof(struct hc_flow_key),
	.key_offset = offsetof(struct hc_flow, key),
	.head_offset = offsetof(struct hc_flow, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params hc_flow_name_params = {
	.key_len = sizeof(struct hc_flow_name),
	.key_offset = offsetof(struct hc_flow, name),
	.head_offset = offsetof(struct hc_flow, name_node),
	.automatic_shrinking = true,
};

/* Walk @skb from its header of protocol *@proto at *@off to its TCP or
 * UDP header, and leave that one's protocol and offset there. It may
 * follow Hop-by-Hop (BIG TCP's jumbo payload option among them) and
 * Destination Options headers, and a fragment header that holds the whole
 * datagram (an atomic fragment) or, in a packet @quoted by an ICMPv6
 * error, its first part (which holds the ports, RFC 7112). Nothing else is
 * looked behind: a routing header's packet is not yet at its destination,
 * AH and ESP protect the addresses, and a fragment that reaches the hooks
 * (nf_defrag_ipv6 reassembles them before) is not rewritten alone. Each
 * header is eight bytes at least, so the walk ends with the packet.
 */
static bool hc_transport(const struct sk_buff *skb, bool quoted, u8 *proto,
			 unsigned int *off)
{
	__be16 refused = quoted ? htons(IP6_OFFSET) :
				  htons(IP6_OFFSET | IP6_MF);

	union {
		struct ipv6_opt_hdr opt;
		struct frag_hdr frag;
	} *h, buf;

	while (*proto != IPPROTO_TCP && *proto != IPPROTO_UDP) {
		if (*proto != NEXTHDR_HOP && *proto != NEXTHDR_DEST &&
		    *proto != NEXTHDR_FRAGMENT)
			return false;
		h = skb_header_pointer(skb, *off, sizeof(buf), &buf);
		if (!h)
			return false;
		if (*proto == NEXTHDR_FRAGMENT) {
			if (h->frag.frag_off & refused)
				return false;
			*off += sizeof(h->frag);
		} else {
			*off += ipv6_optlen(&h->opt);
		}
		*proto = h->opt.nexthdr;
	}
	return true;
}

/* The transport checksum of @skb, or NULL for a UDP packet without one. */
static __sum16 *hc_l4_csum(struct sk_buff *skb, u8 proto, unsigned int off)
{
	if (proto == IPPROTO_TCP)
		return &((struct tcphdr *)(skb->data + off))->check;
	if (((struct udphdr *)(skb->data + off))->check ||
	    skb->ip_summed == CHECKSUM_PARTIAL)
		return &((struct udphdr *)(skb->data + off))->check;
	return NULL;
}

/* Put @to in @where, a header address of @skb, fixing the checksum. */
static void hc_set_addr(struct sk_buff *skb, __sum16 *csum, u8 proto,
			struct in6_addr *where, const struct in6_addr *to)
{
	if (csum) {
		inet_proto_csum_replace16(csum, skb, where->s6_addr32,
					  to->s6_addr32, true);
		if (proto == IPPROTO_UDP && !*csum)
			*csum = CSUM_MANGLED_0;
	}
	*where = *to;
}

/* Make @skb's header writable for the rewrite of its addresses and
 * transport checksum; return the IPv6 header, or NULL.
 */
static struct ipv6hdr *hc_writable(struct sk_buff *skb, u8 proto,
				   unsigned int off)
{
	unsigned int len = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						  sizeof(struct udphdr);

	if (skb_ensure_writable(skb, off + len))
		return NULL;
	return ipv6_hdr(skb);
}

/* Note that a packet used @fa now; the cache line is written once per
 * tick at most.
 */
static void hc_touch(struct hc_faddr *fa)
{
	unsigned long now = jiffies;

	if (READ_ONCE(fa->last_used) != now)
		WRITE_ONCE(fa->last_used, now);
}

/* Whether a flow to the peer's identifier @rid may send to @fa: a valid
 * address that is @rid itself, or verified, or not brought in by a
 * Binding Update (learned from this host's own traffic, or configured).
 * An address an update brought in may be anyone's until verify.c tests it.
 */
static bool hc_dst_usable(const struct hc_faddr *fa,
			  const struct in6_addr *rid)
{
	u8 flags = READ_ONCE(fa->flags);

	return READ_ONCE(fa->state) == HOSTCACHE_ADDR_VALID &&
	       (flags & HOSTCACHE_ADDR_F_VERIFIED ||
		!(flags & HOSTCACHE_ADDR_F_FROM_BU) ||
		ipv6_addr_equal(&fa->addr, rid));
}

/* A usable address of @fe to send @flow's packets to: its @rloc if it
 * still is one.
 */
static struct hc_faddr *hc_pick_dst(struct hc_cache *cache,
				    const struct hc_foreign *fe,
				    const struct hc_flow *flow)
{
	struct hc_faddr *fa = hc_faddr_lookup(cache, &flow->rloc);

	if (fa && fa->entry == fe && hc_dst_usable(fa, &flow->name.rid))
		return fa;
	list_for_each_entry_rcu(fa, &fe->addrs, list)
		if (hc_dst_usable(fa, &flow->name.rid) &&
		    ipv6_addr_scope(&fa->addr) == ipv6_addr_scope(&flow->name.rid))
			return fa;
	return NULL;
}

/* The socket that sent @skb if it is a TCP or UDP socket of @proto (not
 * a raw socket that made up the header), else NULL.
 */
static const struct sock *hc_l4_sock(const struct sk_buff *skb, u8 proto)
{
	const struct sock *sk = skb->sk;

	if (!sk || !sk_fullsock(sk) || sk->sk_protocol != proto ||
	    sk->sk_type != (proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM))
		return NULL;
	return sk;
}

/* The TCP socket of @key's ports from @raddr to @laddr, held, or NULL:
 * a connection (a full socket), TIME_WAIT or a request; sock_gen_put() it.
 *
 * Context: RCU read lock.
 */
static struct sock *hc_tcp_lookup(struct net *net,
				  const struct hc_flow_key *key,
				  const struct in6_addr *raddr,
				  const struct in6_addr *laddr)
{
	return __inet6_lookup_established(net, net->ipv4.tcp_death_row.hashinfo,
					  raddr, key->rport, laddr,
					  ntohs(key->lport), 0, 0);
}

/* Whether a socket of @key's protocol and ports takes packets from
 * @raddr to @laddr: a TCP connection that is not over, or a UDP socket
 * connected to them or, unless @connected, one bound to the port.
 *
 * Context: RCU read lock.
 */
static bool hc_socket_exists(struct net *net, const struct hc_flow_key *key,
			     const struct in6_addr *raddr,
			     const struct in6_addr *laddr, bool connected)
{
	struct sock *sk;
	bool open;

	if (key->proto == IPPROTO_TCP) {
		sk = hc_tcp_lookup(net, key, raddr, laddr);
		if (!sk)
			return false;
		open = sk_fullsock(sk);	/* not TIME_WAIT */
		sock_gen_put(sk);
		return open;
	}
	/* A connected socket is found only by its own peer. */
	sk = __udp6_lib_lookup(net, raddr, key->rport, laddr, key->lport, 0, 0,
			       &udp_table, NULL);
	return sk && (!connected || sk->sk_state == TCP_ESTABLISHED);
}

/* Whether @skb, TCP or UDP with its transport header at @off, is a SYN
 * without ACK.
 */
static bool hc_syn(const struct sk_buff *skb, u8 proto, unsigned int off)
{
	u8 flags, *fp;

	if (proto != IPPROTO_TCP)
		return false;
	fp = skb_header_pointer(skb, off + 13, 1, &flags);
	return fp && (*fp & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN;
}

/* Whether @skb, a TCP or UDP packet with its transport header at @off,
 * starts an exchange this host initiates (draft 2.1.1): a TCP socket's SYN
 * without ACK, or a datagram from a connected UDP socket. Answers and ICMP
 * do not.
 */
static bool hc_initiates(const struct sk_buff *skb, u8 proto,
			 unsigned int off)
{
	const struct sock *sk = hc_l4_sock(skb, proto);

	if (!sk)
		return false;
	if (proto == IPPROTO_UDP)
		return sk->sk_state == TCP_ESTABLISHED;
	return hc_syn(skb, proto, off);
}

/* Whether @skb, sent by this host, belongs to a connection: it comes from
 * a TCP socket past its handshake, or from a UDP socket. A listener's
 * answers (SYN-ACK, SYN cookies) and the resets the stack sends for
 * strangers do not: a flood of spoofed packets makes no flow.
 */
static bool hc_belongs(const struct sk_buff *skb, u8 proto)
{
	const struct sock *sk = hc_l4_sock(skb, proto);

	if (!sk)
		return false;
	if (proto == IPPROTO_UDP)
		return true;
	return !((1 << sk->sk_state) &
		 (TCPF_LISTEN | TCPF_CLOSE | TCPF_SYN_RECV | TCPF_NEW_SYN_RECV));
}

/* Count a new flow with the peer of @fe against max-flows and the peer's
 * sixteenth of it; false if either is reached.
 */
static bool hc_flow_room(struct hc_net *hn, struct hc_foreign *fe)
{
	u32 max = READ_ONCE(hn->params.max_flows);

	if (atomic_read(&hn->flows.nelems) >= max)
		return false;
	if (atomic_inc_return(&fe->n_flows) > max_t(u32, max / 16, 1)) {
		atomic_dec(&fe->n_flows);
		return false;
	}
	return true;
}

/* Make an entry for the peer at @daddr, a global unicast address not ours,
 * with an activity-related lifetime; return its address, or NULL. This
 * host chose to send there: the address is verified.
 */
static struct hc_faddr *hc_learn(struct hc_net *hn,
				 const struct in6_addr *daddr)
{
	struct hc_faddr_spec spec = {
		.addr = *daddr,
		.flags = HOSTCACHE_ADDR_F_VERIFIED,
	};
	int type = ipv6_addr_type(daddr);
	u32 id;

	if (!(type & IPV6_ADDR_UNICAST) || ipv6_addr_scope(daddr) ||
	    type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_MAPPED) ||
	    hc_local_has(&hn->locals, daddr))
		return NULL;
	if (hc_foreign_create(&hn->cache, &spec, 1, 0, 0, jiffies,
			      GFP_ATOMIC | __GFP_ACCOUNT, &id, NULL))
		return NULL;
	atomic64_inc(&hn->mh_stats[HC_STAT_LEARNED]);
	hc_gc_start(hn);
	return hc_faddr_lookup(&hn->cache, daddr);
}

/* @skb, sent with @flow's key, comes from a connected socket with other
 * identifiers (another of our addresses, or another of the peer's, and
 * the same ports): the flow is shared, and hc_in() tells the packets of
 * the two apart.
 */
static void hc_flow_note_sharer(const struct sk_buff *skb, u8 proto,
				struct hc_flow *flow)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct sock *sk;

	if (test_bit(HC_FLOW_SHARED, &flow->state) ||
	    (ipv6_addr_equal(&ip6h->saddr, &flow->name.lid) &&
	     ipv6_addr_equal(&ip6h->daddr, &flow->name.rid)))
		return;
	/* An unconnected UDP socket has no identifiers of its own. */
	sk = hc_l4_sock(skb, proto);
	if (sk && (proto == IPPROTO_TCP || sk->sk_state == TCP_ESTABLISHED))
		set_bit(HC_FLOW_SHARED, &flow->state);
}

/* Record the flow of @key, named @name, with the peer of @fe and the
 * HC_FLOW_* bits @state. Return it, or the one another packet recorded
 * first, or NULL if there is no room or memory.
 *
 * Context: RCU read lock.
 */
static struct hc_flow *hc_flow_add(struct hc_net *hn, struct hc_foreign *fe,
				   const struct hc_flow_key *key,
				   const struct hc_flow_name *name,
				   unsigned long state)
{
	struct hc_flow *flow, *old;

	if (!hc_flow_room(hn, fe)) {
		atomic64_inc(&hn->mh_stats[HC_STAT_FLOWS_REFUSED]);
		return NULL;
	}
	/* Charged to the sender's memory cgroup when it is a task's. */
	flow = kzalloc(sizeof(*flow), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!flow)
		goto uncount;
	flow->key = *key;
	flow->name = *name;
	flow->rloc = name->rid;
	flow->state = state;
	flow->last_used = jiffies;
	old = rhashtable_lookup_get_insert_fast(&hn->flows, &flow->node,
						hc_flow_params);
	if (!old) {
		atomic64_inc(&hn->mh_stats[HC_STAT_FLOWS_CREATED]);
		return flow;
	}
	kfree(flow);
	if (IS_ERR(old))
		old = NULL;
uncount:
	atomic_dec(&fe->n_flows);
	return old;
}

/* @ip6h, from the peer of @fe, has no flow (@key): its connection is one
 * this host has not sent on since the peer's entry was made. If no socket
 * takes the packet as it is, and a connected one takes it from another of
 * the peer's addresses (the peer moved, and this is a locator), record
 * the flow that socket's identifiers name. A lookup per address of the
 * peer, for such packets only.
 *
 * Context: RCU read lock.
 */
static struct hc_flow *hc_flow_recover(struct hc_net *hn,
				       struct hc_foreign *fe,
				       const struct hc_flow_key *key,
				       const struct ipv6hdr *ip6h)
{
	struct hc_flow_name name = {
		.lid = ip6h->daddr,
		.lport = key->lport,
		.rport = key->rport,
		.proto = key->proto,
	};
	struct net *net = hn->cache.net;
	unsigned long state = 0;
	struct hc_faddr *fa;

	if (hc_socket_exists(net, key, &ip6h->saddr, &ip6h->daddr, true))
		return NULL;
	list_for_each_entry_rcu(fa, &fe->addrs, list) {
		if (ipv6_addr_equal(&fa->addr, &ip6h->saddr) ||
		    !hc_socket_exists(net, key, &fa->addr, &ip6h->daddr, true))
			continue;
		name.rid = fa->addr;
		if (key->proto == IPPROTO_TCP)
			__set_bit(HC_FLOW_SETTLED, &state);
		if (hc_local_has(&hn->locals, &name.lid))
			__set_bit(HC_FLOW_LOCAL_ID, &state);
		return hc_flow_add(hn, fe, key, &name, state);
	}
	return NULL;
}

/* The flow of @skb, a TCP or UDP packet with the peer whose address is
 * @peer (the destination outbound, the source inbound). A new one is made
 * for outbound packets, and inbound for a connection the peer's move hid
 * (hc_flow_recover()); a new entry only for a packet that initiates an
 * exchange. On success @fe is the peer's entry, @fa the
 * peer's address in it (NULL outbound once the peer's identifier is no
 * longer in the cache), @off where the transport header starts and @proto
 * its protocol.
 *
 * Context: RCU read lock.
 */
static struct hc_flow *hc_flow_of(struct hc_net *hn, struct sk_buff *skb,
				  bool outbound, struct hc_foreign **fe,
				  struct hc_faddr **fa, unsigned int *off,
				  u8 *proto)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct hc_flow_name name = {};
	struct hc_flow_key key = {};
	unsigned long state = 0;
	struct hc_flow *flow;
	bool opens, named;
	__be16 ports[2];

	*proto = ip6h->nexthdr;
	*off = skb_network_offset(skb) + sizeof(*ip6h);
	if (!hc_transport(skb, false, proto, off))
		return NULL;
	*fa = hc_faddr_lookup(&hn->cache, outbound ? &ip6h->daddr :
						       &ip6h->saddr);
	named = outbound && atomic_read(&hn->named_flows);
	if (!*fa && !named && (!outbound || !hc_initiates(skb, *proto, *off)))
		return NULL;	/* the one lookup a packet of no peer costs */
	if (skb_copy_bits(skb, *off, ports, sizeof(ports)))
		return NULL;
	if (named) {
		/* A flow whose peer's identifier left the cache is found by
		 * what its socket calls it (draft 2.1.3).
		 */
		name.lid = ip6h->saddr;
		name.rid = ip6h->daddr;
		name.lport = ports[0];
		name.rport = ports[1];
		name.proto = *proto;
		flow = rhashtable_lookup(&hn->flow_names, &name,
					 hc_flow_name_params);
		if (flow) {
			*fe = xa_load(&hn->cache.entries, flow->key.entry);
			if (!*fe)
				return NULL;	/* its entry went */
			if (*fa && (*fa)->entry != *fe)
				*fa = NULL;
			goto found;
		}
	}
	if (!*fa) {
		if (!outbound || !hc_initiates(skb, *proto, *off))
			return NULL;
		*fa = hc_learn(hn, &ip6h->daddr);
		if (!*fa)
			return NULL;
	}
	*fe = (*fa)->entry;
	key.entry = (*fe)->id;
	key.proto = *proto;
	key.lport = ports[!outbound];
	key.rport = ports[outbound];
	flow = rhashtable_lookup(&hn->flows, &key, hc_flow_params);
	if (flow && outbound)
		hc_flow_note_sharer(skb, *proto, flow);
	if (!flow && !outbound)
		flow = hc_flow_recover(hn, *fe, &key, ip6h);
	if (flow || !outbound)
		goto found;

	/* The peer left an expired address, which may be someone else's
	 * now: a new flow to it is theirs (draft 2.1.3).
	 */
	if (READ_ONCE((*fa)->state) != HOSTCACHE_ADDR_VALID)
		return NULL;
	opens = hc_initiates(skb, *proto, *off);
	if (!opens && !hc_belongs(skb, *proto))
		return NULL;
	name.lid = ip6h->saddr;
	name.rid = ip6h->daddr;
	name.lport = ports[0];
	name.rport = ports[1];
	name.proto = *proto;
	if (opens)
		__set_bit(HC_FLOW_OPENED, &state);
	if (hc_local_has(&hn->locals, &ip6h->saddr))
		__set_bit(HC_FLOW_LOCAL_ID, &state);
	flow = hc_flow_add(hn, *fe, &key, &name, state);
found:
	if (flow)
		WRITE_ONCE(flow->last_used, jiffies);
	return flow;
}

/* The flow showed that its peer answers. If this host opened it, trust
 * the peer's entry if it was a TCP handshake (one the peer merely
 * completed with us proves nothing: anyone can connect), and send the peer
 * its first Binding Update (or ask for the SA that will protect it). The
 * peer that did not open it answers the other's update (draft 2.1.2).
 */
static void hc_settle(struct hc_net *hn, struct hc_flow *flow,
		      struct hc_foreign *fe)
{
	if (test_bit(HC_FLOW_SETTLED, &flow->state) ||
	    test_and_set_bit(HC_FLOW_SETTLED, &flow->state))
		return;
	if (!test_bit(HC_FLOW_OPENED, &flow->state))
		return;
	if (flow->key.proto == IPPROTO_TCP)
		hc_foreign_trust(&hn->cache, fe->id);
	hc_sa_talk(hn, fe);
}

/* Whether @skb comes from a TCP socket that completed its handshake. */
static bool hc_established(const struct sk_buff *skb)
{
	const struct sock *sk = skb->sk;

	return sk && sk_fullsock(sk) && sk->sk_state == TCP_ESTABLISHED;
}

/* Whether every address of @fe expired: its bindings lapsed.
 *
 * Context: RCU read lock.
 */
static bool hc_foreign_lapsed(const struct hc_foreign *fe)
{
	const struct hc_faddr *fa;

	list_for_each_entry_rcu(fa, &fe->addrs, list)
		if (READ_ONCE(fa->state) != HOSTCACHE_ADDR_EXPIRED)
			return false;
	return true;
}

/* Tell the TCP socket that sent @skb that its peer is unreachable, as an
 * ICMPv6 error from the way would (draft 2.2): a connection still in its
 * handshake fails at once with EHOSTUNREACH, an established one takes it
 * as a soft error. The error goes to the packet's source through the
 * loopback device, as netfilter's reject does; never to a source that is
 * no longer this host's, which would send it out.
 */
static void hc_tell_unreachable(struct net *net, struct sk_buff *skb)
{
	if (!ipv6_chk_addr(net, &ipv6_hdr(skb)->saddr, NULL, 0))
		return;
	if (!skb->dev)
		skb->dev = net->loopback_dev;
	icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
}

static unsigned int hc_out(void *priv, struct sk_buff *skb,
			   const struct nf_hook_state *state)
{
	struct hc_net *hn = hc_net(state->net);
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct in6_addr *src = NULL;
	struct hc_faddr *fa, *dfa;
	struct hc_foreign *fe;
	const struct in6_addr *dst;
	bool unreachable = false;
	enum hc_addr_fit own;
	bool changed = false;
	bool held = false;
	struct hc_flow *flow;
	unsigned int off;
	__sum16 *csum;
	u8 proto;

	rcu_read_lock();
	flow = hc_flow_of(hn, skb, true, &fe, &fa, &off, &proto);
	if (!flow)
		goto out;
	if (fa)
		hc_touch(fa);	/* the identifier stays while the flow sends */
	if (proto == IPPROTO_TCP && hc_established(skb))
		hc_settle(hn, flow, fe);
	dfa = hc_pick_dst(&hn->cache, fe, flow);
	if (!dfa) {
		/* Every address of the peer expired: as if unreachable
		 * (draft 2.2). Else the ones it has wait for verification,
		 * and the packet goes to the identifier as it is, which the
		 * peer may still hold (it may have bound another host's
		 * address instead), if the identifier is still the peer's;
		 * one that left the cache may be someone else's: hold the
		 * packet. A flow whose packet is refused or held goes on at
		 * once when that changes.
		 */
		unreachable = hc_foreign_lapsed(fe);
		held = !unreachable && !fa;
		if (unreachable || held) {
			set_bit(HC_FLOW_HELD, &flow->state);
			set_bit(HC_NET_HELD, &hn->flags);
		}
		goto out;
	}
	if (dfa != fa)
		hc_touch(dfa);
	dst = &dfa->addr;
	/* A flow whose own address went or is deprecated leaves from a
	 * fitter one the peer accepted, if there is one. A homeless peer
	 * would answer a source it has not accepted with a reset (draft
	 * 2.2.1): with the flow's own address gone, hold the packet until
	 * the peer acknowledges another (TCP sends it again). Toward any
	 * other peer the packet leaves as it would without the module. A
	 * source that was never one of the host's addresses stays.
	 */
	own = test_bit(HC_FLOW_LOCAL_ID, &flow->state) ?
	      hc_addr_fit(state->net, &ip6h->saddr) : HC_ADDR_PREFERRED;
	if (own != HC_ADDR_PREFERRED) {
		src = hc_accepted_source(hn, fe, own);
		held = !src && own == HC_ADDR_UNFIT &&
		       READ_ONCE(fe->flags) & HOSTCACHE_FOREIGN_F_HOMELESS;
		if (held) {
			set_bit(HC_FLOW_HELD, &flow->state);
			goto out;
		}
	}
	if (ipv6_addr_equal(dst, &ip6h->daddr) && !src)
		goto out;
	ip6h = hc_writable(skb, proto, off);
	if (!ip6h)
		goto out;
	csum = hc_l4_csum(skb, proto, off);
	if (!ipv6_addr_equal(dst, &ip6h->daddr))
		hc_set_addr(skb, csum, proto, &ip6h->daddr, dst);
	if (src)
		hc_set_addr(skb, csum, proto, &ip6h->saddr, src);
	changed = true;
out:
	rcu_read_unlock();
	if (unreachable) {
		atomic64_inc(&hn->mh_stats[HC_STAT_UNREACHABLE]);
		if (proto == IPPROTO_TCP)
			hc_tell_unreachable(state->net, skb);
		return NF_DROP_ERR(-EHOSTUNREACH);
	}
	if (held) {
		/* Lost on the way, as far as the sender knows. */
		set_bit(HC_NET_HELD, &hn->flags);
		atomic64_inc(&hn->mh_stats[HC_STAT_HELD]);
		kfree_skb(skb);
		return NF_STOLEN;
	}
	if (changed && ip6_route_me_harder(state->net, state->sk, skb))
		return NF_DROP;
	return NF_ACCEPT;
}

/* @skb is an ICMPv6 message to this host. If it is an error quoting a
 * packet of a flow, which this host sent with locators, put the flow's
 * identifiers in the quoted header, as NAT does, and fix the ICMPv6
 * checksum. The quoted transport checksum is left: error handlers do not
 * read it.
 */
static void hc_icmp_in(struct hc_net *hn, struct sk_buff *skb)
{
	unsigned int off = skb_network_offset(skb) + sizeof(struct ipv6hdr);
	struct hc_quote {
		struct icmp6hdr icmp;
		struct ipv6hdr ip6;
	} *q, buf;
	struct hc_flow_key key = {};
	struct hc_flow *flow;
	struct hc_faddr *fa;
	unsigned int l4off;
	__be16 ports[2];

	q = skb_header_pointer(skb, off, sizeof(buf), &buf);
	if (!q || !icmpv6_is_err(q->icmp.icmp6_type))
		return;
	key.proto = q->ip6.nexthdr;
	l4off = off + sizeof(*q);
	if (!hc_transport(skb, true, &key.proto, &l4off) ||
	    skb_copy_bits(skb, l4off, ports, sizeof(ports)))
		return;
	fa = hc_faddr_lookup(&hn->cache, &q->ip6.daddr);
	if (!fa)
		return;
	key.entry = fa->entry->id;
	key.lport = ports[0];
	key.rport = ports[1];
	flow = rhashtable_lookup(&hn->flows, &key, hc_flow_params);
	if (!flow || (ipv6_addr_equal(&flow->name.lid, &q->ip6.saddr) &&
		      ipv6_addr_equal(&flow->name.rid, &q->ip6.daddr)))
		return;
	if (skb_ensure_writable(skb, off + sizeof(*q)))
		return;
	q = (struct hc_quote *)(skb->data + off);
	inet_proto_csum_replace16(&q->icmp.icmp6_cksum, skb,
				  q->ip6.saddr.s6_addr32, flow->name.lid.s6_addr32,
				  false);
	q->ip6.saddr = flow->name.lid;
	inet_proto_csum_replace16(&q->icmp.icmp6_cksum, skb,
				  q->ip6.daddr.s6_addr32, flow->name.rid.s6_addr32,
				  false);
	q->ip6.daddr = flow->name.rid;
}

/* The identifiers that @ip6h, a packet of @flow's key whose addresses
 * are not the flow's, goes back to. Another connection may have the key:
 * the same peer and ports, from another of our addresses or to another of
 * the peer's. A SYN (@syn) while the flow's own connection is past its
 * handshake opens one, and is left as it is (a SYN sent again after a
 * move comes before). Once the flow is known to be shared, a packet that
 * a connected socket takes as it is stays so (the other connection,
 * neither end moved); one that a connected socket takes from the flow's
 * peer identifier to the address it came to keeps that address (the
 * other connection, from another of our addresses, after the peer moved);
 * one that a connected socket takes from the address it came from to the
 * flow's own identifier keeps that source (the other connection, to
 * another of the peer's addresses, after this host moved). Else it goes
 * back to @flow's: once both ends moved, the two cannot be told apart.
 * The answer is copied: rewriting may move the header.
 *
 * Context: RCU read lock.
 */
static void hc_flow_ids(struct net *net, struct hc_flow *flow,
			const struct ipv6hdr *ip6h, bool syn,
			struct in6_addr *lid, struct in6_addr *rid)
{
	*lid = flow->name.lid;
	*rid = flow->name.rid;
	if (syn) {
		if (!hc_socket_exists(net, &flow->key, rid, lid, true))
			return;
		set_bit(HC_FLOW_SHARED, &flow->state);
	} else if (!test_bit(HC_FLOW_SHARED, &flow->state)) {
		return;
	} else if (!hc_socket_exists(net, &flow->key, &ip6h->saddr,
				     &ip6h->daddr, true)) {
		if (hc_socket_exists(net, &flow->key, rid, &ip6h->daddr, true))
			*lid = ip6h->daddr;
		else if (hc_socket_exists(net, &flow->key, &ip6h->saddr, lid,
					  true))
			*rid = ip6h->saddr;
		return;
	}
	*rid = ip6h->saddr;
	*lid = ip6h->daddr;
}

static unsigned int hc_in(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct hc_net *hn = hc_net(state->net);
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct in6_addr lid, rid;
	struct hc_foreign *fe;
	struct hc_flow *flow;
	struct hc_faddr *fa;
	unsigned int off;
	__sum16 *csum;
	u8 proto;

	hc_mh_hao(hn, skb);	/* a standard mobile node's */
	rcu_read_lock();
	if (ip6h->nexthdr == IPPROTO_ICMPV6) {
		hc_icmp_in(hn, skb);
		goto out;
	}
	/* A packet to a group, or to an anycast address of this host, is
	 * no flow's: its destination is not this host's alone.
	 */
	if (ipv6_addr_is_multicast(&ip6h->daddr) ||
	    ipv6_anycast_destination(skb_dst(skb), &ip6h->daddr))
		goto out;
	flow = hc_flow_of(hn, skb, false, &fe, &fa, &off, &proto);
	if (!flow)
		goto out;
	/* Draft 1.4: the source last seen is where to send next, once it
	 * is known to be the peer's.
	 */
	if (hc_dst_usable(fa, &flow->name.rid)) {
		hc_touch(fa);
		if (!ipv6_addr_equal(&flow->rloc, &ip6h->saddr))
			flow->rloc = ip6h->saddr;
	}
	if (proto == IPPROTO_UDP)
		hc_settle(hn, flow, fe);	/* the peer answered */
	if (ipv6_addr_equal(&flow->name.rid, &ip6h->saddr) &&
	    ipv6_addr_equal(&flow->name.lid, &ip6h->daddr))
		goto out;
	hc_flow_ids(state->net, flow, ip6h, hc_syn(skb, proto, off), &lid,
		    &rid);
	if (ipv6_addr_equal(&rid, &ip6h->saddr) &&
	    ipv6_addr_equal(&lid, &ip6h->daddr))
		goto out;
	ip6h = hc_writable(skb, proto, off);
	if (!ip6h)
		goto out;
	csum = hc_l4_csum(skb, proto, off);
	if (!ipv6_addr_equal(&rid, &ip6h->saddr))
		hc_set_addr(skb, csum, proto, &ip6h->saddr, &rid);
	if (!ipv6_addr_equal(&lid, &ip6h->daddr))
		hc_set_addr(skb, csum, proto, &ip6h->daddr, &lid);
out:
	rcu_read_unlock();
	return NF_ACCEPT;
}

static const struct nf_hook_ops hc_hook_ops[] = {
	{
		.hook = hc_out,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_LAST - 1,
	},
	{
		.hook = hc_in,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_FIRST + 1,
	},
};

/* Whether the socket of @flow, an idle one, still exists: a TCP
 * connection with the flow's identifiers and ports that is not over, or a
 * UDP socket that would receive the peer's datagrams (connected to them,
 * or bound to the port: a server that knows its clients by address).
 *
 * Context: RCU read lock.
 */
static bool hc_flow_has_socket(struct net *net, const struct hc_flow *flow)
{
	return hc_socket_exists(net, &flow->key, &flow->name.rid, &flow->name.lid, false);
}

/* Keep @flow, idle but with its socket, for another DEFAULT-LIFETIME, and
 * with it the peer's identifier in the entry @fe, as a packet would
 * (draft 2.1.4: an entry stays while connections refer to it).
 */
static void hc_flow_keep(struct hc_net *hn, struct hc_flow *flow,
			 struct hc_foreign *fe, unsigned long now)
{
	struct hc_faddr *fa = hc_faddr_lookup(&hn->cache, &flow->name.rid);

	WRITE_ONCE(flow->last_used, now);
	if (fa && fa->entry == fe)
		hc_touch(fa);
}

/* Retransmit on @sk now, with the timeout its round-trip time gives: the
 * path is back, and the timeout backed off while it was gone says nothing
 * of it (RFC 6069 reverts it likewise). Should this retransmission be lost
 * too, the next comes a round trip or so later, not minutes.
 *
 * Context: the socket's lock, bottom halves off.
 */
static void hc_tcp_retransmit_now(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tcp_sock *tp = tcp_sk(sk);

	icsk->icsk_backoff = 0;
	icsk->icsk_rto = tp->srtt_us ? __tcp_set_rto(tp) : TCP_TIMEOUT_INIT;
	tcp_bound_rto(sk);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, 0, TCP_RTO_MAX);
}

/* The TCP connection of @flow can reach its peer again: retransmit now
 * rather than when the backed-off timer fires (as RFC 6069 does when a
 * path comes back), if the connection had a packet @held back or timed
 * out already (its path broke: an outage, a move). A connection with
 * nothing to retransmit that had a packet held back lost an
 * acknowledgment, which no timer sends again: send one now, or the peer
 * waits for its own backed-off timer. A socket the user holds is left
 * alone.
 *
 * Context: RCU read lock, process context.
 */
static void hc_flow_wake(struct net *net, const struct hc_flow *flow,
			 bool held)
{
	struct inet_connection_sock *icsk;
	struct sock *sk;

	if (flow->key.proto != IPPROTO_TCP)
		return;
	sk = hc_tcp_lookup(net, &flow->key, &flow->name.rid, &flow->name.lid);
	if (!sk)
		return;
	if (sk_fullsock(sk)) {
		icsk = inet_csk(sk);
		local_bh_disable();
		bh_lock_sock(sk);
		if (!sock_owned_by_user(sk)) {
			if (icsk->icsk_pending == ICSK_TIME_RETRANS &&
			    (held || icsk->icsk_retransmits))
				hc_tcp_retransmit_now(sk);
			else if (held && (1 << sk->sk_state) & HC_TCPF_SYNCED)
				__tcp_send_ack(sk, tcp_sk(sk)->rcv_nxt);
		}
		bh_unlock_sock(sk);
		local_bh_enable();
	}
	sock_gen_put(sk);
}

/* Whether the peer of @fe accepted a new set of our addresses at or after
 * @from (jiffies).
 *
 * Context: RCU read lock.
 */
static bool hc_accepted_since(const struct hc_foreign *fe, unsigned long from)
{
	const struct hc_accepted *acc = rcu_dereference(fe->accepted);

	return acc && time_after_eq(acc->since, from);
}

/**
 * hc_flows_resume() - flows that wait may go on
 * @hn: the namespace
 * @changed: a peer accepted a set of our addresses unlike the last one
 *
 * Called when a peer accepts our addresses, or binds or verifies its own.
 * The collector, run now, retransmits on the TCP connections that had a
 * packet held back or refused, and, if @changed, on those with the peer
 * whose retransmission timer is backing off.
 *
 * Context: any.
 */
void hc_flows_resume(struct hc_net *hn, bool changed)
{
	if (!test_and_clear_bit(HC_NET_HELD, &hn->flags) && !changed)
		return;
	set_bit(HC_NET_RESUME, &hn->flags);
	mod_delayed_work(system_power_efficient_wq, &hn->gc_work, 0);
}

/**
 * hc_flows_moved() - a peer's address moved to another entry
 * @hn: the namespace
 *
 * The collector, run now, keys the flows whose peer identifier moved by
 * the entry that holds it now (hc_flow_follow()).
 *
 * Context: any.
 */
void hc_flows_moved(struct hc_net *hn)
{
	set_bit(HC_NET_MOVED, &hn->flags);
	mod_delayed_work(system_power_efficient_wq, &hn->gc_work, 0);
}

/**
 * hc_flows_addr_gone() - this host lost an address
 * @hn: the namespace
 * @addr: the address
 *
 * The collector, run now, gives a flow to each connection from @addr to
 * a peer in the cache that has none (hc_flows_adopt()). Up to HC_GONE_MAX
 * addresses wait at once; the connections of any more have their flows
 * made by their next packet out, as before.
 *
 * Context: any.
 */
void hc_flows_addr_gone(struct hc_net *hn, const struct in6_addr *addr)
{
	spin_lock_bh(&hn->gone_lock);
	if (hn->n_gone < HC_GONE_MAX)
		hn->gone[hn->n_gone++] = *addr;
	spin_unlock_bh(&hn->gone_lock);
	mod_delayed_work(system_power_efficient_wq, &hn->gc_work, 0);
}

/* Give @sk, a connected TCP or UDP socket (@proto), a flow if its address
 * is one of the @n in @gone and its peer's is in the cache, and it has
 * none.
 *
 * Context: the lock of @sk's hash bucket.
 */
static void hc_flow_adopt(struct hc_net *hn, const struct sock *sk, u8 proto,
			  const struct in6_addr *gone, unsigned int n)
{
	struct hc_flow_name name = {
		.lid = sk->sk_v6_rcv_saddr,
		.rid = sk->sk_v6_daddr,
		.lport = inet_sk(sk)->inet_sport,
		.rport = sk->sk_dport,
		.proto = proto,
	};
	unsigned long state = BIT(HC_FLOW_LOCAL_ID);
	struct hc_flow_key key = {
		.lport = name.lport,
		.rport = name.rport,
		.proto = proto,
	};
	struct hc_faddr *fa;

	while (n && !ipv6_addr_equal(&gone[n - 1], &name.lid))
		n--;
	if (!n)
		return;
	if (proto == IPPROTO_TCP)
		__set_bit(HC_FLOW_SETTLED, &state);
	rcu_read_lock();
	fa = hc_faddr_lookup(&hn->cache, &name.rid);
	if (fa) {
		key.entry = fa->entry->id;
		if (!rhashtable_lookup(&hn->flows, &key, hc_flow_params))
			hc_flow_add(hn, fa->entry, &key, &name, state);
	}
	rcu_read_unlock();
}

/* A connection whose host has not sent on it since its peer's entry was
 * made has no flow (flows are made by packets out), and after this host's
 * move its peer's packets would reach the socket with addresses it does
 * not know: give a flow to each connected TCP and UDP socket of an
 * address this host lost. A walk of the socket tables, once per address
 * lost.
 *
 * Context: the collector.
 */
static void hc_flows_adopt(struct hc_net *hn)
{
	struct net *net = hn->cache.net;
	struct inet_hashinfo *tcp = net->ipv4.tcp_death_row.hashinfo;
	struct in6_addr gone[HC_GONE_MAX];
	struct hlist_nulls_node *node;
	struct udp_hslot *slot;
	unsigned int i, n;
	struct sock *sk;

	spin_lock_bh(&hn->gone_lock);
	n = hn->n_gone;
	memcpy(gone, hn->gone, n * sizeof(*gone));
	hn->n_gone = 0;
	spin_unlock_bh(&hn->gone_lock);
	if (!n)
		return;

	for (i = 0; i <= tcp->ehash_mask; i++) {
		if (hlist_nulls_empty(&tcp->ehash[i].chain))
			continue;
		spin_lock_bh(inet_ehash_lockp(tcp, i));
		sk_nulls_for_each(sk, node, &tcp->ehash[i].chain)
			if (sk->sk_family == AF_INET6 &&
			    (1 << sk->sk_state) & HC_TCPF_SYNCED &&
			    net_eq(sock_net(sk), net))
				hc_flow_adopt(hn, sk, IPPROTO_TCP, gone, n);
		spin_unlock_bh(inet_ehash_lockp(tcp, i));
		cond_resched();
	}
	for (i = 0; i <= udp_table.mask; i++) {
		slot = &udp_table.hash[i];
		if (hlist_empty(&slot->head))
			continue;
		spin_lock_bh(&slot->lock);
		sk_for_each(sk, &slot->head)
			if (sk->sk_family == AF_INET6 &&
			    sk->sk_state == TCP_ESTABLISHED &&
			    net_eq(sock_net(sk), net))
				hc_flow_adopt(hn, sk, IPPROTO_UDP, gone, n);
		spin_unlock_bh(&slot->lock);
		cond_resched();
	}
}

/* Key @flow, of the entry @fe (NULL if it went), by the entry that holds
 * its peer's identifier now, if another does (hc_foreign_claim()): a
 * copy takes its place, as readers look the old one up by its key. A
 * flow of that entry with the same key stays: the same connection, which
 * a packet recorded again since the move, or another one, to another
 * address the peer turned out to have, with the same ports (the flow is
 * then shared). Return the flow to go on with and its entry in @fe, or
 * NULL if @flow went.
 *
 * Context: RCU read lock, the collector.
 */
static struct hc_flow *hc_flow_follow(struct hc_net *hn, struct hc_flow *flow,
				      struct hc_foreign **fe)
{
	struct hc_faddr *fa = hc_faddr_lookup(&hn->cache, &flow->name.rid);
	struct hc_flow *copy, *old;
	struct hc_foreign *to;

	if (!fa || fa->entry == *fe)
		return flow;
	to = fa->entry;
	copy = kmemdup(flow, sizeof(*flow), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!copy)
		return flow;	/* the next move tries again */
	copy->key.entry = to->id;
	old = rhashtable_lookup_get_insert_fast(&hn->flows, &copy->node,
						hc_flow_params);
	if (IS_ERR(old)) {
		kfree(copy);
		return flow;	/* the next move tries again */
	}
	if (old) {
		if (memcmp(&old->name, &copy->name, sizeof(old->name)))
			set_bit(HC_FLOW_SHARED, &old->state);
		if (test_bit(HC_FLOW_OPENED, &copy->state))
			set_bit(HC_FLOW_OPENED, &old->state);
		if (test_bit(HC_FLOW_SETTLED, &copy->state))
			set_bit(HC_FLOW_SETTLED, &old->state);
		kfree(copy);
		copy = NULL;
	} else {
		atomic_inc(&to->n_flows);
	}
	if (test_bit(HC_FLOW_NAMED, &flow->state) &&
	    (!copy || rhashtable_replace_fast(&hn->flow_names,
					      &flow->name_node,
					      &copy->name_node,
					      hc_flow_name_params))) {
		rhashtable_remove_fast(&hn->flow_names, &flow->name_node,
				       hc_flow_name_params);
		atomic_dec(&hn->named_flows);
		if (copy)
			clear_bit(HC_FLOW_NAMED, &copy->state);
	}
	rhashtable_remove_fast(&hn->flows, &flow->node, hc_flow_params);
	if (*fe)
		atomic_dec(&(*fe)->n_flows);
	kfree_rcu(flow, rcu);
	*fe = to;
	return copy;
}

/* Find @flow by its name from now on if its peer's identifier leaves the
 * cache of @fe when the cache is aged at @now (or has left it already):
 * its packets, which carry the identifier, find no entry by it then. The
 * caller ages the cache after the flows.
 *
 * Context: RCU read lock, the collector.
 */
static void hc_flow_name(struct hc_net *hn, struct hc_flow *flow,
			 struct hc_foreign *fe, unsigned long now)
{
	struct hc_faddr *fa;

	if (test_bit(HC_FLOW_NAMED, &flow->state))
		return;
	fa = hc_faddr_lookup(&hn->cache, &flow->name.rid);
	if (fa && fa->entry == fe && !hc_faddr_doomed(&hn->cache, fa, now))
		return;
	if (rhashtable_lookup_insert_fast(&hn->flow_names, &flow->name_node,
					  hc_flow_name_params))
		return;	/* another connection has the name; try again */
	set_bit(HC_FLOW_NAMED, &flow->state);
	atomic_inc(&hn->named_flows);
}

/* Take @flow, of entry @fe (NULL if it went), out of the tables and free
 * it after a grace period. Context: RCU read lock, as a table walk holds.
 */
static void hc_flow_forget(struct hc_net *hn, struct hc_flow *flow,
			   struct hc_foreign *fe)
{
	if (rhashtable_remove_fast(&hn->flows, &flow->node, hc_flow_params))
		return;		/* another took it out */
	if (test_bit(HC_FLOW_NAMED, &flow->state)) {
		rhashtable_remove_fast(&hn->flow_names, &flow->name_node,
				       hc_flow_name_params);
		atomic_dec(&hn->named_flows);
	}
	if (fe)
		atomic_dec(&fe->n_flows);
	kfree_rcu(flow, rcu);
}

/**
 * hc_flows_gc() - forget flows idle for DEFAULT-LIFETIME whose socket is
 *	gone, and flows whose peer's entry went
 * @hn: the namespace
 * @now: the time (jiffies)
 *
 * Context: process context.
 */
void hc_flows_gc(struct hc_net *hn, unsigned long now)
{
	unsigned long idle = READ_ONCE(hn->params.default_lifetime) *
			     (unsigned long)HZ;
	bool resume = test_and_clear_bit(HC_NET_RESUME, &hn->flags);
	bool moved = test_and_clear_bit(HC_NET_MOVED, &hn->flags);
	unsigned long resumed = hn->resumed;
	struct rhashtable_iter iter;
	unsigned int budget = HC_GC_BATCH;
	struct hc_foreign *fe;
	struct hc_flow *flow;
	bool held;

	if (resume)
		hn->resumed = now;
	hc_flows_adopt(hn);

	rhashtable_walk_enter(&hn->flows, &iter);
	rhashtable_walk_start(&iter);
	while ((flow = rhashtable_walk_next(&iter))) {
		if (IS_ERR(flow))
			continue;	/* -EAGAIN: a resize; go on */
		if (!--budget) {
			/* In bounded steps: let others have the CPU. */
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
			budget = HC_GC_BATCH;
		}
		fe = xa_load(&hn->cache.entries, flow->key.entry);
		if (moved) {
			flow = hc_flow_follow(hn, flow, &fe);
			if (!flow)
				continue;
		}
		if (resume) {
			held = test_and_clear_bit(HC_FLOW_HELD, &flow->state);
			if (held || (fe && hc_accepted_since(fe, resumed)))
				hc_flow_wake(hn->cache.net, flow, held);
		}
		if (fe)
			hc_flow_name(hn, flow, fe, now);
		if (fe && time_before(now, READ_ONCE(flow->last_used) + idle))
			continue;
		if (fe && hc_flow_has_socket(hn->cache.net, flow)) {
			hc_flow_keep(hn, flow, fe, now);
			continue;
		}
		hc_flow_forget(hn, flow, fe);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

/**
 * hc_flows_flush() - forget every flow
 * @hn: the namespace's state, its hooks and collector stopped
 *
 * Context: process context.
 */
void hc_flows_flush(struct hc_net *hn)
{
	struct rhashtable_iter iter;
	struct hc_flow *flow;

	spin_lock_bh(&hn->gone_lock);
	hn->n_gone = 0;
	spin_unlock_bh(&hn->gone_lock);
	rhashtable_walk_enter(&hn->flows, &iter);
	rhashtable_walk_start(&iter);
	while ((flow = rhashtable_walk_next(&iter))) {
		if (IS_ERR(flow))
			continue;
		hc_flow_forget(hn, flow, xa_load(&hn->cache.entries,
						 flow->key.entry));
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static void hc_flow_free(void *ptr, void *arg)
{
	kfree(ptr);
}

int hc_rewrite_init(struct hc_net *hn)
{
	int err;

	err = rhashtable_init(&hn->flows, &hc_flow_params);
	if (err)
		return err;
	err = rhashtable_init(&hn->flow_names, &hc_flow_name_params);
	if (err)
		goto destroy_flows;
	atomic_set(&hn->named_flows, 0);
	hn->resumed = jiffies;
	spin_lock_init(&hn->gone_lock);
	return 0;

destroy_flows:
	rhashtable_destroy(&hn->flows);
	return err;
}

/**
 * hc_rewrite_start() - put the namespace's packets on the flows
 * @net: the namespace
 *
 * Return: 0, or a negative errno with nothing registered.
 */
int hc_rewrite_start(struct net *net)
{
	int err;

	err = nf_defrag_ipv6_enable(net);
	if (err)
		return err;
	err = nf_register_net_hooks(net, hc_hook_ops, ARRAY_SIZE(hc_hook_ops));
	if (err)
		nf_defrag_ipv6_disable(net);
	return err;
}

/**
 * hc_rewrite_stop() - take the namespace's packets off the flows
 * @net: the namespace, hc_rewrite_start() done
 *
 * Once it returns, no hook runs: nothing makes flows, entries or updates.
 */
void hc_rewrite_stop(struct net *net)
{
	nf_unregister_net_hooks(net, hc_hook_ops, ARRAY_SIZE(hc_hook_ops));
	nf_defrag_ipv6_disable(net);
}

/**
 * hc_rewrite_destroy() - free the flows
 * @hn: the namespace's state, its hooks and collector stopped
 */
void hc_rewrite_destroy(struct hc_net *hn)
{
	/* The collector walks the flows. */
	WARN_ON_ONCE(work_busy(&hn->gc_work.work));
	rhashtable_destroy(&hn->flow_names);	/* the same flows, by name */
	rhashtable_free_and_destroy(&hn->flows, hc_flow_free, NULL);
}
