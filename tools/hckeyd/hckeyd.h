/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hckeyd: shared declarations.
 */
#ifndef HCKEYD_H
#define HCKEYD_H

#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <syslog.h>

#include <linux/hostcache.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define HCKEYD_VERSION "0.1.0"

#define HCKEYD_PORT		7456
#define HCKEYD_REQID_BASE	0x48430000u
/* The reqids the daemon owns: BASE to BASE + HCKEYD_REQID_RANGE - 1. */
#define HCKEYD_REQID_RANGE	0x10000u
#define HCKEYD_MAX_PEERS	1024
/* Exchanges this host initiates at a time, parked ones included. */
#define MAX_EXCHANGES		256

struct hckeyd_opts {
	bool foreground;
	bool verbose;
	uint16_t port;
	uint32_t reqid_base;
	unsigned int max_peers;
	const char *user;
};

extern struct hckeyd_opts opts;

struct hckeyd_counters {
	unsigned long long started, completed, failed, ordinary;
	unsigned long long retried, yielded;
	unsigned long long i1_answered, i2_rejected, r_rejected;
	unsigned long long rate_limited, peers_capped, rekeyed;
	unsigned long long sa_added, sa_removed;
};

extern struct hckeyd_counters counters;

/* main.c: logging and timers. */
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	do { if (opts.verbose) log_msg(LOG_INFO, __VA_ARGS__); } while (0)
uint64_t now_ms(void);
const char *addr_str(const struct in6_addr *addr);
bool addr_is_global(const struct in6_addr *addr);
bool reqid_is_ours(uint32_t reqid);

/* crypto.c: X25519, HKDF and HMAC-SHA256 through OpenSSL's EVP API. */
#define KEY_LEN 32
int crypto_init(void);
void *secret_alloc(size_t len);
void secret_free(void *p, size_t len);
void secret_wipe(void *p, size_t len);
uint8_t *key_dup(const uint8_t *key);
bool key_is_zero(const uint8_t *key);
int random_bytes(void *buf, size_t len);
struct buf {
	const void *data;
	size_t len;
};
int hmac_sha256(const void *key, size_t keylen, const struct buf *parts,
		int nparts, uint8_t out[32]);
void *x25519_generate(uint8_t pub[32]);
void *x25519_from_private(const uint8_t priv[32], uint8_t pub[32]);
void x25519_free(void *key);
int x25519_derive(void *key, const uint8_t peer[32], uint8_t shared[32]);
int hkdf_sha256(const void *salt, size_t saltlen, const void *ikm, size_t ikmlen,
		const void *info, size_t infolen, void *out, size_t outlen);
bool equal_ct(const void *a, const void *b, size_t len);

/* module.c: the hostcache generic netlink family. */
struct faddr {
	struct in6_addr addr;
	uint8_t state;
};

struct fentry {
	uint32_t id;
	uint32_t flags;
	uint32_t reqid;
	int naddrs;
	struct faddr addrs[HOSTCACHE_MAX_ADDRS_MAX];
};

int module_open(void);
int module_event_fd(void);
void module_read_events(void);
typedef void (*fentry_fn)(const struct fentry *fe, void *arg);
int module_dump_foreign(fentry_fn fn, void *arg);
int module_get_foreign(uint32_t id, const struct in6_addr *addr,
		       struct fentry *fe);
int module_set_reqid(uint32_t id, uint32_t reqid);
int module_set_ordinary(uint32_t id);
int module_new_foreign(const struct in6_addr *addr, uint32_t reqid,
		       uint32_t *id);
int module_get_local(struct in6_addr **addrs, int *n);
const struct in6_addr *fentry_first_valid(const struct fentry *fe);
bool fentry_has(const struct fentry *fe, const struct in6_addr *addr);

/* xfrm.c: transport-mode AH SAs and output policies for the MH. */
int xfrm_open(void);
int xfrm_sa_add(const struct in6_addr *daddr, uint32_t spi, uint32_t reqid,
		const uint8_t key[KEY_LEN]);
int xfrm_sa_del(const struct in6_addr *daddr, uint32_t spi, uint32_t reqid);
int xfrm_policy_set(const struct in6_addr *daddr, uint32_t reqid);
int xfrm_policy_del(const struct in6_addr *daddr);
struct xfrm_sa_info {
	struct in6_addr daddr;
	uint32_t spi;
	uint32_t reqid;
	uint64_t packets;	/* received (inbound) or sent (outbound) */
	bool has_key;
	bool redacted;	/* all zero: the kernel hides keys (lockdown) */
	uint8_t *key;	/* KEY_LEN bytes, in the dump's locked buffer */
};
typedef void (*xfrm_sa_fn)(const struct xfrm_sa_info *sa, void *arg);
int xfrm_sa_dump(xfrm_sa_fn fn, void *arg);
typedef void (*xfrm_policy_fn)(const struct in6_addr *daddr, int plen,
			       uint32_t reqid, void *arg);
int xfrm_policy_dump(xfrm_policy_fn fn, void *arg);

/* peer.c: the peers the daemon holds keys for, and their SAs. */
struct peer;
struct peer_keys {
	uint32_t spi_in, spi_out;
	uint8_t *k_in, *k_out;	/* secret_alloc()ed, KEY_LEN bytes each */
};
struct peer *peer_find(uint32_t fid);
struct peer *peer_find_reqid(uint32_t reqid);
/* The exchange a responder's peer came from, to answer a repeated I2. */
struct exch_record {
	uint8_t ni[16];
	uint8_t maci[32];
	struct in6_addr addr_i, addr_r;
	size_t r2len;
	uint8_t r2[64];
};
struct peer *peer_find_exchange(const struct exch_record *rec,
				uint32_t spi_in, uint32_t spi_out);
int peer_create(const struct fentry *fe, uint32_t reqid, struct peer_keys *keys,
		const struct exch_record *rec, bool open, struct peer **peerp);
int peer_open(struct peer *p);
void peer_forget(struct peer *peer, bool remove_sas);
int peer_count(void);
bool reqid_unused(uint32_t reqid);
bool reqid_fresh(uint32_t reqid, uint64_t ms);
void reqid_drop(uint32_t reqid);
uint32_t peer_fid(const struct peer *peer);
void peer_set_fid(struct peer *peer, uint32_t fid);
const uint8_t *peer_r2(const struct peer *peer, size_t *len);
int reqid_choose(uint32_t *reqid);
void peers_foreign_event(uint8_t cmd, const struct fentry *fe);
void peers_local_event(uint8_t cmd, const struct in6_addr *addr);
int peers_recover(void);
void peers_clear(void);
int locals_load(void);

/* exchange.c: the key exchange. */
int exchange_open(void);
int exchange_server_fd(void);
void exchange_server_input(void);
void exchange_acquire(const struct fentry *fe);
void exchange_entry_keyed(uint32_t fid);
void exchange_entry_gone(uint32_t fid);
void exchange_local_event(uint8_t cmd, const struct in6_addr *addr);
int exchange_pollfds(struct pollfd *pfd, int max);
void exchange_client_input(int fd);
uint64_t exchange_timers(uint64_t now);
void exchange_cleanup(void);

/* privs.c */
void privs_undumpable(void);
int privs_drop(const char *user);

#endif /* HCKEYD_H */
