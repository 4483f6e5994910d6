/// Runs the engine: one load, save or check of a VMSD, recorded as a `Trace`.
public enum Engine {
    /// Loads `stream` into the struct at `opaque` as `vmstate_load_state(f, vmsd, opaque, version)`.
    public static func load(
        _ vmsdName: String, definitions: Definitions, stream: [UInt8], streamBase: Int = 0, heap: Heap,
        opaque: UInt64, version: Int? = nil, profile: Profile, limits: EngineLimits = .standard
    ) -> Trace {
        var loader = Loader(
            recorder: Recorder(heap: heap, types: definitions.types),
            reader: StreamReader(bytes: stream, base: streamBase), definitions: definitions, profile: profile,
            limits: limits)
        var outcome: RunOutcome
        if let vmsd = definitions[vmsdName] {
            loader.recorder.push(.vmsd(vmsd.qemuName))
            let result = Result { () throws(Abort) -> Failure? in
                try loader.loadVMSD(vmsd, opaque: opaque, version: version ?? vmsd.versionID)
            }
            outcome = finish(
                result, recorder: &loader.recorder, at: loader.reader.absolutePosition, messages: profile.messages)
            loader.recorder.pop()
        } else {
            outcome = .failed(code: -2, messages: ["no VMSD named '\(vmsdName)'"])
        }
        reportLeaks(recorder: &loader.recorder, before: heap, roots: [opaque], at: loader.reader.absolutePosition)
        return Trace(
            direction: .load, profile: profile, events: loader.recorder.events, paths: loader.recorder.paths,
            stream: stream, streamBase: streamBase, initialHeap: heap, finalHeap: loader.recorder.heap,
            outcome: outcome, streamError: loader.reader.error, bytesConsumed: loader.reader.position, vmdesc: nil)
    }

    /// Saves the struct at `opaque` as `vmstate_save_state`; with `vmdesc`, also the vmdesc
    /// object QEMU writes for it (`{"vmsd_name": ..., "version": ..., "fields": [...]}`).
    public static func save(
        _ vmsdName: String, definitions: Definitions, heap: Heap, opaque: UInt64, profile: Profile,
        vmdesc: Bool = true, streamBase: Int = 0, limits: EngineLimits = .standard
    ) -> Trace {
        var json = CompactJSONWriter()
        json.startObject()
        var saver = Saver(
            recorder: Recorder(heap: heap, types: definitions.types), writer: StreamWriter(base: streamBase),
            json: json,
            definitions: definitions, profile: profile, limits: limits)
        var outcome: RunOutcome
        if let vmsd = definitions[vmsdName] {
            saver.recorder.push(.vmsd(vmsd.qemuName))
            let result = Result { () throws(Abort) -> Failure? in
                try saver.saveVMSD(vmsd, opaque: opaque, version: vmsd.versionID, describe: vmdesc)
            }
            outcome = finish(
                result, recorder: &saver.recorder, at: streamBase + saver.writer.position, messages: profile.messages)
            saver.recorder.pop()
        } else {
            outcome = .failed(code: -2, messages: ["no VMSD named '\(vmsdName)'"])
        }
        saver.json.endObject()
        return Trace(
            direction: .save, profile: profile, events: saver.recorder.events, paths: saver.recorder.paths,
            stream: saver.writer.bytes, streamBase: streamBase, initialHeap: heap, finalHeap: saver.recorder.heap,
            outcome: outcome, streamError: nil, bytesConsumed: saver.writer.bytes.count,
            vmdesc: vmdesc && outcome.succeeded ? saver.json.text : nil)
    }

    /// `vmstate_check()` on each VMSD in `vmsdNames`, as QEMU runs it at registration.
    public static func check(
        _ vmsdNames: [String], definitions: Definitions, profile: Profile, limits: EngineLimits = .standard
    ) -> CheckReport {
        var checker = Checker(
            recorder: Recorder(heap: Heap(), types: definitions.types), definitions: definitions, profile: profile,
            limits: limits)
        for name in vmsdNames {
            guard let vmsd = definitions[name] else {
                checker.findings.append(
                    CheckFinding(rule: nil, path: name, passed: false, detail: "no VMSD named '\(name)'"))
                continue
            }
            checker.recorder.push(.vmsd(name))
            checker.check(vmsd)
            checker.recorder.pop()
        }
        let failed = checker.findings.first { !$0.passed && !$0.isWarning }
        let trace = Trace(
            direction: .check, profile: profile, events: checker.recorder.events, paths: checker.recorder.paths,
            stream: [], streamBase: 0, initialHeap: Heap(), finalHeap: Heap(),
            outcome: failed.map { .assertionFailed("\($0.rule?.condition ?? "") at \($0.path)") } ?? .success,
            streamError: nil, bytesConsumed: 0, vmdesc: nil)
        return CheckReport(profile: profile, findings: checker.findings, trace: trace)
    }

    /// Turns how the run ended into an outcome, recording the abort where it happened.
    static func finish(
        _ result: Result<Failure?, Abort>, recorder: inout Recorder, at position: Int, messages: MessageStyle
    ) -> RunOutcome {
        switch result {
        case .success(let failure):
            guard let failure else { return .success }
            var lines = recorder.reports
            if messages.propagatesErrors, let message = failure.message { lines = [message] }
            return .failed(code: failure.code, messages: lines)
        case .failure(let error):
            switch error {
            case .assertion(let condition):
                recorder.emit(.assertion(condition), bytes: position..<position)
                return .assertionFailed(condition)
            case .fault(let address, let access):
                recorder.emit(.fault(address: address, access: access), bytes: position..<position)
                return .fault("\(access) at 0x\(String(address, radix: 16))")
            case .limit(let detail):
                recorder.emit(.error("vmscope: \(detail)"), bytes: position..<position)
                return .limitExceeded(detail)
            }
        }
    }

    /// Allocations that were reachable (or made) before and are not any more: leaks.
    static func reportLeaks(recorder: inout Recorder, before: Heap, roots: [UInt64], at position: Int) {
        let reachableBefore = reachable(from: roots, in: before)
        let after = recorder.heap
        let reachableAfter = reachable(from: roots, in: after)
        for allocation in after.allocations where !allocation.freed && !reachableAfter.contains(allocation.id) {
            let existedBefore = allocation.id < before.allocations.count
            if existedBefore && !reachableBefore.contains(allocation.id) { continue }
            recorder.emit(
                .leak(base: allocation.base, size: allocation.size, type: allocation.type?.description ?? "bytes"),
                bytes: position..<position)
        }
    }

    /// Allocation ids reachable from `roots` by following every aligned 8-byte word that points
    /// into a live allocation (a conservative scan, like a leak checker's).
    public static func reachable(from roots: [UInt64], in heap: Heap) -> Set<Int> {
        var seen = Set<Int>()
        var queue = roots.compactMap { heap.allocation(containing: $0)?.id }
        while let id = queue.popLast() {
            guard seen.insert(id).inserted else { continue }
            let allocation = heap.allocations[id]
            var offset = 0
            while offset + 8 <= allocation.size {
                let word = Heap.littleEndian(Array(allocation.bytes[offset..<offset + 8]))
                if word >= Heap.firstBase, let target = heap.allocation(containing: word), !seen.contains(target.id) {
                    queue.append(target.id)
                }
                offset += 8
            }
        }
        return seen
    }
}
