import VMState

/// How `vmscope import` reads C: where headers are, what the build defines, which profile the
/// macros expand for, and the user's corrections to type sizes.
public struct CImportOptions: Sendable {
    /// `-I DIR`: searched in order for `#include "x"` (after the including file's directory) and
    /// `#include <x>`. Headers found nowhere are skipped with a note.
    public var includeDirectories: [String] = []
    /// `-D NAME[=VALUE]`: defined before the first line, as a compiler would.
    public var defines: [(name: String, value: String)] = []
    /// The profile whose macro table expansions decide field sizes and placeholders.
    public var profile: Profile = .qemu72
    /// `--size TYPE=N`: the size of a type, over the parsed definition and the built-in table.
    public var sizeOverrides: [String: Int] = [:]
    /// The text of a `--values` file (`member = value` lines) and its name, for messages.
    public var values: (text: String, file: String)?
    /// Build the scenario document (for `-o` and running); `--describe` alone does not need it.
    public var buildsDocument = true

    public init() {}
}
