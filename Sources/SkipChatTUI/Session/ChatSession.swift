import Foundation
import SkipChatEngine

/// One token of a saved reply.
public struct SavedToken: Codable, Equatable, Sendable {
    public var id: Int32
    /// Characters the token added to the reply (for rejected drafts: the text that was retracted).
    public var text: String
    /// Layer (1 … L) the token exited at.
    public var exitLayer: Int
    public var kind: TokenKind
    /// Index in the whole sequence, prompt included.
    public var position: Int
    /// Decoding round of the reply (1-based) that proposed or produced the token; nil in sessions
    /// saved before rounds were recorded.
    public var round: Int?

    /// Creates a saved token.
    public init(id: Int32, text: String, exitLayer: Int, kind: TokenKind, position: Int, round: Int? = nil) {
        self.id = id
        self.text = text
        self.exitLayer = exitLayer
        self.kind = kind
        self.position = position
        self.round = round
    }

    /// True for tokens that are part of the reply (accepted drafts and verifier tokens).
    public var isCommitted: Bool { kind == .accepted || kind == .verifier }
}

/// One entry of the conversation.
public struct SessionMessage: Codable, Equatable, Sendable {
    /// Who speaks. Notices and errors are the chat's own messages: shown, saved, never sent to
    /// the model; an error is a notice shown in the error colour.
    public enum Role: String, Codable, Sendable {
        case system, user, assistant, notice, error

        /// Whether the chat wrote it (a notice or an error).
        public var isNotice: Bool { self == .notice || self == .error }
    }

    public var role: Role
    /// The text (for replies: the committed text).
    public var text: String
    /// Replies only: every token in order, rejected drafts included.
    public var tokens: [SavedToken]

    /// Creates a message.
    public init(role: Role, text: String, tokens: [SavedToken] = []) {
        self.role = role
        self.text = text
        self.tokens = tokens
    }

    private enum CodingKeys: String, CodingKey { case role, text, tokens }

    /// Reads a message. Sessions saved before errors had a role of their own marked them as
    /// notices whose text starts with "! "; those are read as errors without the mark.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        text = try container.decode(String.self, forKey: .text)
        tokens = try container.decode([SavedToken].self, forKey: .tokens)
        if role == .notice, text.hasPrefix(Self.legacyErrorMark) {
            role = .error
            text.removeFirst(Self.legacyErrorMark.count)
        }
    }

    /// The text prefix that marked an error notice in sessions saved before `Role.error`.
    static let legacyErrorMark = "! "
}

/// The conversation, as saved by `/save` and reopened by `/load` or `--resume`.
public struct ChatSession: Codable, Equatable, Sendable {
    /// File format version.
    public var version = 1
    /// Name of the model that wrote the replies.
    public var model: String
    /// System prompt sent before the conversation (nil: none).
    public var systemPrompt: String?
    /// Decoder settings in force when the session was saved.
    public var settings: DecoderSettings?
    /// Name of the theme the chat showed when the session was saved (nil: not recorded).
    public var theme: String?
    public var messages: [SessionMessage]

    /// Creates an empty session.
    public init(model: String, systemPrompt: String?, settings: DecoderSettings? = nil, messages: [SessionMessage] = []) {
        self.model = model
        self.systemPrompt = systemPrompt
        self.settings = settings
        self.messages = messages
    }

    /// The user and assistant turns, in order (what the model sees after the system prompt).
    public var turns: [SessionMessage] { messages.filter { $0.role == .user || $0.role == .assistant } }

    /// Writes the session as JSON atomically: a temporary file in the same directory, then rename.
    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try OutputFile.replace(try encoder.encode(self), at: path)
    }

    /// Reads a session written by `save(to:)`.
    /// - Throws: `ConfigError` naming the file and the byte offset of a syntax error (a
    ///   truncated file) or the field at fault.
    public static func load(from path: String) throws -> ChatSession {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigError(description: "\(path): cannot read: \(OutputFile.systemReason(error))")
        }
        do {
            return try JSONDecoder().decode(ChatSession.self, from: data)
        } catch {
            // A file that does not start as a JSON object, or lacks a session's top-level shape, is
            // some other file, not a damaged session.
            let opening = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            let foreign = switch error as? DecodingError {
            case .keyNotFound(_, let context)?, .typeMismatch(_, let context)?: context.codingPath.isEmpty
            default: opening != nil && opening != UInt8(ascii: "{")
            }
            throw ConfigError(description: "\(path): \(foreign ? "not a skipchat session: " : "")\(DecodingProblem.describe(error, in: data))")
        }
    }

    /// Where the last session is kept for `--resume`: `$XDG_STATE_HOME/skipchat/last-session.json`,
    /// else `$XDG_CACHE_HOME/skipchat/…`, else `~/.local/state/skipchat/…`.
    public static func lastSessionPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/skipchat/last-session.json" }
        if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty { return cache + "/skipchat/last-session.json" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/skipchat/last-session.json"
    }
}
