// The built-in 32-bit programs, as i386 assembly source. Each is assembled
// when loaded; the library at the end gives them string and number output.
// Kernel calls follow the Linux i386 ABI: eax = number, ebx, ecx, edx, esi,
// edi, ebp = arguments, result (or -errno) in eax.

export interface Program32 {
  name: string;
  description: string;
  source: string;
  /** A native process that reads what the program shared, run after the program ends. */
  peer?: { path: string };
}

const CALLS = `
SYS_exit          equ 1
SYS_read          equ 3
SYS_write         equ 4
SYS_open          equ 5
SYS_close         equ 6
SYS_getpid        equ 20
SYS_brk           equ 45
SYS_old_mmap      equ 90
SYS_munmap        equ 91
SYS_ftruncate     equ 93
SYS_mmap2         equ 192
SYS_exit_group    equ 252
SYS_clock_gettime equ 265
EFAULT            equ 14
`;

const LIBRARY = `
section .text
; print_str: write the NUL-terminated string at esi to fd ebx.
print_str:
    mov edi, esi
strlen_loop:
    movzx eax, byte [edi]
    test eax, eax
    je strlen_done
    inc edi
    jmp strlen_loop
strlen_done:
    mov edx, edi
    sub edx, esi
    mov ecx, esi
    mov eax, SYS_write
    int 0x80
    ret

; print_u32: write eax in decimal to fd ebx (digits built backwards by repeated division).
print_u32:
    mov edi, numbuf_end
    mov ecx, 10
u32_loop:
    mov edx, 0
    div ecx
    add edx, '0'
    dec edi
    mov [edi], dl
    test eax, eax
    jne u32_loop
    mov ecx, edi
    mov edx, numbuf_end
    sub edx, edi
    mov eax, SYS_write
    int 0x80
    ret

; print_hex: write eax as 0x and eight hex digits to fd ebx.
print_hex:
    mov edi, hexbuf_end
    mov esi, 8
hex_loop:
    mov edx, eax
    and edx, 15
    movzx edx, byte [edx+hexdigits]
    dec edi
    mov [edi], dl
    shr eax, 4
    dec esi
    jne hex_loop
    mov ecx, hexbuf
    mov edx, 10
    mov eax, SYS_write
    int 0x80
    ret

; exit_group(ebx)
exit:
    mov eax, SYS_exit_group
    int 0x80

section .data
hexdigits: db "0123456789abcdef"
numbuf: resb 12
numbuf_end:
hexbuf: db "0x"
resb 8
hexbuf_end:
newline: db 10, 0
`;

const hello32 = `
_start:
    mov ebp, esp            ; [esp] = argc, [esp+4] = argv[0]
    mov ebx, 1
    mov esi, greeting
    call print_str
    mov esi, [ebp+4]
    call print_str
    mov esi, pid_is
    call print_str
    mov eax, SYS_getpid
    int 0x80
    mov ebx, 1
    call print_u32
    mov esi, closing
    call print_str
    mov ebx, 0
    jmp exit

section .data
greeting: db "Hello from a 32-bit program: ", 0
pid_is: db ", pid ", 0
closing: db 10, 0
`;

const sum32 = `
N equ 50000
_start:
    mov eax, 0              ; sum
    mov ecx, 1              ; i
sum_loop:
    add eax, ecx
    inc ecx
    cmp ecx, N
    jbe sum_loop            ; while i <= N (unsigned)
    mov ebp, eax
    mov ebx, 1
    mov esi, label
    call print_str
    mov eax, ebp
    call print_u32
    mov esi, newline
    call print_str
    mov ebx, 0
    jmp exit

section .data
label: db "sum32: 1 + 2 + ... + 50000 = ", 0
`;

const alloc32 = `
_start:
    mov eax, SYS_brk        ; brk(0): where the heap starts
    mov ebx, 0
    int 0x80
    mov ebp, eax
    mov ebx, 1
    mov esi, m_heap
    call print_str
    mov eax, ebp
    call print_hex
    mov esi, newline
    call print_str

    mov ebx, ebp            ; brk(start + 64 KiB)
    add ebx, 0x10000
    mov eax, SYS_brk
    int 0x80
    cmp eax, ebx
    jne brk_failed
    mov dword [eax-4], 0x12345678   ; the last word of the new heap is ours
    mov ebx, 1
    mov esi, m_grown
    call print_str
    mov eax, ebp
    add eax, 0x10000
    call print_hex
    mov esi, newline
    call print_str

    mov eax, SYS_mmap2      ; mmap2(NULL, 1 MiB, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
    mov ebx, 0
    mov ecx, 0x100000
    mov edx, 3
    mov esi, 0x22
    mov edi, -1
    mov ebp, 0
    int 0x80
    cmp eax, -4095          ; 0xfffff001 and up are -errno
    jae mmap_failed
    mov ebp, eax
    mov dword [eax], 42     ; touch the first and the last word
    mov dword [eax+0xffffc], 42
    mov ebx, 1
    mov esi, m_mapped
    call print_str
    mov eax, ebp
    call print_hex
    mov esi, newline
    call print_str

    mov eax, SYS_old_mmap   ; the old mmap: its six arguments in a block of memory
    mov ebx, mmap_args
    int 0x80
    cmp eax, -4095
    jae mmap_failed
    mov ebp, eax
    mov ebx, 1
    mov esi, m_old
    call print_str
    mov eax, ebp
    call print_hex
    mov esi, newline
    call print_str

    mov eax, SYS_mmap2      ; a fixed mapping at 3 GiB: past the limit
    mov ebx, 0xc0000000
    mov ecx, 0x1000
    mov edx, 3
    mov esi, 0x32           ; MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED
    mov edi, -1
    mov ebp, 0
    int 0x80
    neg eax
    mov ebp, eax
    mov ebx, 1
    mov esi, m_refused
    call print_str
    mov eax, ebp
    call print_u32
    mov esi, newline
    call print_str
    mov ebx, 0
    jmp exit

brk_failed:
mmap_failed:
    mov ebx, 2
    mov esi, m_failed
    call print_str
    mov ebx, 1
    jmp exit

section .data
m_heap: db "alloc32: heap starts at ", 0
m_grown: db "alloc32: brk grew the heap by 64 KiB to ", 0
m_mapped: db "alloc32: mmap2 gave 1 MiB at ", 0
m_old: db "alloc32: the old mmap (arguments in memory) gave 64 KiB at ", 0
mmap_args: dd 0, 0x10000, 3, 0x22, -1, 0   ; addr, len, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, fd, offset
m_refused: db "alloc32: a fixed mapping at 0xc0000000 was refused with errno ", 0
m_failed: db "alloc32: allocation failed", 10, 0
`;

const badptr32 = `
_start:
    mov ebx, 1
    mov esi, m_start
    call print_str

    mov eax, SYS_write      ; write(1, 0xc0001000, 16): kernel space for an i386 program
    mov ebx, 1
    mov ecx, 0xc0001000
    mov edx, 16
    int 0x80
    cmp eax, -EFAULT
    jne unexpected
    mov ebx, 2
    mov esi, m_kernel
    call print_str

    mov eax, SYS_write      ; write(1, 0x10000000, 16): below the limit, but nothing is mapped there
    mov ebx, 1
    mov ecx, 0x10000000
    mov edx, 16
    int 0x80
    cmp eax, -EFAULT
    jne unexpected
    mov ebx, 2
    mov esi, m_unmapped
    call print_str

    mov ebx, 1
    mov esi, m_going_on
    call print_str
    mov ebx, 1
    jmp exit

unexpected:
    mov ebx, 2
    mov esi, m_unexpected
    call print_str
    mov ebx, 2
    jmp exit

section .data
m_start: db "badptr32: writing 16 bytes from 0xc0001000", 10, 0
m_kernel: db "badptr32: write: Bad address (EFAULT): 0xc0001000 is not in my address space", 10, 0
m_unmapped: db "badptr32: write: Bad address (EFAULT): nothing is mapped at 0x10000000", 10, 0
m_going_on: db "badptr32: still running after two errors; exiting with status 1", 10, 0
m_unexpected: db "badptr32: expected EFAULT", 10, 0
`;

const share32 = `
_start:
    mov eax, SYS_open       ; open("/dev/shm/isolab-share", O_RDWR|O_CREAT, 0600)
    mov ebx, path
    mov ecx, 0x42
    mov edx, 0x180
    int 0x80
    cmp eax, -4095
    jae failed
    mov [fd], eax

    mov eax, SYS_ftruncate  ; ftruncate(fd, 4096)
    mov ebx, [fd]
    mov ecx, 4096
    int 0x80
    test eax, eax
    jne failed

    mov eax, SYS_mmap2      ; mmap2(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0)
    mov ebx, 0
    mov ecx, 4096
    mov edx, 3
    mov esi, 1
    mov edi, [fd]
    mov ebp, 0
    int 0x80
    cmp eax, -4095
    jae failed
    mov [shared], eax

    mov esi, message        ; copy the message, NUL included, into the shared page
    mov edi, eax
copy_loop:
    movzx ecx, byte [esi]
    mov [edi], cl
    inc esi
    inc edi
    test ecx, ecx
    jne copy_loop

    mov ebx, 1
    mov esi, m_wrote
    call print_str
    mov eax, [shared]
    call print_hex
    mov esi, m_wrote_end
    call print_str

    mov eax, SYS_close
    mov ebx, [fd]
    int 0x80
    mov ebx, 0
    jmp exit

failed:
    neg eax
    mov ebp, eax
    mov ebx, 2
    mov esi, m_failed
    call print_str
    mov eax, ebp
    call print_u32
    mov esi, newline
    call print_str
    mov ebx, 1
    jmp exit

section .data
path: db "/dev/shm/isolab-share", 0
message: db "32-bit data for the native side", 0
fd: dd 0
shared: dd 0
m_wrote: db "share32: wrote the message into the shared page at ", 0
m_wrote_end: db " (MAP_SHARED of /dev/shm/isolab-share)", 10, 0
m_failed: db "share32: failed with errno ", 0
`;

const time32 = `
_start:
    mov eax, SYS_clock_gettime  ; clock_gettime(CLOCK_REALTIME, &ts)
    mov ebx, 0
    mov ecx, ts
    int 0x80
    test eax, eax
    jne failed
    mov ebx, 1
    mov esi, m_now
    call print_str
    mov eax, [ts]
    call print_u32
    mov esi, m_sec
    call print_str
    mov eax, [ts+4]
    call print_u32
    mov esi, m_ns
    call print_str
    mov ebx, 0
    jmp exit
failed:
    mov ebx, 2
    mov esi, m_failed
    call print_str
    mov ebx, 1
    jmp exit

section .data
ts: dd 0, 0                 ; struct timespec with a 32-bit time_t: tv_sec, tv_nsec
m_now: db "time32: ", 0
m_sec: db " s and ", 0
m_ns: db " ns since 1970 (a 32-bit time_t)", 10, 0
m_failed: db "time32: clock_gettime failed", 10, 0
`;

const program = (name: string, description: string, body: string, peer?: Program32['peer']): Program32 =>
  ({ name, description, source: `${CALLS}\nsection .text\n${body}\n${LIBRARY}`, peer });

export const PROGRAMS: Record<string, Program32> = Object.fromEntries([
  program('hello32', 'writes a greeting with its name (argv[0]) and PID', hello32),
  program('sum32', 'sums 1..50000 in a loop and prints the result', sum32),
  program('alloc32', 'allocates through brk, mmap2 and the old mmap; asks for memory past its limit', alloc32),
  program('badptr32', 'passes pointers outside its address space to write: gets EFAULT and carries on', badptr32),
  program('share32', 'shares a page of /dev/shm with a native process', share32, { path: '/dev/shm/isolab-share' }),
  program('time32', 'reads the clock through a 32-bit struct timespec', time32),
].map((p) => [p.name, p]));
