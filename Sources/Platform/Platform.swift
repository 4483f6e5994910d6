// The C library and Foundation for the command's files, in one import. On Linux the command
// takes FoundationEssentials, which leaves ICU and CoreFoundation out of the static binary;
// Apple platforms have only Foundation.
#if canImport(FoundationEssentials)
    @_exported import FoundationEssentials
#else
    @_exported import Foundation
#endif

#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Darwin)
    @_exported import Darwin
#endif
