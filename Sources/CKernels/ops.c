// Element-wise and per-position operations of a layer: RMSNorm, RoPE, SwiGLU and GeGLU gates, residual add.
// Plain loops: they touch a few KB per token, next to megabytes of weights in the matrix products.
#include "internal.h"

#include <math.h>

void sc_rmsnorm(float *out, const float *x, const float *w, int64_t n, int T, float eps) {
    for (int t = 0; t < T; t++) {
        const float *xr = x + t * n;
        float *o = out + t * n;
        double ss = 0.0;
        for (int64_t i = 0; i < n; i++) ss += (double)xr[i] * xr[i];
        float inv = (float)(1.0 / sqrt(ss / (double)n + (double)eps));
        for (int64_t i = 0; i < n; i++) o[i] = xr[i] * inv * w[i];
    }
}

void sc_rope(float *x, int T, int n_heads, int head_dim, const int32_t *pos, const float *inv_freq,
             int style) {
    int half = head_dim / 2;
    float cs[half], sn[half];
    for (int t = 0; t < T; t++) {
        for (int i = 0; i < half; i++) {
            float angle = (float)pos[t] * inv_freq[i];   // float32 product, as Hugging Face and ggml do
            cs[i] = cosf(angle);
            sn[i] = sinf(angle);
        }
        for (int h = 0; h < n_heads; h++) {
            float *v = x + ((int64_t)t * n_heads + h) * head_dim;
            for (int i = 0; i < half; i++) {
                int a = style == 0 ? 2 * i : i;
                int b = style == 0 ? 2 * i + 1 : i + half;
                float x0 = v[a], x1 = v[b];
                v[a] = x0 * cs[i] - x1 * sn[i];
                v[b] = x0 * sn[i] + x1 * cs[i];
            }
        }
    }
}

void sc_silu_mul(float *gate, const float *up, int64_t n) {
    for (int64_t i = 0; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

void sc_gelu_tanh_mul(float *gate, const float *up, int64_t n) {
    const float c = 0.7978845608028654f;   // sqrt(2/π)
    for (int64_t i = 0; i < n; i++) {
        float g = gate[i];
        gate[i] = 0.5f * g * (1.0f + tanhf(c * (g + 0.044715f * g * g * g))) * up[i];
    }
}

void sc_add(float *out, const float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) out[i] += x[i];
}
