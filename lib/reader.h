/* The one checked reader for untrusted input (net/ frames, TLS handshake
   messages): a (ptr, end) view that fails closed. Every read checks the
   bytes left first; a read past the end returns 0 (or NULL, or an empty
   failed sub-reader), and makes the reader sticky-bad, so a parser does a
   group of reads and checks rd_ok() once afterwards. A failed reader has
   nothing left, so loops `while (rd_left(&r))` end on their own.
   Multi-byte integers are big-endian (network order). Header only; no state
   beyond the caller's struct. (DER has its own reader, crypto/asn1.h.) */
#ifndef LIB_READER_H
#define LIB_READER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/bytes.h"

struct reader {
    const uint8_t *p, *end;
    bool ok;
};

static inline struct reader rd_init(const uint8_t *p, size_t len)
{
    struct reader r = { p, p + len, true };
    return r;
}

static inline bool rd_ok(const struct reader *r) { return r->ok; }

/* Bytes left; 0 once the reader has failed. */
static inline size_t rd_left(const struct reader *r) { return r->ok ? (size_t)(r->end - r->p) : 0; }

/* True if n more bytes can be read; otherwise fails the reader. */
static inline bool rd_need(struct reader *r, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = false;
        return false;
    }
    return true;
}

static inline uint8_t rd_u8(struct reader *r)
{
    if (!rd_need(r, 1)) return 0;
    return *r->p++;
}

static inline uint16_t rd_u16(struct reader *r)
{
    if (!rd_need(r, 2)) return 0;
    uint16_t v = be16_get(r->p);
    r->p += 2;
    return v;
}

static inline uint32_t rd_u24(struct reader *r)
{
    if (!rd_need(r, 3)) return 0;
    uint32_t v = be24_get(r->p);
    r->p += 3;
    return v;
}

static inline uint32_t rd_u32(struct reader *r)
{
    if (!rd_need(r, 4)) return 0;
    uint32_t v = be32_get(r->p);
    r->p += 4;
    return v;
}

/* A pointer to the next n bytes, which are skipped; NULL on failure. */
static inline const uint8_t *rd_bytes(struct reader *r, size_t n)
{
    if (!rd_need(r, n)) return NULL;
    const uint8_t *q = r->p;
    r->p += n;
    return q;
}

/* The next n bytes as a sub-reader, which are skipped. */
static inline struct reader rd_sub(struct reader *r, size_t n)
{
    struct reader sub = { NULL, NULL, false };
    if (rd_need(r, n)) {
        sub = rd_init(r->p, n);
        r->p += n;
    }
    return sub;
}

/* A vector with a big-endian length prefix of lenbytes = 1, 2 or 3 bytes
   (TLS's opaque<..>, RFC 8446 3.4) as a sub-reader. */
static inline struct reader rd_vec(struct reader *r, int lenbytes)
{
    size_t n = lenbytes == 1 ? rd_u8(r) : lenbytes == 2 ? rd_u16(r) : rd_u24(r);
    return rd_sub(r, n);
}

#endif
