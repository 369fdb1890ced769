// SPDX-License-Identifier: GPL-2.0
/*
 * hckeyd: the peers the daemon holds keys for, and their SAs.
 *
 * A peer is a foreign entry whose SAs the daemon keyed, named by a reqid
 * of the daemon's range. Its SAs follow the addresses without a new
 * exchange: an inbound SA for each global address of this host (local
 * entry 1), an outbound SA and an output policy for each address of the
 * entry, expired ones too: the module may look for a peer that both moved
 * and lost its update at an address it had before (announce.c), and only
 * the Mobility Header goes under these policies. The daemon learns the changes from the module's events; the
 * kernel keeps the SAs, so a restarted daemon reads its keys back from
 * them (peers_recover()).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/errno.h>

#include "hckeyd.h"

struct peer {
	struct peer *next;
	uint32_t fid;
	uint32_t reqid;
	/* An event showed the entry with our reqid: later changes are real. */
	bool confirmed;
	/* When the keys were made (ms, monotonic). */
	uint64_t keyed_ms;
	/* The exchange that made the keys, for a repeated I2. */
	bool has_rec;
	struct exch_record rec;
	struct peer_keys keys;
	/* Peer addresses with an outbound SA and a policy. */
	int naddrs;
	struct in6_addr addrs[HOSTCACHE_MAX_ADDRS_MAX];
};

static struct peer *peers;

/* This host's global addresses: each peer has an inbound SA on each. */
static struct in6_addr *locals;
static int nlocals, locals_cap;

static bool local_has(const struct in6_addr *addr)
{
	int i;

	for (i = 0; i < nlocals; i++)
		if (IN6_ARE_ADDR_EQUAL(&locals[i], addr))
			return true;
	return false;
}

static int local_add(const struct in6_addr *addr)
{
	struct in6_addr *grown;

	if (local_has(addr))
		return 0;
	if (nlocals == locals_cap) {
		grown = realloc(locals, (locals_cap + 16) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		locals = grown;
		locals_cap += 16;
	}
	locals[nlocals++] = *addr;
	return 1;
}

static bool local_del(const struct in6_addr *addr)
{
	int i;

	for (i = 0; i < nlocals; i++)
		if (IN6_ARE_ADDR_EQUAL(&locals[i], addr)) {
			locals[i] = locals[--nlocals];
			return true;
		}
	return false;
}

/* Read this host's addresses from local entry 1 anew. */
int locals_load(void)
{
	struct in6_addr *addrs = NULL;
	int i, n, err;

	err = module_get_local(&addrs, &n);
	if (err)
		return err;
	nlocals = 0;
	for (i = 0; i < n; i++)
		if (addr_is_global(&addrs[i]))
			local_add(&addrs[i]);
	free(addrs);
	return 0;
}

struct peer *peer_find(uint32_t fid)
{
	struct peer *p;

	for (p = peers; p && fid; p = p->next)
		if (p->fid == fid)
			return p;
	return NULL;
}

struct peer *peer_find_reqid(uint32_t reqid)
{
	struct peer *p;

	for (p = peers; p; p = p->next)
		if (p->reqid == reqid)
			return p;
	return NULL;
}

/*
 * The peer keyed by the exchange @rec describes (Ni, both addresses and
 * MACi) with these SPIs, if any: only the same I2 again finds it.
 */
struct peer *peer_find_exchange(const struct exch_record *rec,
				uint32_t spi_in, uint32_t spi_out)
{
	struct peer *p;

	for (p = peers; p; p = p->next)
		if (p->has_rec && p->keys.spi_in == spi_in &&
		    p->keys.spi_out == spi_out &&
		    !memcmp(p->rec.ni, rec->ni, sizeof(rec->ni)) &&
		    IN6_ARE_ADDR_EQUAL(&p->rec.addr_i, &rec->addr_i) &&
		    IN6_ARE_ADDR_EQUAL(&p->rec.addr_r, &rec->addr_r) &&
		    equal_ct(p->rec.maci, rec->maci, sizeof(rec->maci)))
			return p;
	return NULL;
}

int peer_count(void)
{
	struct peer *p;
	int n = 0;

	for (p = peers; p; p = p->next)
		n++;
	return n;
}

uint32_t peer_fid(const struct peer *peer)
{
	return peer->fid;
}

void peer_set_fid(struct peer *peer, uint32_t fid)
{
	peer->fid = fid;
}

const uint8_t *peer_r2(const struct peer *peer, size_t *len)
{
	*len = peer->rec.r2len;
	return peer->rec.r2len ? peer->rec.r2 : NULL;
}

static int peer_addr_index(const struct peer *p, const struct in6_addr *addr)
{
	int i;

	for (i = 0; i < p->naddrs; i++)
		if (IN6_ARE_ADDR_EQUAL(&p->addrs[i], addr))
			return i;
	return -1;
}

/* Return: 0, or a negative libnl error (-NLE_EXIST: another's SA). */
static int peer_add_out(struct peer *p, const struct in6_addr *addr)
{
	int err;

	if (!p->keys.k_out || peer_addr_index(p, addr) >= 0 ||
	    p->naddrs == HOSTCACHE_MAX_ADDRS_MAX)
		return 0;
	err = xfrm_sa_add(addr, p->keys.spi_out, p->reqid, p->keys.k_out);
	if (err)
		return err;
	err = xfrm_policy_set(addr, p->reqid);
	if (err) {
		xfrm_sa_del(addr, p->keys.spi_out, p->reqid);
		return err;
	}
	p->addrs[p->naddrs++] = *addr;
	return 0;
}

static void peer_del_out(struct peer *p, const struct in6_addr *addr)
{
	int i = peer_addr_index(p, addr);

	if (i < 0)
		return;
	xfrm_policy_del(addr);
	xfrm_sa_del(addr, p->keys.spi_out, p->reqid);
	p->addrs[i] = p->addrs[--p->naddrs];
}

static int peer_add_in(struct peer *p, const struct in6_addr *addr)
{
	if (!p->keys.k_in)
		return 0;
	return xfrm_sa_add(addr, p->keys.spi_in, p->reqid, p->keys.k_in);
}

static void peer_del_in(struct peer *p, const struct in6_addr *addr)
{
	if (p->keys.k_in)
		xfrm_sa_del(addr, p->keys.spi_in, p->reqid);
}

struct stale_sa {
	struct in6_addr daddr;
	uint32_t spi;
	uint32_t reqid;
};

struct purge {
	uint32_t reqid;
	const struct peer *keep;	/* NULL: remove everything of reqid */
	int n, cap;
	struct stale_sa *sas;
};

static void purge_add(struct purge *pg, const struct in6_addr *daddr,
		      uint32_t spi, uint32_t reqid)
{
	struct stale_sa *grown;

	if (pg->n == pg->cap) {
		grown = realloc(pg->sas, (pg->cap + 16) * sizeof(*grown));
		if (!grown)
			return;
		pg->sas = grown;
		pg->cap += 16;
	}
	pg->sas[pg->n].daddr = *daddr;
	pg->sas[pg->n].reqid = reqid;
	pg->sas[pg->n++].spi = spi;
}

static bool peer_wants_sa(const struct peer *p, const struct in6_addr *daddr,
			  uint32_t spi)
{
	if (!p)
		return false;
	if (p->keys.k_in && spi == p->keys.spi_in)
		return local_has(daddr);
	if (p->keys.k_out && spi == p->keys.spi_out)
		return peer_addr_index(p, daddr) >= 0;
	/* Maybe of the direction it has no key for: it could not make it
	 * again, so it stays.
	 */
	return !p->keys.k_in || !p->keys.k_out;
}

static void purge_sa(const struct xfrm_sa_info *sa, void *arg)
{
	struct purge *pg = arg;

	if (sa->reqid == pg->reqid && !peer_wants_sa(pg->keep, &sa->daddr, sa->spi))
		purge_add(pg, &sa->daddr, sa->spi, sa->reqid);
}

static void purge_policy(const struct in6_addr *daddr, int plen,
			 uint32_t reqid, void *arg)
{
	struct purge *pg = arg;
	const struct peer *p = pg->keep;

	if (reqid == pg->reqid && plen == 128 &&
	    !(p && (!p->keys.k_out || peer_addr_index(p, daddr) >= 0)))
		purge_add(pg, daddr, 0, reqid);
}

/**
 * purge() - remove the SAs and policies of @reqid that @keep does not use
 * @reqid: the reqid
 * @keep: the peer whose SAs stay, or NULL
 *
 * Whatever the daemon did not see go (a stale SA of an earlier exchange,
 * an address that went while it was not running) goes here: nothing of a
 * reqid accumulates.
 */
static void purge(uint32_t reqid, const struct peer *keep)
{
	struct purge pg = { .reqid = reqid, .keep = keep };
	int i;

	if (!xfrm_sa_dump(purge_sa, &pg))
		for (i = 0; i < pg.n; i++)
			xfrm_sa_del(&pg.sas[i].daddr, pg.sas[i].spi, reqid);
	pg.n = 0;
	if (!xfrm_policy_dump(purge_policy, &pg))
		for (i = 0; i < pg.n; i++)
			xfrm_policy_del(&pg.sas[i].daddr);
	free(pg.sas);
}

/*
 * Install the outbound SAs and policies of @p, for @fe's addresses.
 * Return: -EEXIST if an SA at one of them (address, SPI) is another's.
 */
static int peer_install_out(struct peer *p, const struct fentry *fe)
{
	bool taken = false;
	int i;

	for (i = 0; i < fe->naddrs; i++)
		if (peer_add_out(p, &fe->addrs[i].addr) == -NLE_EXIST)
			taken = true;
	return taken ? -EEXIST : 0;
}

/**
 * peer_open() - install the inbound SAs of @p, for this host's addresses
 * @p: the peer
 *
 * Until then xfrm drops what the peer sends under AH; once they are in, it
 * is taken as the peer's only if its entry names the SAs.
 *
 * Return: 0, or -EEXIST if an SA at one of them (address, SPI) is another's.
 */
int peer_open(struct peer *p)
{
	bool taken = false;
	int i;

	for (i = 0; i < nlocals; i++)
		if (peer_add_in(p, &locals[i]) == -NLE_EXIST)
			taken = true;
	if (taken)
		return -EEXIST;
	purge(p->reqid, p);
	return 0;
}

/**
 * peer_create() - a new peer, its SAs installed
 * @fe: its entry (ID 0 if it is yet to be made) and addresses
 * @reqid: the reqid of its SAs, unused
 * @keys: its SPIs and keys; the peer owns the keys from here, on error too
 * @rec: the exchange, to answer a repeated I2 again, or NULL
 * @open: install the inbound SAs too; else peer_open() does, later
 * @peerp: the peer
 *
 * An SPI another peer has at one of the addresses fails it all: the
 * exchange is refused, and the next one brings other SPIs.
 *
 * Return: 0, or a negative errno.
 */
int peer_create(const struct fentry *fe, uint32_t reqid, struct peer_keys *keys,
		const struct exch_record *rec, bool open, struct peer **peerp)
{
	struct peer *p = calloc(1, sizeof(*p));

	if (!p) {
		secret_free(keys->k_in, KEY_LEN);
		secret_free(keys->k_out, KEY_LEN);
		return -ENOMEM;
	}
	p->fid = fe->id;
	p->reqid = reqid;
	p->keyed_ms = now_ms();
	p->keys = *keys;
	if (rec) {
		p->has_rec = true;
		p->rec = *rec;
	}
	p->next = peers;
	peers = p;
	if (peer_install_out(p, fe) || (open && peer_open(p))) {
		log_warn("the SPIs of reqid 0x%08x are another's: refused",
			 reqid);
		peer_forget(p, true);
		return -EEXIST;
	}
	*peerp = p;
	return 0;
}

static void peer_unlink(struct peer *peer)
{
	struct peer **pp;

	for (pp = &peers; *pp; pp = &(*pp)->next)
		if (*pp == peer) {
			*pp = peer->next;
			break;
		}
	secret_free(peer->keys.k_in, KEY_LEN);
	secret_free(peer->keys.k_out, KEY_LEN);
	free(peer);
}

/**
 * peer_forget() - forget a peer and wipe its keys
 * @peer: the peer
 * @remove_sas: remove its SAs and policies too
 */
void peer_forget(struct peer *peer, bool remove_sas)
{
	int i;

	if (remove_sas) {
		for (i = peer->naddrs - 1; i >= 0; i--)
			peer_del_out(peer, &peer->addrs[i]);
		for (i = 0; i < nlocals; i++)
			peer_del_in(peer, &locals[i]);
		purge(peer->reqid, NULL);
	}
	peer_unlink(peer);
}

/* Forget every peer, keys wiped; their SAs stay in the kernel. */
void peers_clear(void)
{
	while (peers)
		peer_unlink(peers);
}

bool reqid_is_ours(uint32_t reqid)
{
	return reqid >= opts.reqid_base &&
	       reqid - opts.reqid_base < HCKEYD_REQID_RANGE;
}

static void mark_reqid(const struct fentry *fe, void *arg)
{
	uint8_t *used = arg;
	uint32_t i;

	if (reqid_is_ours(fe->reqid)) {
		i = fe->reqid - opts.reqid_base;
		used[i / 8] |= 1 << (i % 8);
	}
}

/**
 * reqid_choose() - the first reqid of the range no entry or peer has
 * @reqid: the reqid
 *
 * Return: 0, or a negative errno.
 */
int reqid_choose(uint32_t *reqid)
{
	static uint8_t used[HCKEYD_REQID_RANGE / 8];
	struct peer *p;
	uint32_t i;
	int err;

	memset(used, 0, sizeof(used));
	err = module_dump_foreign(mark_reqid, used);
	if (err)
		return err;
	for (p = peers; p; p = p->next) {
		i = p->reqid - opts.reqid_base;
		used[i / 8] |= 1 << (i % 8);
	}
	for (i = 0; i < HCKEYD_REQID_RANGE; i++)
		if (!(used[i / 8] & (1 << (i % 8)))) {
			*reqid = opts.reqid_base + i;
			return 0;
		}
	log_err("every reqid of the range is in use");
	return -ENOSPC;
}

struct use {
	uint32_t reqid;
	bool used;
};

static void sa_used(const struct xfrm_sa_info *sa, void *arg)
{
	struct use *u = arg;

	if (sa->reqid == u->reqid && local_has(&sa->daddr) && sa->packets)
		u->used = true;
}

/**
 * reqid_unused() - no inbound SA of @reqid has received a packet yet
 * @reqid: the reqid
 *
 * The peer never sent under the keys: it likely lost the exchange's R2,
 * and a new exchange may replace them.
 *
 * Return: true if so; false if they were used or the SAs cannot be read.
 */
bool reqid_unused(uint32_t reqid)
{
	struct use u = { .reqid = reqid };

	return !xfrm_sa_dump(sa_used, &u) && !u.used;
}

/**
 * reqid_fresh() - the SAs of @reqid were made less than @ms ago
 * @reqid: the reqid
 * @ms: how long ago, at most
 *
 * Return: true if so; false if they are older or not this daemon's.
 */
bool reqid_fresh(uint32_t reqid, uint64_t ms)
{
	struct peer *p = peer_find_reqid(reqid);

	return p && now_ms() - p->keyed_ms < ms;
}

/* Forget the peer of @reqid and remove whatever SA or policy has it. */
void reqid_drop(uint32_t reqid)
{
	struct peer *p = peer_find_reqid(reqid);

	if (p)
		peer_forget(p, true);
	else
		purge(reqid, NULL);
}

static void forget_with_log(struct peer *p, const char *why)
{
	log_info("peer of entry %u (reqid 0x%08x) forgotten: %s", p->fid,
		 p->reqid, why);
	peer_forget(p, true);
}

/**
 * peers_foreign_event() - a foreign entry changed
 * @cmd: the event
 * @fe: the entry; for address events, only the address concerned
 */
void peers_foreign_event(uint8_t cmd, const struct fentry *fe)
{
	struct peer *p = peer_find(fe->id);
	int i;

	switch (cmd) {
	case HOSTCACHE_CMD_DEL_FOREIGN:
		exchange_entry_gone(fe->id);
		if (p)
			forget_with_log(p, "the entry went");
		return;
	case HOSTCACHE_CMD_NEW_FOREIGN:
	case HOSTCACHE_CMD_SET_FOREIGN:
		if (fe->reqid)
			exchange_entry_keyed(fe->id);
		if (!p)
			return;
		if (fe->reqid == p->reqid)
			p->confirmed = true;
		/* Before confirmation, an event may predate our own change. */
		else if (p->confirmed)
			forget_with_log(p, "its SAs were renamed");
		return;
	case HOSTCACHE_CMD_NEW_ADDR:
		if (!p)
			return;
		for (i = 0; i < fe->naddrs; i++)
			peer_add_out(p, &fe->addrs[i].addr);
		return;
	case HOSTCACHE_CMD_DEL_ADDR:
		if (!p)
			return;
		for (i = 0; i < fe->naddrs; i++)
			peer_del_out(p, &fe->addrs[i].addr);
		return;
	}
}

/* This host gained or lost an address (local entry 1). */
void peers_local_event(uint8_t cmd, const struct in6_addr *addr)
{
	struct peer *p;

	if (!addr_is_global(addr))
		return;
	if (cmd == HOSTCACHE_CMD_NEW_ADDR) {
		if (local_add(addr) != 1)
			return;
		for (p = peers; p; p = p->next)
			peer_add_in(p, addr);
	} else if (cmd == HOSTCACHE_CMD_DEL_ADDR) {
		if (!local_del(addr))
			return;
		for (p = peers; p; p = p->next)
			peer_del_in(p, addr);
	}
}

/* Recovery: the entries of our range and the keys their SAs hold. */
struct recovered {
	struct fentry fe;
	struct peer_keys keys;
	bool redacted;		/* an SA whose key the kernel hides */
	/* An SA to an address neither ours nor the peer's: its direction is
	 * told by its SPI, once the other direction is known.
	 */
	uint32_t spi_other;
	uint8_t *k_other;
};

struct recovery {
	struct recovered *r;
	int n, cap;
	struct purge stale;	/* SAs of our range no entry has */
	/* The peers known before: their keys, where the kernel hides them. */
	struct peer *old;
};

static void recover_entry(const struct fentry *fe, void *arg)
{
	struct recovery *rc = arg;
	struct recovered *grown;
	int i;

	if (!reqid_is_ours(fe->reqid))
		return;
	for (i = 0; i < rc->n; i++)
		if (rc->r[i].fe.id == fe->id)
			return;		/* a dump done again */
	if (rc->n == rc->cap) {
		grown = realloc(rc->r, (rc->cap + 16) * sizeof(*grown));
		if (!grown)
			return;
		rc->r = grown;
		rc->cap += 16;
	}
	memset(&rc->r[rc->n], 0, sizeof(rc->r[rc->n]));
	rc->r[rc->n++].fe = *fe;
}

static void recover_key(uint32_t *spi, uint8_t **k, uint32_t sa_spi,
			const uint8_t *key)
{
	if (*k)
		return;
	*spi = sa_spi;
	*k = key_dup(key);
}

/*
 * A redacted SA: its key, if the daemon held it before (a SIGHUP, lost
 * events). Return: false if unknown.
 */
static bool recover_redacted(struct recovery *rc, struct recovered *r,
			     const struct xfrm_sa_info *sa)
{
	struct peer *p;

	for (p = rc->old; p; p = p->next) {
		if (p->reqid != sa->reqid || p->fid != r->fe.id)
			continue;
		if (p->keys.k_in && sa->spi == p->keys.spi_in) {
			recover_key(&r->keys.spi_in, &r->keys.k_in, sa->spi,
				    p->keys.k_in);
			return true;
		}
		if (p->keys.k_out && sa->spi == p->keys.spi_out) {
			recover_key(&r->keys.spi_out, &r->keys.k_out, sa->spi,
				    p->keys.k_out);
			return true;
		}
	}
	return false;
}

static void recover_sa(const struct xfrm_sa_info *sa, void *arg)
{
	struct recovery *rc = arg;
	struct recovered *r = NULL;
	int i;

	if (!reqid_is_ours(sa->reqid))
		return;
	for (i = 0; i < rc->n; i++)
		if (rc->r[i].fe.reqid == sa->reqid)
			r = &rc->r[i];
	if (!r) {
		purge_add(&rc->stale, &sa->daddr, sa->spi, sa->reqid);
		return;
	}
	if (sa->redacted && !recover_redacted(rc, r, sa))
		r->redacted = true;
	if (!sa->has_key)
		return;
	if (local_has(&sa->daddr))
		recover_key(&r->keys.spi_in, &r->keys.k_in, sa->spi, sa->key);
	else if (fentry_has(&r->fe, &sa->daddr))
		recover_key(&r->keys.spi_out, &r->keys.k_out, sa->spi, sa->key);
	else
		recover_key(&r->spi_other, &r->k_other, sa->spi, sa->key);
}

static bool reqid_redacted(const struct recovery *rc, uint32_t reqid)
{
	int i;

	for (i = 0; i < rc->n; i++)
		if (rc->r[i].fe.reqid == reqid && rc->r[i].redacted)
			return true;
	return false;
}

static void stale_policy(const struct in6_addr *daddr, int plen,
			 uint32_t reqid, void *arg)
{
	struct recovery *rc = arg;

	if (reqid_is_ours(reqid) && plen == 128 && !peer_find_reqid(reqid) &&
	    !reqid_redacted(rc, reqid))
		purge_add(&rc->stale, daddr, 0, reqid);
}

static void recover_free(struct recovered *r)
{
	secret_free(r->keys.k_in, KEY_LEN);
	secret_free(r->keys.k_out, KEY_LEN);
	secret_free(r->k_other, KEY_LEN);
	r->keys.k_in = r->keys.k_out = r->k_other = NULL;
}

static void recover_one(struct recovered *r)
{
	static bool told;
	struct peer *p;

	/* Keys unknown: what is installed is left as it is, never replaced
	 * by SAs with zero keys, nor removed.
	 */
	if (r->redacted) {
		if (!told)
			log_warn("the kernel redacts the keys of SAs (lockdown=confidentiality): the SAs of peers keyed before the daemon started are left as they are");
		told = true;
		log_info("entry %u (reqid 0x%08x): keys unknown, its SAs left as they are",
			 r->fe.id, r->fe.reqid);
		recover_free(r);
		return;
	}

	/* An SA to an address that went: the direction the others lack. */
	if (r->k_other) {
		if (!r->keys.k_in && r->keys.k_out &&
		    r->spi_other != r->keys.spi_out) {
			r->keys.spi_in = r->spi_other;
			r->keys.k_in = r->k_other;
			r->k_other = NULL;
		} else if (!r->keys.k_out && r->keys.k_in &&
			   r->spi_other != r->keys.spi_in) {
			r->keys.spi_out = r->spi_other;
			r->keys.k_out = r->k_other;
			r->k_other = NULL;
		}
		secret_free(r->k_other, KEY_LEN);
		r->k_other = NULL;
	}
	if (!r->keys.k_in && !r->keys.k_out) {
		log_warn("entry %u names reqid 0x%08x, but no SA of it is left: its bindings are not protected",
			 r->fe.id, r->fe.reqid);
		return;
	}
	if (!r->keys.k_in || !r->keys.k_out)
		log_warn("entry %u (reqid 0x%08x): only its %s SAs are left",
			 r->fe.id, r->fe.reqid, r->keys.k_in ? "inbound" : "outbound");
	if (peer_create(&r->fe, r->fe.reqid, &r->keys, NULL, true, &p))
		return;
	/* The entry has our reqid: later changes of it are real. */
	p->confirmed = true;
	log_info("peer of entry %u recovered: reqid 0x%08x spi in 0x%08x out 0x%08x",
		 r->fe.id, r->fe.reqid, r->keys.spi_in, r->keys.spi_out);
}

/**
 * peers_recover() - find the peers again from the module and xfrm
 *
 * For each entry whose reqid is in the daemon's range, the keys are read
 * back from its SAs (an SA to one of our addresses is inbound, one to the
 * peer's outbound); then its SAs are made to match the addresses now, and
 * the SAs and policies of the range that no entry names are removed.
 *
 * Return: 0, or a negative errno.
 */
int peers_recover(void)
{
	struct recovery rc = {};
	struct peer *old;
	int i, err;

	/* Kept aside until the end, for keys the kernel no longer shows. */
	rc.old = peers;
	peers = NULL;
	err = locals_load();
	if (!err)
		err = module_dump_foreign(recover_entry, &rc);
	if (!err)
		err = xfrm_sa_dump(recover_sa, &rc);
	if (err) {
		/* Nothing read: the peers known stay. */
		peers = rc.old;
		rc.old = NULL;
		goto out;
	}
	for (i = 0; i < rc.n; i++)
		recover_one(&rc.r[i]);
	for (i = 0; i < rc.stale.n; i++)
		xfrm_sa_del(&rc.stale.sas[i].daddr, rc.stale.sas[i].spi,
			    rc.stale.sas[i].reqid);
	rc.stale.n = 0;
	if (!xfrm_policy_dump(stale_policy, &rc))
		for (i = 0; i < rc.stale.n; i++)
			xfrm_policy_del(&rc.stale.sas[i].daddr);
out:
	for (i = 0; err && i < rc.n; i++)
		recover_free(&rc.r[i]);
	while (rc.old) {
		old = rc.old;
		rc.old = old->next;
		secret_free(old->keys.k_in, KEY_LEN);
		secret_free(old->keys.k_out, KEY_LEN);
		free(old);
	}
	free(rc.r);
	free(rc.stale.sas);
	return err;
}
