#!/usr/bin/env python3
"""Extract the CMS signature (slot 0x10000) and the slot-0 CodeDirectory of
every Mach-O slice in a file, without depending on libcsig's Mach-O module.

usage: extract_cms.py FILE OUTDIR   ->  OUTDIR/<n>.cms and OUTDIR/<n>.cd
Only for producing test inputs and cross-checks with the openssl CLI.
"""
import struct
import sys
import os


def slices(data):
    magic = struct.unpack('>I', data[:4])[0]
    if magic in (0xcafebabe, 0xcafebabf):
        n = struct.unpack('>I', data[4:8])[0]
        for i in range(n):
            if magic == 0xcafebabe:
                _, _, off, size, _ = struct.unpack('>5I', data[8 + 20 * i:28 + 20 * i])
            else:
                _, _, off, size, _, _ = struct.unpack('>iiQQII', data[8 + 32 * i:40 + 32 * i])
            yield data[off:off + size]
    else:
        yield data


def code_signature(sl):
    magic = struct.unpack('<I', sl[:4])[0]
    if magic == 0xfeedfacf:
        hdr = 32
    elif magic == 0xfeedface:
        hdr = 28
    else:
        return None
    ncmds = struct.unpack('<I', sl[16:20])[0]
    off = hdr
    for _ in range(ncmds):
        cmd, size = struct.unpack('<II', sl[off:off + 8])
        if cmd == 0x1d:
            dataoff, datasize = struct.unpack('<II', sl[off + 8:off + 16])
            return sl[dataoff:dataoff + datasize]
        off += size
    return None


def blobs(sb):
    magic, length, count = struct.unpack('>III', sb[:12])
    if magic != 0xfade0cc0:
        return {}
    out = {}
    for i in range(count):
        typ, off = struct.unpack('>II', sb[12 + 8 * i:20 + 8 * i])
        blen = struct.unpack('>I', sb[off + 4:off + 8])[0]
        out[typ] = sb[off:off + blen]
    return out


def main():
    data = open(sys.argv[1], 'rb').read()
    outdir = sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for sl in slices(data):
        sig = code_signature(sl)
        if not sig:
            continue
        b = blobs(sig)
        cms = b.get(0x10000)
        if not cms or len(cms) <= 8:
            continue
        open(os.path.join(outdir, '%d.cms' % n), 'wb').write(cms[8:])
        open(os.path.join(outdir, '%d.cd' % n), 'wb').write(b[0])
        n += 1
    print(n)


if __name__ == '__main__':
    main()
