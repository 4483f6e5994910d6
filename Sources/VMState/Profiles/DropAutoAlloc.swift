extension Profile {
    /// The seed patch, "[RFC v1 13/17] vmstate: Drop VMS_ARRAY_OF_POINTER_AUTO_ALLOC":
    /// `ARRAY_OF_POINTER|ALLOC` replaces the flag, VMS_END goes back to 0x10000.
    public static let dropAutoAlloc = Profile(
        name: "drop-auto-alloc",
        summary: "RFC 13/17: ARRAY_OF_POINTER|ALLOC allocates per element, VMS_END 0x10000, new check rules",
        sourceOfTruth: "'[RFC v1 13/17] vmstate: Drop VMS_ARRAY_OF_POINTER_AUTO_ALLOC' (Fabiano Rosas, 2026-03-24)",
        flagValues: baseFlagValues,
        messages: .errp,
        pointerArrays: .allocFlag,
        arrayOfPointerUsesHostPointerSize: true,
        subsectionFailureSetsStreamError: true,
        nullMarkerTypeName: "ptr-marker",
        vmdescArrayKeys: .noIndex,
        checkRules: [
            .nestedStructs, .endOfList, .subsectionPrefix, .nestedSubsections,
            .allocatedArrayOfPointerNeedsSize, .arrayOfPointerWithoutSize, .arrayOfPointerWithoutAllocNeedsCount,
        ]
    )
}
