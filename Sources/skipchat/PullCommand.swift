import ArgumentParser
import Foundation
import SkipChatHub
import SkipChatTUI

/// `skipchat pull ORG/NAME[:QUANT]`: downloads a model into the Hugging Face cache and prints the
/// path to load (`--model hf:ORG/NAME[:QUANT]` does the same on the way to loading it).
struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download a model from the Hugging Face Hub into its cache; print the path to load.",
        discussion: """
        ORG/NAME names a repository; :QUANT picks one GGUF file of several (e.g. :Q4_K_M, \
        case-insensitive). A repository without GGUF files is a checkpoint: config.json, the \
        .safetensors shards and the tokenizer files are fetched. Files go to the cache other tools \
        share ($HF_HUB_CACHE, default ~/.cache/huggingface/hub); interrupted downloads resume. \
        HF_TOKEN or the token file of `huggingface-cli login` opens gated models; HF_ENDPOINT \
        names another hub; HF_HUB_OFFLINE=1 only looks in the cache.
        """)

    @Argument(help: ArgumentHelp("The model: ORG/NAME or ORG/NAME:QUANT (an hf: prefix is allowed).", valueName: "model"))
    var model: String

    @Option(name: .long, help: "Branch, tag or commit.")
    var revision = "main"

    @Flag(name: .long, help: "No progress bar.")
    var quiet = false

    func run() throws {
        let name = model.hasPrefix(HubModelReference.prefix) ? String(model.dropFirst(HubModelReference.prefix.count)) : model
        let path = try failing {
            let reference = try HubModelReference(parsing: name)
            return try HubPull(showProgress: !quiet, log: printErrorLine, shown: { TerminalText.sanitized($0) }).modelPath(for: reference, revision: revision).path
        }
        writeShown(path + "\n")
    }
}
