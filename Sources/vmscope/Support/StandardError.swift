import Platform

/// Messages for stderr. Written straight to the descriptor, unbuffered, so a message printed
/// just before exit is never lost and never interleaves with half a line of stdout.
enum StandardError {
    static func writeLine(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if count > 0 {
                written += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
