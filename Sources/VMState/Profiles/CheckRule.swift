/// One assertion of `vmstate_check()` (savevm.c), run when a VMSD is registered under qtest.
public enum CheckRule: String, Sendable, Hashable, CaseIterable {
    /// C1: recurse into the VMSD of every STRUCT / VSTRUCT field.
    case nestedStructs = "C1"
    /// C2: the entry after the last named field is `VMSTATE_END_OF_LIST()` (flags == VMS_END).
    case endOfList = "C2"
    /// C3: every subsection's name starts with the parent's name.
    case subsectionPrefix = "C3"
    /// C4: recurse into every subsection.
    case nestedSubsections = "C4"
    /// C5 (AUTO_ALLOC series): AUTO_ALLOC requires ARRAY_OF_POINTER.
    case autoAllocNeedsArrayOfPointer = "C5a"
    /// C5 (AUTO_ALLOC series): an AUTO_ALLOC field gives the object size in `size`.
    case autoAllocNeedsSize = "C5b"
    /// C6 (seed patch): ARRAY_OF_POINTER|ALLOC gives the object size in `size`.
    case allocatedArrayOfPointerNeedsSize = "C6"
    /// C7a (2026): a plain array of pointers sets neither `size` nor `size_offset`.
    case arrayOfPointerWithoutSize = "C7a"
    /// C7b (AUTO_ALLOC series): every array of pointers has an ARRAY / VARRAY count flag.
    case arrayOfPointerNeedsCount = "C7b"
    /// C7b (seed patch): only an array of pointers without ALLOC needs a count flag.
    case arrayOfPointerWithoutAllocNeedsCount = "C7c"

    /// The condition QEMU asserts, in C.
    public var condition: String {
        switch self {
        case .nestedStructs: "vmstate_check(field->vmsd) for VMS_STRUCT | VMS_VSTRUCT"
        case .endOfList: "field->flags == VMS_END"
        case .subsectionPrefix: "!strncmp(vmsd->name, (*subsection)->name, strlen(vmsd->name))"
        case .nestedSubsections: "vmstate_check(*subsection)"
        case .autoAllocNeedsArrayOfPointer: "field->flags & VMS_ARRAY_OF_POINTER"
        case .autoAllocNeedsSize, .allocatedArrayOfPointerNeedsSize: "field->size"
        case .arrayOfPointerWithoutSize: "field->size == 0 && field->size_offset == 0"
        case .arrayOfPointerNeedsCount, .arrayOfPointerWithoutAllocNeedsCount:
            "field->flags & (VMS_ARRAY | VMS_VARRAY_INT32 | VMS_VARRAY_UINT16 | VMS_VARRAY_UINT8 | VMS_VARRAY_UINT32)"
        }
    }

    /// What the rule is for, in a few words.
    public var summary: String {
        switch self {
        case .nestedStructs: "nested VMSDs are checked too"
        case .endOfList: "fields end with VMSTATE_END_OF_LIST()"
        case .subsectionPrefix: "subsection names start with the parent's name"
        case .nestedSubsections: "subsections are checked too"
        case .autoAllocNeedsArrayOfPointer: "AUTO_ALLOC is a sub-flag of ARRAY_OF_POINTER"
        case .autoAllocNeedsSize: "AUTO_ALLOC gives the object size to allocate"
        case .allocatedArrayOfPointerNeedsSize: "ARRAY_OF_POINTER|ALLOC gives the object size to allocate"
        case .arrayOfPointerWithoutSize: "a plain array of pointers leaves size and size_offset 0"
        case .arrayOfPointerNeedsCount: "an array of pointers has an ARRAY/VARRAY count"
        case .arrayOfPointerWithoutAllocNeedsCount: "an array of pointers without ALLOC has an ARRAY/VARRAY count"
        }
    }
}
