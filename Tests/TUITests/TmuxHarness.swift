import Foundation
import XCTest

/// Drives the real `skipchat` binary inside a private tmux server (its own socket), for the
/// end-to-end tests. Skips when tmux, the binary or the default model is missing.
final class TmuxHarness {
    let socket = "skipchat-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    let session = "chat"
    let stateDirectory: URL
    private let tmux: String

    /// The binary under test: `$SKIPCHAT_BIN`, else `.build/release/skipchat` in the repository.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SKIPCHAT_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/release/skipchat").path
    }

    /// Starts `skipchat chat` at a terminal size. The command line is followed by a line that
    /// prints the exit status and whether the terminal modes are sane again.
    init(columns: Int = 100, rows: Int = 30, arguments: [String] = []) throws {
        guard let tmux = Self.which("tmux") else { throw XCTSkip("tmux is not installed") }
        self.tmux = tmux
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("no skipchat binary at \(Self.binary) (build it, or set SKIPCHAT_BIN)")
        }
        let environment = ProcessInfo.processInfo.environment
        if environment["SKIPCHAT_MODEL"] == nil {
            let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache"
            let model = cache + "/skipchat/models/SmolLM2-135M-Instruct.Q4_1.gguf"
            guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("the default model is not installed (\(model))") }
        }
        stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        var command = [Self.binary, "chat"] + arguments
        if let model = environment["SKIPCHAT_MODEL"] { command += ["--model", model] }
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let script = """
            export TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME='\(stateDirectory.path)/state' \
            XDG_CONFIG_HOME='\(stateDirectory.path)/config'; unset NO_COLOR; \
            \(quoted); echo "EXIT=$?"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 600
            """
        try run(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", "sh", "-c", script])
    }

    deinit {
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(at: stateDirectory)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tmux)
        process.arguments = ["-L", socket] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Sends tmux key names ("Enter", "F6", "C-c") or literal text (`literal: true`).
    func send(_ keys: String, literal: Bool = false) throws {
        try run(["send-keys", "-t", session] + (literal ? ["-l", keys] : [keys]))
    }

    /// The screen as text, or with SGR escape sequences (`escapes: true`).
    func capture(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
    }

    /// A tmux format value, e.g. `#{alternate_on}`.
    func format(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(columns: Int, rows: Int) throws {
        try run(["resize-window", "-t", session, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// Polls the screen until `condition` holds; fails the test after `timeout` seconds.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 90, escapes: Bool = false,
                 file: StaticString = #filePath, line: UInt = #line,
                 _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture(escapes: escapes)
            if condition(screen) { return screen }
            usleep(50_000)
        }
        XCTFail("timed out waiting for \(what); screen:\n\(screen)", file: file, line: line)
        throw XCTSkip("gave up after the failure above")
    }

    /// Waits until the chat is ready for input.
    func waitUntilReady() throws {
        try waitFor("the input box") { $0.contains("type a message") }
    }

    /// Types a prompt and sends it.
    func ask(_ prompt: String) throws {
        try send(prompt, literal: true)
        try send("Enter")
    }

    private static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
