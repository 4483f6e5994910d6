/*
 * A toy UART for vmscope's samples (not a QEMU device), written as QEMU device files are:
 * a header with the state, #defines and an enum for array sizes, a nested FIFO struct,
 * bit-fields, a timer, and an optional subsection with a needed() callback.
 *
 *   vmscope trace Samples/c/toy-uart.c
 *   vmscope import Samples/c/toy-uart.c -o uart.vmscope     (lists the callbacks as switches)
 */

#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "migration/vmstate.h"
#include "toy-uart.h"

static bool toy_uart_timeout_needed(void *opaque)
{
    ToyUartState *s = opaque;

    return s->timeout_ns != 0;
}

static int toy_uart_post_load(void *opaque, int version_id)
{
    ToyUartState *s = opaque;

    if (s->rx.num > TOY_UART_FIFO_SIZE || s->tx.num > TOY_UART_FIFO_SIZE) {
        return -EINVAL;
    }
    return 0;
}

static const VMStateDescription vmstate_toy_uart_fifo = {
    .name = "toy-uart/fifo",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT8_ARRAY(data, ToyUartFifo, TOY_UART_FIFO_SIZE),
        VMSTATE_UINT32(head, ToyUartFifo),
        VMSTATE_UINT32(num, ToyUartFifo),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_toy_uart_timeout = {
    .name = "toy-uart/timeout",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = toy_uart_timeout_needed,
    .fields = (VMStateField[]) {
        VMSTATE_TIMER_PTR(fifo_timeout, ToyUartState),
        VMSTATE_UINT64(timeout_ns, ToyUartState),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_toy_uart = {
    .name = "toy-uart",
    .version_id = 2,
    .minimum_version_id = 1,
    .post_load = toy_uart_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, ToyUartState, TOY_UART_NR_REGS),
        VMSTATE_UINT32_ARRAY_V(scratch, ToyUartState, TOY_UART_NR_SCRATCH, 2),
        VMSTATE_STRUCT(rx, ToyUartState, 0, vmstate_toy_uart_fifo, ToyUartFifo),
        VMSTATE_STRUCT(tx, ToyUartState, 0, vmstate_toy_uart_fifo, ToyUartFifo),
        VMSTATE_BOOL(loopback, ToyUartState),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription*[]) {
        &vmstate_toy_uart_timeout,
        NULL
    }
};

static void toy_uart_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->vmsd = &vmstate_toy_uart;
}

static const TypeInfo toy_uart_info = {
    .name          = "toy-uart",
    .parent        = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(ToyUartState),
    .class_init    = toy_uart_class_init,
};

static void toy_uart_register_types(void)
{
    type_register_static(&toy_uart_info);
}

type_init(toy_uart_register_types)
