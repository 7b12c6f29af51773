// Causal grouped-query attention over a KV cache of float32, float16 or bfloat16 rows, tiled
// with an online softmax (Milakov & Gimelshein 2018, arXiv 1805.02867; the FlashAttention
// recurrence, Dao et al. 2022, arXiv 2205.14135 §3.1).
//
// Keys are cut into segments of SC_ATTN_SEGMENT positions, fixed in absolute position. One task
// is one (KV head, segment): it reads each K and V row of the segment once, in blocks of
// SC_ATTN_BLOCK keys widened to float32, for every query head of the group and every position
// of the batch, keeping a running (max, sum, output) per (position, head). A last pass combines
// a query's segment states in segment order. A query's keys, its segments and blocks, and every
// summation order depend only on its position, the window and the cache, never on T or on the
// thread count: row t of a call equals a T = 1 call at n_past + t, bit for bit.
#include "internal.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

/// Keys per online-softmax step: the widened K and V blocks (32 × head_dim floats each) stay in
/// L1 while every query row of the group uses them.
#define SC_ATTN_BLOCK 32
/// Keys per task (a multiple of SC_ATTN_BLOCK): one long context is many tasks, so both cores
/// work on one decode step.
#define SC_ATTN_SEGMENT 512

typedef void (*scores_fn)(float *s, const float *q, const float *k, int64_t kv_stride, int n_keys, int hd, float scale);
typedef void (*mix_fn)(float *out, const float *p, const float *v, int64_t kv_stride, int n_keys, int hd);
typedef float (*exp_fn)(float *s, int n, float max);
typedef void (*widen_fn)(float *dst, const void *src, int64_t src_stride, int rows, int hd, int kv_type);

/// s[key] = scale · q·K[key], each a sequential sum over head_dim.
static void scores_scalar(float *s, const float *q, const float *k, int64_t kv_stride, int n_keys, int hd, float scale) {
    for (int key = 0; key < n_keys; key++) {
        float sum = 0.0f;
        for (int i = 0; i < hd; i++) sum += q[i] * k[key * kv_stride + i];
        s[key] = sum * scale;
    }
}

/// s[i] = e^(s[i] − max), returning the sum (in index order).
static float exp_scalar(float *s, int n, float max) {
    float sum = 0.0f;
    for (int i = 0; i < n; i++) {
        s[i] = expf(s[i] - max);
        sum += s[i];
    }
    return sum;
}

/// out[i] += Σ_key p[key] · V[key, i], adding in key order.
static void mix_scalar(float *out, const float *p, const float *v, int64_t kv_stride, int n_keys, int hd) {
    for (int key = 0; key < n_keys; key++)
        for (int i = 0; i < hd; i++) out[i] += p[key] * v[key * kv_stride + i];
}

/// dst[r·hd + i] = src row r (at src + r·src_stride elements) value i, widened exactly to float32.
static void widen_scalar(float *dst, const void *src, int64_t src_stride, int rows, int hd, int kv_type) {
    const uint16_t *h = src;
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < hd; i++)
            dst[r * hd + i] = kv_type == SC_KV_F16 ? sc_fp16_to_fp32(h[r * src_stride + i]) : sc_bf16_to_fp32(h[r * src_stride + i]);
}

typedef struct {
    float *out;
    const float *q;
    const char *k, *v;
    int kv_type, n_heads, n_kv_heads, head_dim, T, n_past, window, n_segments;
    float scale;
    scores_fn scores;
    mix_fn mix;
    exp_fn exp;
    widen_fn widen;
    /// [T][n_heads][n_segments] states of head_dim + 2 floats: output sum, running max, running sum.
    float *partial;
    float *scratch;         // per participating thread: K block, V block, scores, corrections
    size_t scratch_floats;
    _Atomic int next;       // next (segment, KV head) task
    _Atomic int threads;    // participating threads so far (each takes a scratch slice)
} attn_ctx;

/// First key query position p attends to (keys ≤ p − window are masked; window 0 = none).
static inline int first_key(int p, int window) { return window > 0 && p - window + 1 > 0 ? p - window + 1 : 0; }

/// The keys of block [kb, kb + nk) that query row t attends to: [*jlo, *jhi) relative to kb.
static inline void block_keys(const attn_ctx *a, int t, int kb, int nk, int *jlo, int *jhi) {
    int pos = a->n_past + t, lo = first_key(pos, a->window);
    *jlo = lo > kb ? lo - kb : 0;
    *jhi = pos + 1 < kb + nk ? pos + 1 - kb : nk;
}

static inline float *state(const attn_ctx *a, int t, int h, int s) {
    return a->partial + (((size_t)t * a->n_heads + h) * a->n_segments + s) * (size_t)(a->head_dim + 2);
}

/// One (KV head g, segment s) task: the online-softmax states of segment s for every query row
/// of group g whose keys meet the segment.
static void attend_segment(const attn_ctx *a, int g, int s, float *scratch) {
    int hd = a->head_dim, group = a->n_heads / a->n_kv_heads, T = a->T;
    int64_t kv_stride = (int64_t)a->n_kv_heads * hd;
    size_t elt = sc_kv_type_size(a->kv_type);
    int seg_lo = s * SC_ATTN_SEGMENT, seg_hi = seg_lo + SC_ATTN_SEGMENT;
    int key_end = a->n_past + T < seg_hi ? a->n_past + T : seg_hi;
    float *kbuf = scratch, *vbuf = kbuf + SC_ATTN_BLOCK * hd, *p = vbuf + SC_ATTN_BLOCK * hd;
    float *corr = p + (size_t)T * group * SC_ATTN_BLOCK;
    // Rows whose keys meet the segment: t in [t0, t1).
    int t0 = seg_lo - a->n_past > 0 ? seg_lo - a->n_past : 0, t1 = T;
    while (t1 > t0 && first_key(a->n_past + t1 - 1, a->window) >= seg_hi) t1--;   // first_key grows with t
    for (int t = t0; t < t1; t++)
        for (int hh = 0; hh < group; hh++) {
            float *st = state(a, t, g * group + hh, s);
            for (int i = 0; i < hd; i++) st[i] = 0.0f;
            st[hd] = -INFINITY;
            st[hd + 1] = 0.0f;
        }
    for (int kb = seg_lo; kb < key_end; kb += SC_ATTN_BLOCK) {
        int nk = key_end - kb < SC_ATTN_BLOCK ? key_end - kb : SC_ATTN_BLOCK;
        // Rows that use this block: position ≥ kb and first key < kb + nk.
        int r0 = kb - a->n_past > t0 ? kb - a->n_past : t0, r1 = t1;
        while (r1 > r0 && first_key(a->n_past + r1 - 1, a->window) >= kb + nk) r1--;
        if (r0 >= r1) continue;
        const char *kraw = a->k + ((int64_t)kb * kv_stride + (int64_t)g * hd) * (int64_t)elt;
        const char *vraw = a->v + ((int64_t)kb * kv_stride + (int64_t)g * hd) * (int64_t)elt;
        const float *kf = (const float *)kraw, *vf = (const float *)vraw;
        int64_t stride = kv_stride;
        if (a->kv_type != SC_KV_F32) {
            a->widen(kbuf, kraw, kv_stride, nk, hd, a->kv_type);
            kf = kbuf;
            stride = hd;
        }
        for (int t = r0; t < r1; t++) {
            int jlo, jhi;
            block_keys(a, t, kb, nk, &jlo, &jhi);
            for (int hh = 0; hh < group; hh++) {
                int row = t * group + hh;
                float *sc = p + (size_t)row * SC_ATTN_BLOCK, *st = state(a, t, g * group + hh, s);
                const float *qrow = a->q + ((int64_t)t * a->n_heads + g * group + hh) * hd;
                a->scores(sc + jlo, qrow, kf + jlo * stride, stride, jhi - jlo, hd, a->scale);
                float m = st[hd], bmax = -INFINITY;
                for (int j = jlo; j < jhi; j++) bmax = sc[j] > bmax ? sc[j] : bmax;
                float mnew = bmax > m ? bmax : m;
                corr[row] = m == -INFINITY ? 0.0f : expf(m - mnew);
                float sum = a->exp(sc + jlo, jhi - jlo, mnew);
                st[hd] = mnew;
                st[hd + 1] = st[hd + 1] * corr[row] + sum;
            }
        }
        if (a->kv_type != SC_KV_F32) {
            a->widen(vbuf, vraw, kv_stride, nk, hd, a->kv_type);
            vf = vbuf;
        }
        for (int t = r0; t < r1; t++) {
            int jlo, jhi;
            block_keys(a, t, kb, nk, &jlo, &jhi);
            for (int hh = 0; hh < group; hh++) {
                int row = t * group + hh;
                float *st = state(a, t, g * group + hh, s), c = corr[row];
                for (int i = 0; i < hd; i++) st[i] *= c;
                a->mix(st, p + (size_t)row * SC_ATTN_BLOCK + jlo, vf + jlo * stride, stride, jhi - jlo, hd);
            }
        }
    }
}

static void attn_task(void *raw) {
    attn_ctx *a = raw;
    int n = a->n_segments * a->n_kv_heads;
    float *scratch = a->scratch + (size_t)atomic_fetch_add(&a->threads, 1) * a->scratch_floats;
    for (int i; (i = atomic_fetch_add_explicit(&a->next, 1, memory_order_relaxed)) < n;)
        attend_segment(a, i % a->n_kv_heads, i / a->n_kv_heads, scratch);
}

/// out[t, h] = Σ_s e^(m_s − M) · acc_s / Σ_s e^(m_s − M) · l_s over the query's segments, in
/// segment order (M = max m_s).
static void combine(const attn_ctx *a) {
    int hd = a->head_dim;
    for (int t = 0; t < a->T; t++) {
        int pos = a->n_past + t;
        int s0 = first_key(pos, a->window) / SC_ATTN_SEGMENT, s1 = pos / SC_ATTN_SEGMENT;
        for (int h = 0; h < a->n_heads; h++) {
            float *o = a->out + ((int64_t)t * a->n_heads + h) * hd;
            float m = -INFINITY, l = 0.0f;
            for (int s = s0; s <= s1; s++) m = state(a, t, h, s)[hd] > m ? state(a, t, h, s)[hd] : m;
            for (int i = 0; i < hd; i++) o[i] = 0.0f;
            for (int s = s0; s <= s1; s++) {
                const float *st = state(a, t, h, s);
                float c = expf(st[hd] - m);
                l += st[hd + 1] * c;
                for (int i = 0; i < hd; i++) o[i] += st[i] * c;
            }
            float inv = 1.0f / l;
            for (int i = 0; i < hd; i++) o[i] *= inv;
        }
    }
}

size_t sc_kv_type_size(int kv_type) { return kv_type == SC_KV_F32 ? 4 : 2; }

void sc_attention(sc_pool *pool, float *out, const float *q, const void *k_cache, const void *v_cache, int kv_type,
                  int n_heads, int n_kv_heads, int head_dim, int T, int n_past, int window, float scale) {
    if (T <= 0 || n_heads <= 0 || n_kv_heads <= 0) return;
    int n_keys = n_past + T;
    attn_ctx a = {
        .out = out, .q = q, .k = k_cache, .v = v_cache, .kv_type = kv_type, .n_heads = n_heads,
        .n_kv_heads = n_kv_heads, .head_dim = head_dim, .T = T, .n_past = n_past, .window = window > 0 ? window : 0,
        .n_segments = (n_keys + SC_ATTN_SEGMENT - 1) / SC_ATTN_SEGMENT, .scale = scale,
        .scores = scores_scalar, .mix = mix_scalar, .exp = exp_scalar, .widen = widen_scalar,
    };
#if defined(__x86_64__) || defined(__i386__)
    if (sc_active_path() >= SC_PATH_AVX2) {   // the wider paths keep the AVX2 attention
        a.scores = sc_attn_scores_avx2;
        a.mix = sc_attn_mix_avx2;
        a.exp = sc_attn_exp_avx2;
        a.widen = sc_attn_widen_avx2;
    }
#endif
    atomic_init(&a.next, 0);
    atomic_init(&a.threads, 0);
    int group = n_heads / n_kv_heads;
    // Below ~16k multiply-adds a task hand-off costs more than it saves.
    int inline_only = (int64_t)T * n_heads * n_keys * head_dim < 16384;
    size_t threads = inline_only ? 1 : (size_t)sc_pool_threads(pool);
    a.scratch_floats = 2 * (size_t)SC_ATTN_BLOCK * head_dim + (size_t)T * group * (SC_ATTN_BLOCK + 1);
    size_t partial_floats = (size_t)T * n_heads * a.n_segments * (size_t)(head_dim + 2);
    a.scratch = malloc((threads * a.scratch_floats + partial_floats) * sizeof(float));
    if (!a.scratch) {
        for (int64_t i = 0; i < (int64_t)T * n_heads * head_dim; i++) out[i] = NAN;
        return;
    }
    a.partial = a.scratch + threads * a.scratch_floats;
    if (inline_only) attn_task(&a);
    else sc_pool_run(pool, attn_task, &a);
    combine(&a);
    free(a.scratch);
}
