// skipchat numeric kernels: matrix-vector / small-batch products on weights in their stored
// (quantised) format, and the small per-token operations of a Llama layer.
//
// Conventions: a weight matrix W has `rows` output features and `cols` input features and is
// stored row-major in its GGML type (GGUF spec, ggml/docs/gguf.md): row r starts at byte
// r * sc_row_bytes(type, cols). Activations are float32, one row of `cols` values per position.
// Vector code paths (AVX2, AVX-VNNI, AVX-512) are chosen at run time; a portable scalar path is always there.
#ifndef SKIPCHAT_KERNELS_H
#define SKIPCHAT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Weight types, numbered as GGML/GGUF number them.
enum {
    SC_TYPE_F32 = 0,
    SC_TYPE_F16 = 1,
    SC_TYPE_Q4_0 = 2,
    SC_TYPE_Q4_1 = 3,
    SC_TYPE_Q5_0 = 6,
    SC_TYPE_Q5_1 = 7,
    SC_TYPE_Q8_0 = 8,
    SC_TYPE_Q2_K = 10,
    SC_TYPE_Q3_K = 11,
    SC_TYPE_Q4_K = 12,
    SC_TYPE_Q5_K = 13,
    SC_TYPE_Q6_K = 14,
    SC_TYPE_IQ4_NL = 20,
    SC_TYPE_BF16 = 30,
};

/// Bytes of one row of `cols` values in `type`; 0 when the type is unsupported or `cols` is not
/// a multiple of the type's block size (32 for Q4_0/Q4_1/Q5_0/Q5_1/Q8_0/IQ4_NL, 256 for the
/// K-quants Q2_K…Q6_K, 1 otherwise).
size_t sc_row_bytes(int type, int64_t cols);
/// Values per block of `type` (1, 32 or 256, as above), 0 for an unsupported type.
int sc_type_block_values(int type);
/// Bytes per block of `type` (ggml/src/ggml-common.h block layouts), 0 for an unsupported type.
size_t sc_type_block_bytes(int type);
/// The GGML name of `type` ("Q4_K", …), NULL for an unsupported type.
const char *sc_type_name(int type);

// ---------------------------------------------------------------------------------------------
// Code paths and precision, chosen at run time

/// Kernel code paths (instruction sets), from the portable one to the widest.
enum {
    SC_PATH_SCALAR = 0,      ///< portable C, every CPU
    SC_PATH_AVX2 = 1,        ///< AVX2 + FMA + F16C
    SC_PATH_AVX2_VNNI = 2,   ///< the AVX2 path with AVX-VNNI (256-bit vpdpwssd / vpdpbusd)
    SC_PATH_AVX512 = 3,      ///< AVX-512 F/BW/VL + VNNI (512-bit vpdpwssd / vpdpbusd, FMA)
    SC_PATH_COUNT = 4,
};

/// Activations of the quantised products (Q4_0/Q4_1/Q8_0 weights), rounded per position in
/// blocks of 32: ACCURATE to int16 (scale max|x|/32767), FAST to int8 (max|x|/127, as llama.cpp's
/// Q8 activations: ~256× coarser, cheaper per position on the vector paths).
enum { SC_PRECISION_ACCURATE = 0, SC_PRECISION_FAST = 1 };

/// 1 when this CPU and operating system run `path` (cpuid, and xgetbv for the YMM/ZMM state).
int sc_path_supported(int path);
/// "scalar", "avx2", "avx2-vnni", "avx512" ("unknown" for other values).
const char *sc_path_name(int path);
/// The path of that name, or −1.
int sc_path_by_name(const char *name);
/// The path used when none is asked for: avx2 when supported (the fastest end to end on the
/// default model where all four paths were measured; cpu.c), else scalar.
int sc_default_path(void);
/// Uses `path` from the next call on (−1: back to the default). Returns 0, or −1 (and changes
/// nothing) when the CPU cannot run it. Process-wide; set it before generating, not during.
int sc_set_path(int path);
/// The path in use.
int sc_active_path(void);
/// Name of the path in use.
const char *sc_kernel_path(void);
/// 1 when the CPU has AVX512_BF16 (vdpbf16ps) with the AVX-512 state enabled.
int sc_cpu_has_avx512_bf16(void);
/// Activation precision of the quantised products from the next call on (process-wide).
void sc_set_precision(int precision);
int sc_precision(void);

// ---------------------------------------------------------------------------------------------
// Thread pool: persistent workers, created once; the calling thread takes part in every job.

typedef struct sc_pool sc_pool;

/// Creates a pool that runs jobs on `n_threads` threads in all (the caller plus n_threads-1
/// workers). n_threads < 1 is treated as 1. Returns NULL only when out of memory.
/// Idle workers spin briefly, then sleep (no CPU use between tokens). A pool serves one calling
/// thread at a time; a worker that is not scheduled in time (busy machine) skips a job rather
/// than delay it, so results and progress never depend on the other threads.
sc_pool *sc_pool_create(int n_threads);
void sc_pool_destroy(sc_pool *pool);
int sc_pool_threads(const sc_pool *pool);

// ---------------------------------------------------------------------------------------------
// Matrix products

/// One weight matrix of a (possibly fused) product: W is rows × cols in `type`; the result for
/// position t and output row r goes to y[t * y_stride + r].
typedef struct {
    int type;
    const void *w;
    int64_t rows;
    int64_t cols;
    float *y;
    int64_t y_stride;
} sc_matmul_job;

/// For every job j, every position t in [0, T) and row r: y_j[t, r] = Σ_c W_j[r, c] · x[t * x_stride + c].
/// All jobs share x and must have the same `cols`. The rows of all jobs together are split
/// across the pool's threads (several matrices that read the same input — Q, K, V or gate, up —
/// are one call). Each weight byte is read once per call whatever T is (T = 1…64).
/// The pool may be NULL (single-threaded). x must not overlap any y.
///
/// Exactness: y_j[t, r] depends only on W_j row r and x row t — never on T, n_jobs, the thread
/// count or the row split — so a position computed in a batch equals it computed alone, bit for
/// bit (self-speculative decoding compares the two). Paths and precisions may differ from each
/// other; a generation uses one path and one precision.
/// Numerics: F32/F16/BF16 weights use float32 products and sums, except BF16 weights on the
/// avx512 path at SC_PRECISION_FAST on CPUs with AVX512_BF16: there x is rounded to BF16 once
/// per call (vdpbf16ps; relative error ≤ 2⁻⁸ per value; on a 2048 × 8192 product, Gaussian
/// weights and activations, max|y − ref| / max|ref| = 2.2e-3 against 6.6e-7 for float32). Quantised weights use
/// integer dot products against activations quantised per position in blocks of 32 to int16
/// (SC_PRECISION_ACCURATE, scale max|x|/32767) or int8 (SC_PRECISION_FAST, max|x|/127), an error
/// of at most half a step per value. (int8 is what llama.cpp does; on SmolLM2-135M it moves
/// logits by ~1.2% (docs/performance.md) and can flip near-ties.)
/// Unsupported types or shapes (see sc_row_bytes) write NaN to that job's outputs.
/// The int16 activations live in a scratch buffer per calling thread, kept and reused.
void sc_matmul(sc_pool *pool, const sc_matmul_job *jobs, int n_jobs, const float *x,
               int64_t x_stride, int T);

/// Dequantises one row of `cols` values stored in `type` into out[0..cols); writes nothing for an
/// unsupported type.
void sc_dequantize_row(int type, const void *row, float *out, int64_t cols);

// ---------------------------------------------------------------------------------------------
// Per-position operations

/// RMSNorm (Zhang & Sennrich 2019): out[t, i] = x[t, i] / sqrt(mean_i(x[t, i]²) + eps) · w[i],
/// for T rows of n values (row stride n). out may equal x.
void sc_rmsnorm(float *out, const float *x, const float *w, int64_t n, int T, float eps);

/// Rotary position embedding (Su et al. 2021, RoFormer §3.4) in place, on T rows of
/// n_heads × head_dim values (row stride n_heads * head_dim). Position of row t is pos[t];
/// angle of pair i is pos · inv_freq[i], i in [0, head_dim/2).
/// style 0: adjacent pairs (x[2i], x[2i+1]) — GGUF "llama" files (Q/K were permuted by the converter).
/// style 1: rotate-half pairs (x[i], x[i + head_dim/2]) — Hugging Face checkpoints.
void sc_rope(float *x, int T, int n_heads, int head_dim, const int32_t *pos,
             const float *inv_freq, int style);

/// Element type of a KV cache's rows.
typedef enum {
    SC_KV_F32 = 0,    ///< float32
    SC_KV_F16 = 1,    ///< IEEE binary16, rounded to nearest even
    SC_KV_BF16 = 2,   ///< bfloat16 (the upper half of a float32), rounded to nearest even
} sc_kv_type;

/// Bytes of one cache element of `kv_type`.
size_t sc_kv_type_size(int kv_type);

/// dst[i] = src[i] rounded to `kv_type` (nearest even; overflow to ±infinity, NaN stays NaN) for
/// i < n. The same on every kernel path, so a cache's contents never depend on the path.
void sc_kv_store(void *dst, const float *src, int64_t n, int kv_type);

/// Grouped-query causal attention for T new query positions (online softmax over blocks of keys;
/// threads split the work over KV heads and segments of 512 keys).
/// q: T × n_heads × head_dim floats. k_cache, v_cache: [position][n_kv_heads][head_dim] elements
/// of `kv_type` (sc_kv_type), holding positions 0 … n_past+T-1 (the new positions already
/// written). Query t (position p = n_past + t) attends to keys max(0, p − window + 1) … p: keys
/// at positions ≤ p − window are masked (sliding window); window 0 means no window. Query head h
/// uses KV head h / (n_heads / n_kv_heads). out: T × n_heads × head_dim. scale is usually
/// 1/sqrt(head_dim). pool may be NULL. A scratch allocation that fails gives NaN outputs.
/// Exactness: row t equals a T = 1 call with n_past + t (and q row t), bit for bit, whatever the
/// pool's thread count.
void sc_attention(sc_pool *pool, float *out, const float *q, const void *k_cache, const void *v_cache, int kv_type,
                  int n_heads, int n_kv_heads, int head_dim, int T, int n_past, int window, float scale);

/// SwiGLU gate (Shazeer 2020): gate[i] = silu(gate[i]) · up[i] for i in [0, n), silu(x) = x / (1 + e^-x).
void sc_silu_mul(float *gate, const float *up, int64_t n);

/// GeGLU gate with the tanh approximation of GELU (Gemma; PyTorch gelu(approximate="tanh")):
/// gate[i] = 0.5 · g · (1 + tanh(sqrt(2/π) · (g + 0.044715 · g³))) · up[i], g = gate[i].
void sc_gelu_tanh_mul(float *gate, const float *up, int64_t n);

/// out[i] += x[i] for i in [0, n).
void sc_add(float *out, const float *x, int64_t n);

// ---------------------------------------------------------------------------------------------
// Benchmark support

/// Measured read bandwidth in GB/s (1e9 bytes/s): allocates `bytes`, touches them, then streams
/// through the buffer `reps` times for each of 1, 2, 4, 8 and 16 sequential streams per thread
/// (the pool's threads take 4 MiB chunks, each read as that many streams in lockstep) and returns
/// the best pass of all: the best read bandwidth a probe reaches, the roofline that
/// `skipchat bench` compares matmul throughput with (docs/performance.md).
/// Returns 0 when out of memory. Use a buffer well above the last-level cache (≥ 256 MB).
double sc_bench_read_bandwidth(sc_pool *pool, size_t bytes, int reps);

#ifdef __cplusplus
}
#endif
#endif
