/// The characters the explorer draws with: Unicode where the locale is UTF-8, ASCII otherwise.
public struct Glyphs: Sendable, Hashable {
    public struct Box: Sendable, Hashable {
        public var horizontal: Unicode.Scalar
        public var vertical: Unicode.Scalar
        public var topLeft: Unicode.Scalar
        public var topRight: Unicode.Scalar
        public var bottomLeft: Unicode.Scalar
        public var bottomRight: Unicode.Scalar
    }

    public var box: Box
    public var ellipsis: String
    /// Tree expanders.
    public var expanded: String
    public var collapsed: String
    /// The marker of the current row in lists.
    public var pointer: String
    public var breakpoint: String
    public var separator: String
    /// Node states in the tree.
    public var notReached: String
    public var active: String
    public var loaded: String
    public var allocated: String
    public var null: String
    public var skipped: String
    public var failed: String
    public var checkboxOn: String
    public var checkboxOff: String
    public var arrow: String

    public var isASCII: Bool

    public static let unicode = Glyphs(
        box: Box(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘"),
        ellipsis: "…", expanded: "▾", collapsed: "▸", pointer: "▶", breakpoint: "●", separator: "│",
        notReached: "·", active: "○", loaded: "✓", allocated: "◆", null: "∅", skipped: "⊘", failed: "✗",
        checkboxOn: "[x]", checkboxOff: "[ ]", arrow: "→", isASCII: false)

    public static let ascii = Glyphs(
        box: Box(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+"),
        ellipsis: "~", expanded: "-", collapsed: "+", pointer: ">", breakpoint: "*", separator: "|",
        notReached: ".", active: "o", loaded: "v", allocated: "A", null: "0", skipped: "-", failed: "X",
        checkboxOn: "[x]", checkboxOff: "[ ]", arrow: "->", isASCII: true)
}
