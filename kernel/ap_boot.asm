; Application processor start-up (Intel SDM vol. 3A, chapter "Processor
; Management and Initialization": "Multiple-Processor (MP) Initialization"
; and "Mode Switching").
;
; The trampoline (ap_trampoline_start..ap_trampoline_end) is data for the
; kernel: smp_init copies it to physical SMP_TRAMPOLINE (0x8000) and patches
; ap_trampoline_cr3 in the copy; the SIPI (vector 0x08) starts the AP there in
; real mode at CS:IP = 0800:0000. It runs at 0x8000 whatever address the
; kernel is linked at, so every address inside it is computed as
; 0x8000 + (label - ap_trampoline_start). It enables protected mode with its
; own flat GDT, then long mode on the boot CPU's page tables (PAE, EFER.LME,
; PG), loads the kernel's GDT (gdt64_ptr) and jumps to ap_long_entry in the
; kernel image, which takes the stack smp.c put in ap_boot_stack_top, enables
; SSE as boot.asm does for the boot CPU and calls ap_main().
;
; Also here: the AP's interrupt stubs (its only interrupts are the wake-up
; IPI, inside its `sti; hlt`, and the local APIC's spurious vector).

%define TRAMP_BASE 0x8000
%define TADDR(l) (TRAMP_BASE + (l) - ap_trampoline_start)

section .ap_trampoline progbits alloc noexec nowrite align=16
global ap_trampoline_start, ap_trampoline_end, ap_trampoline_cr3
extern gdt64_ptr

bits 16
ap_trampoline_start:
    cli
    cld
    xor ax, ax                          ; flat real-mode addressing: DS = 0
    mov ds, ax
    o32 lgdt [TADDR(tramp_gdt_ptr)]
    mov eax, cr0
    or eax, 1                           ; PE
    mov cr0, eax
    jmp dword 0x08:TADDR(tramp_pm32)

bits 32
tramp_pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax

    mov eax, cr4
    or eax, 1 << 5                      ; PAE
    mov cr4, eax
    mov eax, [TADDR(ap_trampoline_cr3)] ; the boot CPU's PML4 (below 4 GiB)
    mov cr3, eax

    mov ecx, 0xC0000080                 ; EFER
    rdmsr
    or eax, 1 << 8                      ; LME
    wrmsr

    mov eax, cr0
    or eax, (1 << 31) | 1               ; PG | PE: IA-32e mode, compatibility submode
    mov cr0, eax

    lgdt [gdt64_ptr]                    ; the kernel's GDT (its base is below 4 GiB)
    jmp 0x08:ap_long_entry              ; 64-bit code segment

align 8
tramp_gdt:
    dq 0                                ; null
    dq 0x00CF9A000000FFFF               ; 0x08: 32-bit code, base 0, 4 GiB
    dq 0x00CF92000000FFFF               ; 0x10: data, base 0, 4 GiB
tramp_gdt_end:
tramp_gdt_ptr:
    dw tramp_gdt_end - tramp_gdt - 1
    dd TADDR(tramp_gdt)
align 4
ap_trampoline_cr3:
    dd 0                                ; patched in the copy by smp_init
ap_trampoline_end:

bits 64
section .text
global ap_long_entry, smp_wake_isr, smp_spurious_isr
extern ap_main, ap_boot_stack_top, smp_lapic_eoi
ap_long_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, [ap_boot_stack_top]        ; 16-byte aligned top of smp.c's ap_stack
    xor rbp, rbp                        ; terminates stack traces

    ; SSE: CR0.EM=0, CR0.MP=1; CR4.OSFXSR | OSXMMEXCPT (as boot.asm)
    mov rax, cr0
    and rax, ~(1 << 2)
    or rax, 1 << 1
    mov cr0, rax
    mov rax, cr4
    or rax, (1 << 9) | (1 << 10)
    mov cr4, rax
    ; INIT leaves the x87 FPU and SSE state as they were (SDM vol. 3A
    ; "Processor Management and Initialization", vol. 1 "Programming with
    ; SSE2"): start from the defaults
    fninit
    push 0x1F80                         ; MXCSR: all exceptions masked, round to nearest
    ldmxcsr [rsp]
    add rsp, 8

    call ap_main
.hang:
    cli
    hlt
    jmp .hang

; Wake-up IPI: only ends the AP's HLT. Acknowledges it to the local APIC
; (any write to EOI) and returns; RAX is the only register touched and is
; restored (iretq restores RFLAGS).
smp_wake_isr:
    push rax
    mov rax, [smp_lapic_eoi]
    mov dword [rax], 0
    pop rax
    iretq

; Local APIC spurious interrupt: no EOI (SDM vol. 3A, "Spurious Interrupt").
smp_spurious_isr:
    iretq

section .note.GNU-stack noalloc noexec nowrite progbits
