import CNCurses
import Platform
import VMScopeUI

/// Why the explorer cannot start on this terminal.
struct TerminalUnavailable: Error {
    var problem: String

    var message: String {
        "the explorer cannot start: \(problem).\nFor text output use `vmscope trace` (or `vmscope trace --json`)."
    }
}

/// The one type that talks to ncurses: it flushes a `Screen` and turns keys, mouse and resizes
/// into `InputEvent`s. Everything else is pure Swift in VMScopeUI.
final class Terminal {
    private var screenHandle: OpaquePointer?
    private var previous: Screen?
    private var pairs: [Int: Int32] = [:]
    private let colorCount: Int
    let colorMode: ColorMode
    let unicode: Bool
    private var isOpen = false

    /// Start-up checks in order, then ncurses: stdin and stdout are TTYs, `newterm` succeeds,
    /// the terminal has `cup`. The locale decides Unicode or ASCII; `NO_COLOR` or a terminal
    /// without colours gives monochrome.
    init(forceMonochrome: Bool = false, forceASCII: Bool = false) throws(TerminalUnavailable) {
        if isatty(STDIN_FILENO) != 1 {
            throw TerminalUnavailable(problem: "standard input is not a terminal")
        }
        if isatty(STDOUT_FILENO) != 1 {
            throw TerminalUnavailable(problem: "standard output is not a terminal")
        }
        setlocale(LC_ALL, "")
        unicode = !forceASCII && cn_locale_is_utf8() != 0
        let termName = ProcessInfo.processInfo.environment["TERM"] ?? ""
        Signals.saveTerminalModes()
        guard let handle = newterm(nil, cn_stdout(), cn_stdin()) else {
            throw TerminalUnavailable(
                problem: termName.isEmpty
                    ? "TERM is not set" : "ncurses does not know the terminal TERM=\(termName)")
        }
        set_term(handle)
        screenHandle = handle
        if cn_has_cup() == 0 {
            endwin()
            delscreen(handle)
            screenHandle = nil
            throw TerminalUnavailable(
                problem: "the terminal TERM=\(termName.isEmpty ? "(unset)" : termName) cannot move the cursor (no cup)")
        }
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        if has_colors() && !noColor && !forceMonochrome {
            start_color()
            use_default_colors()
            colorMode = .color
            colorCount = Int(cn_colors())
        } else {
            colorMode = .monochrome
            colorCount = 0
        }
        cbreak()
        noecho()
        nonl()
        cn_no_flow_control()
        keypad(cn_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        wtimeout(cn_stdscr(), 250)
        mousemask(CN_BUTTON1_PRESSED | CN_BUTTON4_PRESSED | CN_BUTTON5_PRESSED, nil)
        mouseinterval(0)
        var restore: [UInt8] = []
        for capability in ["rmcup", "cnorm", "sgr0", "rmkx"] {
            if let value = cn_tigetstr(capability) { restore += Array(String(cString: value).utf8) }
        }
        restore += Array("\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1003l\u{1b}[?1006l".utf8)
        Signals.setRestoreSequence(restore)
        Signals.install()
        isOpen = true
    }

    /// Gives the terminal back as it was. Safe to call twice.
    func close() {
        guard isOpen else { return }
        isOpen = false
        Signals.disarm()
        mousemask(0, nil)
        endwin()
        if let screenHandle { delscreen(screenHandle) }
        screenHandle = nil
    }

    deinit { close() }

    var size: Size {
        var rows: Int32 = 0
        var columns: Int32 = 0
        cn_getmaxyx(cn_stdscr(), &rows, &columns)
        return Size(width: Int(max(1, columns)), height: Int(max(1, rows)))
    }

    /// Draws the cells that changed since the last frame.
    func draw(_ screen: Screen) {
        let window = cn_stdscr()
        let full = previous.map { $0.width != screen.width || $0.height != screen.height } ?? true
        if full { werase(window) }
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let cell = screen[x, y]
                if cell.isContinuation { continue }
                if !full, let previous, previous[x, y] == cell { continue }
                _ = cn_put_wide(
                    window, Int32(y), Int32(x), cell.character.value, attributes(cell.style), pair(cell.style))
            }
        }
        wrefresh(window)
        previous = screen
    }

    /// The next event, or nil after a quarter second with none (or a signal).
    func nextEvent() -> InputEvent? {
        if Signals.takeSuspendRequest() { suspend() }
        var character: wint_t = 0
        let result = wget_wch(cn_stdscr(), &character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return functionKey(Int32(character)) }
        switch character {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26:
            guard let scalar = Unicode.Scalar(UInt32(character) + 96) else { return nil }
            return .key(.control(Character(scalar)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    private func functionKey(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE:
            previous = nil
            return .resize(size)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let x = Int(event.x)
            let y = Int(event.y)
            if event.bstate & CN_BUTTON4_PRESSED != 0 { return .mouse(MouseEvent(.wheelUp, x: x, y: y)) }
            if event.bstate & CN_BUTTON5_PRESSED != 0 { return .mouse(MouseEvent(.wheelDown, x: x, y: y)) }
            if event.bstate & (CN_BUTTON1_PRESSED | CN_BUTTON1_CLICKED) != 0 {
                return .mouse(MouseEvent(.press, x: x, y: y))
            }
            return nil
        default:
            for number in 1...12 where code == cn_key_f(Int32(number)) { return .key(.function(number)) }
            return nil
        }
    }

    /// SIGTSTP: give the terminal back, stop, and on SIGCONT take it again and redraw.
    private func suspend() {
        endwin()
        Signals.disarm()
        Signals.stopSelf()
        Signals.rearm()
        refresh()
        previous = nil
    }

    /// Whether a resize or resume needs the caller to re-read the size.
    var needsFullRedraw: Bool { previous == nil }

    private func attributes(_ style: Style) -> attr_t {
        var result = CN_A_NORMAL
        if style.attributes.contains(.bold) { result |= CN_A_BOLD }
        if style.attributes.contains(.dim) { result |= CN_A_DIM }
        if style.attributes.contains(.underline) { result |= CN_A_UNDERLINE }
        if style.attributes.contains(.reverse) { result |= CN_A_REVERSE }
        if style.attributes.contains(.italic) { result |= CN_A_ITALIC }
        return result
    }

    private func colorNumber(_ color: TermColor) -> Int32 {
        switch color {
        case .default: return -1
        case .indexed(let index):
            if Int(index) < colorCount { return Int32(index) }
            let basic = color.basic
            if case .indexed(let low) = basic { return Int32(low) }
            return -1
        }
    }

    /// The colour pair for a style, made on first use.
    private func pair(_ style: Style) -> Int32 {
        guard colorMode == .color else { return 0 }
        let foreground = colorNumber(style.foreground)
        let background = colorNumber(style.background)
        if foreground == -1 && background == -1 { return 0 }
        let key = Int(foreground + 1) << 16 | Int(background + 1)
        if let existing = pairs[key] { return existing }
        let number = Int32(pairs.count + 1)
        guard number < cn_color_pairs(), number < 32_767 else { return 0 }
        init_pair(Int16(number), Int16(foreground), Int16(background))
        pairs[key] = number
        return number
    }
}
