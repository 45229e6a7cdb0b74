/*
 * The homework's memory-user, written the way the question asks for it: malloc an array
 * of SIZE MiB and stream through it, touching (writing) each int element on every pass,
 * for SECONDS. The benchmark's baseline (util/bench-memory-user.sh); compile with -O2.
 *
 * Prints, for the benchmark: passes, time of the first pass (the one that makes the
 * array resident) and the write rate of the later passes in GB/s (10^9 bytes/s).
 */
#include <stdio.h>
#include <stdlib.h>
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
    size_t n = bytes / sizeof(int);
    int *array = malloc(n * sizeof(int));
    if (array == NULL) {
        perror("malloc");
        return 1;
    }
    double start = now(), first = 0, t;
    long passes = 0;
    for (;;) {
        for (size_t i = 0; i < n; i++)
            array[i] = (int)(i + passes);
        passes++;
        t = now();
        if (passes == 1)
            first = t - start;
        if (seconds > 0 && t - start >= seconds)
            break;
    }
    double later = t - start - first;
    printf("passes %ld\nfirst_pass_s %.3f\nsteady_gbps %.2f\ncheck %d\n", passes, first,
           passes > 1 ? (double)(passes - 1) * bytes / later / 1e9 : 0.0, array[n / 2]);
    free(array);
    return 0;
}
