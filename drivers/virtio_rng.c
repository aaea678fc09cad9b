/* virtio-rng (virtio 1.2 section 5.4): one request queue; each request is a
   device-writable buffer the device fills with entropy. Registered with
   kernel/random.h as an entropy source by virtio_rng_start(). Polled with a
   timeout, so a stuck device cannot hang the boot. */
#include "kernel/console.h"
#include "kernel/mem.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include "drivers/virtio.h"
#include "drivers/virtio_rng.h"
#include <string.h>

static struct virtio_dev dev;
static struct virtq q;
static uint8_t *buf;

static size_t rng_read(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    size_t got = 0;
    while (got < len) {
        size_t want = len - got > 4096 ? 4096 : len - got;
        q.desc[0].addr = (uint64_t)buf;
        q.desc[0].len = (uint32_t)want;
        q.desc[0].flags = VIRTQ_DESC_F_WRITE;
        virtq_push(&q, 0);
        virtq_notify(&q);
        uint32_t id, n = 0;
        uint64_t t0 = time_ms();
        while (!virtq_pop_used(&q, &id, &n)) {
            if (time_ms() - t0 > 500)
                return got;              /* the queue is now unusable: report what we have */
        }
        if (n == 0 || n > want)
            return got;
        memcpy(out + got, buf, n);
        memset(buf, 0, n);
        got += n;
    }
    return got;
}

void virtio_rng_start(const struct pci_dev *p)
{
    const char *why = "";
    if (!virtio_init(&dev, p, 0, &why) || !virtio_queue_setup(&dev, &q, 0, 8)) {
        kprintf("random: virtio-rng unusable: %s\n", why);
        return;
    }
    buf = (uint8_t *)frame_alloc(1);
    if (!buf)
        return;
    virtio_driver_ok(&dev);
    random_register_source("virtio-rng", rng_read, NULL);
}
