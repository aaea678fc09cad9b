/* Big-endian loads/stores and a checked (ptr, end) reader for parsing
   untrusted frames: every read checks the remaining length first and a
   failed read makes the reader sticky-bad, so parsers check `ok` once at the
   end of a group of reads. Header-only; no state beyond the caller's struct. */
#ifndef NET_WIRE_H
#define NET_WIRE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t be16_get(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t be32_get(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void be16_put(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void be32_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

struct wire_rd {
    const uint8_t *p, *end;
    bool ok;
};

static inline struct wire_rd wire_rd_init(const uint8_t *p, size_t len)
{
    struct wire_rd r = { p, p + len, true };
    return r;
}
static inline size_t wire_left(const struct wire_rd *r) { return r->ok ? (size_t)(r->end - r->p) : 0; }
static inline bool wire_need(struct wire_rd *r, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = false;
        return false;
    }
    return true;
}
static inline uint8_t wire_u8(struct wire_rd *r)
{
    if (!wire_need(r, 1)) return 0;
    return *r->p++;
}
static inline uint16_t wire_u16(struct wire_rd *r)
{
    if (!wire_need(r, 2)) return 0;
    uint16_t v = be16_get(r->p);
    r->p += 2;
    return v;
}
static inline uint32_t wire_u32(struct wire_rd *r)
{
    if (!wire_need(r, 4)) return 0;
    uint32_t v = be32_get(r->p);
    r->p += 4;
    return v;
}
/* Returns a pointer to the next n bytes and skips them, or NULL. */
static inline const uint8_t *wire_bytes(struct wire_rd *r, size_t n)
{
    if (!wire_need(r, n)) return NULL;
    const uint8_t *q = r->p;
    r->p += n;
    return q;
}

#endif
