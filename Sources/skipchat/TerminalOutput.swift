import ArgumentParser
import Foundation
import SkipChatTUI

/// Whether `handle` is a terminal (`isatty`): text from a file or a model written there is
/// sanitised (`TerminalText`); written to a pipe or a file it keeps its exact bytes.
func isTerminal(_ handle: FileHandle) -> Bool {
    isatty(handle.fileDescriptor) == 1
}

/// Writes `text` to standard output, sanitised when standard output is a terminal.
func writeShown(_ text: String) {
    writeOut(TerminalText.shown(text, sanitize: isTerminal(.standardOutput)))
}

/// Writes "skipchat: MESSAGE" and a newline to standard error, always sanitised: error messages
/// quote file content (keys, names, paths) and are read on a terminal sooner or later.
func printErrorLine(_ message: String) {
    FileHandle.standardError.write(Data("skipchat: \(TerminalText.sanitized(message))\n".utf8))
}

/// `generate --sanitize`: whether text from the model is sanitised on standard output.
enum SanitizeChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// auto = standard output is a terminal.
    func enabled(for handle: FileHandle) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: isTerminal(handle)
        }
    }
}
