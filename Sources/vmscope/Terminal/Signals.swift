import CNCurses

/// The signal side of the terminal: the only Swift file that calls the shim's restore state
/// (its statics exist once per object file that uses them).
///
/// SIGINT, SIGTERM, SIGHUP and SIGQUIT restore the saved terminal modes, leave the alternate
/// screen and exit 128+signal; SIGTSTP asks the main loop to suspend (it calls `endwin`, stops,
/// and redraws on SIGCONT); crash signals restore the terminal and go on to the previous handler.
enum Signals {
    /// Saves the terminal modes; call before ncurses starts.
    static func saveTerminalModes() { cn_save_terminal() }

    /// What to write to leave the explorer's screen, from terminfo.
    static func setRestoreSequence(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cn_set_restore_sequence($0, buffer.count)
                }
            }
        }
    }

    static func install() { cn_install_signal_handlers() }
    static func disarm() { cn_disarm() }
    static func rearm() { cn_rearm() }
    static func takeSuspendRequest() -> Bool { cn_take_suspend_request() != 0 }
    static func stopSelf() { cn_stop_self() }
}
