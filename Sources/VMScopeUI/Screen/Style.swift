/// A terminal colour: the terminal's default, or one of the 256 indexed colours
/// (0–7 the basic ANSI colours, 8–15 their bright forms).
public enum TermColor: Sendable, Hashable {
    case `default`
    case indexed(UInt8)

    public static let black = TermColor.indexed(0)
    public static let red = TermColor.indexed(1)
    public static let green = TermColor.indexed(2)
    public static let yellow = TermColor.indexed(3)
    public static let blue = TermColor.indexed(4)
    public static let magenta = TermColor.indexed(5)
    public static let cyan = TermColor.indexed(6)
    public static let white = TermColor.indexed(7)
    public static let brightBlack = TermColor.indexed(8)
    public static let brightRed = TermColor.indexed(9)
    public static let brightGreen = TermColor.indexed(10)
    public static let brightYellow = TermColor.indexed(11)
    public static let brightBlue = TermColor.indexed(12)
    public static let brightMagenta = TermColor.indexed(13)
    public static let brightCyan = TermColor.indexed(14)
    public static let brightWhite = TermColor.indexed(15)

    /// The nearest of the 8 basic colours, for terminals that have no more.
    public var basic: TermColor {
        guard case .indexed(let index) = self else { return self }
        if index < 8 { return self }
        if index < 16 { return .indexed(index - 8) }
        if index >= 232 { return index >= 244 ? .white : .black }
        let cube = Int(index) - 16
        let red = cube / 36
        let green = (cube / 6) % 6
        let blue = cube % 6
        let bits = (red >= 3 ? 1 : 0) | (green >= 3 ? 2 : 0) | (blue >= 3 ? 4 : 0)
        return .indexed(UInt8(bits))
    }

    /// The colour as `#rrggbb` in the xterm palette, for SVG.
    public func hex(defaultValue: String) -> String {
        guard case .indexed(let index) = self else { return defaultValue }
        let (red, green, blue) = Self.rgb(index)
        return "#" + [red, green, blue].map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static func rgb(_ index: UInt8) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0x1e, 0x1e, 0x1e), (0xcd, 0x31, 0x31), (0x0d, 0xbc, 0x79), (0xe5, 0xe5, 0x10),
            (0x24, 0x72, 0xc8), (0xbc, 0x3f, 0xbc), (0x11, 0xa8, 0xcd), (0xd0, 0xd0, 0xd0),
            (0x66, 0x66, 0x66), (0xf1, 0x4c, 0x4c), (0x23, 0xd1, 0x8b), (0xf5, 0xf5, 0x43),
            (0x3b, 0x8e, 0xea), (0xd6, 0x70, 0xd6), (0x29, 0xb8, 0xdb), (0xff, 0xff, 0xff),
        ]
        if index < 16 { return basic[Int(index)] }
        if index >= 232 {
            let level = 8 + 10 * (Int(index) - 232)
            return (level, level, level)
        }
        let cube = Int(index) - 16
        let steps = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
    }
}

/// Character attributes a terminal can show without colour.
public struct CellAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = CellAttributes(rawValue: 1 << 0)
    public static let dim = CellAttributes(rawValue: 1 << 1)
    public static let underline = CellAttributes(rawValue: 1 << 2)
    public static let reverse = CellAttributes(rawValue: 1 << 3)
    public static let italic = CellAttributes(rawValue: 1 << 4)
}

/// How a cell is drawn: foreground, background, attributes.
public struct Style: Sendable, Hashable {
    public var foreground: TermColor
    public var background: TermColor
    public var attributes: CellAttributes

    public init(
        foreground: TermColor = .default, background: TermColor = .default, attributes: CellAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    public func with(_ extra: CellAttributes) -> Style {
        var style = self
        style.attributes.formUnion(extra)
        return style
    }

    public func on(_ background: TermColor) -> Style {
        var style = self
        style.background = background
        return style
    }
}
