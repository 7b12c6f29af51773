import Foundation
import SkipChatEngine

/// The chat without a screen, for `TERM=dumb` (Emacs shell-mode, serial consoles) and
/// `--line`: a prompt, the reply streamed as plain text, slash commands, Ctrl-C stops a reply
/// (twice quits), Ctrl-D at an empty prompt quits. No escape sequences are written; standard
/// input and output may be pipes.
final class LineChat {
    private var state: ChatState
    private let worker: DecoderWorker
    private var exitStatus: Int32?
    /// Messages of the session already written out.
    private var shownMessages: Int
    /// Bytes of the reply in progress already written out.
    private var shownReply = ""
    private var pendingInput: [UInt8] = []
    private var promptShown = false

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
            for output in worker.drain() { perform(state.apply(output)) }
            showOutput()
        }
        worker.shutdown(waiting: 2)
        return exitStatus ?? 0
    }

    private var now: Double { ProcessInfo.processInfo.systemUptime }

    /// Waits up to a tick for input and submits every complete line; end of input quits.
    private func readInput() {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(ChatApp.tick)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = Foundation.read(STDIN_FILENO, &buffer, buffer.count)
        if count < 0 { return }
        if count == 0 {
            write("\n")
            exitStatus = 0
            return
        }
        pendingInput += buffer[..<count]
        while let newline = pendingInput.firstIndex(of: 10) {
            let line = String(decoding: pendingInput[..<newline], as: UTF8.self)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            pendingInput.removeSubrange(...newline)
            promptShown = false
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            perform(state.submit(line, now: now))
            if state.showHelp {
                state.showHelp = false
                for (command, meaning) in SlashCommand.summary { write("  \(command)\(meaning.isEmpty ? "" : "  \(meaning)")\n") }
            }
        }
    }

    /// Writes the reply as it grows, then new notices and the prompt.
    private func showOutput() {
        if let reply = state.reply {
            let text = reply.committedText
            if text.hasPrefix(shownReply), text.count > shownReply.count {
                write(String(text.dropFirst(shownReply.count)))
                shownReply = text
            }
        }
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
            case .notice:
                write("-- \(message.text)\n")
            case .user, .system:
                break
            }
        }
        if !state.generating && !promptShown && exitStatus == nil {
            write("> ")
            promptShown = true
        }
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects where !worker.perform(effect, for: &state) {
            switch effect {
            case .generate, .stop, .pushKnobs, .autosave:
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

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
