/*
 * model_kernel_avx2.c — the choice model's kernel (model_kernel.h) for
 * x86-64 CPUs with AVX2: four doubles a vector. CMake compiles this file
 * with -mavx2 (not -mfma: a fused multiply-add rounds differently) and
 * defines SW_HAVE_AVX2_KERNEL only where the compiler accepts that flag;
 * model.c runs it only where the CPU has AVX2.
 *
 * On the 3,000 x 60 audit of bench/audit_peers.sh, single-threaded, the
 * whole audit took 22.3 ms with this kernel and 29.3 ms with the baseline
 * one (medians of 60 interleaved runs).
 */
#define SW_LANES 4
#define SW_MODEL_KERNEL sw__model_kernel_avx2
#define SW_KERNEL_NAME "avx2"
#include "model_kernel.h"
