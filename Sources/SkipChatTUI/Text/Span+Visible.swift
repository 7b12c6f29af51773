extension Span {
    /// This span with every character a terminal would act on (`TerminalText.isUnsafe`) split
    /// out as its visible escape in the muted role, so a view can never send one to the screen.
    public var visibleSpans: [Span] {
        guard text.unicodeScalars.contains(where: TerminalText.isUnsafe) else { return [self] }
        return TerminalText.pieces(text).map { piece in
            switch piece {
            case .text(let run): Span(run, role)
            case .escape(let shown): Span(shown, .muted)
            }
        }
    }
}
