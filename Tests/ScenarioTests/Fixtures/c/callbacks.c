/* C callbacks vmscope cannot run: needed, field tests and hooks become switches. */
#include "migration/vmstate.h"

typedef struct Cb {
    uint32_t always;
    uint32_t sometimes;
    uint32_t extra;
} Cb;

static bool cb_sometimes_exists(void *opaque, int version_id) { return version_id > 1; }
static bool cb_extra_needed(void *opaque) { return false; }
static int cb_pre_load(void *opaque) { return 0; }
static int cb_post_load(void *opaque, int version_id) { return 0; }
static int cb_pre_save(void *opaque) { return 0; }

static const VMStateDescription vmstate_cb_extra = {
    .name = "cb/extra",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = cb_extra_needed,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(extra, Cb),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_cb = {
    .name = "cb",
    .version_id = 2,
    .minimum_version_id = 1,
    .pre_load = cb_pre_load,
    .post_load = cb_post_load,
    .pre_save = cb_pre_save,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(always, Cb),
        VMSTATE_UINT32_TEST(sometimes, Cb, cb_sometimes_exists),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription*[]) {
        &vmstate_cb_extra,
        NULL
    }
};
