/* A process with the interesting kinds of mappings, for pmap fixtures and the
 * differential test: SysV shared memory, a memfd, a deleted file, a shared /dev/zero
 * mapping, a file whose path has spaces, a named anonymous mapping, and some dirty
 * private memory. It prints "ready" on stdout once everything is mapped, then sleeps.
 * With the argument "plain" it only sleeps (used for the static-binary fixture).
 * Build: gcc -O2 -o pmap-fixture-proc util/pmap-fixture-proc.c  (add -static for static)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

static void *map_file(const char *path, int flags) {
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 8192) != 0) { perror(path); exit(1); }
    void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(1); }
    ((char *)p)[0] = 1;
    close(fd);
    return p;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "plain") == 0) {
        puts("ready");
        fflush(stdout);
        for (;;) pause();
    }
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[4096];

    int id = shmget(IPC_PRIVATE, 3 * 4096, IPC_CREAT | 0600);
    if (id < 0) { perror("shmget"); return 1; }
    char *shm = shmat(id, NULL, 0);
    if (shm == (void *)-1) { perror("shmat"); return 1; }
    shm[0] = 1;
    shmctl(id, IPC_RMID, NULL); /* goes away when we exit */

    int mfd = memfd_create("pmapfix", 0);
    if (mfd < 0 || ftruncate(mfd, 4096) != 0) { perror("memfd"); return 1; }
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
    if (m == MAP_FAILED) { perror("mmap memfd"); return 1; }
    m[0] = 1;

    snprintf(path, sizeof path, "%s/pmap fixture deleted.dat", dir);
    map_file(path, MAP_SHARED);
    unlink(path);
    snprintf(path, sizeof path, "%s/pmap fixture kept.dat", dir);
    map_file(path, MAP_PRIVATE);

    int z = open("/dev/zero", O_RDWR);
    char *zp = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, z, 0);
    if (zp == MAP_FAILED) { perror("mmap zero"); return 1; }
    zp[0] = 1;

    char *a = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) { perror("mmap anon"); return 1; }
    memset(a, 1, 2 * 4096);
    prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)a, 4 * 4096, "pmap fixture");

    char *big = malloc(1 << 20);
    memset(big, 2, 1 << 19);

    puts("ready");
    fflush(stdout);
    for (;;) pause();
}
