/// The `vmscope sections --json` listing: `{"records": [one object per top-level record],
/// "ram_blocks": [per-RAMBlock page counts and runs], "error": "..."?}`.
public struct SectionsJSON {
    public let stream: MigrationStream

    public init(stream: MigrationStream) { self.stream = stream }

    public func write(_ json: inout PythonJSONWriter) {
        json.beginObject()
        json.key("records")
        json.beginArray()
        for record in stream.index.recordsThroughCut {
            json.beginObject()
            json.key("offset")
            json.literal(String(record.offset))
            json.key("end")
            json.literal(String(record.end))
            if record.packaged {
                json.key("packaged")
                json.bool(true)
            }
            writeKind(record, &json)
            json.endObject()
        }
        json.endArray()
        json.key("ram_blocks")
        json.beginArray()
        for block in stream.index.ramBlocks {
            json.beginObject()
            json.key("name")
            json.string(block.name)
            for (key, value) in [
                ("length", Int(clamping: block.length)), ("zero_pages", block.zeroPages),
                ("data_pages", block.dataPages), ("zero_runs", block.zeroRuns), ("data_runs", block.dataRuns),
                ("xbzrle_pages", block.xbzrlePages), ("compressed_pages", block.compressedPages),
            ] {
                json.key(key)
                json.literal(String(value))
            }
            json.endObject()
        }
        json.endArray()
        if let error = stream.index.error ?? stream.vmdescError {
            json.key("error")
            json.string("\(error)")
        }
        json.endObject()
    }

    private func writeKind(_ record: StreamRecord, _ json: inout PythonJSONWriter) {
        func field(_ key: String, _ value: String) {
            json.key(key)
            json.string(value)
        }
        func number(_ key: String, _ value: some BinaryInteger) {
            json.key(key)
            json.literal(String(value))
        }
        switch record.kind {
        case .fileHeader(let magic, let version):
            field("kind", "HEADER")
            number("magic", magic)
            number("version", version)
        case .configuration(let config):
            field("kind", "CONFIGURATION")
            field("machine", config.machineType)
            json.key("subsections")
            json.beginArray()
            for sub in config.subsections { json.string(sub.name) }
            json.endArray()
            json.key("capabilities")
            json.beginArray()
            for cap in config.capabilities { json.string(cap) }
            json.endArray()
        case .command(let command):
            field("kind", "COMMAND")
            number("cmd", command.rawCode)
            field("cmd_name", command.name)
            number("len", command.length)
            field("data", Hex.packed(stream.bytes(in: command.payloadRange)))
        case .section(let section):
            field("kind", section.header.type.label)
            number("section_id", section.header.sectionID)
            field("name", section.header.idstr)
            number("instance_id", section.header.instanceID)
            number("version_id", section.header.versionID)
            number("body_offset", section.body.lowerBound)
            number("body_size", section.body.count)
            json.key("footer")
            json.bool(section.footerOffset != nil)
            field("extent", "\(section.extent)")
            if let ram = section.ram {
                number("ram_records", ram.records)
                json.key("ram_flag_counts")
                json.beginObject()
                for (label, count) in ram.flagCounts { number(label, count) }
                json.endObject()
                if let blocks = ram.blocks {
                    json.key("ram_blocks")
                    json.beginArray()
                    for block in blocks {
                        json.beginObject()
                        field("name", block.name)
                        number("len", block.length)
                        if let size = block.pageSize { number("page_size", size) }
                        if let address = block.memoryRegionAddress { number("mr_addr", address) }
                        if let mapped = block.mappedRAM {
                            number("mapped_ram_bitmap_offset", mapped.bitmapOffset)
                            number("mapped_ram_pages_offset", mapped.pagesOffset)
                        }
                        json.endObject()
                    }
                    json.endArray()
                }
            }
        case .eof:
            field("kind", "EOF")
        case .vmdescription(let range):
            field("kind", "VMDESCRIPTION")
            number("json_len", range.count)
            number("devices", stream.vmdesc?.devices.count ?? 0)
        }
    }
}
