/// One result of the registration checks.
public struct CheckFinding: Sendable, Hashable {
    /// The QEMU rule, or nil for a vmscope warning (a flag the profile does not define).
    public var rule: CheckRule?
    /// `nvme-ctrl.queues`, or the VMSD name for VMSD-level rules.
    public var path: String
    public var passed: Bool
    public var detail: String

    public var isWarning: Bool { rule == nil }
}

public struct CheckReport: Sendable {
    public var profile: Profile
    public var findings: [CheckFinding]
    public var trace: Trace

    public var failures: [CheckFinding] { findings.filter { !$0.passed && !$0.isWarning } }
    public var warnings: [CheckFinding] { findings.filter(\.isWarning) }
    public var passed: Bool { failures.isEmpty }
}

/// `vmstate_check()` of savevm.c for a profile: every rule on every field, recursively.
/// QEMU stops at the first failed assertion; vmscope reports them all.
struct Checker {
    var recorder: Recorder
    let definitions: Definitions
    let profile: Profile
    let limits: EngineLimits
    var findings: [CheckFinding] = []
    private var active: [String] = []

    init(recorder: Recorder, definitions: Definitions, profile: Profile, limits: EngineLimits) {
        self.recorder = recorder
        self.definitions = definitions
        self.profile = profile
        self.limits = limits
    }

    private func has(_ rule: CheckRule) -> Bool { profile.checkRules.contains(rule) }

    private mutating func record(_ rule: CheckRule?, passed: Bool, detail: String, vmsd: String? = nil) {
        var path = recorder.paths.string(recorder.path)
        // A rule about a nested VMSD names it: `dev.inner (inner)`.
        if let vmsd, path != vmsd { path += " (\(vmsd))" }
        findings.append(CheckFinding(rule: rule, path: path, passed: passed, detail: detail))
        if let rule {
            recorder.emit(.check(rule: rule, passed: passed, detail: detail))
        } else {
            recorder.emit(.warning(detail))
        }
    }

    mutating func check(_ vmsd: VMStateDescription) {
        // A VMSD that contains itself would recurse for ever in QEMU; vmscope says so once.
        if active.contains(vmsd.name) || active.count >= limits.maxNesting {
            record(.nestedStructs, passed: false, detail: "'\(vmsd.name)' contains itself: the check would not end")
            return
        }
        active.append(vmsd.name)
        defer { active.removeLast() }
        recorder.emit(.enterVMSD(name: vmsd.name, version: vmsd.versionID))
        for field in vmsd.fields {
            recorder.push(.field(field.name))
            checkField(field)
            recorder.pop()
        }
        if has(.endOfList) {
            let raw = vmsd.terminatorRawFlags ?? profile.endValue
            let passed = raw == profile.endValue
            record(
                .endOfList, passed: passed,
                detail: passed
                    ? "ends with VMS_END (0x\(String(profile.endValue, radix: 16)))"
                    : "VMSTATE not ending with VMS_END: \(vmsd.qemuName) (flags 0x\(String(raw, radix: 16)), "
                        + "VMS_END is 0x\(String(profile.endValue, radix: 16)))", vmsd: vmsd.name)
        }
        for name in vmsd.subsections {
            if has(.subsectionPrefix) {
                let passed = name.utf8.starts(with: vmsd.qemuName.utf8)
                record(
                    .subsectionPrefix, passed: passed,
                    detail: passed
                        ? "'\(name)' starts with '\(vmsd.qemuName)'"
                        : "'\(name)' does not start with '\(vmsd.qemuName)'",
                    vmsd: vmsd.name)
            }
            guard has(.nestedSubsections), let subsection = definitions[name] else { continue }
            recorder.push(.subsection(name: name, parent: vmsd.qemuName))
            check(subsection)
            recorder.pop()
        }
        recorder.emit(.leaveVMSD(name: vmsd.name, succeeded: true))
    }

    private mutating func checkField(_ field: VMStateField) {
        let unknown = field.flags.filter { profile.flagValues[$0] == nil }
        for flag in unknown {
            record(nil, passed: false, detail: "\(flag.rawValue) does not exist in \(profile.name): ignored")
        }
        let flags = profile.effective(field.flags)
        let countFlags: FieldFlags = [.array, .varrayInt32, .varrayUInt16, .varrayUInt8, .varrayUInt32]
        if flags.contains(.arrayOfPointer) {
            let perElement =
                has(.autoAllocNeedsSize) ? flags.contains(.arrayOfPointerAutoAlloc) : flags.contains(.alloc)
            let sizeRule: CheckRule = has(.autoAllocNeedsSize) ? .autoAllocNeedsSize : .allocatedArrayOfPointerNeedsSize
            if perElement && has(sizeRule) {
                record(sizeRule, passed: field.size != 0, detail: "\(sizeRule.condition) (size \(field.size))")
            } else if !perElement && has(.arrayOfPointerWithoutSize) {
                let passed = field.size == 0 && field.sizeOffset == 0
                record(
                    .arrayOfPointerWithoutSize, passed: passed,
                    detail: "\(CheckRule.arrayOfPointerWithoutSize.condition) (size \(field.size), "
                        + "size_offset \(field.sizeOffset))")
            }
            let countRule: CheckRule? =
                has(.arrayOfPointerNeedsCount)
                ? .arrayOfPointerNeedsCount
                : (has(.arrayOfPointerWithoutAllocNeedsCount) && !perElement
                    ? .arrayOfPointerWithoutAllocNeedsCount : nil)
            if let countRule {
                let passed = flags.contains(any: countFlags)
                record(countRule, passed: passed, detail: "\(countRule.condition) (flags \(flags))")
            }
        }
        if has(.autoAllocNeedsArrayOfPointer), flags.contains(.arrayOfPointerAutoAlloc) {
            record(
                .autoAllocNeedsArrayOfPointer, passed: flags.contains(.arrayOfPointer),
                detail: "\(CheckRule.autoAllocNeedsArrayOfPointer.condition) (flags \(flags))")
        }
        if has(.nestedStructs), flags.contains(any: [.struct, .vstruct]) {
            guard let name = field.vmsd, let nested = definitions[name] else {
                record(.nestedStructs, passed: false, detail: "field->vmsd '\(field.vmsd ?? "NULL")' is not defined")
                return
            }
            recorder.push(.nested(nested.name))
            check(nested)
            recorder.pop()
        }
    }
}
