/* TLS client connections for the app jobs, kernel-only: DNS + TCP connect
   (app/app_tcp.h), then a TLS 1.3 handshake over tls/tls_io.h with the
   X.509 verifier (tls/tls_x509.h) against the built-in anchors
   (tls/anchors.h) at time_unix(), randomness from kernel/random.h (refused
   while !random_ready()). On failure err is the layer's error as an enum
   app_err (app/app_err.h; app_err_str: dns_nxdomain, tcp_refused, timeout,
   cert_untrusted, hostname_mismatch, cert_expired, alert_received,
   no_entropy, ...) and detail says more.
   Options come in struct app_tls_opts (suites and groups offered,
   resumption, receive pipeline), not from the command line.
   Files: tls_connect.c (DNS + TCP + handshake, the byte stream, close),
   tls_session_cache.c (the kept ticket), tls_offload.c (the second-CPU
   receive pipeline), tls_opts_cmdline.c (options from the command line,
   until the jobs' option table has them).
   Resumption (RFC 8446 2.2, psk_dhe_ke): the first ticket a connection
   receives is kept (one, in static memory) and offered once by the job's
   next connection to the same host and port, within an hour and the
   ticket's lifetime; that connection skips the certificate exchange (the
   ticket comes from a connection that verified this host name) and still
   runs a fresh (EC)DHE exchange. tls_resume=0 (opts.resume) turns it off;
   app_tls_forget_tickets() wipes the kept ticket.
   With two CPUs (kernel/smp.h) received records are read ahead and
   decrypted on the second one (tls_set_rx_pipeline); tls_pipeline=0
   (opts.pipeline) turns that off.
   Memory (opts.mem, app/mem_profile.h): the handshake buffer and the
   engine's record buffers are one heap block sized by the profile
   (16 KiB + 16645 + 4096 bytes by default, 8 KiB + 2070 + 3072 with
   mem=small), taken at the first connect and kept for the next ones of the
   same profile; the TCP rings come from net/'s arena at the sizes the
   profile asks for. struct app_tls itself is about 9 KiB: get one with
   app_tls_new() (kernel heap) and give it back with app_tls_free(), which
   closes and wipes it (and frees the buffers and the pipeline's slots).
   app_tls_mem() says what one connection took. */
#ifndef APP_APP_TLS_H
#define APP_APP_TLS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app/app_err.h"
#include "app/app_tcp.h"
#include "app/mem_profile.h"
#include "lib/byte_stream.h"
#include "tls/tls.h"
#include "tls/tls_io.h"
#include "tls/tls_x509.h"

/* Receive pipeline slots when a second CPU decrypts records (kernel/smp.h):
   8 records read ahead, about 260 KiB from the heap per connection. */
#define APP_TLS_PIPE_SLOTS 8
/* Records queued on the second CPU at once; the boot CPU opens the others
   while it waits. Measured under TCG (128 MiB, AES-256-GCM, whose open runs
   at ~22 MB/s in the guest): 2 gave 18.4-19.3 MB/s, 1 gave 16.0-17.5, no
   limit (the AP opens all) 17.7; ChaCha20-Poly1305 is AP-only either way. */
#define APP_TLS_PIPE_JOBS 2

/* The TLS keys of the command line (parsed by app/keys.c). */
struct app_tls_opts {
    uint16_t suites[3];    /* tls_suites=, in preference order */
    size_t   nsuites;      /* 0: the kernel's default order */
    uint16_t groups[TLS_MAX_GROUPS]; /* tls_groups=, in preference order */
    size_t   ngroups;      /* 0: the engine's default (X25519MLKEM768 first) */
    bool     resume;       /* tls_resume=, default 1 */
    bool     pipeline;     /* tls_pipeline=, default 1 */
    enum app_mem mem;      /* mem=, default APP_MEM_DEFAULT (app/mem_profile.h) */
    /* NULL, or a check of the address connected to (app/app_tcp.h): the
       tools' policy; not a command-line key */
    const struct app_addr_check *addr_check;
};

struct app_tls {
    struct app_tcp     tcp;
    struct tls_config  cfg;
    struct tls_x509    x509;
    struct tls_io      io;
    bool               connected;  /* handshake done, not yet closed */
    bool               tcp_open;
    enum app_err       err;        /* APP_OK until an error */
    char               detail[128];
    uint32_t           connect_ms, handshake_ms;
    struct tls_rx_slot *slots;     /* NULL: records are decrypted in line */
    uint16_t           port;       /* with tls_host(&conn): the ticket cache's key */
    bool               ticket_kept; /* this connection's ticket went to the cache */
    struct app_tls_opts opts;      /* of the current connection */
    uint16_t           suites[3];  /* offered (cfg.suites points here) */
    struct tls_offload off;
    /* handshake, record receive and send buffers, one heap block */
    uint8_t           *bufs;
    size_t             hs_cap, rx_cap, tx_cap;
    enum app_mem       bufs_mem;   /* the profile they were sized for */
    struct tls_conn    conn;
};

/* What one connection holds, in bytes: struct app_tls (engine, verifier,
   transport state), its TLS buffers as granted, the receive pipeline's
   slots, the TCP socket's state and rings (net/tcp.h tcp_get_mem); and
   the record size the server agreed to (max_fragment_length, 0: none). */
struct app_tls_mem { size_t tls, tls_bufs, pipe, tcp, tcp_rx, tcp_tx, peer_frag; };
void app_tls_mem(const struct app_tls *t, struct app_tls_mem *m);

struct app_tls *app_tls_new(void);
void app_tls_free(struct app_tls *t);
/* DNS + TCP + handshake for host:port (SNI and certificate name = host). */
bool app_tls_connect(struct app_tls *t, const struct app_tls_opts *o, const char *host,
                     uint16_t port, uint32_t timeout_ms);
/* close_notify + TCP close (idempotent). */
void app_tls_close(struct app_tls *t);
/* A byte stream through t: reads give > 0 bytes, 0 at the server's
   close_notify, HTTP_STREAM_END_UNAUTHENTICATED (http/http_client.h) at a
   TCP end without close_notify, other < 0 on an error; a write sends all
   its bytes or fails (t->err, t->detail say why). */
void app_tls_stream(struct app_tls *t, struct byte_stream *s);
/* True when the server accepted the offered ticket. */
bool app_tls_resumed(const struct app_tls *t);
/* Wipes the kept ticket (each job starts without one). */
void app_tls_forget_tickets(void);

/* Internal to app/tls_*.c. The session cache (tls_session_cache.c): keeps
   the connection's first ticket once it has one (when t->opts.resume);
   offers the kept one to a new connection to the same host and port (true
   when offered); wipes it once the handshake that used it is over. */
void app_tls_cache_keep(struct app_tls *t);
bool app_tls_cache_offer(struct app_tls *t);
void app_tls_cache_used(void);
/* The receive pipeline (tls_offload.c): sets it up on t->conn and t->io when
   t->opts.pipeline and a second CPU is there (in line without memory). */
void app_tls_offload_setup(struct app_tls *t);
/* Prints the receive pipeline's line when there is one:
   "tls: rx_pipeline records_offloaded=N records_inline=M" (counts so far). */
void app_tls_report(const struct app_tls *t);
/* "TLS_AES_128_GCM_SHA256 group=x25519 sig=ecdsa_secp256r1_sha256" parts. */
const char *app_tls_suite(const struct app_tls *t);
const char *app_tls_group(const struct app_tls *t);
const char *app_tls_sig(const struct app_tls *t);

#endif
