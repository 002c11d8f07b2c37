package csig

/*
#include <stdlib.h>
#include <csig.h>
#include <csig/scan.h>
*/
import "C"

import (
	"errors"
	"time"
	"unsafe"
)

// SniffKind is what Sniff recognised.
type SniffKind int

const (
	SniffUnknown     SniffKind = C.CSIG_SNIFF_UNKNOWN
	SniffMachO       SniffKind = C.CSIG_SNIFF_MACHO
	SniffFat         SniffKind = C.CSIG_SNIFF_FAT
	SniffProfileCMS  SniffKind = C.CSIG_SNIFF_PROFILE_CMS
	SniffPlist       SniffKind = C.CSIG_SNIFF_PLIST
	SniffZip         SniffKind = C.CSIG_SNIFF_ZIP
	SniffRequirement SniffKind = C.CSIG_SNIFF_REQUIREMENT
	SniffSignature   SniffKind = C.CSIG_SNIFF_SIGNATURE
)

// SniffPrefix is how many leading bytes Sniff needs to recognise everything.
const SniffPrefix = C.CSIG_SNIFF_PREFIX

// String is the library's name: "macho", "fat", "profile-cms", ...
func (k SniffKind) String() string { return goStr(C.csig_sniff_name(C.int(k))) }

// Sniff recognises a file by its first bytes (pass at least SniffPrefix
// when the file is that long); SniffUnknown for anything else.
func Sniff(prefix []byte) SniffKind {
	var k C.int
	cBytes(prefix, func(p unsafe.Pointer, n C.size_t) { k = C.csig_sniff(p, n) })
	return SniffKind(k)
}

func scanFlags(pretty bool) C.uint {
	if pretty {
		return C.CSIG_SCAN_JSON_PRETTY
	}
	return 0
}

// scanPath is a C copy of path, or NULL for "" (the record then has no
// "path"); free it with C.free.
func scanPath(path string) *C.char {
	if path == "" {
		return nil
	}
	return C.CString(path)
}

type scanCall func(path *C.char, out **C.char, n *C.size_t, e *C.csig_error) C.int

func scanJSON(path string, call scanCall) ([]byte, error) {
	cp := scanPath(path)
	defer C.free(unsafe.Pointer(cp))
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := call(cp, &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}

// ScanJSON is the one-line `csig scan` record of the file ("type":
// "macho"), with the verdict of vr when it is not nil (a result of
// f.Verify).  path is printed as given ("" leaves it out).  With pretty the
// record is indented (and no longer one line).
func (f *File) ScanJSON(path string, vr *VerifyResult, pretty bool) ([]byte, error) {
	hs := []*handle{f.h}
	if vr != nil {
		hs = append(hs, &vr.h)
	}
	release, ok := acquireAll(hs...)
	if !ok {
		return nil, ErrClosed
	}
	defer release()
	var cvr *C.csig_verify_result
	if vr != nil {
		cvr = vr.p
	}
	return scanJSON(path, func(p *C.char, out **C.char, n *C.size_t, e *C.csig_error) C.int {
		return C.csig_scan_record_json(f.p, p, cvr, scanFlags(pretty), out, n, e)
	})
}

// ScanJSON is the `csig scan` record of the profile ("type": "profile"),
// judged at time at (the zero time means now).
func (p *Profile) ScanJSON(path string, at time.Time, pretty bool) ([]byte, error) {
	if !p.h.acquire() {
		return nil, ErrClosed
	}
	defer p.h.release()
	return scanJSON(path, func(cp *C.char, out **C.char, n *C.size_t, e *C.csig_error) C.int {
		return C.csig_scan_profile_json(p.p, cp, C.int64_t(unixOrZero(at)), scanFlags(pretty), out, n, e)
	})
}

// ScanJSON is the `csig scan` record of the bundle ("type": "bundle" or
// "ipa"), with the verdict of r when it is not nil (a result of b.Verify).
func (b *Bundle) ScanJSON(path string, r *BundleResult, pretty bool) ([]byte, error) {
	hs := []*handle{b.h}
	if r != nil {
		hs = append(hs, &r.h)
	}
	release, ok := acquireAll(hs...)
	if !ok {
		return nil, ErrClosed
	}
	defer release()
	var cr *C.csig_bundle_result
	if r != nil {
		cr = r.p
	}
	return scanJSON(path, func(p *C.char, out **C.char, n *C.size_t, e *C.csig_error) C.int {
		return C.csig_scan_bundle_json(b.p, p, cr, scanFlags(pretty), out, n, e)
	})
}

// ScanErrorJSON is the `csig scan` record of an item that could not be
// read ("type": "error").  A *Error gives its code, message and offset; any
// other error (e.g. an *os.PathError) is reported as CSIG_E_IO with its
// text.
func ScanErrorJSON(path string, err error, pretty bool) ([]byte, error) {
	if err == nil {
		return nil, ErrInval
	}
	var detail C.csig_error
	var ce *Error
	if errors.As(err, &ce) {
		detail.code = C.int(ce.Code)
		detail.offset = C.uint64_t(ce.Offset)
		setErrMsg(&detail, ce.Msg)
	} else {
		detail.code = C.int(CodeIO)
		setErrMsg(&detail, err.Error())
	}
	return scanJSON(path, func(p *C.char, out **C.char, n *C.size_t, e *C.csig_error) C.int {
		return C.csig_scan_error_json(p, detail.code, &detail, scanFlags(pretty), out, n, e)
	})
}

// setErrMsg copies msg, cut to fit and NUL-terminated, into e.msg.
func setErrMsg(e *C.csig_error, msg string) {
	max := len(e.msg) - 1
	if len(msg) > max {
		msg = msg[:max]
	}
	for i := 0; i < len(msg); i++ {
		e.msg[i] = C.char(msg[i])
		if msg[i] == 0 {
			return
		}
	}
	e.msg[len(msg)] = 0
}

// ScanCounts are the totals of a scan, for ScanSummaryJSON.
type ScanCounts struct {
	Files       uint64        // regular files looked at
	Bytes       uint64        // their total size
	Records     uint64        // item records written (errors included)
	MachO       uint64        // "macho" records
	Profiles    uint64        // "profile" records
	Bundles     uint64        // "bundle" and "ipa" records
	Other       uint64        // files recognised as nothing reported on
	Errors      uint64        // "error" records
	Skipped     uint64        // symbolic links, special files, other mounts
	Valid       uint64        // verdicts, when verified
	Invalid     uint64        //
	BytesHashed uint64        // by verification
	Elapsed     time.Duration // wall time of the scan
	Jobs        uint          // worker threads
	Verified    bool          // the items were verified
}

// ScanSummaryJSON is the closing "type": "summary" record of a scan.
func ScanSummaryJSON(c ScanCounts, pretty bool) ([]byte, error) {
	cc := C.csig_scan_counts{
		version:      C.CSIG_SCAN_COUNTS_VERSION,
		files:        C.uint64_t(c.Files),
		bytes:        C.uint64_t(c.Bytes),
		records:      C.uint64_t(c.Records),
		macho:        C.uint64_t(c.MachO),
		profiles:     C.uint64_t(c.Profiles),
		bundles:      C.uint64_t(c.Bundles),
		other:        C.uint64_t(c.Other),
		errors:       C.uint64_t(c.Errors),
		skipped:      C.uint64_t(c.Skipped),
		valid:        C.uint64_t(c.Valid),
		invalid:      C.uint64_t(c.Invalid),
		bytes_hashed: C.uint64_t(c.BytesHashed),
		seconds:      C.double(c.Elapsed.Seconds()),
	}
	if uint64(c.Jobs) > uint64(^C.uint(0)) {
		return nil, ErrInval
	}
	cc.jobs = C.uint(c.Jobs)
	if c.Verified {
		cc.verified = 1
	}
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_scan_summary_json(&cc, scanFlags(pretty), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}
