/*
 * model_kernel_base.c — the choice model's kernel (model_kernel.h) for any
 * CPU: two doubles a vector, SSE2 on x86-64 and NEON on arm64.
 */
#define SW_LANES 2
#define SW_MODEL_KERNEL sw__model_kernel_base
#define SW_KERNEL_NAME "baseline"
#include "model_kernel.h"
