/* #define constants and expressions, function-like macros, #if on defined constants, an
 * enum for array sizes and indices, a header found through -I, a file-local VMSTATE_ macro. */
#include "qemu/osdep.h"
#include "migration/vmstate.h"
#include "regs.h"

#if NR_REGS > 16
#define HAS_MANY 1
#elif defined(NR_REGS)
#define HAS_MANY 0
#else
#error NR_REGS is not defined
#endif

#define STR(x) #x
#define GLUE(a, b) a ## b

typedef struct TimerDev {
    uint32_t regs[NR_REGS];
    uint64_t deadline[TIMER_MAX];
    uint8_t GLUE(ctl, _byte);
#if HAS_MANY
    uint32_t many;
#else
    uint16_t few;
#endif
} TimerDev;

static const VMStateDescription vmstate_timer_dev = {
    .name = TYPE_TIMER_DEV "/" STR(v2),
    .version_id = DEV_VERSION(2, 1),
    .minimum_version_id = DEV_VERSION(1, 0),
    .fields = (VMStateField[]) {
        VMSTATE_REG_BANK(regs, TimerDev),
        VMSTATE_UINT64_ARRAY(deadline, TimerDev, TIMER_MAX),
        VMSTATE_UINT64(deadline[TIMER_B], TimerDev),
        VMSTATE_UINT8(ctl_byte, TimerDev),
#if HAS_MANY
        VMSTATE_UINT32(many, TimerDev),
#else
        VMSTATE_UINT16(few, TimerDev),
#endif
        VMSTATE_END_OF_LIST()
    }
};
