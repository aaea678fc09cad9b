# lib/: the freestanding C library subset and formatting shared by all layers.
KERNEL_C   += lib/string.c
SHARED_C   += lib/fmt.c
UNIT_TESTS += fmt
