/* The LLM client's retry policy (see retry.h). */
#include "llm/retry.h"
#include "lib/fmt.h"

/* see retry.h */
bool llm_retry_status(int status)
{
    switch (status) {
    case 408: case 409: case 429: case 500: case 502: case 503: case 504: case 529:
        return true;
    default:
        return false;
    }
}

/* see retry.h */
uint32_t llm_retry_wait_ms(unsigned attempt, uint32_t rnd, int64_t retry_after_ms)
{
    if (retry_after_ms >= 0)
        return retry_after_ms < LLM_RETRY_SERVER_CAP_MS ? (uint32_t)retry_after_ms
                                                        : LLM_RETRY_SERVER_CAP_MS;
    unsigned shift = attempt ? attempt - 1 : 0;
    uint64_t ceil = LLM_RETRY_CAP_MS;
    if (shift < 32 && ((uint64_t)LLM_RETRY_BASE_MS << shift) < ceil)
        ceil = (uint64_t)LLM_RETRY_BASE_MS << shift;
    /* rnd * (ceil + 1) / 2^32 is uniform over 0..ceil, both ends reachable */
    return (uint32_t)(((uint64_t)rnd * (ceil + 1)) >> 32);
}

/* see retry.h */
const char *llm_retry_reason_str(enum llm_retry_reason r, int status, char *buf, size_t cap)
{
    switch (r) {
    case LLM_RETRY_NONE: return "none";
    case LLM_RETRY_STATUS:
        if (!buf || cap == 0)
            return "status";
        fmt_snprintf(buf, cap, "status_%d", status);
        return buf;
    case LLM_RETRY_CONNECT_REFUSED: return "connect_refused";
    case LLM_RETRY_CONNECT_FAILED: return "connect_failed";
    case LLM_RETRY_TIMEOUT: return "timeout";
    case LLM_RETRY_CLOSED: return "closed";
    }
    return "unknown";
}
