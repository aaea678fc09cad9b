/* Happy Eyeballs version 2 (RFC 8305): connecting to a name that has IPv6
   and IPv4 addresses. The caller resolves both types at once and hands
   each family's addresses in as they arrive (he_answer); he_step, called
   as often as the caller likes with its own clock, decides when to start
   which attempt:
     - the first attempt starts when AAAA answers are in, or when A answers
       are in and AAAA is done or has not come within HE_RESOLUTION_DELAY_MS
       (50 ms, RFC 8305 3) of them; AAAA answers arriving later join the
       addresses still to try;
     - the families alternate, IPv6 first (First Address Family Count 1,
       RFC 8305 4), each family's addresses in the order DNS gave them;
     - the next attempt starts HE_ATTEMPT_DELAY_MS (250 ms, the Connection
       Attempt Delay, RFC 8305 5) after the previous one started, or at
       once when an attempt fails;
     - the first attempt to connect wins; every other one still running is
       aborted. When every attempt has failed and no answers are awaited,
       the whole fails with the error of the first address attempted.
   Portable: no kernel, no clock, no sockets of its own. The caller's
   connect/poll/abort callbacks start, watch and drop connections; an
   optional allow callback refuses an address before any packet goes to it
   (counted as a failed attempt). A family asked for alone, or a single
   address, is attempted at once: there is nothing to race.
   The caller owns struct he (no allocation; the addresses are copied). */
#ifndef NET_HAPPY_EYEBALLS_H
#define NET_HAPPY_EYEBALLS_H
#include <stdbool.h>
#include <stdint.h>
#include "lib/ip_addr.h"
#include "net/net_err.h"

#define HE_RESOLUTION_DELAY_MS 50
#define HE_ATTEMPT_DELAY_MS    250
#define HE_MAX_ADDRS           16   /* per family; more are dropped */

enum he_poll {
    HE_POLL_PENDING = 0,   /* still connecting */
    HE_POLL_CONNECTED,
    HE_POLL_FAILED,        /* *err says why */
};

struct he_ops {
    /* Starts connecting to a:port without waiting: a handle >= 0, or -1
       with *err when it fails at once. */
    int (*connect)(void *ctx, const struct ip_addr *a, uint16_t port, enum net_err *err);
    /* The state of a started attempt. */
    enum he_poll (*poll)(void *ctx, int handle, enum net_err *err);
    /* Drops a started attempt that did not win (or all, on he_cancel). */
    void (*abort)(void *ctx, int handle);
    /* Optional (NULL: every address allowed): false refuses a. */
    bool (*allow)(void *ctx, const struct ip_addr *a);
    void *ctx;
};

enum he_status {
    HE_RUNNING = 0,
    HE_CONNECTED,          /* winner and winner_addr are set */
    HE_FAILED,             /* first_* name the failure (attempts 0: no address) */
};

struct he_attempt {
    struct ip_addr addr;
    int handle;
    uint64_t started_ms;
};

struct he {
    const struct he_ops *ops;
    uint16_t port;
    enum he_status status;
    /* resolution: [0] IPv6, [1] IPv4 */
    bool want[2], done[2];
    uint64_t a_done_ms;            /* when the A answers came (the 50 ms wait) */
    struct ip_addr addrs[2][HE_MAX_ADDRS];
    int naddr[2], taken[2];        /* addresses known; attempted so far */
    int last_family;               /* index of the last attempt's family, -1 none */
    /* attempts */
    struct he_attempt live[2 * HE_MAX_ADDRS];
    int nlive;
    int attempts;                  /* started or refused, in all */
    uint64_t last_start_ms;
    /* outcome */
    int winner;                    /* handle, HE_CONNECTED */
    struct ip_addr winner_addr;
    struct ip_addr first_addr;     /* the first address attempted ... */
    enum net_err first_err;        /* ... its error, once it failed */
    bool first_refused;            /* ... refused by allow() */
    bool first_failed;
    int failures;
};

/* Starts a race for port: want_v6/want_v4 say which families were asked
   (an unasked family counts as answered with nothing). */
void he_init(struct he *h, const struct he_ops *ops, uint16_t port, bool want_v6, bool want_v4,
             uint64_t now_ms);
/* One family's resolution finished with n addresses (0: none, for any
   reason); addresses of the other family in a are skipped. */
void he_answer(struct he *h, enum ip_family family, const struct ip_addr *a, int n,
               uint64_t now_ms);
/* Polls the attempts, starts those that are due; the status after. */
enum he_status he_step(struct he *h, uint64_t now_ms);
/* Aborts every attempt still running (the caller's deadline passed); the
   status becomes HE_FAILED with first_err NET_ERR_CONNECT_TIMEOUT when no
   attempt had failed yet. */
void he_cancel(struct he *h);
/* The longest the caller may wait before the next he_step changes
   anything by the clock alone (a poll may change it sooner): ms from
   now_ms, 0 when due now. */
uint32_t he_next_timer_ms(const struct he *h, uint64_t now_ms);

#endif
