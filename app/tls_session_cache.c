/* The kept session ticket of the app jobs' TLS connections: one entry in
   static memory, keyed on host and port, offered once (RFC 8446 C.4) and
   wiped after the handshake that used it. see app_tls.h */
#include "app/app_tls.h"
#include "crypto/crypto.h"
#include "kernel/time.h"
#include <string.h>

#define TICKET_MAX_AGE_MS (3600u * 1000u)
static struct {
    bool valid;
    char host[256];
    uint16_t port;
    uint64_t got_ms;
    struct tls_ticket t;     /* holds the resumption PSK: wiped when used */
} kept;

void app_tls_forget_tickets(void)
{
    crypto_zeroize(&kept, sizeof kept);
}

void app_tls_cache_keep(struct app_tls *t)
{
    const struct tls_ticket *tk = t->ticket_kept ? NULL : tls_ticket(&t->conn);
    if (!tk || !t->opts.resume)
        return;
    crypto_zeroize(&kept, sizeof kept);
    memcpy(kept.host, tls_host(&t->conn), sizeof kept.host);
    kept.port = t->port;
    kept.got_ms = time_ms();
    kept.t = *tk;
    kept.valid = true;
    t->ticket_kept = true;
}

/* kept's copy must live through the handshake (app_tls_cache_used). */
bool app_tls_cache_offer(struct app_tls *t)
{
    if (!kept.valid || kept.port != t->port || strcmp(kept.host, tls_host(&t->conn)) != 0 ||
        !t->opts.resume)
        return false;
    kept.valid = false;
    uint64_t age = time_ms() - kept.got_ms;
    if (age >= TICKET_MAX_AGE_MS || age >= (uint64_t)kept.t.lifetime * 1000u)
        return false;
    return tls_client_set_resumption(&t->conn, &kept.t, (uint32_t)age) == TLS_OK;
}

void app_tls_cache_used(void)
{
    crypto_zeroize(&kept, sizeof kept);     /* the PSK is not needed any more */
}
