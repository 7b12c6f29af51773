// AVX2 + FMA inner loops of attention (x86-64), chosen at run time. Same contracts as the
// portable versions in attention.c: each score and each output element has a fixed summation
// order, independent of how many keys are processed together.
#if defined(__x86_64__) || defined(__i386__)
#include "avx2_util.h"

/// q·k for one key: one accumulator over head_dim in steps of 8, hsum8, then the scalar tail.
SC_AVX2 static inline float dot_one(const float *q, const float *k, int hd) {
    __m256 acc = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= hd; i += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(k + i), acc);
    float s = hsum8(acc);
    for (; i < hd; i++) s += q[i] * k[i];
    return s;
}

SC_AVX2 void sc_attn_scores_avx2(float *s, const float *q, const float *k, int64_t kv_stride, int n_keys,
                                 int hd, float scale) {
    int key = 0;
    // Four keys at a time: four independent FMA chains, each the same as dot_one's.
    for (; key + 4 <= n_keys && hd % 8 == 0; key += 4) {
        const float *k0 = k + key * kv_stride;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < hd; i += 8) {
            __m256 qv = _mm256_loadu_ps(q + i);
            a0 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k0 + i), a0);
            a1 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k0 + kv_stride + i), a1);
            a2 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k0 + 2 * kv_stride + i), a2);
            a3 = _mm256_fmadd_ps(qv, _mm256_loadu_ps(k0 + 3 * kv_stride + i), a3);
        }
        s[key] = hsum8(a0) * scale;
        s[key + 1] = hsum8(a1) * scale;
        s[key + 2] = hsum8(a2) * scale;
        s[key + 3] = hsum8(a3) * scale;
    }
    for (; key < n_keys; key++) s[key] = dot_one(q, k + key * kv_stride, hd) * scale;
}

/// e^x for x ≤ 0 (larger x is not needed by softmax), Cephes-style: x = n·ln2 + r, |r| ≤ ln2/2,
/// e^r by a degree-6 polynomial, 2^n through the exponent bits. Relative error ~2e-7; inputs
/// below −87.3 give ~1e-38 instead of a subnormal or zero.
SC_AVX2 static inline __m256 exp_nonpositive(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.3f));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(5.0000001201e-1f));
    y = _mm256_fmadd_ps(y, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
}

SC_AVX2 float sc_attn_exp_avx2(float *s, int n, float max) {
    __m256 mv = _mm256_set1_ps(max), sum = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 e = exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(s + i), mv));
        _mm256_storeu_ps(s + i, e);
        sum = _mm256_add_ps(sum, e);
    }
    if (i < n) {   // the last 1–7 values, other lanes masked off (and zero in the sum)
        __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(n - i), lane);
        __m256 e = exp_nonpositive(_mm256_sub_ps(_mm256_maskload_ps(s + i, mask), mv));
        e = _mm256_and_ps(e, _mm256_castsi256_ps(mask));
        _mm256_maskstore_ps(s + i, mask, e);
        sum = _mm256_add_ps(sum, e);
    }
    return hsum8(sum);
}

SC_AVX2 void sc_attn_mix_avx2(float *out, const float *p, const float *v, int64_t kv_stride, int n_keys, int hd) {
    int i = 0;
    // 32 output values at a time stay in registers across all keys.
    for (; i + 32 <= hd; i += 32) {
        __m256 o0 = _mm256_loadu_ps(out + i), o1 = _mm256_loadu_ps(out + i + 8);
        __m256 o2 = _mm256_loadu_ps(out + i + 16), o3 = _mm256_loadu_ps(out + i + 24);
        for (int key = 0; key < n_keys; key++) {
            const float *vk = v + key * kv_stride + i;
            __m256 pk = _mm256_broadcast_ss(p + key);
            o0 = _mm256_fmadd_ps(pk, _mm256_loadu_ps(vk), o0);
            o1 = _mm256_fmadd_ps(pk, _mm256_loadu_ps(vk + 8), o1);
            o2 = _mm256_fmadd_ps(pk, _mm256_loadu_ps(vk + 16), o2);
            o3 = _mm256_fmadd_ps(pk, _mm256_loadu_ps(vk + 24), o3);
        }
        _mm256_storeu_ps(out + i, o0);
        _mm256_storeu_ps(out + i + 8, o1);
        _mm256_storeu_ps(out + i + 16, o2);
        _mm256_storeu_ps(out + i + 24, o3);
    }
    for (; i + 8 <= hd; i += 8) {
        __m256 o = _mm256_loadu_ps(out + i);
        for (int key = 0; key < n_keys; key++)
            o = _mm256_fmadd_ps(_mm256_broadcast_ss(p + key), _mm256_loadu_ps(v + key * kv_stride + i), o);
        _mm256_storeu_ps(out + i, o);
    }
    for (; i < hd; i++) {
        float o = out[i];
        for (int key = 0; key < n_keys; key++) o += p[key] * v[key * kv_stride + i];
        out[i] = o;
    }
}
SC_AVX2 void sc_attn_widen_avx2(float *dst, const void *src, int64_t src_stride, int rows, int hd, int kv_type) {
    const uint16_t *h = src;
    for (int r = 0; r < rows; r++) {
        const uint16_t *row = h + r * src_stride;
        float *d = dst + r * hd;
        int i = 0;
        if (kv_type == SC_KV_F16) {
            for (; i + 8 <= hd; i += 8) _mm256_storeu_ps(d + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + i))));
            for (; i < hd; i++) d[i] = sc_fp16_to_fp32(row[i]);
        } else {
            for (; i + 8 <= hd; i += 8) {
                __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(row + i)));
                _mm256_storeu_ps(d + i, _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16)));
            }
            for (; i < hd; i++) d[i] = sc_bf16_to_fp32(row[i]);
        }
    }
}
#endif
