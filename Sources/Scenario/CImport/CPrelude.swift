/// What every unit sees before its first line: vmscope's model of GCC and glibc on x86-64 Linux.
/// The predefined macros a QEMU build tests, the `<stdint.h>` and `<limits.h>` macros device files
/// use in array sizes, and the few C library structs QEMU devices embed. System headers are never
/// read; add a `-D` or a `--size` when a device needs more.
enum CPrelude {
    static let text = """
        #define __x86_64__ 1
        #define __x86_64 1
        #define __amd64__ 1
        #define __amd64 1
        #define __linux__ 1
        #define __linux 1
        #define __unix__ 1
        #define __unix 1
        #define __gnu_linux__ 1
        #define __ELF__ 1
        #define __GNUC__ 12
        #define __GNUC_MINOR__ 2
        #define __GNUC_PATCHLEVEL__ 0
        #define __STDC__ 1
        #define __STDC_VERSION__ 201112L
        #define __STDC_HOSTED__ 1
        #define __CHAR_BIT__ 8
        #define __SIZEOF_POINTER__ 8
        #define __SIZEOF_LONG__ 8
        #define __SIZEOF_INT__ 4
        #define __SIZEOF_LONG_LONG__ 8
        #define __SIZEOF_SHORT__ 2
        #define __SIZEOF_INT128__ 16
        #define __SIZEOF_FLOAT__ 4
        #define __SIZEOF_DOUBLE__ 8
        #define __SIZEOF_LONG_DOUBLE__ 16
        #define __SIZEOF_SIZE_T__ 8
        #define __LP64__ 1
        #define _LP64 1
        #define __ORDER_LITTLE_ENDIAN__ 1234
        #define __ORDER_BIG_ENDIAN__ 4321
        #define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__
        #define __BIGGEST_ALIGNMENT__ 16
        #define __LITTLE_ENDIAN 1234
        #define __BIG_ENDIAN 4321
        #define __BYTE_ORDER __LITTLE_ENDIAN
        #define CHAR_BIT 8
        #define SCHAR_MIN (-128)
        #define SCHAR_MAX 127
        #define UCHAR_MAX 255
        #define CHAR_MIN SCHAR_MIN
        #define CHAR_MAX SCHAR_MAX
        #define SHRT_MIN (-32768)
        #define SHRT_MAX 32767
        #define USHRT_MAX 65535
        #define INT_MIN (-INT_MAX - 1)
        #define INT_MAX 2147483647
        #define UINT_MAX 4294967295U
        #define LONG_MAX 9223372036854775807L
        #define LONG_MIN (-LONG_MAX - 1L)
        #define ULONG_MAX 18446744073709551615UL
        #define LLONG_MAX LONG_MAX
        #define ULLONG_MAX ULONG_MAX
        #define INT8_C(c) c
        #define INT16_C(c) c
        #define INT32_C(c) c
        #define INT64_C(c) c ## L
        #define UINT8_C(c) c
        #define UINT16_C(c) c
        #define UINT32_C(c) c ## U
        #define UINT64_C(c) c ## UL
        #define INT8_MIN (-128)
        #define INT16_MIN (-32767-1)
        #define INT32_MIN (-2147483647-1)
        #define INT64_MIN (-INT64_C(9223372036854775807)-1)
        #define INT8_MAX 127
        #define INT16_MAX 32767
        #define INT32_MAX 2147483647
        #define INT64_MAX INT64_C(9223372036854775807)
        #define UINT8_MAX 255
        #define UINT16_MAX 65535
        #define UINT32_MAX 4294967295U
        #define UINT64_MAX UINT64_C(18446744073709551615)
        #define SIZE_MAX UINT64_MAX
        #define PATH_MAX 4096
        #define IFNAMSIZ 16
        #define ETH_ALEN 6
        struct tm {
            int tm_sec; int tm_min; int tm_hour; int tm_mday; int tm_mon; int tm_year; int tm_wday; int tm_yday;
            int tm_isdst; long tm_gmtoff; const char *tm_zone;
        };
        struct iovec { void *iov_base; size_t iov_len; };
        struct timeval { long tv_sec; long tv_usec; };
        struct timespec { long tv_sec; long tv_nsec; };

        """
}
