/* see virtio.h. Section numbers are those of the virtio 1.2 specification. */
#include "drivers/virtio.h"
#include "kernel/mem.h"
#include "kernel/time.h"
#include <string.h>

/* 4.1.4.3 common configuration structure layout */
#define C_DFSELECT   0x00
#define C_DF         0x04
#define C_GFSELECT   0x08
#define C_GF         0x0C
#define C_NUMQ       0x12
#define C_STATUS     0x14
#define C_Q_SELECT   0x16
#define C_Q_SIZE     0x18
#define C_Q_ENABLE   0x1C
#define C_Q_NOFF     0x1E
#define C_Q_DESC     0x20
#define C_Q_DRIVER   0x28
#define C_Q_DEVICE   0x30

#define S_ACK 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_FAILED 128

static inline void w8(volatile uint8_t *b, unsigned o, uint8_t v) { *(volatile uint8_t *)(b + o) = v; }
static inline void w16(volatile uint8_t *b, unsigned o, uint16_t v) { *(volatile uint16_t *)(b + o) = v; }
static inline void w32(volatile uint8_t *b, unsigned o, uint32_t v) { *(volatile uint32_t *)(b + o) = v; }
static inline uint8_t r8(volatile uint8_t *b, unsigned o) { return *(volatile uint8_t *)(b + o); }
static inline uint16_t r16(volatile uint8_t *b, unsigned o) { return *(volatile uint16_t *)(b + o); }
static inline uint32_t r32(volatile uint8_t *b, unsigned o) { return *(volatile uint32_t *)(b + o); }
static inline void w64(volatile uint8_t *b, unsigned o, uint64_t v)
{
    w32(b, o, (uint32_t)v);
    w32(b, o + 4, (uint32_t)(v >> 32));
}

/* 4.1.4: walk the vendor capabilities and map each structure's BAR. */
static bool find_structs(struct virtio_dev *v)
{
    for (uint8_t off = pci_find_cap(v->pci, 0x09, 0); off; off = pci_find_cap(v->pci, 0x09, off)) {
        uint8_t type = pci_read8(v->pci, (uint8_t)(off + 3));
        uint8_t bar = pci_read8(v->pci, (uint8_t)(off + 4));
        uint32_t offset = pci_read32(v->pci, (uint8_t)(off + 8));
        if (bar > 5 || type < 1 || type > 4)
            continue;
        uint64_t size;
        volatile uint8_t *base = pci_map_bar(v->pci, bar, &size);
        if (!base)
            continue;
        volatile uint8_t *p = base + offset;
        switch (type) {
        case 1: if (!v->common) v->common = p; break;
        case 2:
            if (!v->notify_base) {
                v->notify_base = p;
                v->notify_mult = pci_read32(v->pci, (uint8_t)(off + 16));
            }
            break;
        case 3: if (!v->isr) v->isr = p; break;
        case 4: if (!v->device) v->device = p; break;
        }
    }
    return v->common && v->notify_base;
}

bool virtio_init(struct virtio_dev *v, const struct pci_dev *pci, uint64_t wanted,
                 const char **why)
{
    memset(v, 0, sizeof *v);
    v->pci = pci;
    pci_enable(pci);
    if (!find_structs(v)) {
        *why = "no virtio 1.x capabilities (legacy-only device)";
        return false;
    }
    /* 3.1.1 initialization sequence */
    w8(v->common, C_STATUS, 0);
    uint64_t t0 = time_ms();
    while (r8(v->common, C_STATUS) != 0)
        if (time_ms() - t0 > 1000) {
            *why = "reset timed out";
            return false;
        }
    w8(v->common, C_STATUS, S_ACK);
    w8(v->common, C_STATUS, S_ACK | S_DRIVER);
    w32(v->common, C_DFSELECT, 0);
    uint64_t dev = r32(v->common, C_DF);
    w32(v->common, C_DFSELECT, 1);
    dev |= (uint64_t)r32(v->common, C_DF) << 32;
    wanted |= 1ull << VIRTIO_F_VERSION_1;
    if (!(dev & (1ull << VIRTIO_F_VERSION_1))) {
        *why = "device does not offer VERSION_1";
        w8(v->common, C_STATUS, S_FAILED);
        return false;
    }
    v->features = dev & wanted;
    w32(v->common, C_GFSELECT, 0);
    w32(v->common, C_GF, (uint32_t)v->features);
    w32(v->common, C_GFSELECT, 1);
    w32(v->common, C_GF, (uint32_t)(v->features >> 32));
    w8(v->common, C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    if (!(r8(v->common, C_STATUS) & S_FEATURES_OK)) {
        *why = "device refused our features";
        w8(v->common, C_STATUS, S_FAILED);
        return false;
    }
    return true;
}

bool virtio_queue_setup(struct virtio_dev *v, struct virtq *q, uint16_t index, uint16_t max_size)
{
    memset(q, 0, sizeof *q);
    if (index >= r16(v->common, C_NUMQ))
        return false;
    w16(v->common, C_Q_SELECT, index);
    uint16_t size = r16(v->common, C_Q_SIZE);
    if (size == 0)
        return false;
    if (size > max_size)
        size = max_size;
    w16(v->common, C_Q_SIZE, size);
    /* 2.7: descriptor table (16-byte aligned), available ring (2), used ring (4) */
    size_t desc_bytes = 16u * size;
    size_t avail_bytes = 6u + 2u * size;
    size_t used_off = (desc_bytes + avail_bytes + 4095) & ~(size_t)4095;
    size_t used_bytes = 6u + 8u * size;
    size_t total = used_off + used_bytes;
    uint64_t mem = frame_alloc((total + 4095) / 4096);
    if (!mem)
        return false;
    q->size = size;
    q->index = index;
    q->desc = (volatile struct virtq_desc *)mem;
    q->avail = (volatile uint16_t *)(mem + desc_bytes);
    q->used_hdr = (volatile uint16_t *)(mem + used_off);
    q->used = (volatile struct virtq_used_elem *)(mem + used_off + 4);
    uint16_t noff = r16(v->common, C_Q_NOFF);
    q->notify = (volatile uint16_t *)(v->notify_base + (uint32_t)noff * v->notify_mult);
    w64(v->common, C_Q_DESC, mem);
    w64(v->common, C_Q_DRIVER, mem + desc_bytes);
    w64(v->common, C_Q_DEVICE, mem + used_off);
    w16(v->common, C_Q_ENABLE, 1);
    return true;
}

void virtio_driver_ok(struct virtio_dev *v)
{
    w8(v->common, C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

void virtq_push(struct virtq *q, uint16_t head)
{
    q->avail[2 + (q->avail_idx % q->size)] = head;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);      /* ring entry before idx */
    q->avail_idx++;
    q->avail[1] = q->avail_idx;
}

void virtq_notify(struct virtq *q)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);      /* idx before the notify */
    /* virtio 1.x 2.7.10 (no EVENT_IDX): with VIRTQ_USED_F_NO_NOTIFY set the
       device is already processing this queue and the driver SHOULD NOT
       notify. Every notify is an exit to the device model (an MMIO write):
       this spares one per received frame while QEMU has RX buffers. */
    if (q->used_hdr[0] & VIRTQ_USED_F_NO_NOTIFY) {
        q->notifies_skipped++;
        return;
    }
    q->notifies++;
    *q->notify = q->index;
}

bool virtq_pop_used(struct virtq *q, uint32_t *id, uint32_t *len)
{
    uint16_t used_idx = q->used_hdr[1];
    if (used_idx == q->last_used)
        return false;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);      /* idx before the element */
    volatile struct virtq_used_elem *e = &q->used[q->last_used % q->size];
    *id = e->id;
    *len = e->len;
    q->last_used++;
    return true;
}
