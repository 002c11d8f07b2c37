package csig

/*
#include <stdlib.h>
#include <csig.h>
*/
import "C"

import (
	"os"
	"runtime"
	"unsafe"
)

// Zip compression methods.
const (
	ZipStored   = C.CSIG_ZIP_STORED
	ZipDeflated = C.CSIG_ZIP_DEFLATED
)

// ZipNameFlags describe an unsafe member name (ZipEntry.Suspicious).
type ZipNameFlags uint

const (
	ZipNameDotDot    ZipNameFlags = C.CSIG_ZIP_NAME_DOTDOT    // a ".." path segment
	ZipNameAbsolute  ZipNameFlags = C.CSIG_ZIP_NAME_ABSOLUTE  // starts with '/', '\' or "X:"
	ZipNameBackslash ZipNameFlags = C.CSIG_ZIP_NAME_BACKSLASH // contains '\'
	ZipNameNUL       ZipNameFlags = C.CSIG_ZIP_NAME_NUL       // contains a NUL byte
	ZipNameDuplicate ZipNameFlags = C.CSIG_ZIP_NAME_DUPLICATE // same bytes as an earlier entry
	ZipNameEmpty     ZipNameFlags = C.CSIG_ZIP_NAME_EMPTY     // zero-length name
)

// Zip limit defaults (ZipOptions may lower them, never raise them).
const (
	ZipMaxEntrySizeDefault = C.CSIG_ZIP_MAX_ENTRY_SIZE_DEFAULT
	ZipMaxRatioDefault     = C.CSIG_ZIP_MAX_RATIO_DEFAULT
	ZipRatioFloor          = C.CSIG_ZIP_RATIO_FLOOR
)

// ZipOptions lower the extraction limits; zero fields keep the defaults.
type ZipOptions struct {
	MaxRatio     uint   // uncompressed : compressed, above ZipRatioFloor bytes
	MaxEntrySize uint64 // bytes, uncompressed
}

// Zip is a zip archive (.ipa, zipped .app) read from memory; nothing is
// ever written to disk.  Close it.
type Zip struct {
	h handle
	p *C.csig_zip
}

// ParseZip opens an archive held in memory (copied).  zopts may be nil.
// Errors are ErrBadMagic (no End of Central Directory), ErrTruncated,
// ErrBadOffset, ErrOverflow, ErrBadValue (e.g. overlapping entries),
// ErrUnsupported (multi-disk), ErrLimit, ErrNoMem.
func ParseZip(data []byte, opts *Options, zopts *ZipOptions) (*Zip, error) {
	co := opts.c(C.CSIG_OPEN_COPY)
	var p *C.csig_zip
	var e C.csig_error
	var rc C.int
	cBytes(data, func(b unsafe.Pointer, n C.size_t) {
		if zopts == nil {
			rc = C.csig_zip_open(&p, b, n, &co, &e)
			return
		}
		zo := C.csig_zip_options{version: C.CSIG_ZIP_OPTIONS_VERSION}
		if uint64(zopts.MaxRatio) <= uint64(^C.uint(0)) {
			zo.max_ratio = C.uint(zopts.MaxRatio)
		}
		zo.max_entry_size = C.uint64_t(zopts.MaxEntrySize)
		rc = C.csig_zip_open_ex(&p, b, n, &co, &zo, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	z := &Zip{p: p}
	runtime.SetFinalizer(z, (*Zip).Close)
	return z, nil
}

// OpenZip reads the file at path and parses it with ParseZip.  A read
// failure is the *os.PathError.
func OpenZip(path string, zopts *ZipOptions) (*Zip, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseZip(data, nil, zopts)
}

// Close releases the archive.  Idempotent.
func (z *Zip) Close() error {
	z.h.close(func() {
		C.csig_zip_free(z.p)
		z.p = nil
	})
	runtime.SetFinalizer(z, nil)
	return nil
}

// Len is the number of central directory entries.
func (z *Zip) Len() int {
	if !z.h.acquire() {
		return 0
	}
	defer z.h.release()
	return int(C.csig_zip_count(z.p))
}

// ZipEntry is one central directory entry, copied from the library.
type ZipEntry struct {
	Index          int
	Name           string // raw bytes as stored (may hold anything, NULs included)
	Size           uint64 // declared uncompressed size
	CompressedSize uint64
	Method         uint // ZipStored, ZipDeflated or another value
	Flags          uint // general-purpose bits (0 encrypted, 3 descriptor, 11 UTF-8)
	CRC32          uint32
	Offset         uint64 // absolute offset of the local header
	Mode           uint32 // Unix st_mode, or 0 when not made on Unix
	IsDir          bool
	IsSymlink      bool
	IsEncrypted    bool
	Suspicious     ZipNameFlags // 0 when the name is safe
}

// Entry returns entry i, or ErrNotFound when out of range.
func (z *Zip) Entry(i int) (ZipEntry, error) {
	if !z.h.acquire() {
		return ZipEntry{}, ErrClosed
	}
	defer z.h.release()
	if i < 0 || C.size_t(i) >= C.csig_zip_count(z.p) {
		return ZipEntry{}, ErrNotFound
	}
	return z.entry(C.size_t(i)), nil
}

func (z *Zip) entry(i C.size_t) ZipEntry {
	return ZipEntry{
		Index:          int(i),
		Name:           string(goBytes(C.csig_zip_entry_name(z.p, i))),
		Size:           uint64(C.csig_zip_entry_size(z.p, i)),
		CompressedSize: uint64(C.csig_zip_entry_compressed_size(z.p, i)),
		Method:         uint(C.csig_zip_entry_method(z.p, i)),
		Flags:          uint(C.csig_zip_entry_flags(z.p, i)),
		CRC32:          uint32(C.csig_zip_entry_crc32(z.p, i)),
		Offset:         uint64(C.csig_zip_entry_offset(z.p, i)),
		Mode:           uint32(C.csig_zip_entry_mode(z.p, i)),
		IsDir:          C.csig_zip_entry_is_dir(z.p, i) != 0,
		IsSymlink:      C.csig_zip_entry_is_symlink(z.p, i) != 0,
		IsEncrypted:    C.csig_zip_entry_is_encrypted(z.p, i) != 0,
		Suspicious:     ZipNameFlags(C.csig_zip_entry_suspicious(z.p, i)),
	}
}

// Entries lists every entry in central directory order.
func (z *Zip) Entries() []ZipEntry {
	if !z.h.acquire() {
		return nil
	}
	defer z.h.release()
	n := C.csig_zip_count(z.p)
	out := make([]ZipEntry, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		out = append(out, z.entry(i))
	}
	return out
}

// Find returns the index of the entry named exactly name (bytewise; a
// directory's name ends in '/'; the lowest index among duplicates), or
// ErrNotFound.
func (z *Zip) Find(name string) (int, error) {
	cn := C.CString(name) // NUL-terminated copy; the length passed counts
	defer C.free(unsafe.Pointer(cn))
	if !z.h.acquire() {
		return 0, ErrClosed
	}
	defer z.h.release()
	var idx C.size_t
	if rc := C.csig_zip_find(z.p, cn, C.size_t(len(name)), &idx); rc != 0 {
		return 0, codeError(rc)
	}
	return int(idx), nil
}

// Extract inflates or copies entry i into memory after checking the local
// header, sizes, limits and CRC-32.  Errors are ErrInval (out of range),
// ErrUnsupported (encrypted, unknown method), ErrLimit (size or ratio
// above the limits, before anything is allocated), ErrBadMagic,
// ErrBadValue (including a CRC mismatch), ErrTruncated, ErrTrailing,
// ErrNoMem.
func (z *Zip) Extract(i int) ([]byte, error) {
	if !z.h.acquire() {
		return nil, ErrClosed
	}
	defer z.h.release()
	if i < 0 {
		return nil, ErrInval
	}
	var out *C.uint8_t
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_zip_extract(z.p, C.size_t(i), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	defer C.csig_free(unsafe.Pointer(out))
	return goBytesPtr(unsafe.Pointer(out), int(n)), nil
}

// Stored returns a copy of a stored (method 0) entry's bytes after the same
// checks as Extract (csig_zip_entry_view); ErrUnsupported for an entry that
// is not stored.
func (z *Zip) Stored(i int) ([]byte, error) {
	if !z.h.acquire() {
		return nil, ErrClosed
	}
	defer z.h.release()
	if i < 0 {
		return nil, ErrInval
	}
	var b C.csig_bytes
	var e C.csig_error
	if rc := C.csig_zip_entry_view(z.p, C.size_t(i), &b, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return goBytes(b), nil
}
