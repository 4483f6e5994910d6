extension Profile {
    /// QEMU 10.x: `VMS_MULTIPLY_ELEMENTS` removed, the NULL info named "nullptr", NULL runs
    /// split in the vmdesc, `vmstate_check` C1–C4 (qtest only).
    public static let qemu10 = Profile(
        name: "qemu-10",
        summary: "QEMU 10.x: 'nullptr' entries and NULL runs in vmdesc, VMS_END 0x10000, vmstate_check C1-C4",
        sourceOfTruth: "QEMU 10.0-10.2 migration/vmstate.c, savevm.c",
        flagValues: baseFlagValues,
        messages: .legacy,
        pointerArrays: .nullMarkerOnly,
        arrayOfPointerUsesHostPointerSize: false,
        subsectionFailureSetsStreamError: true,
        nullMarkerTypeName: "nullptr",
        vmdescArrayKeys: .indexOnAllButLast,
        checkRules: [.nestedStructs, .endOfList, .subsectionPrefix, .nestedSubsections]
    )
}
