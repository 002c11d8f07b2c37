// Package csig is the Go binding of libcsig, a C library that reads and
// checks Apple code signatures (Mach-O, SuperBlob, CodeDirectory, CMS,
// entitlements, requirements, provisioning profiles, bundles and .ipa
// archives, expiry audits) on any operating system.
//
// Every fact comes from a libcsig call; the package holds no parsing or
// formatting logic of its own, and JSON documents are the bytes of the
// library's serializer, identical to what the csig command-line tool prints.
//
// # Lifetime
//
// Handles (File, Plist, Certificate, CMS, Requirement, RequirementSet,
// VerifyResult, CMSResult, Profile, ProfileMatch, Zip, Bundle,
// BundleResult, Audit, UpdateCheck) wrap a C object. Close releases it; Close is
// idempotent and a finalizer calls it as a safety net, but callers should
// Close explicitly. Child objects (Slice, Signature, CodeDirectory, Value,
// certificates of a CMS, ...) keep their parent alive. Using a child or a
// handle after its owner was closed returns ErrClosed (or the zero value
// for getters without an error result); it never touches freed memory.
//
// Some handles are borrowed from an owner (the parsed CMS, entitlements and
// requirements of a Signature; a Profile's CMS and certificates; a Bundle's
// executable File, Info.plist and nested bundles): their Close does
// nothing and they read as closed once the owner is closed.
//
// Every byte slice and string returned is a copy in Go memory.
//
// # Concurrency
//
// libcsig handles are immutable after creation, so any number of goroutines
// may use one handle at once. Close waits for calls in progress.
package csig

/*
#cgo pkg-config: libcsig
#include <stdlib.h>
#include <csig.h>

#if !defined(CSIG_VERSION_MAJOR) || CSIG_VERSION_MAJOR != 1
#error "the Go binding libcsig.dev/csig needs libcsig major version 1"
#endif
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// VersionMajor, VersionMinor and VersionPatch are the version of the
// libcsig headers this package was compiled against.
const (
	VersionMajor = C.CSIG_VERSION_MAJOR
	VersionMinor = C.CSIG_VERSION_MINOR
	VersionPatch = C.CSIG_VERSION_PATCH
)

// Version returns the "MAJOR.MINOR.PATCH" of the libcsig actually loaded.
func Version() string { return C.GoString(C.csig_version_string()) }

// VersionNumber returns MAJOR*10000 + MINOR*100 + PATCH of the loaded library.
func VersionNumber() int { return int(C.csig_version_number()) }

func init() {
	// The header gate above catches a wrong header; this catches a shared
	// library of another major version found at run time.
	if n := VersionNumber(); n/10000 != VersionMajor {
		panic(fmt.Sprintf("csig: loaded libcsig %s, but the binding was built for major version %d",
			Version(), VersionMajor))
	}
}

// handle guards one C object against use after Close.  Getters hold the
// read lock for the duration of their C call; Close takes the write lock.
// Children keep a pointer to their owner's handle, which (being a field of
// the owner) keeps the owner reachable.
type handle struct {
	mu     sync.RWMutex
	closed bool
}

// acquire read-locks h; it returns false (and holds nothing) once closed.
func (h *handle) acquire() bool {
	h.mu.RLock()
	if h.closed {
		h.mu.RUnlock()
		return false
	}
	return true
}

// release ends what acquire began.  The KeepAlive makes sure the owner (and
// so its C object) is not finalized before the C call that preceded it ended.
func (h *handle) release() {
	h.mu.RUnlock()
	runtime.KeepAlive(h)
}

// close runs free once, under the write lock.
func (h *handle) close(free func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	free()
}

// goBytes copies a borrowed csig_bytes view into Go memory.
func goBytes(b C.csig_bytes) []byte {
	if b.ptr == nil || b.len == 0 {
		return []byte{}
	}
	n := int(b.len)
	out := make([]byte, n)
	copy(out, unsafe.Slice((*byte)(unsafe.Pointer(b.ptr)), n))
	return out
}

// goBytesPtr copies n bytes at p.
func goBytesPtr(p unsafe.Pointer, n int) []byte {
	if p == nil || n <= 0 {
		return []byte{}
	}
	out := make([]byte, n)
	copy(out, unsafe.Slice((*byte)(p), n))
	return out
}

// goStr copies a NUL-terminated C string; NULL gives "".
func goStr(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// takeText copies a library-allocated text of length n and frees it.
func takeText(p *C.char, n C.size_t) []byte {
	defer C.csig_free(unsafe.Pointer(p))
	if p == nil {
		return []byte{}
	}
	return goBytesPtr(unsafe.Pointer(p), int(n))
}

// takeCString copies a library-allocated NUL-terminated string and frees it.
func takeCString(p *C.char) string {
	defer C.csig_free(unsafe.Pointer(p))
	return goStr(p)
}

// cBytes copies data into C memory for the duration of fn.  A zero-length
// input still gets a valid (1-byte) allocation, so C sees a non-NULL pointer.
func cBytes(data []byte, fn func(p unsafe.Pointer, n C.size_t)) {
	var p unsafe.Pointer
	if len(data) == 0 {
		p = C.malloc(1)
	} else {
		p = C.CBytes(data)
	}
	defer C.free(p)
	fn(p, C.size_t(len(data)))
}

// Options are parse limits shared by the parsers.  Zero means the
// library default; a caller may lower a limit but not raise it.
type Options struct {
	MaxDepth uint // nesting of DER, plists, requirements
	MaxCount uint // items in one array, index or table
}

func (o *Options) c(flags C.uint) C.csig_open_options {
	var co C.csig_open_options
	C.csig_open_options_init(&co, C.CSIG_OPEN_OPTIONS_VERSION)
	co.flags = flags
	if o != nil {
		co.max_depth = C.uint(o.MaxDepth)
		co.max_count = C.uint(o.MaxCount)
	}
	return co
}

// acquireAll read-locks every distinct handle of hs (a handle appearing
// twice is locked once, so a call never read-locks one mutex twice).  It
// returns a release function, or false (and holds nothing) when one is
// closed.
func acquireAll(hs ...*handle) (func(), bool) {
	held := make([]*handle, 0, len(hs))
	release := func() {
		for i := len(held) - 1; i >= 0; i-- {
			held[i].release()
		}
	}
outer:
	for _, h := range hs {
		for _, o := range held {
			if o == h {
				continue outer
			}
		}
		if !h.acquire() {
			release()
			return nil, false
		}
		held = append(held, h)
	}
	return release, true
}
