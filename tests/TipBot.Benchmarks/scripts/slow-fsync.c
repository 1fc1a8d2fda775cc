/*
 * Makes fsync and fdatasync take FSYNC_US microseconds longer (default 1000), as on a disk that
 * really flushes: this machine's virtual disk answers an fsync in about 0.1 ms, a server's SSD
 * without power-loss protection in 0.5-2 ms and a spinning disk in 5-10. The embedded SQLite
 * store commits with synchronous=FULL, so its one writer waits for every flush (docs/benchmarks.md,
 * thirteenth session).
 *
 *   gcc -shared -fPIC -O2 -o /tmp/slow-fsync.so tests/TipBot.Benchmarks/scripts/slow-fsync.c -ldl
 *   dotnet tests/TipBot.Benchmarks/bin/Release/net10.0/TipBot.Benchmarks.dll load --residents 16 \
 *       --env LD_PRELOAD=/tmp/slow-fsync.so --env FSYNC_US=1000 --server ...
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void flush_pause(void)
{
    const char *setting = getenv("FSYNC_US");
    long us = setting ? atol(setting) : 1000;
    struct timespec pause = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&pause, NULL);
}

int fsync(int fd)
{
    static int (*real)(int);
    if (!real) real = dlsym(RTLD_NEXT, "fsync");
    flush_pause();
    return real(fd);
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (!real) real = dlsym(RTLD_NEXT, "fdatasync");
    flush_pause();
    return real(fd);
}
