/* see happy_eyeballs.h */
#include "net/happy_eyeballs.h"
#include <string.h>

enum { F6 = 0, F4 = 1 };

void he_init(struct he *h, const struct he_ops *ops, uint16_t port, bool want_v6, bool want_v4,
             uint64_t now_ms)
{
    memset(h, 0, sizeof *h);
    h->ops = ops;
    h->port = port;
    h->status = HE_RUNNING;
    h->want[F6] = want_v6;
    h->want[F4] = want_v4;
    h->done[F6] = !want_v6;
    h->done[F4] = !want_v4;
    h->last_family = -1;
    h->winner = -1;
    h->last_start_ms = now_ms;
}

void he_answer(struct he *h, enum ip_family family, const struct ip_addr *a, int n,
               uint64_t now_ms)
{
    int f = family == IP_FAMILY_V6 ? F6 : family == IP_FAMILY_V4 ? F4 : -1;
    if (f < 0 || h->done[f])
        return;
    h->done[f] = true;
    if (f == F4)
        h->a_done_ms = now_ms;
    for (int i = 0; i < n && h->naddr[f] < HE_MAX_ADDRS; i++)
        if (a[i].family == family)
            h->addrs[f][h->naddr[f]++] = a[i];
}

static bool remaining(const struct he *h, int f)
{
    return h->taken[f] < h->naddr[f];
}

/* RFC 8305 3: may the first attempt start? Once one has, new addresses
   simply join the remaining ones. */
static bool may_start(const struct he *h, uint64_t now_ms)
{
    if (h->attempts)
        return true;
    if (remaining(h, F6))
        return true;                              /* AAAA first: go */
    if (!remaining(h, F4))
        return false;
    if (h->done[F6])
        return true;                              /* AAAA done without addresses */
    return now_ms - h->a_done_ms >= HE_RESOLUTION_DELAY_MS;
}

/* The next address: the other family than the last attempt's when it has
   one left (IPv6 first), else the same family. -1 when none is left. */
static int pick_family(const struct he *h)
{
    int pref = h->last_family == F6 ? F4 : F6;
    if (remaining(h, pref))
        return pref;
    if (remaining(h, 1 - pref))
        return 1 - pref;
    return -1;
}

static void record_failure(struct he *h, const struct ip_addr *a, enum net_err e, bool refused)
{
    h->failures++;
    if (!h->first_failed && ip_addr_eq(a, &h->first_addr)) {
        h->first_failed = true;
        h->first_err = e;
        h->first_refused = refused;
    }
}

/* Starts attempts on the next addresses until one is running (an address
   refused or failing at once moves on to the next). */
static void start_next(struct he *h, uint64_t now_ms)
{
    int f;
    while ((f = pick_family(h)) >= 0) {
        struct ip_addr a = h->addrs[f][h->taken[f]++];
        h->last_family = f;
        if (h->attempts++ == 0)
            h->first_addr = a;
        if (h->ops->allow && !h->ops->allow(h->ops->ctx, &a)) {
            record_failure(h, &a, NET_OK, true);
            continue;
        }
        enum net_err e = NET_OK;
        int s = h->ops->connect(h->ops->ctx, &a, h->port, &e);
        if (s < 0) {
            record_failure(h, &a, e, false);
            continue;
        }
        struct he_attempt *t = &h->live[h->nlive++];
        t->addr = a;
        t->handle = s;
        t->started_ms = now_ms;
        h->last_start_ms = now_ms;
        return;
    }
}

enum he_status he_step(struct he *h, uint64_t now_ms)
{
    if (h->status != HE_RUNNING)
        return h->status;
    bool failed_now = false;
    for (int i = 0; i < h->nlive;) {
        enum net_err e = NET_OK;
        enum he_poll p = h->ops->poll(h->ops->ctx, h->live[i].handle, &e);
        if (p == HE_POLL_CONNECTED) {
            h->winner = h->live[i].handle;
            h->winner_addr = h->live[i].addr;
            for (int k = 0; k < h->nlive; k++)
                if (k != i)
                    h->ops->abort(h->ops->ctx, h->live[k].handle);
            h->nlive = 0;
            h->status = HE_CONNECTED;
            return h->status;
        }
        if (p == HE_POLL_FAILED) {
            record_failure(h, &h->live[i].addr, e, false);
            h->live[i] = h->live[--h->nlive];
            failed_now = true;
            continue;
        }
        i++;
    }
    if (may_start(h, now_ms) && pick_family(h) >= 0 &&
        (h->attempts == 0 || failed_now || h->nlive == 0 ||
         now_ms - h->last_start_ms >= HE_ATTEMPT_DELAY_MS))
        start_next(h, now_ms);
    if (h->nlive == 0 && pick_family(h) < 0 && h->done[F6] && h->done[F4])
        h->status = HE_FAILED;
    return h->status;
}

void he_cancel(struct he *h)
{
    for (int i = 0; i < h->nlive; i++)
        h->ops->abort(h->ops->ctx, h->live[i].handle);
    h->nlive = 0;
    if (h->status == HE_RUNNING) {
        h->status = HE_FAILED;
        if (h->attempts && !h->first_failed) {
            h->first_failed = true;
            h->first_err = NET_ERR_CONNECT_TIMEOUT;
        }
    }
}

uint32_t he_next_timer_ms(const struct he *h, uint64_t now_ms)
{
    if (h->status != HE_RUNNING)
        return 0;
    uint64_t due = 0;
    if (!h->attempts) {
        if (remaining(h, F4) && !h->done[F6])
            due = h->a_done_ms + HE_RESOLUTION_DELAY_MS;
        else
            return remaining(h, F6) || remaining(h, F4) ? 0 : HE_ATTEMPT_DELAY_MS;
    } else if (pick_family(h) >= 0) {
        due = h->last_start_ms + HE_ATTEMPT_DELAY_MS;
    } else {
        return HE_ATTEMPT_DELAY_MS;     /* only polls can change anything */
    }
    return due > now_ms ? (uint32_t)(due - now_ms) : 0;
}
