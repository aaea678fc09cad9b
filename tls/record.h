/* TLS 1.3 record protection (RFC 8446 5.2-5.3): per-direction AEAD state,
   per-record nonce (IV xor sequence number), TLSInnerPlaintext framing with
   the real content type and zero padding. Operates in place on a caller
   buffer holding one record (5-byte header + fragment). The caller owns the
   struct; rec_wipe() zeroizes keys. */
#ifndef TLS_RECORD_H
#define TLS_RECORD_H
#include <stddef.h>
#include <stdint.h>
#include "tls/tls_aead.h"

#define TLS_REC_HDR 5
#define TLS_REC_TAG 16
#define TLS_MAX_PLAINTEXT 16384u                  /* 2^14 */
#define TLS_MAX_CIPHERTEXT (16384u + 256u)        /* 2^14 + 256 (5.2) */

enum tls_ctype {
    TLS_CT_CCS = 20, TLS_CT_ALERT = 21, TLS_CT_HANDSHAKE = 22, TLS_CT_APPDATA = 23
};

struct tls_rec_keys {
    struct tls_aead aead;
    uint8_t iv[12];
    uint64_t seq;
    uint8_t on;          /* 1 once keys are installed */
};

/* Installs key/iv and resets the sequence number. CRYPTO_OK or crypto error. */
enum crypto_err rec_set_keys(struct tls_rec_keys *k, int aead_id, const uint8_t *key,
                             size_t keylen, const uint8_t iv[12]);
void rec_wipe(struct tls_rec_keys *k);

/* Writes a plaintext record header at rec[0..4]. */
void rec_header(uint8_t *rec, uint8_t type, size_t len);

/* rec[5 .. 5+len) holds plaintext; appends the inner type and pad zero bytes,
   encrypts in place and writes the header (outer type application_data).
   rec must have room for 5 + len + 1 + pad + 16 bytes. Returns the record
   length, or 0 on a crypto failure (or sequence number exhaustion). */
size_t rec_seal(struct tls_rec_keys *k, uint8_t type, uint8_t *rec, size_t len, size_t pad);

/* What opening a record gave (values kept from when they were bare ints). */
enum rec_status {
    REC_OK = 0,
    REC_ERR_AUTH = -1,            /* authentication failed: bad_record_mac */
    REC_ERR_NO_TYPE = -2,         /* no non-zero byte: unexpected_message */
    REC_ERR_SHORT = -3,           /* shorter than the tag: bad_record_mac too (5.2) */
};

/* Decrypts the record rec[0 .. 5+n) in place. On success *type is the inner
   content type and *ptlen the plaintext length at rec+5. */
enum rec_status rec_open(struct tls_rec_keys *k, uint8_t *rec, size_t n, uint8_t *type,
                         size_t *ptlen);
/* The same for record number seq, out of place: the plaintext (inner type and
   padding included) goes to out (n - 16 bytes of room, must not overlap
   rec); k and rec are only read, so records of one direction may be opened
   concurrently (tls_set_rx_pipeline). */
enum rec_status rec_open_seq(const struct tls_rec_keys *k, uint64_t seq, const uint8_t *rec,
                             size_t n, uint8_t *out, uint8_t *type, size_t *ptlen);

#endif
