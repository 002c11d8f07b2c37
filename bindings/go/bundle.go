package csig

/*
#include <stdlib.h>
#include <csig.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// BundleLayout is how a bundle is laid out on disk.
type BundleLayout int

const (
	BundleDeep      BundleLayout = C.CSIG_BUNDLE_DEEP      // macOS: Foo.app/Contents/...
	BundleShallow   BundleLayout = C.CSIG_BUNDLE_SHALLOW   // iOS and friends: everything at the root
	BundleVersioned BundleLayout = C.CSIG_BUNDLE_VERSIONED // macOS framework: Versions/Current
)

func (l BundleLayout) String() string {
	switch l {
	case BundleDeep:
		return "deep"
	case BundleShallow:
		return "shallow"
	case BundleVersioned:
		return "versioned"
	}
	return "unknown"
}

// Bundle limits.
const (
	BundleMaxDepth   = C.CSIG_BUNDLE_MAX_DEPTH   // nesting of bundles followed
	BundleMaxBundles = C.CSIG_BUNDLE_MAX_BUNDLES // bundles opened in total
)

// Bundle is an app, framework, extension or other bundle directory, or an
// .ipa archive, with its Info.plist, main executable and nested bundles.
// Files are only read.  Close the top bundle; nested bundles, the
// executable File and the Info.plist are borrowed from it (their Close
// does nothing) and keep it alive.
type Bundle struct {
	own   handle
	h     *handle
	p     *C.csig_bundle
	owned bool
	keep  any // the top bundle, for a nested one
}

// OpenBundle opens the bundle directory or .ipa archive at path.  A broken
// Info.plist, a missing main executable or a nested bundle that cannot be
// opened are not errors (Verify reports them).  Errors are ErrIO,
// ErrNotFound (not a bundle, or an archive without one Payload/*.app),
// ErrBadValue, ErrLimit, ErrDepth, zip errors for a bad archive, ErrNoMem.
func OpenBundle(path string, opts *Options) (*Bundle, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	co := opts.c(0)
	var p *C.csig_bundle
	var e C.csig_error
	if rc := C.csig_bundle_open_path(&p, cpath, &co, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	b := &Bundle{p: p, owned: true}
	b.h = &b.own
	runtime.SetFinalizer(b, (*Bundle).Close)
	return b, nil
}

// Close releases the top bundle and everything borrowed from it; it does
// nothing for a nested bundle.  Idempotent.
func (b *Bundle) Close() error {
	if !b.owned {
		return nil
	}
	b.own.close(func() {
		C.csig_bundle_free(b.p)
		b.p = nil
	})
	runtime.SetFinalizer(b, nil)
	return nil
}

func (b *Bundle) str(fn func(*C.csig_bundle) *C.char) string {
	if !b.h.acquire() {
		return ""
	}
	defer b.h.release()
	return goStr(fn(b.p))
}

func (b *Bundle) flag(fn func(*C.csig_bundle) C.int) bool {
	if !b.h.acquire() {
		return false
	}
	defer b.h.release()
	return fn(b.p) == 1
}

// Path is the bundle's path relative to the top bundle ("" for the top one).
func (b *Bundle) Path() string {
	return b.str(func(p *C.csig_bundle) *C.char { return C.csig_bundle_path(p) })
}

// Layout is BundleDeep, BundleShallow or BundleVersioned.
func (b *Bundle) Layout() BundleLayout {
	if !b.h.acquire() {
		return 0
	}
	defer b.h.release()
	return BundleLayout(C.csig_bundle_layout(b.p))
}

// ContentDir is the directory CodeResources paths are relative to:
// "Contents", "Versions/A" or "" (shallow).
func (b *Bundle) ContentDir() string {
	return b.str(func(p *C.csig_bundle) *C.char { return C.csig_bundle_content_dir(p) })
}

// FromArchive reports a top bundle read from an .ipa archive.
func (b *Bundle) FromArchive() bool {
	return b.flag(func(p *C.csig_bundle) C.int { return C.csig_bundle_from_archive(p) })
}

// IsCodeless reports a bundle without a main executable.
func (b *Bundle) IsCodeless() bool {
	return b.flag(func(p *C.csig_bundle) C.int { return C.csig_bundle_is_codeless(p) })
}

// MainExecutable is the main executable's path relative to the bundle
// ("Contents/MacOS/App"), or "".
func (b *Bundle) MainExecutable() string {
	return b.str(func(p *C.csig_bundle) *C.char { return C.csig_bundle_main_executable(p) })
}

// Identifier is CFBundleIdentifier, or "".
func (b *Bundle) Identifier() string {
	return b.str(func(p *C.csig_bundle) *C.char { return C.csig_bundle_identifier(p) })
}

// Executable is the parsed main executable (borrowed: its Close does
// nothing), or nil when code-less, missing or not Mach-O.
func (b *Bundle) Executable() *File {
	if !b.h.acquire() {
		return nil
	}
	defer b.h.release()
	f := C.csig_bundle_executable(b.p)
	if f == nil {
		return nil
	}
	return &File{h: b.h, p: f, keep: b}
}

// InfoPlist is the parsed Info.plist (borrowed), or nil when absent or
// unparseable.
func (b *Bundle) InfoPlist() *Plist {
	if !b.h.acquire() {
		return nil
	}
	defer b.h.release()
	return borrowedPlist(C.csig_bundle_info_plist(b.p), b.h, b)
}

// Nested lists the bundles directly inside b.
func (b *Bundle) Nested() []*Bundle {
	if !b.h.acquire() {
		return nil
	}
	defer b.h.release()
	n := C.csig_bundle_nested_count(b.p)
	out := make([]*Bundle, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if c := C.csig_bundle_nested(b.p, i); c != nil {
			out = append(out, &Bundle{h: b.h, p: c, keep: b})
		}
	}
	return out
}

// BundleFinding is a finding with the path (relative to the top bundle) it
// is about.
type BundleFinding struct {
	Finding
	Path string
}

// BundleResult is the outcome of Bundle.Verify, copied into Go; the C
// result is kept for JSON until Close.
type BundleResult struct {
	h           handle
	p           *C.csig_bundle_result
	Valid       bool // no finding has SevError
	Findings    []BundleFinding
	FilesHashed uint64
	BytesHashed uint64
}

// Verify checks the bundle and everything nested in it: the main
// executable (as File.Verify), Info.plist and CodeResources against the
// special slots, every sealed resource, nested code.  opts as File.Verify
// (VerifyOneSlice is ignored).  The verdict is data; errors are ErrInval,
// ErrNoMem and ErrClosed.
func (b *Bundle) Verify(opts *VerifyOptions) (*BundleResult, error) {
	co, err := opts.c()
	if err != nil {
		return nil, err
	}
	if !b.h.acquire() {
		return nil, ErrClosed
	}
	defer b.h.release()
	var p *C.csig_bundle_result
	var e C.csig_error
	if rc := C.csig_bundle_verify(&p, b.p, &co, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	r := &BundleResult{
		p:           p,
		Valid:       C.csig_bundle_result_valid(p) != 0,
		FilesHashed: uint64(C.csig_bundle_result_files_hashed(p)),
		BytesHashed: uint64(C.csig_bundle_result_bytes_hashed(p)),
	}
	n := C.csig_bundle_result_count(p)
	r.Findings = make([]BundleFinding, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if f := C.csig_bundle_result_finding(p, i); f != nil {
			r.Findings = append(r.Findings, BundleFinding{goFinding(f), goStr(C.csig_bundle_result_path(p, i))})
		}
	}
	runtime.SetFinalizer(r, (*BundleResult).Close)
	return r, nil
}

// JSON is the library's "bundle-verify" document.
func (r *BundleResult) JSON(flags JSONFlags) ([]byte, error) {
	if !r.h.acquire() {
		return nil, ErrClosed
	}
	defer r.h.release()
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_bundle_result_json(r.p, C.uint(flags), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}

// Close releases the C result; the copied fields stay.  Idempotent.
func (r *BundleResult) Close() error {
	r.h.close(func() {
		C.csig_bundle_result_free(r.p)
		r.p = nil
	})
	runtime.SetFinalizer(r, nil)
	return nil
}
