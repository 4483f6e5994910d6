/// An error for the user: printed on stderr, with vmscope's exit code.
struct UserFailure: Error {
    var message: String
    /// 1: the input does not load or check; 2: usage or I/O.
    var exitCode: Int32

    static func io(_ message: String) -> UserFailure { UserFailure(message: message, exitCode: 2) }
    static func usage(_ message: String) -> UserFailure { UserFailure(message: message, exitCode: 2) }
    static func input(_ message: String) -> UserFailure { UserFailure(message: message, exitCode: 1) }
}
