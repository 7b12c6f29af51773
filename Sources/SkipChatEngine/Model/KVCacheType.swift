import CKernels
import Synchronization

/// Element type of the KV cache. Keys and values are computed in float32 and rounded once, to
/// nearest even, when they are written (`sc_kv_store`); attention widens them back exactly. Draft,
/// verification and plain decoding write and read the cache the same way, so greedy
/// self-speculation equals plain decoding for every type. Logit error against the float32
/// reference fixtures: docs/performance.md ("KV cache types").
public enum KVCacheType: String, CaseIterable, Sendable {
    case f32
    case f16
    case bf16

    /// The type caches get when none is named (`configure(_:)` changes it for the process):
    /// f16, as llama.cpp's default; half the bytes of f32 with 11 significant bits.
    public static var active: KVCacheType { current.withLock { $0 } }

    /// Sets the type of the caches made from now on in this process.
    public static func configure(_ type: KVCacheType) { current.withLock { $0 = type } }

    /// Runs `body` with `type` active, then restores the previous type (tests, benchmarks).
    public static func with<R>(_ type: KVCacheType, _ body: () throws -> R) rethrows -> R {
        let previous = active
        configure(type)
        defer { configure(previous) }
        return try body()
    }

    private static let current = Mutex(KVCacheType.f16)

    /// Bytes of one element.
    public var elementSize: Int { Int(sc_kv_type_size(code)) }

    /// The `sc_kv_type` value the kernels take.
    public var code: Int32 {
        switch self {
        case .f32: Int32(SC_KV_F32.rawValue)
        case .f16: Int32(SC_KV_F16.rawValue)
        case .bf16: Int32(SC_KV_BF16.rawValue)
        }
    }
}
