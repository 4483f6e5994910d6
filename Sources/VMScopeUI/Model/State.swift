import Scenario
import VMState

/// The panes that take keys.
public enum Pane: String, Sendable, Hashable, CaseIterable {
    case tree, hex, log
}

/// How the screen is drawn: glyph set and colours. The terminal decides at start-up.
public struct DisplayOptions: Sendable, Hashable {
    public var glyphs: Glyphs
    public var colorMode: ColorMode

    public init(unicode: Bool = true, colorMode: ColorMode = .color) {
        self.glyphs = unicode ? .unicode : .ascii
        self.colorMode = colorMode
    }

    public var theme: Theme { Theme(mode: colorMode) }
}

/// A place to come back to: `m<letter>` stores one, `'<letter>` returns to it.
public struct Mark: Sendable, Hashable {
    public var step: Int
    public var node: [Tree.Component]
    public var hexCursor: Int
}

/// Where `c` and `C` stop besides failures.
public struct Breakpoints: Sendable, Hashable {
    /// Fields (any node), by path, so they survive re-runs.
    public var nodes: [[Tree.Component]] = []
    public var categories: Set<EventCategory> = []

    public init() {}

    public var isEmpty: Bool { nodes.isEmpty && categories.isEmpty }
}

/// A one-line question on the status row.
public struct Prompt: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case gotoOffset
        case search
        /// A number for the flag editor's size / num / version_id row.
        case number(FlagEditor.Row)
    }

    public var kind: Kind
    public var text: String

    public var label: String {
        switch kind {
        case .gotoOffset: "go to offset (hex, +n/-n relative): "
        case .search: "search (name, or 0x31 00 / \"text\" for bytes): "
        case .number(let row): "\(row.title): "
        }
    }
}

/// A key that waits for a letter.
public enum PendingKey: Sendable, Hashable {
    case setMark, jumpToMark
}

/// A one-line message on the status row until the next key.
public struct Notice: Sendable, Hashable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Something drawn over the panes that takes the keys while it is open.
public enum Overlay: Sendable {
    case help(scroll: Int)
    case flagEditor(FlagEditor)
    case profilePicker(selected: Int)
    case breakpoints
    case diff(DiffView)
}

/// What an undo restores.
public struct Snapshot: Sendable, Hashable {
    public var profiles: ProfileChoice
    public var edits: [FieldEdit]
}

/// The whole explorer: what it shows, where the cursors are, what is open. `update` is the only
/// thing that changes it; `render` only reads it.
public struct State: Sendable {
    public internal(set) var source: any ExplorerSource
    public internal(set) var profiles: ProfileChoice
    public internal(set) var edits: [FieldEdit] = []
    public internal(set) var history: [Snapshot] = []
    public internal(set) var session: Session
    /// Events fired: 0 before the first, `session.eventCount` at the end.
    public internal(set) var step = 0
    public internal(set) var focus: Pane = .tree
    public internal(set) var selection: Int32 = 0
    public internal(set) var collapsed: Set<Int32> = []
    public internal(set) var rows = TreeRows()
    public internal(set) var treeTop = 0
    public internal(set) var hexCursor = 0
    public internal(set) var hexTop = 0
    public internal(set) var breakpoints = Breakpoints()
    public internal(set) var marks: [Character: Mark] = [:]
    /// Where the last jump came from, for `''`.
    public internal(set) var lastPosition: Mark?
    public internal(set) var overlay: Overlay?
    public internal(set) var prompt: Prompt?
    public internal(set) var pending: PendingKey?
    public internal(set) var notice: Notice?
    /// A demo's caption, shown in the status line until the next one.
    public var caption: String?
    public internal(set) var lastSearch: String?
    /// What the last re-run changed (the flag editor shows it).
    public internal(set) var lastRerun: RerunReport?
    public internal(set) var size: Size
    public internal(set) var options: DisplayOptions
    public internal(set) var shouldQuit = false

    /// Arrays with more elements start collapsed.
    public static let collapseThreshold = 64

    public init(
        source: any ExplorerSource, profiles: ProfileChoice? = nil, size: Size, options: DisplayOptions = .init()
    )
        throws
    {
        self.source = source
        let chosen = profiles ?? source.defaultProfiles
        self.profiles = chosen
        let devices = try source.run(chosen, edits: [])
        // Every pane assumes something to show: a file without a device is refused here.
        guard !devices.isEmpty else { throw NothingToShow(displayName: source.displayName) }
        self.session = Session(
            devices: devices, absoluteOffsets: source.usesAbsoluteOffsets, fileOffsets: source.showsFileOffsets)
        self.size = size
        self.options = options
        collapsed = Self.defaultCollapsed(session.tree)
        rows = TreeRows(tree: session.tree, collapsed: collapsed)
        selection = session.tree.roots.first ?? 0
    }

    static func defaultCollapsed(_ tree: Tree) -> Set<Int32> {
        var result = Set<Int32>()
        for (index, node) in tree.nodes.enumerated() where node.children.count > collapseThreshold {
            result.insert(Int32(index))
        }
        return result
    }

    /// The event that fired last, if any.
    public var currentEvent: Int? { step > 0 ? step - 1 : nil }

    public var theme: Theme { options.theme }
    public var glyphs: Glyphs { options.glyphs }
    public var layout: Layout { Layout(size: size) }
}

extension Pane {
    /// The pane Tab moves to.
    public var next: Pane {
        switch self {
        case .tree: .hex
        case .hex: .log
        case .log: .tree
        }
    }

    public var previous: Pane {
        switch self {
        case .tree: .log
        case .hex: .tree
        case .log: .hex
        }
    }
}

extension State {
    /// The same state for another terminal: what the front end sets once it knows the terminal.
    public func with(size: Size, options: DisplayOptions) -> State {
        var state = self
        state.size = size
        state.options = options
        state.normalize()
        return state
    }
}

/// The input holds no device to step (VMSDs alone, or nothing).
public struct NothingToShow: Error, Sendable, CustomStringConvertible {
    public var displayName: String
    public var description: String { "\(displayName): no device to run, so nothing to explore" }
}
