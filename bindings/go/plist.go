package csig

/*
#include <stdlib.h>
#include <csig.h>
*/
import "C"

import (
	"runtime"
	"strings"
	"time"
	"unsafe"
)

// PlistFormat is a property-list encoding; also the set of encodings
// ParsePlist accepts (an OR of them, or PlistAny).
type PlistFormat uint

const (
	PlistAny    PlistFormat = C.CSIG_PLIST_ANY
	PlistXML    PlistFormat = C.CSIG_PLIST_XML
	PlistBinary PlistFormat = C.CSIG_PLIST_BINARY
	PlistDER    PlistFormat = C.CSIG_PLIST_DER
)

// PlistType is the type of a plist node.
type PlistType int

const (
	PlistDict    PlistType = C.CSIG_PVAL_DICT
	PlistArray   PlistType = C.CSIG_PVAL_ARRAY
	PlistString  PlistType = C.CSIG_PVAL_STRING
	PlistInteger PlistType = C.CSIG_PVAL_INTEGER
	PlistReal    PlistType = C.CSIG_PVAL_REAL
	PlistBool    PlistType = C.CSIG_PVAL_BOOL
	PlistDate    PlistType = C.CSIG_PVAL_DATE
	PlistData    PlistType = C.CSIG_PVAL_DATA
	PlistUID     PlistType = C.CSIG_PVAL_UID
)

// String is the library's name of the type ("dict", "array", ...).
func (t PlistType) String() string { return goStr(C.csig_pval_type_name(C.int(t))) }

// Plist is a parsed property list (XML, binary or DER).  Entitlements
// documents are Plists too.
type Plist struct {
	own   handle  // used when the document was parsed on its own
	h     *handle // &own, or the owner's (file, profile, bundle)
	p     *C.csig_plist
	owned bool
	keep  any // the owner of a borrowed document, kept alive
}

func newPlist(p *C.csig_plist) *Plist {
	d := &Plist{p: p, owned: true}
	d.h = &d.own
	runtime.SetFinalizer(d, (*Plist).Close)
	return d
}

// borrowedPlist wraps a document owned by another handle (h, kept alive
// through keep); its Close does nothing.
func borrowedPlist(p *C.csig_plist, h *handle, keep any) *Plist {
	if p == nil {
		return nil
	}
	return &Plist{p: p, h: h, keep: keep}
}

// ParsePlist parses a property list in any of the formats allowed (PlistAny
// for all three).  Documents Apple's parsers could read differently are
// not errors: see Findings.
func ParsePlist(data []byte, formats PlistFormat, opts *Options) (*Plist, error) {
	co := opts.c(0)
	var p *C.csig_plist
	var e C.csig_error
	var rc C.int
	cBytes(data, func(b unsafe.Pointer, n C.size_t) {
		rc = C.csig_plist_parse(&p, b, n, C.uint(formats), &co, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	return newPlist(p), nil
}

// Close releases the document; its Values then read as absent.  For a
// document borrowed from a signature, profile or bundle it does nothing.
func (d *Plist) Close() error {
	if !d.owned {
		return nil
	}
	d.own.close(func() {
		C.csig_plist_free(d.p)
		d.p = nil
	})
	runtime.SetFinalizer(d, nil)
	return nil
}

// Format is the encoding the document was read from.
func (d *Plist) Format() PlistFormat {
	if d == nil || !d.h.acquire() {
		return 0
	}
	defer d.h.release()
	return PlistFormat(C.csig_plist_format(d.p))
}

// Source returns a copy of the exact input bytes.
func (d *Plist) Source() []byte {
	if d == nil || !d.h.acquire() {
		return nil
	}
	defer d.h.release()
	return goBytes(C.csig_plist_source(d.p))
}

// Root is the root node.
func (d *Plist) Root() *Value {
	if d == nil || !d.h.acquire() {
		return nil
	}
	defer d.h.release()
	return d.value(C.csig_plist_root(d.p))
}

func (d *Plist) value(v *C.csig_pval) *Value {
	if v == nil {
		return nil
	}
	return &Value{h: d.h, p: v, keep: d}
}

// PlistFinding is a shape Apple's parsers could read differently
// (duplicate keys, comments in keys, bad UTF-8, ...).
type PlistFinding struct {
	Code    int
	Name    string // "duplicate-key", ...
	Offset  uint64 // input offset
	Message string
}

// Findings lists what was noticed while parsing.
func (d *Plist) Findings() []PlistFinding {
	if d == nil || !d.h.acquire() {
		return nil
	}
	defer d.h.release()
	n := C.csig_plist_finding_count(d.p)
	out := make([]PlistFinding, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var code C.int
		var off C.uint64_t
		var msg *C.char
		if C.csig_plist_finding(d.p, i, &code, &off, &msg) != 0 {
			continue
		}
		out = append(out, PlistFinding{
			Code:    int(code),
			Name:    goStr(C.csig_plist_finding_name(code)),
			Offset:  uint64(off),
			Message: goStr(msg),
		})
	}
	return out
}

func (d *Plist) serialize(v *Value, fn func(*C.csig_pval, **C.char, *C.size_t, *C.csig_error) C.int) ([]byte, error) {
	if d == nil || !d.h.acquire() {
		return nil, ErrClosed
	}
	defer d.h.release()
	var node *C.csig_pval
	if v != nil {
		if v.h != d.h {
			return nil, ErrInval
		}
		node = v.p
	}
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := fn(node, &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}

// XML writes v (nil: the root) as an Apple-style XML plist.
func (d *Plist) XML(v *Value) ([]byte, error) {
	return d.serialize(v, func(node *C.csig_pval, out **C.char, n *C.size_t, e *C.csig_error) C.int {
		return C.csig_plist_to_xml(d.p, node, out, n, e)
	})
}

// Text writes v (nil: the root) as indented human-readable text.
func (d *Plist) Text(v *Value) ([]byte, error) {
	return d.serialize(v, func(node *C.csig_pval, out **C.char, n *C.size_t, e *C.csig_error) C.int {
		return C.csig_plist_to_text(d.p, node, out, n, e)
	})
}

// JSON writes v (nil: the root) as JSON from the library's writer.
func (d *Plist) JSON(v *Value, pretty bool) ([]byte, error) {
	pr := C.int(0)
	if pretty {
		pr = 1
	}
	return d.serialize(v, func(node *C.csig_pval, out **C.char, n *C.size_t, e *C.csig_error) C.int {
		return C.csig_plist_to_json(d.p, node, pr, out, n, e)
	})
}

// Value is one node of a Plist; it keeps its document alive.  The typed
// getters return ErrBadValue when the node has another type.
type Value struct {
	h    *handle
	p    *C.csig_pval
	keep any // the document, kept alive
}

// Type is the node's type (0 once the document is closed).
func (v *Value) Type() PlistType {
	if v == nil || !v.h.acquire() {
		return 0
	}
	defer v.h.release()
	return PlistType(C.csig_pval_type_of(v.p))
}

// Offset is the input offset where the node starts.
func (v *Value) Offset() uint64 {
	if v == nil || !v.h.acquire() {
		return 0
	}
	defer v.h.release()
	return uint64(C.csig_pval_offset(v.p))
}

func (v *Value) bytesGetter(fn func(*C.csig_pval, *C.csig_bytes) C.int) ([]byte, error) {
	if v == nil || !v.h.acquire() {
		return nil, ErrClosed
	}
	defer v.h.release()
	var b C.csig_bytes
	if rc := fn(v.p, &b); rc != 0 {
		return nil, codeError(rc)
	}
	return goBytes(b), nil
}

// StringValue returns a string node's UTF-8 text (it may contain NULs).
func (v *Value) StringValue() (string, error) {
	b, err := v.bytesGetter(func(p *C.csig_pval, b *C.csig_bytes) C.int { return C.csig_pval_string(p, b) })
	return string(b), err
}

// Data returns a data node's bytes.
func (v *Value) Data() ([]byte, error) {
	return v.bytesGetter(func(p *C.csig_pval, b *C.csig_bytes) C.int { return C.csig_pval_data(p, b) })
}

// Int returns an integer node; ErrOverflow above math.MaxInt64.
func (v *Value) Int() (int64, error) {
	if v == nil || !v.h.acquire() {
		return 0, ErrClosed
	}
	defer v.h.release()
	var x C.int64_t
	if rc := C.csig_pval_int(v.p, &x); rc != 0 {
		return 0, codeError(rc)
	}
	return int64(x), nil
}

// Uint returns an integer node; ErrOverflow when negative.
func (v *Value) Uint() (uint64, error) {
	if v == nil || !v.h.acquire() {
		return 0, ErrClosed
	}
	defer v.h.release()
	var x C.uint64_t
	if rc := C.csig_pval_uint(v.p, &x); rc != 0 {
		return 0, codeError(rc)
	}
	return uint64(x), nil
}

// UID returns a binary-plist UID node.
func (v *Value) UID() (uint64, error) {
	if v == nil || !v.h.acquire() {
		return 0, ErrClosed
	}
	defer v.h.release()
	var x C.uint64_t
	if rc := C.csig_pval_uid(v.p, &x); rc != 0 {
		return 0, codeError(rc)
	}
	return uint64(x), nil
}

// Real returns a real node.
func (v *Value) Real() (float64, error) {
	if v == nil || !v.h.acquire() {
		return 0, ErrClosed
	}
	defer v.h.release()
	var x C.double
	if rc := C.csig_pval_real(v.p, &x); rc != 0 {
		return 0, codeError(rc)
	}
	return float64(x), nil
}

// Bool returns a boolean node.
func (v *Value) Bool() (bool, error) {
	if v == nil || !v.h.acquire() {
		return false, ErrClosed
	}
	defer v.h.release()
	var x C.int
	if rc := C.csig_pval_bool(v.p, &x); rc != 0 {
		return false, codeError(rc)
	}
	return x != 0, nil
}

// Date returns a date node (whole seconds, UTC).
func (v *Value) Date() (time.Time, error) {
	if v == nil || !v.h.acquire() {
		return time.Time{}, ErrClosed
	}
	defer v.h.release()
	var x C.int64_t
	if rc := C.csig_pval_date(v.p, &x); rc != 0 {
		return time.Time{}, codeError(rc)
	}
	return time.Unix(int64(x), 0).UTC(), nil
}

// Len is the number of entries of a dict or items of an array (0 otherwise).
func (v *Value) Len() int {
	if v == nil || !v.h.acquire() {
		return 0
	}
	defer v.h.release()
	return int(C.csig_pval_count(v.p))
}

func (v *Value) child(c *C.csig_pval) *Value {
	if c == nil {
		return nil
	}
	return &Value{h: v.h, p: c, keep: v.keep}
}

// Index returns item i of an array, or nil.
func (v *Value) Index(i int) *Value {
	if v == nil || i < 0 || !v.h.acquire() {
		return nil
	}
	defer v.h.release()
	return v.child(C.csig_pval_array_item(v.p, C.size_t(i)))
}

// Entry returns the key (a string node) and value of dict entry i, in
// input order, duplicates included; nils when out of range.
func (v *Value) Entry(i int) (key, value *Value) {
	if v == nil || i < 0 || !v.h.acquire() {
		return nil, nil
	}
	defer v.h.release()
	return v.child(C.csig_pval_dict_key(v.p, C.size_t(i))), v.child(C.csig_pval_dict_value(v.p, C.size_t(i)))
}

// Get returns the value of key in a dict (the last duplicate wins, as in
// CFPropertyList), or nil.
func (v *Value) Get(key string) *Value {
	if v == nil {
		return nil
	}
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	if !v.h.acquire() {
		return nil
	}
	defer v.h.release()
	if strings.IndexByte(key, 0) < 0 {
		return v.child(C.csig_pval_dict_get(v.p, ck))
	}
	return v.child(C.csig_pval_dict_getn(v.p, ck, C.size_t(len(key))))
}

// Keys lists the keys of a dict in input order, duplicates included (nil
// for other types).
func (v *Value) Keys() []string {
	if v == nil || !v.h.acquire() {
		return nil
	}
	defer v.h.release()
	n := C.csig_pval_count(v.p)
	if C.csig_pval_type_of(v.p) != C.CSIG_PVAL_DICT {
		return nil
	}
	out := make([]string, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var l C.size_t
		s := C.csig_pval_cstr(C.csig_pval_dict_key(v.p, i), &l)
		out = append(out, string(goBytesPtr(unsafe.Pointer(s), int(l))))
	}
	return out
}

// DateReal returns a date node as Unix seconds with the fraction kept.
func (v *Value) DateReal() (float64, error) {
	if v == nil || !v.h.acquire() {
		return 0, ErrClosed
	}
	defer v.h.release()
	var x C.double
	if rc := C.csig_pval_date_real(v.p, &x); rc != 0 {
		return 0, codeError(rc)
	}
	return float64(x), nil
}
