/*
 * The bandwidth reference for util/bench-memory-user.sh: a plain memset over a malloc'd
 * buffer of SIZE MiB, repeated for SECONDS, with a different byte each pass. Compile -O2.
 * Prints the same fields as memory-user-naive.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s MIB [SECONDS]\n", argv[0]);
        return 1;
    }
    size_t bytes = (size_t)atol(argv[1]) * 1024 * 1024;
    double seconds = argc > 2 ? atof(argv[2]) : 0;
    unsigned char *buf = malloc(bytes);
    if (buf == NULL) {
        perror("malloc");
        return 1;
    }
    double start = now(), first = 0, t;
    long passes = 0;
    for (;;) {
        memset(buf, (int)(passes % 255) + 1, bytes);
        passes++;
        t = now();
        if (passes == 1)
            first = t - start;
        if (seconds > 0 && t - start >= seconds)
            break;
    }
    double later = t - start - first;
    printf("passes %ld\nfirst_pass_s %.3f\nsteady_gbps %.2f\ncheck %d\n", passes, first,
           passes > 1 ? (double)(passes - 1) * bytes / later / 1e9 : 0.0, buf[bytes / 2]);
    free(buf);
    return 0;
}
