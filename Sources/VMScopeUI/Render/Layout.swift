/// Where each pane goes for a terminal size.
///
/// Narrow (under 118 columns, e.g. 80x24): tree and step log side by side on top, the hex pane
/// across the bottom (16 bytes a row from 78 columns). Wide: tree on the left, hex on the right,
/// the step log across the bottom. The status line is the last row.
public struct Layout: Sendable, Hashable {
    public static let minimum = Size(width: 60, height: 16)

    public var size: Size
    public var tree: Rect
    public var hex: Rect
    public var log: Rect
    public var status: Rect
    public var tooSmall: Bool

    public init(size: Size) {
        self.size = size
        let width = size.width
        let height = size.height
        tooSmall = width < Self.minimum.width || height < Self.minimum.height
        status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let body = height - 1
        if width >= 118 {
            let logHeight = max(8, body / 3)
            let top = body - logHeight
            let hexWidth = 78
            tree = Rect(x: 0, y: 0, width: width - hexWidth, height: top)
            hex = Rect(x: width - hexWidth, y: 0, width: hexWidth, height: top)
            log = Rect(x: 0, y: top, width: width, height: logHeight)
        } else {
            let hexHeight = max(6, min(body / 2 - 1, 9 + max(0, body - 23) / 2))
            let top = body - hexHeight
            let treeWidth = width / 2
            tree = Rect(x: 0, y: 0, width: treeWidth, height: top)
            log = Rect(x: treeWidth, y: 0, width: width - treeWidth, height: top)
            hex = Rect(x: 0, y: top, width: width, height: hexHeight)
        }
    }

    public func rect(of pane: Pane) -> Rect {
        switch pane {
        case .tree: tree
        case .hex: hex
        case .log: log
        }
    }
}
