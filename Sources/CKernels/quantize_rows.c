// Weight quantisation (F32/F16/BF16 → Q8_0, Q4_0, Q4_K) for quantise-on-load, the same math as
// llama.cpp's reference quantisers in ggml-quants.c; block layouts as in weight_types.h.
#include "internal.h"
#include "skipchat_quantize.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

/// float32 → IEEE binary16, round to nearest even (what F16C's vcvtps2ph and ggml's software
/// GGML_FP32_TO_FP16 do); overflow gives infinity, NaN stays NaN.
static uint16_t fp32_to_fp16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t abs = x & 0x7fffffffu;
    if (abs > 0x7f800000u) return (uint16_t)(sign | 0x7e00u);            // NaN
    if (abs >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u);           // rounds past 65504: infinity
    if (abs < 0x38800000u) {                                             // subnormal half (or zero)
        float a;
        memcpy(&a, &abs, 4);
        // a · 2^24 rounded to an integer, ties to even (the default rounding mode).
        return (uint16_t)(sign | (uint32_t)lrintf(a * 0x1p24f));
    }
    uint32_t rounded = abs + 0xfffu + ((abs >> 13) & 1u);               // round to nearest even at bit 13
    return (uint16_t)(sign | ((rounded - 0x38000000u) >> 13));
}

/// ggml-quants.c nearest_int: round half to even through the float 1.5·2^23 trick (|v| ≤ 4194303).
static inline int nearest_int(float v) {
    float shifted = v + 12582912.f;
    int32_t i;
    memcpy(&i, &shifted, 4);
    return (i & 0x007fffff) - 0x00400000;
}

static void quantize_q8_0(const float *x, uint8_t *y, int64_t cols) {
    for (int64_t b = 0; b < cols / 32; b++, x += 32, y += 34) {
        float amax = 0.0f;
        for (int j = 0; j < 32; j++) amax = fmaxf(amax, fabsf(x[j]));
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        uint16_t h = fp32_to_fp16(d);
        memcpy(y, &h, 2);
        for (int j = 0; j < 32; j++) y[2 + j] = (uint8_t)(int8_t)roundf(x[j] * id);
    }
}

static void quantize_q4_0(const float *x, uint8_t *y, int64_t cols) {
    for (int64_t b = 0; b < cols / 32; b++, x += 32, y += 18) {
        float amax = 0.0f, max = 0.0f;   // the value of largest magnitude, with its sign
        for (int j = 0; j < 32; j++) {
            if (amax < fabsf(x[j])) {
                amax = fabsf(x[j]);
                max = x[j];
            }
        }
        const float d = max / -8.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        uint16_t h = fp32_to_fp16(d);
        memcpy(y, &h, 2);
        for (int j = 0; j < 16; j++) {
            const float x0 = x[j] * id, x1 = x[16 + j] * id;
            const int8_t q0 = (int8_t)(x0 + 8.5f), q1 = (int8_t)(x1 + 8.5f);
            const uint8_t l0 = q0 < 15 ? (uint8_t)q0 : 15, l1 = q1 < 15 ? (uint8_t)q1 : 15;
            y[2 + j] = (uint8_t)(l0 | (l1 << 4));
        }
    }
}

/// ggml-quants.c make_qkx2_quants for n = 32, nmax = 15, rmin = -1, rdelta = 0.1, nstep = 20,
/// squared error: the scale and (non-positive) minimum of x ≈ scale·L + min, searched over 21
/// candidate inverse scales, each refined by weighted least squares. Returns the scale, *neg_min = −min.
static float make_qkx2_quants(const float *x, const float *w, uint8_t *L, float *neg_min) {
    enum { n = 32, nmax = 15, nstep = 20 };
    const float rmin = -1.0f, rdelta = 0.1f;
    uint8_t Laux[n];
    float min = x[0], max = x[0], sum_w = w[0], sum_x = sum_w * x[0];
    for (int i = 1; i < n; i++) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
        sum_w += w[i];
        sum_x += w[i] * x[i];
    }
    if (min > 0) min = 0;
    if (max == min) {
        memset(L, 0, n);
        *neg_min = -min;
        return 0.0f;
    }
    float iscale = nmax / (max - min);
    float scale = 1 / iscale;
    float best_error = 0;
    for (int i = 0; i < n; i++) {
        int l = nearest_int(iscale * (x[i] - min));
        L[i] = (uint8_t)(l < 0 ? 0 : l > nmax ? nmax : l);
        float diff = scale * L[i] + min - x[i];
        best_error += w[i] * (diff * diff);
    }
    for (int is = 0; is <= nstep; is++) {
        iscale = (rmin + rdelta * is + nmax) / (max - min);
        float sum_l = 0, sum_l2 = 0, sum_xl = 0;
        for (int i = 0; i < n; i++) {
            int l = nearest_int(iscale * (x[i] - min));
            l = l < 0 ? 0 : l > nmax ? nmax : l;
            Laux[i] = (uint8_t)l;
            sum_l += w[i] * l;
            sum_l2 += w[i] * l * l;
            sum_xl += w[i] * l * x[i];
        }
        float D = sum_w * sum_l2 - sum_l * sum_l;
        if (D > 0) {
            float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
            float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
            if (this_min > 0) {
                this_min = 0;
                this_scale = sum_xl / sum_l2;
            }
            float cur_error = 0;
            for (int i = 0; i < n; i++) {
                float diff = this_scale * Laux[i] + this_min - x[i];
                cur_error += w[i] * (diff * diff);
            }
            if (cur_error < best_error) {
                memcpy(L, Laux, n);
                best_error = cur_error;
                scale = this_scale;
                min = this_min;
            }
        }
    }
    *neg_min = -min;
    return scale;
}

/// Q4_K super-block (144 bytes): d, dmin (F16), 12 bytes of 6-bit scales and minima, 128 bytes
/// of 4-bit values (ggml-quants.c quantize_row_q4_K_ref; get_scale_min_k4's packing).
static void quantize_q4_k(const float *x, uint8_t *y, int64_t cols) {
    for (int64_t b = 0; b < cols / 256; b++, x += 256, y += 144) {
        uint8_t L[256], *scales = y + 4, *q = y + 16;
        float mins[8], subscales[8], weights[32], max_scale = 0, max_min = 0;
        for (int j = 0; j < 8; j++) {
            float sum_x2 = 0;
            for (int l = 0; l < 32; l++) sum_x2 += x[32 * j + l] * x[32 * j + l];
            const float av_x = sqrtf(sum_x2 / 32);
            for (int l = 0; l < 32; l++) weights[l] = av_x + fabsf(x[32 * j + l]);
            subscales[j] = make_qkx2_quants(x + 32 * j, weights, L + 32 * j, &mins[j]);
            if (subscales[j] > max_scale) max_scale = subscales[j];
            if (mins[j] > max_min) max_min = mins[j];
        }
        const float inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f;
        const float inv_min = max_min > 0 ? 63.f / max_min : 0.f;
        memset(scales, 0, 12);
        for (int j = 0; j < 8; j++) {
            uint8_t ls = (uint8_t)nearest_int(inv_scale * subscales[j]);
            uint8_t lm = (uint8_t)nearest_int(inv_min * mins[j]);
            ls = ls < 63 ? ls : 63;
            lm = lm < 63 ? lm : 63;
            if (j < 4) {
                scales[j] = ls;
                scales[j + 4] = lm;
            } else {
                scales[j + 4] = (uint8_t)((ls & 0xF) | ((lm & 0xF) << 4));
                scales[j - 4] |= (uint8_t)((ls >> 4) << 6);
                scales[j] |= (uint8_t)((lm >> 4) << 6);
            }
        }
        const uint16_t dh = fp32_to_fp16(max_scale / 63.f), mh = fp32_to_fp16(max_min / 63.f);
        memcpy(y, &dh, 2);
        memcpy(y + 2, &mh, 2);
        const float d_all = sc_fp16_to_fp32(dh), m_all = sc_fp16_to_fp32(mh);
        for (int j = 0; j < 8; j++) {
            uint8_t sc, m;
            if (j < 4) {
                sc = scales[j] & 63;
                m = scales[j + 4] & 63;
            } else {
                sc = (uint8_t)((scales[j + 4] & 0xF) | ((scales[j - 4] >> 6) << 4));
                m = (uint8_t)((scales[j + 4] >> 4) | ((scales[j] >> 6) << 4));
            }
            const float d = d_all * sc;
            if (!d) continue;
            const float dm = m_all * m;
            for (int i = 0; i < 32; i++) {
                int l = nearest_int((x[32 * j + i] + dm) / d);
                L[32 * j + i] = (uint8_t)(l < 0 ? 0 : l > 15 ? 15 : l);
            }
        }
        for (int j = 0; j < 256; j += 64, q += 32)
            for (int l = 0; l < 32; l++) q[l] = (uint8_t)(L[j + l] | (L[j + l + 32] << 4));
    }
}

typedef struct {
    int type, src_type;
    uint8_t *dst;
    const uint8_t *src;
    int64_t rows, cols;
    size_t dst_row_bytes, src_row_bytes;
    atomic_long next;
} quantize_job;

enum { ROWS_PER_ITEM = 4 };

static void quantize_task(void *ctx) {
    quantize_job *job = ctx;
    float *row = malloc((size_t)job->cols * sizeof(float));
    if (!row) abort();
    for (;;) {
        const int64_t first = atomic_fetch_add(&job->next, ROWS_PER_ITEM);
        if (first >= job->rows) break;
        const int64_t end = first + ROWS_PER_ITEM < job->rows ? first + ROWS_PER_ITEM : job->rows;
        for (int64_t r = first; r < end; r++) {
            const uint8_t *in = job->src + (size_t)r * job->src_row_bytes;
            const float *x = (const float *)in;
            if (job->src_type != SC_TYPE_F32) {
                const uint16_t *h = (const uint16_t *)in;
                if (job->src_type == SC_TYPE_F16)
                    for (int64_t c = 0; c < job->cols; c++) row[c] = sc_fp16_to_fp32(h[c]);
                else
                    for (int64_t c = 0; c < job->cols; c++) row[c] = sc_bf16_to_fp32(h[c]);
                x = row;
            }
            uint8_t *out = job->dst + (size_t)r * job->dst_row_bytes;
            switch (job->type) {
            case SC_TYPE_Q8_0: quantize_q8_0(x, out, job->cols); break;
            case SC_TYPE_Q4_0: quantize_q4_0(x, out, job->cols); break;
            default: quantize_q4_k(x, out, job->cols); break;
            }
        }
    }
    free(row);
}

int sc_quantize_rows(sc_pool *pool, int type, void *dst, int src_type, const void *src, int64_t rows, int64_t cols) {
    const int64_t block = type == SC_TYPE_Q4_K ? 256 : 32;
    if ((type != SC_TYPE_Q8_0 && type != SC_TYPE_Q4_0 && type != SC_TYPE_Q4_K) || cols <= 0 || cols % block != 0 || rows < 0) return -1;
    if (src_type != SC_TYPE_F32 && src_type != SC_TYPE_F16 && src_type != SC_TYPE_BF16) return -1;
    quantize_job job = {
        .type = type, .src_type = src_type, .dst = dst, .src = src, .rows = rows, .cols = cols,
        .dst_row_bytes = (size_t)(cols / block) * (type == SC_TYPE_Q8_0 ? 34 : type == SC_TYPE_Q4_0 ? 18 : 144),
        .src_row_bytes = (size_t)cols * (src_type == SC_TYPE_F32 ? 4 : 2),
    };
    atomic_init(&job.next, 0);
    sc_pool_run(pool, quantize_task, &job);
    return 0;
}
