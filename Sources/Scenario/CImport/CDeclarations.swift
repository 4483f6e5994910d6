/// A C type as declared, before layout.
indirect enum CDeclType: Sendable {
    /// A typedef name or a built-in scalar spelt in words (`unsigned int`).
    case name(String)
    /// `struct Foo`, `union Foo` or `enum Foo` referred to by tag.
    case tagged(CTagKind, String)
    /// A struct, union or enum defined in place: an index into the unit's records.
    case record(Int)
    case pointer(CDeclType)
    /// `T[N]`; nil when the size is not given (`T x[]`).
    case array(CDeclType, count: [CToken]?)
    case function
    /// A type written as a macro call the parser knows (`QTAILQ_HEAD(, Foo)`).
    case macroType(String)
    /// `typeof(...)` and other types vmscope cannot work out.
    case unknown(String)

    var spelled: String {
        switch self {
        case .name(let name): name
        case .tagged(let kind, let tag): "\(kind.rawValue) \(tag)"
        case .record(let index): "<record \(index)>"
        case .pointer(let pointee): "\(pointee.spelled) *"
        case .array(let element, let count): "\(element.spelled)[\(count?.spelled ?? "")]"
        case .function: "function"
        case .macroType(let name): name
        case .unknown(let text): text
        }
    }
}

enum CTagKind: String, Sendable {
    case `struct`, union, `enum`
}

/// A struct or union definition as written.
struct CRecordDecl: Sendable {
    var kind: CTagKind
    var tag: String?
    var members: [CMemberDecl]
    /// `__attribute__((packed))` / `QEMU_PACKED`.
    var isPacked: Bool
    /// `__attribute__((aligned(N)))` on the whole type.
    var alignment: [CToken]?
    var location: CSourceLocation
    /// The typedef name that names it, when one does (for display).
    var typedefName: String?
}

struct CMemberDecl: Sendable {
    /// Nil for an anonymous struct or union member (C11), whose members belong to the parent.
    var name: String?
    var type: CDeclType
    var bitWidth: [CToken]?
    var alignment: [CToken]?
    var isPacked: Bool
    var location: CSourceLocation
}

/// One entry of a `VMStateField` list as written.
enum CFieldEntry: Sendable {
    /// `VMSTATE_UINT32(x, S)` or any `NAME(...)`: a macro, known to the table or not.
    case macro(name: String, arguments: [[CToken]], location: CSourceLocation)
    /// `{ .name = "x", .info = &vmstate_info_uint32, ... }`.
    case explicit(members: [CDesignator], location: CSourceLocation)
    /// `VMSTATE_END_OF_LIST()` (or `{}`).
    case end(location: CSourceLocation)
    /// Something else vmscope cannot read as a field.
    case unreadable(text: String, location: CSourceLocation)

    var location: CSourceLocation {
        switch self {
        case .macro(_, _, let location), .explicit(_, let location), .end(let location),
            .unreadable(_, let location):
            location
        }
    }
}

/// `.key = value` inside a designated initializer.
struct CDesignator: Sendable {
    var key: String
    var value: [CToken]
    var location: CSourceLocation
}

/// `.fields` or `.subsections`: a list written in place or the name of an array.
enum CListValue<Element: Sendable>: Sendable {
    case inline([Element], location: CSourceLocation)
    case reference(String, location: CSourceLocation)
}

/// A `VMStateDescription` definition as written.
struct CVMSDDecl: Sendable {
    /// `vmstate_foo`, or `vmstate_foo[1]` for an element of an array of VMSDs.
    var cName: String
    var isStatic: Bool
    var location: CSourceLocation
    /// Members other than fields and subsections, by name.
    var members: [String: CDesignator] = [:]
    var fields: CListValue<CFieldEntry>?
    /// Subsection entries: the C name of each VMSD (`&vmstate_foo` → `vmstate_foo`), nil for NULL.
    var subsections: CListValue<String?>?
}

/// Everything one unit (a `.c` file, or a header read once) declares that the import uses.
struct CUnitDeclarations: Sendable {
    var records: [CRecordDecl] = []
    /// Struct/union/enum tags → record index (enums map to -1: they are `int`-sized).
    var tags: [String: Int] = [:]
    var enumTags: Set<String> = []
    var typedefs: [String: CDeclType] = [:]
    /// `typedef struct Tag Name;`: the first name given to each tag (for display).
    var tagTypedefs: [String: String] = [:]
    var enumConstants: [String: Int64] = [:]
    var vmsds: [CVMSDDecl] = []
    /// `VMStateField NAME[] = { ... }`.
    var fieldArrays: [String: [CFieldEntry]] = [:]
    /// `const VMStateDescription *NAME[] = { &a, &b, NULL }`.
    var subsectionArrays: [String: [String?]] = [:]
    /// `const VMStateDescription NAME[2] = { {...}, {...} }`: the C names of the elements.
    var vmsdArrays: [String: [String]] = [:]
    /// `const VMStateInfo NAME = { .name = "x", ... }`: the info's name.
    var infos: [String: String] = [:]
    /// Arrays defined with an initializer whose size follows from it (`ARRAY_SIZE(table)`).
    var arrayCounts: [String: Int] = [:]
    /// Global variables: name → declared type (for `sizeof(var)`).
    var variables: [String: CDeclType] = [:]
}
