/// A QEMU_VM_COMMAND record: be16 command, be16 length, payload.
public struct MigrationCommand: Sendable, Equatable {
    /// `MIG_CMD_*` numbers, in QEMU's enum order.
    public enum Code: UInt16, Sendable, Equatable, CaseIterable {
        case invalid = 0
        case openReturnPath = 1
        case ping = 2
        case postcopyAdvise = 3
        case postcopyListen = 4
        case postcopyRun = 5
        case postcopyRAMDiscard = 6
        case packaged = 7
        case enableCOLO = 8
        case postcopyResume = 9
        case recvBitmap = 10
        case switchoverStart = 11

        /// QEMU's own name for the command (`mig_cmd_args[].name`).
        public var name: String {
            switch self {
            case .invalid: "INVALID"
            case .openReturnPath: "OPEN_RETURN_PATH"
            case .ping: "PING"
            case .postcopyAdvise: "POSTCOPY_ADVISE"
            case .postcopyListen: "POSTCOPY_LISTEN"
            case .postcopyRun: "POSTCOPY_RUN"
            case .postcopyRAMDiscard: "POSTCOPY_RAM_DISCARD"
            case .packaged: "PACKAGED"
            case .enableCOLO: "ENABLE_COLO"
            case .postcopyResume: "POSTCOPY_RESUME"
            case .recvBitmap: "RECV_BITMAP"
            case .switchoverStart: "SWITCHOVER_START"
            }
        }

        /// The fixed payload length QEMU requires, nil where it varies.
        public var fixedLength: Int? {
            switch self {
            case .openReturnPath, .postcopyListen, .postcopyRun, .postcopyResume, .switchoverStart, .enableCOLO: 0
            case .ping, .packaged: 4
            case .invalid, .postcopyAdvise, .postcopyRAMDiscard, .recvBitmap: nil
            }
        }
    }

    /// The payload, decoded.
    public enum Payload: Sendable, Equatable {
        case none
        case ping(UInt32)
        /// POSTCOPY_ADVISE with postcopy-ram: the source's page-size summary and target page size.
        case postcopyAdvise(pageSizeSummary: UInt64, targetPageSize: UInt64)
        case postcopyRAMDiscard(version: UInt8, block: String, ranges: [DiscardRange])
        /// PACKAGED: the embedded stream of this many bytes follows the command.
        case packaged(length: UInt32)
        case recvBitmap(block: String)
        /// A payload this reader has no layout for (or an unknown command).
        case raw
    }

    public struct DiscardRange: Sendable, Equatable {
        public var start: UInt64
        public var length: UInt64
    }

    public var rawCode: UInt16
    public var code: Code? { Code(rawValue: rawCode) }
    public var name: String { code?.name ?? "UNKNOWN(\(rawCode))" }
    public var length: UInt16
    public var payloadRange: Range<Int>
    public var payload: Payload
}

extension MigrationCommand.Payload: CustomStringConvertible {
    /// The payload as `dump` names its fields: `page_size_summary 0x1000, target_page_size 0x1000`.
    public var description: String {
        let hex = { (value: UInt64) in "0x" + String(value, radix: 16) }
        switch self {
        case .none: return "no payload"
        case .ping(let value): return "value \(hex(UInt64(value)))"
        case .postcopyAdvise(let summary, let target):
            return "page_size_summary \(hex(summary)), target_page_size \(hex(target))"
        case .postcopyRAMDiscard(let version, let block, let ranges):
            return
                "version \(version), block \(block.escapingControls), \(ranges.count) range\(ranges.count == 1 ? "" : "s")"
        case .packaged(let length): return "length \(hex(UInt64(length)))"
        case .recvBitmap(let block): return "block \(block.escapingControls)"
        case .raw: return "payload not decoded"
        }
    }
}
