# lib/: the freestanding C library subset and formatting shared by all layers.
KERNEL_C   += lib/string.c
SHARED_C   += lib/fmt.c lib/ip_addr.c lib/ascii.c lib/list.c
UNIT_TESTS += fmt ip_addr ascii list bytes
