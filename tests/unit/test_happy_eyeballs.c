/* Happy Eyeballs v2 (net/happy_eyeballs.h) on a fake clock: fake
   connections whose outcome and delay each test scripts per address; the
   tests check which address starts when, who wins, and that the losers
   are aborted. */
#include "unit.h"
#include <string.h>
#include "net/happy_eyeballs.h"

enum outcome { SILENT, CONNECT, REFUSE, FAIL_AT_ONCE };

struct script {
    const char *addr;
    enum outcome what;
    uint64_t after_ms;      /* CONNECT / REFUSE: this long after the start */
};

#define MAXC 16
static struct fake {
    const struct script *sc;
    int nsc;
    uint64_t now;
    struct { struct ip_addr a; uint64_t started; bool aborted; const struct script *s; } conn[MAXC];
    int nconn;
    int refuse_policy_family;   /* allow() refuses this family (0: none) */
    int allow_calls;
} fk;

static struct ip_addr ip(const char *s)
{
    struct ip_addr a;
    assert_int_equal(ip_addr_parse(s, strlen(s), &a), IP_ADDR_OK);
    return a;
}

static const struct script *find(const struct ip_addr *a)
{
    for (int i = 0; i < fk.nsc; i++) {
        struct ip_addr b = ip(fk.sc[i].addr);
        if (ip_addr_eq(a, &b))
            return &fk.sc[i];
    }
    fail_msg("no script for an address");
    return NULL;
}

static int f_connect(void *ctx, const struct ip_addr *a, uint16_t port, enum net_err *err)
{
    (void)ctx;
    assert_int_equal(port, 443);
    const struct script *s = find(a);
    if (s->what == FAIL_AT_ONCE) {
        *err = NET_ERR_NO_ROUTE;
        return -1;
    }
    assert_true(fk.nconn < MAXC);
    fk.conn[fk.nconn].a = *a;
    fk.conn[fk.nconn].started = fk.now;
    fk.conn[fk.nconn].s = s;
    fk.conn[fk.nconn].aborted = false;
    return 100 + fk.nconn++;
}

static enum he_poll f_poll(void *ctx, int h, enum net_err *err)
{
    (void)ctx;
    int i = h - 100;
    assert_true(i >= 0 && i < fk.nconn);
    assert_false(fk.conn[i].aborted);
    const struct script *s = fk.conn[i].s;
    if (s->what == SILENT || fk.now - fk.conn[i].started < s->after_ms)
        return HE_POLL_PENDING;
    if (s->what == CONNECT)
        return HE_POLL_CONNECTED;
    *err = NET_ERR_REFUSED;
    return HE_POLL_FAILED;
}

static void f_abort(void *ctx, int h)
{
    (void)ctx;
    int i = h - 100;
    assert_true(i >= 0 && i < fk.nconn);
    assert_false(fk.conn[i].aborted);   /* never twice */
    fk.conn[i].aborted = true;
}

static bool f_allow(void *ctx, const struct ip_addr *a)
{
    (void)ctx;
    fk.allow_calls++;
    return a->family != fk.refuse_policy_family;
}

static const struct he_ops ops = { f_connect, f_poll, f_abort, f_allow, NULL };

static void reset(const struct script *sc, int n)
{
    memset(&fk, 0, sizeof fk);
    fk.sc = sc;
    fk.nsc = n;
}

/* Steps the race 1 ms at a time until it ends or limit_ms passes. */
static enum he_status run(struct he *h, uint64_t limit_ms)
{
    enum he_status st;
    while ((st = he_step(h, fk.now)) == HE_RUNNING && fk.now < limit_ms)
        fk.now++;
    return st;
}

static int conn_of(const char *addr)
{
    struct ip_addr a = ip(addr);
    for (int i = 0; i < fk.nconn; i++)
        if (ip_addr_eq(&fk.conn[i].a, &a))
            return i;
    return -1;
}

static void answer(struct he *h, const char *const *addrs, int n)
{
    struct ip_addr a[8];
    for (int i = 0; i < n; i++)
        a[i] = ip(addrs[i]);
    he_answer(h, a[0].family == 6 ? IP_FAMILY_V6 : IP_FAMILY_V4, a, n, fk.now);
}

static const char *const V6[] = { "2001:db8::1" };
static const char *const V4[] = { "192.0.2.1" };

/* Both families answer at once; IPv6 connects in 30 ms and wins; IPv4 is
   never started (no 250 ms passed). */
static void test_v6_wins(void **st)
{
    (void)st;
    static const struct script sc[] = { { "2001:db8::1", CONNECT, 30 },
                                        { "192.0.2.1", CONNECT, 10 } };
    reset(sc, 2);
    struct he h;
    he_init(&h, &ops, 443, true, true, 0);
    answer(&h, V4, 1);
    answer(&h, V6, 1);
    assert_int_equal(run(&h, 5000), HE_CONNECTED);
    assert_true(ip_addr_is_v6(&h.winner_addr));
    assert_int_equal(h.winner, 100);
    assert_int_equal(fk.nconn, 1);
    assert_int_equal(fk.now, 30);
    assert_int_equal(fk.conn[0].started, 0);
}

/* IPv6 silent (dropped): IPv4 starts 250 ms after it and wins; the IPv6
   attempt is aborted. */
static void test_v6_silent_v4_at_250(void **st)
{
    (void)st;
    static const struct script sc[] = { { "2001:db8::1", SILENT, 0 },
                                        { "192.0.2.1", CONNECT, 5 } };
    reset(sc, 2);
    struct he h;
    he_init(&h, &ops, 443, true, true, 0);
    answer(&h, V6, 1);
    assert_int_equal(he_step(&h, 0), HE_RUNNING);       /* AAAA first: IPv6 starts */
    assert_int_equal(fk.nconn, 1);
    fk.now = 3;
    answer(&h, V4, 1);
    assert_int_equal(run(&h, 5000), HE_CONNECTED);
    assert_true(ip_addr_is_v4(&h.winner_addr));
    int c6 = conn_of("2001:db8::1"), c4 = conn_of("192.0.2.1");
    assert_int_equal(fk.conn[c6].started, 0);
    assert_int_equal(fk.conn[c4].started, HE_ATTEMPT_DELAY_MS);
    assert_true(fk.conn[c6].aborted);
    assert_false(fk.conn[c4].aborted);
    assert_int_equal(fk.now, HE_ATTEMPT_DELAY_MS + 5);
}

/* IPv6 refused after 20 ms: IPv4 starts at once, not at 250 ms. */
static void test_v6_refused_v4_at_once(void **st)
{
    (void)st;
    static const struct script sc[] = { { "2001:db8::1", REFUSE, 20 },
                                        { "192.0.2.1", CONNECT, 5 } };
    reset(sc, 2);
    struct he h;
    he_init(&h, &ops, 443, true, true, 0);
    answer(&h, V6, 1);
    answer(&h, V4, 1);
    assert_int_equal(run(&h, 5000), HE_CONNECTED);
    assert_true(ip_addr_is_v4(&h.winner_addr));
    assert_int_equal(fk.conn[conn_of("192.0.2.1")].started, 20);
    assert_false(fk.conn[conn_of("2001:db8::1")].aborted);   /* failed, not aborted */
    assert_int_equal(h.failures, 1);
}

/* Both refused: the race fails with the first attempted address's error;
   nothing is left to abort. */
static void test_both_fail_first_error(void **st)
{
    (void)st;
    static const struct script sc[] = { { "2001:db8::1", REFUSE, 400 },
                                        { "192.0.2.1", FAIL_AT_ONCE, 0 } };
    reset(sc, 2);
    struct he h;
    he_init(&h, &ops, 443, true, true, 0);
    answer(&h, V6, 1);
    answer(&h, V4, 1);
    assert_int_equal(run(&h, 5000), HE_FAILED);
    assert_int_equal(h.failures, 2);
    assert_int_equal(h.attempts, 2);
    struct ip_addr want = ip("2001:db8::1");
    assert_true(ip_addr_eq(&h.first_addr, &want));
    assert_int_equal(h.first_err, NET_ERR_REFUSED);   /* though v4 failed first, at 250 ms */
    assert_false(h.first_refused);
    assert_int_equal(fk.now, 400);
    assert_false(fk.conn[0].aborted);
}

/* A arrives first: the race waits up to 50 ms for AAAA. AAAA at 20 ms:
   IPv6 goes first. AAAA never: IPv4 starts at 50 ms, and AAAA arriving
   later joins the race 250 ms after that. */
static void test_resolution_delay(void **st)
{
    (void)st;
    static const struct script sc[] = { { "2001:db8::1", CONNECT, 10 },
                                        { "192.0.2.1", SILENT, 0 } };
    reset(sc, 2);
    struct he h;
    he_init(&h, &ops, 443, true, true, 0);
    answer(&h, V4, 1);
    for (; fk.now < 20; fk.now++)
        assert_int_equal(he_step(&h, fk.now), HE_RUNNING);
    assert_int_equal(fk.nconn, 0);
    assert_int_equal(he_next_timer_ms(&h, fk.now), HE_RESOLUTION_DELAY_MS - 20);
    answer(&h, V6, 1);
    assert_int_equal(run(&h, 5000), HE_CONNECTED);
    assert_true(ip_addr_is_v6(&h.winner_addr));
    assert_int_equal(fk.conn[0].started, 20);
    assert_int_equal(fk.nconn, 1);

    reset(sc, 2);
    he_init(&h, &ops, 443, true, true, 0);
    answer(&h, V4, 1);
    for (; fk.now < 100; fk.now++)
        assert_int_equal(he_step(&h, fk.now), HE_RUNNING);
    assert_int_equal(fk.conn[conn_of("192.0.2.1")].started, HE_RESOLUTION_DELAY_MS);
    answer(&h, V6, 1);                                  /* late AAAA */
    assert_int_equal(run(&h, 5000), HE_CONNECTED);
    assert_int_equal(fk.conn[conn_of("2001:db8::1")].started,
                     HE_RESOLUTION_DELAY_MS + HE_ATTEMPT_DELAY_MS);
    assert_true(ip_addr_is_v6(&h.winner_addr));
    assert_true(fk.conn[conn_of("192.0.2.1")].aborted);
}

/* Families alternate, IPv6 first, each in DNS order, 250 ms apart while
   every attempt hangs; a single-family answer is attempted at once. */
static void test_interleave_and_single(void **st)
{
    (void)st;
    static const struct script sc[] = {
        { "2001:db8::1", SILENT, 0 }, { "2001:db8::2", SILENT, 0 }, { "2001:db8::3", SILENT, 0 },
        { "192.0.2.1", SILENT, 0 }, { "192.0.2.2", CONNECT, 1 } };
    reset(sc, 5);
    struct he h;
    he_init(&h, &ops, 443, true, true, 0);
    static const char *const v6[] = { "2001:db8::1", "2001:db8::2", "2001:db8::3" };
    static const char *const v4[] = { "192.0.2.1", "192.0.2.2" };
    answer(&h, v4, 2);
    answer(&h, v6, 3);
    assert_int_equal(run(&h, 5000), HE_CONNECTED);
    static const char *const order[] = { "2001:db8::1", "192.0.2.1", "2001:db8::2", "192.0.2.2" };
    for (int i = 0; i < 4; i++) {
        struct ip_addr a = ip(order[i]);
        assert_true(ip_addr_eq(&fk.conn[i].a, &a));
        assert_int_equal(fk.conn[i].started, (uint64_t)i * HE_ATTEMPT_DELAY_MS);
    }
    assert_int_equal(fk.nconn, 4);                      /* ::3 never started */
    for (int i = 0; i < 3; i++)
        assert_true(fk.conn[i].aborted);
    assert_false(fk.conn[3].aborted);

    /* only A asked: no 50 ms wait */
    reset(sc + 4, 1);
    he_init(&h, &ops, 443, false, true, 0);
    static const char *const one[] = { "192.0.2.2" };
    answer(&h, one, 1);
    assert_int_equal(he_step(&h, 0), HE_RUNNING);
    assert_int_equal(fk.nconn, 1);
    assert_int_equal(run(&h, 5000), HE_CONNECTED);
    /* AAAA answered with nothing before A: no wait either */
    reset(sc + 4, 1);
    he_init(&h, &ops, 443, true, true, 0);
    he_answer(&h, IP_FAMILY_V6, NULL, 0, 0);
    answer(&h, one, 1);
    assert_int_equal(he_step(&h, 0), HE_RUNNING);
    assert_int_equal(fk.nconn, 1);
}

/* allow() is asked for every address before it is attempted: a refused
   IPv6 address moves on to IPv4 at once and is named when all fail. */
static void test_policy_every_address(void **st)
{
    (void)st;
    static const struct script sc[] = { { "2001:db8::1", CONNECT, 1 },
                                        { "192.0.2.1", CONNECT, 7 } };
    reset(sc, 2);
    fk.refuse_policy_family = IP_FAMILY_V6;
    struct he h;
    he_init(&h, &ops, 443, true, true, 0);
    answer(&h, V6, 1);
    answer(&h, V4, 1);
    assert_int_equal(run(&h, 5000), HE_CONNECTED);
    assert_true(ip_addr_is_v4(&h.winner_addr));
    assert_int_equal(fk.conn[0].started, 0);
    assert_int_equal(fk.nconn, 1);                      /* no packet to the refused one */
    assert_int_equal(fk.allow_calls, 2);

    reset(sc, 2);
    fk.refuse_policy_family = IP_FAMILY_V6;
    he_init(&h, &ops, 443, true, false, 0);
    answer(&h, V6, 1);
    assert_int_equal(run(&h, 5000), HE_FAILED);
    assert_true(h.first_refused);
    assert_int_equal(fk.nconn, 0);
}

/* Nothing to try: both families empty fails with no attempts; the
   caller's deadline aborts what runs. */
static void test_empty_and_cancel(void **st)
{
    (void)st;
    static const struct script sc[] = { { "2001:db8::1", SILENT, 0 } };
    reset(sc, 1);
    struct he h;
    he_init(&h, &ops, 443, true, true, 0);
    he_answer(&h, IP_FAMILY_V6, NULL, 0, 0);
    assert_int_equal(he_step(&h, 0), HE_RUNNING);       /* A still awaited */
    he_answer(&h, IP_FAMILY_V4, NULL, 0, 1);
    assert_int_equal(he_step(&h, 1), HE_FAILED);
    assert_int_equal(h.attempts, 0);

    he_init(&h, &ops, 443, true, true, 0);
    answer(&h, V6, 1);
    assert_int_equal(run(&h, 1000), HE_RUNNING);
    he_cancel(&h);
    assert_int_equal(h.status, HE_FAILED);
    assert_int_equal(h.first_err, NET_ERR_CONNECT_TIMEOUT);
    assert_true(fk.conn[0].aborted);
    assert_int_equal(he_step(&h, 2000), HE_FAILED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v6_wins),
        cmocka_unit_test(test_v6_silent_v4_at_250),
        cmocka_unit_test(test_v6_refused_v4_at_once),
        cmocka_unit_test(test_both_fail_first_error),
        cmocka_unit_test(test_resolution_delay),
        cmocka_unit_test(test_interleave_and_single),
        cmocka_unit_test(test_policy_every_address),
        cmocka_unit_test(test_empty_and_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
