/* A macro vmscope does not know, and a struct with a type from a header not given. */
#include "migration/vmstate.h"
#include "hw/somewhere/else.h"

typedef struct Odd {
    uint32_t known;
    MysteryType mystery;
    uint32_t after;
} Odd;

static const VMStateDescription vmstate_odd = {
    .name = "odd",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(known, Odd),
        VMSTATE_FROBNICATE(mystery, Odd, 3),
        VMSTATE_UINT32(after, Odd),
        VMSTATE_END_OF_LIST()
    }
};
