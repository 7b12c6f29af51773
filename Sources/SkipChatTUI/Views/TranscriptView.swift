import SkipChatEngine

/// The conversation, wrapped to the viewport. Finished messages are wrapped once per width and
/// kept; only the reply being generated is wrapped again each frame.
final class TranscriptView {
    private struct Key: Equatable {
        var width: Int
        var ghost: Bool
        var selection: LensSelection?
    }

    private var cache: [[StyledLine]] = []
    private var cachedMessages: [SessionMessage] = []
    private var cacheKey = Key(width: 0, ghost: false, selection: nil)

    /// All lines of the transcript at `width`.
    func lines(_ state: ChatState, width: Int) -> [StyledLine] {
        let key = Key(width: width, ghost: state.showGhost, selection: state.lensSelection)
        if key != cacheKey { cache = []; cachedMessages = []; cacheKey = key }
        let messages = state.session.messages
        var common = 0
        while common < min(cache.count, messages.count), cachedMessages[common] == messages[common] { common += 1 }
        cache.removeSubrange(common...)
        cachedMessages.removeSubrange(common...)
        for index in common..<messages.count {
            cache.append(Self.wrap(messages[index], index: index, state: state, width: width))
            cachedMessages.append(messages[index])
        }
        var all = cache.flatMap { $0 }
        if let reply = state.reply {
            var spans = Self.tokenSpans(reply.tokens, ghost: state.showGhost, selected: nil)
            spans += reply.provisional.map { Span($0.text, .token(.draft, layer: $0.exitLayer)) }
            if spans.isEmpty { spans = [Span("…", .muted)] }
            all += [[Span("assistant", .speaker)]] + TextWrap.wrap(spans, width: width) + [[]]
        }
        return all
    }

    /// Draws the transcript in `rect`, `scrollBack` lines up from the end.
    /// - Returns: the scroll-back actually used (clamped to the transcript's length).
    func draw(_ state: ChatState, in rect: Rect, on canvas: Canvas) -> Int {
        let all = lines(state, width: rect.width)
        let maxBack = max(0, all.count - rect.height)
        let back = min(state.scrollBack, maxBack)
        let end = all.count - back
        let start = max(0, end - rect.height)
        for row in 0..<rect.height {
            let index = start + row
            canvas.draw(index < end ? all[index] : [], row: rect.row + row, column: rect.column, width: rect.width)
        }
        if back > 0 {
            let marker = " ↓ \(back) more (End follows) "
            let w = DisplayWidth.width(of: marker)
            if w <= rect.width {
                canvas.draw([Span(marker, .accent)], row: rect.row + rect.height - 1,
                            column: rect.column + rect.width - w, width: w)
            }
        }
        return back
    }

    private static func wrap(_ message: SessionMessage, index: Int, state: ChatState, width: Int) -> [StyledLine] {
        switch message.role {
        case .user:
            return [[Span("you", .user)]] + TextWrap.wrap([Span(message.text, .plain)], width: width) + [[]]
        case .assistant:
            let selected = state.lensSelection?.message == index ? state.lensSelection?.token : nil
            let spans = message.tokens.isEmpty
                ? [Span(message.text, .plain)]
                : tokenSpans(message.tokens, ghost: state.showGhost, selected: selected)
            return [[Span("assistant", .speaker)]] + TextWrap.wrap(spans, width: width) + [[]]
        case .system:
            return TextWrap.wrap([Span(message.text, .system)], width: width)
        case .notice:
            return TextWrap.wrap([Span("· " + message.text, .notice)], width: width)
        case .error:
            return TextWrap.wrap([Span("· " + message.text, .error)], width: width)
        }
    }

    /// A reply's tokens coloured by exit layer; rejected drafts only when ghost text is on.
    private static func tokenSpans(_ tokens: [SavedToken], ghost: Bool, selected: Int?) -> [Span] {
        var spans: [Span] = []
        for (index, token) in tokens.enumerated() where ghost || token.kind != .rejected {
            let role: Role = index == selected ? .selection : .token(token.kind, layer: token.exitLayer)
            if let last = spans.last, last.role == role {
                spans[spans.count - 1].text += token.text
            } else {
                spans.append(Span(token.text, role))
            }
        }
        return spans
    }
}
