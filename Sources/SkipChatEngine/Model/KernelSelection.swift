import CKernels

/// Instruction-set path of the numeric kernels, chosen at run time (docs/performance.md, "Kernel
/// paths"): avx2 where the CPU has it (measured the fastest on the default model, see
/// `sc_default_path`), else scalar, unless `SKIPCHAT_KERNELS` names another. Process-wide.
public enum KernelPath: String, CaseIterable, Sendable {
    case scalar
    case avx2
    case avx2VNNI = "avx2-vnni"
    case avx512

    var code: Int32 {
        switch self {
        case .scalar: Int32(SC_PATH_SCALAR)
        case .avx2: Int32(SC_PATH_AVX2)
        case .avx2VNNI: Int32(SC_PATH_AVX2_VNNI)
        case .avx512: Int32(SC_PATH_AVX512)
        }
    }

    /// Whether this CPU and its operating system can run the path (cpuid and xgetbv).
    public var isSupported: Bool { sc_path_supported(code) != 0 }

    /// The path in use.
    public static var active: KernelPath { KernelPath(rawValue: String(cString: sc_kernel_path())) ?? .scalar }

    /// The path used when none is asked for.
    public static var defaultPath: KernelPath { KernelPath(rawValue: String(cString: sc_path_name(sc_default_path()))) ?? .scalar }
}

/// Activations of the quantised products (Q4_0/Q4_1/Q8_0 weights), rounded per position in
/// blocks of 32: `accurate` to int16, `fast` to int8 (llama.cpp's choice; ~1.2% logit error, the
/// largest |Δlogit| ÷ logit scale measured against numpy on the test fixture, docs/performance.md;
/// cheaper per batched position). Floating-point weights are unaffected, except BF16 weights on the
/// avx512 path of a CPU with AVX512_BF16, whose activations `fast` rounds to BF16 (vdpbf16ps;
/// ~0.2% error on a 2048×8192 product).
public enum KernelPrecision: String, CaseIterable, Sendable {
    case accurate
    case fast

    /// The precision in use.
    public static var active: KernelPrecision { sc_precision() == Int32(SC_PRECISION_FAST) ? .fast : .accurate }
}

/// A kernel setting that cannot be used.
public struct KernelSelectionError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Applies the kernel path and precision for this process.
public enum KernelSelection {
    /// Environment variable that forces a kernel path.
    public static let environmentKey = "SKIPCHAT_KERNELS"

    /// Uses the path named by `SKIPCHAT_KERNELS` in `environment` (or the default path when it is
    /// absent or empty) and `precision`.
    /// - Throws: `KernelSelectionError` when the variable names an unknown path or one this CPU
    ///   cannot run; nothing is changed then.
    public static func configure(environment: [String: String], precision: KernelPrecision = .accurate) throws {
        var path: KernelPath?
        if let name = environment[environmentKey], !name.isEmpty {
            guard let named = KernelPath(rawValue: name) else {
                let known = KernelPath.allCases.map(\.rawValue).joined(separator: ", ")
                throw KernelSelectionError(description: "\(environmentKey)=\(name) is not a kernel path (one of: \(known))")
            }
            guard named.isSupported else {
                let usable = KernelPath.allCases.filter(\.isSupported).map(\.rawValue).joined(separator: ", ")
                throw KernelSelectionError(description: "\(environmentKey)=\(name): this CPU cannot run the \(name) kernels (it runs: \(usable))")
            }
            path = named
        }
        sc_set_path(path?.code ?? -1)
        sc_set_precision(precision == .fast ? Int32(SC_PRECISION_FAST) : Int32(SC_PRECISION_ACCURATE))
    }

    /// One line for `info` and benchmark headers, e.g. "kernels avx2, precision accurate (CPU
    /// runs: scalar, avx2)", with a notice when the CPU has no vector path.
    public static var summary: String {
        let active = KernelPath.active
        let runs = KernelPath.allCases.filter(\.isSupported).map(\.rawValue)
        var line = "kernels \(active.rawValue), precision \(KernelPrecision.active.rawValue) (CPU runs: \(runs.joined(separator: ", ")))"
        if !KernelPath.avx2.isSupported { line += "; this CPU lacks AVX2+FMA: the portable scalar kernels run, slowly" }
        return line
    }
}
