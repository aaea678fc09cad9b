# kernel/console_untrusted.c: server text through lib/text_filter.h to the
# console (a fragment of its own next to module.mk).
KERNEL_C += kernel/console_untrusted.c
