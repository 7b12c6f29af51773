import ArgumentParser
import Foundation
import SkipChatEngine
import SkipChatTUI

/// `skipchat info`: the architecture and storage of a model file, and the draft head in use.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Print a model's architecture, tensor types and size, and its draft head.")

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        try modelOptions.kernels.apply()
        let request = try modelOptions.draftHeadRequest() ?? .auto
        let path = try HubModelArgument.resolve(modelOptions.model) ?? LanguageModel.defaultModelPath
        let progress = modelOptions.quantize.map { QuantizeProgress(type: $0) }
        let file = try failing {
            try ModelFile.open(path: path, quantize: modelOptions.quantize, threads: modelOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount,
                               progress: progress?.update ?? { _, _ in })
        }
        progress?.finish()
        for line in file.summaryLines { writeShown(line + "\n") }
        // The head drafts read with these flags (the sidecar's, the corpus's, or the full head).
        do {
            let model = try LanguageModel(file: file, threads: 1, adapters: !modelOptions.noAdapters,
                                          adapterPath: modelOptions.adapters.map { NSString(string: $0).expandingTildeInPath },
                                          draftHead: request)
            writeShown("draft head: " + model.draftHeadInfo.summary + "\n")
        } catch {
            writeShown("draft head: unknown (\(error))\n")
        }
        print(KernelSelection.summary)
    }
}
