/// Everything that can go wrong while reading a migration stream.
///
/// Each case carries what a user needs to find the problem: the file, the byte offset, the
/// section and the field being decoded, and what was expected against what was found.
public enum StreamError: Error, Sendable, Equatable {
    /// The file could not be opened or mapped.
    case io(file: String, message: String)
    /// The stream ended inside a record.
    case truncated(Location, needed: Int, available: Int)
    /// A byte or value differs from what the format requires.
    case unexpected(Location, expected: String, found: String)
    /// A length, count or size that cannot be right (larger than the file, negative...).
    case impossibleLength(Location, length: UInt64, limit: UInt64)
    /// The trailing vmdesc JSON is not valid JSON (offset inside the file).
    case invalidJSON(Location, message: String)
    /// The stream is well formed but uses something this reader does not decode.
    case unsupported(Location, message: String)

    /// Where an error happened: file, absolute byte offset, and the decoding context.
    public struct Location: Sendable, Equatable {
        public var file: String
        public var offset: Int
        /// The record or section being read, e.g. `"0000:00:01.1/ide (28)"` or `"header"`.
        public var section: String
        /// The field path inside the section, e.g. `"ide/bmdma[0].cmd"`, empty at container level.
        public var field: String

        public init(file: String, offset: Int, section: String, field: String = "") {
            self.file = file
            self.offset = offset
            self.section = section
            self.field = field
        }
    }

    public var location: Location? {
        switch self {
        case .io: nil
        case .truncated(let where_, _, _), .unexpected(let where_, _, _), .impossibleLength(let where_, _, _),
            .invalidJSON(let where_, _), .unsupported(let where_, _):
            where_
        }
    }

    /// Returns the same error with its section / field context filled in where still empty.
    public func within(section: String? = nil, field: String? = nil) -> StreamError {
        func patch(_ loc: Location) -> Location {
            var loc = loc
            if let section, loc.section.isEmpty { loc.section = section }
            if let field, loc.field.isEmpty { loc.field = field }
            return loc
        }
        switch self {
        case .io: return self
        case .truncated(let loc, let needed, let available):
            return .truncated(patch(loc), needed: needed, available: available)
        case .unexpected(let loc, let expected, let found):
            return .unexpected(patch(loc), expected: expected, found: found)
        case .impossibleLength(let loc, let length, let limit):
            return .impossibleLength(patch(loc), length: length, limit: limit)
        case .invalidJSON(let loc, let message): return .invalidJSON(patch(loc), message: message)
        case .unsupported(let loc, let message): return .unsupported(patch(loc), message: message)
        }
    }
}

extension StreamError: CustomStringConvertible {
    public var description: String { text(naming: true) }

    /// The message without the file and offset, for a view that shows both already.
    public var detail: String { text(naming: false) }

    /// The message with its offset but without the file, for a view of that file.
    public var detailAtOffset: String {
        (location.map { "offset 0x" + String($0.offset, radix: 16) + ", " } ?? "") + detail
    }

    /// The message for a view of `file`: without the file when it is about that one, whole when
    /// it is about another (a lent vmdesc).
    public func detail(viewing file: String) -> String {
        location.map { $0.file == file } == false ? description : detailAtOffset
    }

    /// What the scan found where it stopped, after a load that failed there said QEMU's part:
    /// "the stream is cut: offset 0x..., ...", or "the scan stopped: ..." for other damage.
    public var scanNote: String {
        if case .truncated = self { return "the stream is cut: " + detailAtOffset }
        return "the scan stopped: " + detailAtOffset
    }

    private func text(naming: Bool) -> String {
        // "where: " before the message; without the file and offset it may be empty.
        func lead(_ loc: Location) -> String {
            if naming { return Self.prefix(loc) + ": " }
            let parts = [
                loc.section.isEmpty ? "" : "section \(loc.section.escapingControls)",
                loc.field.isEmpty ? "" : "field \(loc.field.escapingControls)",
            ]
            let text = parts.filter { !$0.isEmpty }.joined(separator: ", ")
            return text.isEmpty ? "" : text + ": "
        }
        switch self {
        case .io(let file, let message):
            return "\(file): \(message)"
        case .truncated(let loc, let needed, let available):
            return "\(lead(loc))unexpected end of stream: expected \(needed) more byte(s), found \(available)"
        case .unexpected(let loc, let expected, let found):
            return "\(lead(loc))expected \(expected), found \(found)"
        case .impossibleLength(let loc, let length, let limit):
            return "\(lead(loc))impossible length 0x\(String(length, radix: 16))"
                + " (at most 0x\(String(limit, radix: 16)) bytes remain)"
        case .invalidJSON(let loc, let message):
            return "\(lead(loc))invalid vmdesc JSON: \(message)"
        case .unsupported(let loc, let message):
            return "\(lead(loc))\(message)"
        }
    }

    private static func prefix(_ loc: Location) -> String {
        var text = "\(loc.file): offset 0x\(String(loc.offset, radix: 16))"
        if !loc.section.isEmpty { text += ", section \(loc.section.escapingControls)" }
        if !loc.field.isEmpty { text += ", field \(loc.field.escapingControls)" }
        return text
    }
}
