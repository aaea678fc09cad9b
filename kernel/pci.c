/* see pci.h. PCI Local Bus Specification 3.0, section 3.2.2.3.2 (config
   mechanism #1) and 6.2.5 (base address registers). */
#include "kernel/pci.h"
#include "kernel/cpu.h"
#include "kernel/console.h"
#include "kernel/paging.h"

static struct pci_dev devs[PCI_MAX_DEVICES];
static int ndevs;

static uint32_t cfg_addr(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
    return 0x80000000u | ((uint32_t)bus << 16) | ((uint32_t)dev << 11) |
           ((uint32_t)fn << 8) | (off & 0xFC);
}

static uint32_t cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
    outl(0xCF8, cfg_addr(bus, dev, fn, off));
    return inl(0xCFC);
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t off) { return cfg_read(d->bus, d->dev, d->fn, off); }
uint16_t pci_read16(const struct pci_dev *d, uint8_t off) { return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8)); }
uint8_t  pci_read8(const struct pci_dev *d, uint8_t off) { return (uint8_t)(pci_read32(d, off) >> ((off & 3) * 8)); }

void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
    outl(0xCF8, cfg_addr(d->bus, d->dev, d->fn, off));
    outl(0xCFC, v);
}

void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
    outl(0xCF8, cfg_addr(d->bus, d->dev, d->fn, off));
    outw((uint16_t)(0xCFC + (off & 2)), v);
}

static void probe_fn(uint8_t bus, uint8_t dev, uint8_t fn)
{
    uint32_t id = cfg_read(bus, dev, fn, 0);
    if ((id & 0xFFFF) == 0xFFFF || ndevs >= PCI_MAX_DEVICES)
        return;
    struct pci_dev *d = &devs[ndevs++];
    d->bus = bus;
    d->dev = dev;
    d->fn = fn;
    d->vendor = (uint16_t)id;
    d->device = (uint16_t)(id >> 16);
    uint32_t cls = cfg_read(bus, dev, fn, 8);
    d->revision = (uint8_t)cls;
    d->prog_if = (uint8_t)(cls >> 8);
    d->subclass = (uint8_t)(cls >> 16);
    d->class_code = (uint8_t)(cls >> 24);
    d->header_type = (uint8_t)(cfg_read(bus, dev, fn, 0x0C) >> 16);
}

void pci_init(void)
{
    ndevs = 0;
    /* every bus, brute force: cheap and independent of bridge set-up */
    for (unsigned bus = 0; bus < 256; bus++) {
        for (uint8_t dev = 0; dev < 32; dev++) {
            uint32_t id = cfg_read((uint8_t)bus, dev, 0, 0);
            if ((id & 0xFFFF) == 0xFFFF)
                continue;
            probe_fn((uint8_t)bus, dev, 0);
            uint8_t ht = (uint8_t)(cfg_read((uint8_t)bus, dev, 0, 0x0C) >> 16);
            if (ht & 0x80)
                for (uint8_t fn = 1; fn < 8; fn++)
                    probe_fn((uint8_t)bus, dev, fn);
        }
    }
}

const struct pci_dev *pci_find(uint16_t vendor, uint16_t device, int index)
{
    for (int i = 0; i < ndevs; i++)
        if (devs[i].vendor == vendor && devs[i].device == device && index-- == 0)
            return &devs[i];
    return 0;
}

const char *pci_class_name(uint8_t c, uint8_t s)
{
    switch (c) {
    case 0x01: return s == 0x01 ? "IDE controller" : s == 0x06 ? "SATA controller" : "storage";
    case 0x02: return "network controller";
    case 0x03: return "display controller";
    case 0x06: return s == 0x00 ? "host bridge" : s == 0x01 ? "ISA bridge" : s == 0x80 ? "bridge" : "bridge";
    case 0x0C: return s == 0x03 ? "USB controller" : "serial bus";
    case 0x00: return s == 0xFF ? "unclassified" : "unclassified";
    case 0xFF: return "unassigned";
    default:
        return c == 0x08 ? "system peripheral" : c == 0x10 ? "crypto controller" : "other";
    }
}

static const char *virtio_name(uint16_t device)
{
    switch (device) {
    case 0x1000: case 0x1041: return "virtio-net";
    case 0x1001: case 0x1042: return "virtio-blk";
    case 0x1005: case 0x1044: return "virtio-rng";
    default: return "virtio";
    }
}

void pci_print(void)
{
    for (int i = 0; i < ndevs; i++) {
        const struct pci_dev *d = &devs[i];
        const char *name = d->vendor == 0x1AF4 ? virtio_name(d->device)
                                               : pci_class_name(d->class_code, d->subclass);
        kprintf("pci: %02x:%02x.%x %04x:%04x class %02x.%02x %s\n", d->bus, d->dev, d->fn,
                d->vendor, d->device, d->class_code, d->subclass, name);
    }
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t cap_id, uint8_t after)
{
    if (!(pci_read16(d, 0x06) & 0x10))
        return 0;                                  /* no capability list */
    uint8_t off = after ? pci_read8(d, (uint8_t)(after + 1)) : pci_read8(d, 0x34);
    for (int guard = 0; off >= 0x40 && guard < 48; guard++) {
        off &= 0xFC;
        if (pci_read8(d, off) == cap_id)
            return off;
        off = pci_read8(d, (uint8_t)(off + 1));
    }
    return 0;
}

bool pci_bar(const struct pci_dev *d, int n, struct pci_bar *out)
{
    if (n < 0 || n > 5)
        return false;
    uint8_t off = (uint8_t)(0x10 + 4 * n);
    uint32_t lo = pci_read32(d, off);
    out->io = lo & 1;
    out->is64 = !out->io && ((lo >> 1) & 3) == 2;
    out->prefetch = !out->io && (lo & 8);
    /* size: write all ones, read back, restore (decode off meanwhile) */
    uint16_t cmd = pci_read16(d, 0x04);
    pci_write16(d, 0x04, (uint16_t)(cmd & ~0x3));
    pci_write32(d, off, 0xFFFFFFFFu);
    uint32_t szlo = pci_read32(d, off);
    pci_write32(d, off, lo);
    uint64_t addr, mask;
    if (out->io) {
        addr = lo & ~0x3u;
        mask = (szlo & ~0x3u) | 0xFFFF0000u;
        mask |= 0xFFFFFFFF00000000ull;
    } else if (out->is64 && n < 5) {
        uint32_t hi = pci_read32(d, (uint8_t)(off + 4));
        pci_write32(d, (uint8_t)(off + 4), 0xFFFFFFFFu);
        uint32_t szhi = pci_read32(d, (uint8_t)(off + 4));
        pci_write32(d, (uint8_t)(off + 4), hi);
        addr = ((uint64_t)hi << 32) | (lo & ~0xFu);
        mask = ((uint64_t)szhi << 32) | (szlo & ~0xFu);
    } else {
        addr = lo & ~0xFu;
        mask = (szlo & ~0xFu) | 0xFFFFFFFF00000000ull;
    }
    pci_write16(d, 0x04, cmd);
    out->addr = addr;
    out->size = mask ? (~mask + 1) : 0;
    return out->size != 0 && (lo != 0 || out->is64);
}

void *pci_map_bar(const struct pci_dev *d, int n, uint64_t *size)
{
    struct pci_bar b;
    if (!pci_bar(d, n, &b) || b.io || b.addr == 0)
        return 0;
    if (vm_map_mmio(b.addr, b.size) != 0)
        return 0;
    if (size)
        *size = b.size;
    return (void *)b.addr;
}

void pci_enable(const struct pci_dev *d)
{
    uint16_t cmd = pci_read16(d, 0x04);
    pci_write16(d, 0x04, (uint16_t)(cmd | 0x7));   /* I/O, memory, bus master */
}
