/* see tcp_pool.h: first fit over the gaps between sorted extents. */
#include "net/tcp_pool.h"

size_t tcp_pool_round(size_t n)
{
    return (n + TCP_POOL_ALIGN - 1) & ~(size_t)(TCP_POOL_ALIGN - 1);
}

void tcp_pool_init(struct tcp_pool *p, uint8_t *base, size_t size)
{
    p->base = base;
    p->size = size;
    p->n = 0;
}

/* The gap before extent i (i == n: the gap after the last one). */
static void gap(const struct tcp_pool *p, int i, size_t *start, size_t *len)
{
    size_t s = i == 0 ? 0 : p->ext[i - 1].off + p->ext[i - 1].len;
    size_t e = i == p->n ? p->size : p->ext[i].off;
    *start = s;
    *len = e - s;
}

uint8_t *tcp_pool_alloc(struct tcp_pool *p, size_t n)
{
    if (n == 0 || n > p->size || p->n >= TCP_POOL_EXTENTS)
        return NULL;
    n = tcp_pool_round(n);
    for (int i = 0; i <= p->n; i++) {
        size_t s, l;
        gap(p, i, &s, &l);
        if (l < n)
            continue;
        for (int j = p->n; j > i; j--)
            p->ext[j] = p->ext[j - 1];
        p->ext[i].off = s;
        p->ext[i].len = n;
        p->n++;
        return p->base + s;
    }
    return NULL;
}

void tcp_pool_free(struct tcp_pool *p, uint8_t *ptr)
{
    if (!ptr || ptr < p->base || ptr >= p->base + p->size)
        return;
    size_t off = (size_t)(ptr - p->base);
    for (int i = 0; i < p->n; i++) {
        if (p->ext[i].off != off)
            continue;
        for (int j = i; j + 1 < p->n; j++)
            p->ext[j] = p->ext[j + 1];
        p->n--;
        return;
    }
}

size_t tcp_pool_in_use(const struct tcp_pool *p)
{
    size_t t = 0;
    for (int i = 0; i < p->n; i++)
        t += p->ext[i].len;
    return t;
}

size_t tcp_pool_largest_free(const struct tcp_pool *p)
{
    if (p->n >= TCP_POOL_EXTENTS)
        return 0;
    size_t best = 0;
    for (int i = 0; i <= p->n; i++) {
        size_t s, l;
        gap(p, i, &s, &l);
        if (l > best)
            best = l;
    }
    return best & ~(size_t)(TCP_POOL_ALIGN - 1);
}
