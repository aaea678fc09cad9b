/* see drivers.h: the probe table. A new driver is one line here. */
#include "drivers/drivers.h"
#include "drivers/virtio_net.h"
#include "drivers/virtio_rng.h"

static const struct driver drivers[] = {
    { "virtio-rng", DRIVER_ENTROPY, 0x1AF4, { 0x1044, 0x1005 }, virtio_rng_start, NULL },
    { "virtio-net", DRIVER_NET, 0x1AF4, { 0x1041, 0x1000 }, NULL, virtio_net_start },
};

/* The first PCI function the entry takes, or NULL. */
static const struct pci_dev *find(const struct driver *d)
{
    for (int i = 0; i < 2 && d->device[i]; i++) {
        const struct pci_dev *p = pci_find(d->vendor, d->device[i], 0);
        if (p)
            return p;
    }
    return NULL;
}

void drivers_start_entropy(void)
{
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
        const struct pci_dev *p = drivers[i].kind == DRIVER_ENTROPY ? find(&drivers[i]) : NULL;
        if (p)
            drivers[i].start_entropy(p);
    }
}

struct netdev *drivers_start_net(const char **why)
{
    *why = "no virtio-net device";
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
        const struct pci_dev *p = drivers[i].kind == DRIVER_NET ? find(&drivers[i]) : NULL;
        if (p)
            return drivers[i].start_net(p, why);
    }
    return NULL;
}
