// SPDX-License-Identifier: GPL-2.0
/*
 * hckeyd: the anonymous key exchange (draft 2.4.3 and A.2), over UDP.
 *
 *   I1  Ni Ei SPIi
 *   R1  Ni Nr Er SPIr
 *   I2  Ni Ei SPIi Nr Er SPIr MACi
 *   R2  Ni MACr
 *
 * Each message starts with version 1, its type and two zero bytes; every
 * integer is in network byte order. An I1 ends in zero padding to the
 * length of an R1, so that an R1 amplifies nothing. The responder keeps
 * no state for an I1: its X25519 key er, Nr and SPIr are HMACs, keyed by
 * a secret S that changes every two minutes, of the initiator's and
 * responder's addresses, Ni and Ei. An I2 brings Er and Nr back, and they
 * are its cookie: the responder derives them again and compares (Nr, one
 * HMAC, first). A spoofed I1 thus costs it no state, and an I2 from an
 * address that did not see the R1 fails. Answers to I1s and I2s are
 * rate-limited, in all and per source /64.
 *
 * The keys: PRK = HKDF-Extract(Ni | Nr, X25519), OKM = HKDF-Expand(PRK,
 * "hckeyd v1" | addr_i | addr_r | Ei | Er | SPIi | SPIr, 128) = K_ir K_ri
 * M_i M_r. MACi = HMAC(M_i, "I2" | the I2 up to MACi), MACr = HMAC(M_r,
 * "R2" | Ni | MACi). K_ir keys the SAs from initiator to responder (SPIr),
 * K_ri those back (SPIi).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hckeyd.h"

#define PROTO_VERSION	1
enum {
	MSG_I1 = 1,
	MSG_R1 = 2,
	MSG_I2 = 3,
	MSG_R2 = 4,
};

#define HDR_LEN		4
#define NONCE_LEN	16
#define PUB_LEN		32
#define MAC_LEN		32
#define R1_LEN		(HDR_LEN + 2 * NONCE_LEN + PUB_LEN + 4)
#define I1_PAD_OFF	(HDR_LEN + NONCE_LEN + PUB_LEN + 4)
#define I1_LEN		R1_LEN
#define I2_MAC_OFF	(HDR_LEN + 2 * NONCE_LEN + 2 * PUB_LEN + 8)
#define I2_LEN		(I2_MAC_OFF + MAC_LEN)
#define R2_LEN		(HDR_LEN + NONCE_LEN + MAC_LEN)
#define OKM_LEN		(4 * KEY_LEN)

#define RETRY_FIRST_MS	1000
#define RETRY_MAX_MS	8000
#define TRIES		5
/* An I1 goes 3 times at most, 1 and 2 s apart, the last waited for 8 s:
 * a peer that answers none, or refuses one (ICMPv6 Port Unreachable), is
 * no homeless host. The module is told, and leaves it alone for
 * ordinary-hold: its discovery costs a peer at most 3 datagrams per hold,
 * however many connections this host opens to it.
 */
#define I1_TRIES	3
#define SECRET_LIFE_MS	120000
/* A yielded exchange starts again if the peer's did not key the entry. */
#define YIELD_MS	30000
/* A failed one is tried again after 30, 60 and 120 s, then given up. */
#define RETRY_WAIT_MS	30000
#define RETRIES		3
/* How long an initiator sends one I2 again before it starts over: the
 * tries, 1, 2, 4, 8 and 8 s apart.
 */
#define I2_SPAN_MS	23000

/* Answers to I1s and I2s: per second in all, per source /64, and burst. */
#define RATE_ALL	50
#define RATE_PREFIX	5
#define RATE_BURST	10
#define PREFIX_SLOTS	256

/* The fields of an I2, which holds all the others. */
struct fields {
	uint8_t ni[NONCE_LEN];
	uint8_t ei[PUB_LEN];
	uint32_t spii;
	uint8_t nr[NONCE_LEN];
	uint8_t er[PUB_LEN];
	uint32_t spir;
	uint8_t maci[MAC_LEN];
};

enum exch_state {
	WAIT_R1,
	WAIT_R2,
	PARKED,		/* no socket; starts again at the deadline */
};

/* An exchange this host started: one per foreign entry at a time. */
struct exch {
	struct exch *next;
	struct fentry fe;
	struct in6_addr addr_i, addr_r;
	int fd;
	enum exch_state state;
	int tries;
	int retries;		/* of the whole exchange, after failures */
	bool failed;		/* parked after a failure */
	uint32_t interval;
	uint64_t deadline;
	struct fields f;
	void *eph;		/* our X25519 key, until R1 */
	uint8_t *keys;		/* K_ir K_ri M_r, from R1 to R2 */
	size_t msglen;
	uint8_t msg[I2_LEN];	/* what goes again on a timeout */
};

static struct exch *exchanges;
static int nexchanges;
static int server_fd = -1;

/* The responder's secret, current and previous. */
static uint8_t *secret_cur, *secret_prev;
static uint64_t secret_changes;

/* Token buckets, in thousandths of a token. */
struct bucket {
	uint64_t prefix;
	uint64_t last;
	uint64_t tokens;
};
static struct bucket bucket_all, buckets[PREFIX_SLOTS];
static uint64_t prefix_seed;

static uint8_t *put(uint8_t *p, const void *data, size_t len)
{
	memcpy(p, data, len);
	return p + len;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	return put(p, &v, 4);
}

static const uint8_t *get(const uint8_t *p, void *data, size_t len)
{
	memcpy(data, p, len);
	return p + len;
}

static const uint8_t *get32(const uint8_t *p, uint32_t *v)
{
	p = get(p, v, 4);
	*v = ntohl(*v);
	return p;
}

static uint8_t *put_hdr(uint8_t *p, uint8_t type)
{
	p[0] = PROTO_VERSION;
	p[1] = type;
	p[2] = p[3] = 0;
	return p + HDR_LEN;
}

/* An SPI for a new SA: below 256 are reserved (RFC 4302). */
static uint32_t spi_fix(uint32_t spi)
{
	return spi < 256 ? spi + 256 : spi;
}

static int secret_rotate(void)
{
	uint8_t *next = secret_prev ? secret_prev : secret_alloc(KEY_LEN);

	if (!next || random_bytes(next, KEY_LEN)) {
		if (next != secret_prev)
			secret_free(next, KEY_LEN);
		return -1;
	}
	secret_prev = secret_cur;
	secret_cur = next;
	secret_changes = now_ms() + SECRET_LIFE_MS;
	return 0;
}

int exchange_open(void)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(opts.port),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	int one = 1;

	if (secret_rotate() || random_bytes(&prefix_seed, sizeof(prefix_seed)))
		return -1;
	server_fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (server_fd < 0 ||
	    setsockopt(server_fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    setsockopt(server_fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) ||
	    bind(server_fd, (struct sockaddr *)&sin6, sizeof(sin6))) {
		log_err("cannot open the exchange socket on port %u: %s",
			opts.port, strerror(errno));
		return -1;
	}
	return 0;
}

int exchange_server_fd(void)
{
	return server_fd;
}

/**
 * derive_keys() - the exchange's OKM: K_ir K_ri M_i M_r
 * @f: the exchange's fields
 * @addr_i: the initiator's address
 * @addr_r: the responder's
 * @shared: the X25519 secret
 * @okm: OKM_LEN bytes
 *
 * Return: 0, or -1.
 */
static int derive_keys(const struct fields *f, const struct in6_addr *addr_i,
		       const struct in6_addr *addr_r, const uint8_t *shared,
		       uint8_t *okm)
{
	static const char label[] = "hckeyd v1";
	uint8_t salt[2 * NONCE_LEN], info[sizeof(label) - 1 + 32 + 2 * PUB_LEN + 8];
	uint8_t *p = info;

	memcpy(salt, f->ni, NONCE_LEN);
	memcpy(salt + NONCE_LEN, f->nr, NONCE_LEN);
	p = put(p, label, sizeof(label) - 1);
	p = put(p, addr_i, 16);
	p = put(p, addr_r, 16);
	p = put(p, f->ei, PUB_LEN);
	p = put(p, f->er, PUB_LEN);
	p = put32(p, f->spii);
	put32(p, f->spir);
	return hkdf_sha256(salt, sizeof(salt), shared, PUB_LEN, info, sizeof(info),
			   okm, OKM_LEN);
}

/* Fill the I2 in @msg from @f, MACi keyed by @m_i included. */
static int build_i2(uint8_t *msg, struct fields *f, const uint8_t *m_i)
{
	uint8_t *p = put_hdr(msg, MSG_I2);
	struct buf parts[2] = { { "I2", 2 }, { msg, I2_MAC_OFF } };

	p = put(p, f->ni, NONCE_LEN);
	p = put(p, f->ei, PUB_LEN);
	p = put32(p, f->spii);
	p = put(p, f->nr, NONCE_LEN);
	p = put(p, f->er, PUB_LEN);
	put32(p, f->spir);
	if (hmac_sha256(m_i, KEY_LEN, parts, 2, f->maci))
		return -1;
	memcpy(msg + I2_MAC_OFF, f->maci, MAC_LEN);
	return 0;
}

static int mac_r(const uint8_t *m_r, const struct fields *f, uint8_t out[MAC_LEN])
{
	struct buf parts[3] = {
		{ "R2", 2 }, { f->ni, NONCE_LEN }, { f->maci, MAC_LEN },
	};

	return hmac_sha256(m_r, KEY_LEN, parts, 3, out);
}

/* ---- initiator ---- */

static struct exch *exch_by_fid(uint32_t fid)
{
	struct exch *e;

	for (e = exchanges; e; e = e->next)
		if (e->fe.id == fid)
			return e;
	return NULL;
}

static void exch_free(struct exch *e)
{
	struct exch **pp;

	for (pp = &exchanges; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	nexchanges--;
	if (e->fd >= 0)
		close(e->fd);
	x25519_free(e->eph);
	secret_free(e->keys, 3 * KEY_LEN);
	secret_wipe(e, sizeof(*e));
	free(e);
}

/* Close @e's socket and wipe its secrets; it starts again in @delay ms. */
static void exch_park(struct exch *e, uint32_t delay)
{
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
	x25519_free(e->eph);
	e->eph = NULL;
	secret_free(e->keys, 3 * KEY_LEN);
	e->keys = NULL;
	secret_wipe(&e->f, sizeof(e->f));
	secret_wipe(e->msg, sizeof(e->msg));
	e->state = PARKED;
	e->deadline = now_ms() + delay;
}

/*
 * The exchange failed: tried again later if @retry and tries are left
 * (the entry may still need SAs then), else given up.
 */
static void exch_fail(struct exch *e, const char *why, bool retry)
{
	uint32_t wait;

	counters.failed++;
	if (!retry || e->retries >= RETRIES) {
		log_info("exchange with %s for entry %u failed: %s",
			 addr_str(&e->addr_r), e->fe.id, why);
		exch_free(e);
		return;
	}
	wait = RETRY_WAIT_MS << e->retries++;
	log_info("exchange with %s for entry %u failed: %s; trying again in %u s",
		 addr_str(&e->addr_r), e->fe.id, why, wait / 1000);
	exch_park(e, wait);
	e->failed = true;
}

/* The peer answered none of @e's I1s, or refused one: it is ordinary. */
static void exch_ordinary(struct exch *e, const char *why)
{
	int err;

	counters.failed++;
	counters.ordinary++;
	err = module_set_ordinary(e->fe.id);
	if (err)
		log_warn("exchange with %s for entry %u failed: %s; the module was not told: %s",
			 addr_str(&e->addr_r), e->fe.id, why, strerror(-err));
	else
		log_info("exchange with %s for entry %u failed: %s; the peer is ordinary, left alone",
			 addr_str(&e->addr_r), e->fe.id, why);
	exch_free(e);
}

/* The entry needs @e no more. */
static void exch_end(struct exch *e, const char *why)
{
	if (e->state != PARKED) {
		exch_fail(e, why, false);
		return;
	}
	log_info("no new exchange with %s for entry %u: %s",
		 addr_str(&e->addr_r), e->fe.id, why);
	exch_free(e);
}

static void exch_send(struct exch *e)
{
	/* A lost or refused datagram is sent again on the timer. */
	if (send(e->fd, e->msg, e->msglen, 0) < 0)
		log_debug("exchange with %s: %s", addr_str(&e->addr_r),
			  strerror(errno));
	e->tries++;
	/* The last I1 gets the longest wait for its R1. */
	e->deadline = now_ms() + (e->state == WAIT_R1 && e->tries == I1_TRIES ?
				  RETRY_MAX_MS : e->interval);
}

static void exch_phase(struct exch *e, enum exch_state state)
{
	e->state = state;
	e->tries = 0;
	e->interval = RETRY_FIRST_MS;
	exch_send(e);
}

static int exch_socket(struct exch *e)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(opts.port),
		.sin6_addr = e->addr_r,
	};
	socklen_t len = sizeof(sin6);

	e->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (e->fd < 0 || connect(e->fd, (struct sockaddr *)&sin6, sizeof(sin6)) ||
	    getsockname(e->fd, (struct sockaddr *)&sin6, &len))
		return -errno;
	e->addr_i = sin6.sin6_addr;
	return 0;
}

/*
 * Start @e, first or again: to the entry's first valid global address,
 * from a socket of its own, connected: the kernel picks the source
 * address, the address the SAs are bound to in the keys. Each start has
 * a new Ni, key and SPIi.
 */
static void exch_start(struct exch *e)
{
	const struct in6_addr *dst = fentry_first_valid(&e->fe);
	uint8_t *p;
	int err;

	counters.started++;
	e->failed = false;
	if (!dst) {
		exch_fail(e, "the entry has no valid global address", true);
		return;
	}
	e->addr_r = *dst;
	err = exch_socket(e);
	if (err) {
		exch_fail(e, strerror(-err), true);
		return;
	}
	e->eph = x25519_generate(e->f.ei);
	if (!e->eph || random_bytes(e->f.ni, NONCE_LEN) ||
	    random_bytes(&e->f.spii, 4)) {
		exch_fail(e, "no key", true);
		return;
	}
	e->f.spii = spi_fix(e->f.spii);
	p = put_hdr(e->msg, MSG_I1);
	p = put(p, e->f.ni, NONCE_LEN);
	p = put(p, e->f.ei, PUB_LEN);
	p = put32(p, e->f.spii);
	memset(p, 0, I1_LEN - I1_PAD_OFF);
	e->msglen = I1_LEN;
	log_info("exchange with %s for entry %u started from %s",
		 addr_str(&e->addr_r), e->fe.id, addr_str(&e->addr_i));
	exch_phase(e, WAIT_R1);
}

/**
 * exchange_acquire() - the module asks for SAs for an entry
 * @fe: the entry
 */
void exchange_acquire(const struct fentry *fe)
{
	struct exch *e;

	if (fe->reqid || exch_by_fid(fe->id) || peer_find(fe->id))
		return;
	if (!fentry_first_valid(fe)) {
		counters.started++;
		counters.failed++;
		log_info("no exchange for entry %u: it has no valid global address",
			 fe->id);
		return;
	}
	if (nexchanges >= MAX_EXCHANGES) {
		counters.started++;
		counters.failed++;
		log_warn("no exchange for entry %u: too many under way", fe->id);
		return;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		log_err("out of memory");
		return;
	}
	e->fd = -1;
	e->fe = *fe;
	e->next = exchanges;
	exchanges = e;
	nexchanges++;
	exch_start(e);
}

/* A parked exchange's time came: started again if the entry still needs it. */
static void exch_restart(struct exch *e)
{
	struct fentry fe;
	int err;

	err = module_get_foreign(e->fe.id, NULL, &fe);
	if (err == -ENOENT) {
		exch_end(e, "the entry went");
		return;
	}
	if (err) {
		exch_fail(e, strerror(-err), true);
		return;
	}
	if (fe.reqid || peer_find(fe.id)) {
		exch_end(e, "the entry has SAs");
		return;
	}
	e->fe = fe;
	counters.retried++;
	exch_start(e);
}

/* Return: true if @e no longer reads its socket (done, parked or gone). */
static bool exch_r1(struct exch *e, const uint8_t *msg)
{
	uint8_t ni[NONCE_LEN], shared[32], *okm;
	const uint8_t *p = msg + HDR_LEN;

	p = get(p, ni, NONCE_LEN);
	if (e->state != WAIT_R1 || !equal_ct(ni, e->f.ni, NONCE_LEN))
		return false;
	p = get(p, e->f.nr, NONCE_LEN);
	p = get(p, e->f.er, PUB_LEN);
	get32(p, &e->f.spir);
	if (e->f.spir < 256) {
		counters.r_rejected++;
		return false;
	}
	okm = secret_alloc(OKM_LEN);
	e->keys = secret_alloc(3 * KEY_LEN);
	if (!okm || !e->keys) {
		secret_free(okm, OKM_LEN);
		exch_fail(e, "out of memory", true);
		return true;
	}
	/* A bad R1 (a key of small order) is ignored: the real one may come. */
	if (x25519_derive(e->eph, e->f.er, shared)) {
		counters.r_rejected++;
		secret_free(okm, OKM_LEN);
		secret_free(e->keys, 3 * KEY_LEN);
		e->keys = NULL;
		return false;
	}
	if (derive_keys(&e->f, &e->addr_i, &e->addr_r, shared, okm) ||
	    build_i2(e->msg, &e->f, okm + 2 * KEY_LEN)) {
		secret_wipe(shared, sizeof(shared));
		secret_free(okm, OKM_LEN);
		exch_fail(e, "key derivation", true);
		return true;
	}
	secret_wipe(shared, sizeof(shared));
	/* Keep K_ir, K_ri and M_r; M_i and the ephemeral key are done. */
	memcpy(e->keys, okm, 2 * KEY_LEN);
	memcpy(e->keys + 2 * KEY_LEN, okm + 3 * KEY_LEN, KEY_LEN);
	secret_free(okm, OKM_LEN);
	x25519_free(e->eph);
	e->eph = NULL;
	e->msglen = I2_LEN;
	exch_phase(e, WAIT_R2);
	return false;
}

/* Return: true if @e no longer reads its socket (done, parked or gone). */
static bool exch_r2(struct exch *e, const uint8_t *msg)
{
	uint8_t ni[NONCE_LEN], mac[MAC_LEN], expect[MAC_LEN];
	struct peer_keys keys;
	struct fentry fe;
	struct peer *peer;
	uint32_t reqid;
	const uint8_t *p = msg + HDR_LEN;
	int err;

	p = get(p, ni, NONCE_LEN);
	get(p, mac, MAC_LEN);
	if (e->state != WAIT_R2 || !equal_ct(ni, e->f.ni, NONCE_LEN))
		return false;
	if (mac_r(e->keys + 2 * KEY_LEN, &e->f, expect) ||
	    !equal_ct(mac, expect, MAC_LEN)) {
		counters.r_rejected++;
		return false;
	}
	/* The responder may have named SAs for the entry meanwhile. */
	if (peer_find(e->fe.id)) {
		exch_fail(e, "the entry has SAs already", false);
		return true;
	}
	err = module_get_foreign(e->fe.id, NULL, &fe);
	if (err) {
		if (err == -ENOENT)
			exch_fail(e, "the entry went", false);
		else
			exch_fail(e, strerror(-err), true);
		return true;
	}
	if (fe.reqid) {
		exch_fail(e, "the entry has SAs already", false);
		return true;
	}
	if (reqid_choose(&reqid)) {
		exch_fail(e, "no reqid", true);
		return true;
	}
	keys.spi_in = e->f.spii;
	keys.spi_out = e->f.spir;
	keys.k_in = key_dup(e->keys + KEY_LEN);
	keys.k_out = key_dup(e->keys);
	secret_free(e->keys, 3 * KEY_LEN);
	e->keys = NULL;
	if (!keys.k_in || !keys.k_out) {
		secret_free(keys.k_in, KEY_LEN);
		secret_free(keys.k_out, KEY_LEN);
		exch_fail(e, "out of memory", true);
		return true;
	}
	err = peer_create(&fe, reqid, &keys, NULL, false, &peer);
	if (err) {
		exch_fail(e, err == -EEXIST ? "its SPIs are another peer's" :
			  "out of memory", true);
		return true;
	}
	err = module_set_reqid(fe.id, reqid);
	if (err) {
		peer_forget(peer, true);
		exch_fail(e, "the module refused the reqid", true);
		return true;
	}
	/* Inbound SAs last: the responder's update, which may come right
	 * after its R2, is dropped by xfrm until its SAs are named, never
	 * refused as unauthenticated.
	 */
	if (peer_open(peer)) {
		module_set_reqid(fe.id, 0);
		peer_forget(peer, true);
		exch_fail(e, "its SPIs are another peer's", true);
		return true;
	}
	counters.completed++;
	log_info("exchange with %s for entry %u completed: reqid 0x%08x spi in 0x%08x out 0x%08x",
		 addr_str(&e->addr_r), fe.id, reqid, keys.spi_in, keys.spi_out);
	exch_free(e);
	return true;
}

void exchange_client_input(int fd)
{
	uint8_t msg[I2_LEN + 1];
	struct exch *e;
	bool done = false;
	ssize_t len;

	for (e = exchanges; e && e->fd != fd; e = e->next)
		;
	while (e && !done) {
		len = recv(fd, msg, sizeof(msg), 0);
		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == ECONNREFUSED && e->state == WAIT_R1) {
				exch_ordinary(e, "no key daemon there (port unreachable)");
				return;
			}
			/* Other ICMP errors: the timer sends again. */
			continue;
		}
		if (len < HDR_LEN || msg[0] != PROTO_VERSION || msg[2] || msg[3])
			continue;
		if (msg[1] == MSG_R1 && len == R1_LEN)
			done = exch_r1(e, msg);
		else if (msg[1] == MSG_R2 && len == R2_LEN)
			done = exch_r2(e, msg);
	}
}

/**
 * exchange_local_event() - this host gained or lost an address
 * @cmd: HOSTCACHE_CMD_NEW_ADDR or HOSTCACHE_CMD_DEL_ADDR
 * @addr: the address
 *
 * An exchange under way from an address that went starts again at once,
 * from another: its keys are bound to the address it started from, and
 * the answers to it would go nowhere. One waiting after a failure starts
 * again when an address comes, as the failure may have been for want of
 * one. Their tries left stay as they were.
 */
void exchange_local_event(uint8_t cmd, const struct in6_addr *addr)
{
	uint64_t now = now_ms();
	struct exch *e;

	if (!addr_is_global(addr))
		return;
	for (e = exchanges; e; e = e->next) {
		if (cmd == HOSTCACHE_CMD_NEW_ADDR && e->state == PARKED &&
		    e->failed && e->deadline > now) {
			log_info("exchange with %s for entry %u: %s came; trying again",
				 addr_str(&e->addr_r), e->fe.id, addr_str(addr));
			e->deadline = now;
		} else if (cmd == HOSTCACHE_CMD_DEL_ADDR && e->state != PARKED &&
			   IN6_ARE_ADDR_EQUAL(&e->addr_i, addr)) {
			log_info("exchange with %s for entry %u: %s went; starting again",
				 addr_str(&e->addr_r), e->fe.id, addr_str(addr));
			exch_park(e, 0);
		}
	}
}

/* Entry @fid got SAs some other way (the peer's exchange, or by hand). */
void exchange_entry_keyed(uint32_t fid)
{
	struct exch *e = exch_by_fid(fid);

	if (e)
		exch_end(e, "the entry got SAs otherwise");
}

void exchange_entry_gone(uint32_t fid)
{
	struct exch *e = exch_by_fid(fid);

	if (e)
		exch_end(e, "the entry went");
}

/* ---- responder ---- */

static uint64_t bucket_fill(const struct bucket *b, uint32_t rate, uint64_t now)
{
	uint64_t t = b->tokens + (now - b->last) * rate;

	return t > RATE_BURST * 1000 ? RATE_BURST * 1000 : t;
}

/*
 * rate_ok() - whether an I1 or I2 from @src may be answered: a token from
 * the bucket of all and from that of the source's /64. A /64 takes over
 * the slot of another only once that one is idle (full); until then they
 * share it. The slot is picked by a keyed hash, which a sender cannot aim.
 */
static bool rate_ok(const struct in6_addr *src)
{
	uint64_t now = now_ms(), prefix, all, mine;
	struct bucket *b;

	memcpy(&prefix, src, sizeof(prefix));
	b = &buckets[((prefix ^ prefix_seed) * 0x9e3779b97f4a7c15ull) >> 56];
	mine = bucket_fill(b, RATE_PREFIX, now);
	if (b->prefix != prefix && mine == RATE_BURST * 1000)
		b->prefix = prefix;
	all = bucket_fill(&bucket_all, RATE_ALL, now);
	b->last = bucket_all.last = now;
	b->tokens = mine;
	bucket_all.tokens = all;
	if (mine < 1000 || all < 1000) {
		counters.rate_limited++;
		return false;
	}
	b->tokens -= 1000;
	bucket_all.tokens -= 1000;
	return true;
}

/* HMAC-SHA256(S, label | addr_i | addr_r | Ni | Ei): the responder's state. */
static int responder_hmac(const uint8_t *secret, const char *label,
			  const struct in6_addr *addr_i,
			  const struct in6_addr *addr_r, const struct fields *f,
			  uint8_t out[MAC_LEN])
{
	struct buf parts[5] = {
		{ label, strlen(label) }, { addr_i, 16 }, { addr_r, 16 },
		{ f->ni, NONCE_LEN }, { f->ei, PUB_LEN },
	};

	return hmac_sha256(secret, KEY_LEN, parts, 5, out);
}

/* Nr and SPIr of @f's I1, from @secret: two HMACs. */
static int responder_nr_spi(const uint8_t *secret, const struct in6_addr *addr_i,
			    const struct in6_addr *addr_r, struct fields *f)
{
	uint8_t mac[MAC_LEN];

	if (responder_hmac(secret, "hckeyd nr", addr_i, addr_r, f, mac))
		return -1;
	memcpy(f->nr, mac, NONCE_LEN);
	if (responder_hmac(secret, "hckeyd spi", addr_i, addr_r, f, mac))
		return -1;
	memcpy(&f->spir, mac, 4);
	f->spir = spi_fix(ntohl(f->spir));
	return 0;
}

/* The responder's key pair for @f's I1, Er in @f: a base-point multiplication. */
static void *responder_key(const uint8_t *secret, const struct in6_addr *addr_i,
			   const struct in6_addr *addr_r, struct fields *f)
{
	uint8_t er[MAC_LEN];
	void *key = NULL;

	if (!responder_hmac(secret, "hckeyd er", addr_i, addr_r, f, er))
		key = x25519_from_private(er, f->er);
	secret_wipe(er, sizeof(er));
	return key;
}

static void reply(const void *msg, size_t len, const struct sockaddr_in6 *to,
		  const struct in6_pktinfo *from)
{
	union {
		struct cmsghdr hdr;
		uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} control = {};
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = {
		.msg_name = (void *)to,
		.msg_namelen = sizeof(*to),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&mh);

	/* From the address the request came to. */
	cmsg->cmsg_level = IPPROTO_IPV6;
	cmsg->cmsg_type = IPV6_PKTINFO;
	cmsg->cmsg_len = CMSG_LEN(sizeof(*from));
	memcpy(CMSG_DATA(cmsg), from, sizeof(*from));
	if (sendmsg(server_fd, &mh, 0) < 0)
		log_debug("cannot answer %s: %s", addr_str(&to->sin6_addr),
			  strerror(errno));
}

/**
 * simultaneous() - an I1 from a peer this host is itself initiating to
 * @src: the I1's source
 * @ni: its Ni
 *
 * Before our I2 went, the exchange with the lower Ni goes on: with ours
 * lower, the peer's I1 is dropped (the peer answers ours); else ours is
 * parked and the peer's answered. Once our I2 went, the peer may have
 * keyed on it: its I1 is dropped. An I1 with our own Ni is ours reflected.
 *
 * Return: true if the I1 is to be dropped.
 */
static bool simultaneous(const struct in6_addr *src, const uint8_t *ni)
{
	struct exch *e;
	int cmp;

	for (e = exchanges; e; e = e->next) {
		if (e->state == PARKED ||
		    (!IN6_ARE_ADDR_EQUAL(&e->addr_r, src) && !fentry_has(&e->fe, src)))
			continue;
		cmp = memcmp(e->f.ni, ni, NONCE_LEN);
		if (!cmp || e->state == WAIT_R2 || cmp < 0)
			return true;
		counters.yielded++;
		log_info("exchange with %s for entry %u yields to the peer's",
			 addr_str(&e->addr_r), e->fe.id);
		/* Started again if the peer's does not key the entry. */
		exch_park(e, YIELD_MS);
		return false;
	}
	return false;
}

static void respond_i1(const uint8_t *msg, const struct sockaddr_in6 *src,
		       const struct in6_pktinfo *dst)
{
	static const uint8_t zero[I1_LEN - I1_PAD_OFF];
	const uint8_t *p = msg + HDR_LEN;
	uint8_t r1[R1_LEN], *q;
	struct fields f;
	void *key;

	p = get(p, f.ni, NONCE_LEN);
	p = get(p, f.ei, PUB_LEN);
	p = get32(p, &f.spii);
	if (f.spii < 256 || memcmp(p, zero, sizeof(zero)) ||
	    !rate_ok(&src->sin6_addr) || simultaneous(&src->sin6_addr, f.ni))
		return;
	if (responder_nr_spi(secret_cur, &src->sin6_addr, &dst->ipi6_addr, &f))
		return;
	key = responder_key(secret_cur, &src->sin6_addr, &dst->ipi6_addr, &f);
	if (!key)
		return;
	x25519_free(key);
	q = put_hdr(r1, MSG_R1);
	q = put(q, f.ni, NONCE_LEN);
	q = put(q, f.nr, NONCE_LEN);
	q = put(q, f.er, PUB_LEN);
	put32(q, f.spir);
	counters.i1_answered++;
	reply(r1, sizeof(r1), src, dst);
}

static void reject_i2(const struct in6_addr *src, const char *why)
{
	counters.i2_rejected++;
	if (why)
		log_info("exchange from %s refused: %s", addr_str(src), why);
}

/**
 * respond_keyed() - the I2 checked: install, name the SAs, answer
 * @keys: the responder's SPIs and keys, which the peer takes over
 * @rec: the exchange, its R2 included
 * @from: the initiator's address and port
 * @to: the address the I2 came to
 *
 * An entry with SAs is not keyed again, so that anyone on the path cannot
 * take a keyed peer over; unless the SAs are ours and no packet came in
 * under them yet: the initiator then lost our R2, and its new exchange
 * replaces them. Not while the initiator may still be sending the I2 that
 * made them again (which finds its peer before this): a new exchange so
 * soon is the same peer's for another of our addresses, each of which it
 * reached before it knew they were one host's. Replacing would leave
 * the first exchange's SAs at the initiator for nothing, and an echo of
 * its I2 would replace them back. The first stays; the peer's update
 * under it has the initiator's module make its two entries one.
 *
 * The R2 goes once the SAs are named. If this host had asked for SAs
 * itself (both hosts started at once), naming them sends its Binding
 * Update, before or after the R2; the initiator's xfrm drops it until the
 * initiator has named its SAs (it installs its inbound SAs last), and the
 * module sends it again.
 *
 * Return: 0, or -1 (the keys are wiped).
 */
static int respond_keyed(struct peer_keys *keys, const struct exch_record *rec,
			 const struct sockaddr_in6 *from,
			 const struct in6_pktinfo *to)
{
	const struct in6_addr *src = &from->sin6_addr;
	struct fentry fe = {};
	struct peer *peer;
	uint32_t reqid, id;
	bool rekey = false;
	int err;

	err = module_get_foreign(0, src, &fe);
	if (err && err != -ENOENT)
		goto err;
	if (!err && fe.reqid) {
		if (!reqid_is_ours(fe.reqid) || !reqid_unused(fe.reqid)) {
			reject_i2(src, "its entry has SAs already");
			goto err;
		}
		if (reqid_fresh(fe.reqid, I2_SPAN_MS)) {
			reject_i2(src, "its entry was keyed just now, by another exchange");
			goto err;
		}
		rekey = true;
	}
	if (!rekey && peer_count() >= (int)opts.max_peers) {
		counters.peers_capped++;
		reject_i2(src, "as many peers as -m allows");
		goto err;
	}
	if (err == -ENOENT) {
		memset(&fe, 0, sizeof(fe));
		fe.naddrs = 1;
		fe.addrs[0].addr = *src;
		fe.addrs[0].state = HOSTCACHE_ADDR_VALID;
	}
	if (rekey) {
		counters.rekeyed++;
		log_info("exchange from %s replaces the SAs of entry %u (reqid 0x%08x), unused so far",
			 addr_str(src), fe.id, fe.reqid);
		reqid_drop(fe.reqid);
	}
	if (reqid_choose(&reqid))
		goto err;
	err = peer_create(&fe, reqid, keys, rec, true, &peer);
	if (err) {
		reject_i2(src, err == -EEXIST ? "its SPIs are another peer's" :
			  "out of memory");
		return -1;
	}
	if (fe.id) {
		err = module_set_reqid(fe.id, reqid);
		if (!err)
			exchange_entry_keyed(fe.id);
	} else {
		err = module_new_foreign(src, reqid, &id);
		if (!err)
			peer_set_fid(peer, id);
	}
	if (err) {
		peer_forget(peer, true);
		return -1;
	}
	reply(rec->r2, rec->r2len, from, to);
	counters.completed++;
	log_info("exchange from %s for entry %u completed: reqid 0x%08x spi in 0x%08x out 0x%08x",
		 addr_str(src), peer_fid(peer), reqid, keys->spi_in, keys->spi_out);
	return 0;
err:
	secret_free(keys->k_in, KEY_LEN);
	secret_free(keys->k_out, KEY_LEN);
	return -1;
}

/* MACi, keyed by @m_i, computed over the I2 @msg as it came. */
static bool check_mac_i(const uint8_t *msg, const uint8_t *m_i,
			const uint8_t maci[MAC_LEN])
{
	struct buf parts[2] = { { "I2", 2 }, { msg, I2_MAC_OFF } };
	uint8_t expect[MAC_LEN];

	return !hmac_sha256(m_i, KEY_LEN, parts, 2, expect) &&
	       equal_ct(expect, maci, MAC_LEN);
}

/*
 * The cookie: Nr, SPIr and Er as we derive them again from the current or
 * the previous S. Nr, an HMAC, goes first; Er costs a base-point
 * multiplication. Return: our key pair, or NULL.
 */
static void *check_cookie(const struct fields *f, const struct in6_addr *addr_i,
			  const struct in6_addr *addr_r)
{
	const uint8_t *secrets[2] = { secret_cur, secret_prev };
	struct fields mine;
	void *key;
	int i;

	memcpy(mine.ni, f->ni, NONCE_LEN);
	memcpy(mine.ei, f->ei, PUB_LEN);
	for (i = 0; i < 2; i++) {
		if (!secrets[i] ||
		    responder_nr_spi(secrets[i], addr_i, addr_r, &mine) ||
		    !equal_ct(mine.nr, f->nr, NONCE_LEN) || mine.spir != f->spir)
			continue;
		key = responder_key(secrets[i], addr_i, addr_r, &mine);
		if (key && equal_ct(mine.er, f->er, PUB_LEN))
			return key;
		x25519_free(key);
		return NULL;
	}
	return NULL;
}

static void respond_i2(const uint8_t *msg, const struct sockaddr_in6 *src,
		       const struct in6_pktinfo *dst)
{
	const uint8_t *p = msg + HDR_LEN;
	uint8_t shared[32], *okm = NULL, *q;
	struct peer_keys keys = {};
	struct exch_record rec = {};
	struct fields f;
	struct peer *peer;
	const uint8_t *old;
	void *key;
	size_t len;

	p = get(p, f.ni, NONCE_LEN);
	p = get(p, f.ei, PUB_LEN);
	p = get32(p, &f.spii);
	p = get(p, f.nr, NONCE_LEN);
	p = get(p, f.er, PUB_LEN);
	p = get32(p, &f.spir);
	get(p, f.maci, MAC_LEN);
	if (!rate_ok(&src->sin6_addr))
		return;
	key = check_cookie(&f, &src->sin6_addr, &dst->ipi6_addr);
	if (!key) {
		reject_i2(&src->sin6_addr, NULL);
		return;
	}

	/* An exchange done already whose R2 was lost: the same R2 again. */
	memcpy(rec.ni, f.ni, NONCE_LEN);
	memcpy(rec.maci, f.maci, MAC_LEN);
	rec.addr_i = src->sin6_addr;
	rec.addr_r = dst->ipi6_addr;
	peer = peer_find_exchange(&rec, f.spir, f.spii);
	if (peer) {
		x25519_free(key);
		old = peer_r2(peer, &len);
		if (old)
			reply(old, len, src, dst);
		return;
	}

	okm = secret_alloc(OKM_LEN);
	if (!okm || x25519_derive(key, f.ei, shared)) {
		x25519_free(key);
		secret_free(okm, OKM_LEN);
		reject_i2(&src->sin6_addr, NULL);
		return;
	}
	x25519_free(key);
	if (derive_keys(&f, &src->sin6_addr, &dst->ipi6_addr, shared, okm)) {
		secret_wipe(shared, sizeof(shared));
		secret_free(okm, OKM_LEN);
		return;
	}
	secret_wipe(shared, sizeof(shared));
	if (!check_mac_i(msg, okm + 2 * KEY_LEN, f.maci)) {
		secret_free(okm, OKM_LEN);
		reject_i2(&src->sin6_addr, NULL);
		return;
	}
	q = put_hdr(rec.r2, MSG_R2);
	q = put(q, f.ni, NONCE_LEN);
	if (mac_r(okm + 3 * KEY_LEN, &f, q)) {
		secret_free(okm, OKM_LEN);
		return;
	}
	rec.r2len = R2_LEN;
	keys.spi_in = f.spir;
	keys.spi_out = f.spii;
	keys.k_in = key_dup(okm);
	keys.k_out = key_dup(okm + KEY_LEN);
	secret_free(okm, OKM_LEN);
	if (!keys.k_in || !keys.k_out) {
		secret_free(keys.k_in, KEY_LEN);
		secret_free(keys.k_out, KEY_LEN);
		return;
	}
	respond_keyed(&keys, &rec, src, dst);
}

void exchange_server_input(void)
{
	union {
		struct cmsghdr hdr;
		uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} control;
	uint8_t msg[I2_LEN + 1];
	struct sockaddr_in6 src;
	struct in6_pktinfo dst;
	struct iovec iov = { .iov_base = msg, .iov_len = sizeof(msg) };
	struct msghdr mh;
	struct cmsghdr *cmsg;
	bool have_dst;
	ssize_t len;

	for (;;) {
		mh = (struct msghdr){
			.msg_name = &src,
			.msg_namelen = sizeof(src),
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = control.buf,
			.msg_controllen = sizeof(control.buf),
		};
		len = recvmsg(server_fd, &mh, 0);
		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue;
		}
		/* Without the whole pktinfo, the address to answer from is unknown. */
		if (mh.msg_flags & MSG_CTRUNC)
			continue;
		have_dst = false;
		for (cmsg = CMSG_FIRSTHDR(&mh); cmsg; cmsg = CMSG_NXTHDR(&mh, cmsg))
			if (cmsg->cmsg_level == IPPROTO_IPV6 &&
			    cmsg->cmsg_type == IPV6_PKTINFO &&
			    cmsg->cmsg_len >= CMSG_LEN(sizeof(dst))) {
				memcpy(&dst, CMSG_DATA(cmsg), sizeof(dst));
				have_dst = true;
			}
		/* Keys are bound to global addresses: no link-local peers. */
		if (!have_dst || len < HDR_LEN || msg[0] != PROTO_VERSION ||
		    msg[2] || msg[3] || !addr_is_global(&src.sin6_addr) ||
		    !addr_is_global(&dst.ipi6_addr))
			continue;
		if (msg[1] == MSG_I1 && len == I1_LEN)
			respond_i1(msg, &src, &dst);
		else if (msg[1] == MSG_I2 && len == I2_LEN)
			respond_i2(msg, &src, &dst);
	}
}

int exchange_pollfds(struct pollfd *pfd, int max)
{
	struct exch *e;
	int n = 0;

	for (e = exchanges; e && n < max; e = e->next) {
		if (e->fd < 0)
			continue;
		pfd[n].fd = e->fd;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return n;
}

/**
 * exchange_timers() - send again what went unanswered, start parked
 * exchanges again, change S
 * @now: the time, in ms
 *
 * Return: the time of the next timer.
 */
uint64_t exchange_timers(uint64_t now)
{
	struct exch *e, *next;
	uint64_t first;

	if (now >= secret_changes && secret_rotate())
		secret_changes = now + 1000;
	for (e = exchanges; e; e = next) {
		next = e->next;
		if (now < e->deadline)
			continue;
		if (e->state == PARKED)
			exch_restart(e);
		else if (e->state == WAIT_R1 && e->tries >= I1_TRIES)
			exch_ordinary(e, "no answer");
		else if (e->tries >= TRIES)
			exch_fail(e, "no answer to I2", true);
		else {
			e->interval = e->interval * 2 > RETRY_MAX_MS ?
				      RETRY_MAX_MS : e->interval * 2;
			exch_send(e);
		}
	}
	/* Any of them may have gone: the next deadline once they are done. */
	first = secret_changes;
	for (e = exchanges; e; e = e->next)
		if (e->deadline < first)
			first = e->deadline;
	return first;
}

void exchange_cleanup(void)
{
	while (exchanges)
		exch_free(exchanges);
	if (server_fd >= 0)
		close(server_fd);
	secret_free(secret_cur, KEY_LEN);
	secret_free(secret_prev, KEY_LEN);
	secret_cur = secret_prev = NULL;
}
