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

    /// Our own key codes for escape sequences terminfo does not name.
    private enum Extra: Int32, CaseIterable {
        case pasteBegin, pasteEnd, altUp, altDown, altRight, altLeft

        var sequence: String {
            switch self {
            case .pasteBegin: return "\u{1b}[200~"
            case .pasteEnd: return "\u{1b}[201~"
            case .altUp: return "\u{1b}[1;3A"
            case .altDown: return "\u{1b}[1;3B"
            case .altRight: return "\u{1b}[1;3C"
            case .altLeft: return "\u{1b}[1;3D"
            }
        }

        var code: Int32 { skipchat_key_user_base() + rawValue }
        var key: Key { [.pasteBegin, .pasteEnd, .altUp, .altDown, .altRight, .altLeft][Int(rawValue)] }
    }

    /// Takes over the terminal: locale, curses mode, colours, bracketed paste, signal handlers.
    /// - Throws: when standard input or output is not a terminal, or curses cannot start.
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
        self.screen = screen
        self.theme = theme
        self.layerCount = layerCount
        set_term(screen)
        set_escdelay(25)
        raw()
        noecho()
        nonl()
        keypad(skipchat_stdscr(), true)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        depth = ColorDepth.detect(environment: environment, terminalColors: Int(skipchat_colors()), hasColors: has_colors())
        for extra in Extra.allCases { define_key(extra.sequence, extra.code) }
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

    /// Waits up to `milliseconds` for a key or a signal; nil on timeout.
    func read(timeout milliseconds: Int) -> Input? {
        if let signal = TerminalSignals.take() { return .signal(signal) }
        let window = skipchat_stdscr()
        wtimeout(window, Int32(milliseconds))
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if let signal = TerminalSignals.take() { return .signal(signal) }
        if result == ERR { return nil }
        if result == skipchat_key_code_yes() {
            let key = keyCode(Int32(character))
            if key == .resize { updateSize() }
            return key.map(Input.key)
        }
        if character == 27 {
            wtimeout(window, 0)
            var next: wint_t = 0
            let follow = wget_wch(window, &next)
            if follow == OK, next == 13 { return .key(.altEnter) }
            if follow == OK, next >= 32, next != 127, let scalar = Unicode.Scalar(UInt32(next)) {
                return .key(.alt(Character(scalar)))
            }
            if follow == skipchat_key_code_yes() { return keyCode(Int32(next)).map(Input.key) }
            return .key(.escape)
        }
        return character == 0 ? nil : Self.key(forCharacter: UInt32(character)).map(Input.key)
    }

    /// A plain character (not a curses key code) as a key.
    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0..<32: return nil
        default: return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }

    private func keyCode(_ code: Int32) -> Key? {
        if let extra = Extra.allCases.first(where: { $0.code == code }) { return extra.key }
        for n in 1...12 where code == skipchat_key_f(Int32(n)) { return .function(n) }
        switch code {
        case skipchat_key_resize(): return .resize
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        default: return nil
        }
    }
}
