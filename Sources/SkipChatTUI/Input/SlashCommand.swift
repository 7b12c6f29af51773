import Foundation
import SkipChatEngine

/// A command typed in the input box (a line starting with `/`).
public enum SlashCommand: Equatable, Sendable {
    /// `/set NAME VALUE` (`Knob.settable`).
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
    public static let summary: [(String, String)] = Knob.settable.map { knob in
        ("/set \(knob.setNames[0]) \(knob.valueName.flatMap { $0.count <= 2 ? $0 : nil } ?? "X")", "\(knob.name): \(knob.range.text)")
    } + [
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

    /// `/set NAME VALUE` for the knobs of `Knob.settable`; a value outside the knob's range is
    /// refused here with the same words as on the command line (the model's bounds are checked
    /// when the change is applied).
    private static func parseSet(_ words: [String]) -> Result<SlashCommand, SlashCommandError> {
        let names = Knob.settable.map { $0.setNames[0] }.joined(separator: "|")
        guard words.count == 2 else { return .failure(.init("usage: /set \(names) VALUE")) }
        let wanted = words[0].lowercased()
        guard let knob = Knob.settable.first(where: { $0.setNames.contains(wanted) }) else {
            return .failure(.init("unknown setting \(words[0]); use \(Knob.settable.map { $0.setNames[0] }.joined(separator: ", "))"))
        }
        switch knob.parse(words[1]) {
        case .failure(let problem): return .failure(.init("/set \(problem)"))
        case .success(let value):
            if let problem = knob.problem(value) { return .failure(.init("\(knob.name) \(problem)")) }
            return .success(.set(.set(knob.id, value)))
        }
    }
}

/// What is wrong with a slash command.
public struct SlashCommandError: Error, Equatable, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}
