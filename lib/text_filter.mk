# lib/text_filter: the console filter for server text (escapes controls,
# keeps UTF-8, prefixes lines); a fragment of its own next to module.mk.
SHARED_C   += lib/text_filter.c
UNIT_TESTS += text_filter
