import Platform

extension Error {
    /// Why a file could not be read or written, in the system's words ("No such file or
    /// directory"), for messages that already name the file.
    var fileErrorText: String {
        if let cocoa = self as? CocoaError {
            if let posix = cocoa.underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
            // Text reads fail with one of these when the bytes are not UTF-8.
            if cocoa.code == .fileReadCorruptFile || cocoa.code == .fileReadInapplicableStringEncoding {
                return "not UTF-8 text"
            }
        }
        if let posix = self as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        return "\(self)"
    }
}
