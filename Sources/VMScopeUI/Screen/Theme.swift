import VMState

/// What a style means on screen; the theme picks colours (or, without colour, attributes).
public enum Role: Sendable, Hashable {
    case text, dim, border, focusedBorder, title, focusedTitle
    case selection, unfocusedSelection
    case statusBar, statusKey, notice, warning, prompt
    /// The bytes of the current step.
    case stepBytes
    /// Nested highlight, ksv style: 0 = the selected node, 1...3 its ancestors.
    case nest(Int)
    case hexCursor
    case unconsumed, notYetRead
    case category(EventCategory)
    /// A field's own colour in the hex pane, by a small index.
    case field(Int)
    case failureByte
    case offset
    case diffChanged, diffAdded, diffRemoved
}

/// How the screen uses colour.
public enum ColorMode: String, Sendable, Hashable {
    /// 256-colour palette (the terminal maps it down when it has fewer).
    case color
    /// No colour at all: `NO_COLOR`, or a monochrome terminal. Meaning goes into attributes.
    case monochrome
}

/// The palette: one style per role for a colour mode.
public struct Theme: Sendable, Hashable {
    public var mode: ColorMode

    public init(mode: ColorMode) { self.mode = mode }

    /// Field colours in the hex pane (cycled by field).
    static let fieldColors: [UInt8] = [117, 150, 180, 146, 109, 187, 152, 216]

    public func style(_ role: Role) -> Style {
        mode == .color ? colored(role) : monochrome(role)
    }

    private func colored(_ role: Role) -> Style {
        switch role {
        case .text: return Style()
        case .dim: return Style(foreground: .indexed(244))
        case .border: return Style(foreground: .indexed(240))
        case .focusedBorder: return Style(foreground: .indexed(75))
        case .title: return Style(foreground: .indexed(250))
        case .focusedTitle: return Style(foreground: .indexed(16), background: .indexed(75), attributes: [.bold])
        case .selection: return Style(foreground: .indexed(231), background: .indexed(25), attributes: [.bold])
        case .unfocusedSelection: return Style(background: .indexed(238))
        case .statusBar: return Style(foreground: .indexed(252), background: .indexed(236))
        case .statusKey: return Style(foreground: .indexed(222), background: .indexed(236), attributes: [.bold])
        case .notice: return Style(foreground: .indexed(16), background: .indexed(150))
        case .warning: return Style(foreground: .indexed(231), background: .indexed(124), attributes: [.bold])
        case .prompt: return Style(foreground: .indexed(231), background: .indexed(24))
        case .stepBytes: return Style(foreground: .indexed(16), background: .indexed(220), attributes: [.bold])
        case .nest(let level):
            let backgrounds: [UInt8] = [24, 238, 237, 235]
            return Style(background: .indexed(backgrounds[max(0, min(level, 3))]))
        case .hexCursor: return Style(attributes: [.reverse, .underline])
        case .unconsumed: return Style(foreground: .indexed(239))
        case .notYetRead: return Style(foreground: .indexed(242))
        case .category(let category):
            switch category {
            case .structure: return Style(foreground: .indexed(250))
            case .marker: return Style(foreground: .indexed(213), attributes: [.bold])
            case .allocation: return Style(foreground: .indexed(81), attributes: [.bold])
            case .check: return Style(foreground: .indexed(114))
            case .failure: return Style(foreground: .indexed(203), attributes: [.bold])
            case .leak: return Style(foreground: .indexed(221), attributes: [.bold])
            }
        case .field(let index):
            return Style(foreground: .indexed(Self.fieldColors[abs(index) % Self.fieldColors.count]))
        case .failureByte: return Style(foreground: .indexed(231), background: .indexed(160), attributes: [.bold])
        case .offset: return Style(foreground: .indexed(243))
        case .diffChanged: return Style(foreground: .indexed(221), attributes: [.bold])
        case .diffAdded: return Style(foreground: .indexed(114))
        case .diffRemoved: return Style(foreground: .indexed(203))
        }
    }

    private func monochrome(_ role: Role) -> Style {
        switch role {
        case .text, .title, .border, .offset, .field, .notYetRead: return Style()
        case .dim, .unconsumed: return Style(attributes: [.dim])
        case .focusedBorder: return Style(attributes: [.bold])
        case .focusedTitle: return Style(attributes: [.reverse, .bold])
        case .selection: return Style(attributes: [.reverse])
        case .unfocusedSelection: return Style(attributes: [.underline])
        case .statusBar, .prompt: return Style(attributes: [.reverse])
        case .statusKey: return Style(attributes: [.reverse, .bold])
        case .notice: return Style(attributes: [.reverse, .bold])
        case .warning: return Style(attributes: [.reverse, .bold, .underline])
        case .stepBytes: return Style(attributes: [.reverse, .bold])
        case .nest(let level):
            return level == 0 ? Style(attributes: [.underline, .bold]) : Style(attributes: [.underline])
        case .hexCursor: return Style(attributes: [.reverse, .underline])
        case .category(let category):
            switch category {
            case .structure, .check: return Style()
            case .marker: return Style(attributes: [.bold])
            case .allocation: return Style(attributes: [.bold, .italic])
            case .failure: return Style(attributes: [.bold, .underline])
            case .leak: return Style(attributes: [.bold, .italic])
            }
        case .failureByte: return Style(attributes: [.reverse, .bold, .underline])
        case .diffChanged: return Style(attributes: [.bold])
        case .diffAdded: return Style(attributes: [.underline])
        case .diffRemoved: return Style(attributes: [.dim])
        }
    }
}
