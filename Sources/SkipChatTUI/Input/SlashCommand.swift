import Foundation
import SkipChatEngine

/// A command typed in the input box (a line starting with `/`).
public enum SlashCommand: Equatable, Sendable {
    /// `/set exit|depth|mode|temp|threshold VALUE`
    case set(KnobChange)
    case help
    /// Forget the conversation.
    case clear
    /// `/system TEXT` sets the system prompt; `/system` alone clears it.
    case system(String?)
    /// Generate the last reply again.
    case regenerate
    /// `/save [FILE]` (no file: the last-session file).
    case save(String?)
    case load(String)
    /// `/export [--force] FILE.html`: the conversation as an HTML page (`SessionHTML`).
    case export(String, force: Bool)
    /// `/theme NAME`; `/theme` alone lists the themes.
    case theme(String?)
    case stats
    case ghost
    case lens
    case quit

    /// One line per command, for `/help` and the help overlay.
    public static let summary: [(String, String)] = [
        ("/set exit N", "exit layer E of the drafts"),
        ("/set depth N", "speculation depth K"),
        ("/set mode M", "autoregressive | fixed | dynamic | auto"),
        ("/set temp X", "temperature (0 = greedy)"),
        ("/set threshold X", "dynamic-exit confidence"),
        ("/system [TEXT]", "set or clear the system prompt"),
        ("/regen", "answer the last prompt again"),
        ("/save [FILE] /load FILE", "session as JSON"),
        ("/export [--force] FILE.html", "session as a web page"),
        ("/theme [NAME]", "switch theme (no name: list)"),
        ("/stats /ghost /lens", "toggle panel, ghost text, lens"),
        ("/clear /help /quit", ""),
    ]

    /// Parses `line`. Returns nil when it is not a command (does not start with `/`), else the
    /// command or a message saying what is wrong.
    public static func parse(_ line: String) -> Result<SlashCommand, SlashCommandError>? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/") else { return nil }
        let words = trimmed.dropFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first?.lowercased() else { return .failure(.init("empty command; try /help")) }
        let rest = words.dropFirst().joined(separator: " ")
        let argument: String? = rest.isEmpty ? nil : rest
        switch name {
        case "set": return parseSet(Array(words.dropFirst()))
        case "help", "h", "?": return .success(.help)
        case "clear", "new": return .success(.clear)
        case "system", "sys": return .success(.system(argument))
        case "regen", "regenerate", "retry": return .success(.regenerate)
        case "save": return .success(.save(argument))
        case "load":
            guard let argument else { return .failure(.init("usage: /load FILE")) }
            return .success(.load(argument))
        case "export":
            let force = words.contains("--force")
            let path = words.dropFirst().filter { $0 != "--force" }.joined(separator: " ")
            guard !path.isEmpty else { return .failure(.init("usage: /export [--force] FILE.html")) }
            return .success(.export(path, force: force))
        case "theme": return .success(.theme(argument))
        case "stats": return .success(.stats)
        case "ghost": return .success(.ghost)
        case "lens": return .success(.lens)
        case "quit", "exit", "q": return .success(.quit)
        default: return .failure(.init("unknown command /\(name); try /help"))
        }
    }

    private static func parseSet(_ words: [String]) -> Result<SlashCommand, SlashCommandError> {
        guard words.count == 2 else { return .failure(.init("usage: /set exit|depth|mode|temp|threshold VALUE")) }
        let value = words[1]
        switch words[0].lowercased() {
        case "exit", "e", "exit-layer":
            guard let n = Int(value) else { return .failure(.init("/set exit needs a layer number")) }
            return .success(.set(.setExitLayer(n)))
        case "depth", "k":
            guard let n = Int(value) else { return .failure(.init("/set depth needs a whole number")) }
            return .success(.set(.setDepth(n)))
        case "mode":
            let wanted = value.lowercased()
            guard let mode = DecodingMode(rawValue: wanted) ?? (wanted == "ar" ? .autoregressive : nil)
                    ?? DecodingMode.allCases.first(where: { $0.rawValue.hasPrefix(wanted) }) else {
                return .failure(.init("modes: autoregressive, fixed, dynamic, auto"))
            }
            return .success(.set(.setMode(mode)))
        case "temp", "temperature", "t":
            guard let x = Float(value), x >= 0 else { return .failure(.init("/set temp needs a number ≥ 0")) }
            return .success(.set(.setTemperature(x)))
        case "threshold", "th":
            guard let x = Float(value), x > 0, x <= 1 else { return .failure(.init("/set threshold needs a number in (0, 1]")) }
            return .success(.set(.setThreshold(x)))
        default:
            return .failure(.init("unknown setting \(words[0]); use exit, depth, mode, temp or threshold"))
        }
    }
}

/// What is wrong with a slash command.
public struct SlashCommandError: Error, Equatable, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}
