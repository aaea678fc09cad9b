/* TLS 1.3 key schedule (RFC 8446 7.1, 7.3, 4.4.4, 4.6.3; RFC 9846 7.1):
   Derive-Secret over a transcript hash, the early/handshake/master secret
   chain, traffic key and IV derivation, Finished verify_data and KeyUpdate.
   Pure functions over caller-owned buffers (secrets up to TLS_HASH_MAX bytes);
   nothing is kept between calls. */
#ifndef TLS_KEYSCHED_H
#define TLS_KEYSCHED_H
#include "crypto/crypto.h"
#include <stddef.h>
#include <stdint.h>
#include "crypto/hash.h"

#define TLS_HASH_MAX 48

/* Derive-Secret(secret, label, transcript_hash) where th is an already
   computed transcript hash of alg->digest_len bytes. */
enum crypto_err ks_derive(const struct hash_alg *alg, const uint8_t *secret, const char *label,
              const uint8_t *th, uint8_t *out);

/* early = HKDF-Extract(0, psk or 0^HashLen). psk may be NULL. */
void ks_early_secret(const struct hash_alg *alg, const uint8_t *psk, size_t psklen,
                     uint8_t *early);
/* next = HKDF-Extract(Derive-Secret(prev, "derived", ""), ikm or 0^HashLen):
   early -> handshake secret (ikm = (EC)DHE shared secret: 32 to 64 bytes,
   the hybrid's ML-KEM secret then its X25519 secret) and
   handshake -> master secret (ikm = NULL). */
enum crypto_err ks_next_stage(const struct hash_alg *alg, const uint8_t *prev,
                  const uint8_t *ikm, size_t ikmlen, uint8_t *next);

/* key = HKDF-Expand-Label(secret, "key", "", keylen), iv = ... "iv" 12 bytes. */
enum crypto_err ks_traffic_keys(const struct hash_alg *alg, const uint8_t *secret,
                    uint8_t *key, size_t keylen, uint8_t iv[12]);
/* verify_data = HMAC(HKDF-Expand-Label(base, "finished", "", HashLen), th). */
enum crypto_err ks_finished(const struct hash_alg *alg, const uint8_t *base_secret,
                const uint8_t *th, uint8_t *verify_data);
/* The finished_key itself (exposed for tests). */
enum crypto_err ks_finished_key(const struct hash_alg *alg, const uint8_t *base_secret, uint8_t *key);
/* secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", HashLen), in place. */
enum crypto_err ks_update_secret(const struct hash_alg *alg, uint8_t *secret);
/* PSK binder key: Derive-Secret(early, "res binder", "") (7.1). */
enum crypto_err ks_binder_key(const struct hash_alg *alg, const uint8_t *early, uint8_t *binder_key);

/* PSK for a NewSessionTicket: HKDF-Expand-Label(res_master, "resumption", nonce, HashLen). */
enum crypto_err ks_resumption_psk(const struct hash_alg *alg, const uint8_t *res_master,
                      const uint8_t *nonce, size_t noncelen, uint8_t *psk);

#endif
