/* A second CPU as a worker: smp_init starts ONE application processor (the
   first enabled one the ACPI MADT lists besides the boot CPU) with the
   INIT-SIPI-SIPI sequence of the Intel SDM (vol. 3A 9.4.4), and smp_run
   hands it jobs through a fixed single-producer (boot CPU) / single-consumer
   (AP) ring of SMP_RING_SLOTS entries.

   The AP sleeps in HLT while the ring is empty; the boot CPU wakes it with a
   fixed IPI (SMP_WAKE_VECTOR) only when the AP said it is idle (and, for
   smp_run_batched, only once two jobs wait or on smp_kick). Interrupts
   stay disabled everywhere except inside the AP's `sti; hlt`; the boot CPU
   never enables them, and no IPI ever targets it.

   Owns: the AP's 64 KiB stack and the ring (static storage), the page at
   physical 0x8000 (the trampoline, kernel/ap_boot.asm; frames below 1 MiB
   are never handed out by kernel/mem.c) and IDT vectors SMP_WAKE_VECTOR and
   SMP_SPURIOUS_VECTOR.

   Rules for jobs: they run on the AP with interrupts off and must not print
   (kprintf is not SMP-safe), allocate (kmalloc is not either) or touch state
   the boot CPU uses meanwhile. Completion is the caller's business: a job
   writes its own flag (with __atomic_store_n(..., __ATOMIC_RELEASE)). */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H
#include <stdbool.h>
#include <stdint.h>

#define SMP_RING_SLOTS      64
#define SMP_WAKE_VECTOR     0xF0
#define SMP_SPURIOUS_VECTOR 0xFF
#define SMP_TRAMPOLINE      0x8000   /* physical; SIPI vector 0x08 */

/* Boot CPU, once, after time_init (it sleeps) and before any job: finds
   the AP, sets up the local APIC and sends INIT; with enabled false (smp=0)
   it starts nothing. Prints a
   `smp: 1 cpu (why)` line when there is no AP to start; returns 1. */
int smp_init(bool enabled);

/* Boot CPU, once, some time after smp_init (the SDM's 10 ms after INIT are
   spent on other boot work; any shortfall is slept): sends the SIPIs and
   waits for the AP. Prints `smp: 2 cpus (...)` or why not and returns the
   number of CPUs running: 1 when disabled, without an AP or when the AP
   does not start. */
int smp_start(void);

/* 1 or 2. */
int smp_cpus(void);

/* Boot CPU only: queues fn(arg) for the AP. False when there is no AP or the
   ring is full: the caller then does the work itself. */
bool smp_run(void (*fn)(void *arg), void *arg);
/* The same, but a sleeping AP is woken only once a second job waits: one
   IPI for two jobs (each costs the boot CPU ~19 us under TCG, see
   README). A job left waiting starts with the next job or smp_kick: call
   that before waiting for it. */
bool smp_run_batched(void (*fn)(void *arg), void *arg);
/* Boot CPU only: wakes the AP if jobs wait and it sleeps. */
void smp_kick(void);

struct smp_stats {
    uint64_t ap_jobs;        /* jobs the AP has finished */
    uint64_t ipis;           /* wake-up IPIs the boot CPU sent */
    uint64_t halts;          /* times the AP went to sleep in HLT */
    bool ap_idle;            /* the AP found the ring empty and sleeps (or is about to) */
};

void smp_get_stats(struct smp_stats *s);

/* Prints `smp: ap_jobs=N ipis=M halts=K` when an AP runs; nothing otherwise. */
void smp_report(void);

#endif
