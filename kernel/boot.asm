; Boot entry: carries both a Multiboot (v1) and a Multiboot2 header so the same
; image boots from GRUB (multiboot2, build/os.iso) and from QEMU's -kernel
; (multiboot v1, build/kernel32.elf). Entered in 32-bit protected mode with
; paging off; builds identity page tables for the first 4 GiB (2 MiB pages),
; switches to long mode and calls kmain(magic, info).

bits 32
section .multiboot
align 8
mb2_header:
    dd 0xE85250D6                       ; multiboot2 magic
    dd 0                                ; architecture: i386 protected mode
    dd mb2_header_end - mb2_header
    dd -(0xE85250D6 + 0 + (mb2_header_end - mb2_header))
    ; console tag: we want EGA text, not a framebuffer
    align 8
    dw 4, 0                             ; console flags tag, optional
    dd 12
    dd 2                                ; EGA text supported
    align 8
    dw 0, 0                             ; end tag
    dd 8
mb2_header_end:

align 4
mb1_header:
    dd 0x1BADB002                       ; multiboot v1 magic
    dd 0x00000003                       ; page-align modules, want memory map
    dd -(0x1BADB002 + 0x00000003)

section .bss
align 4096
global boot_pml4, boot_pdpt, boot_pd
boot_pml4:  resb 4096
boot_pdpt:  resb 4096
boot_pd:    resb 4096 * 4
align 16
global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    resb 262144                         ; 256 KiB: RSA-4096 and TLS contexts live on it
boot_stack_top:
boot_magic: resd 1
boot_info:  resd 1

section .rodata
align 8
gdt64:
    dq 0                                ; null
    dq 0x00AF9A000000FFFF               ; 0x08: 64-bit code, DPL0
    dq 0x00CF92000000FFFF               ; 0x10: data
gdt64_end:
gdt64_ptr32:
    dw gdt64_end - gdt64 - 1
    dd gdt64
global gdt64_ptr
gdt64_ptr:
    dw gdt64_end - gdt64 - 1
    dq gdt64

section .text
global _start
_start:
    cli
    cld
    mov [boot_magic], eax
    mov [boot_info], ebx
    mov esp, boot_stack_top

    ; long mode available? (CPUID 0x80000001 EDX bit 29)
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode

    ; PML4[0] -> PDPT, PDPT[0..3] -> PD[0..3], PD entries = 2 MiB pages
    mov edi, boot_pml4
    xor eax, eax
    mov ecx, (4096 * 6) / 4
    rep stosd

    mov eax, boot_pdpt
    or eax, 0x3                         ; present | writable
    mov [boot_pml4], eax

    mov ecx, 0
.fill_pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pd
    or eax, 0x3
    mov [boot_pdpt + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jb .fill_pdpt

    ; 2048 entries of 2 MiB = 4 GiB; entry i maps i * 2 MiB
    mov ecx, 0
.fill_pd:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                        ; present | writable | huge
    mov [boot_pd + ecx * 8], eax
    mov eax, ecx
    shr eax, 11                         ; high 32 bits of i * 2 MiB
    mov [boot_pd + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jb .fill_pd

    mov eax, boot_pml4
    mov cr3, eax

    mov eax, cr4
    or eax, 1 << 5                      ; PAE
    mov cr4, eax

    mov ecx, 0xC0000080                 ; EFER
    rdmsr
    or eax, 1 << 8                      ; LME
    wrmsr

    mov eax, cr0
    or eax, (1 << 31) | 1               ; PG | PE
    mov cr0, eax

    lgdt [gdt64_ptr32]
    jmp 0x08:long_mode_entry

.no_long_mode:
    ; print "no long mode" on COM1 and stop
    mov esi, no_lm_msg
.nlm_loop:
    lodsb
    test al, al
    jz .nlm_halt
    mov dx, 0x3F8
    out dx, al
    jmp .nlm_loop
.nlm_halt:
    hlt
    jmp .nlm_halt

section .rodata
no_lm_msg: db "boot: CPU has no long mode", 13, 10, 0

bits 64
section .text
extern kmain
long_mode_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor rbp, rbp                        ; terminates stack traces

    ; SSE: CR0.EM=0, CR0.MP=1; CR4.OSFXSR | OSXMMEXCPT
    mov rax, cr0
    and rax, ~(1 << 2)
    or rax, 1 << 1
    mov cr0, rax
    mov rax, cr4
    or rax, (1 << 9) | (1 << 10)
    mov cr4, rax

    mov edi, [boot_magic]
    mov esi, [boot_info]
    call kmain
.hang:
    cli
    hlt
    jmp .hang

section .note.GNU-stack noalloc noexec nowrite progbits
