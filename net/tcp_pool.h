/* A first-fit allocator over one caller-given arena, for the TCP rings
   (net/tcp_sock.c keeps one over a static arena: no malloc in net/).
   Extents are kept sorted by offset in a small table (TCP_POOL_EXTENTS: two
   rings per socket); an allocation takes the first gap between them that is
   large enough, so freeing a ring leaves a hole that a ring of at most its
   size can reuse (fragmentation is bounded by the extent count).
   Memory: the arena and struct tcp_pool belong to the caller; the pool only
   hands out pieces of the arena. Sizes are rounded up to TCP_POOL_ALIGN. */
#ifndef NET_TCP_POOL_H
#define NET_TCP_POOL_H
#include <stddef.h>
#include <stdint.h>

#define TCP_POOL_EXTENTS 16
#define TCP_POOL_ALIGN 64

struct tcp_pool_extent { size_t off, len; };

struct tcp_pool {
    uint8_t *base;
    size_t size;
    int n;                                   /* extents in use, sorted by off */
    struct tcp_pool_extent ext[TCP_POOL_EXTENTS];
};

void tcp_pool_init(struct tcp_pool *p, uint8_t *base, size_t size);
/* n bytes (rounded up to TCP_POOL_ALIGN) from the first gap that holds
   them; NULL when none does (or the extent table is full, or n is 0). */
uint8_t *tcp_pool_alloc(struct tcp_pool *p, size_t n);
/* Gives back a piece tcp_pool_alloc returned; NULL and unknown pointers
   are ignored. */
void tcp_pool_free(struct tcp_pool *p, uint8_t *ptr);
/* Bytes handed out (rounded sizes), and the largest allocation that would
   succeed now. */
size_t tcp_pool_in_use(const struct tcp_pool *p);
size_t tcp_pool_largest_free(const struct tcp_pool *p);
/* The rounded size an allocation of n takes. */
size_t tcp_pool_round(size_t n);

#endif
