/// Runs a key script against a state without a terminal: what `vmscope screenshot` and the
/// golden-frame tests do.
public enum Replay {
    /// The state after every event of `script`; stops early when a key quits.
    public static func run(_ script: KeyScript, from state: State) -> State {
        var state = state
        for event in script.events {
            state = update(state, event)
            if state.shouldQuit { break }
        }
        return state
    }
}
