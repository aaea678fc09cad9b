/* TCP ring sizes per connection (issue 26 part 4): the first-fit ring
   allocator (net/tcp_pool.h: exhaustion, free, fragmentation, rounding) and
   sockets opened with tcp_connect_sized (bounds, the arena running out, the
   window scale and advertised window following the receive ring, the send
   ring's size, rings given back on close). */
#include "unit.h"
#include "tcp_link.h"
#include "net/tcp_pool.h"
#include <string.h>

#define ME    IP4_ADDR(10, 0, 2, 15)
#define PEER  IP4_ADDR(10, 0, 2, 2)
#define P_ISS 7000u

static struct tcp_seg capseg(int i)
{
    struct tcp_seg s;
    assert_true(i >= 0 && i < cap_n);
    assert_int_equal(tcp_parse(cap[i].b, cap[i].len, true, ME, cap[i].dst, &s), TCP_PARSE_OK);
    return s;
}

/* ---- the allocator ---- */

static _Alignas(64) uint8_t arena[4096];

static void test_pool_exhaustion(void **st)
{
    (void)st;
    struct tcp_pool p;
    tcp_pool_init(&p, arena, sizeof arena);
    assert_int_equal(tcp_pool_largest_free(&p), 4096);
    uint8_t *a[4];
    for (int i = 0; i < 4; i++) {
        a[i] = tcp_pool_alloc(&p, 1000);        /* rounded to 1024 */
        assert_non_null(a[i]);
        assert_ptr_equal(a[i], arena + 1024 * i);
    }
    assert_int_equal(tcp_pool_in_use(&p), 4096);
    assert_int_equal(tcp_pool_largest_free(&p), 0);
    assert_null(tcp_pool_alloc(&p, 1));
    assert_null(tcp_pool_alloc(&p, 0));
    assert_null(tcp_pool_alloc(&p, 8192));       /* larger than the arena */
    for (int i = 0; i < 4; i++)
        tcp_pool_free(&p, a[i]);
    assert_int_equal(tcp_pool_in_use(&p), 0);
    assert_non_null(tcp_pool_alloc(&p, 4096));   /* all of it again */
}

static void test_pool_free_and_fragmentation(void **st)
{
    (void)st;
    struct tcp_pool p;
    tcp_pool_init(&p, arena, sizeof arena);
    uint8_t *a = tcp_pool_alloc(&p, 1024), *b = tcp_pool_alloc(&p, 1024);
    uint8_t *c = tcp_pool_alloc(&p, 1024), *d = tcp_pool_alloc(&p, 1024);
    assert_true(a && b && c && d);
    tcp_pool_free(&p, b);
    tcp_pool_free(&p, d);
    /* 2 KiB free in two holes: no 2 KiB piece */
    assert_int_equal(tcp_pool_in_use(&p), 2048);
    assert_int_equal(tcp_pool_largest_free(&p), 1024);
    assert_null(tcp_pool_alloc(&p, 2048));
    /* first fit: the lower hole */
    assert_ptr_equal(tcp_pool_alloc(&p, 512), b);
    assert_ptr_equal(tcp_pool_alloc(&p, 512), b + 512);
    assert_ptr_equal(tcp_pool_alloc(&p, 512), d);
    /* freeing neighbours joins their space */
    tcp_pool_free(&p, a);
    tcp_pool_free(&p, b);
    tcp_pool_free(&p, b + 512);
    tcp_pool_free(&p, c);
    assert_int_equal(tcp_pool_largest_free(&p), 3072);
    assert_ptr_equal(tcp_pool_alloc(&p, 3072), arena);
    /* unknown pointers and NULL are ignored */
    size_t used = tcp_pool_in_use(&p);
    tcp_pool_free(&p, NULL);
    tcp_pool_free(&p, arena + 64);
    tcp_pool_free(&p, (uint8_t *)&p);
    assert_int_equal(tcp_pool_in_use(&p), used);
}

static void test_pool_extent_table(void **st)
{
    (void)st;
    struct tcp_pool p;
    tcp_pool_init(&p, arena, sizeof arena);
    uint8_t *x[TCP_POOL_EXTENTS];
    for (int i = 0; i < TCP_POOL_EXTENTS; i++)
        assert_non_null(x[i] = tcp_pool_alloc(&p, 1));   /* 64 bytes each */
    assert_int_equal(tcp_pool_in_use(&p), TCP_POOL_EXTENTS * TCP_POOL_ALIGN);
    assert_null(tcp_pool_alloc(&p, 1));                  /* the table is full */
    assert_int_equal(tcp_pool_largest_free(&p), 0);
    tcp_pool_free(&p, x[3]);
    assert_ptr_equal(tcp_pool_alloc(&p, 64), x[3]);
}

/* ---- sockets with sized rings ---- */

static void test_wscale_for(void **st)
{
    (void)st;
    assert_int_equal(tcp_wscale_for(2048), 0);
    assert_int_equal(tcp_wscale_for(65535), 0);
    assert_int_equal(tcp_wscale_for(65536), 1);
    assert_int_equal(tcp_wscale_for(131070), 1);
    assert_int_equal(tcp_wscale_for(131072), 2);
    assert_int_equal(tcp_wscale_for(TCP_RX_BUF), 3);
    assert_int_equal(tcp_wscale_for(TCP_RING_MAX), 5);
}

/* Opens with bufs, answers the SYN with a SYN-ACK offering shift 2; returns
   the handle; *syn and *ack are our SYN and the ACK of the SYN-ACK. */
static int open_sized(const struct tcp_bufs *b, struct tcp_seg *syn, struct tcp_seg *ack,
                      uint16_t *lport)
{
    tcp_test_reset();
    tcp_set_local_addr(ME);
    enum net_err e;
    int s = tcp_connect_sized(ADDR(PEER), 80, 10000, b, &e);
    assert_true(s >= 0);
    assert_int_equal(e, NET_OK);
    *syn = capseg(0);
    *lport = syn->sport;
    uint8_t h[TCP_HDR_MAX];
    struct tcp_opts o = { 1460, 2, true, 0, NULL, false, 0, 0 };
    size_t hl = tcp_build(h, PEER, ME, 80, syn->sport, P_ISS, syn->seq + 1, TCP_SYN | TCP_ACK,
                          65535, &o, NULL, 0);
    tcp_input(PEER, ME, h, hl);
    assert_int_equal(tcp_state(s), TCP_ESTABLISHED);
    *ack = capseg(cap_n - 1);
    return s;
}

static void test_sized_window_small(void **st)
{
    (void)st;
    struct tcp_seg syn, ack;
    uint16_t lport;
    int s = open_sized(&(struct tcp_bufs){ 8192, 4096 }, &syn, &ack, &lport);
    assert_true(syn.has_ws);
    assert_int_equal(syn.ws, 0);            /* 8 KiB needs no scaling */
    assert_int_equal(syn.wnd, 8192);
    assert_int_equal(ack.wnd, 8192);        /* unscaled: the whole ring */
    struct tcp_mem m;
    tcp_get_mem(s, &m);
    assert_int_equal(m.state, sizeof(struct tcp_sock));
    assert_int_equal(m.rx, 8192);
    assert_int_equal(m.tx, 4096);
    assert_int_equal(tcp_ring_pool_in_use(), 8192 + 4096);
    /* the send ring holds 4 KiB */
    static uint8_t big[10000];
    assert_int_equal(tcp_send_space(s), 4096);
    assert_int_equal(tcp_send(s, big, sizeof big), 4096);
    assert_int_equal(tcp_send_space(s), 0);
    /* the receive ring takes 8 KiB and not a byte more */
    static uint8_t h[TCP_HDR_MAX + 1024], d[1024];
    memset(d, 'x', sizeof d);
    for (uint32_t off = 0; off <= 8192; off += 1024) {
        size_t hl = tcp_build(h, PEER, ME, 80, lport, P_ISS + 1 + off, syn.seq + 1, TCP_ACK,
                              65535, NULL, d, sizeof d);
        memcpy(h + hl, d, sizeof d);
        tcp_input(PEER, ME, h, hl + sizeof d);
    }
    assert_int_equal(tcp_readable(s), 8192);
    struct tcp_seg last = capseg(cap_n - 1);
    assert_int_equal(last.ack, P_ISS + 1 + 8192);
    assert_int_equal(last.wnd, 0);
    tcp_abort(s);
    assert_int_equal(tcp_ring_pool_in_use(), 0);
}

static void test_sized_window_scaled(void **st)
{
    (void)st;
    struct tcp_seg syn, ack;
    uint16_t lport;
    int s = open_sized(&(struct tcp_bufs){ 200000, 0 }, &syn, &ack, &lport);
    assert_int_equal(syn.ws, 2);             /* 200000 >> 2 fits 16 bits */
    assert_int_equal(syn.wnd, 65535);        /* a SYN's window is unscaled */
    assert_int_equal(ack.wnd, 200000 >> 2);
    struct tcp_mem m;
    tcp_get_mem(s, &m);
    assert_int_equal(m.rx, 200000);          /* a multiple of 64 already */
    assert_int_equal(m.tx, TCP_TX_BUF);      /* 0: the default */
    tcp_abort(s);
    /* the defaults are today's */
    s = open_sized(NULL, &syn, &ack, &lport);
    assert_int_equal(syn.ws, 3);
    assert_int_equal(ack.wnd, TCP_RX_BUF >> 3);
    tcp_get_mem(s, &m);
    assert_int_equal(m.rx, TCP_RX_BUF);
    assert_int_equal(m.tx, TCP_TX_BUF);
    tcp_abort(s);
}

static void test_sized_bounds_and_arena(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr(ME);
    enum net_err e = NET_OK;
    assert_int_equal(tcp_connect_sized(ADDR(PEER), 80, 1000, &(struct tcp_bufs){ 100, 0 }, &e), -1);
    assert_int_equal(e, NET_ERR_BAD_BUF_SIZE);
    assert_string_equal(net_err_str(e), "bad_buffer_size");
    e = NET_OK;
    assert_int_equal(tcp_connect_sized(ADDR(PEER), 80, 1000,
                                       &(struct tcp_bufs){ 0, TCP_RING_MAX + 1 }, &e), -1);
    assert_int_equal(e, NET_ERR_BAD_BUF_SIZE);
    assert_int_equal(tcp_ring_pool_in_use(), 0);
    /* one socket takes the whole arena: the next finds no room */
    int big = tcp_connect_sized(ADDR(PEER), 80, 1000,
                                &(struct tcp_bufs){ TCP_RING_MAX, TCP_RING_POOL - TCP_RING_MAX }, &e);
    assert_true(big >= 0);
    assert_int_equal(tcp_ring_pool_in_use(), TCP_RING_POOL);
    assert_int_equal(tcp_connect(ADDR(PEER), 80, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_NO_BUFFER);
    assert_int_equal(tcp_connect_sized(ADDR(PEER), 80, 1000,
                                       &(struct tcp_bufs){ TCP_RING_MIN, TCP_RING_MIN }, &e), -1);
    assert_int_equal(e, NET_ERR_NO_BUFFER);
    assert_int_equal(tcp_listen(8080, &e), -1);
    assert_int_equal(e, NET_ERR_NO_BUFFER);
    tcp_abort(big);
    assert_int_equal(tcp_ring_pool_in_use(), 0);
    /* small rings: more sockets than the defaults would fit... up to the table */
    int h[TCP_MAX_SOCKETS];
    for (int i = 0; i < TCP_MAX_SOCKETS; i++) {
        h[i] = tcp_connect_sized(ADDR(PEER), 80, 1000, &(struct tcp_bufs){ 4096, 2048 }, &e);
        assert_true(h[i] >= 0);
    }
    assert_int_equal(tcp_ring_pool_in_use(), TCP_MAX_SOCKETS * 6144);
    for (int i = 0; i < TCP_MAX_SOCKETS; i++)
        tcp_abort(h[i]);
    assert_int_equal(tcp_ring_pool_in_use(), 0);
}

int main(void)
{
    (void)link_start;                       /* tcp_link.h's link, unused here */
    (void)link_step;
    (void)no_random;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_exhaustion),
        cmocka_unit_test(test_pool_free_and_fragmentation),
        cmocka_unit_test(test_pool_extent_table),
        cmocka_unit_test(test_wscale_for),
        cmocka_unit_test(test_sized_window_small),
        cmocka_unit_test(test_sized_window_scaled),
        cmocka_unit_test(test_sized_bounds_and_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
