import Foundation
import SkipChatEngine

/// The main loop: the main thread owns the terminal, reads keys with a short timeout, drains the
/// decoder's output on every tick and every key, and repaints when something changed.
final class ChatApp {
    private var state: ChatState
    private let terminal: Terminal
    private let worker: DecoderWorker
    private let screen = Screen()
    private let userThemeDirectory: String
    private var drawnRevision = -1
    private var exitStatus: Int32?

    /// Milliseconds the loop waits for a key before it looks at the decoder's output again, so
    /// streamed text repaints at most about 30 times a second: the UI thread then takes some 1.5%
    /// of a core from the decoder, whose threads use them all (60 a second took 2.5%). A key wakes
    /// the loop and repaints at once, whatever the tick.
    static let tick = 33
    /// Keys handled before a repaint (a paste arrives as many keys at once).
    static let keysPerFrame = 4096

    init(state: ChatState, terminal: Terminal, worker: DecoderWorker, userThemeDirectory: String) {
        self.state = state
        self.terminal = terminal
        self.worker = worker
        self.userThemeDirectory = userThemeDirectory
    }

    /// Runs until the user quits or a signal ends the chat; returns the exit status.
    func run() -> Int32 {
        worker.knobs.update { $0 = state.settings }
        while exitStatus == nil {
            var timeout = Self.tick
            var handled = 0
            while exitStatus == nil, handled < Self.keysPerFrame, let input = terminal.read(timeout: timeout) {
                handle(input)
                handled += 1
                timeout = 0
                if case .key(.resize) = input { break }
            }
            for output in worker.drain() { perform(state.apply(output)) }
            repaintIfNeeded()
        }
        worker.shutdown(waiting: 2)
        return exitStatus ?? 0
    }

    private var now: Double { ProcessInfo.processInfo.systemUptime }

    private func handle(_ input: Terminal.Input) {
        switch input {
        case .key(let key):
            if key == .resize { drawnRevision = -1 }
            perform(state.handle(key, now: now))
        case .signal(let signal):
            if signal == SIGINT {
                perform(state.handle(.control("c"), now: now))
            } else {
                exitStatus = 128 + signal
            }
        }
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects where !worker.perform(effect, for: &state) {
            switch effect {
            case .generate, .stop, .pushKnobs, .autosave, .save, .load, .export:
                break  // done by the worker
            case .lens(let request):
                worker.send(.lens(request))
            case .setTheme(let name):
                let (theme, problem) = Theme.load(name, userThemeDirectory: userThemeDirectory)
                terminal.setTheme(theme)
                state.theme = theme
                state.notice(problem ?? "theme \(theme.name)", error: problem != nil)
                drawnRevision = -1
            case .redraw:
                terminal.invalidate()
                drawnRevision = -1
            case .quit:
                exitStatus = 0
            }
        }
    }

    private func repaintIfNeeded() {
        let highlighting = now - state.changedAt < StatusBar.highlightSeconds + 0.1
        guard state.revision != drawnRevision || highlighting else { return }
        drawnRevision = state.revision
        terminal.beginFrame()
        let frame = screen.draw(state, on: terminal, now: now)
        state.viewport(frame.viewport)
        terminal.finishFrame(cursor: frame.cursor)
    }
}
