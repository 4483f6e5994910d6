/*
 * A toy UART for vmscope's samples (not a QEMU device): its state struct and register map,
 * in a header as QEMU keeps them.
 */
#ifndef TOY_UART_H
#define TOY_UART_H

#include "hw/sysbus.h"

#define TOY_UART_FIFO_SIZE 16
#define TOY_UART_NR_SCRATCH (0x20 / sizeof(uint32_t))

enum {
    TOY_UART_REG_DATA,
    TOY_UART_REG_STATUS,
    TOY_UART_REG_CTRL,
    TOY_UART_NR_REGS,
};

typedef struct ToyUartFifo {
    uint8_t data[TOY_UART_FIFO_SIZE];
    uint32_t head;
    uint32_t num;
} ToyUartFifo;

typedef struct ToyUartState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    qemu_irq irq;

    uint32_t regs[TOY_UART_NR_REGS];
    uint32_t scratch[TOY_UART_NR_SCRATCH];
    ToyUartFifo rx;
    ToyUartFifo tx;
    bool loopback;
    uint8_t divisor_latch : 1;
    uint8_t parity : 2;
    QEMUTimer *fifo_timeout;
    uint64_t timeout_ns;
} ToyUartState;

#endif
