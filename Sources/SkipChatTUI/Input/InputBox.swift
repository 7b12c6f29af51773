import Foundation

/// The multi-line input box: editing, history, bracketed paste. Pure state; `InputView` draws it.
public struct InputBox: Equatable, Sendable {
    /// The text being edited.
    public private(set) var text: [Character] = []
    /// Cursor index into `text` (0 … text.count).
    public private(set) var cursor = 0
    /// True between the terminal's paste-begin and paste-end markers.
    public private(set) var pasting = false
    private var history: [String] = []
    /// Index into `history` while browsing it (nil: editing a new prompt).
    private var historyIndex: Int?
    /// The new prompt, kept while browsing history.
    private var stash: [Character] = []

    /// What a key did to the box.
    public enum Outcome: Equatable, Sendable {
        /// The key was not for the input box.
        case ignored
        case edited
        /// Enter outside a paste: the text to send (the box is cleared and the text remembered).
        case submitted(String)
    }

    /// Creates an empty box.
    public init() {}

    /// The text as a string.
    public var string: String { String(text) }
    public var isEmpty: Bool { text.isEmpty }

    /// Replaces the text (cursor at the end).
    public mutating func setText(_ string: String) {
        text = Array(string)
        cursor = text.count
        historyIndex = nil
    }

    /// Handles one key.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .pasteBegin: pasting = true
        case .pasteEnd: pasting = false
        case .character(let c): insert(c)
        case .tab: insert(pasting ? "\t" : " ")
        case .enter where pasting, .altEnter, .control("j"): insert("\n")
        case .enter:
            let submitted = string
            guard !submitted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .ignored }
            if history.last != submitted { history.append(submitted) }
            text = []
            cursor = 0
            historyIndex = nil
            return .submitted(submitted)
        case .backspace:
            guard cursor > 0 else { return .edited }
            cursor -= 1
            text.remove(at: cursor)
        case .delete, .control("d"):
            if cursor < text.count { text.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = lineStart(of: cursor)
        case .end, .control("e"): cursor = lineEnd(of: cursor)
        case .control("u"):
            let start = lineStart(of: cursor)
            text.removeSubrange(start..<cursor)
            cursor = start
        case .control("k"): text.removeSubrange(cursor..<lineEnd(of: cursor))
        case .control("w"): deleteWordBackwards()
        case .up:
            if lineStart(of: cursor) == 0 { recall(older: true) } else { moveVertically(up: true) }
        case .down:
            if lineEnd(of: cursor) == text.count { recall(older: false) } else { moveVertically(up: false) }
        default: return .ignored
        }
        return .edited
    }

    private mutating func insert(_ c: Character) {
        text.insert(c, at: cursor)
        cursor += 1
    }

    private func lineStart(of index: Int) -> Int {
        var i = index
        while i > 0, text[i - 1] != "\n" { i -= 1 }
        return i
    }

    private func lineEnd(of index: Int) -> Int {
        var i = index
        while i < text.count, text[i] != "\n" { i += 1 }
        return i
    }

    private mutating func moveVertically(up: Bool) {
        let start = lineStart(of: cursor)
        let column = cursor - start
        let targetStart = up ? lineStart(of: start - 1) : lineEnd(of: cursor) + 1
        cursor = min(targetStart + column, lineEnd(of: targetStart))
    }

    private mutating func deleteWordBackwards() {
        var i = cursor
        while i > 0, text[i - 1] == " " { i -= 1 }
        while i > 0, text[i - 1] != " ", text[i - 1] != "\n" { i -= 1 }
        text.removeSubrange(i..<cursor)
        cursor = i
    }

    /// ↑/↓ through earlier prompts; the prompt being written is kept and comes back at the end.
    private mutating func recall(older: Bool) {
        guard !history.isEmpty else { return }
        if older {
            if historyIndex == nil {
                stash = text
                historyIndex = history.count - 1
            } else if let i = historyIndex, i > 0 {
                historyIndex = i - 1
            }
        } else {
            guard let i = historyIndex else { return }
            historyIndex = i + 1 < history.count ? i + 1 : nil
        }
        text = historyIndex.map { Array(history[$0]) } ?? stash
        cursor = text.count
    }
}
