/* Error names and small ASCII helpers shared by http/ (see http.h). */
#include "http/http.h"
#include <string.h>
#include "lib/ascii.h"

const char *http_err_str(enum http_err e)
{
    switch (e) {
    case HTTP_OK: return "ok";
    case HTTP_ERR_BAD_STATUS_LINE: return "http_bad_status_line";
    case HTTP_ERR_BAD_VERSION: return "http_bad_version";
    case HTTP_ERR_BAD_STATUS_CODE: return "http_bad_status_code";
    case HTTP_ERR_BAD_HEADER: return "http_bad_header";
    case HTTP_ERR_OBS_FOLD: return "http_obs_fold";
    case HTTP_ERR_BARE_CR: return "http_bare_cr";
    case HTTP_ERR_LINE_TOO_LONG: return "http_line_too_long";
    case HTTP_ERR_HEADERS_TOO_LARGE: return "http_headers_too_large";
    case HTTP_ERR_TOO_MANY_HEADERS: return "http_too_many_headers";
    case HTTP_ERR_BAD_CONTENT_LENGTH: return "http_bad_content_length";
    case HTTP_ERR_CONFLICTING_CONTENT_LENGTH: return "http_conflicting_content_length";
    case HTTP_ERR_CL_AND_TE: return "http_content_length_and_transfer_encoding";
    case HTTP_ERR_UNSUPPORTED_TRANSFER_ENCODING: return "http_unsupported_transfer_encoding";
    case HTTP_ERR_BAD_CHUNK_SIZE: return "http_bad_chunk_size";
    case HTTP_ERR_CHUNK_SIZE_OVERFLOW: return "http_chunk_size_overflow";
    case HTTP_ERR_BAD_CHUNK_END: return "http_bad_chunk_end";
    case HTTP_ERR_TRUNCATED: return "http_truncated";
    case HTTP_ERR_ABORTED: return "http_aborted";
    case HTTP_ERR_BUFFER_TOO_SMALL: return "http_buffer_too_small";
    case HTTP_ERR_BAD_ARGUMENT: return "http_bad_argument";
    case HTTP_ERR_TOO_MANY_INTERIM: return "http_too_many_interim";
    case HTTP_ERR_BAD_DATE: return "http_bad_date";
    }
    return "http_unknown";
}

bool http_list_has_token(const char *list, const char *tok)
{
    size_t tl = strlen(tok);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        const char *e = p;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((size_t)(e - s) == tl && ascii_caseeq(s, tok, tl))
            return true;
    }
    return false;
}
