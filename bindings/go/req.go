package csig

/*
#include <stdlib.h>
#include <csig.h>
#include <csig/req.h>
*/
import "C"

import (
	"runtime"
	"sort"
	"unsafe"
)

// Requirement types (the index type in a requirement set).
const (
	ReqTypeHost       = C.CSIG_REQ_TYPE_HOST
	ReqTypeGuest      = C.CSIG_REQ_TYPE_GUEST
	ReqTypeDesignated = C.CSIG_REQ_TYPE_DESIGNATED
	ReqTypeLibrary    = C.CSIG_REQ_TYPE_LIBRARY
	ReqTypePlugin     = C.CSIG_REQ_TYPE_PLUGIN
)

// Requirement blob kinds.
const (
	ReqKindExpr = C.CSIG_REQ_KIND_EXPR // expression in prefix notation
	ReqKindLWCR = C.CSIG_REQ_KIND_LWCR // lightweight code requirement (DER)
)

// ReqTypeName is "host", "guest", "designated", ... or "".
func ReqTypeName(typ uint32) string { return goStr(C.csig_req_type_name(C.uint32_t(typ))) }

// Requirement is one code requirement (0xfade0c00), from ParseRequirement
// (then Close it) or borrowed from a RequirementSet (which it keeps alive).
type Requirement struct {
	own   handle
	h     *handle
	p     *C.csig_req
	owned bool
	keep  any // the set a borrowed requirement comes from, kept alive
}

// ParseRequirement decodes and validates a requirement blob (copied).
func ParseRequirement(blob []byte, opts *Options) (*Requirement, error) {
	co := opts.c(0)
	var p *C.csig_req
	var e C.csig_error
	var rc C.int
	cBytes(blob, func(b unsafe.Pointer, n C.size_t) {
		rc = C.csig_req_parse(&p, b, n, &co, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	r := &Requirement{p: p, owned: true}
	r.h = &r.own
	runtime.SetFinalizer(r, (*Requirement).Close)
	return r, nil
}

// Close releases a parsed requirement; it does nothing for one borrowed
// from a set.  Idempotent.
func (r *Requirement) Close() error {
	if !r.owned {
		return nil
	}
	r.own.close(func() {
		C.csig_req_free(r.p)
		r.p = nil
	})
	runtime.SetFinalizer(r, nil)
	return nil
}

// Kind is ReqKindExpr or ReqKindLWCR.
func (r *Requirement) Kind() uint32 {
	if !r.h.acquire() {
		return 0
	}
	defer r.h.release()
	return uint32(C.csig_req_kind(r.p))
}

// Raw returns a copy of the whole blob.
func (r *Requirement) Raw() []byte {
	if !r.h.acquire() {
		return nil
	}
	defer r.h.release()
	return goBytes(C.csig_req_raw(r.p))
}

// LWCRDER returns the DER payload of a kind-2 requirement (empty for kind 1).
func (r *Requirement) LWCRDER() []byte {
	if !r.h.acquire() {
		return nil
	}
	defer r.h.release()
	return goBytes(C.csig_req_lwcr_der(r.p))
}

// Text decompiles to Apple's requirement language.
func (r *Requirement) Text() (string, error) {
	if !r.h.acquire() {
		return "", ErrClosed
	}
	defer r.h.release()
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_req_to_text(r.p, &out, &n, &e); rc != 0 {
		return "", newError(rc, &e)
	}
	return string(takeText(out, n)), nil
}

// RequirementSet is a requirement set (0xfade0c01), e.g. slot 2.
type RequirementSet struct {
	own   handle  // used when the set was parsed on its own
	h     *handle // &own, or the file's (Signature.Requirements)
	p     *C.csig_reqset
	owned bool
	keep  any // the owner of a borrowed set, kept alive
}

// ParseRequirementSet decodes and validates a requirement set (copied).
func ParseRequirementSet(blob []byte, opts *Options) (*RequirementSet, error) {
	co := opts.c(0)
	var p *C.csig_reqset
	var e C.csig_error
	var rc C.int
	cBytes(blob, func(b unsafe.Pointer, n C.size_t) {
		rc = C.csig_reqset_parse(&p, b, n, &co, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	s := &RequirementSet{p: p, owned: true}
	s.h = &s.own
	runtime.SetFinalizer(s, (*RequirementSet).Close)
	return s, nil
}

// Requirements is the signature's requirement set (slot 2), parsed when the
// file was opened (csig_sig_requirements).  It is borrowed: it keeps the File
// alive and its Close does nothing.  ErrNotFound when there is none; when
// the blob is present but does not parse, the parser's error (the File's
// Findings have a "requirements-malformed" entry too).
func (g *Signature) Requirements() (*RequirementSet, error) {
	if !g.f.h.acquire() {
		return nil, ErrClosed
	}
	p := C.csig_sig_requirements(g.p)
	g.f.h.release()
	if p != nil {
		return &RequirementSet{h: g.f.h, p: p, keep: g.f}, nil
	}
	b, ok := g.FindBlob(SlotRequirements)
	if !ok {
		return nil, ErrNotFound
	}
	if b.Err != nil {
		return nil, b.Err
	}
	s, err := ParseRequirementSet(b.Bytes, nil) // only to name the error
	if err != nil {
		return nil, err
	}
	s.Close()
	return nil, ErrNotFound
}

// Close releases the set and the requirements borrowed from it.  For the
// set of a Signature it does nothing (close the File).
func (s *RequirementSet) Close() error {
	if !s.owned {
		return nil
	}
	s.own.close(func() {
		C.csig_reqset_free(s.p)
		s.p = nil
	})
	runtime.SetFinalizer(s, nil)
	return nil
}

// Len is the number of entries.
func (s *RequirementSet) Len() int {
	if !s.h.acquire() {
		return 0
	}
	defer s.h.release()
	return int(C.csig_reqset_count(s.p))
}

// Type is the type of entry i (ReqType*), 0 when out of range.
func (s *RequirementSet) Type(i int) uint32 {
	if i < 0 || !s.h.acquire() {
		return 0
	}
	defer s.h.release()
	return uint32(C.csig_reqset_type(s.p, C.size_t(i)))
}

func (s *RequirementSet) req(p *C.csig_req) *Requirement {
	if p == nil {
		return nil
	}
	return &Requirement{h: s.h, p: p, keep: s}
}

// At returns the requirement of entry i, or nil.
func (s *RequirementSet) At(i int) *Requirement {
	if i < 0 || !s.h.acquire() {
		return nil
	}
	defer s.h.release()
	return s.req(C.csig_reqset_get(s.p, C.size_t(i)))
}

// Find returns the first requirement of a type (e.g. ReqTypeDesignated), or nil.
func (s *RequirementSet) Find(typ uint32) *Requirement {
	if !s.h.acquire() {
		return nil
	}
	defer s.h.release()
	return s.req(C.csig_reqset_find(s.p, C.uint32_t(typ)))
}

// Raw returns a copy of the whole set blob.
func (s *RequirementSet) Raw() []byte {
	if !s.h.acquire() {
		return nil
	}
	defer s.h.release()
	return goBytes(C.csig_reqset_raw(s.p))
}

// Text decompiles the set, one "type => requirement" line per entry.
func (s *RequirementSet) Text() (string, error) {
	if !s.h.acquire() {
		return "", ErrClosed
	}
	defer s.h.release()
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_reqset_to_text(s.p, &out, &n, &e); rc != 0 {
		return "", newError(rc, &e)
	}
	return string(takeText(out, n)), nil
}

// CompileRequirement compiles requirement text into Apple's binary form:
// a set (isSet) for "type => ..." entries, else one requirement.
// Syntax errors are ErrSyntax with line:column in the message.
func CompileRequirement(text string) (blob []byte, isSet bool, err error) {
	var out *C.uint8_t
	var n C.size_t
	var set C.int
	var e C.csig_error
	var rc C.int
	cBytes([]byte(text), func(p unsafe.Pointer, l C.size_t) {
		rc = C.csig_req_compile((*C.char)(p), l, &out, &n, &set, &e)
	})
	if rc != 0 {
		return nil, false, newError(rc, &e)
	}
	defer C.csig_free(unsafe.Pointer(out))
	return goBytesPtr(unsafe.Pointer(out), int(n)), set != 0, nil
}

// ---- evaluation ----

// ReqVerdict is the three-valued outcome of a requirement.
type ReqVerdict int

const (
	ReqNotSatisfied  ReqVerdict = C.CSIG_REQ_NOT_SATISFIED
	ReqSatisfied     ReqVerdict = C.CSIG_REQ_SATISFIED
	ReqIndeterminate ReqVerdict = C.CSIG_REQ_INDETERMINATE
)

func (v ReqVerdict) String() string { return goStr(C.csig_req_verdict_name(C.csig_req_verdict(v))) }

// ReqValueType is the type of a fact value.
type ReqValueType int

const (
	ReqValAbsent ReqValueType = C.CSIG_REQ_VAL_ABSENT
	ReqValString ReqValueType = C.CSIG_REQ_VAL_STRING
	ReqValBool   ReqValueType = C.CSIG_REQ_VAL_BOOL
	ReqValNumber ReqValueType = C.CSIG_REQ_VAL_NUMBER
	ReqValArray  ReqValueType = C.CSIG_REQ_VAL_ARRAY
	ReqValDate   ReqValueType = C.CSIG_REQ_VAL_DATE // seconds since 2001-01-01 UTC
	ReqValData   ReqValueType = C.CSIG_REQ_VAL_DATA
	ReqValOther  ReqValueType = C.CSIG_REQ_VAL_OTHER
)

// ReqValue is an Info.plist or entitlement value a requirement may test.
type ReqValue struct {
	Type   ReqValueType
	Str    string // String, Data
	Bool   bool
	Number int64
	Date   int64
	Items  []ReqValue // Array
}

// ReqAttr is a subject attribute ("CN", "OU", ..., "email").
type ReqAttr struct{ Name, Value string }

// ReqExt is a certificate extension by OID content octets.
type ReqExt struct {
	OID     []byte
	HasDate bool
	Date    int64 // seconds since 2001-01-01 UTC
}

// ReqCert is what a requirement can ask about one certificate.
type ReqCert struct {
	SHA1       *[20]byte
	Subject    []ReqAttr
	Extensions []ReqExt
	Policies   [][]byte // OID content octets
}

// Tri-state facts of ReqContext.AppleAnchor.
const (
	ReqFactDerive = C.CSIG_REQ_FACT_DERIVE
	ReqFactNo     = C.CSIG_REQ_FACT_NO
	ReqFactYes    = C.CSIG_REQ_FACT_YES
)

// ReqContext holds the facts a requirement is judged against (no I/O).
type ReqContext struct {
	Identifier    string
	TeamID        string
	Platform      uint32
	CDHashes      [][20]byte
	Certs         []ReqCert // leaf first
	AnchorIsApple bool
	AppleAnchor   int // ReqFact*
	Info          map[string]ReqValue
	Entitlements  map[string]ReqValue
}

// ReqTrace is one clause of an evaluation.
type ReqTrace struct {
	Clause, Actual, Expected, Reason string
	Verdict                          ReqVerdict
}

// ReqResult is an evaluation's verdict and trace.
type ReqResult struct {
	Verdict ReqVerdict
	Trace   []ReqTrace
}

// cArena allocates C memory for a call and frees it all afterwards; the
// facts must live in C memory because they hold pointers (cgo rules).
type cArena []unsafe.Pointer

func (a *cArena) alloc(n uintptr) unsafe.Pointer {
	if n == 0 {
		n = 1
	}
	p := C.calloc(1, C.size_t(n))
	if p == nil {
		panic("csig: out of C memory")
	}
	*a = append(*a, p)
	return p
}

func (a *cArena) str(s string) *C.char {
	p := a.alloc(uintptr(len(s)) + 1)
	copy(unsafe.Slice((*byte)(p), len(s)), s)
	return (*C.char)(p)
}

func (a *cArena) bytes(b []byte) C.csig_bytes {
	p := a.alloc(uintptr(len(b)))
	copy(unsafe.Slice((*byte)(p), len(b)), b)
	return C.csig_bytes{ptr: (*C.uint8_t)(p), len: C.size_t(len(b))}
}

func (a *cArena) free() {
	for _, p := range *a {
		C.free(p)
	}
	*a = nil
}

func (a *cArena) value(v ReqValue, out *C.csig_req_value) {
	out._type = C.csig_req_value_type(v.Type)
	out.str = a.str(v.Str)
	out.len = C.size_t(len(v.Str))
	if v.Bool {
		out.boolean = 1
	}
	out.number = C.int64_t(v.Number)
	out.date = C.int64_t(v.Date)
	if len(v.Items) > 0 {
		items := unsafe.Slice((*C.csig_req_value)(a.alloc(uintptr(len(v.Items))*C.sizeof_csig_req_value)), len(v.Items))
		for i := range v.Items {
			a.value(v.Items[i], &items[i])
		}
		out.items = &items[0]
		out.n_items = C.size_t(len(v.Items))
	}
}

func (a *cArena) entries(m map[string]ReqValue) (*C.csig_req_entry, C.size_t) {
	if len(m) == 0 {
		return nil, 0
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	es := unsafe.Slice((*C.csig_req_entry)(a.alloc(uintptr(len(keys))*C.sizeof_csig_req_entry)), len(keys))
	for i, k := range keys {
		es[i].key = a.str(k)
		a.value(m[k], &es[i].value)
	}
	return &es[0], C.size_t(len(keys))
}

func (a *cArena) cert(c ReqCert, out *C.csig_req_cert) {
	if c.SHA1 != nil {
		out.has_sha1 = 1
		for i, b := range c.SHA1 {
			out.sha1[i] = C.uint8_t(b)
		}
	}
	if n := len(c.Subject); n > 0 {
		at := unsafe.Slice((*C.csig_req_attr)(a.alloc(uintptr(n)*C.sizeof_csig_req_attr)), n)
		for i, s := range c.Subject {
			at[i].name = a.str(s.Name)
			at[i].value = a.str(s.Value)
			at[i].value_len = C.size_t(len(s.Value))
		}
		out.subject, out.n_subject = &at[0], C.size_t(n)
	}
	if n := len(c.Extensions); n > 0 {
		ex := unsafe.Slice((*C.csig_req_ext)(a.alloc(uintptr(n)*C.sizeof_csig_req_ext)), n)
		for i, x := range c.Extensions {
			ex[i].oid = a.bytes(x.OID)
			if x.HasDate {
				ex[i].has_date = 1
			}
			ex[i].date = C.int64_t(x.Date)
		}
		out.extensions, out.n_extensions = &ex[0], C.size_t(n)
	}
	if n := len(c.Policies); n > 0 {
		po := unsafe.Slice((*C.csig_bytes)(a.alloc(uintptr(n)*C.sizeof_csig_bytes)), n)
		for i, p := range c.Policies {
			po[i] = a.bytes(p)
		}
		out.policies, out.n_policies = &po[0], C.size_t(n)
	}
}

// Eval judges the requirement against ctx (nil: no facts at all).
func (r *Requirement) Eval(ctx *ReqContext) (*ReqResult, error) {
	if ctx == nil {
		ctx = &ReqContext{}
	}
	var a cArena
	defer a.free()
	cc := (*C.csig_req_ctx)(a.alloc(C.sizeof_csig_req_ctx))
	cc.version = C.CSIG_REQ_CTX_VERSION
	cc.apple_anchor = C.int(ctx.AppleAnchor)
	if ctx.Identifier != "" {
		cc.identifier = a.str(ctx.Identifier)
	}
	if ctx.TeamID != "" {
		cc.team_id = a.str(ctx.TeamID)
	}
	cc.platform = C.uint32_t(ctx.Platform)
	if n := len(ctx.CDHashes); n > 0 {
		buf := unsafe.Slice((*byte)(a.alloc(uintptr(n)*20)), n*20)
		for i, h := range ctx.CDHashes {
			copy(buf[i*20:], h[:])
		}
		cc.cdhashes, cc.n_cdhashes = (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(n)
	}
	if n := len(ctx.Certs); n > 0 {
		cs := unsafe.Slice((*C.csig_req_cert)(a.alloc(uintptr(n)*C.sizeof_csig_req_cert)), n)
		for i := range ctx.Certs {
			a.cert(ctx.Certs[i], &cs[i])
		}
		cc.certs, cc.n_certs = &cs[0], C.size_t(n)
	}
	if ctx.AnchorIsApple {
		cc.anchor_is_apple = 1
	}
	cc.info, cc.n_info = a.entries(ctx.Info)
	cc.entitlements, cc.n_entitlements = a.entries(ctx.Entitlements)

	if !r.h.acquire() {
		return nil, ErrClosed
	}
	defer r.h.release()
	var res *C.csig_req_result
	var e C.csig_error
	if rc := C.csig_req_eval(r.p, cc, &res, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeReqResult(res), nil
}

// takeReqResult copies an evaluation result into Go and frees it.
func takeReqResult(res *C.csig_req_result) *ReqResult {
	defer C.csig_req_result_free(res)
	return goReqResult(res)
}

// goReqResult copies an evaluation result into Go.
func goReqResult(res *C.csig_req_result) *ReqResult {
	if res == nil {
		return nil
	}
	out := &ReqResult{Verdict: ReqVerdict(C.csig_req_result_verdict(res))}
	n := C.csig_req_result_trace_count(res)
	for i := C.size_t(0); i < n; i++ {
		out.Trace = append(out.Trace, ReqTrace{
			Clause:   goStr(C.csig_req_result_trace_clause(res, i)),
			Actual:   goStr(C.csig_req_result_trace_actual(res, i)),
			Expected: goStr(C.csig_req_result_trace_expected(res, i)),
			Reason:   goStr(C.csig_req_result_trace_reason(res, i)),
			Verdict:  ReqVerdict(C.csig_req_result_trace_verdict(res, i)),
		})
	}
	return out
}

// Satisfied reports Verdict == ReqSatisfied.
func (r *ReqResult) Satisfied() bool { return r != nil && r.Verdict == ReqSatisfied }

// CompileRequirementText compiles one requirement from text (not a set)
// and parses the blob: CompileRequirement then ParseRequirement.  A set
// ("designated => ...") is ErrBadValue.  Close the result.
func CompileRequirementText(text string) (*Requirement, error) {
	blob, isSet, err := CompileRequirement(text)
	if err != nil {
		return nil, err
	}
	if isSet {
		return nil, &Error{Code: CodeBadValue, Name: ErrName(CodeBadValue),
			Msg: "requirement text is a set; use CompileRequirement and ParseRequirementSet"}
	}
	return ParseRequirement(blob, nil)
}

// CheckRequirement judges req against the slice (csig_req_eval_slice): the
// identifier, team and platform of its best CodeDirectory, every cdhash,
// the CMS certificate chain (the anchor counts as Apple only when the
// signature is intact and chains to a pinned Apple root), the entitlements,
// and the keys of infoPlist for info[] clauses (nil: info[] keys are
// absent).  Notarization, trust settings and `legacy` cannot be known
// offline and evaluate indeterminate.  The verdict and its trace (one entry
// per clause, with the actual and expected values) are data; errors are
// ErrInval, ErrNoMem, ErrDepth, ErrUnsupported and ErrClosed.
func (s *Slice) CheckRequirement(req *Requirement, infoPlist *Plist) (*ReqResult, error) {
	if req == nil {
		return nil, ErrInval
	}
	hs := []*handle{s.f.h, req.h}
	var ip *C.csig_plist
	if infoPlist != nil {
		hs = append(hs, infoPlist.h)
	}
	release, ok := acquireAll(hs...)
	if !ok {
		return nil, ErrClosed
	}
	defer release()
	if infoPlist != nil {
		ip = infoPlist.p
	}
	var res *C.csig_req_result
	var e C.csig_error
	if rc := C.csig_req_eval_slice(req.p, s.p, ip, &res, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeReqResult(res), nil
}
