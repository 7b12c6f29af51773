import SkipChatEngine

/// What a piece of screen text means. Views speak only in roles; the theme turns a role into
/// colours and attributes, so every view looks right in every theme and colour depth.
public enum Role: Hashable, Sendable {
    case plain
    case user
    case speaker
    case system
    case notice
    case error
    case muted
    case border
    case accent
    case status
    case statusKey
    case selection
    /// A generated token, coloured by the layer it exited at.
    case token(TokenKind, layer: Int)
    /// A bar of the layer legend (or a layer number), in the layer's colour.
    case legend(layer: Int)
}

/// A run of text in one role.
public struct Span: Equatable, Sendable {
    /// The text (no newlines once wrapped).
    public var text: String
    /// What the text means.
    public var role: Role

    /// Creates a span.
    public init(_ text: String, _ role: Role = .plain) {
        self.text = text
        self.role = role
    }
}

/// One screen line: spans left to right.
public typealias StyledLine = [Span]

extension Array where Element == Span {
    /// The line's text without roles.
    public var plainText: String { map(\.text).joined() }
    /// Columns the line occupies.
    public var displayWidth: Int { reduce(0) { $0 + DisplayWidth.width(of: $1.text) } }
}
