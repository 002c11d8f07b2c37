package csig

/*
#include <stdlib.h>
#include <csig.h>
#include <csig/audit.h>
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// AuditOptions tune an audit.  The zero value judges now, warns 30 days
// ahead and is not strict.
type AuditOptions struct {
	At         time.Time // when the audit is judged; zero = now
	WithinDays uint      // the warning window; 0 = AuditWithinDefault
	// Strict makes release-class items that expire, and any risk, fail the
	// audit too.
	Strict bool
}

// AuditWithinDefault is the default warning window in days.
const AuditWithinDefault = C.CSIG_AUDIT_WITHIN_DEFAULT

func (o *AuditOptions) c() (C.csig_audit_options, error) {
	co := C.csig_audit_options{version: C.CSIG_AUDIT_OPTIONS_VERSION}
	if o == nil {
		return co, nil
	}
	if uint64(o.WithinDays) > uint64(^C.uint(0)) {
		return co, ErrInval
	}
	if o.Strict {
		co.flags |= C.CSIG_AUDIT_STRICT
	}
	co.at = C.int64_t(unixOrZero(o.At))
	co.within_days = C.uint(o.WithinDays)
	return co, nil
}

// AuditItem is one dated, identity-bearing item (see csig/audit.h).
type AuditItem struct {
	Kind          string // "certificate", "signing-time", "timestamp", "profile-expiration", "profile-certificate"
	Where         string // the code or profile, relative to the input ("" = the input)
	Arch          string // slice architectures, comma separated
	Subject       string
	Date          time.Time
	DaysRemaining int64
	Breaks        string // "launch", "release" or "nothing"
	Status        string // "ok", "expiring" or "expired"
	Signing       string // signing kind of the code (profile items: profile kind)
	Reason        string
	ChainIndex    int // 0 = leaf for "certificate" items, else -1
}

// AuditRisk is one named launch-breaking case.
type AuditRisk struct {
	ID       string
	Severity Severity
	Where    string
	Message  string
}

// AuditCode is one audited slice.
type AuditCode struct {
	Where, Arch, Identifier, TeamID, Signing, LeafCN string
	HasProfile                                       bool
}

// Audit is the expiry audit of a Mach-O file, bundle, .ipa or profile.
// Its facts are copied into Go; the C audit is kept for JSON until Close.
type Audit struct {
	h          handle
	p          *C.csig_audit
	At         time.Time
	WithinDays uint
	Failed     bool // the failure rule holds
	Items      []AuditItem
	Risks      []AuditRisk
	Codes      []AuditCode
}

// AuditPath audits the Mach-O file, bundle directory, .ipa or provisioning
// profile at path.  What is found is data; errors are ErrInval, ErrIO,
// ErrBadMagic (neither Mach-O, .ipa nor profile), the open errors of
// recognised but broken input, ErrLimit, ErrNoMem.
func AuditPath(path string, opts *AuditOptions) (*Audit, error) {
	co, err := opts.c()
	if err != nil {
		return nil, err
	}
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var a *C.csig_audit
	var e C.csig_error
	if rc := C.csig_audit_path(&a, cp, &co, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return newAudit(a), nil
}

// Audit audits an open file; label names it in Where ("" for none).
func (f *File) Audit(label string, opts *AuditOptions) (*Audit, error) {
	co, err := opts.c()
	if err != nil {
		return nil, err
	}
	cl := C.CString(label)
	defer C.free(unsafe.Pointer(cl))
	if !f.h.acquire() {
		return nil, ErrClosed
	}
	defer f.h.release()
	var a *C.csig_audit
	var e C.csig_error
	if rc := C.csig_audit_file(&a, f.p, cl, &co, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return newAudit(a), nil
}

func newAudit(a *C.csig_audit) *Audit {
	out := &Audit{
		p:          a,
		At:         time.Unix(int64(C.csig_audit_at(a)), 0).UTC(),
		WithinDays: uint(C.csig_audit_within_days(a)),
		Failed:     C.csig_audit_failed(a) != 0,
	}
	n := C.csig_audit_item_count(a)
	for i := C.size_t(0); i < n; i++ {
		it := C.csig_audit_item_at(a, i)
		if it == nil {
			continue
		}
		out.Items = append(out.Items, AuditItem{
			Kind: goStr(it.kind), Where: goStr(it.where), Arch: goStr(it.arch),
			Subject: goStr(it.subject), Date: time.Unix(int64(it.date), 0).UTC(),
			DaysRemaining: int64(it.days_remaining), Breaks: goStr(it.breaks),
			Status: goStr(it.status), Signing: goStr(it.signing), Reason: goStr(it.reason),
			ChainIndex: int(it.chain_index),
		})
	}
	n = C.csig_audit_risk_count(a)
	for i := C.size_t(0); i < n; i++ {
		r := C.csig_audit_risk_at(a, i)
		if r == nil {
			continue
		}
		out.Risks = append(out.Risks, AuditRisk{goStr(r.id), Severity(r.severity), goStr(r.where), goStr(r.message)})
	}
	n = C.csig_audit_code_count(a)
	for i := C.size_t(0); i < n; i++ {
		c := C.csig_audit_code_at(a, i)
		if c == nil {
			continue
		}
		out.Codes = append(out.Codes, AuditCode{goStr(c.where), goStr(c.arch), goStr(c.identifier),
			goStr(c.team_id), goStr(c.signing), goStr(c.leaf_cn), c.has_profile != 0})
	}
	runtime.SetFinalizer(out, (*Audit).Close)
	return out
}

// JSON is the library's "audit" document.
func (a *Audit) JSON(flags JSONFlags) ([]byte, error) {
	if !a.h.acquire() {
		return nil, ErrClosed
	}
	defer a.h.release()
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_audit_json(a.p, C.uint(flags), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}

// Close releases the C audit; the copied fields stay.  Idempotent.
func (a *Audit) Close() error {
	a.h.close(func() {
		C.csig_audit_free(a.p)
		a.p = nil
	})
	runtime.SetFinalizer(a, nil)
	return nil
}

// UpdateVerdict is the answer of CheckUpdate (equal to csig(1)'s exit codes).
type UpdateVerdict int

const (
	UpdateYes           UpdateVerdict = C.CSIG_UPDATE_YES
	UpdateNo            UpdateVerdict = C.CSIG_UPDATE_NO
	UpdateIndeterminate UpdateVerdict = C.CSIG_UPDATE_INDETERMINATE
)

func (v UpdateVerdict) String() string {
	switch v {
	case UpdateYes:
		return "yes"
	case UpdateNo:
		return "no"
	case UpdateIndeterminate:
		return "indeterminate"
	}
	return "unknown"
}

// UpdateEval is one evaluation of an update check.
type UpdateEval struct {
	Which  string // "designated" or "extra"
	Arch   string // NEW's slice
	Result *ReqResult
}

// UpdateCheck is the outcome of CheckUpdate, copied into Go; the C result
// is kept for JSON until Close.
type UpdateCheck struct {
	h           handle
	p           *C.csig_update_check
	Verdict     UpdateVerdict
	Requirement string // OLD's designated requirement ("" when OLD is unsigned)
	Implicit    bool   // derived: OLD has no explicit one
	Reason      string // the verdict and the first failing clause
	Evals       []UpdateEval
}

// CheckUpdate answers whether OLD would accept NEW as an update: does NEW
// satisfy OLD's designated requirement (explicit or Apple's implicit one)
// and extraRequirement ("" for none)?  Each path is a Mach-O file, a bundle
// or an .ipa.  The verdict is data; errors are ErrInval, ErrSyntax,
// ErrNotFound, open errors (ErrIO, ErrBadMagic, ...), ErrNoMem.
func CheckUpdate(oldPath, newPath, extraRequirement string) (*UpdateCheck, error) {
	co := C.CString(oldPath)
	defer C.free(unsafe.Pointer(co))
	cn := C.CString(newPath)
	defer C.free(unsafe.Pointer(cn))
	var cx *C.char
	if extraRequirement != "" {
		cx = C.CString(extraRequirement)
		defer C.free(unsafe.Pointer(cx))
	}
	var u *C.csig_update_check
	var e C.csig_error
	if rc := C.csig_check_update(&u, co, cn, cx, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	out := &UpdateCheck{
		p:           u,
		Verdict:     UpdateVerdict(C.csig_update_check_verdict(u)),
		Requirement: goStr(C.csig_update_check_requirement(u)),
		Implicit:    C.csig_update_check_implicit(u) != 0,
		Reason:      goStr(C.csig_update_check_reason(u)),
	}
	n := C.csig_update_check_count(u)
	for i := C.size_t(0); i < n; i++ {
		var which, arch *C.char
		var res *C.csig_req_result
		if C.csig_update_check_eval(u, i, &which, &arch, &res) != 0 {
			continue
		}
		out.Evals = append(out.Evals, UpdateEval{goStr(which), goStr(arch), goReqResult(res)})
	}
	runtime.SetFinalizer(out, (*UpdateCheck).Close)
	return out, nil
}

// JSON is the library's "check-update" document.
func (u *UpdateCheck) JSON(flags JSONFlags) ([]byte, error) {
	if !u.h.acquire() {
		return nil, ErrClosed
	}
	defer u.h.release()
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_update_check_json(u.p, C.uint(flags), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}

// Close releases the C result; the copied fields stay.  Idempotent.
func (u *UpdateCheck) Close() error {
	u.h.close(func() {
		C.csig_update_check_free(u.p)
		u.p = nil
	})
	runtime.SetFinalizer(u, nil)
	return nil
}
