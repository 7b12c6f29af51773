import Foundation
import SkipChatEngine
import SkipChatTUI

/// Writes decoder events to standard output.
protocol EventPrinter {
    func handle(_ event: DecoderEvent)
}

/// Writes bytes to standard output without buffering surprises.
func writeOut(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
}

/// Prints committed text as it is verified; with colour, each token in the 256-colour ramp of its
/// exit layer (blue = early … red = late), verifier tokens bold; rejected drafts optionally inline
/// (dim, struck through). With `sanitize`, control characters and bidi overrides in the text are
/// written as visible escapes (`TerminalText`), dimmed with colour; without, the text is the
/// model's exact bytes. Run statistics go to standard error at the end.
final class TextEventPrinter: EventPrinter {
    let colors: Bool
    let layerCount: Int
    let showRejected: Bool
    let sanitize: Bool

    init(colors: Bool, layerCount: Int, showRejected: Bool, sanitize: Bool) {
        self.colors = colors
        self.layerCount = layerCount
        self.showRejected = showRejected
        self.sanitize = sanitize
    }

    func handle(_ event: DecoderEvent) {
        switch event {
        case let .verified(_, accepted, rejected, verifier, _):
            for token in accepted { write(token) }
            if showRejected, !rejected.isEmpty {
                let ghost = shown(String(decoding: rejected.flatMap(\.bytes), as: UTF8.self), restoring: "2;9")
                writeOut(colors ? "\u{1B}[2;9m\(ghost)\u{1B}[0m" : "[\(ghost)]")
            }
            if let verifier { write(verifier) }
        case let .committed(token):
            write(token)
        case let .finished(reason, _, stats):
            writeOut("\n")
            // No drafts at all: acceptance is "–", as in the chat's status bar.
            let acceptance = stats.draftedTokens > 0 ? String(format: "%.0f%%", stats.acceptanceRate * 100) : "–"
            let line = String(format: "[%d tokens, %.1f tok/s, acceptance %@, mean exit layer %.1f, %@]\n",
                              stats.committedTokens, stats.tokensPerSecond, acceptance, stats.meanExitLayer, reason.words)
            FileHandle.standardError.write(Data(line.utf8))
        default:
            break
        }
    }

    private func write(_ token: TokenEvent) {
        guard colors, !token.text.isEmpty else { return writeOut(shown(token.text, restoring: "")) }
        let style = (token.kind == .verifier ? "1;" : "") + "38;5;\(Self.rampColor(layer: token.exitLayer, of: layerCount))"
        writeOut("\u{1B}[\(style)m\(shown(token.text, restoring: style))\u{1B}[0m")
    }

    /// `text` as written: sanitised when asked, each escape dimmed with colour and followed by
    /// the SGR `style` the text around it is in.
    private func shown(_ text: String, restoring style: String) -> String {
        guard sanitize else { return text }
        return TerminalText.sanitized(text) { escape in
            colors ? "\u{1B}[0;2m\(escape)\u{1B}[0;\(style)m" : escape
        }
    }

    /// xterm-256 colour for layer l of L: a blue → cyan → green → yellow → red ramp.
    static func rampColor(layer: Int, of layers: Int) -> Int {
        let ramp = [21, 27, 33, 39, 45, 51, 50, 49, 48, 47, 46, 82, 118, 154, 190, 226, 220, 214, 208, 202, 196]
        let x = Double(max(1, min(layer, layers)) - 1) / Double(max(1, layers - 1))
        return ramp[Int((x * Double(ramp.count - 1)).rounded())]
    }
}

extension FinishReason {
    /// Why generation ended, in words for the summary line ("token limit").
    var words: String {
        switch self {
        case .endOfTurn: "end of turn"
        case .maxTokens: "token limit"
        case .contextFull: "context full"
        case .stopped: "stopped"
        }
    }
}
