import ArgumentParser
import Foundation
import SkipChatEngine

/// `skipchat bench synthetic-gguf NAME OUT.gguf`: a random-weight model of a real shape as a GGUF
/// file, so that llama.cpp and skipchat can run the identical file.
struct SyntheticGGUFBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic-gguf",
        abstract: "Write a random-weight model of a named shape as a GGUF file that llama.cpp and skipchat both load (the model `--synthetic NAME` makes in memory)."
    )

    @Argument(help: ArgumentHelp("The shape.", valueName: SyntheticShape.allCases.map(\.rawValue).joined(separator: "|")))
    var name: SyntheticShape

    @Argument(help: "The GGUF file to write.")
    var output: String

    @Flag(name: .long, help: "Overwrite OUT.gguf when it exists.")
    var force = false

    func validate() throws {
        let path = NSString(string: output).expandingTildeInPath
        if FileManager.default.fileExists(atPath: path) && !force {
            throw ValidationError("\(output) exists; add --force to overwrite it")
        }
    }

    func run() throws {
        let path = NSString(string: output).expandingTildeInPath
        let start = Date()
        try failing { try name.spec.writeGGUF(to: path) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        writeOut("wrote \(output): \(name.label), \(size) bytes in \(String(format: "%.2f", Date().timeIntervalSince(start))) s\n")
    }
}
