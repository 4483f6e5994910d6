/// The key-script notation of `vmscope screenshot --keys` and `--script`.
///
/// ```
/// # a comment runs to the end of the line
/// n n n f <Down> <Enter>      words are typed a character at a time: `/queues` is 7 keys
/// "two words"                 a quoted string is typed as is, spaces included
/// <Space> <Tab> <S-Tab> <Esc> <Enter> <BS> <Del> <Up> <Down> <Left> <Right>
/// <Home> <End> <PgUp> <PgDn> <F1>..<F12> <C-x> <lt> (a literal '<') <quote> (a literal '"')
/// <click 12 5> <wheelup 12 5> <wheeldown 12 5>    mouse at column, row (0-based)
/// <resize 100x30>
/// <pause 1.5>                 the demo player waits 1.5 s (ignored headless)
/// <caption Step to the VALID marker>   shown in the status line until the next caption
/// <open Samples/non-null-slot.vmscope>  switch to another scenario or stream
/// ```
///
/// A bracketed item is a command name and its arguments. New commands are new entries of
/// `commands` and new cases of `Item`; the rest stays.
public struct KeyScript: Sendable, Hashable {
    public enum Item: Sendable, Hashable {
        case input(InputEvent)
        case pause(seconds: Double)
        case caption(String)
        case open(String)
    }

    public var items: [Item]

    public init(items: [Item]) { self.items = items }

    /// The input events, in order (pauses, captions and opens left out).
    public var events: [InputEvent] {
        items.compactMap { item in
            if case .input(let event) = item { return event }
            return nil
        }
    }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    public init(parsing text: String) throws(ParseError) {
        var parser = Parser(text: Array(text.unicodeScalars))
        items = try parser.parse()
    }

    /// Named keys, lower-cased.
    static let namedKeys: [String: Key] = [
        "space": .character(" "), "tab": .tab, "s-tab": .backTab, "backtab": .backTab, "esc": .escape,
        "escape": .escape, "enter": .enter, "return": .enter, "cr": .enter, "bs": .backspace,
        "backspace": .backspace, "del": .delete, "delete": .delete, "up": .up, "down": .down, "left": .left,
        "right": .right, "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown,
        "pagedown": .pageDown, "lt": .character("<"), "gt": .character(">"), "quote": .character("\""),
    ]

    /// Commands with arguments: name → builder from the argument words.
    static let commands: [String: @Sendable ([String]) -> Item?] = [
        "click": { mouse(.press, $0) },
        "wheelup": { mouse(.wheelUp, $0) },
        "wheeldown": { mouse(.wheelDown, $0) },
        "resize": { arguments in
            guard arguments.count == 1, let size = Size(parsing: arguments[0]) else { return nil }
            return .input(.resize(size))
        },
        "pause": { arguments in
            guard arguments.count == 1, let seconds = Double(arguments[0]), seconds >= 0, seconds <= 600 else {
                return nil
            }
            return .pause(seconds: seconds)
        },
        "caption": { arguments in arguments.isEmpty ? nil : .caption(arguments.joined(separator: " ")) },
        "open": { arguments in arguments.count == 1 ? .open(arguments[0]) : nil },
    ]

    private static func mouse(_ action: MouseAction, _ arguments: [String]) -> Item? {
        guard arguments.count == 2, let x = Int(arguments[0]), let y = Int(arguments[1]), x >= 0, y >= 0 else {
            return nil
        }
        return .input(.mouse(MouseEvent(action, x: x, y: y)))
    }

    static func key(named name: String) -> Key? {
        let lower = name.lowercased()
        if let key = namedKeys[lower] { return key }
        if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...12).contains(number) {
            return .function(number)
        }
        if lower.hasPrefix("c-"), lower.count == 3, let letter = lower.last, letter.isLetter {
            return .control(letter)
        }
        return nil
    }

    private struct Parser {
        let text: [Unicode.Scalar]
        var index = 0
        var line = 1
        var lineStart = 0

        init(text: [Unicode.Scalar]) { self.text = text }

        func error(_ message: String, at position: Int? = nil) -> ParseError {
            ParseError(line: line, column: (position ?? index) - lineStart + 1, message: message)
        }

        mutating func advance() {
            if text[index] == "\n" {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }

        mutating func parse() throws(ParseError) -> [Item] {
            var items: [Item] = []
            while index < text.count {
                let scalar = text[index]
                if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "," {
                    advance()
                } else if scalar == "#" {
                    while index < text.count, text[index] != "\n" { advance() }
                } else if scalar == "<" {
                    items.append(try bracketed())
                } else if scalar == "\"" {
                    items += try quoted()
                } else {
                    while index < text.count {
                        let next = text[index]
                        if next == " " || next == "\t" || next == "\n" || next == "\r" || next == "<" || next == "\"" {
                            break
                        }
                        items.append(.input(.key(.character(Character(next)))))
                        advance()
                    }
                }
            }
            return items
        }

        mutating func bracketed() throws(ParseError) -> Item {
            let start = index
            advance()
            var body = ""
            while index < text.count, text[index] != ">" {
                if text[index] == "\n" { throw error("'<' without a closing '>'", at: start) }
                body.unicodeScalars.append(text[index])
                advance()
            }
            guard index < text.count else { throw error("'<' without a closing '>'", at: start) }
            advance()
            let words = body.split(separator: " ").map(String.init)
            guard let name = words.first else { throw error("empty '<>'", at: start) }
            if words.count == 1, let key = KeyScript.key(named: name) { return .input(.key(key)) }
            if let command = KeyScript.commands[name.lowercased()] {
                guard let item = command(Array(words.dropFirst())) else {
                    throw error("bad arguments in <\(body)>", at: start)
                }
                return item
            }
            throw error("unknown key or command <\(body)>", at: start)
        }

        mutating func quoted() throws(ParseError) -> [Item] {
            let start = index
            advance()
            var items: [Item] = []
            while index < text.count, text[index] != "\"" {
                var scalar = text[index]
                if scalar == "\\", index + 1 < text.count {
                    advance()
                    scalar = text[index]
                }
                if scalar == "\n" { throw error("unterminated string", at: start) }
                items.append(.input(.key(.character(Character(scalar)))))
                advance()
            }
            guard index < text.count else { throw error("unterminated string", at: start) }
            advance()
            return items
        }
    }
}
