import ArgumentParser
import Foundation
import SkipChatEngine
import SkipChatTUI

extension KernelPrecision: ExpressibleByArgument {}

/// `--precision`, `--kv-type` and the `SKIPCHAT_KERNELS` environment variable, for every command that runs the model.
struct KernelOptions: ParsableArguments {
    @Option(name: .customLong(Knob[.precision].flagName!), help: ArgumentHelp(
        Knob[.precision].help + " Default: \(Knob[.precision].defaultValue).",
        discussion: "\(Knob[.kernels].environment!)=\(Knob[.kernels].range.text.replacingOccurrences(of: " | ", with: "|")) forces a kernel path."))
    var precision: KernelPrecision?

    @Option(name: .customLong(Knob[.kvType].flagName!), help: ArgumentHelp(
        Knob[.kvType].help + " Default: \(Knob[.kvType].defaultValue).", valueName: Knob[.kvType].valueName))
    var kvType: String?

    /// `--kv-type` read (nil when not given); an unknown type is one line on standard error
    /// ("skipchat: --kv-type q4 is not a KV cache type (one of: f32, f16, bf16)") and exit status 1.
    func kvCacheType() throws -> KVCacheType? {
        guard let kvType else { return nil }
        return try failing {
            guard let type = KVCacheType(rawValue: kvType) else {
                let known = KVCacheType.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--\(Knob[.kvType].flagName!) \(kvType) is not a KV cache type (one of: \(known))")
            }
            return type
        }
    }

    /// Applies the path, precision and KV cache type; an unusable SKIPCHAT_KERNELS or `--kv-type`
    /// is one line and exit status 1.
    func apply() throws {
        KVCacheType.configure(try kvCacheType() ?? .f16)
        try failing { try KernelSelection.configure(environment: ProcessInfo.processInfo.environment, precision: precision ?? .accurate) }
    }
}
