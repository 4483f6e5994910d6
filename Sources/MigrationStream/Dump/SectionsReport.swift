/// The `vmscope sections` listing: one line per top-level record with its offset.
///
/// The text layout follows the reference `NAME.sections.txt` files (offset, kind padded to 15
/// columns, `key=value` pairs); keys beyond theirs (`extent=`, `packaged=`) appear only when
/// they say something.
public struct SectionsReport {
    public let stream: MigrationStream

    public init(stream: MigrationStream) { self.stream = stream }

    public func lines() -> [String] {
        var lines: [String] = []
        for record in stream.index.recordsThroughCut {
            lines.append(line(for: record))
        }
        if let trailing = stream.index.trailingBytes {
            lines.append(Self.prefix(trailing.lowerBound, "TRAILING") + "size=\(trailing.count)")
        }
        if stream.index.error == nil {
            lines.append(Self.prefix(stream.file.count, "END_OF_FILE") + "file_size=\(stream.file.count)")
        }
        return lines
    }

    private static func prefix(_ offset: Int, _ kind: String) -> String {
        let padded = kind.count >= 15 ? kind : kind + String(repeating: " ", count: 15 - kind.count)
        return "0x" + Hex.pad(UInt64(offset), 8) + " " + padded
    }

    private func line(for record: StreamRecord) -> String {
        var fields: [String] = []
        let kind: String
        switch record.kind {
        case .fileHeader(let magic, let version):
            kind = "HEADER"
            fields = ["magic=0x" + Hex.pad(UInt64(magic), 8), "version=\(version)"]
        case .configuration(let config):
            kind = "CONFIGURATION"
            let subs = config.subsections.map(Self.subsectionJSON).joined(separator: ", ")
            fields = [
                "machine=\(config.machineType.escapingControls)", "subsections=[\(subs)]",
                "size=\(record.end - record.offset)",
            ]
        case .command(let command):
            kind = "COMMAND"
            fields = [
                "cmd=\(command.rawCode)", "cmd_name=\(command.name)", "len=\(command.length)",
                "data=" + Hex.packed(stream.bytes(in: command.payloadRange)),
            ]
        case .section(let section):
            kind = section.header.type.label
            let header = section.header
            fields = [
                "section_id=\(header.sectionID)", "name=\(header.idstr.escapingControls)",
                "instance_id=\(header.instanceID)",
                "version_id=\(header.versionID)", "body_size=\(section.body.count)",
            ]
            if let ram = section.ram {
                fields.append("ram_records=\(ram.records)")
                let counts = ram.flagCounts.map { "\(Self.quote($0.label)): \($0.count)" }.joined(separator: ", ")
                fields.append("ram_flag_counts={\(counts)}")
                if let blocks = ram.blocks {
                    let list = blocks.map { block in
                        "{\"name\": \(Self.quote(block.name)), \"len\": \"0x\(String(block.length, radix: 16))\"}"
                    }
                    fields.append("ram_blocks=[\(list.joined(separator: ", "))]")
                }
            }
            if section.footerOffset != nil { fields.append("footer=True") }
            switch section.extent {
            case .inferredFromFooter: fields.append("extent=inferred-footer")
            case .inferredFromHeader: fields.append("extent=inferred-header")
            case .cut: fields.append("extent=cut")
            case .parsed, .vmdesc: break
            }
        case .eof:
            kind = "EOF"
        case .vmdescription(let json):
            kind = "VMDESCRIPTION"
            let eof = stream.index.records.last { if case .eof = $0.kind { true } else { false } }
            let gap = eof.map { record.offset - $0.end } ?? 0
            fields = ["json_len=\(json.count)", "gap_after_eof=\(gap)", "devices=\(stream.vmdesc?.devices.count ?? 0)"]
        }
        if record.packaged { fields.append("packaged=True") }
        return Self.prefix(record.offset, kind) + fields.joined(separator: " ")
    }

    private static func subsectionJSON(_ sub: ConfigurationSection.Subsection) -> String {
        var text = "{\"name\": \(quote(sub.name)), \"version\": \(sub.version), "
        switch sub.value {
        case .targetPageBits(let bits): text += "\"target_page_bits\": \(bits)"
        case .capabilities(let caps): text += "\"capabilities\": [\(caps.map(quote).joined(separator: ", "))]"
        case .uuid(let bytes): text += "\"uuid\": \"\(bytes.map { Hex.pad(UInt64($0), 2) }.joined())\""
        case .raw(let range): text += "\"size\": \(range.count)"
        }
        return text + "}"
    }

    static func quote(_ text: String) -> String {
        let output = TextOutput()
        PythonJSONWriter.writeString(text, to: output)
        output.flush()
        return output.text
    }
}
