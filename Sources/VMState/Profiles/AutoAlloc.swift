extension Profile {
    /// Peter Xu's series adding `VMS_ARRAY_OF_POINTER_AUTO_ALLOC` (2026): a marker before every
    /// element of such arrays, per-element `g_malloc0`, destination slots must be NULL.
    public static let autoAlloc = Profile(
        name: "auto-alloc",
        summary: "VMS_ARRAY_OF_POINTER_AUTO_ALLOC 0x10000, VMS_END 0x20000, 0x31 VALID markers, NULL slots required",
        sourceOfTruth: "'[PATCH RFC] vmstate: Implement VMS_ARRAY_OF_POINTER_AUTO_ALLOC' (Peter Xu, 2026-03)",
        flagValues: baseFlagValues.merging([.arrayOfPointerAutoAlloc: 0x10000, .end: 0x20000]) { $1 },
        messages: .errp,
        pointerArrays: .autoAllocFlag,
        arrayOfPointerUsesHostPointerSize: true,
        subsectionFailureSetsStreamError: true,
        nullMarkerTypeName: "ptr-marker",
        vmdescArrayKeys: .noIndex,
        checkRules: [
            .nestedStructs, .endOfList, .subsectionPrefix, .nestedSubsections,
            .autoAllocNeedsArrayOfPointer, .autoAllocNeedsSize, .arrayOfPointerWithoutSize, .arrayOfPointerNeedsCount,
        ]
    )
}
