/// The built-in demo: `Samples/nvme-demo.vmscope`, compiled in so `vmscope` runs with no file.
/// A test keeps the two identical.
extension Scenario {
    public static let demoFileName = "nvme-demo.vmscope"

    public static let demoText = """
        # The built-in demo (`vmscope` with no file): the NVMe use of the seed series.
        #
        # An NVMe controller migrates a variable array of pointers to queues. Slot 1 has no queue
        # (NULL). The destination starts with 8 NULL slots and allocates a queue for each VALID marker.
        # The same VMSD is written with VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC, which expands
        # to ...|ARRAY_OF_POINTER_AUTO_ALLOC under auto-alloc and to ...|ALLOC under drop-auto-alloc:
        # both put the same bytes on the wire and make the same three allocations.
        title "NVMe queues: an array of pointers allocated per element on load"
        profile drop-auto-alloc

        struct NvmeQueue {
            uint16_t id;
            uint32_t head;
            uint32_t tail;
            uint32_t size;
        }

        struct NvmeCtrl {
            uint32_t nr_queues;
            NvmeQueue **queues;
        }

        vmsd "nvme-queue" for NvmeQueue as vmstate_nvme_queue {
            version_id 1
            minimum_version_id 1
            fields {
                VMSTATE_UINT16(id, NvmeQueue)
                VMSTATE_UINT32(head, NvmeQueue)
                VMSTATE_UINT32(tail, NvmeQueue)
                VMSTATE_UINT32(size, NvmeQueue)
            }
        }

        vmsd "nvme-ctrl" for NvmeCtrl as vmstate_nvme_ctrl {
            version_id 1
            minimum_version_id 1
            fields {
                VMSTATE_UINT32(nr_queues, NvmeCtrl)
                VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC(queues, NvmeCtrl, nr_queues, vmstate_nvme_queue, NvmeQueue)
            }
        }

        device "nvme-ctrl" {
            source {
                nr_queues = 4
                queues = new NvmeQueue *[4] [
                    new NvmeQueue { id = 0, head = 0x10, tail = 0x18, size = 64 },
                    null,
                    new NvmeQueue { id = 2, head = 0x20, tail = 0x22, size = 128 },
                    new NvmeQueue { id = 3, head = 0x30, tail = 0x31, size = 256 },
                ]
            }
            dest {
                queues = new NvmeQueue *[8]
            }
        }

        expect auto-alloc: success, allocations 3, leaks 0, check passes, bytes "00 00 00 04 31 00 00 00 00 00 10 00 00 00 18 00 00 00 40 30 31 00 02 00 00 00 20 00 00 00 22 00 00 00 80 31 00 03 00 00 00 30 00 00 00 31 00 00 01 00"
        expect drop-auto-alloc: success, allocations 3, leaks 0, check passes, bytes "00 00 00 04 31 00 00 00 00 00 10 00 00 00 18 00 00 00 40 30 31 00 02 00 00 00 20 00 00 00 22 00 00 00 80 31 00 03 00 00 00 30 00 00 00 31 00 00 01 00"

        """

    /// The demo, parsed. It is part of vmscope, so a parse error is a bug a test catches.
    public static func demo() throws(ScenarioError) -> Scenario {
        try Scenario(parsing: demoText, file: demoFileName)
    }
}
