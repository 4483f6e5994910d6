// MigrationStream: QEMU migration stream container, RAM records, vmdesc and the dump.
