import SkipChatEngine
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The last SIGINT / SIGTERM / SIGHUP received (0: none). Signal handlers may only store it;
/// the main loop picks it up on its next tick.
private let pendingSignal = Atomic<Int32>(0)

/// Terminal modes before the chat started, and the fatal-signal handlers it replaced: read by
/// the fatal-signal handler, which may touch nothing else. Written once, before the handlers
/// are installed.
nonisolated(unsafe) private var savedModes = termios()
nonisolated(unsafe) private let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 64)

/// Escape sequences that undo what the chat did to the terminal: bracketed paste off, colours
/// reset, cursor visible, main screen back.
private let resetSequence: StaticString = "\u{1b}[?2004l\u{1b}[0m\u{1b}[?25h\u{1b}[?1049l\r\n"

/// Signals that end the process; on them the terminal is restored before the previous handler
/// (the default, or the Swift runtime's backtracer) runs. For SIGBUS that is the engine's
/// `MappedFileFaults` handler (installed when the model was mapped, before the chat took the
/// terminal): a model file truncated while in use then ends with its one line on a sane terminal.
private let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

/// Restores the terminal, puts the previous handler back and returns: a fault happens again
/// and reaches that handler; abort() raises again by itself.
private let fatalHandler: @convention(c) (Int32) -> Void = { signal in
    tcsetattr(STDIN_FILENO, TCSANOW, &savedModes)
    _ = write(STDOUT_FILENO, resetSequence.utf8Start, resetSequence.utf8CodeUnitCount)
    sigaction(signal, previousActions + Int(signal), nil)
}

/// Signals that ask the chat to stop or quit; the main loop handles them.
private let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

private let quitHandler: @convention(c) (Int32) -> Void = { signal in
    pendingSignal.store(signal, ordering: .relaxed)
}

/// Signal handling of the chat: SIGINT, SIGTERM and SIGHUP become events of the main loop;
/// fatal signals restore the terminal on the way out.
enum TerminalSignals {
    /// Saves the terminal modes and installs the handlers (call before changing the terminal).
    static func install() {
        tcgetattr(STDIN_FILENO, &savedModes)
        for signal in fatalSignals { SignalAction.install(signal, fatalHandler, saveTo: previousActions + Int(signal)) }
        for signal in quitSignals { SignalAction.install(signal, quitHandler, saveTo: previousActions + Int(signal)) }
    }

    /// Puts the default handlers back (after the terminal is restored).
    static func uninstall() {
        for signal in fatalSignals + quitSignals { sigaction(signal, previousActions + Int(signal), nil) }
    }

    /// Takes the pending signal, if any.
    static func take() -> Int32? {
        let signal = pendingSignal.exchange(0, ordering: .relaxed)
        return signal == 0 ? nil : signal
    }
}
