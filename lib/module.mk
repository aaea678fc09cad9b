# lib/: below every layer: the freestanding C library subset, formatting,
# byte order and the checked reader (header-only), ASCII case, comma lists,
# struct ip_addr and its scope (loopback, private, ...), the byte-stream
# type, and the console filter for server text (escapes controls, keeps
# UTF-8, prefixes lines).
KERNEL_C   += lib/string.c
SHARED_C   += lib/fmt.c lib/ip_addr.c lib/ip_scope.c lib/ascii.c lib/list.c lib/text_filter.c
UNIT_TESTS += fmt ip_addr ip_scope ascii list bytes text_filter
