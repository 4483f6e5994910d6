/* Found through -I: register counts and a local field macro. */
#ifndef REGS_H
#define REGS_H

#define REG_SHIFT 2
#define NR_REGS ((0x40 >> REG_SHIFT) + EXTRA_REGS)
#ifdef CONFIG_BIG
#define EXTRA_REGS 16
#else
#define EXTRA_REGS 4
#endif

#define DEV_VERSION(major, minor) ((major) * 10 + (minor))
#define VMSTATE_REG_BANK(_f, _s) VMSTATE_UINT32_ARRAY(_f, _s, NR_REGS)
#define TYPE_TIMER_DEV "timer-dev"

enum TimerIndex {
    TIMER_A,
    TIMER_B = 3,
    TIMER_C,
    TIMER_MAX,
};

#endif
