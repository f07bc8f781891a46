/* For member-zone-callgrind.sh. Valgrind 3.19 (Debian 12's) writes into the signal mask that sigsuspend is given, to
   take its own signal out of it; libdispatch passes a mask that lives in read-only memory, so valgrind stops with
   "Valgrind received a signal 11" before `patron` starts. Preloaded, this hands sigsuspend a copy of the mask on the
   stack instead; nothing else changes. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
    static int (*real)(const sigset_t *);
    sigset_t copy = *mask;
    if (!real) real = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    return real(&copy);
}
