/// A key the explorer understands, whatever produced it (ncurses or a key script).
public enum Key: Sendable, Hashable {
    case character(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// Control plus a letter (`<C-c>`), lower case.
    case control(Character)

    public static func char(_ text: Character) -> Key { .character(text) }
}

public enum MouseAction: Sendable, Hashable {
    case press, wheelUp, wheelDown
}

public struct MouseEvent: Sendable, Hashable {
    public var action: MouseAction
    /// Column and row, 0-based.
    public var x: Int
    public var y: Int

    public init(_ action: MouseAction, x: Int, y: Int) {
        self.action = action
        self.x = x
        self.y = y
    }
}

/// Everything `update` reacts to.
public enum InputEvent: Sendable, Hashable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(Size)
}
