#!/usr/bin/python3
"""Marks one symbol version that an ELF64 shared object needs (.gnu.version_r) as weak (VER_FLG_WEAK), so the dynamic
loader accepts a library that lacks it instead of refusing to load. Used only by bench/training.sh on a copy of
TorchSharp's libLibTorchSharp.so (see ios_base_library_init.c). Usage: weaken_version_need.py FILE VERSION"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def main(path, version):
    data = bytearray(open(path, "rb").read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit(f"{path}: not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    changed = 0
    for section in sections:
        if section[1] != SHT_GNU_VERNEED:
            continue
        strings = sections[section[6]][4]
        position = section[4]
        for _ in range(section[7]):
            _, count, _, aux, following = struct.unpack_from("<HHIII", data, position)
            entry = position + aux
            for _ in range(count):
                _, flags, _, name, next_entry = struct.unpack_from("<IHHII", data, entry)
                end = data.index(0, strings + name)
                if data[strings + name:end].decode() == version and not flags & VER_FLG_WEAK:
                    struct.pack_into("<H", data, entry + 4, flags | VER_FLG_WEAK)
                    changed += 1
                entry += next_entry
            position += following
    open(path, "wb").write(data)
    print(f"{path}: {version} marked weak in {changed} place(s)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
