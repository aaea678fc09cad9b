/* PCI: enumerates every bus through configuration mechanism #1 (ports
   0xCF8/0xCFC), keeps a table of the functions found, finds devices by id,
   walks capability lists, sizes and maps BARs, enables bus mastering. */
#ifndef KERNEL_PCI_H
#define KERNEL_PCI_H
#include <stdint.h>
#include <stdbool.h>

#define PCI_MAX_DEVICES 64

struct pci_dev {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if, revision, header_type;
};

void pci_init(void);
/* index-th function with this vendor and device id, or NULL. */
const struct pci_dev *pci_find(uint16_t vendor, uint16_t device, int index);
const char *pci_class_name(uint8_t class_code, uint8_t subclass);
void pci_print(void);

uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
uint16_t pci_read16(const struct pci_dev *d, uint8_t off);
uint8_t  pci_read8(const struct pci_dev *d, uint8_t off);
void     pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v);
void     pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);

/* Offset of the first capability with this id at or after `after` (0 = from
   the start), or 0 when there is none. */
uint8_t  pci_find_cap(const struct pci_dev *d, uint8_t cap_id, uint8_t after);

struct pci_bar { uint64_t addr, size; bool io, is64, prefetch; };
/* Decodes and sizes BAR n (0-5); returns false when it is unused. */
bool     pci_bar(const struct pci_dev *d, int n, struct pci_bar *out);
/* Maps a memory BAR uncached and returns its address, or NULL. */
void    *pci_map_bar(const struct pci_dev *d, int n, uint64_t *size);
/* Sets memory space, I/O space and bus master in the command register. */
void     pci_enable(const struct pci_dev *d);

#endif
