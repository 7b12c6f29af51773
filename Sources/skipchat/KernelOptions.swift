import ArgumentParser
import Foundation
import SkipChatEngine

extension KernelPrecision: ExpressibleByArgument {}

/// `--precision` and the `SKIPCHAT_KERNELS` environment variable, for every command that runs the model.
struct KernelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Activations of quantised weights: accurate (int16) or fast (int8, as llama.cpp; ~2% logit error).",
        discussion: "SKIPCHAT_KERNELS=scalar|avx2|avx2-vnni|avx512 forces a kernel path."))
    var precision: KernelPrecision = .accurate

    /// Applies the path and precision; an unusable SKIPCHAT_KERNELS is one line and exit status 1.
    func apply() throws {
        try failing { try KernelSelection.configure(environment: ProcessInfo.processInfo.environment, precision: precision) }
    }
}
