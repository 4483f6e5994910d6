/// The semantics of one QEMU version or patch series, as data the one engine consults.
///
/// Every difference between `qemu-7.2`, `qemu-10`, `auto-alloc` and `drop-auto-alloc` is one
/// property here; the engine never asks which profile it runs.
public struct Profile: Sendable, Hashable, Identifiable {
    public var id: String { name }
    public var name: String
    /// One line for listings.
    public var summary: String
    /// Where the semantics come from.
    public var sourceOfTruth: String
    /// The number of each flag this version defines; a flag missing here does not exist in it
    /// and is ignored by its engine (the check reports it).
    public var flagValues: [FieldFlag: UInt32]
    public var messages: MessageStyle
    /// How the loader finds the per-element pointer markers of an array of pointers.
    public var pointerArrays: PointerArrayRule
    /// `vmstate_size` returns the host pointer size for VMS_ARRAY_OF_POINTER (2026) instead of
    /// `field->size` (the 7.2 macros put the pointer size there).
    public var arrayOfPointerUsesHostPointerSize: Bool
    /// A failed subsection load sets the stream error (-EINVAL); 7.2 leaves it clear.
    public var subsectionFailureSetsStreamError: Bool
    /// The vmdesc `type` of a NULL entry: "nullptr" (10.x), "ptr-marker" (2026); nil when NULL
    /// entries are described with the field's own type (7.2).
    public var nullMarkerTypeName: String?
    public var vmdescArrayKeys: VMDescArrayKeys
    /// The registration checks of `vmstate_check`; empty where the version has none.
    public var checkRules: [CheckRule]
    /// The flags `flagValues` defines, as a set (the engine asks for every field).
    public let definedFlags: FieldFlags

    public init(
        name: String, summary: String, sourceOfTruth: String, flagValues: [FieldFlag: UInt32],
        messages: MessageStyle, pointerArrays: PointerArrayRule, arrayOfPointerUsesHostPointerSize: Bool,
        subsectionFailureSetsStreamError: Bool, nullMarkerTypeName: String?, vmdescArrayKeys: VMDescArrayKeys,
        checkRules: [CheckRule]
    ) {
        self.name = name
        self.summary = summary
        self.sourceOfTruth = sourceOfTruth
        self.flagValues = flagValues
        self.messages = messages
        self.pointerArrays = pointerArrays
        self.arrayOfPointerUsesHostPointerSize = arrayOfPointerUsesHostPointerSize
        self.subsectionFailureSetsStreamError = subsectionFailureSetsStreamError
        self.nullMarkerTypeName = nullMarkerTypeName
        self.vmdescArrayKeys = vmdescArrayKeys
        self.checkRules = checkRules
        definedFlags = FieldFlags(flagValues.keys)
    }

    public var knownFlags: [FieldFlag] { FieldFlag.allCases.filter { flagValues[$0] != nil } }

    /// `flags` as the number this version's C compiler would see; unknown flags are dropped.
    public func rawValue(of flags: FieldFlags) -> UInt32 {
        flags.reduce(0) { $0 | (flagValues[$1] ?? 0) }
    }

    /// Decodes a raw number into the flags of this version; bits no flag claims are returned.
    public func flags(fromRaw raw: UInt32) -> (flags: FieldFlags, unknownBits: UInt32) {
        var flags = FieldFlags()
        var rest = raw
        for (flag, value) in flagValues.sorted(by: { $0.key < $1.key }) where raw & value == value && value != 0 {
            flags.insert(flag)
            rest &= ~value
        }
        return (flags, rest)
    }

    /// The flags this version understands; others are dropped as its C would not compile them.
    public func effective(_ flags: FieldFlags) -> FieldFlags {
        flags.intersection(definedFlags)
    }

    public var endValue: UInt32 { flagValues[.end] ?? 0 }
}

/// How a version treats `VMS_ARRAY_OF_POINTER` arrays on load.
public enum PointerArrayRule: Sendable, Hashable {
    /// 7.2 / 10.x: only NULL slots have a marker (0x30); the destination must already know
    /// which slots are NULL.
    case nullMarkerOnly
    /// Peter Xu's series: `VMS_ARRAY_OF_POINTER_AUTO_ALLOC` puts a marker (0x30 / 0x31) before
    /// every element; VALID allocates `g_malloc0(field->size)`; destination slots must be NULL.
    case autoAllocFlag
    /// The seed patch (RFC v1 13/17): `ARRAY_OF_POINTER|ALLOC` takes that meaning; the bulk
    /// allocation is skipped for arrays of pointers; a VALID element is (re)allocated when its
    /// slot is NULL or ALLOC is set, so a non-NULL slot is replaced and the old object leaks.
    case allocFlag

    /// Whether a marker precedes every element of `field` (the "dynamic array" of the series).
    public func usesMarkerPerElement(_ flags: FieldFlags) -> Bool {
        switch self {
        case .nullMarkerOnly: false
        case .autoAllocFlag: flags.contains(.arrayOfPointer) && flags.contains(.arrayOfPointerAutoAlloc)
        case .allocFlag: flags.contains(.arrayOfPointer) && flags.contains(.alloc)
        }
    }

    /// Whether `vmstate_handle_alloc` (the bulk allocation of the pointed-to area) runs.
    public func bulkAllocates(_ flags: FieldFlags) -> Bool {
        guard flags.contains(.pointer), flags.contains(.alloc) else { return false }
        return self != .allocFlag || !flags.contains(.arrayOfPointer)
    }

    /// Whether the 0x31 VALID marker exists at all.
    public var hasValidMarker: Bool { self != .nullMarkerOnly }
}

/// Which `index` / `array_len` keys the vmdesc gives array elements.
public enum VMDescArrayKeys: Sendable, Hashable {
    /// 7.2: every element of a non-compressible array gets `index`.
    case indexOnEveryElement
    /// 10.x: `max = n - i`, so every element but the last gets `index`; NULL runs split.
    case indexOnAllButLast
    /// 2026: no `index` keys on non-compressible arrays; NULL runs split.
    case noIndex

    /// Arrays of pointers with NULLs are split into runs, NULL runs described by a nullptr entry.
    public var splitsNullRuns: Bool { self != .indexOnEveryElement }
}

extension Profile {
    public static let all: [Profile] = [.qemu72, .qemu10, .autoAlloc, .dropAutoAlloc]
    /// The seed patch: what vmscope assumes when nothing is said.
    public static let `default` = Profile.dropAutoAlloc

    public static func named(_ name: String) -> Profile? {
        all.first { $0.name == name }
    }

    /// The 7.2 numbering every later version starts from.
    static let baseFlagValues: [FieldFlag: UInt32] = [
        .single: 0x1, .pointer: 0x2, .array: 0x4, .struct: 0x8, .varrayInt32: 0x10, .buffer: 0x20,
        .arrayOfPointer: 0x40, .varrayUInt16: 0x80, .vbuffer: 0x100, .multiply: 0x200, .varrayUInt8: 0x400,
        .varrayUInt32: 0x800, .mustExist: 0x1000, .alloc: 0x2000, .vstruct: 0x8000, .end: 0x10000,
    ]
}

extension Profile: CustomStringConvertible {
    public var description: String { name }
}
