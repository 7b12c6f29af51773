import ArgumentParser
import Foundation
import SkipChatCalibration
import SkipChatTUI

/// `skipchat`: chat with a language model in the terminal, decoding with self-speculation.
@main
struct SkipChat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skipchat",
        abstract: "Chat with an LLM on the CPU using self-speculative (LayerSkip) decoding.",
        version: "skipchat 0.8.0",
        subcommands: [ChatCommand.self, GenerateCommand.self, InfoCommand.self, TokenizeCommand.self, BenchCommand.self,
                      CalibrateCommand.self, ExportCommand.self, PullCommand.self],
        defaultSubcommand: ChatCommand.self
    )

    /// Parses and runs the command. A `ValidationError` thrown while running (checks that need
    /// the loaded model, e.g. `--exit-layer` against its layers) is reported as a parsing one
    /// is, with the usage of the subcommand that threw it (ArgumentParser's `main` shows the
    /// root command's). Errors thrown while running are sanitised (`TerminalText`): they may
    /// quote a model file's content.
    static func main() {
        BLASThreads.stopIdleThreads()
        let parsed: ParsableCommand
        do { parsed = try parseAsRoot() } catch { exit(withError: error) }
        var command = parsed
        do {
            try command.run()
        } catch let error as ValidationError {
            let type = Swift.type(of: parsed)
            let name = type.configuration.commandName.map { " " + $0 } ?? ""
            FileHandle.standardError.write(Data("""
                Error: \(TerminalText.sanitized(error.message))
                Usage: \(usageString(for: type))
                  See 'skipchat\(name) --help' for more information.

                """.utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            let status = exitCode(for: error)
            guard status != .success else { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((TerminalText.sanitized(message) + "\n").utf8)) }
            Foundation.exit(status.rawValue)
        }
    }
}
