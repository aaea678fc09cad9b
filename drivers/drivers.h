/* The device drivers and the one table that finds them (drivers/probe.c):
   each entry names a driver, the PCI ids it takes (virtio 1.x modern id and
   the transitional one) and how to start it. kmain starts the entropy
   devices before random_init; the network's kernel binding
   (net/net_kernel.c) starts the first network device when a job needs it.
   QEMU's fw_cfg (drivers/fw_cfg.h) is no PCI device and not in the table:
   kmain reads its files at boot, before the options are parsed.
   Kernel-only. */
#ifndef DRIVERS_DRIVERS_H
#define DRIVERS_DRIVERS_H
#include <stdint.h>
#include "kernel/pci.h"
#include "net/net.h"

enum driver_kind { DRIVER_ENTROPY, DRIVER_NET };

struct driver {
    const char *name;
    enum driver_kind kind;
    uint16_t vendor;
    uint16_t device[2];      /* ids tried in order; 0 ends */
    /* DRIVER_ENTROPY: starts p and registers it with kernel/random.h */
    void (*start_entropy)(const struct pci_dev *p);
    /* DRIVER_NET: starts p; NULL with *why when it cannot */
    struct netdev *(*start_net)(const struct pci_dev *p, const char **why);
};

/* Starts every entropy device of the table found on PCI. */
void drivers_start_entropy(void);
/* Starts the first network device of the table found on PCI; NULL with
   *why ("no network device", or the driver's reason) otherwise. */
struct netdev *drivers_start_net(const char **why);

#endif
