/*
 * A toy DMA controller for vmscope's samples (not a QEMU device): an array of channel
 * structs, a buffer whose length another field gives (allocated on load), a descriptor
 * list whose count is a uint8, bytes no longer used, a validation callback, a pre_save hook,
 * and a field that only version 3 sends.
 *
 *   vmscope trace Samples/c/toy-dma.c --profile qemu-7.2
 */

#include "qemu/osdep.h"
#include "migration/vmstate.h"

#define TOY_DMA_CHANNELS 4
#define TOY_DMA_MAX_DESC 8

/* A file-local macro, as device files often have: vmscope expands it from its #define. */
#define VMSTATE_TOY_DMA_DESCS(_f, _s)                                        \
    VMSTATE_STRUCT_VARRAY_UINT8(_f, _s, nr_desc, 0, vmstate_toy_dma_desc, ToyDmaDesc)

typedef struct ToyDmaChannel {
    uint64_t src;
    uint64_t dst;
    uint32_t len;
    uint16_t ctrl;
    bool busy;
} ToyDmaChannel;

typedef struct ToyDmaDesc {
    uint32_t addr;
    uint32_t flags;
} ToyDmaDesc;

typedef struct ToyDmaState {
    ToyDmaChannel chan[TOY_DMA_CHANNELS];
    uint32_t bounce_len;
    uint8_t *bounce;
    uint8_t nr_desc;
    ToyDmaDesc desc[TOY_DMA_MAX_DESC];
    int32_t irq_level;
    uint32_t version3_only;
} ToyDmaState;

static int toy_dma_pre_save(void *opaque)
{
    return 0;
}

static bool toy_dma_irq_valid(void *opaque, int version_id)
{
    ToyDmaState *s = opaque;

    return s->irq_level == 0 || s->irq_level == 1;
}

static const VMStateDescription vmstate_toy_dma_channel = {
    .name = "toy-dma/channel",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT64(src, ToyDmaChannel),
        VMSTATE_UINT64(dst, ToyDmaChannel),
        VMSTATE_UINT32(len, ToyDmaChannel),
        VMSTATE_UINT16(ctrl, ToyDmaChannel),
        VMSTATE_BOOL(busy, ToyDmaChannel),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_toy_dma_desc = {
    .name = "toy-dma/desc",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(addr, ToyDmaDesc),
        VMSTATE_UINT32(flags, ToyDmaDesc),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_toy_dma = {
    .name = "toy-dma",
    .version_id = 3,
    .minimum_version_id = 2,
    .pre_save = toy_dma_pre_save,
    .fields = (VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(chan, ToyDmaState, TOY_DMA_CHANNELS, 1,
                             vmstate_toy_dma_channel, ToyDmaChannel),
        VMSTATE_UINT32(bounce_len, ToyDmaState),
        VMSTATE_VBUFFER_ALLOC_UINT32(bounce, ToyDmaState, 0, NULL, bounce_len),
        VMSTATE_UINT8(nr_desc, ToyDmaState),
        VMSTATE_TOY_DMA_DESCS(desc, ToyDmaState),
        VMSTATE_UNUSED(4),
        VMSTATE_INT32(irq_level, ToyDmaState),
        VMSTATE_VALIDATE("irq level is 0 or 1", toy_dma_irq_valid),
        VMSTATE_UINT32_V(version3_only, ToyDmaState, 3),
        VMSTATE_END_OF_LIST()
    }
};
