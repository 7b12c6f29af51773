import SkipChatEngine
import SkipChatPlot

/// A saved chat as one self-contained HTML page (no scripts, no network; inline CSS and SVG):
/// every reply token coloured by its exit layer on the theme's ramp, verifier tokens in the
/// theme's verifier style, rejected drafts struck through where they were proposed (a checkbox
/// hides them), a tooltip per token (exit layer, round, draft index, position), the layer legend
/// and the session's statistics as charts. All model and user text is escaped (`Markup.escape`).
/// The markup is also well-formed XML (polyglot XHTML), so XML parsers read it.
public struct SessionHTML: Sendable {
    public var session: ChatSession
    public var theme: Theme
    /// Layers L of the model that wrote the replies.
    public var layerCount: Int

    /// Creates a page of `session` in `theme`; `layerCount` nil takes L from the replies (their
    /// verifier tokens exit at the last layer).
    public init(session: ChatSession, theme: Theme, layerCount: Int? = nil) {
        self.session = session
        self.theme = theme
        let deepest = session.messages.flatMap(\.tokens).map(\.exitLayer).max() ?? 1
        self.layerCount = max(1, layerCount ?? deepest)
    }

    /// The whole page.
    public func render() -> String {
        let colors = ExportColors(theme: theme, layerCount: layerCount)
        let statistics = SessionStatistics(session: session, layerCount: layerCount)
        var out = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <meta name="generator" content="skipchat"/>
            <title>\(Markup.escape("skipchat — " + session.model))</title>
            <style>
            \(ExportStyleSheet.css(colors))</style>
            </head>
            <body>
            <input type="checkbox" id="show-rejected" checked="checked"/>

            """
        out += "<main>\n"
        out += header(statistics)
        out += "<p class=\"toggle\"><label for=\"show-rejected\">show rejected drafts</label></p>\n"
        out += legend(colors)
        if let system = session.systemPrompt {
            out += message(role: "system", who: "system", body: Markup.escape(system))
        }
        for item in session.messages {
            switch item.role {
            case .user: out += message(role: "user", who: "you", body: Markup.escape(item.text))
            case .system: out += message(role: "system", who: "system", body: Markup.escape(item.text))
            case .notice: out += message(role: "notice", who: "skipchat", body: Markup.escape(item.text))
            case .error: out += message(role: "notice error", who: "skipchat", body: "! " + Markup.escape(item.text))
            case .assistant: out += message(role: "assistant", who: "assistant", body: reply(item))
            }
        }
        out += SessionCharts.section(statistics, colors: colors)
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    private func header(_ statistics: SessionStatistics) -> String {
        var facts = ["\(layerCount) layers", statistics.replies == 1 ? "1 reply" : "\(statistics.replies) replies", "\(statistics.committedTokens) tokens"]
        if let rate = statistics.acceptanceRate {
            facts.append("\(statistics.acceptedDrafts) of \(statistics.draftedTokens) drafts accepted (\(formatPercent(rate)))")
        }
        if let mean = statistics.meanExitLayer { facts.append("mean exit layer \(formatFixed(mean, decimals: 1))") }
        if let settings = session.settings { facts.append(describe(settings)) }
        return "<header>\n<h1>\(Markup.escape(session.model))</h1>\n<p class=\"meta\">\(Markup.escape(facts.joined(separator: " · ")))</p>\n</header>\n"
    }

    private func describe(_ s: DecoderSettings) -> String {
        let mode: String
        switch s.mode {
        case .autoregressive: mode = "autoregressive"
        case .fixed: mode = "fixed E=\(s.exitLayer) K=\(s.depth)"
        case .dynamic: mode = "dynamic threshold \(formatFixed(Double(s.dynamicThreshold), decimals: 2)) K=\(s.depth)"
        case .auto: mode = "auto"
        }
        let sampling = s.sampling.isGreedy ? "greedy" : "temperature \(formatFixed(Double(s.sampling.temperature), decimals: 2))"
        return "settings at save: \(mode), \(sampling)"
    }

    /// Layer swatches 1 … L and the token kinds.
    private func legend(_ colors: ExportColors) -> String {
        var out = "<section class=\"legend\" aria-label=\"exit layers\">\n<span class=\"caption\">exit layer</span>"
        for layer in 1...layerCount {
            out += "<span class=\"sw l\(layer)\" title=\"exit layer \(layer)\">\(layer)</span>"
        }
        out += "\n<span class=\"caption\">tokens:</span> <span class=\"t accepted\">accepted draft</span> "
            + "<span class=\"t verifier\">verifier token</span> <span class=\"t rejected\">rejected draft</span>\n</section>\n"
        return out
    }

    private func message(role: String, who: String, body: String) -> String {
        "<article class=\"msg \(role)\">\n<div class=\"who\">\(who)</div>\n<div class=\"text\">\(body)</div>\n</article>\n"
    }

    /// The reply's tokens in saved order; text-only replies (no tokens) as plain text.
    private func reply(_ message: SessionMessage) -> String {
        guard !message.tokens.isEmpty else { return Markup.escape(message.text) }
        var out = ""
        for (token, place) in zip(message.tokens, RoundPlace.places(of: message.tokens)) {
            let kind: String
            switch token.kind {
            case .accepted: kind = "accepted draft"
            case .rejected: kind = "rejected draft"
            case .verifier: kind = "verifier token"
            case .draft: kind = "unverified draft"
            case .prompt: kind = "prompt token"
            }
            var title = "\(kind) · exit layer \(token.exitLayer) of \(layerCount) · round \(place.round)"
            if let index = place.draftIndex { title += ", draft \(index)" }
            title += " · position \(token.position) · id \(token.id)"
            out += "<span class=\"t \(token.kind.rawValue) l\(min(max(token.exitLayer, 1), layerCount))\" title=\"\(Markup.escape(title))\">\(Markup.escape(shown(token)))</span>"
        }
        return out
    }

    /// A token's text as the page shows it: a rejected or unverified draft's line breaks as ↵, so
    /// text the reply never held breaks no line of it.
    private func shown(_ token: SavedToken) -> String {
        token.isCommitted ? token.text : token.text.replacingOccurrences(of: "\r\n", with: "↵").replacingOccurrences(of: "\n", with: "↵")
    }
}

/// A share in 0 … 1 as a percentage with one decimal ("72.7%").
func formatPercent(_ share: Double) -> String { formatFixed(share * 100, decimals: 1) + "%" }
