/// Bounds vmscope puts on a run so that hostile input gives an error, not an exhausted machine.
public struct EngineLimits: Sendable, Hashable {
    /// Nested VMSDs (structs, subsections, lists) deeper than any real device.
    public var maxNesting: Int
    /// Events in one trace.
    public var maxEvents: Int
    /// Bytes in one simulated allocation.
    public var maxAllocation: Int

    public init(maxNesting: Int = 64, maxEvents: Int = 20_000_000, maxAllocation: Int = 1 << 28) {
        self.maxNesting = maxNesting
        self.maxEvents = maxEvents
        self.maxAllocation = maxAllocation
    }

    public static let standard = EngineLimits()
}
