import Foundation

/// What a key does outside the input box's own editing.
public enum Action: Equatable, Sendable {
    case knob(KnobChange)
    case toggleHelp
    case toggleStats
    case toggleGhost
    case toggleLens
    /// Esc: stop generating, or close whatever is open.
    case cancel
    /// Ctrl-C: stop generating; twice in a row quits.
    case interrupt
    case redraw
    case scrollPage(up: Bool)
    case scrollLine(up: Bool)
}

/// The key bindings: one table drives the key handling, the F1 overlay and docs/keys.md.
/// Knob keys are function keys and Alt combinations, so they never collide with typing.
public enum KeyMap {
    /// One row of the table.
    public struct Binding: Sendable {
        public var keys: [Key]
        public var action: Action
        public var help: String
    }

    public static let bindings: [Binding] = [
        Binding(keys: [.function(1)], action: .toggleHelp, help: "help (also ? when the input is empty)"),
        Binding(keys: [.function(2)], action: .toggleStats, help: "stats panel: acceptance by position, exit layers, expected speedup per (E, K)"),
        Binding(keys: [.function(4)], action: .toggleLens, help: "layer lens: ←/→ pick a token, Esc leaves"),
    ] + knobBindings + [
        Binding(keys: [.escape], action: .cancel, help: "stop generating / close / leave lens"),
        Binding(keys: [.control("c")], action: .interrupt, help: "stop generating; twice quits"),
        Binding(keys: [.control("l")], action: .redraw, help: "redraw the screen"),
        Binding(keys: [.pageUp], action: .scrollPage(up: true), help: "scroll the transcript up"),
        Binding(keys: [.pageDown], action: .scrollPage(up: false), help: "scroll down (End follows the output)"),
        Binding(keys: [.alt("k")], action: .scrollLine(up: true), help: "scroll one line up"),
        Binding(keys: [.alt("j")], action: .scrollLine(up: false), help: "scroll one line down"),
    ]

    /// The bindings of the knobs' keys (`Knob.keys`), in table order.
    static var knobBindings: [Binding] {
        Knob.table.flatMap { knob -> [Binding] in
            switch knob.keys {
            case .steps(let down, let up, let step)?:
                let amount = KnobRange.format(step)
                return [Binding(keys: down, action: .knob(.step(knob.id, by: -1)), help: "\(knob.name) − \(amount)"),
                        Binding(keys: up, action: .knob(.step(knob.id, by: 1)), help: "\(knob.name) + \(amount)")]
            case .cycle(let keys)?:
                return [Binding(keys: keys, action: .knob(.step(knob.id, by: 1)), help: "\(knob.name): \(knob.range.text.replacingOccurrences(of: " | ", with: " → "))")]
            case .toggle(let keys)?:
                guard knob.id == .ghostText else { preconditionFailure("no toggle action for \(knob.id)") }
                return [Binding(keys: keys, action: .toggleGhost, help: "\(knob.name) on / off")]
            case nil:
                return []
            }
        }
    }

    /// Keys of the input box, for the help overlay.
    public static let editingHelp: [(String, String)] = [
        ("Enter", "send"),
        ("Alt+Enter, Ctrl-J", "new line (pasted text keeps its lines)"),
        ("↑ / ↓", "previous / next prompt"),
        ("Home / End", "line start / end; on empty input: top / follow"),
        ("Ctrl-A/E/U/K/W", "start, end, kill to start/end, kill word"),
        ("Ctrl-D", "quit (on empty input)"),
    ]

    private static let table: [Key: Action] = {
        var table: [Key: Action] = [:]
        for binding in bindings { for key in binding.keys { table[key] = binding.action } }
        return table
    }()

    /// The global action of `key`, or nil when the key belongs to the input box.
    public static func action(for key: Key) -> Action? { table[key] }

    /// Whether `key` changes a knob (knob keys keep working while the help overlay is open).
    public static func isKnob(_ key: Key) -> Bool {
        if case .knob = table[key] { return true }
        return false
    }
}
