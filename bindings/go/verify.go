package csig

/*
#include <csig.h>
*/
import "C"

import (
	"runtime"
	"time"
)

// VerifyFlags select verification behaviour (CSIG_VERIFY_*).
type VerifyFlags uint

const (
	// VerifyOneSlice verifies only VerifyOptions.Slice; findings of other
	// slices are left out.
	VerifyOneSlice VerifyFlags = C.CSIG_VERIFY_ONE_SLICE
	// VerifyCheckExpiration makes expired certificates fatal (an error
	// finding) instead of informational.
	VerifyCheckExpiration VerifyFlags = C.CSIG_VERIFY_CHECK_EXPIRATION
)

// VerifyOptions tune Verify (and Bundle.Verify).  The zero value verifies
// every slice with as many page-hashing threads as there are cores, judging
// certificates at Apple's default time.
type VerifyOptions struct {
	Flags VerifyFlags // VerifyOneSlice, VerifyCheckExpiration
	Jobs  uint        // page-hashing threads; 0 = number of cores
	Slice uint        // with VerifyOneSlice
	// AtTime is when certificate validity is judged; the zero time means
	// Apple's default: the secure timestamp when one verifies, else now.
	AtTime time.Time
	// OneSlice is the same as Flags |= VerifyOneSlice.
	//
	// Deprecated: use Flags.
	OneSlice bool
}

// c converts the options; nil gives the library defaults.
func (o *VerifyOptions) c() (C.csig_verify_options, error) {
	co := C.csig_verify_options{version: C.CSIG_VERIFY_OPTIONS_VERSION}
	if o == nil {
		return co, nil
	}
	flags := o.Flags
	if o.OneSlice {
		flags |= VerifyOneSlice
	}
	if uint64(o.Jobs) > uint64(^C.uint(0)) || uint64(o.Slice) > uint64(^C.uint(0)) ||
		uint64(flags) > uint64(^C.uint(0)) {
		return co, ErrInval
	}
	co.flags = C.uint(flags)
	co.jobs = C.uint(o.Jobs)
	co.slice = C.uint(o.Slice)
	co.at_time = C.int64_t(unixOrZero(o.AtTime))
	return co, nil
}

// VerifyResult is the outcome of Verify.  The verdict and findings are
// copied into Go at creation; the C result is kept for JSON until Close.
type VerifyResult struct {
	h           handle
	p           *C.csig_verify_result
	f           *File
	valid       bool
	findings    []Finding
	bytesHashed uint64
}

// Verify recomputes every hash of every slice (or one slice), checks
// identifier and team consistency, and binds and verifies the CMS.  A bad
// signature is not an error: the result says so.  Errors are ErrInval
// (slice out of range), ErrNoMem, ErrClosed.
func (f *File) Verify(opts *VerifyOptions) (*VerifyResult, error) {
	co, err := opts.c()
	if err != nil {
		return nil, err
	}
	if !f.h.acquire() {
		return nil, ErrClosed
	}
	defer f.h.release()
	var p *C.csig_verify_result
	var e C.csig_error
	if rc := C.csig_verify(&p, f.p, &co, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	r := &VerifyResult{p: p, f: f}
	r.valid = C.csig_verify_result_valid(p) != 0
	r.bytesHashed = uint64(C.csig_verify_result_bytes_hashed(p))
	n := C.csig_verify_result_count(p)
	r.findings = make([]Finding, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if fp := C.csig_verify_result_finding(p, i); fp != nil {
			r.findings = append(r.findings, goFinding(fp))
		}
	}
	runtime.SetFinalizer(r, (*VerifyResult).Close)
	return r, nil
}

// Valid is true when every slice is signed and every hash present matches.
func (r *VerifyResult) Valid() bool { return r.valid }

// Findings returns every finding (a copy).
func (r *VerifyResult) Findings() []Finding { return append([]Finding(nil), r.findings...) }

// BytesHashed is the number of bytes hashed.
func (r *VerifyResult) BytesHashed() uint64 { return r.bytesHashed }

// JSON returns the library's "verify" document.
func (r *VerifyResult) JSON(flags JSONFlags) ([]byte, error) {
	if !r.h.acquire() {
		return nil, ErrClosed
	}
	defer r.h.release()
	if !r.f.h.acquire() {
		return nil, ErrClosed
	}
	defer r.f.h.release()
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_verify_result_json(r.p, r.f.p, C.uint(flags), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}

// Close releases the C result; Valid, Findings and BytesHashed keep working.
func (r *VerifyResult) Close() error {
	r.h.close(func() {
		C.csig_verify_result_free(r.p)
		r.p = nil
	})
	runtime.SetFinalizer(r, nil)
	return nil
}
