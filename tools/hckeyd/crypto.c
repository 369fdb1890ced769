// SPDX-License-Identifier: GPL-2.0
/*
 * hckeyd: the primitives of the exchange, all from OpenSSL 3's EVP API:
 * X25519, HKDF-SHA256 and HMAC-SHA256.
 *
 * Secrets live in OpenSSL's secure heap when it can be had: it is locked
 * in memory (no swap), kept out of core dumps and cleared when freed.
 * OpenSSL also keeps the X25519 private keys there.
 */

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "hckeyd.h"

/* Room for the keys of some thousand peers and the exchanges under way. */
#define SECURE_HEAP_SIZE	(256 * 1024)
#define SECURE_HEAP_MIN		32

static EVP_MAC *hmac;
static EVP_KDF *hkdf;

static void log_ssl(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	if (e) {
		ERR_error_string_n(e, buf, sizeof(buf));
		log_err("%s: %s", what, buf);
	} else {
		log_err("%s failed", what);
	}
	ERR_clear_error();
}

int crypto_init(void)
{
	/* Before any key is made, so that OpenSSL's own go there too. */
	if (CRYPTO_secure_malloc_init(SECURE_HEAP_SIZE, SECURE_HEAP_MIN) != 1)
		log_warn("cannot lock memory for keys; they may be swapped out");
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	hkdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (!hmac || !hkdf) {
		log_ssl("OpenSSL lacks HMAC or HKDF");
		return -1;
	}
	return 0;
}

void *secret_alloc(size_t len)
{
	return OPENSSL_secure_zalloc(len);
}

void secret_free(void *p, size_t len)
{
	if (p)
		OPENSSL_secure_clear_free(p, len);
}

void secret_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

/* A copy of a KEY_LEN-byte key in secure memory, or NULL. */
uint8_t *key_dup(const uint8_t *key)
{
	uint8_t *k = secret_alloc(KEY_LEN);

	if (k)
		memcpy(k, key, KEY_LEN);
	return k;
}

/* An all-zero key: what a kernel that redacts keys shows of every SA. */
bool key_is_zero(const uint8_t *key)
{
	static const uint8_t zero[KEY_LEN];

	return CRYPTO_memcmp(key, zero, KEY_LEN) == 0;
}

int random_bytes(void *buf, size_t len)
{
	if (RAND_priv_bytes(buf, len) != 1) {
		log_ssl("no random bytes");
		return -1;
	}
	return 0;
}

/**
 * hmac_sha256() - HMAC-SHA256 of the concatenation of @parts
 * @key: the key
 * @keylen: its length
 * @parts: the data, in pieces
 * @nparts: how many
 * @out: the MAC
 *
 * Return: 0, or -1 after logging.
 */
int hmac_sha256(const void *key, size_t keylen, const struct buf *parts,
		int nparts, uint8_t out[32])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC_CTX *ctx;
	size_t outlen;
	int i, ok;

	ctx = EVP_MAC_CTX_new(hmac);
	ok = ctx && EVP_MAC_init(ctx, key, keylen, params);
	for (i = 0; ok && i < nparts; i++)
		ok = EVP_MAC_update(ctx, parts[i].data, parts[i].len);
	ok = ok && EVP_MAC_final(ctx, out, &outlen, 32) && outlen == 32;
	/* Frees the key schedule it holds, cleared. */
	EVP_MAC_CTX_free(ctx);
	if (!ok) {
		log_ssl("HMAC-SHA256");
		return -1;
	}
	return 0;
}

static int x25519_public(EVP_PKEY *pkey, uint8_t pub[32])
{
	size_t len = 32;

	return EVP_PKEY_get_raw_public_key(pkey, pub, &len) == 1 && len == 32 ?
	       0 : -1;
}

/* A fresh ephemeral key pair; @pub gets its public half. */
void *x25519_generate(uint8_t pub[32])
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");

	if (!pkey || x25519_public(pkey, pub)) {
		log_ssl("X25519 key generation");
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

/* The key pair of a given private key (the responder's derived one). */
void *x25519_from_private(const uint8_t priv[32], uint8_t pub[32])
{
	EVP_PKEY *pkey;

	pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "X25519", NULL, priv, 32);
	if (!pkey || x25519_public(pkey, pub)) {
		log_ssl("X25519 key");
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

void x25519_free(void *key)
{
	/* OpenSSL clears the private key as it frees it. */
	EVP_PKEY_free(key);
}

/**
 * x25519_derive() - the shared secret of @key and the peer's public key
 * @key: our key pair
 * @peer: the peer's public key
 * @shared: the secret
 *
 * OpenSSL refuses a peer key of small order (an all-zero result).
 *
 * Return: 0, or -1.
 */
int x25519_derive(void *key, const uint8_t peer[32], uint8_t shared[32])
{
	EVP_PKEY *peerkey;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = 32;
	int ok;

	peerkey = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, peer, 32);
	ok = peerkey && (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL)) &&
	     EVP_PKEY_derive_init(ctx) == 1 &&
	     EVP_PKEY_derive_set_peer(ctx, peerkey) == 1 &&
	     EVP_PKEY_derive(ctx, shared, &len) == 1 && len == 32;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peerkey);
	if (!ok) {
		OPENSSL_cleanse(shared, 32);
		ERR_clear_error();
		return -1;
	}
	return 0;
}

/**
 * hkdf_sha256() - HKDF-Extract then HKDF-Expand (RFC 5869)
 * @salt: the salt
 * @saltlen: its length
 * @ikm: the input keying material
 * @ikmlen: its length
 * @info: the context
 * @infolen: its length
 * @out: the output keying material
 * @outlen: how much of it
 *
 * OpenSSL keeps the pseudorandom key inside and clears it.
 *
 * Return: 0, or -1 after logging.
 */
int hkdf_sha256(const void *salt, size_t saltlen, const void *ikm, size_t ikmlen,
		const void *info, size_t infolen, void *out, size_t outlen)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						  (void *)salt, saltlen),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						  (void *)ikm, ikmlen),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						  (void *)info, infolen),
		OSSL_PARAM_construct_end(),
	};
	EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(hkdf);
	int ok;

	ok = ctx && EVP_KDF_derive(ctx, out, outlen, params) == 1;
	EVP_KDF_CTX_free(ctx);
	if (!ok) {
		OPENSSL_cleanse(out, outlen);
		log_ssl("HKDF-SHA256");
		return -1;
	}
	return 0;
}

bool equal_ct(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
