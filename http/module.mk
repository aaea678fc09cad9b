# http/: HTTP/1.1 client messages, URL, JSON, server-sent events and the
# OpenAI-compatible LLM client logic. Pure code: built for the kernel and the
# host; no allocation.
SHARED_C += http/url.c http/http_util.c http/http_req.c http/http_resp.c \
            http/json_write.c http/json_parse.c http/json_query.c http/sse.c http/llm.c
UNIT_TESTS += url http json sse llm
