import Foundation
import SkipChatEngine

/// Something the chat asks its surroundings to do after a key or an event.
public enum Effect: Equatable, Sendable {
    /// Start generating a reply to the conversation as it is now.
    case generate
    /// Ask the decoder to stop after the current round.
    case stop
    /// Hand new settings to the decoder (applied from its next round).
    case pushKnobs(DecoderSettings)
    case lens(LensRequest)
    /// Switch to a theme (name or path).
    case setTheme(String)
    /// Keep the session for `--resume`.
    case autosave
    /// Write `sessionForSaving` to a file (`/save`); the outcome comes back as `FileOutcome`.
    case save(path: String)
    /// Read a session file (`/load`); the outcome comes back as `FileOutcome`.
    case load(path: String)
    /// Write the conversation as a web page (`/export`); the outcome comes back as `FileOutcome`.
    case export(path: String, force: Bool)
    /// Repaint everything (after Ctrl-L).
    case redraw
    case quit
}

/// What became of a `.save`, `.load` or `.export` effect, handed back to `ChatState.apply(_:)`.
public enum FileOutcome: Equatable, Sendable {
    case saved(path: String)
    case loaded(ChatSession, path: String)
    case exported(path: String)
    /// The operation failed; `message` says what and why, in one line.
    case failed(message: String)
}

/// Everything the chat shows and remembers, and the rules that change it. No terminal and no
/// threads here: keys and decoder output go in, effects come out, so all of it is testable.
public struct ChatState: Sendable {
    public let modelName: String
    public let layerCount: Int
    public let contextLength: Int
    public var session: ChatSession
    /// The theme on screen (recorded in saved sessions, used by `/export`).
    public var theme: Theme
    /// The settings the knobs show (the decoder gets them through `.pushKnobs`).
    public private(set) var settings: DecoderSettings
    public private(set) var reply: ReplyBuilder?
    public private(set) var lane = DraftLane()
    public private(set) var stats: LiveStats
    public var input = InputBox()
    public var maxTokens: Int
    public private(set) var generating = false
    public var showHelp = false
    public var helpScroll = 0
    public var showStats = false
    public var showGhost: Bool
    /// Lens mode: the token under the cursor (nil: lens off).
    public private(set) var lensSelection: LensSelection?
    public private(set) var lensLayers: [LensLayer]?
    /// Lines scrolled back from the end of the transcript (0: follow the output).
    public var scrollBack = 0
    /// Rows of the transcript viewport (set by the screen).
    public var pageSize = 10
    /// The knob that changed last (highlighted in the status bar for a moment).
    public private(set) var changedKnob: KnobID?
    /// When `changedKnob` changed (seconds, monotonic).
    public private(set) var changedAt: Double = 0
    /// True right after a Ctrl-C: the next one quits.
    public private(set) var interruptArmed = false
    /// User and assistant messages at the start of the conversation that the model no longer
    /// sees (the context window is full).
    public private(set) var trimmedMessages = 0
    /// Session file for `/save` without a name (and autosave).
    public let lastSessionPath: String
    /// Increased on every change that needs a repaint.
    public private(set) var revision = 0

    private var limits: KnobLimits { KnobLimits(layerCount: layerCount) }

    /// Creates the state of a new chat.
    public init(modelName: String, layerCount: Int, contextLength: Int, settings: DecoderSettings,
                session: ChatSession, maxTokens: Int, showGhost: Bool, lastSessionPath: String,
                theme: Theme = .fallback) {
        self.modelName = modelName
        self.theme = theme
        self.layerCount = layerCount
        self.contextLength = contextLength
        self.settings = KnobLimits(layerCount: layerCount).clamped(settings)
        self.session = session
        self.maxTokens = maxTokens
        self.showGhost = showGhost
        self.lastSessionPath = lastSessionPath
        stats = LiveStats(layerCount: layerCount)
    }

    // MARK: Keys

    /// Handles one key at time `now` (seconds, monotonic).
    public mutating func handle(_ key: Key, now: Double) -> [Effect] {
        revision += 1
        if key == .resize { return [] }
        if case .alt(let character) = key, KeyMap.action(for: key) == nil {
            // Esc typed just before a character arrives as Alt+character: keep both.
            return handle(.escape, now: now) + handle(.character(character), now: now)
        }
        let wasArmed = interruptArmed
        interruptArmed = false
        if showHelp {
            switch key {
            case .up, .alt("k"): helpScroll = max(0, helpScroll - 1); return []
            case .down, .alt("j"): helpScroll += 1; return []
            case .pageUp: helpScroll = max(0, helpScroll - pageSize); return []
            case .pageDown: helpScroll += pageSize; return []
            case .control("c"): break
            default:
                if KeyMap.isKnob(key) { break }
                showHelp = false
                return []
            }
        }
        if lensSelection != nil, let effects = handleLens(key) { return effects }
        if key == .character("?"), input.isEmpty, !input.pasting { return toggleHelp() }
        if key == .control("d"), input.isEmpty { return [.quit] }
        if input.isEmpty, key == .home { scrollBack = Int.max; return [] }
        if input.isEmpty, key == .end { scrollBack = 0; return [] }
        if !input.pasting, let action = KeyMap.action(for: key) {
            return perform(action, now: now, wasArmed: wasArmed)
        }
        switch input.handle(key) {
        case .submitted(let text): return submit(text, now: now)
        case .edited, .ignored: return []
        }
    }

    private mutating func toggleHelp() -> [Effect] {
        showHelp.toggle()
        helpScroll = 0
        return []
    }

    private mutating func perform(_ action: Action, now: Double, wasArmed: Bool) -> [Effect] {
        switch action {
        case .knob(let change): return applyKnob(change, now: now)
        case .toggleHelp: return toggleHelp()
        case .toggleStats: showStats.toggle(); return []
        case .toggleGhost: showGhost.toggle(); return []
        case .toggleLens: return toggleLens()
        case .cancel:
            if generating { return [.stop] }
            if showStats { showStats = false }
            return []
        case .interrupt:
            if wasArmed { return [.quit] }
            interruptArmed = true
            if generating {
                notice("stopped; Ctrl-C again quits")
                return [.stop]
            }
            input.setText("")
            notice("Ctrl-C again quits")
            return []
        case .redraw: return [.redraw]
        case .scrollPage(let up): scroll(by: up ? max(1, pageSize - 1) : -max(1, pageSize - 1)); return []
        case .scrollLine(let up): scroll(by: up ? 1 : -1); return []
        }
    }

    private mutating func scroll(by lines: Int) {
        let target = scrollBack == Int.max ? Int.max : scrollBack + lines
        scrollBack = max(0, target)
    }

    /// Applies a knob change; the status bar shows it at once, the decoder from its next round.
    public mutating func applyKnob(_ change: KnobChange, now: Double) -> [Effect] {
        revision += 1
        if case .set(let id, let value) = change,
           let problem = Knob[id].problem(value, model: ModelBounds(layerCount: layerCount, contextLength: contextLength)) {
            notice("\(Knob[id].name) \(problem)", error: true)
            return []
        }
        let before = settings
        // In auto mode the exit-layer and depth keys start from what the tuner last used.
        if let round = lastAutoRound {
            settings.exitLayer = round.exitLayer
            settings.depth = round.depth
        }
        settings = limits.applying(change, to: settings)
        changedKnob = change.knob
        changedAt = now
        return settings == before ? [] : [.pushKnobs(settings)]
    }

    // MARK: Prompts and commands

    /// Sends a prompt, or runs a slash command.
    public mutating func submit(_ text: String, now: Double) -> [Effect] {
        revision += 1
        interruptArmed = false   // a line sent (line mode's only key) disarms Ctrl-C as any key does
        if let parsed = SlashCommand.parse(text) {
            switch parsed {
            case .success(let command): return run(command, now: now)
            case .failure(let error): notice(error.message, error: true); return []
            }
        }
        guard !generating else {
            notice("still answering: Esc stops it")
            input.setText(text)
            return []
        }
        session.messages.append(SessionMessage(role: .user, text: text))
        return startGeneration()
    }

    private mutating func startGeneration() -> [Effect] {
        generating = true
        reply = ReplyBuilder()
        lane = DraftLane()
        scrollBack = 0
        return [.generate]
    }

    private mutating func run(_ command: SlashCommand, now: Double) -> [Effect] {
        switch command {
        case .set(let change): return applyKnob(change, now: now)
        case .help: return toggleHelp()
        case .clear:
            guard !generating else { notice("still answering: Esc stops it"); return [] }
            session.messages = []
            trimmedMessages = 0
            scrollBack = 0
            lensSelection = nil
            return []
        case .system(let prompt):
            session.systemPrompt = prompt
            notice(prompt.map { "system prompt: \($0)" } ?? "system prompt cleared")
            return []
        case .regenerate:
            guard !generating else { notice("still answering: Esc stops it"); return [] }
            guard let last = session.messages.lastIndex(where: { !$0.role.isNotice }),
                  session.messages[last].role == .assistant else {
                notice("nothing to answer again", error: true)
                return []
            }
            session.messages.remove(at: last)
            return startGeneration()
        case .save(let path):
            return [.save(path: path ?? lastSessionPath)]
        case .load(let path):
            guard !generating else { notice("still answering: Esc stops it"); return [] }
            return [.load(path: path)]
        case .export(let path, let force):
            return [.export(path: path, force: force)]
        case .theme(let name):
            guard let name else {
                notice("themes: \(Theme.builtinNames.joined(separator: ", ")) (or a name in $XDG_CONFIG_HOME/skipchat/themes)")
                return []
            }
            return [.setTheme(name)]
        case .stats: showStats.toggle(); return []
        case .ghost: showGhost.toggle(); return []
        case .lens: return toggleLens()
        case .quit: return [.quit]
        }
    }

    /// The session as `/save` and autosave write it: with the settings and theme in force.
    public var sessionForSaving: ChatSession {
        var saved = session
        saved.settings = settings
        saved.theme = theme.name
        return saved
    }

    /// Applies the outcome of a `.save`, `.load` or `.export` effect.
    public mutating func apply(_ outcome: FileOutcome) -> [Effect] {
        revision += 1
        switch outcome {
        case .saved(let path):
            notice("saved to \(path)")
            return []
        case .loaded(let loaded, let path):
            guard !generating else { notice("still answering: Esc stops it"); return [] }
            load(loaded)
            notice("loaded \(path)")
            return [.pushKnobs(settings)]
        case .exported(let path):
            notice("exported to \(path)")
            return []
        case .failed(let message):
            notice(message, error: true)
            return []
        }
    }

    /// Replaces the conversation with a saved one (its settings too, when it has them).
    public mutating func load(_ loaded: ChatSession) {
        session = loaded
        trimmedMessages = 0
        if let saved = loaded.settings { settings = limits.clamped(saved) }
        scrollBack = 0
        lensSelection = nil
        revision += 1
    }

    /// Adds a line from the chat itself to the transcript (`error`: shown as an error).
    public mutating func notice(_ text: String, error: Bool = false) {
        session.messages.append(SessionMessage(role: error ? .error : .notice, text: text))
        revision += 1
    }

    /// Takes what the screen found when it drew: the transcript's height, the scroll position
    /// clamped to the transcript, and the help overlay's. Needs no repaint (the frame shows them).
    public mutating func viewport(_ viewport: Viewport) {
        pageSize = viewport.pageSize
        scrollBack = viewport.scrollBack
        if let helpScroll = viewport.helpScroll { self.helpScroll = helpScroll }
    }

    // MARK: Decoder output

    /// Applies output of the decoder thread.
    public mutating func apply(_ output: WorkerOutput) -> [Effect] {
        revision += 1
        switch output {
        case .event(let event):
            reply?.apply(event)
            lane.apply(event)
            stats.apply(event)
            guard case .finished(let reason, _, _) = event else { return [] }
            generating = false
            if let reply {
                let text = reply.committedText
                session.messages.append(SessionMessage(role: .assistant, text: text, tokens: reply.tokens))
            }
            reply = nil
            switch reason {
            case .stopped: if !interruptArmed { notice("stopped") }   // Ctrl-C said "stopped; …" already
            case .maxTokens: notice("reply cut at \(maxTokens) tokens")
            case .contextFull:
                notice("the reply reached the end of the \(contextLength)-token context window; the next turn leaves out the oldest messages",
                       error: true)
            case .endOfTurn: break
            }
            return [.autosave]
        case .lens(let selection, let layers):
            if selection == lensSelection { lensLayers = layers }
            return []
        case .generationFailed(let message):
            generating = false
            reply = nil
            notice(message, error: true)
            return []
        case .notice(let message):
            notice(message, error: true)
            return []
        case .contextTrimmed(let count):
            if count > trimmedMessages {
                let system = session.systemPrompt == nil ? "" : "; the system prompt stays"
                notice("the context window (\(contextLength) tokens) is full: the model no longer sees the \(count) oldest messages\(system)")
            }
            trimmedMessages = count
            return []
        }
    }

    // MARK: Lens

    private mutating func toggleLens() -> [Effect] {
        if lensSelection != nil {
            lensSelection = nil
            lensLayers = nil
            return []
        }
        guard let message = session.messages.lastIndex(where: { $0.role == .assistant }),
              let token = session.messages[message].tokens.lastIndex(where: \.isCommitted) else {
            notice("the lens needs a reply to look at", error: true)
            return []
        }
        return select(LensSelection(message: message, token: token))
    }

    /// Arrow keys move the lens cursor over committed tokens of replies; Esc or F4 leaves.
    private mutating func handleLens(_ key: Key) -> [Effect]? {
        guard let selection = lensSelection else { return nil }
        switch key {
        case .left: return move(from: selection, forward: false)
        case .right: return move(from: selection, forward: true)
        case .escape:
            lensSelection = nil
            lensLayers = nil
            return []
        default: return nil
        }
    }

    private mutating func move(from selection: LensSelection, forward: Bool) -> [Effect] {
        var message = selection.message
        var token = selection.token
        while true {
            token += forward ? 1 : -1
            if token < 0 || token >= session.messages[message].tokens.count {
                let next = forward
                    ? session.messages.indices.dropFirst(message + 1).first { session.messages[$0].role == .assistant }
                    : session.messages.indices.prefix(message).last { session.messages[$0].role == .assistant }
                guard let next else { return [] }
                message = next
                token = forward ? -1 : session.messages[next].tokens.count
                continue
            }
            if session.messages[message].tokens[token].isCommitted {
                return select(LensSelection(message: message, token: token))
            }
        }
    }

    private mutating func select(_ selection: LensSelection) -> [Effect] {
        lensSelection = selection
        lensLayers = nil
        let reply = session.messages[selection.message]
        let ids = reply.tokens[...selection.token].filter(\.isCommitted).map(\.id)
        let turns = session.messages[..<selection.message].filter { $0.role == .user || $0.role == .assistant }
        return [.lens(LensRequest(systemPrompt: session.systemPrompt, turns: Array(turns), replyTokens: ids, selection: selection))]
    }
}

extension ChatState {
    /// The last round of auto mode that drafted, whose E and K the screen shows (auto mode picks
    /// them itself each round); nil in the other modes or before such a round.
    var lastAutoRound: RoundSummary? {
        guard settings.mode == .auto, let round = stats.lastRound, round.mode == .auto, round.drafted > 0 else { return nil }
        return round
    }

    /// The exit layer the status bar and the layer legend mark: the last auto round's, else the setting.
    var shownExitLayer: Int { lastAutoRound?.exitLayer ?? settings.exitLayer }
}
