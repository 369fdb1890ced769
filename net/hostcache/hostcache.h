/* SPDX-License-Identifier: GPL-2.0 */
/* hostcache: internal definitions shared by the module's files.
 */
#ifndef _NET_HOSTCACHE_H
#define _NET_HOSTCACHE_H

#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/ratelimit.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "binding.h"
#include "cache.h"
#include "local.h"
#include "mh.h"

#define HOSTCACHE_VERSION "0.1.0"

struct nlattr;
struct sk_buff;
struct netlink_ext_ack;
struct netlink_range_validation;

/**
 * struct hc_params - per-namespace tunables
 * @default_lifetime: seconds an unused address learned other than from a
 *	Binding Update stays valid (draft DEFAULT-LIFETIME)
 * @max_expired_lifetime: seconds an expired address is kept
 *	(draft MAXIMUM-EXPIRED-LIFETIME)
 * @max_entries: foreign entries the namespace may hold
 * @max_addrs: addresses one foreign entry may hold
 * @accept_unauthenticated: Binding Updates not under AH may change the
 *	cache (tests of the Mobility Header only)
 * @binding_lifetime: seconds the Binding Updates this host sends ask for
 * @max_binding_lifetime: the most seconds a peer's Binding Update is
 *	granted
 * @max_flows: flows the namespace rewrites at most
 * @ordinary_hold: seconds a peer found not to be homeless is left alone
 * @enabled: the module works in the namespace; only hc_net_enable()
 *	changes it
 *
 * Writers hold &struct hc_net.lock and use WRITE_ONCE(); the packet path
 * reads single fields with READ_ONCE() and no lock.
 */
struct hc_params {
	u32 default_lifetime;
	u32 max_expired_lifetime;
	u32 max_entries;
	u32 max_addrs;
	bool accept_unauthenticated;
	u32 binding_lifetime;
	u32 max_binding_lifetime;
	u32 max_flows;
	u32 ordinary_hold;
	bool enabled;
};

/**
 * struct hc_announce - Binding Updates to homeless peers (announce.c)
 * @lock: guards @peers
 * @peers: &struct hc_peer_update, one per peer being told
 * @work: builds and sends the updates that are due
 * @flags: bit HC_ANNOUNCE_CHANGED: local addresses changed since the last
 *	run of @work
 */
struct hc_announce {
	spinlock_t lock;	/* guards peers */
	struct list_head peers;
	struct delayed_work work;
	unsigned long flags;
};

/**
 * struct hc_verify - tests of peers' addresses (verify.c)
 * @lock: guards @tests and @n_tests
 * @tests: &struct hc_addr_test, one per address being tested
 * @n_tests: entries in @tests
 * @work: sends the tests that are due
 */
struct hc_verify {
	spinlock_t lock;	/* guards tests, n_tests */
	struct list_head tests;
	unsigned int n_tests;
	struct delayed_work work;
};

/**
 * struct hc_keywait - messages waiting for the key daemon (keywait.c)
 * @lock: guards @acks and @n_acks
 * @acks: Binding Acknowledgments to peers with SAs, waiting for a policy
 *	for their destination
 * @n_acks: entries in @acks
 * @work: sends what waits once a policy comes, gives it up in time
 * @flags: bit HC_KEYWAIT_POLICY: an outbound policy was added since the
 *	last run of @work
 */
struct hc_keywait {
	spinlock_t lock;	/* guards acks, n_acks */
	struct list_head acks;
	unsigned int n_acks;
	struct delayed_work work;
	unsigned long flags;
};

/* Bits of &struct hc_keywait.flags. */
enum {
	HC_KEYWAIT_POLICY,
};

/* Addresses lost at once that hc_flows_addr_gone() remembers. */
#define HC_GONE_MAX	16

/**
 * struct hc_net - per-network-namespace state
 * @lock: serialises changes to @params, among them the switch
 *	(hc_net_enable()), and the netlink requests that add to the foreign
 *	entries, which the switch off must not miss
 * @params: tunables, see &struct hc_params
 * @locals: the local entries, this host's address sets
 * @cache: the foreign entries
 * @gc_work: ages @cache while it holds entries
 * @mh_stats: Mobility Header counters, HC_MH_STAT_*
 * @error_ratelimit: limits the Binding Errors sent
 * @announce: Binding Updates this host sends
 * @verify: tests of the addresses peers' Binding Updates bring in
 * @keywait: acknowledgments waiting for the key daemon's policy
 * @answer_ratelimit: limits the updates this host sends in answer to a
 *	peer's message (its update, its Address Test)
 * @flows: the flows being rewritten (rewrite.c): the packet path inserts
 *	under RCU, the expiry worker removes and frees after a grace period
 * @flow_names: the flows whose peer's identifier left the cache, by the
 *	identifiers and ports their socket has (rewrite.c); the expiry
 *	worker inserts and removes
 * @named_flows: how many @flow_names holds
 * @fib_nb: hears of the local routes that make addresses fit
 *	(addrwatch.c)
 * @flags: HC_NET_* bits
 * @resumed: when the collector last woke the flows that wait (jiffies);
 *	only the collector uses it
 * @gone_lock: guards @gone and @n_gone
 * @gone: addresses this host lost whose connections the collector is
 *	yet to give flows (rewrite.c)
 * @n_gone: entries in @gone
 */
struct hc_net {
	struct mutex lock;	/* serialises params, the switch, additions */
	struct hc_params params;
	struct hc_locals locals;
	struct hc_cache cache;
	struct delayed_work gc_work;
	atomic64_t mh_stats[HC_MH_STAT_MAX];
	struct ratelimit_state error_ratelimit;
	struct hc_announce announce;
	struct hc_verify verify;
	struct hc_keywait keywait;
	struct ratelimit_state answer_ratelimit;
	struct rhashtable flows;
	struct rhashtable flow_names;
	atomic_t named_flows;
	struct notifier_block fib_nb;
	unsigned long flags;
	unsigned long resumed;
	spinlock_t gone_lock;	/* guards gone, n_gone */
	struct in6_addr gone[HC_GONE_MAX];
	unsigned int n_gone;
};

/* Bits of &struct hc_net.flags. */
enum {
	HC_NET_HELD,	/* a flow waits: a packet of it was held back or
			 * refused (rewrite.c)
			 */
	HC_NET_RESUME,	/* a peer accepted our addresses, or bound or
			 * verified its own, since: the collector wakes
			 * the TCP flows that wait
			 */
	HC_NET_MOVED,	/* a peer's address moved to another entry: the
			 * collector keys its flows by that entry
			 */
};

extern unsigned int hc_net_id;

static inline struct hc_net *hc_net(const struct net *net)
{
	return net_generic(net, hc_net_id);
}

void hc_gc_start(struct hc_net *hn);
int hc_net_enable(struct net *net, struct hc_net *hn, bool on);

/* Whether the module works in @hn's namespace (hc_net_enable()). */
static inline bool hc_enabled(const struct hc_net *hn)
{
	return READ_ONCE(hn->params.enabled);
}

int hc_addrwatch_init(void);
void hc_addrwatch_exit(void);
int hc_addrwatch_net_init(struct net *net, struct hc_net *hn);
void hc_addrwatch_net_exit(struct net *net, struct hc_net *hn);

/* How fit an address of this host is to announce and send from, worst
 * first.
 */
enum hc_addr_fit {
	HC_ADDR_UNFIT,
	HC_ADDR_DEPRECATED,
	HC_ADDR_PREFERRED,
};

enum hc_addr_fit hc_addr_fit(struct net *net, const struct in6_addr *addr);
const struct in6_addr *hc_addr_best(struct hc_net *hn,
				    const struct in6_addr *dst,
				    enum hc_addr_fit than);

/* A message to a peer with SAs that finds no policy for its address yet
 * (hc_mh_send() returns -EAGAIN) goes again HC_MH_POLICY_WAIT later, or
 * as soon as an outbound policy is added (keywait.c), up to
 * HC_MH_POLICY_WAITS times; then a test goes without AH, an update waits
 * for its back-off, an acknowledgment is given up.
 */
#define HC_MH_POLICY_WAIT	(HZ / 20)
#define HC_MH_POLICY_WAITS	20

int hc_mh_send(struct net *net, const struct in6_addr *saddr,
	       const struct in6_addr *daddr, int oif, const u8 *msg,
	       unsigned int len, bool protect);

void hc_keywait_module_init(void);
void hc_keywait_module_exit(void);
void hc_keywait_init(struct hc_keywait *kw);
void hc_keywait_flush(struct hc_keywait *kw);
int hc_keywait_ack(struct hc_net *hn, const struct in6_addr *saddr,
		   const struct in6_addr *daddr, const u8 *msg,
		   unsigned int len);

int hc_rewrite_init(struct hc_net *hn);
int hc_rewrite_start(struct net *net);
void hc_rewrite_stop(struct net *net);
void hc_rewrite_destroy(struct hc_net *hn);
void hc_flows_gc(struct hc_net *hn, unsigned long now);
void hc_flows_flush(struct hc_net *hn);
void hc_flows_resume(struct hc_net *hn, bool changed);
void hc_flows_moved(struct hc_net *hn);
void hc_flows_addr_gone(struct hc_net *hn, const struct in6_addr *addr);

void hc_announce_init(struct hc_announce *an);
void hc_announce_destroy(struct hc_announce *an);
void hc_announce_flush(struct hc_announce *an);
void hc_announce_changed(struct hc_net *hn);
void hc_announce_keyed(struct hc_net *hn);
void hc_announce_peer(struct hc_net *hn, u32 id);
void hc_announce_answer(struct hc_net *hn, u32 id);
void hc_announce_echo(struct hc_net *hn, u32 id, const u64 *nonces,
		      unsigned int n);
void hc_announce_acked(struct hc_net *hn, const struct in6_addr *src,
		       const struct in6_addr *dst,
		       const struct hc_mh_ack *ack);
void hc_announce_unknown(struct hc_net *hn, const struct in6_addr *dst,
			 u16 seq);
void hc_mh_hao(struct hc_net *hn, struct sk_buff *skb);
const struct in6_addr *hc_accepted_source(struct hc_net *hn,
					  const struct hc_foreign *fe,
					  enum hc_addr_fit than);

void hc_verify_init(struct hc_verify *v);
void hc_verify_destroy(struct hc_verify *v);
void hc_verify_flush(struct hc_verify *v);
void hc_verify_start(struct hc_net *hn, u32 id, const struct in6_addr *addr,
		     const struct in6_addr *src, bool claim);
void hc_verify_answered(struct hc_net *hn, u32 id, u64 nonce);
void hc_verify_keyed(struct hc_net *hn);

u32 hc_sa_entry(struct hc_net *hn, const struct sk_buff *skb, bool *elsewhere);
void hc_sa_talk(struct hc_net *hn, struct hc_foreign *fe);
void hc_sa_named(struct hc_net *hn, u32 id);

extern struct netlink_range_validation hc_lifetime_range;

void hc_params_init(struct hc_params *params);
int hc_params_parse(struct nlattr **tb, const struct nlattr *nest,
		    struct netlink_ext_ack *extack);
void hc_params_apply(struct hc_params *params, struct nlattr **tb);
int hc_params_fill(struct sk_buff *skb, const struct hc_params *params);

int hc_genl_init(void);
void hc_genl_exit(void);

#if IS_ENABLED(CONFIG_HOSTCACHE_BENCH)
void hc_bench_init(void);
void hc_bench_exit(void);
#else
static inline void hc_bench_init(void) { }
static inline void hc_bench_exit(void) { }
#endif

#endif /* _NET_HOSTCACHE_H */
