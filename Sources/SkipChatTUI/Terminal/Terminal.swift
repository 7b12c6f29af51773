import CNCurses
import Foundation

/// The only ncurses caller. Owns the screen from `init` until `restore()`; every method must be
/// called on the thread that created it.
final class Terminal: Canvas {
    private(set) var rows = 0
    private(set) var columns = 0
    /// Colour depth in use (from the environment and terminfo).
    private(set) var depth: ColorDepth = .mono
    private var theme: Theme
    private let layerCount: Int
    private let screen: OpaquePointer
    private var restored = false
    private var pairs: [CellStyle: Int32] = [:]
    private var styles: [Role: (attr_t, Int32)] = [:]
    private var nextPair: Int32 = 1

    /// Escape sequences are parsed here, not by curses (`keypad` is off), so that every
    /// encoding of a key is understood and unknown sequences never become text.
    private var decoder = KeyDecoder()
    /// Keys decoded but not yet returned (an unfinished sequence cut by a control character
    /// yields two).
    private var decoded: [Key] = []
    /// How long to wait for the rest of an escape sequence, milliseconds.
    private static let escapeDelay: Int32 = 25

    /// Takes over the terminal: locale, curses mode, colours, bracketed paste, signal handlers.
    /// - Throws: when standard input or output is not a terminal, curses cannot start, or the
    ///   terminal has no cursor addressing (terminfo `cup`).
    init(theme: Theme, layerCount: Int, environment: [String: String]) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw ConfigError(description: "the chat needs a terminal (standard input and output must be a TTY)")
        }
        setlocale(LC_ALL, "")
        DisplayWidth.prepareLocale()
        TerminalSignals.install()
        guard let screen = newterm(nil, skipchat_stdout(), skipchat_stdin()) else {
            TerminalSignals.uninstall()
            throw ConfigError(description: "cannot start curses for TERM=\(environment["TERM"] ?? "(unset)")")
        }
        set_term(screen)
        let cursorAddressing = tigetstr("cup")
        guard let cursorAddressing, Int(bitPattern: cursorAddressing) != -1 else {
            endwin()
            delscreen(screen)
            TerminalSignals.uninstall()
            throw ConfigError(description: "TERM=\(environment["TERM"] ?? "(unset)") has no cursor addressing")
        }
        self.screen = screen
        self.theme = theme
        self.layerCount = layerCount
        raw()
        noecho()
        nonl()
        keypad(skipchat_stdscr(), false)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        depth = ColorDepth.detect(environment: environment, terminalColors: Int(skipchat_colors()), hasColors: has_colors())
        writeRaw("\u{1b}[?2004h")
        updateSize()
    }

    /// Gives the terminal back as it was. Safe to call more than once.
    func restore() {
        guard !restored else { return }
        restored = true
        writeRaw("\u{1b}[?2004l")
        endwin()
        delscreen(screen)
        TerminalSignals.uninstall()
    }

    /// Switches theme: colour pairs are built again as they are needed.
    func setTheme(_ theme: Theme) {
        self.theme = theme
        styles = [:]
        pairs = [:]
        nextPair = 1
    }

    private func writeRaw(_ sequence: String) {
        var bytes = Array(sequence.utf8)
        _ = write(STDOUT_FILENO, &bytes, bytes.count)
    }

    private func updateSize() {
        var r: Int32 = 0
        var c: Int32 = 0
        skipchat_getmaxyx(skipchat_stdscr(), &r, &c)
        rows = Int(r)
        columns = Int(c)
    }

    // MARK: Drawing

    /// Starts a frame (the next `finishFrame` sends only the differences).
    func beginFrame() { werase(skipchat_stdscr()) }

    /// Sends the frame, with the cursor at `cursor` (nil: hidden).
    func finishFrame(cursor: (row: Int, column: Int)?) {
        if let cursor {
            curs_set(1)
            wmove(skipchat_stdscr(), Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wnoutrefresh(skipchat_stdscr())
        doupdate()
    }

    /// Forgets what is on the screen and paints everything again at the next frame (Ctrl-L).
    func invalidate() { clearok(skipchat_stdscr(), true) }

    func put(_ text: String, role: Role, row: Int, column: Int) {
        let (attributes, pair) = style(role)
        let window = skipchat_stdscr()
        skipchat_set_style(window, attributes, pair)
        var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        mvwaddnwstr(window, Int32(row), Int32(column), wide, Int32(wide.count - 1))
    }

    private func style(_ role: Role) -> (attr_t, Int32) {
        if let cached = styles[role] { return cached }
        let cell = theme.style(for: role, layerCount: layerCount, depth: depth)
        var attributes = skipchat_attr_normal()
        if cell.attributes.contains(.bold) { attributes |= skipchat_attr_bold() }
        if cell.attributes.contains(.dim) { attributes |= skipchat_attr_dim() }
        if cell.attributes.contains(.underline) { attributes |= skipchat_attr_underline() }
        if cell.attributes.contains(.reverse) { attributes |= skipchat_attr_reverse() }
        if cell.attributes.contains(.italic) { attributes |= skipchat_attr_italic() }
        let resolved = (attributes, pair(for: CellStyle(foreground: cell.foreground, background: cell.background)))
        styles[role] = resolved
        return resolved
    }

    private func pair(for colors: CellStyle) -> Int32 {
        if colors.foreground == nil && colors.background == nil { return 0 }
        if let known = pairs[colors] { return known }
        guard nextPair < skipchat_color_pairs() else { return 0 }
        let number = nextPair
        nextPair += 1
        init_extended_pair(number, Int32(colors.foreground ?? -1), Int32(colors.background ?? -1))
        pairs[colors] = number
        return number
    }

    // MARK: Input

    /// What the main loop can get from the terminal.
    enum Input {
        case key(Key)
        /// SIGINT, SIGTERM or SIGHUP arrived.
        case signal(Int32)
    }

    /// Waits up to `milliseconds` for a key or a signal; nil on timeout. Escape sequences are
    /// read whole (`KeyDecoder`); what they do not map to a key is dropped.
    func read(timeout milliseconds: Int) -> Input? {
        if let signal = TerminalSignals.take() { return .signal(signal) }
        if !decoded.isEmpty { return .key(decoded.removeFirst()) }
        let window = skipchat_stdscr()
        var wait = Int32(milliseconds)
        while true {
            wtimeout(window, decoder.isPending ? Self.escapeDelay : wait)
            var character: wint_t = 0
            let result = wget_wch(window, &character)
            if let signal = TerminalSignals.take() { return .signal(signal) }
            if result == ERR {
                guard decoder.isPending else { return nil }
                decoded += decoder.timeout()
            } else if result == skipchat_key_code_yes() {
                if Int32(character) == skipchat_key_resize() {
                    updateSize()
                    return .key(.resize)
                }
            } else if let scalar = Unicode.Scalar(UInt32(character)) {
                decoded += decoder.feed(scalar)
            }
            if !decoded.isEmpty { return .key(decoded.removeFirst()) }
            if !decoder.isPending { wait = 0 }
        }
    }
}
