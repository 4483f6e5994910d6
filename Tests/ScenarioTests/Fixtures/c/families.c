/* Every family of VMSTATE_* macros, as a QEMU device file would use them. The expected
 * -dump-vmstate shape is families.describe.json next to this file. */
#include "qemu/osdep.h"
#include "migration/vmstate.h"

#define NREGS 8
#define ROWS 2
#define COLS 3

typedef struct Elem {
    uint32_t a;
    uint16_t b;
    QTAILQ_ENTRY(Elem) next;
} Elem;

typedef struct Sub {
    uint64_t x;
    uint8_t y;
} Sub;

typedef struct TmpView {
    struct Dev *parent;
    uint32_t folded;
} TmpView;

typedef struct Dev {
    PCIDevice parent_obj;
    uint8_t u8;
    int16_t i16;
    uint32_t u32;
    int64_t i64;
    bool flag;
    int32_t le;
    uint32_t regs[NREGS];
    uint16_t grid[ROWS][COLS];
    uint32_t count32;
    int32_t count_i32;
    uint16_t count16;
    uint8_t count8;
    uint32_t *vals;
    uint64_t *wide;
    uint8_t inline_vals[16];
    Sub sub;
    Sub subs[2];
    Sub *subp;
    Sub vsub;
    Sub subv[4];
    Sub *ptrs[3];
    QEMUTimer *timer;
    QEMUTimer *timers[2];
    uint8_t buf[32];
    uint8_t *vbuf;
    uint32_t vbuf_len;
    unsigned long *bitmap;
    int32_t bitmap_bits;
    QTAILQ_HEAD(, Elem) queue;
    GTree *tree;
    MACAddr mac;
    Fifo8 fifo;
    ptimer_state *ptimer;
    Clock *clk;
} Dev;

static bool dev_test(void *opaque, int version_id)
{
    return true;
}

static const VMStateDescription vmstate_sub = {
    .name = "sub",
    .version_id = 2,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT64(x, Sub),
        VMSTATE_UINT8_V(y, Sub, 2),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_elem = {
    .name = "elem",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(a, Elem),
        VMSTATE_UINT16(b, Elem),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_tmp_view = {
    .name = "dev/tmp",
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(folded, TmpView),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_families = {
    .name = "families",
    .version_id = 3,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, Dev),
        VMSTATE_UINT8(u8, Dev),
        VMSTATE_INT16_V(i16, Dev, 2),
        VMSTATE_UINT32_TEST(u32, Dev, dev_test),
        VMSTATE_INT64(i64, Dev),
        VMSTATE_BOOL(flag, Dev),
        VMSTATE_UINT32_EQUAL(u32, Dev, "the register count"),
        VMSTATE_INT32_POSITIVE_LE(le, Dev),
        VMSTATE_UINT32_ARRAY(regs, Dev, NREGS),
        VMSTATE_UINT32_SUB_ARRAY(regs, Dev, 2, 4),
        VMSTATE_UINT16_2DARRAY(grid, Dev, ROWS, COLS),
        VMSTATE_UINT32(count32, Dev),
        VMSTATE_VARRAY_UINT32(vals, Dev, count32, 0, vmstate_info_uint32, uint32_t),
        VMSTATE_VARRAY_INT32(wide, Dev, count_i32, 0, vmstate_info_uint64, uint64_t),
        VMSTATE_VARRAY_UINT16_UNSAFE(inline_vals, Dev, count16, 0, vmstate_info_uint8, uint8_t),
        VMSTATE_STRUCT(sub, Dev, 0, vmstate_sub, Sub),
        VMSTATE_STRUCT_ARRAY(subs, Dev, 2, 0, vmstate_sub, Sub),
        VMSTATE_STRUCT_POINTER(subp, Dev, vmstate_sub, Sub),
        VMSTATE_VSTRUCT(vsub, Dev, vmstate_sub, Sub, 1),
        VMSTATE_STRUCT_VARRAY_UINT8(subv, Dev, count8, 0, vmstate_sub, Sub),
        VMSTATE_ARRAY_OF_POINTER_TO_STRUCT(ptrs, Dev, 3, 0, vmstate_sub, Sub),
        VMSTATE_TIMER_PTR(timer, Dev),
        VMSTATE_TIMER_PTR_ARRAY(timers, Dev, 2),
        VMSTATE_BUFFER(buf, Dev),
        VMSTATE_PARTIAL_BUFFER(buf, Dev, 16),
        VMSTATE_BUFFER_START_MIDDLE(buf, Dev, 8),
        VMSTATE_STATIC_BUFFER(buf, Dev, 1, NULL, 4, 20),
        VMSTATE_UINT32(vbuf_len, Dev),
        VMSTATE_VBUFFER_UINT32(vbuf, Dev, 0, NULL, vbuf_len),
        VMSTATE_VBUFFER_MULTIPLY(vbuf, Dev, 0, NULL, vbuf_len, 2),
        VMSTATE_UNUSED(4),
        VMSTATE_UNUSED_V(2, 6),
        VMSTATE_UNUSED_TEST(dev_test, 2),
        VMSTATE_BITMAP(bitmap, Dev, 0, bitmap_bits),
        VMSTATE_WITH_TMP(Dev, TmpView, vmstate_tmp_view),
        VMSTATE_VALIDATE("counts fit", dev_test),
        VMSTATE_QTAILQ_V(queue, Dev, 1, vmstate_elem, Elem, next),
        VMSTATE_MACADDR(mac, Dev),
        VMSTATE_FIFO8(fifo, Dev),
        VMSTATE_PTIMER(ptimer, Dev),
        VMSTATE_CLOCK(clk, Dev),
        {
            .name = "explicit",
            .version_id = 3,
            .size = sizeof(uint16_t),
            .info = &vmstate_info_uint16,
            .flags = VMS_SINGLE,
            .offset = offsetof(Dev, count16),
        },
        VMSTATE_END_OF_LIST()
    }
};
