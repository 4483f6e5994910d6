/// One character cell of the screen.
///
/// A wide character (two columns) sits in its first cell; the second holds `continuation`,
/// which the terminal and the SVG writer skip.
public struct Cell: Sendable, Hashable {
    public var character: Unicode.Scalar
    public var style: Style

    public init(_ character: Unicode.Scalar = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }

    /// The right half of a wide character.
    public static let continuationScalar: Unicode.Scalar = "\u{0}"

    public var isContinuation: Bool { character == Self.continuationScalar }
}

extension Unicode.Scalar {
    /// Columns the scalar takes in a terminal: 0 for combining and zero-width scalars, 2 for
    /// East Asian wide ones, else 1.
    public var terminalWidth: Int {
        let value = self.value
        if value < 0x300 { return 1 }
        if (0x300...0x36F).contains(value) || (0x200B...0x200F).contains(value) || (0xFE00...0xFE0F).contains(value)
            || value == 0x2060 || value == 0xFEFF
        {
            return 0
        }
        if (0x1100...0x115F).contains(value) || (0x2E80...0x303E).contains(value) || (0x3041...0x33FF).contains(value)
            || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value)
            || (0xA000...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value)
            || (0xFF00...0xFF60).contains(value) || (0xFFE0...0xFFE6).contains(value)
            || (0x1F300...0x1F64F).contains(value) || (0x1F900...0x1F9FF).contains(value)
            || (0x20000...0x3FFFD).contains(value)
        {
            return 2
        }
        return 1
    }
}

extension String {
    /// Columns the text takes in a terminal.
    public var terminalWidth: Int {
        unicodeScalars.reduce(0) { $0 + $1.terminalWidth }
    }

    /// The text cut to `width` columns, with `…` (or `~`) at the end when cut.
    public func truncated(to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if terminalWidth <= width { return self }
        var result = ""
        var used = 0
        let room = width - ellipsis.terminalWidth
        for scalar in unicodeScalars {
            let next = scalar.terminalWidth
            if used + next > room { break }
            result.unicodeScalars.append(scalar)
            used += next
        }
        return result + ellipsis
    }

    /// The text cut from the left to `width` columns: `…ues[2].head`.
    public func truncatedLeft(to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if terminalWidth <= width { return self }
        var kept: [Unicode.Scalar] = []
        var used = 0
        let room = width - ellipsis.terminalWidth
        for scalar in unicodeScalars.reversed() {
            let next = scalar.terminalWidth
            if used + next > room { break }
            kept.append(scalar)
            used += next
        }
        var result = ellipsis
        result.unicodeScalars.append(contentsOf: kept.reversed())
        return result
    }

    /// The text padded with spaces to `width` columns (cut when longer).
    public func padded(to width: Int) -> String {
        let current = terminalWidth
        if current >= width { return truncated(to: width) }
        return self + String(repeating: " ", count: width - current)
    }

    /// The text right-aligned in `width` columns.
    public func leftPadded(to width: Int) -> String {
        let current = terminalWidth
        if current >= width { return self }
        return String(repeating: " ", count: width - current) + self
    }
}
