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

    /// Starts `skipchat chat` at a terminal size, with `TERM=term`. The command line is followed
    /// by a line that prints the exit status and whether the terminal modes are sane again;
    /// `environment` is exported before it (e.g. `XDG_CACHE_HOME`). The
    /// shell ignores SIGINT (skipchat installs its own handler), so that a Ctrl-C in line mode,
    /// which the terminal sends to the whole process group, does not end the shell too.
    init(columns: Int = 100, rows: Int = 30, arguments: [String] = [], term: String = "xterm-256color",
         environment extra: [String: String] = [:]) throws {
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
        func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let quoted = command.map(quote).joined(separator: " ")
        let exports = extra.sorted { $0.key < $1.key }.map { "export \($0.key)=\(quote($0.value)); " }.joined()
        let script = """
            export TERM=\(term) LANG=C.UTF-8 XDG_STATE_HOME='\(stateDirectory.path)/state' \
            XDG_CONFIG_HOME='\(stateDirectory.path)/config'; unset NO_COLOR; trap '' INT; \
            \(exports)\(quoted); echo "EXIT=$?"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 600
            """
        try run(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", "sh", "-c", script])
    }

    deinit {
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(at: stateDirectory)
    }

    /// Runs a tmux command on the private server and returns what it printed.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        try Self.spawn(tmux, ["-L", socket] + arguments, scratch: stateDirectory)
    }

    /// Runs a program to its end and returns its standard output. Output goes through a file,
    /// not a pipe: a tmux server started by the command would hold a pipe open for ever.
    static func spawn(_ executable: String, _ arguments: [String], scratch: URL) throws -> String {
        let outputPath = scratch.appendingPathComponent("spawn-\(UUID()).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw XCTSkip("cannot run \(executable): error \(status)") }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) < 0, errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
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

    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
