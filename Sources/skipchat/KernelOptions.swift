import ArgumentParser
import Foundation
import SkipChatEngine
import SkipChatTUI

extension KernelPrecision: ExpressibleByArgument {}
extension KVCacheType: ExpressibleByArgument {}

/// `--precision`, `--kv-type` and the `SKIPCHAT_KERNELS` environment variable, for every command that runs the model.
struct KernelOptions: ParsableArguments {
    @Option(name: .customLong(Knob[.precision].flagName!), help: ArgumentHelp(
        Knob[.precision].help + " Default: \(Knob[.precision].defaultValue).",
        discussion: "\(Knob[.kernels].environment!)=\(Knob[.kernels].range.text.replacingOccurrences(of: " | ", with: "|")) forces a kernel path."))
    var precision: KernelPrecision?

    @Option(name: .customLong(Knob[.kvType].flagName!), help: ArgumentHelp(
        Knob[.kvType].help + " Default: \(Knob[.kvType].defaultValue).", valueName: Knob[.kvType].valueName))
    var kvType: KVCacheType?

    /// Applies the path, precision and KV cache type; an unusable SKIPCHAT_KERNELS is one line and
    /// exit status 1.
    func apply() throws {
        KVCacheType.configure(kvType ?? .f16)
        try failing { try KernelSelection.configure(environment: ProcessInfo.processInfo.environment, precision: precision ?? .accurate) }
    }
}
