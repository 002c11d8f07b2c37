package csig

/*
#include <stdlib.h>
#include <csig.h>
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// KeyType is a certificate's public key kind.
type KeyType int

const (
	KeyUnknown KeyType = C.CSIG_KEY_UNKNOWN
	KeyRSA     KeyType = C.CSIG_KEY_RSA
	KeyECP256  KeyType = C.CSIG_KEY_EC_P256
	KeyECP384  KeyType = C.CSIG_KEY_EC_P384
	KeyECOther KeyType = C.CSIG_KEY_EC_OTHER
)

// Certificate is an X.509 certificate, parsed by ParseCertificate (then
// Close it) or borrowed from a CMS (then it keeps the CMS alive and Close
// does nothing).
type Certificate struct {
	own   handle  // used when the certificate was parsed on its own
	h     *handle // the owner's handle: &own, or the CMS's or profile's
	p     *C.csig_cert
	owned bool
	keep  any // the owner of a borrowed certificate, kept alive
}

// ParseCertificate parses one DER certificate (the input is copied).
func ParseCertificate(der []byte, opts *Options) (*Certificate, error) {
	co := opts.c(C.CSIG_OPEN_COPY)
	var p *C.csig_cert
	var e C.csig_error
	var rc C.int
	cBytes(der, func(b unsafe.Pointer, n C.size_t) {
		rc = C.csig_cert_parse(&p, b, n, &co, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	c := &Certificate{p: p, owned: true}
	c.h = &c.own
	runtime.SetFinalizer(c, (*Certificate).Close)
	return c, nil
}

// Close releases a certificate from ParseCertificate; for one borrowed
// from a CMS it does nothing.  Idempotent.
func (c *Certificate) Close() error {
	if !c.owned {
		return nil
	}
	c.own.close(func() {
		C.csig_cert_free(c.p)
		c.p = nil
	})
	runtime.SetFinalizer(c, nil)
	return nil
}

func (c *Certificate) str(fn func(*C.csig_cert) *C.char) string {
	if c == nil || !c.h.acquire() {
		return ""
	}
	defer c.h.release()
	return goStr(fn(c.p))
}

func (c *Certificate) bytes(fn func(*C.csig_cert) C.csig_bytes) []byte {
	if c == nil || !c.h.acquire() {
		return nil
	}
	defer c.h.release()
	return goBytes(fn(c.p))
}

func (c *Certificate) int(fn func(*C.csig_cert) C.int) int {
	if c == nil || !c.h.acquire() {
		return 0
	}
	defer c.h.release()
	return int(fn(c.p))
}

// DER returns a copy of the certificate's encoding.
func (c *Certificate) DER() []byte {
	return c.bytes(func(p *C.csig_cert) C.csig_bytes { return C.csig_cert_der(p) })
}

// TBS returns the TBSCertificate bytes the issuer signed.
func (c *Certificate) TBS() []byte {
	return c.bytes(func(p *C.csig_cert) C.csig_bytes { return C.csig_cert_tbs(p) })
}

// SignatureValue returns the signature bytes (BIT STRING contents).
func (c *Certificate) SignatureValue() []byte {
	return c.bytes(func(p *C.csig_cert) C.csig_bytes { return C.csig_cert_signature(p) })
}

// Serial returns the serial number's magnitude bytes.
func (c *Certificate) Serial() []byte {
	return c.bytes(func(p *C.csig_cert) C.csig_bytes { return C.csig_cert_serial(p) })
}

// Version is the X.509 version (1, 2 or 3).
func (c *Certificate) Version() int {
	return c.int(func(p *C.csig_cert) C.int { return C.csig_cert_version(p) })
}

// SerialHex is the serial number as lowercase hex.
func (c *Certificate) SerialHex() string {
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_serial_hex(p) })
}

// SubjectCN is the subject commonName ("" when absent).
func (c *Certificate) SubjectCN() string {
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_subject_cn(p) })
}

// IssuerCN is the issuer commonName ("" when absent).
func (c *Certificate) IssuerCN() string {
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_issuer_cn(p) })
}

// TeamID is the first subject organizationalUnitName ("" when absent).
func (c *Certificate) TeamID() string {
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_team_id(p) })
}

// Subject is the one-line subject, "CN=..., OU=..., O=..., C=...".
func (c *Certificate) Subject() string {
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_subject_text(p) })
}

// Issuer is the one-line issuer.
func (c *Certificate) Issuer() string {
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_issuer_text(p) })
}

// SigAlgOID is the signature algorithm as a dotted OID.
func (c *Certificate) SigAlgOID() string {
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_sig_alg_oid(p) })
}

// SigAlgName is the signature algorithm's name, or its OID.
func (c *Certificate) SigAlgName() string {
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_sig_alg_name(p) })
}

// SubjectAttr is the first value of a subject attribute by dotted OID or
// short name ("CN", "OU", "O", ...), "" when absent.
func (c *Certificate) SubjectAttr(name string) string {
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_subject_attr(p, cn) })
}

// IssuerAttr is SubjectAttr for the issuer.
func (c *Certificate) IssuerAttr(name string) string {
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	return c.str(func(p *C.csig_cert) *C.char { return C.csig_cert_issuer_attr(p, cn) })
}

// NameAttr is one attribute of a distinguished name.
type NameAttr struct {
	OID, ShortName, Value string
}

// SubjectAttrs lists every subject attribute in encoded order.
func (c *Certificate) SubjectAttrs() []NameAttr {
	if c == nil || !c.h.acquire() {
		return nil
	}
	defer c.h.release()
	n := C.csig_cert_subject_attr_count(c.p)
	out := make([]NameAttr, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var oid, short, val *C.char
		if C.csig_cert_subject_attr_at(c.p, i, &oid, &short, &val) == 0 {
			out = append(out, NameAttr{goStr(oid), goStr(short), goStr(val)})
		}
	}
	return out
}

// NotBefore is the start of the validity period.
func (c *Certificate) NotBefore() time.Time {
	if c == nil || !c.h.acquire() {
		return time.Time{}
	}
	defer c.h.release()
	return time.Unix(int64(C.csig_cert_not_before(c.p)), 0).UTC()
}

// NotAfter is the end of the validity period.
func (c *Certificate) NotAfter() time.Time {
	if c == nil || !c.h.acquire() {
		return time.Time{}
	}
	defer c.h.release()
	return time.Unix(int64(C.csig_cert_not_after(c.p)), 0).UTC()
}

// SHA1 is the SHA-1 fingerprint of the DER bytes.
func (c *Certificate) SHA1() [20]byte {
	var out [20]byte
	if c == nil || !c.h.acquire() {
		return out
	}
	defer c.h.release()
	copy(out[:], goBytesPtr(unsafe.Pointer(C.csig_cert_sha1(c.p)), 20))
	return out
}

// SHA256 is the SHA-256 fingerprint of the DER bytes.
func (c *Certificate) SHA256() [32]byte {
	var out [32]byte
	if c == nil || !c.h.acquire() {
		return out
	}
	defer c.h.release()
	copy(out[:], goBytesPtr(unsafe.Pointer(C.csig_cert_sha256(c.p)), 32))
	return out
}

// IsCA reports basicConstraints cA TRUE.
func (c *Certificate) IsCA() bool {
	return c.int(func(p *C.csig_cert) C.int { return C.csig_cert_is_ca(p) }) == 1
}

// IsSelfIssued reports byte-identical issuer and subject.
func (c *Certificate) IsSelfIssued() bool {
	return c.int(func(p *C.csig_cert) C.int { return C.csig_cert_is_self_issued(p) }) == 1
}

// KeyUsage is the keyUsage bits (bit 0 = digitalSignature), or -1 when absent.
func (c *Certificate) KeyUsage() int {
	return c.int(func(p *C.csig_cert) C.int { return C.csig_cert_key_usage(p) })
}

// KeyType is the public key kind.
func (c *Certificate) KeyType() KeyType {
	if c == nil || !c.h.acquire() {
		return KeyUnknown
	}
	defer c.h.release()
	return KeyType(C.csig_cert_key_type(c.p))
}

// KeyBits is the public key size in bits (0 if unknown).
func (c *Certificate) KeyBits() int {
	if c == nil || !c.h.acquire() {
		return 0
	}
	defer c.h.release()
	return int(C.csig_cert_key_bits(c.p))
}

// Extension is one certificate extension.
type Extension struct {
	OID      string
	Critical bool
	Value    []byte // extnValue contents
}

// HasExtension reports an extension with dotted OID oid.
func (c *Certificate) HasExtension(oid string) bool {
	co := C.CString(oid)
	defer C.free(unsafe.Pointer(co))
	return c.int(func(p *C.csig_cert) C.int { return C.csig_cert_has_extension(p, co) }) == 1
}

// Extension returns the extension with a dotted OID, or ErrNotFound.
func (c *Certificate) Extension(oid string) (Extension, error) {
	co := C.CString(oid)
	defer C.free(unsafe.Pointer(co))
	if c == nil || !c.h.acquire() {
		return Extension{}, ErrClosed
	}
	defer c.h.release()
	var crit C.int
	var v C.csig_bytes
	if rc := C.csig_cert_extension(c.p, co, &crit, &v); rc != 0 {
		return Extension{}, codeError(rc)
	}
	return Extension{oid, crit != 0, goBytes(v)}, nil
}

// Extensions lists every extension in encoded order.
func (c *Certificate) Extensions() []Extension {
	if c == nil || !c.h.acquire() {
		return nil
	}
	defer c.h.release()
	n := C.csig_cert_extension_count(c.p)
	out := make([]Extension, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var oid *C.char
		var crit C.int
		var v C.csig_bytes
		if C.csig_cert_extension_at(c.p, i, &oid, &crit, &v) == 0 {
			out = append(out, Extension{goStr(oid), crit != 0, goBytes(v)})
		}
	}
	return out
}

func (c *Certificate) oidList(count func(*C.csig_cert) C.size_t, at func(*C.csig_cert, C.size_t) *C.char) []string {
	if c == nil || !c.h.acquire() {
		return nil
	}
	defer c.h.release()
	n := count(c.p)
	out := make([]string, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if s := at(c.p, i); s != nil {
			out = append(out, C.GoString(s))
		}
	}
	return out
}

// ExtKeyUsages lists the extended key usage OIDs.
func (c *Certificate) ExtKeyUsages() []string {
	return c.oidList(func(p *C.csig_cert) C.size_t { return C.csig_cert_eku_count(p) },
		func(p *C.csig_cert, i C.size_t) *C.char { return C.csig_cert_eku(p, i) })
}

// Policies lists the certificate policy OIDs.
func (c *Certificate) Policies() []string {
	return c.oidList(func(p *C.csig_cert) C.size_t { return C.csig_cert_policy_count(p) },
		func(p *C.csig_cert, i C.size_t) *C.char { return C.csig_cert_policy(p, i) })
}

// AppleMarker is an extension under 1.2.840.113635.100.6.
type AppleMarker struct {
	OID  string
	Name string // "Developer ID Application", ...; "Apple extension" when unknown
}

// AppleMarkers lists Apple's marker extensions in encoded order.
func (c *Certificate) AppleMarkers() []AppleMarker {
	if c == nil || !c.h.acquire() {
		return nil
	}
	defer c.h.release()
	n := C.csig_cert_apple_marker_count(c.p)
	out := make([]AppleMarker, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var name *C.char
		if oid := C.csig_cert_apple_marker(c.p, i, &name); oid != nil {
			out = append(out, AppleMarker{C.GoString(oid), goStr(name)})
		}
	}
	return out
}

// PEM is the certificate as PEM text.
func (c *Certificate) PEM() (string, error) {
	if c == nil || !c.h.acquire() {
		return "", ErrClosed
	}
	defer c.h.release()
	var out *C.char
	var e C.csig_error
	if rc := C.csig_cert_pem(c.p, &out, &e); rc != 0 {
		return "", newError(rc, &e)
	}
	return takeCString(out), nil
}

// VerifySignature checks that c was signed by issuer's key (names are not
// compared).  ErrUnsupported or ErrBadValue when it cannot be checked.
func (c *Certificate) VerifySignature(issuer *Certificate) (bool, error) {
	if c == nil || issuer == nil {
		return false, ErrInval
	}
	if !c.h.acquire() {
		return false, ErrClosed
	}
	defer c.h.release()
	if issuer.h != c.h {
		if !issuer.h.acquire() {
			return false, ErrClosed
		}
		defer issuer.h.release()
	}
	rc := C.csig_cert_verify_signature(c.p, issuer.p)
	if rc < 0 {
		return false, codeError(rc)
	}
	return rc == 1, nil
}

// AppleOIDName is the name Apple gives an OID under 1.2.840.113635.100,
// or "" when unknown.
func AppleOIDName(oid string) string {
	co := C.CString(oid)
	defer C.free(unsafe.Pointer(co))
	return goStr(C.csig_x509_apple_oid_name(co))
}
