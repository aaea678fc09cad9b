/* selftest=speed: measures, inside the guest, the throughput of memcpy,
   SHA-256, ChaCha20, Poly1305 and the three TLS AEADs' open over 16 KiB
   records (the HTTPS receive path's per-byte work) and prints one line each:
   "speed: NAME MB/s=X.Y". Owns its buffers (kmalloc'd, freed, keys wiped).
   Not part of selftest=all: a figure, not a check (a failed AEAD open is). */
#ifndef APP_JOB_SPEED_H
#define APP_JOB_SPEED_H

int app_speed_report(void);   /* 0, or 1 when a primitive failed or memory ran out */

#endif
