// Code-path selection: the AVX2+FMA+F16C path when the CPU has it (checked at run time, never
// at compile time), else the portable scalar path; tests can force the scalar path.
#include "internal.h"

#include <stdatomic.h>

static _Atomic int force_scalar;

void sc_force_scalar(int on) { atomic_store(&force_scalar, on != 0); }

int sc_use_avx2(void) {
#if defined(__x86_64__) || defined(__i386__)
    static _Atomic int has = -1;   // every thread computes the same value, so racing is harmless
    int h = atomic_load_explicit(&has, memory_order_relaxed);
    if (h < 0) {
        h = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
        atomic_store_explicit(&has, h, memory_order_relaxed);
    }
    return h && !atomic_load_explicit(&force_scalar, memory_order_relaxed);
#else
    return 0;
#endif
}

const char *sc_kernel_path(void) { return sc_use_avx2() ? "avx2" : "scalar"; }
