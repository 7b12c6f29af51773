// The int16 / int8 quantisation of activations used by the integer dot products.
#include "internal.h"

#include <math.h>

static int64_t padded_blocks(int64_t cols) { return (cols / SC_QK + 7) / 8 * 8; }

size_t sc_xq_bytes(int64_t cols, int T) {
    // int16 values rounded up to 32 bytes, the int8 copy likewise, the d and s rows, then the
    // int16 values in the K-quant lane order.
    return ((size_t)T * (size_t)cols * 2 + 31) / 32 * 32 + ((size_t)T * (size_t)cols + 31) / 32 * 32 +
           2 * (size_t)T * (size_t)padded_blocks(cols) * sizeof(float) + (size_t)T * (size_t)cols * 2;
}

sc_xq sc_quantize_activations(const float *x, int64_t x_stride, int64_t cols, int T, int precision, void *buf) {
    int64_t nb = cols / SC_QK, nb_pad = padded_blocks(cols);
    const int fast = precision == SC_PRECISION_FAST;
    const int qmax = fast ? 127 : 32767;
    int16_t *q = buf;
    int8_t *q8 = (int8_t *)((char *)buf + ((size_t)T * (size_t)cols * 2 + 31) / 32 * 32);
    float *d = (float *)((char *)q8 + ((size_t)T * (size_t)cols + 31) / 32 * 32);
    float *s = d + (size_t)T * (size_t)nb_pad;
    for (int t = 0; t < T; t++) {
        for (int64_t b = 0; b < nb_pad; b++) {
            float *db = d + t * nb_pad + b, *sb = s + t * nb_pad + b;
            if (b >= nb) {
                *db = *sb = 0.0f;
                continue;
            }
            const float *v = x + t * x_stride + b * SC_QK;
            int16_t *qb = q + t * cols + b * SC_QK;
            float amax = 0.0f;
            for (int i = 0; i < SC_QK; i++) amax = fmaxf(amax, fabsf(v[i]));
            float scale = amax / (float)qmax;
            float inv = scale > 0.0f ? 1.0f / scale : 0.0f;
            int sum = 0;
            for (int i = 0; i < SC_QK; i++) {
                int r = (int)lrintf(v[i] * inv);
                qb[i] = (int16_t)(r > qmax ? qmax : r < -qmax ? -qmax : r);
                sum += qb[i];
                if (fast) q8[t * cols + b * SC_QK + i] = (int8_t)qb[i];
            }
            *db = scale;
            *sb = scale * (float)sum;
        }
    }
    int16_t *qk = NULL;
    if (cols % 256 == 0) {   // the same values, each super-block's 128 pairs reordered (SC_QK_LANES)
        qk = (int16_t *)(s + (size_t)T * (size_t)nb_pad);
        for (int64_t o = 0; o < (int64_t)T * cols; o += 256)
            for (int m = 0; m < 8; m++)
                for (int l = 0; l < 16; l++) memcpy(qk + o + 32 * m + 2 * l, q + o + 2 * SC_QK_LANES(m, l), 4);
    }
    return (sc_xq){.q = q, .qk = qk, .q8 = fast ? q8 : NULL, .d = d, .s = s, .nb = nb, .nb_pad = nb_pad};
}
