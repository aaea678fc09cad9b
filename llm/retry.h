/* The retry policy of the LLM client: which answers are worth another
   attempt, how long to wait before it, and the reason word the console
   shows. The caller runs the loop (it owns the clock, the random numbers
   and the connection); this is pure arithmetic, no state, no allocation. */
#ifndef LLM_RETRY_H
#define LLM_RETRY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LLM_RETRY_BASE_MS       500u    /* the first retry's ceiling */
#define LLM_RETRY_CAP_MS        20000u  /* the computed wait never exceeds this */
#define LLM_RETRY_SERVER_CAP_MS 60000u  /* a server's Retry-After is honoured up to this */

/* Why an attempt is retried. */
enum llm_retry_reason {
    LLM_RETRY_NONE = 0,
    LLM_RETRY_STATUS,           /* a retryable HTTP status (llm_retry_status) */
    LLM_RETRY_CONNECT_REFUSED,  /* the server refused the connection */
    LLM_RETRY_CONNECT_FAILED,   /* no connection for another reason */
    LLM_RETRY_TIMEOUT,          /* no answer in time */
    LLM_RETRY_CLOSED,           /* the connection closed before any response byte */
};

/* True for 408 409 429 500 502 503 504 529 (timeout, conflict, rate limit,
   server errors, Anthropic's overloaded). */
bool llm_retry_status(int status);

/* Wait before retry `attempt` (1 = first retry): exponential backoff with
   full jitter, base 500 ms, cap 20 s: uniform in
   [0, min(cap, base*2^(attempt-1))] using rnd (a uniform 32-bit random
   number: 0 gives 0, 0xffffffff the ceiling); a server wait
   (retry_after_ms >= 0) wins over the computed wait, capped at 60 s.
   Attempt 0 counts as 1. */
uint32_t llm_retry_wait_ms(unsigned attempt, uint32_t rnd, int64_t retry_after_ms);

/* The reason word for the console: "status_429", "connect_refused",
   "connect_failed", "timeout", "closed" ("none" for LLM_RETRY_NONE); status
   is used for LLM_RETRY_STATUS only. Returns buf (written, truncated to cap,
   which should be >= 24 bytes) or a constant string. */
const char *llm_retry_reason_str(enum llm_retry_reason r, int status, char *buf, size_t cap);

#endif
