/// vmscope's table of QEMU's `VMSTATE_*` macros: what `VMStateField` each one produces.
///
/// One line per macro, in a small notation of vmscope's own:
///
///     NAME(param, ...) key=value key=value ...
///     NAME key=value ...                         (a macro used without parentheses)
///     NAME(param, ...) => OTHER(arg, ...), ...   (stands for other macros of the table)
///
/// Keys are the `VMStateField` members: `name`, `info`, `flags`, `size`, `offset`, `num`,
/// `num_offset`, `size_offset`, `start`, `version`, `struct_version`, `exists`, `vmsd`,
/// `key_vmsd`, `hint`. A member a line does not set is 0 (or NULL), as in C. Values use
/// `$param` for an argument:
///
/// - `offset=$s.$f`: offsetof(struct $s, member $f); `offset=$s.$f[$start]` indexes it;
///   `offset=0`
/// - `size=sizeof(T)` with T a type or `$param` naming one (`sizeof($t*)` for a pointer to it),
///   `size=sizeof($s.$f)` the size of a member, `size=$n` or a number
/// - integers combine with `+`, `-` and `*`: `num=$n1*$n2`, `size=$size-$start`
/// - `flags=POINTER|VARRAY_UINT32|...` (names without `VMS_`)
/// - `name=$f` (the default: the first parameter as written), or `name="unused"`
/// - `exists=$t`: a `field_exists` test; `vmsd=$vmsd`, `vmsd=$pair[0]`: nested VMSDs
/// - in `=>` arguments, `$param` is replaced by the argument's tokens (`$f.fifo`)
///
/// `key@PROFILE=value` replaces `key` under that profile; `@2026` stands for both
/// `auto-alloc` and `drop-auto-alloc`, `@legacy` for `qemu-7.2` and `qemu-10`. A macro whose
/// `flags@PROFILE=-` is absent from that version (the importer warns).
///
/// The lines follow `include/migration/vmstate.h` of QEMU 7.2 (every macro it defines), the
/// macros added since that vmscope's profiles model, and the common `VMSTATE_*` macros of QEMU's
/// other headers (PCI, USB, virtio, CPU, timers, FIFOs, clocks, buses). Targets' `UINTTL` macros
/// follow 64-bit targets. Macros a device file defines for itself are read from the file.
///
/// To add a macro: add its line here. Tests in ScenarioTests check every line parses and
/// resolves.
public enum MacroTable {
    static let lines: [String] =
        scalarLines + arrayLines + structLines + pointerLines + bufferLines + otherLines + deviceLines

    private static let scalars: [(macro: String, info: String, type: String)] = [
        ("BOOL", "bool", "bool"), ("INT8", "int8", "int8_t"), ("INT16", "int16", "int16_t"),
        ("INT32", "int32", "int32_t"), ("INT64", "int64", "int64_t"), ("UINT8", "uint8", "uint8_t"),
        ("UINT16", "uint16", "uint16_t"), ("UINT32", "uint32", "uint32_t"), ("UINT64", "uint64", "uint64_t"),
    ]

    /// VMSTATE_BOOL, VMSTATE_UINT32 and friends, with their _V, _TEST and _EQUAL forms.
    static let scalarLines: [String] = {
        var lines: [String] = []
        for (macro, info, type) in scalars {
            let common = "info=\(info) flags=SINGLE size=sizeof(\(type)) offset=$s.$f"
            lines.append("VMSTATE_\(macro)(f, s) \(common)")
            lines.append("VMSTATE_\(macro)_V(f, s, v) \(common) version=$v")
            lines.append("VMSTATE_\(macro)_TEST(f, s, t) \(common) exists=$t")
        }
        // Linux's __u8..__u64 (KVM structures).
        for (macro, info, bytes) in [
            ("U8", "uint8", 1), ("U16", "uint16", 2), ("U32", "uint32", 4), ("U64", "uint64", 8),
        ] {
            let common = "info=\(info) flags=SINGLE size=\(bytes) offset=$s.$f"
            lines.append("VMSTATE_\(macro)(f, s) \(common)")
            lines.append("VMSTATE_\(macro)_V(f, s, v) \(common) version=$v")
        }
        // The *_EQUAL macros pass 0 as the test: field_exists stays NULL.
        let equals: [(String, String, String, Bool)] = [
            ("INT32", "int32 equal", "int32_t", false), ("UINT8", "uint8 equal", "uint8_t", false),
            ("UINT16", "uint16 equal", "uint16_t", true), ("UINT32", "uint32 equal", "uint32_t", true),
            ("UINT64", "uint64_equal", "uint64_t", true),
        ]
        for (macro, info, type, hasVersion) in equals {
            let common = "info=\"\(info)\" flags=SINGLE size=sizeof(\(type)) offset=$s.$f"
            lines.append("VMSTATE_\(macro)_EQUAL(f, s, hint) \(common) hint=$hint")
            if hasVersion { lines.append("VMSTATE_\(macro)_EQUAL_V(f, s, v, hint) \(common) version=$v hint=$hint") }
        }
        lines += [
            "VMSTATE_INT32_POSITIVE_LE(f, s) info=\"int32 le\" flags=SINGLE size=sizeof(int32_t) offset=$s.$f",
            "VMSTATE_SINGLE(f, s, v, info, t) info=$info flags=SINGLE size=sizeof($t) offset=$s.$f version=$v",
            "VMSTATE_SINGLE_TEST(f, s, test, v, info, t) info=$info flags=SINGLE size=sizeof($t) offset=$s.$f "
                + "version=$v exists=$test",
            "VMSTATE_SINGLE_FULL(f, s, test, v, info, t, hint) info=$info flags=SINGLE size=sizeof($t) offset=$s.$f "
                + "version=$v exists=$test hint=$hint",
            "VMSTATE_POINTER(f, s, v, info, t) info=$info flags=SINGLE|POINTER size=sizeof($t) offset=$s.$f version=$v",
            "VMSTATE_POINTER_TEST(f, s, test, info, t) info=$info flags=SINGLE|POINTER size=sizeof($t) offset=$s.$f "
                + "exists=$test",
            // Timers: QEMUTimer in place, or a pointer to one (the size is the pointer's).
            "VMSTATE_TIMER_PTR(f, s) info=timer flags=SINGLE|POINTER size=sizeof(QEMUTimer*) offset=$s.$f",
            "VMSTATE_TIMER_PTR_V(f, s, v) info=timer flags=SINGLE|POINTER size=sizeof(QEMUTimer*) offset=$s.$f version=$v",
            "VMSTATE_TIMER_PTR_TEST(f, s, test) info=timer flags=SINGLE|POINTER size=sizeof(QEMUTimer*) offset=$s.$f "
                + "exists=$test",
            "VMSTATE_TIMER(f, s) info=timer flags=SINGLE size=sizeof(QEMUTimer) offset=$s.$f",
            "VMSTATE_TIMER_V(f, s, v) info=timer flags=SINGLE size=sizeof(QEMUTimer) offset=$s.$f version=$v",
            "VMSTATE_TIMER_TEST(f, s, test) info=timer flags=SINGLE size=sizeof(QEMUTimer) offset=$s.$f exists=$test",
        ]
        return lines
    }()

    /// Fixed and variable arrays of scalars.
    static let arrayLines: [String] = {
        var lines: [String] = []
        // Which array forms QEMU 7.2 defines for each type.
        let forms: [(macro: String, info: String, type: String, sub: Bool, twoD: Bool)] = [
            ("BOOL", "bool", "bool", true, false), ("UINT8", "uint8", "uint8_t", true, true),
            ("UINT16", "uint16", "uint16_t", true, true), ("UINT32", "uint32", "uint32_t", true, true),
            ("UINT64", "uint64", "uint64_t", true, true), ("INT16", "int16", "int16_t", false, false),
            ("INT32", "int32", "int32_t", false, false), ("INT64", "int64", "int64_t", false, false),
            ("CPUDOUBLE", "CPU_Double_U", "CPU_DoubleU", false, false),
            // Not in QEMU's header; vmscope's generated scenarios use it for completeness.
            ("INT8", "int8", "int8_t", false, false),
        ]
        for (macro, info, type, sub, twoD) in forms {
            let common = "info=\(info) flags=ARRAY size=sizeof(\(type))"
            lines.append("VMSTATE_\(macro)_ARRAY(f, s, n) \(common) offset=$s.$f num=$n")
            lines.append("VMSTATE_\(macro)_ARRAY_V(f, s, n, v) \(common) offset=$s.$f num=$n version=$v")
            if sub { lines.append("VMSTATE_\(macro)_SUB_ARRAY(f, s, start, n) \(common) offset=$s.$f[$start] num=$n") }
            if twoD {
                lines.append("VMSTATE_\(macro)_2DARRAY(f, s, n1, n2) \(common) offset=$s.$f num=$n1*$n2")
                lines.append(
                    "VMSTATE_\(macro)_2DARRAY_V(f, s, n1, n2, v) \(common) offset=$s.$f num=$n1*$n2 version=$v")
            }
        }
        lines += [
            "VMSTATE_TIMER_ARRAY(f, s, n) info=timer flags=ARRAY size=sizeof(QEMUTimer) offset=$s.$f num=$n",
            "VMSTATE_ARRAY(f, s, n, v, info, t) info=$info flags=ARRAY size=sizeof($t) offset=$s.$f num=$n version=$v",
            "VMSTATE_ARRAY_TEST(f, s, n, test, info, t) info=$info flags=ARRAY size=sizeof($t) offset=$s.$f num=$n "
                + "exists=$test",
            "VMSTATE_2DARRAY(f, s, n1, n2, v, info, t) info=$info flags=ARRAY size=sizeof($t) offset=$s.$f "
                + "num=$n1*$n2 version=$v",
            "VMSTATE_SUB_ARRAY(f, s, start, n, v, info, t) info=$info flags=ARRAY size=sizeof($t) "
                + "offset=$s.$f[$start] num=$n version=$v",
            "VMSTATE_VARRAY_INT32(f, s, fnum, v, info, t) info=$info flags=VARRAY_INT32|POINTER size=sizeof($t) "
                + "offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_VARRAY_UINT32(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT32|POINTER size=sizeof($t) "
                + "offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_VARRAY_UINT32_ALLOC(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT32|POINTER|ALLOC "
                + "size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_VARRAY_UINT16_ALLOC(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT16|POINTER|ALLOC "
                + "size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
            // _UNSAFE: the array is in the struct, not behind a pointer.
            "VMSTATE_VARRAY_UINT16_UNSAFE(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT16 size=sizeof($t) "
                + "offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_ARRAY_INT32_UNSAFE(f, s, fnum, info, t) info=$info flags=VARRAY_INT32 size=sizeof($t) "
                + "offset=$s.$f num_offset=$s.$fnum",
            // Not in QEMU 7.2's header; kept for scenarios written against later trees.
            "VMSTATE_VARRAY_UINT8(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT8|POINTER size=sizeof($t) "
                + "offset=$s.$f num_offset=$s.$fnum version=$v",
            // Removed in 2025 (commit 1c592bf1); 7.2 multiplies the count by `num`.
            "VMSTATE_VARRAY_MULTIPLY(f, s, fnum, mult, info, t) info=$info flags=VARRAY_UINT32|MULTIPLY_ELEMENTS "
                + "size=sizeof($t) offset=$s.$f num_offset=$s.$fnum num=$mult",
        ]
        return lines
    }()

    /// Nested VMSDs.
    static let structLines: [String] = [
        "VMSTATE_STRUCT(f, s, v, vmsd, t) vmsd=$vmsd flags=STRUCT size=sizeof($t) offset=$s.$f version=$v",
        "VMSTATE_STRUCT_TEST(f, s, test, v, vmsd, t) vmsd=$vmsd flags=STRUCT size=sizeof($t) offset=$s.$f version=$v "
            + "exists=$test",
        // A pointer to the struct: `size` is the pointer's.
        "VMSTATE_STRUCT_POINTER(f, s, vmsd, t) vmsd=$vmsd flags=STRUCT|POINTER size=sizeof($t*) offset=$s.$f",
        "VMSTATE_STRUCT_POINTER_V(f, s, v, vmsd, t) vmsd=$vmsd flags=STRUCT|POINTER size=sizeof($t*) offset=$s.$f "
            + "version=$v",
        "VMSTATE_STRUCT_POINTER_TEST(f, s, test, vmsd, t) vmsd=$vmsd flags=STRUCT|POINTER size=sizeof($t*) "
            + "offset=$s.$f exists=$test",
        "VMSTATE_STRUCT_POINTER_TEST_V(f, s, test, v, vmsd, t) vmsd=$vmsd flags=STRUCT|POINTER size=sizeof($t*) "
            + "offset=$s.$f version=$v exists=$test",
        "VMSTATE_STRUCT_ARRAY(f, s, n, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) offset=$s.$f num=$n "
            + "version=$v",
        "VMSTATE_STRUCT_ARRAY_TEST(f, s, n, test, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) "
            + "offset=$s.$f num=$n version=$v exists=$test",
        "VMSTATE_STRUCT_SUB_ARRAY(f, s, start, n, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) "
            + "offset=$s.$f[$start] num=$n version=$v",
        "VMSTATE_STRUCT_2DARRAY(f, s, n1, n2, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) offset=$s.$f "
            + "num=$n1*$n2 version=$v",
        "VMSTATE_STRUCT_2DARRAY_TEST(f, s, n1, n2, test, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) "
            + "offset=$s.$f num=$n1*$n2 version=$v exists=$test",
        "VMSTATE_STRUCT_VARRAY_UINT8(f, s, fnum, v, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_UINT8 size=sizeof($t) "
            + "offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_STRUCT_VARRAY_UINT32(f, s, fnum, v, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_UINT32 size=sizeof($t) "
            + "offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_STRUCT_VARRAY_INT32(f, s, fnum, v, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_INT32 size=sizeof($t) "
            + "offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_STRUCT_VARRAY_POINTER_INT32(f, s, fnum, vmsd, t) vmsd=$vmsd flags=POINTER|VARRAY_INT32|STRUCT "
            + "size=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
        // QEMU reads the uint32 count with VMS_VARRAY_INT32 here (every version since 2.x does).
        "VMSTATE_STRUCT_VARRAY_POINTER_UINT32(f, s, fnum, vmsd, t) vmsd=$vmsd flags=POINTER|VARRAY_INT32|STRUCT "
            + "size=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
        "VMSTATE_STRUCT_VARRAY_POINTER_UINT16(f, s, fnum, vmsd, t) vmsd=$vmsd flags=POINTER|VARRAY_UINT16|STRUCT "
            + "size=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
        "VMSTATE_STRUCT_VARRAY_POINTER_KNOWN(f, s, n, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY|POINTER "
            + "size=sizeof($t) offset=$s.$f num=$n version=$v",
        "VMSTATE_STRUCT_VARRAY_ALLOC(f, s, fnum, v, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_INT32|ALLOC|POINTER "
            + "size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_VSTRUCT(f, s, vmsd, t, sv) vmsd=$vmsd flags=VSTRUCT size=sizeof($t) offset=$s.$f struct_version=$sv",
        "VMSTATE_VSTRUCT_V(f, s, v, vmsd, t, sv) vmsd=$vmsd flags=VSTRUCT size=sizeof($t) offset=$s.$f version=$v "
            + "struct_version=$sv",
        "VMSTATE_VSTRUCT_TEST(f, s, test, v, vmsd, t, sv) vmsd=$vmsd flags=VSTRUCT size=sizeof($t) offset=$s.$f "
            + "version=$v exists=$test struct_version=$sv",
    ]

    /// Arrays of pointers, where the versions differ.
    static let pointerLines: [String] = [
        // 7.2 / 10.x put the element size in `size` (the pointer's: callers pass `T *`); the 2026
        // macros leave it 0 (C7a).
        "VMSTATE_ARRAY_OF_POINTER(f, s, n, v, info, t) info=$info flags=ARRAY|ARRAY_OF_POINTER size=sizeof($t) "
            + "size@2026=0 offset=$s.$f num=$n version=$v",
        "VMSTATE_ARRAY_OF_POINTER_TO_STRUCT(f, s, n, v, vmsd, t) vmsd=$vmsd flags=ARRAY|STRUCT|ARRAY_OF_POINTER "
            + "size=sizeof($t*) size@2026=0 offset=$s.$f num=$n version=$v",
        "VMSTATE_TIMER_PTR_ARRAY(f, s, n) info=timer flags=ARRAY|ARRAY_OF_POINTER size=sizeof(QEMUTimer*) "
            + "size@2026=0 offset=$s.$f num=$n",
        // Added in 2025 (RISC-V timers); not in 7.2.
        "VMSTATE_VARRAY_OF_POINTER_UINT32(f, s, fnum, v, info, t) info=$info "
            + "flags=VARRAY_UINT32|ARRAY_OF_POINTER|POINTER size=sizeof($t) size@2026=0 offset=$s.$f "
            + "num_offset=$s.$fnum version=$v",
        "VMSTATE_TIMER_PTR_VARRAY(f, s, fnum) info=timer flags=VARRAY_UINT32|ARRAY_OF_POINTER|POINTER "
            + "size=sizeof(QEMUTimer*) size@2026=0 offset=$s.$f num_offset=$s.$fnum",
        // The NVMe macros of 2026: AUTO_ALLOC in Peter Xu's series, ALLOC in the seed patch.
        // 7.2 and 10.x cannot express per-element allocation: vmscope gives them the plain array
        // of pointers they could write, so a cross-version scenario shows what goes wrong.
        "VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT8_ALLOC(f, s, fnum, vmsd, t) vmsd=$vmsd "
            + "flags=POINTER|VARRAY_UINT8|ARRAY_OF_POINTER|STRUCT "
            + "flags@auto-alloc=POINTER|VARRAY_UINT8|ARRAY_OF_POINTER|STRUCT|ARRAY_OF_POINTER_AUTO_ALLOC "
            + "flags@drop-auto-alloc=POINTER|VARRAY_UINT8|ARRAY_OF_POINTER|STRUCT|ALLOC size=sizeof($t*) "
            + "size@2026=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
        "VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC(f, s, fnum, vmsd, t) vmsd=$vmsd "
            + "flags=POINTER|VARRAY_UINT32|ARRAY_OF_POINTER|STRUCT "
            + "flags@auto-alloc=POINTER|VARRAY_UINT32|ARRAY_OF_POINTER|STRUCT|ARRAY_OF_POINTER_AUTO_ALLOC "
            + "flags@drop-auto-alloc=POINTER|VARRAY_UINT32|ARRAY_OF_POINTER|STRUCT|ALLOC size=sizeof($t*) "
            + "size@2026=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
    ]

    /// Buffers, unused bytes, bitmaps.
    static let bufferLines: [String] = [
        "VMSTATE_STATIC_BUFFER(f, s, v, test, start, size) info=buffer flags=BUFFER size=$size-$start "
            + "offset=$s.$f+$start version=$v exists=$test",
        "VMSTATE_BUFFER(f, s) info=buffer flags=BUFFER size=sizeof($s.$f) offset=$s.$f",
        "VMSTATE_BUFFER_V(f, s, v) info=buffer flags=BUFFER size=sizeof($s.$f) offset=$s.$f version=$v",
        "VMSTATE_BUFFER_TEST(f, s, test) info=buffer flags=BUFFER size=sizeof($s.$f) offset=$s.$f exists=$test",
        "VMSTATE_PARTIAL_BUFFER(f, s, size) info=buffer flags=BUFFER size=$size offset=$s.$f",
        "VMSTATE_BUFFER_START_MIDDLE(f, s, start) info=buffer flags=BUFFER size=sizeof($s.$f)-$start "
            + "offset=$s.$f+$start",
        "VMSTATE_BUFFER_START_MIDDLE_V(f, s, start, v) info=buffer flags=BUFFER size=sizeof($s.$f)-$start "
            + "offset=$s.$f+$start version=$v",
        "VMSTATE_BUFFER_UNSAFE(f, s, v, size) info=buffer flags=BUFFER size=$size offset=$s.$f version=$v",
        "VMSTATE_BUFFER_UNSAFE_INFO(f, s, v, info, size) info=$info flags=BUFFER size=$size offset=$s.$f version=$v",
        "VMSTATE_BUFFER_UNSAFE_INFO_TEST(f, s, test, v, info, size) info=$info flags=BUFFER size=$size offset=$s.$f "
            + "version=$v exists=$test",
        "VMSTATE_BUFFER_POINTER_UNSAFE(f, s, v, size) info=buffer flags=BUFFER|POINTER size=$size offset=$s.$f "
            + "version=$v",
        // VBUFFER: the size is read from the struct; `size` is 0 (or the multiplier).
        "VMSTATE_VBUFFER(f, s, v, test, sf) info=buffer flags=VBUFFER|POINTER offset=$s.$f size_offset=$s.$sf "
            + "version=$v exists=$test",
        "VMSTATE_VBUFFER_UINT32(f, s, v, test, sf) info=buffer flags=VBUFFER|POINTER offset=$s.$f "
            + "size_offset=$s.$sf version=$v exists=$test",
        "VMSTATE_VBUFFER_ALLOC_UINT32(f, s, v, test, sf) info=buffer flags=VBUFFER|POINTER|ALLOC offset=$s.$f "
            + "size_offset=$s.$sf version=$v exists=$test",
        "VMSTATE_VBUFFER_MULTIPLY(f, s, v, test, sf, mult) info=buffer flags=VBUFFER|POINTER|MULTIPLY size=$mult "
            + "offset=$s.$f size_offset=$s.$sf version=$v exists=$test",
        "VMSTATE_PARTIAL_VBUFFER(f, s, sf) info=buffer flags=VBUFFER|POINTER offset=$s.$f size_offset=$s.$sf",
        "VMSTATE_PARTIAL_VBUFFER_UINT32(f, s, sf) info=buffer flags=VBUFFER|POINTER offset=$s.$f size_offset=$s.$sf",
        "VMSTATE_UNUSED(size) name=\"unused\" info=unused_buffer flags=BUFFER size=$size",
        "VMSTATE_UNUSED_V(v, size) name=\"unused\" info=unused_buffer flags=BUFFER size=$size version=$v",
        "VMSTATE_UNUSED_TEST(test, size) name=\"unused\" info=unused_buffer flags=BUFFER size=$size exists=$test",
        "VMSTATE_UNUSED_BUFFER(test, v, size) name=\"unused\" info=unused_buffer flags=BUFFER size=$size version=$v "
            + "exists=$test",
        "VMSTATE_UNUSED_VARRAY_UINT32(s, test, v, fnum, size) name=\"unused\" info=unused_buffer "
            + "flags=VARRAY_UINT32|BUFFER size=$size num_offset=$s.$fnum version=$v exists=$test",
        // The size member counts bits.
        "VMSTATE_BITMAP(f, s, v, sf) info=bitmap flags=VBUFFER|POINTER offset=$s.$f size_offset=$s.$sf version=$v",
    ]

    /// Lists, trees, tmp structs, validation.
    static let otherLines: [String] = [
        // These macros set no flags at all: vmstate_n_elems still counts one element.
        "VMSTATE_QTAILQ_V(f, s, v, vmsd, t, next) info=qtailq vmsd=$vmsd size=sizeof($t) offset=$s.$f "
            + "start=$t.$next version=$v",
        "VMSTATE_QLIST_V(f, s, v, vmsd, t, next) info=qlist vmsd=$vmsd size=sizeof($t) offset=$s.$f start=$t.$next "
            + "version=$v",
        // `vmsd` is a two-element array: the value's VMSD, then the key's.
        "VMSTATE_GTREE_V(f, s, v, vmsd, kt, vt) info=gtree vmsd=$vmsd[0] key_vmsd=$vmsd[1] size=sizeof($vt) "
            + "start=sizeof($kt) offset=$s.$f version=$v",
        "VMSTATE_GTREE_DIRECT_KEY_V(f, s, v, vvmsd, vt) info=gtree vmsd=$vvmsd size=sizeof($vt) start=0 offset=$s.$f "
            + "version=$v",
        "VMSTATE_WITH_TMP(s, tt, vmsd) name=\"tmp\" info=tmp vmsd=$vmsd size=sizeof($tt) offset=0",
        "VMSTATE_VALIDATE(name, test) name=$name flags=ARRAY|MUST_EXIST num=0 exists=$test",
    ]

    /// The `VMSTATE_*` macros of QEMU's device headers (hw/pci/pci.h, hw/usb.h, hw/virtio/virtio.h,
    /// hw/core/cpu.h, net/net.h, hw/ptimer.h, qemu/fifo8.h, hw/clock.h, ...).
    static let deviceLines: [String] = [
        "VMSTATE_PCI_DEVICE(f, s) vmsd=vmstate_pci_device flags=STRUCT size=sizeof(PCIDevice) offset=$s.$f",
        "VMSTATE_PCI_DEVICE_POINTER(f, s) vmsd=vmstate_pci_device flags=STRUCT|POINTER size=sizeof(PCIDevice) "
            + "offset=$s.$f",
        "VMSTATE_MSIX(f, s) vmsd=vmstate_msix flags=STRUCT size=sizeof(PCIDevice) offset=$s.$f",
        "VMSTATE_MSIX_TEST(f, s, test) vmsd=vmstate_msix flags=STRUCT size=sizeof(PCIDevice) offset=$s.$f "
            + "exists=$test",
        "VMSTATE_USB_DEVICE(f, s) vmsd=vmstate_usb_device flags=STRUCT size=sizeof(USBDevice) offset=$s.$f",
        // The virtio device's own save routine: an opaque blob vmscope cannot describe.
        "VMSTATE_VIRTIO_DEVICE name=\"virtio\" info=virtio flags=SINGLE",
        "VMSTATE_CPU() name=\"parent_obj\" vmsd=vmstate_cpu_common flags=STRUCT size=sizeof(CPUState) offset=0",
        "VMSTATE_MACADDR(f, s) info=buffer flags=BUFFER size=sizeof(MACAddr) offset=$s.$f",
        "VMSTATE_PTIMER(f, s) => VMSTATE_STRUCT_POINTER_V($f, $s, 1, vmstate_ptimer, ptimer_state)",
        "VMSTATE_PTIMER_ARRAY(f, s, n) => VMSTATE_ARRAY_OF_POINTER_TO_STRUCT($f, $s, $n, 0, vmstate_ptimer, ptimer_state)",
        "VMSTATE_FIFO8(f, s) vmsd=vmstate_fifo8 flags=STRUCT size=sizeof(Fifo8) offset=$s.$f",
        "VMSTATE_FIFO8_TEST(f, s, test) vmsd=vmstate_fifo8 flags=STRUCT size=sizeof(Fifo8) offset=$s.$f exists=$test",
        "VMSTATE_FIFO32(f, s) => VMSTATE_FIFO8($f.fifo, $s)",
        "VMSTATE_CLOCK(f, s) => VMSTATE_STRUCT_POINTER_V($f, $s, 0, vmstate_clock, Clock)",
        "VMSTATE_CLOCK_V(f, s, v) => VMSTATE_STRUCT_POINTER_V($f, $s, $v, vmstate_clock, Clock)",
        "VMSTATE_ARRAY_CLOCK(f, s, n) => VMSTATE_ARRAY_OF_POINTER_TO_STRUCT($f, $s, $n, 0, vmstate_clock, Clock)",
        "VMSTATE_ARRAY_CLOCK_V(f, s, n, v) => VMSTATE_ARRAY_OF_POINTER_TO_STRUCT($f, $s, $n, $v, vmstate_clock, Clock)",
        "VMSTATE_I2C_SLAVE(f, s) vmsd=vmstate_i2c_slave flags=STRUCT size=sizeof(I2CSlave) offset=$s.$f",
        "VMSTATE_SMBUS_DEVICE(f, s) vmsd=vmstate_smbus_device flags=STRUCT size=sizeof(SMBusDevice) offset=$s.$f",
        "VMSTATE_SSI_PERIPHERAL(f, s) vmsd=vmstate_ssi_peripheral flags=STRUCT size=sizeof(SSIPeripheral) offset=$s.$f",
        "VMSTATE_SCSI_DEVICE(f, s) vmsd=vmstate_scsi_device flags=STRUCT size=sizeof(SCSIDevice) offset=$s.$f",
        "VMSTATE_HID_KEYBOARD_DEVICE(f, s) vmsd=vmstate_hid_keyboard_device flags=STRUCT size=sizeof(HIDState) "
            + "offset=$s.$f",
        "VMSTATE_HID_POINTER_DEVICE(f, s) vmsd=vmstate_hid_ptr_device flags=STRUCT size=sizeof(HIDState) offset=$s.$f",
        "VMSTATE_IPACK_DEVICE(f, s) => VMSTATE_STRUCT($f, $s, 1, vmstate_ipack_device, IPackDevice)",
        "VMSTATE_IDE_BUS(f, s) => VMSTATE_STRUCT($f, $s, 1, vmstate_ide_bus, IDEBus)",
        "VMSTATE_IDE_BUS_ARRAY(f, s, n) => VMSTATE_STRUCT_ARRAY($f, $s, $n, 1, vmstate_ide_bus, IDEBus)",
        "VMSTATE_IDE_DRIVE(f, s) => VMSTATE_STRUCT($f, $s, 1, vmstate_ide_drive, IDEState)",
        "VMSTATE_IDE_DRIVES(f, s) => VMSTATE_STRUCT_ARRAY($f, $s, 2, 3, vmstate_ide_drive, IDEState)",
        "VMSTATE_CPU_HOTPLUG(f, s) => VMSTATE_STRUCT($f, $s, 1, vmstate_cpu_hotplug, CPUHotplugState)",
        "VMSTATE_MEMORY_HOTPLUG(f, s) => VMSTATE_STRUCT($f, $s, 1, vmstate_memory_hotplug, MemHotplugState)",
        // hw/acpi/pcihp.h: three fields (ACPI_PCIHP_MAX_HOTPLUG_BUS is 256).
        "VMSTATE_PCI_HOTPLUG(p, s, tp, ti) => VMSTATE_UINT32_TEST($p.hotplug_select, $s, $tp), "
            + "VMSTATE_STRUCT_ARRAY_TEST($p.acpi_pcihp_pci_status, $s, 256, $tp, 1, vmstate_acpi_pcihp_pci_status, "
            + "AcpiPciHpPciStatus), VMSTATE_UINT32_TEST($p.acpi_index, $s, $ti)",
        // include/migration/cpu.h for 64-bit targets (target_ulong is 64 bits).
        "VMSTATE_UINTTL(f, s) => VMSTATE_UINT64_V($f, $s, 0)",
        "VMSTATE_UINTTL_V(f, s, v) => VMSTATE_UINT64_V($f, $s, $v)",
        "VMSTATE_UINTTL_TEST(f, s, t) => VMSTATE_UINT64_TEST($f, $s, $t)",
        "VMSTATE_UINTTL_EQUAL(f, s) => VMSTATE_UINT64_EQUAL_V($f, $s, 0, NULL)",
        "VMSTATE_UINTTL_EQUAL_V(f, s, v) => VMSTATE_UINT64_EQUAL_V($f, $s, $v, NULL)",
        "VMSTATE_UINTTL_ARRAY(f, s, n) => VMSTATE_UINT64_ARRAY_V($f, $s, $n, 0)",
        "VMSTATE_UINTTL_ARRAY_V(f, s, n, v) => VMSTATE_UINT64_ARRAY_V($f, $s, $n, $v)",
        "VMSTATE_UINTTL_2DARRAY(f, s, n1, n2) => VMSTATE_UINT64_2DARRAY_V($f, $s, $n1, $n2, 0)",
        "VMSTATE_UINTTL_2DARRAY_V(f, s, n1, n2, v) => VMSTATE_UINT64_2DARRAY_V($f, $s, $n1, $n2, $v)",
    ]
}
