#!/usr/bin/env bash
# Measures the sizes of QEMU's own types with GCC against QEMU's headers, for the table in
# Sources/Scenario/CImport/QEMUTypeSizes.swift. Prints one Swift tuple a line:
#     ("MemoryRegion", 272, 16),
#
# Needs QEMU's source (QEMU_SRC, default: the first /tmp/qemu-* holding hw/), gcc, python3 and
# the GLib and pixman development headers (apt-get install libglib2.0-dev libpixman-1-dev).
# The build configuration is a minimal stand-in for Debian's (a Linux host, SPICE, 128-bit
# integers); QAPI's headers are generated from the source. Nothing is written outside a
# temporary directory.
set -euo pipefail

if [ -z "${QEMU_SRC:-}" ]; then
    for candidate in /tmp/qemu-*/; do
        [ -d "$candidate/hw" ] && QEMU_SRC=${candidate%/} && break
    done
fi
[ -n "${QEMU_SRC:-}" ] || { echo "measure-qemu-types: set QEMU_SRC" >&2; exit 2; }

types=(
    QEMUTimer MemoryRegion MemoryRegionSection AddressSpace FlatView Object DeviceState BusState SysBusDevice
    PCIDevice PCIBus PCIExpressDevice PCIEAERLog PCIEAERErr PCIESlot PCIEPort PCIBridge PCIBridgeWindows
    PCIIORegion MSIMessage ISADevice ISABus USBDevice USBPort USBPacket USBEndpoint USBBus I2CSlave I2CBus
    SMBusDevice SSIPeripheral SCSIDevice SCSIBus SCSIRequest IDEBus IDEState IDEDevice IDEDMA BlockConf
    CharBackend NICConf MACAddr NICState NetClientState Fifo8 Fifo32 PortioList MemoryRegionPortio QEMUSGList
    QEMUIOVector QemuMutex QemuRecMutex QemuCond QemuSemaphore QemuEvent QemuThread QemuSpin QemuLockCnt
    Notifier NotifierList NotifierWithReturn EventNotifier VirtIODevice VirtQueueElement CPUState Clock
    HIDState QemuUUID Int128 QEMUCursor Chardev AioContext IOMMUMemoryRegion IOMMUNotifier GPtrArray GArray
    GQueue GByteArray GSList GList IPackDevice CPUHotplugState MemHotplugState AcpiPciHpPciStatus PMBusDevice
    AcpiPciHpState
)
headers=(
    exec/memory.h hw/qdev-core.h hw/sysbus.h hw/pci/pci.h hw/pci/pci_bus.h hw/pci/pci_bridge.h hw/pci/pcie.h
    hw/pci/pcie_port.h hw/pci/msi.h hw/isa/isa.h hw/usb.h hw/i2c/i2c.h hw/i2c/smbus_slave.h hw/ssi/ssi.h
    hw/scsi/scsi.h hw/ide/internal.h hw/block/block.h chardev/char-fe.h net/net.h qemu/fifo8.h qemu/fifo32.h
    exec/ioport.h sysemu/dma.h qemu/timer.h qemu/thread.h qemu/notify.h qemu/event_notifier.h
    hw/virtio/virtio.h hw/core/cpu.h hw/clock.h hw/ptimer.h hw/input/hid.h qemu/uuid.h qemu/int128.h
    ui/console.h sysemu/runstate.h chardev/char.h block/aio.h hw/irq.h qemu/queue.h hw/ipack/ipack.h
    hw/acpi/cpu.h hw/acpi/memory_hotplug.h hw/acpi/pcihp.h hw/i2c/pmbus_device.h
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$QEMU_SRC/scripts/qapi-gen.py" -o "$work/qapi" -b "$QEMU_SRC/qapi/qapi-schema.json" >/dev/null
cat > "$work/config-host.h" <<'CONFIG'
#define CONFIG_LINUX 1
#define CONFIG_POSIX 1
#define CONFIG_INT128 1
#define CONFIG_ATOMIC64 1
#define CONFIG_CMPXCHG128 1
#define HOST_X86_64 1
#define CONFIG_SPICE 1
#define CONFIG_EVENTFD 1
#define CONFIG_IOVEC 1
#define CONFIG_TCG 1
#define QEMU_VERSION "7.2.0"
#define QEMU_VERSION_MAJOR 7
#define QEMU_VERSION_MINOR 2
#define QEMU_VERSION_MICRO 0
CONFIG
touch "$work/config-poison.h"
{
    echo '#include "qemu/osdep.h"'
    for header in "${headers[@]}"; do echo "#include \"$header\""; done
    echo '#include <stdio.h>'
    echo 'int main(void) {'
    for type in "${types[@]}"; do
        echo "    printf(\"        (\\\"$type\\\", %zu, %zu),\\n\", sizeof($type), _Alignof($type));"
    done
    echo '    return 0;'
    echo '}'
} > "$work/measure.c"
gcc -m64 -std=gnu11 -I"$work" -I"$QEMU_SRC/include" -I"$QEMU_SRC" -I"$QEMU_SRC/linux-headers" \
    $(pkg-config --cflags glib-2.0 pixman-1) "$work/measure.c" -o "$work/measure"
"$work/measure"
