import ArgumentParser
import Foundation

/// The non-blank lines of a prompts file (one prompt a line, for `--prompts`); a missing,
/// unreadable or empty file is an error.
func readPromptFile(_ path: String) throws -> [String] {
    guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
        throw ValidationError("--prompts \(path): cannot read the file as UTF-8 text")
    }
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !lines.isEmpty else { throw ValidationError("--prompts \(path): no prompts (one per line)") }
    return lines
}
