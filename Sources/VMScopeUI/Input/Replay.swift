/// Runs a key script against a state without a terminal: what `vmscope screenshot` and the
/// golden-frame tests do.
public enum Replay {
    /// The state after every item of `script`; stops early when a key quits. Pauses are skipped;
    /// captions are set; `<open FILE>` asks `open` for the new state (and fails without it).
    public static func run(_ script: KeyScript, from state: State) -> State {
        (try? run(script, from: state, open: nil)) ?? state
    }

    public static func run(
        _ script: KeyScript, from state: State, open: ((String, State) throws -> State)?
    ) throws -> State {
        var state = state
        for item in script.items {
            state = try apply(item, to: state, open: open)
            if state.shouldQuit { break }
        }
        return state
    }

    /// One item of a script: what both the headless replay and the live demo player do.
    public static func apply(
        _ item: KeyScript.Item, to state: State, open: ((String, State) throws -> State)?
    ) throws -> State {
        var state = state
        switch item {
        case .input(let event): state = update(state, event)
        case .pause: break
        case .caption(let text):
            // The caption is newer than the notice of the keys before it, and the status line
            // shows a notice first.
            state.caption = text
            state.notice = nil
        case .open(let path):
            if let open {
                let caption = state.caption
                state = try open(path, state)
                state.caption = caption
            } else {
                state.notice = Notice("cannot open \(path) here", isError: true)
            }
        }
        return state
    }
}
