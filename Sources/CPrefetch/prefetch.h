#ifndef VMSCOPE_PREFETCH_H
#define VMSCOPE_PREFETCH_H

/* Swift has no prefetch instruction. A prefetch, unlike a load, retires at once: the scanner can
   ask for a page's first line well ahead without stalling on it, and a page not mapped yet is
   skipped rather than faulted in. */
static inline void vmscope_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/* A load the compiler must keep although its value is unused: it faults the page in if it is
   not mapped yet, which a prefetch never does. */
static inline void vmscope_touch(const void *address) {
    (void)*(const volatile unsigned char *)address;
}

#endif
