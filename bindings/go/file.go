package csig

/*
#include <stdlib.h>
#include <csig.h>
*/
import "C"

import (
	"math"
	"runtime"
	"unsafe"
)

// Kind says what Open recognised.
type Kind int

const (
	KindThin Kind = C.CSIG_FILE_THIN // a single Mach-O image
	KindFat  Kind = C.CSIG_FILE_FAT  // FAT_MAGIC or FAT_MAGIC_64 container
)

func (k Kind) String() string {
	switch k {
	case KindThin:
		return "thin"
	case KindFat:
		return "fat"
	}
	return "unknown"
}

// Severity of a finding.
type Severity int

const (
	SevInfo  Severity = C.CSIG_SEV_INFO  // informational
	SevWarn  Severity = C.CSIG_SEV_WARN  // suspicious shape
	SevError Severity = C.CSIG_SEV_ERROR // makes the signature invalid
)

func (s Severity) String() string {
	switch s {
	case SevInfo:
		return "info"
	case SevWarn:
		return "warning"
	case SevError:
		return "error"
	}
	return "unknown"
}

// Finding is one structural or verification finding, copied from the library.
type Finding struct {
	ID       string   // stable machine name, e.g. "lc-overrun"
	Severity Severity //
	Slice    int      // slice index, or -1 for the whole file
	CD       int      // CodeDirectory index within the slice's signature, or -1
	Offset   uint64   // absolute file offset the finding is about
	Message  string   // sentence with the numbers
}

func goFinding(p *C.csig_finding) Finding {
	return Finding{
		ID:       goStr(p.id),
		Severity: Severity(p.severity),
		Slice:    int(p.slice),
		CD:       int(p.cd),
		Offset:   uint64(p.offset),
		Message:  goStr(p.message),
	}
}

// File is an opened Mach-O file, thin or fat.
type File struct {
	own   handle  // used when the file was opened on its own
	h     *handle // &own, or the owner's (a bundle's main executable)
	p     *C.csig_file
	owned bool
	keep  any // the owner of a borrowed file, kept alive
}

func newFile(p *C.csig_file) *File {
	f := &File{p: p, owned: true}
	f.h = &f.own
	runtime.SetFinalizer(f, (*File).Close)
	return f
}

// Open maps path read-only through the library and parses it.
// Errors are *Error: ErrIO when the file cannot be read, ErrBadMagic when it
// is not Mach-O, ErrTruncated and others for broken headers.
func Open(path string) (*File, error) {
	return OpenWithOptions(path, nil)
}

// OpenWithOptions is Open with parse limits.
func OpenWithOptions(path string, opts *Options) (*File, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	co := opts.c(0)
	var p *C.csig_file
	var e C.csig_error
	if rc := C.csig_file_open_path(&p, cpath, &co, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return newFile(p), nil
}

// OpenBytes parses a Mach-O held in memory.  The library copies data
// (CSIG_OPEN_COPY), so the caller may reuse it at once.
func OpenBytes(data []byte) (*File, error) {
	return OpenBytesWithOptions(data, nil)
}

// OpenBytesWithOptions is OpenBytes with parse limits.
func OpenBytesWithOptions(data []byte, opts *Options) (*File, error) {
	co := opts.c(C.CSIG_OPEN_COPY)
	var p *C.csig_file
	var e C.csig_error
	var rc C.int
	cBytes(data, func(b unsafe.Pointer, n C.size_t) {
		rc = C.csig_file_open(&p, b, n, &co, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	return newFile(p), nil
}

// Close releases the file.  It is idempotent; slices, signatures and code
// directories of a closed file return zero values or ErrClosed.  For a
// file borrowed from a Bundle it does nothing (close the Bundle).
func (f *File) Close() error {
	if !f.owned {
		return nil
	}
	f.own.close(func() {
		C.csig_file_free(f.p)
		f.p = nil
	})
	runtime.SetFinalizer(f, nil)
	return nil
}

// Kind is KindThin or KindFat (0 once closed).
func (f *File) Kind() Kind {
	if !f.h.acquire() {
		return 0
	}
	defer f.h.release()
	return Kind(C.csig_file_kind(f.p))
}

// Size is the length of the whole input.
func (f *File) Size() uint64 {
	if !f.h.acquire() {
		return 0
	}
	defer f.h.release()
	return uint64(C.csig_file_size(f.p))
}

// FatMagic is 0xcafebabe or 0xcafebabf for a fat file, 0 for a thin one.
func (f *File) FatMagic() uint32 {
	if !f.h.acquire() {
		return 0
	}
	defer f.h.release()
	return uint32(C.csig_file_fat_magic(f.p))
}

// Bytes returns a copy of the whole input.
func (f *File) Bytes() []byte {
	if !f.h.acquire() {
		return nil
	}
	defer f.h.release()
	return goBytes(C.csig_file_bytes(f.p))
}

// NumSlices is the number of slices (1 for a thin file).
func (f *File) NumSlices() int {
	if !f.h.acquire() {
		return 0
	}
	defer f.h.release()
	return int(C.csig_file_slice_count(f.p))
}

// Slices returns every slice in file order.
func (f *File) Slices() []*Slice {
	if !f.h.acquire() {
		return nil
	}
	defer f.h.release()
	n := C.csig_file_slice_count(f.p)
	out := make([]*Slice, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if s := C.csig_file_slice(f.p, i); s != nil {
			out = append(out, &Slice{f: f, p: s})
		}
	}
	return out
}

// Slice returns slice i, or ErrNotFound when i is out of range.
func (f *File) Slice(i int) (*Slice, error) {
	if !f.h.acquire() {
		return nil, ErrClosed
	}
	defer f.h.release()
	if i < 0 {
		return nil, ErrNotFound
	}
	s := C.csig_file_slice(f.p, C.size_t(i))
	if s == nil {
		return nil, ErrNotFound
	}
	return &Slice{f: f, p: s}, nil
}

// FindSlice returns the first slice whose architecture name is arch
// ("arm64", "x86_64", ...), or ErrNotFound.
func (f *File) FindSlice(arch string) (*Slice, error) {
	carch := C.CString(arch)
	defer C.free(unsafe.Pointer(carch))
	if !f.h.acquire() {
		return nil, ErrClosed
	}
	defer f.h.release()
	var s *C.csig_slice
	if rc := C.csig_file_find_slice(f.p, carch, &s); rc != 0 {
		return nil, codeError(rc)
	}
	return &Slice{f: f, p: s}, nil
}

// Findings returns the structural findings, file-wide and per slice.
func (f *File) Findings() []Finding {
	if !f.h.acquire() {
		return nil
	}
	defer f.h.release()
	n := C.csig_file_finding_count(f.p)
	out := make([]Finding, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if p := C.csig_file_finding(f.p, i); p != nil {
			out = append(out, goFinding(p))
		}
	}
	return out
}

// JSONFlags select what the library's JSON documents contain.
type JSONFlags uint

const (
	JSONPretty       JSONFlags = C.CSIG_JSON_PRETTY        // indent with two spaces
	JSONLoadCommands JSONFlags = C.CSIG_JSON_LOAD_COMMANDS // decode every load command
	JSONSlots        JSONFlags = C.CSIG_JSON_SLOTS         // list every code-slot hash
)

// JSONSchemaVersion is the schema number of the documents.
const JSONSchemaVersion = C.CSIG_JSON_SCHEMA_VERSION

// JSON returns the library's "info" document (csig_file_json) of slice
// slice, or of every slice when slice < 0.  With JSONPretty it is the text
// `csig info --json` prints, without that command's final newline.
func (f *File) JSON(slice int, flags JSONFlags) ([]byte, error) {
	if !f.h.acquire() {
		return nil, ErrClosed
	}
	defer f.h.release()
	if slice < -1 {
		slice = -1
	}
	if slice > math.MaxInt32 {
		return nil, ErrInval
	}
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_file_json(f.p, C.int(slice), C.uint(flags), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}
