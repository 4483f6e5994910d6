/// vmscope's table of QEMU's `VMSTATE_*` macros: what `VMStateField` each one produces.
///
/// One line per macro, in a small notation of vmscope's own:
///
///     NAME(param, ...) key=value key=value ...
///
/// Keys are the `VMStateField` members: `name`, `info`, `flags`, `size`, `offset`, `num`,
/// `num_offset`, `size_offset`, `start`, `version`, `struct_version`, `exists`, `vmsd`,
/// `key_vmsd`, `hint`. Values use `$param` for an argument:
///
/// - `offset=$s.$f`: offsetof(struct $s, member $f); `offset=0`
/// - `size=sizeof(T)` with T a type or `$param` naming one (`sizeof($t*)` for a pointer to it),
///   `size=sizeof($s.$f)` the size of a member, `size=$n` or a number
/// - `flags=POINTER|VARRAY_UINT32|...` (names without `VMS_`)
/// - `name=$f` (the default: the first parameter as written), or `name="unused"`
///
/// `key@PROFILE=value` replaces `key` under that profile; `@2026` stands for both
/// `auto-alloc` and `drop-auto-alloc`, `@legacy` for `qemu-7.2` and `qemu-10`. A macro whose
/// `flags@PROFILE=-` is absent from that version (the importer warns).
///
/// To add a macro: add its line here. Tests in ScenarioTests check every line parses.
public enum MacroTable {
    static let lines: [String] = scalarLines + arrayLines + structLines + pointerLines + bufferLines + otherLines

    /// VMSTATE_BOOL, VMSTATE_UINT32 and friends, with their _V, _TEST and _EQUAL forms.
    static let scalarLines: [String] = {
        var lines: [String] = []
        let scalars: [(String, String, String)] = [
            ("BOOL", "bool", "bool"), ("INT8", "int8", "int8_t"), ("INT16", "int16", "int16_t"),
            ("INT32", "int32", "int32_t"), ("INT64", "int64", "int64_t"), ("UINT8", "uint8", "uint8_t"),
            ("UINT16", "uint16", "uint16_t"), ("UINT32", "uint32", "uint32_t"), ("UINT64", "uint64", "uint64_t"),
        ]
        for (macro, info, type) in scalars {
            let common = "info=\(info) flags=SINGLE size=sizeof(\(type)) offset=$s.$f"
            lines.append("VMSTATE_\(macro)(f, s) \(common)")
            lines.append("VMSTATE_\(macro)_V(f, s, v) \(common) version=$v")
            lines.append("VMSTATE_\(macro)_TEST(f, s, t) \(common) exists=$t")
        }
        let equals: [(String, String, String)] = [
            ("INT32", "int32 equal", "int32_t"), ("UINT8", "uint8 equal", "uint8_t"),
            ("UINT16", "uint16 equal", "uint16_t"), ("UINT32", "uint32 equal", "uint32_t"),
            ("UINT64", "uint64_equal", "uint64_t"),
        ]
        for (macro, info, type) in equals {
            let common = "info=\"\(info)\" flags=SINGLE size=sizeof(\(type)) offset=$s.$f"
            lines.append("VMSTATE_\(macro)_EQUAL(f, s, hint) \(common) hint=$hint")
            lines.append("VMSTATE_\(macro)_EQUAL_V(f, s, v, hint) \(common) version=$v hint=$hint")
        }
        lines.append("VMSTATE_INT32_POSITIVE_LE(f, s) info=\"int32 le\" flags=SINGLE size=sizeof(int32_t) offset=$s.$f")
        lines.append("VMSTATE_TIMER_PTR(f, s) info=timer flags=SINGLE|POINTER size=sizeof(QEMUTimer) offset=$s.$f")
        lines.append(
            "VMSTATE_TIMER_PTR_V(f, s, v) info=timer flags=SINGLE|POINTER size=sizeof(QEMUTimer) offset=$s.$f version=$v"
        )
        lines.append("VMSTATE_TIMER(f, s) info=timer flags=SINGLE size=sizeof(QEMUTimer) offset=$s.$f")
        lines.append("VMSTATE_CPUDOUBLE(f, s) info=CPU_Double_U flags=SINGLE size=sizeof(CPU_DoubleU) offset=$s.$f")
        lines.append("VMSTATE_SINGLE(f, s, v, info, t) info=$info flags=SINGLE size=sizeof($t) offset=$s.$f version=$v")
        lines.append(
            "VMSTATE_SINGLE_TEST(f, s, test, v, info, t) info=$info flags=SINGLE size=sizeof($t) offset=$s.$f "
                + "version=$v exists=$test")
        lines.append(
            "VMSTATE_POINTER(f, s, v, info, t) info=$info flags=SINGLE|POINTER size=sizeof($t) offset=$s.$f version=$v")
        return lines
    }()

    /// Fixed and variable arrays of scalars.
    static let arrayLines: [String] = {
        var lines: [String] = []
        let scalars: [(String, String, String)] = [
            ("BOOL", "bool", "bool"), ("INT8", "int8", "int8_t"), ("INT16", "int16", "int16_t"),
            ("INT32", "int32", "int32_t"), ("INT64", "int64", "int64_t"), ("UINT8", "uint8", "uint8_t"),
            ("UINT16", "uint16", "uint16_t"), ("UINT32", "uint32", "uint32_t"), ("UINT64", "uint64", "uint64_t"),
            ("CPUDOUBLE", "CPU_Double_U", "CPU_DoubleU"), ("TIMER_PTR", "timer", "QEMUTimer *"),
        ]
        for (macro, info, type) in scalars {
            let common = "info=\(info) flags=ARRAY size=sizeof(\(type)) offset=$s.$f num=$n"
            lines.append("VMSTATE_\(macro)_ARRAY(f, s, n) \(common)")
            lines.append("VMSTATE_\(macro)_ARRAY_V(f, s, n, v) \(common) version=$v")
            lines.append("VMSTATE_\(macro)_SUB_ARRAY(f, s, start, n) \(common)")
            lines.append(
                "VMSTATE_\(macro)_2DARRAY(f, s, n1, n2) info=\(info) flags=ARRAY size=sizeof(\(type)) offset=$s.$f num=$n1*$n2"
            )
        }
        lines += [
            "VMSTATE_ARRAY(f, s, n, v, info, t) info=$info flags=ARRAY size=sizeof($t) offset=$s.$f num=$n version=$v",
            "VMSTATE_ARRAY_TEST(f, s, n, test, info, t) info=$info flags=ARRAY size=sizeof($t) offset=$s.$f num=$n exists=$test",
            "VMSTATE_VARRAY_INT32(f, s, fnum, v, info, t) info=$info flags=VARRAY_INT32|POINTER size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_VARRAY_UINT32(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT32|POINTER size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_VARRAY_UINT32_ALLOC(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT32|POINTER|ALLOC size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_VARRAY_UINT16_ALLOC(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT16|POINTER|ALLOC size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_VARRAY_UINT16_UNSAFE(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT16 size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_VARRAY_UINT8(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT8|POINTER size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
            "VMSTATE_ARRAY_INT32_UNSAFE(f, s, fnum, info, t) info=$info flags=VARRAY_INT32 size=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
            // Removed in 2025 (commit 1c592bf1); 7.2 multiplies the count by `num`.
            "VMSTATE_VARRAY_MULTIPLY(f, s, fnum, mult, info, t) info=$info flags=VARRAY_UINT32|MULTIPLY_ELEMENTS size=sizeof($t) offset=$s.$f num_offset=$s.$fnum num=$mult",
        ]
        return lines
    }()

    /// Nested VMSDs.
    static let structLines: [String] = [
        "VMSTATE_STRUCT(f, s, v, vmsd, t) vmsd=$vmsd flags=STRUCT size=sizeof($t) offset=$s.$f version=$v",
        "VMSTATE_STRUCT_TEST(f, s, test, v, vmsd, t) vmsd=$vmsd flags=STRUCT size=sizeof($t) offset=$s.$f version=$v exists=$test",
        "VMSTATE_STRUCT_POINTER(f, s, vmsd, t) vmsd=$vmsd flags=STRUCT|POINTER size=sizeof($t) offset=$s.$f",
        "VMSTATE_STRUCT_POINTER_V(f, s, v, vmsd, t) vmsd=$vmsd flags=STRUCT|POINTER size=sizeof($t) offset=$s.$f version=$v",
        "VMSTATE_STRUCT_ARRAY(f, s, n, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) offset=$s.$f num=$n version=$v",
        "VMSTATE_STRUCT_ARRAY_TEST(f, s, n, test, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) offset=$s.$f num=$n version=$v exists=$test",
        "VMSTATE_STRUCT_SUB_ARRAY(f, s, start, n, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) offset=$s.$f num=$n version=$v",
        "VMSTATE_STRUCT_2DARRAY(f, s, n1, n2, v, vmsd, t) vmsd=$vmsd flags=STRUCT|ARRAY size=sizeof($t) offset=$s.$f num=$n1*$n2 version=$v",
        "VMSTATE_STRUCT_VARRAY_UINT8(f, s, fnum, v, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_UINT8 size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_STRUCT_VARRAY_UINT32(f, s, fnum, v, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_UINT32 size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_STRUCT_VARRAY_INT32(f, s, fnum, v, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_INT32 size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_STRUCT_VARRAY_POINTER_UINT32(f, s, fnum, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_UINT32|POINTER size=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
        "VMSTATE_STRUCT_VARRAY_POINTER_INT32(f, s, fnum, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_INT32|POINTER size=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
        "VMSTATE_STRUCT_VARRAY_POINTER_UINT16(f, s, fnum, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_UINT16|POINTER size=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
        "VMSTATE_STRUCT_VARRAY_ALLOC(f, s, fnum, v, vmsd, t) vmsd=$vmsd flags=STRUCT|VARRAY_INT32|ALLOC|POINTER size=sizeof($t) offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_VSTRUCT(f, s, vmsd, t, sv) vmsd=$vmsd flags=VSTRUCT size=sizeof($t) offset=$s.$f struct_version=$sv",
        "VMSTATE_VSTRUCT_V(f, s, v, vmsd, t, sv) vmsd=$vmsd flags=VSTRUCT size=sizeof($t) offset=$s.$f version=$v struct_version=$sv",
        "VMSTATE_VSTRUCT_TEST(f, s, test, v, vmsd, t, sv) vmsd=$vmsd flags=VSTRUCT size=sizeof($t) offset=$s.$f version=$v exists=$test struct_version=$sv",
    ]

    /// Arrays of pointers, where the versions differ.
    static let pointerLines: [String] = [
        // 7.2 / 10.x put the element size in `size`; the 2026 macros leave it 0 (C7a).
        "VMSTATE_ARRAY_OF_POINTER(f, s, n, v, info, t) info=$info flags=ARRAY|ARRAY_OF_POINTER size=sizeof($t) size@2026=0 offset=$s.$f num=$n version=$v",
        "VMSTATE_ARRAY_OF_POINTER_TO_STRUCT(f, s, n, v, vmsd, t) vmsd=$vmsd flags=ARRAY|STRUCT|ARRAY_OF_POINTER size=sizeof($t*) size@2026=0 offset=$s.$f num=$n version=$v",
        "VMSTATE_VARRAY_OF_POINTER_UINT32(f, s, fnum, v, info, t) info=$info flags=VARRAY_UINT32|ARRAY_OF_POINTER|POINTER size=sizeof($t) size@2026=0 offset=$s.$f num_offset=$s.$fnum version=$v",
        "VMSTATE_TIMER_PTR_VARRAY(f, s, fnum) info=timer flags=VARRAY_UINT32|ARRAY_OF_POINTER|POINTER size=sizeof(QEMUTimer *) size@2026=0 offset=$s.$f num_offset=$s.$fnum",
        // The NVMe macros of 2026: AUTO_ALLOC in Peter Xu's series, ALLOC in the seed patch.
        // 7.2 and 10.x cannot express per-element allocation: vmscope gives them the plain array
        // of pointers they could write, so a cross-version scenario shows what goes wrong.
        "VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT8_ALLOC(f, s, fnum, vmsd, t) vmsd=$vmsd flags=POINTER|VARRAY_UINT8|ARRAY_OF_POINTER|STRUCT flags@auto-alloc=POINTER|VARRAY_UINT8|ARRAY_OF_POINTER|STRUCT|ARRAY_OF_POINTER_AUTO_ALLOC flags@drop-auto-alloc=POINTER|VARRAY_UINT8|ARRAY_OF_POINTER|STRUCT|ALLOC size=sizeof($t*) size@2026=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
        "VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC(f, s, fnum, vmsd, t) vmsd=$vmsd flags=POINTER|VARRAY_UINT32|ARRAY_OF_POINTER|STRUCT flags@auto-alloc=POINTER|VARRAY_UINT32|ARRAY_OF_POINTER|STRUCT|ARRAY_OF_POINTER_AUTO_ALLOC flags@drop-auto-alloc=POINTER|VARRAY_UINT32|ARRAY_OF_POINTER|STRUCT|ALLOC size=sizeof($t*) size@2026=sizeof($t) offset=$s.$f num_offset=$s.$fnum",
    ]

    /// Buffers, unused bytes, bitmaps.
    static let bufferLines: [String] = [
        "VMSTATE_BUFFER(f, s) info=buffer flags=BUFFER size=sizeof($s.$f) offset=$s.$f",
        "VMSTATE_BUFFER_V(f, s, v) info=buffer flags=BUFFER size=sizeof($s.$f) offset=$s.$f version=$v",
        "VMSTATE_BUFFER_TEST(f, s, test) info=buffer flags=BUFFER size=sizeof($s.$f) offset=$s.$f exists=$test",
        "VMSTATE_PARTIAL_BUFFER(f, s, size) info=buffer flags=BUFFER size=$size offset=$s.$f",
        "VMSTATE_STATIC_BUFFER(f, s, v, test, start, size) info=buffer flags=BUFFER size=$size offset=$s.$f version=$v exists=$test",
        "VMSTATE_BUFFER_UNSAFE(f, s, v, size) info=buffer flags=BUFFER size=$size offset=$s.$f version=$v",
        "VMSTATE_BUFFER_POINTER_UNSAFE(f, s, v, size) info=buffer flags=BUFFER|POINTER size=$size offset=$s.$f version=$v",
        "VMSTATE_VBUFFER(f, s, v, test, sf) info=buffer flags=VBUFFER|POINTER offset=$s.$f size_offset=$s.$sf version=$v exists=$test",
        "VMSTATE_VBUFFER_UINT32(f, s, v, test, sf) info=buffer flags=VBUFFER|POINTER offset=$s.$f size_offset=$s.$sf version=$v exists=$test",
        "VMSTATE_VBUFFER_ALLOC_UINT32(f, s, v, test, sf) info=buffer flags=VBUFFER|POINTER|ALLOC offset=$s.$f size_offset=$s.$sf version=$v exists=$test",
        "VMSTATE_VBUFFER_MULTIPLY(f, s, v, test, sf, mult) info=buffer flags=VBUFFER|POINTER|MULTIPLY size=$mult offset=$s.$f size_offset=$s.$sf version=$v exists=$test",
        "VMSTATE_UNUSED(size) name=\"unused\" info=unused_buffer flags=BUFFER size=$size",
        "VMSTATE_UNUSED_V(v, size) name=\"unused\" info=unused_buffer flags=BUFFER size=$size version=$v",
        "VMSTATE_UNUSED_TEST(test, size) name=\"unused\" info=unused_buffer flags=BUFFER size=$size exists=$test",
        "VMSTATE_UNUSED_BUFFER(test, v, size) name=\"unused\" info=unused_buffer flags=BUFFER size=$size version=$v exists=$test",
        "VMSTATE_UNUSED_VARRAY_UINT32(s, test, v, fnum, size) name=\"unused\" info=unused_buffer flags=VARRAY_UINT32|BUFFER size=$size num_offset=$s.$fnum version=$v exists=$test",
        "VMSTATE_BITMAP(f, s, v, sf) info=bitmap flags=VBUFFER|POINTER offset=$s.$f size_offset=$s.$sf version=$v",
    ]

    /// Lists, trees, tmp structs, validation.
    static let otherLines: [String] = [
        // These macros set no flags at all: vmstate_n_elems still counts one element.
        "VMSTATE_QTAILQ_V(f, s, v, vmsd, t, next) info=qtailq vmsd=$vmsd size=sizeof($t) offset=$s.$f start=$t.$next version=$v",
        "VMSTATE_QLIST_V(f, s, v, vmsd, t, next) info=qlist vmsd=$vmsd size=sizeof($t) offset=$s.$f start=$t.$next version=$v",
        // `vmsd` is a two-element array: the value's VMSD, then the key's.
        "VMSTATE_GTREE_V(f, s, v, vmsd, kt, vt) info=gtree vmsd=$vmsd[0] key_vmsd=$vmsd[1] size=sizeof($vt) start=sizeof($kt) offset=$s.$f version=$v",
        "VMSTATE_GTREE_DIRECT_KEY_V(f, s, v, vvmsd, vt) info=gtree vmsd=$vvmsd size=sizeof($vt) start=0 offset=$s.$f version=$v",
        "VMSTATE_WITH_TMP(s, tt, vmsd) name=\"tmp\" info=tmp vmsd=$vmsd size=sizeof($tt) offset=0",
        "VMSTATE_VALIDATE(name, test) name=$name flags=ARRAY|MUST_EXIST num=0 exists=$test",
    ]
}
