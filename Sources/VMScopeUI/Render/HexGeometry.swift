/// Where each byte sits in the hex pane: `OFFSET  hh hh .. hh  hh .. hh  ascii`.
public struct HexGeometry: Sendable, Hashable {
    public var inner: Rect
    public var offsetDigits: Int
    public var bytesPerRow: Int

    public init(pane: Rect, byteCount: Int) {
        inner = pane.inset(by: 1)
        var digits = 4
        while digits < 16, byteCount > 1 << (4 * digits) { digits += 1 }
        offsetDigits = digits
        let room = inner.width
        if room >= digits + 2 + 16 * 3 + 1 + 1 + 16 {
            bytesPerRow = 16
        } else if room >= digits + 2 + 8 * 3 + 1 + 8 {
            bytesPerRow = 8
        } else {
            bytesPerRow = 4
        }
    }

    public var visibleRows: Int { inner.height }

    /// Column of byte `index` (0..<bytesPerRow) in the hex part.
    public func hexColumn(_ index: Int) -> Int {
        inner.x + offsetDigits + 2 + index * 3 + (bytesPerRow == 16 && index >= 8 ? 1 : 0)
    }

    /// Column of byte `index` in the ASCII part.
    public func asciiColumn(_ index: Int) -> Int {
        hexColumn(bytesPerRow - 1) + 2 + 2 + index
    }

    /// The byte offset under a screen position, given the first shown row.
    public func offset(atX x: Int, y: Int, topRow: Int) -> Int? {
        guard inner.contains(x: x, y: y) else { return nil }
        let row = topRow + (y - inner.y)
        for index in 0..<bytesPerRow {
            let column = hexColumn(index)
            if x >= column && x <= column + 1 { return row * bytesPerRow + index }
            if x == asciiColumn(index) { return row * bytesPerRow + index }
        }
        return nil
    }
}
