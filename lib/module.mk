# lib/: the freestanding C library subset and formatting shared by all layers.
KERNEL_C   += lib/string.c
SHARED_C   += lib/fmt.c lib/ip_addr.c
UNIT_TESTS += fmt ip_addr
# the console filter for server text (escapes controls, keeps UTF-8,
# prefixes lines)
SHARED_C   += lib/text_filter.c
UNIT_TESTS += text_filter
