import Foundation
import XCTest

/// Raw escape sequences sent to the real binary in tmux: keys in their other encodings work,
/// reports and unknown sequences leave no text in the input box.
final class TerminalInputEndToEndTests: XCTestCase {
    /// Sends raw bytes (`send-keys -H`).
    private func sendBytes(_ chat: TmuxHarness, _ sequence: String) throws {
        try chat.run(["send-keys", "-t", chat.session, "-H"] + sequence.utf8.map { String($0, radix: 16) })
    }

    private func inputLine(_ screen: String) -> String {
        screen.split(separator: "\n").last(where: { $0.hasPrefix("› ") || $0.hasPrefix("… ") }).map(String.init) ?? ""
    }

    func testEscapeSequencesEditOrVanish() throws {
        let chat = try TmuxHarness()
        try chat.waitUntilReady()
        try chat.send("abc", literal: true)
        try chat.waitFor("typed text") { self.inputLine($0) == "› abc" }
        let steps: [(bytes: [String], then: String, expected: String)] = [
            (["\u{1b}[1~"], "X", "› Xabc"),  // VT220 Home
            (["\u{1b}[4~"], "Y", "› XabcY"),  // VT220 End: the sequence of the issue
            (["\u{1b}[I", "\u{1b}[O", "\u{1b}[<0;10;5M", "\u{1b}[<0;10;5m", "\u{1b}[99z", "\u{1b}[2~", "\u{1b}[?1;2c"], "Z", "› XabcYZ"),
            (["\u{1b}OH", "\u{1b}[3~"], "", "› abcYZ"),  // SS3 Home, then Delete
            (["\u{1b}[7~", "\u{1b}[1;5C", "\u{1b}OC"], "W", "› abWcYZ"),  // rxvt Home, Ctrl+Right, SS3 Right
            (["\u{1b}[8~", "\u{1b}[1;2D", "\u{1b}[3;5~"], "", "› abWcY"),  // rxvt End, Shift+Left, Ctrl+Delete
            (["\u{1b}[H", "\u{1b}[F", "\u{1b}[5~", "\u{1b}[6~", "\u{1b}[5;5~"], "!", "› abWcY!"),
        ]
        for step in steps {
            for sequence in step.bytes { try sendBytes(chat, sequence) }
            if !step.then.isEmpty { try chat.send(step.then, literal: true) }
            try chat.waitFor("\(step.expected) after \(step.bytes.map(\.debugDescription))", timeout: 5) {
                self.inputLine($0) == step.expected
            }
        }
    }
}
