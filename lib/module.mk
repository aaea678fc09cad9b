# lib/: below every layer: the freestanding C library subset, formatting,
# byte order and the checked reader (header-only), ASCII case, comma lists,
# struct ip_addr, the byte-stream type, and the console filter for server
# text (escapes controls, keeps UTF-8, prefixes lines).
KERNEL_C   += lib/string.c
SHARED_C   += lib/fmt.c lib/ip_addr.c lib/ascii.c lib/list.c lib/text_filter.c
UNIT_TESTS += fmt ip_addr ascii list bytes text_filter
