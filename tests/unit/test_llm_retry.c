/* The retry policy (llm/retry.h): the retryable statuses, the full-jitter
   backoff's bounds for attempts 1..10 at both ends of the random range and
   in between, the cap, a server wait winning and being capped, and the
   console's reason words. */
#include "unit.h"
#include "llm/retry.h"

static void test_status(void **state)
{
    (void)state;
    static const int yes[] = {408, 409, 429, 500, 502, 503, 504, 529};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(llm_retry_status(yes[i]));
    int n = 0;
    for (int s = 0; s < 1000; s++)
        n += llm_retry_status(s);
    assert_int_equal(n, 8); /* and nothing else: 200, 400, 401, 404, 501, 505 ... */
    assert_false(llm_retry_status(200));
    assert_false(llm_retry_status(401));
    assert_false(llm_retry_status(501));
    assert_false(llm_retry_status(-1));
}

static void test_backoff(void **state)
{
    (void)state;
    /* the ceiling doubles from 500 ms and stops at 20 s */
    static const uint32_t ceil[11] = {0, 500, 1000, 2000, 4000, 8000, 16000, 20000, 20000, 20000,
                                      20000};
    for (unsigned a = 1; a <= 10; a++) {
        assert_int_equal(llm_retry_wait_ms(a, 0, -1), 0);
        assert_int_equal(llm_retry_wait_ms(a, 0xffffffffu, -1), ceil[a]);
        uint32_t mid = llm_retry_wait_ms(a, 0x80000000u, -1);
        assert_true(mid >= ceil[a] / 2 && mid <= ceil[a] / 2 + 1);
        /* monotonic in rnd, never above the ceiling */
        uint32_t prev = 0;
        for (uint64_t r = 0; r <= 0xffffffffu; r += 0x01000193u) {
            uint32_t w = llm_retry_wait_ms(a, (uint32_t)r, -1);
            assert_true(w >= prev && w <= ceil[a]);
            prev = w;
        }
    }
    /* attempt 0 is the first; huge attempts stay at the cap */
    assert_int_equal(llm_retry_wait_ms(0, 0xffffffffu, -1), 500);
    assert_int_equal(llm_retry_wait_ms(33, 0xffffffffu, -1), 20000);
    assert_int_equal(llm_retry_wait_ms(1000000, 0xffffffffu, -1), 20000);
    /* the spread covers the whole range: 64 buckets of attempt 3 all hit */
    unsigned hit[64] = {0};
    uint32_t x = 12345;
    for (int i = 0; i < 20000; i++) {
        x = x * 1664525u + 1013904223u;
        hit[llm_retry_wait_ms(3, x, -1) * 64 / 2001]++;
    }
    for (int i = 0; i < 64; i++)
        assert_true(hit[i] > 150 && hit[i] < 500);
}

static void test_server_wait(void **state)
{
    (void)state;
    /* a server wait wins over the computed one, whatever rnd and attempt */
    assert_int_equal(llm_retry_wait_ms(1, 0xffffffffu, 0), 0);
    assert_int_equal(llm_retry_wait_ms(1, 0xffffffffu, 1500), 1500);
    assert_int_equal(llm_retry_wait_ms(9, 0, 7), 7);
    assert_int_equal(llm_retry_wait_ms(2, 0, 59999), 59999);
    /* and is capped at 60 s */
    assert_int_equal(llm_retry_wait_ms(2, 0, 60000), 60000);
    assert_int_equal(llm_retry_wait_ms(2, 0, 60001), 60000);
    assert_int_equal(llm_retry_wait_ms(2, 0, INT64_MAX), 60000);
    /* only -1 (any negative) means "no server wait" */
    assert_int_equal(llm_retry_wait_ms(1, 0xffffffffu, -5), 500);
}

static void test_reason(void **state)
{
    (void)state;
    char buf[24];
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_STATUS, 429, buf, sizeof buf), "status_429");
    assert_string_equal(buf, "status_429");
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_STATUS, 529, buf, sizeof buf), "status_529");
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_CONNECT_REFUSED, 0, buf, sizeof buf),
                        "connect_refused");
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_CONNECT_FAILED, 0, buf, sizeof buf),
                        "connect_failed");
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_TIMEOUT, 0, buf, sizeof buf), "timeout");
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_CLOSED, 503, buf, sizeof buf), "closed");
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_NONE, 0, buf, sizeof buf), "none");
    /* the widest status fits 24 bytes; a short buffer truncates */
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_STATUS, -2147483647 - 1, buf, sizeof buf),
                        "status_-2147483648");
    char small[5];
    assert_string_equal(llm_retry_reason_str(LLM_RETRY_STATUS, 503, small, sizeof small), "stat");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_server_wait),
        cmocka_unit_test(test_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
