/// What running a hook body produced.
struct HookResult {
    /// The int a C hook returns (0 unless a `return` says otherwise).
    var returnValue: Int
    /// The message of an `error "..."` statement: the `Error **` hook failed.
    var errorMessage: String?
}

extension Recorder {
    /// Runs `hook` on `opaque`, writing through the recorder so the heap changes are traced.
    mutating func run(_ hook: Hook, opaque: UInt64, structType: String?, versionID: Int) throws(Abort) -> HookResult {
        for statement in hook.statements {
            let evaluator = context(opaque: opaque, structType: structType, versionID: versionID)
            do {
                switch statement {
                case .return(let value):
                    return HookResult(returnValue: Int(truncatingIfNeeded: try evaluator.evaluate(value)))
                case .fail(let message):
                    return HookResult(returnValue: -1, errorMessage: message)
                case .allocate(let target, let type):
                    let size = (try? types.size(of: type)) ?? 8
                    guard let base = allocate(size: size, type: type, zeroed: true) else { continue }
                    let (address, _) = try evaluator.locate(target)
                    try write(address, Heap.littleEndianBytes(base, width: 8), what: MemberStep.render(target))
                case .assign(let target, let value):
                    let number = try evaluator.evaluate(value)
                    let (address, type) = try evaluator.locate(target)
                    let bytes = try evaluator.encode(number, as: type, what: MemberStep.render(target))
                    try write(address, bytes, what: MemberStep.render(target))
                }
            } catch let error as ExpressionEvaluator.EvaluationError {
                throw .fault(address: opaque, access: "hook \(hook): \(error)")
            } catch let abort as Abort {
                throw abort
            } catch {
                throw .fault(address: opaque, access: "hook \(hook)")
            }
        }
        return HookResult(returnValue: 0)
    }

    /// Evaluates a `field_exists` or `needed` test.
    func test(_ expression: Expression, opaque: UInt64, structType: String?, versionID: Int) throws(Abort) -> Bool {
        do {
            return try context(opaque: opaque, structType: structType, versionID: versionID).evaluate(expression) != 0
        } catch {
            throw .fault(address: opaque, access: "test '\(expression)': \(error)")
        }
    }
}
