/* Subsection lists in QEMU's spellings: the compound literal before QEMU 8.2
 * `(const VMStateDescription*[])`, the newer `(const VMStateDescription * const [])`, and a
 * list kept in an array of its own. */
#include "migration/vmstate.h"

typedef struct Port {
    uint32_t a;
    uint32_t b;
    uint32_t c;
} Port;

static bool port_b_needed(void *opaque) { return true; }

static const VMStateDescription vmstate_port_b = {
    .name = "port/b",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = port_b_needed,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(b, Port),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_port_c = {
    .name = "port/c",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(c, Port),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_port_old = {
    .name = "port",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(a, Port),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription*[]) {
        &vmstate_port_b,
        &vmstate_port_c,
        NULL
    }
};

static const VMStateDescription vmstate_port_new = {
    .name = "port-new",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(a, Port),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_port_b,
        &vmstate_port_c,
        NULL
    },
};

static const VMStateField port_fields[] = {
    VMSTATE_UINT32(a, Port),
    VMSTATE_END_OF_LIST()
};

static const VMStateDescription *const port_subsections[] = {
    &vmstate_port_c,
    NULL
};

static const VMStateDescription vmstate_port_arrays = {
    .name = "port-arrays",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = port_fields,
    .subsections = port_subsections,
};

static const VMStateDescription vmstate_port_empty = {
    .name = "port-empty",
    .version_id = 1,
    .minimum_version_id = 1,
    .subsections = (const VMStateDescription * const []) {
        NULL
    },
};
