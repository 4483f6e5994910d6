/*
 * The NVMe demo of vmscope (Samples/nvme-demo.vmscope) as a QEMU device file would write it:
 * a controller migrates a variable array of pointers to its queues, and the queues are
 * allocated one by one on load by VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC, which is
 * ...|ARRAY_OF_POINTER_AUTO_ALLOC under the auto-alloc series and ...|ALLOC under the seed patch.
 *
 *   vmscope trace Samples/c/nvme-demo.c --profile auto-alloc
 *   vmscope import Samples/c/nvme-demo.c -o nvme.vmscope
 */

#include "qemu/osdep.h"
#include "migration/vmstate.h"

typedef struct NvmeQueue {
    uint16_t id;
    uint32_t head;
    uint32_t tail;
    uint32_t size;
} NvmeQueue;

typedef struct NvmeCtrl {
    uint32_t nr_queues;
    NvmeQueue **queues;
} NvmeCtrl;

static const VMStateDescription vmstate_nvme_queue = {
    .name = "nvme-queue",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16(id, NvmeQueue),
        VMSTATE_UINT32(head, NvmeQueue),
        VMSTATE_UINT32(tail, NvmeQueue),
        VMSTATE_UINT32(size, NvmeQueue),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_nvme_ctrl = {
    .name = "nvme-ctrl",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(nr_queues, NvmeCtrl),
        VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC(queues, NvmeCtrl, nr_queues,
                                                         vmstate_nvme_queue, NvmeQueue),
        VMSTATE_END_OF_LIST()
    },
};
