/* see heap.h */
#include "kernel/heap.h"
#include "kernel/mem.h"
#include "kernel/console.h"
#include <string.h>

#define ALIGN 16u
#define MAGIC_USED 0x55534544u   /* "USED" */
#define MAGIC_FREE 0x46524545u   /* "FREE" */

struct block {
    size_t size;               /* whole block, header included */
    uint32_t magic;
    uint32_t pad;
    size_t req;                /* bytes the caller asked for (used blocks) */
    struct block *next;        /* free list link (free blocks) */
};
#define HDR ((sizeof(struct block) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

static uint8_t *heap_start, *heap_end;
static struct block *free_head;
static size_t in_use, total, nallocs;

void heap_init(size_t bytes)
{
    size_t frames = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    uint64_t base = frame_alloc(frames);
    while (!base && frames > 256) {
        frames /= 2;
        base = frame_alloc(frames);
    }
    if (!base)
        panic("heap: no memory for the kernel heap");
    heap_start = (uint8_t *)base;
    heap_end = heap_start + frames * PAGE_SIZE;
    total = frames * PAGE_SIZE;
    free_head = (struct block *)heap_start;
    free_head->size = total;
    free_head->magic = MAGIC_FREE;
    free_head->next = NULL;
}

void *kmalloc(size_t n)
{
    if (n == 0)
        n = 1;
    if (n > total)
        return NULL;
    size_t need = HDR + ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
    struct block **link = &free_head;
    for (struct block *b = free_head; b; link = &b->next, b = b->next) {
        if (b->size < need)
            continue;
        if (b->size - need >= HDR + ALIGN) {
            struct block *rest = (struct block *)((uint8_t *)b + need);
            rest->size = b->size - need;
            rest->magic = MAGIC_FREE;
            rest->next = b->next;
            *link = rest;
            b->size = need;
        } else {
            *link = b->next;
        }
        b->magic = MAGIC_USED;
        b->req = n;
        in_use += n;
        nallocs++;
        void *p = (uint8_t *)b + HDR;
#ifdef HEAP_POISON
        memset(p, 0xA5, b->size - HDR);
#endif
        return p;
    }
    return NULL;
}

void *kcalloc(size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size)
        return NULL;
    void *p = kmalloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    struct block *b = (struct block *)((uint8_t *)p - HDR);
    if ((uint8_t *)b < heap_start || (uint8_t *)p >= heap_end || b->magic != MAGIC_USED)
        panic("kfree: bad pointer %p (%s)", p,
              ((uint8_t *)b >= heap_start && (uint8_t *)p < heap_end && b->magic == MAGIC_FREE)
                  ? "double free" : "not from kmalloc");
    in_use -= b->req;
    nallocs--;
#ifdef HEAP_POISON
    memset(p, 0xDD, b->size - HDR);
#endif
    b->magic = MAGIC_FREE;
    /* insert in address order, merging with the neighbours */
    struct block *prev = NULL, *cur = free_head;
    while (cur && cur < b) {
        prev = cur;
        cur = cur->next;
    }
    b->next = cur;
    if (cur && (uint8_t *)b + b->size == (uint8_t *)cur) {
        b->size += cur->size;
        b->next = cur->next;
        cur->magic = 0;
    }
    if (prev) {
        prev->next = b;
        if ((uint8_t *)prev + prev->size == (uint8_t *)b) {
            prev->size += b->size;
            prev->next = b->next;
            b->magic = 0;
        }
    } else {
        free_head = b;
    }
}

size_t heap_bytes_in_use(void) { return in_use; }
size_t heap_bytes_total(void) { return total; }
size_t heap_allocations(void) { return nallocs; }
