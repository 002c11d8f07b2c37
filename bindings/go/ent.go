package csig

/*
#include <stdlib.h>
#include <csig.h>
*/
import "C"

import "unsafe"

// Entitlements blob magics.
const (
	EntMagicXML        = C.CSIG_ENT_MAGIC_XML        // 0xfade7171, slot 5
	EntMagicDER        = C.CSIG_ENT_MAGIC_DER        // 0xfade7172, slot 7
	EntMagicConstraint = C.CSIG_ENT_MAGIC_CONSTRAINT // 0xfade8181, slots 8-11
)

// Entitlements is an entitlements or launch-constraint document: a Plist
// whose root is a dictionary, read from a 0xfade7171/7172/8181 blob.
type Entitlements struct {
	*Plist
}

// ParseEntitlements parses a whole blob (header included; the input is copied).
func ParseEntitlements(blob []byte, opts *Options) (*Entitlements, error) {
	co := opts.c(0)
	var p *C.csig_plist
	var e C.csig_error
	var rc C.int
	cBytes(blob, func(b unsafe.Pointer, n C.size_t) {
		rc = C.csig_ent_parse(&p, b, n, &co, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	return &Entitlements{newPlist(p)}, nil
}

// Magic is the blob magic the document was read from.
func (d *Entitlements) Magic() uint32 {
	if d == nil || d.Plist == nil || !d.h.acquire() {
		return 0
	}
	defer d.h.release()
	return uint32(C.csig_ent_magic(d.p))
}

// Get returns the value of top-level key, or nil.
func (d *Entitlements) Get(key string) *Value {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	if d == nil || d.Plist == nil || !d.h.acquire() {
		return nil
	}
	defer d.h.release()
	return d.value(C.csig_ent_get(d.p, ck))
}

// IsTrue reports whether top-level key is the boolean true.
func (d *Entitlements) IsTrue(key string) bool {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	if d == nil || d.Plist == nil || !d.h.acquire() {
		return false
	}
	defer d.h.release()
	return C.csig_ent_is_true(d.p, ck) != 0
}

// Bool returns a top-level boolean: ErrNotFound when absent, ErrBadValue
// when of another type.
func (d *Entitlements) Bool(key string) (bool, error) {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	if d == nil || d.Plist == nil || !d.h.acquire() {
		return false, ErrClosed
	}
	defer d.h.release()
	var x C.int
	if rc := C.csig_ent_get_bool(d.p, ck, &x); rc != 0 {
		return false, codeError(rc)
	}
	return x != 0, nil
}

// StringValue returns a top-level string (errors as Bool).
func (d *Entitlements) StringValue(key string) (string, error) {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	if d == nil || d.Plist == nil || !d.h.acquire() {
		return "", ErrClosed
	}
	defer d.h.release()
	var b C.csig_bytes
	if rc := C.csig_ent_get_string(d.p, ck, &b); rc != 0 {
		return "", codeError(rc)
	}
	return string(goBytes(b)), nil
}

// Int returns a top-level integer (errors as Bool).
func (d *Entitlements) Int(key string) (int64, error) {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	if d == nil || d.Plist == nil || !d.h.acquire() {
		return 0, ErrClosed
	}
	defer d.h.release()
	var x C.int64_t
	if rc := C.csig_ent_get_int(d.p, ck, &x); rc != 0 {
		return 0, codeError(rc)
	}
	return int64(x), nil
}

// EntDiffKind says how the XML and DER entitlements disagree.
type EntDiffKind int

const (
	EntDiffMissingInXML EntDiffKind = C.CSIG_ENT_DIFF_MISSING_IN_XML
	EntDiffMissingInDER EntDiffKind = C.CSIG_ENT_DIFF_MISSING_IN_DER
	EntDiffType         EntDiffKind = C.CSIG_ENT_DIFF_TYPE
	EntDiffValue        EntDiffKind = C.CSIG_ENT_DIFF_VALUE
)

// String is the library's name ("missing-in-xml", ...).
func (k EntDiffKind) String() string { return goStr(C.csig_ent_diff_kind_name(C.int(k))) }

// EntDiff is one difference between two entitlement documents.
type EntDiff struct {
	Kind EntDiffKind
	Path string // JSON Pointer, e.g. "/com.apple.security.application-groups/0"
	XML  *Value // nil when missing on the XML side
	DER  *Value // nil when missing on the DER side
}

// CompareEntitlements lists where two documents (normally the XML and DER
// entitlements of one signature) disagree; empty when they agree.
func CompareEntitlements(xml, der *Entitlements) ([]EntDiff, error) {
	if xml == nil || der == nil {
		return nil, ErrInval
	}
	if !xml.h.acquire() {
		return nil, ErrClosed
	}
	defer xml.h.release()
	if der.h != xml.h {
		if !der.h.acquire() {
			return nil, ErrClosed
		}
		defer der.h.release()
	}
	var list *C.csig_ent_diff
	var e C.csig_error
	if rc := C.csig_ent_compare(&list, xml.p, der.p, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	defer C.csig_ent_diff_free(list)
	n := C.csig_ent_diff_count(list)
	out := make([]EntDiff, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var kind C.int
		var path *C.char
		var xv, dv *C.csig_pval
		if C.csig_ent_diff_get(list, i, &kind, &path, &xv, &dv) != 0 {
			continue
		}
		out = append(out, EntDiff{
			Kind: EntDiffKind(kind),
			Path: goStr(path),
			XML:  xml.value(xv),
			DER:  der.value(dv),
		})
	}
	return out, nil
}

// Entitlements is the XML entitlements (slot 5) parsed when the file was
// opened (csig_sig_entitlements; its original bytes via Source).  It is
// borrowed: it keeps the File alive and its Close does nothing.
// ErrNotFound when there is none; when the blob is present but does not
// parse, the parser's error (the File's Findings say so too).
func (g *Signature) Entitlements() (*Entitlements, error) {
	return g.sigPlist(SlotEntitlements, func(p *C.csig_sig) *C.csig_plist { return C.csig_sig_entitlements(p) })
}

// DEREntitlements is the DER entitlements (slot 7), as Entitlements.
func (g *Signature) DEREntitlements() (*Entitlements, error) {
	return g.sigPlist(SlotDEREntitlements, func(p *C.csig_sig) *C.csig_plist { return C.csig_sig_entitlements_der(p) })
}

// Constraint is the launch or library constraint of slot (one of
// SlotLaunchConstraintSelf, ...Parent, ...Responsible, SlotLibraryConstraint),
// as Entitlements.
func (g *Signature) Constraint(slot uint32) (*Entitlements, error) {
	return g.sigPlist(slot, func(p *C.csig_sig) *C.csig_plist { return C.csig_sig_constraint(p, C.uint32_t(slot)) })
}

func (g *Signature) sigPlist(slot uint32, get func(*C.csig_sig) *C.csig_plist) (*Entitlements, error) {
	if !g.f.h.acquire() {
		return nil, ErrClosed
	}
	p := get(g.p)
	g.f.h.release()
	if p != nil {
		return &Entitlements{borrowedPlist(p, g.f.h, g.f)}, nil
	}
	b, ok := g.FindBlob(slot)
	if !ok {
		return nil, ErrNotFound
	}
	if b.Err != nil {
		return nil, b.Err
	}
	d, err := ParseEntitlements(b.Bytes, nil) // only to name the error
	if err != nil {
		return nil, err
	}
	d.Close()
	return nil, ErrNotFound
}
