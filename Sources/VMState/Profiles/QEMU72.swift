extension Profile {
    /// QEMU 7.2 (Debian bookworm): `error_report` texts, NULL marker 0x30 only,
    /// `VMS_MULTIPLY_ELEMENTS`, no `vmstate_check`.
    public static let qemu72 = Profile(
        name: "qemu-7.2",
        summary: "QEMU 7.2: NULL marker 0x30 only, VMS_MULTIPLY_ELEMENTS, VMS_END 0x10000, no vmstate_check",
        sourceOfTruth: "QEMU 7.2 migration/vmstate.c, vmstate-types.c, savevm.c (Debian bookworm)",
        flagValues: baseFlagValues.merging([.multiplyElements: 0x4000]) { $1 },
        messages: .legacy,
        pointerArrays: .nullMarkerOnly,
        arrayOfPointerUsesHostPointerSize: false,
        subsectionFailureSetsStreamError: false,
        nullMarkerTypeName: nil,
        vmdescArrayKeys: .indexOnEveryElement,
        checkRules: []
    )
}
