/* A process with many mappings for util/bench-pmap.sh: one anonymous region of N pages
 * (default 60000) whose pages alternate between read-only and read-write, so the kernel
 * cannot merge them and /proc/PID/maps has N lines. Every page is touched first, so the
 * smaps numbers are not all zero. Prints "ready" when done, then sleeps.
 * Build: gcc -O2 -o pmap-bench-helper util/pmap-bench-helper.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 60000;
    long page = sysconf(_SC_PAGESIZE);
    char *base = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) { perror("mmap"); return 1; }
    for (long i = 0; i < n; i++) base[i * page] = 1;
    for (long i = 0; i < n; i += 2) {
        if (mprotect(base + i * page, page, PROT_READ) != 0) { perror("mprotect"); return 1; }
    }
    puts("ready");
    fflush(stdout);
    for (;;) pause();
}
