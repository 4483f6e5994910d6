/// What the explorer shows: a grid of cells, drawn by widgets, flushed to ncurses by the
/// terminal, written as SVG by `vmscope screenshot`, and read by tests.
public struct Screen: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = Cell()) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public init(size: Size) { self.init(width: size.width, height: size.height) }

    public var size: Size { Size(width: width, height: height) }
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, x < width, y >= 0, y < height else { return Cell() }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from column `x` of row `y`, clipped to `clip` (default: the screen).
    /// Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let area = clip ?? bounds
        guard y >= area.y, y < area.maxY, y >= 0, y < height else { return x }
        let limit = min(area.maxX, width)
        var column = x
        for scalar in text.unicodeScalars {
            let columns = scalar.terminalWidth
            if columns == 0 { continue }
            if column + columns > limit { break }
            if column >= area.x && column >= 0 {
                let shown: Unicode.Scalar = scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar
                cells[y * width + column] = Cell(shown, style: style)
                if columns == 2 { cells[y * width + column + 1] = Cell(Cell.continuationScalar, style: style) }
            }
            column += columns
        }
        return column
    }

    /// Writes one character cell.
    public mutating func put(_ scalar: Unicode.Scalar, x: Int, y: Int, style: Style) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        cells[y * width + x] = Cell(scalar, style: style)
    }

    /// Sets the style of the cells of `rect` (keeping their characters) .
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                change(&cells[row * width + column].style)
            }
        }
    }

    /// Fills `rect` with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Unicode.Scalar = " ", style: Style = .plain) {
        let cell = Cell(character, style: style)
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            let start = row * width
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                cells[start + column] = cell
            }
        }
    }

    /// A box on the edge of `rect` with a title in its top edge.
    public mutating func box(_ rect: Rect, glyphs: Glyphs, style: Style, title: String? = nil, titleStyle: Style? = nil)
    {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let lines = glyphs.box
        for column in rect.x + 1..<rect.maxX - 1 {
            put(lines.horizontal, x: column, y: rect.y, style: style)
            put(lines.horizontal, x: column, y: rect.maxY - 1, style: style)
        }
        for row in rect.y + 1..<rect.maxY - 1 {
            put(lines.vertical, x: rect.x, y: row, style: style)
            put(lines.vertical, x: rect.maxX - 1, y: row, style: style)
        }
        put(lines.topLeft, x: rect.x, y: rect.y, style: style)
        put(lines.topRight, x: rect.maxX - 1, y: rect.y, style: style)
        put(lines.bottomLeft, x: rect.x, y: rect.maxY - 1, style: style)
        put(lines.bottomRight, x: rect.maxX - 1, y: rect.maxY - 1, style: style)
        if let title, rect.width > 6 {
            let text = " " + title.truncated(to: rect.width - 6, ellipsis: glyphs.ellipsis) + " "
            put(text, x: rect.x + 2, y: rect.y, style: titleStyle ?? style)
        }
    }

    /// For terminals whose locale is not UTF-8: every character above 0x7e becomes an ASCII
    /// stand-in (text from the trace may carry `…` or names in any script).
    public mutating func replaceNonASCII() {
        let stand: [Unicode.Scalar: Unicode.Scalar] = ["…": "~", "·": "-", "→": ">", "≠": "!", "×": "x"]
        for index in cells.indices {
            if cells[index].isContinuation {
                cells[index].character = "?"
            } else if cells[index].character.value > 0x7E {
                cells[index].character = stand[cells[index].character] ?? "?"
            }
        }
    }

    /// Row `y` as text, trailing spaces kept.
    public func row(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var text = ""
        for x in 0..<width {
            let cell = cells[y * width + x]
            if !cell.isContinuation { text.unicodeScalars.append(cell.character) }
        }
        return text
    }

    /// The whole screen as text, one line a row, trailing spaces removed: the golden-frame form.
    public var text: String {
        (0..<height).map { row($0).trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    /// Whether any row contains `needle`.
    public func contains(_ needle: String) -> Bool {
        (0..<height).contains { row($0).contains(needle) }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var scalars = unicodeScalars[...]
        while let last = scalars.last, last == " " { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
