import Foundation
import SkipChatEngine

/// The chat without a screen, for `TERM=dumb` (Emacs shell-mode, serial consoles) and
/// `--line`: a prompt, the reply streamed as plain text, slash commands, Ctrl-C stops a reply
/// (twice quits), Ctrl-D at an empty prompt quits. No escape sequences are written; standard
/// input and output may be pipes: lines are taken one at a time, each when the reply before it
/// has ended, and the end of input quits once they are all answered.
final class LineChat {
    private var state: ChatState
    private let worker: DecoderWorker
    private var exitStatus: Int32?
    /// Messages of the session already written out.
    private var shownMessages: Int
    /// Bytes of the reply in progress already written out.
    private var shownReply = ""
    private var pendingInput: [UInt8] = []
    /// Complete lines read but not yet submitted (they wait for the reply in progress).
    private var queuedLines: [String] = []
    private var inputEnded = false
    private var promptShown = false
    /// Whether standard output is a terminal: then model text is written sanitised.
    private let sanitizes = isatty(STDOUT_FILENO) == 1

    /// Whether the terminal calls for line mode: TERM unset, empty or "dumb".
    static func wanted(environment: [String: String]) -> Bool {
        let term = environment["TERM"] ?? ""
        return term.isEmpty || term == "dumb"
    }

    init(state: ChatState, worker: DecoderWorker) {
        self.state = state
        self.worker = worker
        shownMessages = 0
    }

    /// Runs until /quit, Ctrl-D, two Ctrl-C or a signal; returns the exit status.
    func run() -> Int32 {
        worker.knobs.update { $0 = state.settings }
        write("skipchat \(state.modelName), line mode: type a message and press Enter; /help lists commands, Ctrl-D quits\n")
        while exitStatus == nil {
            if let signal = TerminalSignals.take() {
                if signal == SIGINT {
                    write("\n")
                    promptShown = false
                    perform(state.handle(.control("c"), now: now))
                } else {
                    exitStatus = 128 + signal
                }
            }
            readInput()
            submitQueued()
            for output in worker.drain() { perform(state.apply(output)) }
            showOutput()
        }
        worker.shutdown(waiting: 2)
        return exitStatus ?? 0
    }

    private var now: Double { ProcessInfo.processInfo.systemUptime }

    /// Waits up to a tick for input and queues every complete line (and, at the end of input, a
    /// last line without a newline).
    private func readInput() {
        guard !inputEnded else {
            usleep(useconds_t(ChatApp.tick * 1000))
            return
        }
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(ChatApp.tick)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = Foundation.read(STDIN_FILENO, &buffer, buffer.count)
        if count < 0 { return }
        if count == 0 {
            inputEnded = true
            if !pendingInput.isEmpty { pendingInput.append(10) }
        }
        pendingInput += buffer[..<max(count, 0)]
        while let newline = pendingInput.firstIndex(of: 10) {
            let line = String(decoding: pendingInput[..<newline], as: UTF8.self)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            pendingInput.removeSubrange(...newline)
            promptShown = false
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { queuedLines.append(line) }
        }
    }

    /// Submits the queued lines in order while no reply is in progress; quits at the end of input
    /// once every line is answered.
    private func submitQueued() {
        while !state.generating && exitStatus == nil && !queuedLines.isEmpty {
            let line = queuedLines.removeFirst()
            perform(state.submit(line, now: now))
            if state.showHelp {
                state.showHelp = false
                for (command, meaning) in Self.helpLines { write("  \(command)\(meaning.isEmpty ? "" : "  \(meaning)")\n") }
            }
            if state.showStats {
                state.showStats = false
                showOutput()
                for line in StatsPanel.lines(state, width: 80) { write(line.map(\.text).joined() + "\n") }
            }
            if case .success(.set) = SlashCommand.parse(line) { state.notice(settingsSummary) }
        }
        if inputEnded && queuedLines.isEmpty && !state.generating && exitStatus == nil {
            showOutput()
            if promptShown { write("\n") }   // Ctrl-D at the prompt: the shell's prompt on a line of its own
            exitStatus = 0
        }
    }

    /// `/help` without what needs the full screen (themes, ghost text, the lens).
    static var helpLines: [(String, String)] {
        SlashCommand.summary.compactMap { command, meaning in
            if command.hasPrefix("/theme") { return nil }
            if command.hasPrefix("/stats") { return ("/stats", "acceptance by draft position, exit-layer histogram, auto tuner's expected speedup per (E, K)") }
            return (command, meaning)
        }
    }

    /// The decoder knobs in one line, the confirmation of a `/set`.
    private var settingsSummary: String {
        let s = state.settings
        var parts = [s.mode.rawValue, "E \(s.exitLayer)/\(state.layerCount)", "K \(s.depth)"]
        if s.mode == .dynamic { parts.append(String(format: "threshold %.2f", s.dynamicThreshold)) }
        parts.append(SamplingSummary.text(s.sampling))
        return "now " + parts.joined(separator: " · ")
    }

    /// Writes new messages (the end of a finished reply, notices), then the reply in progress as
    /// it grows, then the prompt (only when a person types: standard input is a terminal).
    private func showOutput() {
        let messages = state.session.messages
        if shownMessages > messages.count { shownMessages = 0 }  // /clear or /load
        while shownMessages < messages.count {
            let message = messages[shownMessages]
            shownMessages += 1
            switch message.role {
            case .assistant:
                if message.text.hasPrefix(shownReply) { write(String(message.text.dropFirst(shownReply.count))) }
                write("\n")
                shownReply = ""
            case .notice, .error:
                // A notice during a reply takes a line of its own.
                write((shownReply.isEmpty ? "" : "\n") + "-- \(message.role == .error ? "! " : "")\(message.text)\n")
            case .user, .system:
                break
            }
        }
        if let reply = state.reply {
            let text = reply.committedText
            if text.hasPrefix(shownReply), text.count > shownReply.count {
                write(String(text.dropFirst(shownReply.count)))
                shownReply = text
            }
        }
        if !state.generating && !promptShown && exitStatus == nil && interactive {
            write("> ")
            promptShown = true
        }
    }

    private let interactive = isatty(STDIN_FILENO) == 1

    private func perform(_ effects: [Effect]) {
        for effect in effects where !worker.perform(effect, for: &state) {
            switch effect {
            case .generate, .stop, .pushKnobs, .autosave, .save, .load, .export:
                break  // done by the worker
            case .lens:
                state.notice("the lens needs the full-screen chat", error: true)
            case .setTheme:
                state.notice("line mode has no colours", error: true)
            case .redraw:
                break
            case .quit:
                exitStatus = 0
            }
        }
    }

    /// Writes to standard output: sanitised (`TerminalText`) when it is a terminal, the exact
    /// text when it is a pipe.
    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(TerminalText.shown(text, sanitize: sanitizes).utf8))
    }
}
