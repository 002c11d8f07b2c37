#!/usr/bin/env python3
"""Generate the property-list fixtures under testdata/plist/.

    python3 testdata/plist/gen.py   (deterministic; rewrites the files)

good/NNN.xml and good/NNN.bplist hold the same random document written by
Python's plistlib (XML and binary); good/NNN.flat is the expectation in a
line format the C test reproduces from the parsed tree (preorder):

    D <count>        dict, then per entry "K <hex key>" and the value
    A <count>        array, then the items
    S <hex>          string (UTF-8)       B <hex>   data
    I <decimal>      integer              R <hex>   real (IEEE-754 bits)
    T / F            bool                 Q <int>   date, Unix seconds
    U <decimal>      UID (binary only)

bad/* are hostile documents; bad/MANIFEST lists "file CSIG_E_NAME" per line.
"""
import datetime
import os
import plistlib
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = datetime.datetime(1970, 1, 1)


def rstr(rng, alphabet_kind):
    n = rng.randint(0, 12)
    out = []
    for _ in range(n):
        k = rng.random()
        if alphabet_kind == 'ascii' or k < 0.6:
            out.append(chr(rng.randint(0x20, 0x7e)))
        elif k < 0.75:
            out.append(rng.choice('<>&"\'\u00e9\u00df'))
        elif k < 0.9:
            out.append(chr(rng.randint(0xa0, 0xd7ff)))
        else:
            out.append(chr(rng.randint(0x10000, 0x10ffff)))
    return ''.join(out)


def rval(rng, depth, binary):
    kinds = ['str', 'int', 'real', 'bool', 'date', 'data']
    if binary:
        kinds.append('uid')
    if depth < 4:
        kinds += ['dict', 'array', 'dict']
    k = rng.choice(kinds)
    if k == 'str':
        return rstr(rng, 'any')
    if k == 'int':
        return rng.choice([
            rng.randint(-5, 300), rng.randint(-2**63, 2**63 - 1),
            rng.randint(2**63, 2**64 - 1), -2**63, 2**64 - 1, 255, 256, 65535,
            65536, 2**32 - 1, 2**32, -1])
    if k == 'real':
        return rng.choice([rng.uniform(-1e6, 1e6), 0.5, -0.0, 1e300,
                           float('inf'), rng.random() * 1e-300])
    if k == 'bool':
        return rng.random() < 0.5
    if k == 'date':
        return EPOCH + datetime.timedelta(seconds=rng.randint(-2208988800, 4102444800))
    if k == 'data':
        return bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 40)))
    if k == 'uid':
        return plistlib.UID(rng.randint(0, 2**32))
    if k == 'array':
        return [rval(rng, depth + 1, binary) for _ in range(rng.randint(0, 5))]
    d = {}
    for _ in range(rng.randint(0, 6)):
        d[rstr(rng, 'any' if rng.random() < 0.4 else 'ascii')] = rval(rng, depth + 1, binary)
    return d


def flat(v, out):
    if isinstance(v, dict):
        out.append('D %d' % len(v))
        for k, x in v.items():
            out.append('K ' + k.encode('utf-8').hex())
            flat(x, out)
    elif isinstance(v, list):
        out.append('A %d' % len(v))
        for x in v:
            flat(x, out)
    elif isinstance(v, bool):
        out.append('T' if v else 'F')
    elif isinstance(v, plistlib.UID):
        out.append('U %d' % v.data)
    elif isinstance(v, int):
        out.append('I %d' % v)
    elif isinstance(v, float):
        out.append('R ' + struct.pack('>d', v).hex())
    elif isinstance(v, str):
        out.append('S ' + v.encode('utf-8').hex())
    elif isinstance(v, bytes):
        out.append('B ' + v.hex())
    elif isinstance(v, datetime.datetime):
        out.append('Q %d' % int((v - EPOCH).total_seconds()))
    else:
        raise TypeError(v)


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def good():
    d = os.path.join(HERE, 'good')
    os.makedirs(d, exist_ok=True)
    rng = random.Random(20240517)
    for i in range(25):
        binary_only = i % 5 == 4  # some documents with UIDs
        doc = {}
        for _ in range(rng.randint(1, 8)):
            doc[rstr(rng, 'ascii')] = rval(rng, 1, binary_only)
        if i == 0:
            doc = {}
        if i % 7 == 3:  # a non-dict root
            doc = [doc, 'x', 42]
        sort = i % 2 == 0
        bin_bytes = plistlib.dumps(doc, fmt=plistlib.FMT_BINARY, sort_keys=sort)
        # the expectation follows the file's key order (sort_keys reorders)
        lines = []
        flat(plistlib.loads(bin_bytes), lines)
        write(os.path.join(d, '%03d.flat' % i), ('\n'.join(lines) + '\n').encode())
        write(os.path.join(d, '%03d.bplist' % i), bin_bytes)
        if not binary_only:
            xml = plistlib.dumps(doc, fmt=plistlib.FMT_XML, sort_keys=sort)
            check = []
            flat(plistlib.loads(xml), check)
            assert check == lines
            write(os.path.join(d, '%03d.xml' % i), xml)


def bplist(objects, top=0, offsz=None, refsz=1, nobj=None, tabo=None):
    """Assemble a binary plist from raw object byte strings."""
    body = b'bplist00'
    offs = []
    for o in objects:
        offs.append(len(body))
        body += o
    if offsz is None:
        offsz = 1 if len(body) < 256 else 2
    table_at = len(body)
    for o in offs:
        body += o.to_bytes(offsz, 'big')
    n = len(objects) if nobj is None else nobj
    t = table_at if tabo is None else tabo
    body += b'\0' * 6 + bytes([offsz, refsz]) + struct.pack('>QQQ', n, top, t)
    return body


def bad():
    d = os.path.join(HERE, 'bad')
    os.makedirs(d, exist_ok=True)
    man = []

    def add(name, data, code):
        write(os.path.join(d, name), data)
        man.append('%s %s' % (name, code))

    # binary
    add('bp_cycle.bplist', bplist([b'\xa1\x00']), 'CSIG_E_BADVALUE')
    add('bp_cycle2.bplist', bplist([b'\xa1\x01', b'\xa1\x00']), 'CSIG_E_BADVALUE')
    add('bp_ref_range.bplist', bplist([b'\xa1\x05']), 'CSIG_E_BADOFFSET')
    add('bp_huge_count.bplist',
        bplist([b'\xaf\x13' + (2**60).to_bytes(8, 'big') + b'\x00']), 'CSIG_E_TRUNCATED')
    add('bp_huge_string.bplist',
        bplist([b'\x5f\x12' + (2**31).to_bytes(4, 'big') + b'ab']), 'CSIG_E_TRUNCATED')
    add('bp_table_range.bplist', bplist([b'\x09'], tabo=0xffffffff), 'CSIG_E_BADOFFSET')
    add('bp_table_wrap.bplist', bplist([b'\x09'], nobj=2**63), 'CSIG_E_BADOFFSET')
    add('bp_top_range.bplist', bplist([b'\x09'], top=3), 'CSIG_E_BADVALUE')
    add('bp_offsz0.bplist', bplist([b'\x09'], offsz=1)[:-26] + b'\x00' +
        bplist([b'\x09'], offsz=1)[-25:], 'CSIG_E_BADVALUE')
    add('bp_obj_in_table.bplist',
        b'bplist00\x09\x0a' + b'\0' * 6 + b'\x01\x01' + struct.pack('>QQQ', 1, 0, 9),
        'CSIG_E_BADOFFSET')
    # exponential sharing: level i is an array of two refs to level i-1
    objs = [b'\x09'] + [b'\xa2' + bytes([i, i]) for i in range(40)]
    add('bp_laughs.bplist', bplist(objs, top=40), 'CSIG_E_LIMIT')
    objs = [b'\x09'] + [b'\xa1' + bytes([i]) for i in range(100)]
    add('bp_deep.bplist', bplist(objs, top=100), 'CSIG_E_DEPTH')
    add('bp_int128.bplist', bplist([b'\x14' + b'\x01' + b'\0' * 15]), 'CSIG_E_OVERFLOW')
    add('bp_null.bplist', bplist([b'\x00']), 'CSIG_E_UNSUPPORTED')
    add('bp_intkey.bplist', bplist([b'\xd1\x01\x02', b'\x10\x05', b'\x09']), 'CSIG_E_BADVALUE')
    add('bp_short.bplist', b'bplist00\x09', 'CSIG_E_TRUNCATED')
    add('bp_version.bplist', b'bplist01' + b'\0' * 40, 'CSIG_E_UNSUPPORTED')
    add('bp_real_size.bplist', bplist([b'\x21\0\0']), 'CSIG_E_BADVALUE')
    # XML
    add('xml_deep.xml', b'<plist>' + b'<array>' * 100 + b'</array>' * 100 + b'</plist>',
        'CSIG_E_DEPTH')
    add('xml_unterminated.xml', b'<plist><dict><key>a</key><string>x', 'CSIG_E_SYNTAX')
    add('xml_mismatch.xml', b'<plist><array></dict></plist>', 'CSIG_E_SYNTAX')
    add('xml_entity.xml', b'<plist><string>&bogus;</string></plist>', 'CSIG_E_SYNTAX')
    add('xml_charref.xml', b'<plist><string>&#xD800;</string></plist>', 'CSIG_E_BADVALUE')
    add('xml_int_overflow.xml', b'<plist><integer>18446744073709551616</integer></plist>',
        'CSIG_E_OVERFLOW')
    add('xml_int_neg_overflow.xml',
        b'<plist><integer>-9223372036854775809</integer></plist>', 'CSIG_E_OVERFLOW')
    add('xml_bad_int.xml', b'<plist><integer>12z</integer></plist>', 'CSIG_E_BADVALUE')
    add('xml_bad_date.xml', b'<plist><date>2020-13-01T00:00:00Z</date></plist>',
        'CSIG_E_BADVALUE')
    add('xml_key_no_value.xml', b'<plist><dict><key>a</key></dict></plist>', 'CSIG_E_SYNTAX')
    add('xml_value_no_key.xml', b'<plist><dict><string>a</string></dict></plist>',
        'CSIG_E_SYNTAX')
    add('xml_two_values.xml', b'<plist><true/><false/></plist>', 'CSIG_E_SYNTAX')
    add('xml_empty_plist.xml', b'<plist/>', 'CSIG_E_SYNTAX')
    add('xml_comment_eof.xml', b'<plist><!-- never ends', 'CSIG_E_SYNTAX')
    # DER
    add('der_indefinite.der', bytes.fromhex('7080020101b000'), 'CSIG_E_BADVALUE')
    add('der_len_range.der', bytes.fromhex('7005020101b005'), 'CSIG_E_TRUNCATED')
    add('der_high_tag.der', bytes.fromhex('7006020101bf1000'), 'CSIG_E_UNSUPPORTED')
    add('der_int_big.der',
        bytes.fromhex('7016020101b011300f0c0161020a01020304050607080910'), 'CSIG_E_OVERFLOW')
    add('der_trailing.der', bytes.fromhex('7005020101b00000'), 'CSIG_E_TRAILING')
    add('der_array_root.der', bytes.fromhex('7005020101 3000'.replace(' ', '')), 'CSIG_E_BADVALUE')
    # depth bomb: nested arrays with long-form lengths
    inner = b'\x01\x01\xff'
    for _ in range(80):
        n = len(inner)
        inner = b'\x30\x82' + n.to_bytes(2, 'big') + inner
    ent = b'\x30' + b'\x82' + (len(inner) + 3).to_bytes(2, 'big') + b'\x0c\x01k' + inner
    dct = b'\xb0\x82' + len(ent).to_bytes(2, 'big') + ent
    body = b'\x02\x01\x01' + dct
    add('der_deep.der', b'\x70\x82' + len(body).to_bytes(2, 'big') + body, 'CSIG_E_DEPTH')
    add('der_key_tag.der', bytes.fromhex('700d020101b00830060201010101ff'), 'CSIG_E_BADVALUE')
    add('der_empty_int.der', bytes.fromhex('700c020101b00730050c01610200'), 'CSIG_E_BADVALUE')
    add('der_no_value.der', bytes.fromhex('7005020101'), 'CSIG_E_TRUNCATED')
    with open(os.path.join(d, 'MANIFEST'), 'w') as f:
        f.write('\n'.join(man) + '\n')


if __name__ == '__main__':
    good()
    bad()
