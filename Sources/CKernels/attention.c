// Causal grouped-query attention over a float32 KV cache. Each (query position, KV group) pair
// is one task, computing the group's query heads together so that K and V are read once per
// group; every score and output element has a fixed summation order (keys in order), so a
// query's output is the same whether it is computed alone or in a batch.
#include "internal.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef void (*scores_fn)(float *s, const float *q, const float *k, int64_t kv_stride, int n_keys, int hd, float scale);
typedef void (*mix_fn)(float *out, const float *p, const float *v, int64_t kv_stride, int n_keys, int hd);
typedef float (*exp_fn)(float *s, int n, float max);

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

typedef struct {
    float *out;
    const float *q, *k, *v;
    int n_heads, n_kv_heads, head_dim, T, n_past, window;
    float scale;
    scores_fn scores;
    mix_fn mix;
    exp_fn exp;
    float *scratch;         // group × (n_past + T) scores per participating thread
    _Atomic int next;       // next (position, KV group) task
    _Atomic int threads;    // participating threads so far (each takes a scores row)
} attn_ctx;

/// Keys per block: the K or V rows of a block (≤ 64 × head_dim floats) stay in L1 while every
/// query head of the group uses them.
#define SC_KEY_BLOCK 64

/// For query position t and every head h of KV group g: out[t, h] = Σ_k softmax_k(scale ·
/// q[t, h]·K[k, g]) · V[k, g] over keys k ≤ n_past + t (and k > n_past + t − window when
/// window > 0). Blocking over keys changes no summation order: each score is one dot product,
/// each output element one sum in key order.
static void attend_group(const attn_ctx *a, int t, int g, float *scratch) {
    int hd = a->head_dim, group = a->n_heads / a->n_kv_heads;
    int64_t kv_stride = (int64_t)a->n_kv_heads * hd;
    int pos = a->n_past + t;
    int first = a->window > 0 && pos - a->window + 1 > 0 ? pos - a->window + 1 : 0;
    int n_keys = pos + 1 - first;
    const float *k = a->k + first * kv_stride + g * hd, *v = a->v + first * kv_stride + g * hd;
    const float *q = a->q + ((int64_t)t * a->n_heads + g * group) * hd;
    float *o = a->out + ((int64_t)t * a->n_heads + g * group) * hd;
    for (int kb = 0; kb < n_keys; kb += SC_KEY_BLOCK) {
        int nk = n_keys - kb < SC_KEY_BLOCK ? n_keys - kb : SC_KEY_BLOCK;
        for (int h = 0; h < group; h++)
            a->scores(scratch + (size_t)h * n_keys + kb, q + h * hd, k + kb * kv_stride, kv_stride, nk, hd, a->scale);
    }
    float inv[group];
    for (int h = 0; h < group; h++) {
        float *s = scratch + (size_t)h * n_keys;
        float max = -INFINITY;
        for (int key = 0; key < n_keys; key++) max = s[key] > max ? s[key] : max;
        inv[h] = 1.0f / a->exp(s, n_keys, max);
        for (int i = 0; i < hd; i++) o[h * hd + i] = 0.0f;
    }
    for (int kb = 0; kb < n_keys; kb += SC_KEY_BLOCK) {
        int nk = n_keys - kb < SC_KEY_BLOCK ? n_keys - kb : SC_KEY_BLOCK;
        for (int h = 0; h < group; h++)
            a->mix(o + h * hd, scratch + (size_t)h * n_keys + kb, v + kb * kv_stride, kv_stride, nk, hd);
    }
    for (int h = 0; h < group; h++)
        for (int i = 0; i < hd; i++) o[h * hd + i] *= inv[h];
}

static void attn_task(void *raw) {
    attn_ctx *a = raw;
    int n = a->T * a->n_kv_heads, group = a->n_heads / a->n_kv_heads;
    size_t row = (size_t)group * (size_t)(a->n_past + a->T);
    float *scratch = a->scratch + (size_t)atomic_fetch_add(&a->threads, 1) * row;
    for (int i; (i = atomic_fetch_add_explicit(&a->next, 1, memory_order_relaxed)) < n;)
        attend_group(a, i / a->n_kv_heads, i % a->n_kv_heads, scratch);
}

void sc_attention(sc_pool *pool, float *out, const float *q, const float *k_cache,
                  const float *v_cache, int n_heads, int n_kv_heads, int head_dim, int T,
                  int n_past, float scale, int window) {
    if (T <= 0 || n_heads <= 0 || n_kv_heads <= 0) return;
    attn_ctx a = {
        .out = out, .q = q, .k = k_cache, .v = v_cache, .n_heads = n_heads,
        .n_kv_heads = n_kv_heads, .head_dim = head_dim, .T = T, .n_past = n_past,
        .window = window, .scale = scale, .scores = scores_scalar, .mix = mix_scalar, .exp = exp_scalar,
    };
#if defined(__x86_64__) || defined(__i386__)
    if (sc_active_path() >= SC_PATH_AVX2) {   // the wider paths keep the AVX2 attention
        a.scores = sc_attn_scores_avx2;
        a.mix = sc_attn_mix_avx2;
        a.exp = sc_attn_exp_avx2;
    }
#endif
    atomic_init(&a.next, 0);
    atomic_init(&a.threads, 0);
    // Below ~16k multiply-adds a task hand-off costs more than it saves.
    int inline_only = (int64_t)T * n_heads * (n_past + T) * head_dim < 16384;
    size_t rows = inline_only ? 1 : (size_t)sc_pool_threads(pool);
    a.scratch = malloc(rows * (size_t)(n_heads / n_kv_heads) * (size_t)(n_past + T) * sizeof(float));
    if (!a.scratch) {
        for (int64_t i = 0; i < (int64_t)T * n_heads * head_dim; i++) out[i] = NAN;
        return;
    }
    if (inline_only) attn_task(&a);
    else sc_pool_run(pool, attn_task, &a);
    free(a.scratch);
}
