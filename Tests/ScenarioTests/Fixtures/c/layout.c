/* Layouts vmscope must get as GCC does on x86-64: padding, bit-fields, packed and aligned
 * structs, anonymous unions, nested arrays, enums and function pointers. */
#include <stdint.h>
#include <stdbool.h>

typedef enum { MODE_OFF, MODE_ON = 7 } Mode;

typedef struct Padded {
    uint8_t a;
    uint64_t b;
    uint16_t c;
} Padded;

typedef struct Bits {
    uint32_t x : 3;
    uint32_t y : 30;
    uint8_t z;
    uint16_t : 0;
    uint8_t w : 4;
} Bits;

typedef struct __attribute__((packed)) Packed {
    uint8_t a;
    uint32_t b;
    uint16_t c;
} Packed;

typedef struct Aligned {
    uint8_t a;
    uint32_t b __attribute__((aligned(16)));
} __attribute__((aligned(32))) Aligned;

typedef struct WithUnion {
    uint16_t tag;
    union {
        uint32_t raw;
        struct {
            uint16_t lo;
            uint16_t hi;
        };
    };
    uint8_t grid[3][5];
    Mode mode;
    void (*callback)(void *opaque);
    Padded inner[2];
    bool flag;
} WithUnion;

/* gcc -c layout.c && check: sizes in the test. */
_Static_assert(sizeof(Padded) == 24, "Padded");
_Static_assert(sizeof(Bits) == 12, "Bits");
_Static_assert(sizeof(Packed) == 7, "Packed");
_Static_assert(sizeof(Aligned) == 32, "Aligned");
_Static_assert(__builtin_offsetof(Aligned, b) == 16, "Aligned.b");
_Static_assert(sizeof(WithUnion) == 96, "WithUnion");
_Static_assert(__builtin_offsetof(WithUnion, hi) == 6, "WithUnion.hi");
_Static_assert(__builtin_offsetof(WithUnion, grid) == 8, "WithUnion.grid");
_Static_assert(__builtin_offsetof(WithUnion, mode) == 24, "WithUnion.mode");
_Static_assert(__builtin_offsetof(WithUnion, callback) == 32, "WithUnion.callback");
_Static_assert(__builtin_offsetof(WithUnion, inner) == 40, "WithUnion.inner");
_Static_assert(__builtin_offsetof(WithUnion, flag) == 88, "WithUnion.flag");
