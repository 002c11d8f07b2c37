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

// CMS is a CMS SignedData: the code-signature blob of slot 0x10000 or a
// provisioning profile.  A CMS from ParseCMS must be closed; a timestamp
// token from Signer.Timestamp is borrowed and keeps its parent alive.
type CMS struct {
	own   handle
	h     *handle
	p     *C.csig_cms
	owned bool
	keep  any // the owner of a borrowed CMS (File, Profile), kept alive
}

// ParseCMS parses a ContentInfo holding SignedData (BER or DER; copied).
func ParseCMS(data []byte, opts *Options) (*CMS, error) {
	co := opts.c(C.CSIG_OPEN_COPY)
	var p *C.csig_cms
	var e C.csig_error
	var rc C.int
	cBytes(data, func(b unsafe.Pointer, n C.size_t) {
		rc = C.csig_cms_parse(&p, b, n, &co, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	m := &CMS{p: p, owned: true}
	m.h = &m.own
	runtime.SetFinalizer(m, (*CMS).Close)
	return m, nil
}

// CMSSignature parses the signature's CMS blob (slot 0x10000);
// ErrNotFound for ad-hoc signatures.
func (g *Signature) CMSSignature() (*CMS, error) {
	b, err := g.CMS()
	if err != nil {
		return nil, err
	}
	return ParseCMS(b, nil)
}

// Close releases a parsed CMS (certificates and signers taken from it then
// read as absent).  It does nothing for a borrowed timestamp token.
func (m *CMS) Close() error {
	if !m.owned {
		return nil
	}
	m.own.close(func() {
		C.csig_cms_free(m.p)
		m.p = nil
	})
	runtime.SetFinalizer(m, nil)
	return nil
}

// Version is the SignedData version.
func (m *CMS) Version() int {
	if !m.h.acquire() {
		return 0
	}
	defer m.h.release()
	return int(C.csig_cms_version(m.p))
}

// ContentType is eContentType as a dotted OID.
func (m *CMS) ContentType() string {
	if !m.h.acquire() {
		return ""
	}
	defer m.h.release()
	return goStr(C.csig_cms_content_type(m.p))
}

// IsDetached reports an absent eContent (code signatures).
func (m *CMS) IsDetached() bool {
	if !m.h.acquire() {
		return false
	}
	defer m.h.release()
	return C.csig_cms_is_detached(m.p) != 0
}

// Content returns the attached content (empty when detached).
func (m *CMS) Content() []byte {
	if !m.h.acquire() {
		return nil
	}
	defer m.h.release()
	return goBytes(C.csig_cms_content(m.p))
}

// DigestAlgorithms lists the SignedData digestAlgorithms as dotted OIDs.
func (m *CMS) DigestAlgorithms() []string {
	if !m.h.acquire() {
		return nil
	}
	defer m.h.release()
	n := C.csig_cms_digest_alg_count(m.p)
	out := make([]string, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if s := C.csig_cms_digest_alg(m.p, i); s != nil {
			out = append(out, C.GoString(s))
		}
	}
	return out
}

func (m *CMS) cert(p *C.csig_cert) *Certificate {
	if p == nil {
		return nil
	}
	return &Certificate{h: m.h, p: p, keep: m}
}

// Certificates lists the certificates field.
func (m *CMS) Certificates() []*Certificate {
	if !m.h.acquire() {
		return nil
	}
	defer m.h.release()
	n := C.csig_cms_cert_count(m.p)
	out := make([]*Certificate, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if c := m.cert(C.csig_cms_cert(m.p, i)); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// Chain is the first signer's chain, leaf first.
func (m *CMS) Chain() []*Certificate {
	if !m.h.acquire() {
		return nil
	}
	defer m.h.release()
	n := C.csig_cms_chain_count(m.p)
	out := make([]*Certificate, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if c := m.cert(C.csig_cms_chain_cert(m.p, i)); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// Signers lists the SignerInfos (more than one is suspicious: CVE-2023-41991).
func (m *CMS) Signers() []*Signer {
	if !m.h.acquire() {
		return nil
	}
	defer m.h.release()
	n := int(C.csig_cms_signer_count(m.p))
	out := make([]*Signer, n)
	for i := range out {
		out[i] = &Signer{m: m, i: C.size_t(i)}
	}
	return out
}

// TSTInfo is the content of an RFC 3161 timestamp token.
type TSTInfo struct {
	GenTime   time.Time
	HashType  int    // CodeDirectory numbering
	Imprint   []byte // messageImprint digest
	SerialHex string
}

// TSTInfo returns the TSTInfo of a timestamp token, or ErrNotFound.
func (m *CMS) TSTInfo() (TSTInfo, error) {
	if !m.h.acquire() {
		return TSTInfo{}, ErrClosed
	}
	defer m.h.release()
	var gen C.int64_t
	var ht C.int
	var imp C.csig_bytes
	var serial *C.char
	if rc := C.csig_cms_tstinfo(m.p, &gen, &ht, &imp, &serial); rc != 0 {
		return TSTInfo{}, codeError(rc)
	}
	return TSTInfo{time.Unix(int64(gen), 0).UTC(), int(ht), goBytes(imp), goStr(serial)}, nil
}

// Signer is one SignerInfo of a CMS; it keeps the CMS alive.
type Signer struct {
	m *CMS
	i C.size_t
}

// Cert is the certificate matching the signer's sid, or nil.
func (s *Signer) Cert() *Certificate {
	if !s.m.h.acquire() {
		return nil
	}
	defer s.m.h.release()
	return s.m.cert(C.csig_cms_signer_cert(s.m.p, s.i))
}

func (s *Signer) str(fn func(*C.csig_cms, C.size_t) *C.char) string {
	if !s.m.h.acquire() {
		return ""
	}
	defer s.m.h.release()
	return goStr(fn(s.m.p, s.i))
}

func (s *Signer) bytes(fn func(*C.csig_cms, C.size_t) C.csig_bytes) []byte {
	if !s.m.h.acquire() {
		return nil
	}
	defer s.m.h.release()
	return goBytes(fn(s.m.p, s.i))
}

// DigestOID is the signer's digestAlgorithm as a dotted OID.
func (s *Signer) DigestOID() string {
	return s.str(func(m *C.csig_cms, i C.size_t) *C.char { return C.csig_cms_signer_digest_oid(m, i) })
}

// SigAlgOID is the signer's signatureAlgorithm as a dotted OID.
func (s *Signer) SigAlgOID() string {
	return s.str(func(m *C.csig_cms, i C.size_t) *C.char { return C.csig_cms_signer_sig_alg_oid(m, i) })
}

// ContentType is the contentType signed attribute, or "".
func (s *Signer) ContentType() string {
	return s.str(func(m *C.csig_cms, i C.size_t) *C.char { return C.csig_cms_signer_content_type(m, i) })
}

// DigestAlg is the digest algorithm as a CodeDirectory hash type (0 if unknown).
func (s *Signer) DigestAlg() int {
	if !s.m.h.acquire() {
		return 0
	}
	defer s.m.h.release()
	return int(C.csig_cms_signer_digest_alg(s.m.p, s.i))
}

// SignatureValue returns the signature bytes.
func (s *Signer) SignatureValue() []byte {
	return s.bytes(func(m *C.csig_cms, i C.size_t) C.csig_bytes { return C.csig_cms_signer_signature(m, i) })
}

// MessageDigest returns the messageDigest attribute (empty when absent).
func (s *Signer) MessageDigest() []byte {
	return s.bytes(func(m *C.csig_cms, i C.size_t) C.csig_bytes { return C.csig_cms_signer_message_digest(m, i) })
}

// CDHashesPlist returns the raw XML plist of Apple's CDHashes attribute.
func (s *Signer) CDHashesPlist() []byte {
	return s.bytes(func(m *C.csig_cms, i C.size_t) C.csig_bytes { return C.csig_cms_signer_cdhashes_plist(m, i) })
}

// HasSignedAttrs reports signed attributes.
func (s *Signer) HasSignedAttrs() bool {
	if !s.m.h.acquire() {
		return false
	}
	defer s.m.h.release()
	return C.csig_cms_signer_has_signed_attrs(s.m.p, s.i) != 0
}

// SigningTime is the self-declared signingTime, or ErrNotFound.
func (s *Signer) SigningTime() (time.Time, error) {
	if !s.m.h.acquire() {
		return time.Time{}, ErrClosed
	}
	defer s.m.h.release()
	var t C.int64_t
	if rc := C.csig_cms_signer_signing_time(s.m.p, s.i, &t); rc != 0 {
		return time.Time{}, codeError(rc)
	}
	return time.Unix(int64(t), 0).UTC(), nil
}

// CDHash2 is one entry of Apple's CDHashes2 attribute.
type CDHash2 struct {
	HashType int // CodeDirectory numbering, 0 if unknown
	OID      string
	Digest   []byte
}

// CDHashes2 lists the CDHashes2 attribute entries.
func (s *Signer) CDHashes2() []CDHash2 {
	if !s.m.h.acquire() {
		return nil
	}
	defer s.m.h.release()
	n := C.csig_cms_signer_cdhash2_count(s.m.p, s.i)
	out := make([]CDHash2, 0, int(n))
	for k := C.size_t(0); k < n; k++ {
		var ht C.int
		var oid *C.char
		var d C.csig_bytes
		if C.csig_cms_signer_cdhash2(s.m.p, s.i, k, &ht, &oid, &d) == 0 {
			out = append(out, CDHash2{int(ht), goStr(oid), goBytes(d)})
		}
	}
	return out
}

// Timestamp is the signer's RFC 3161 timestamp token, or nil.
func (s *Signer) Timestamp() *CMS {
	if !s.m.h.acquire() {
		return nil
	}
	defer s.m.h.release()
	t := C.csig_cms_signer_timestamp(s.m.p, s.i)
	if t == nil {
		return nil
	}
	return &CMS{h: s.m.h, p: t, keep: s.m}
}

// CMSResult is the outcome of CMS.Verify, copied into Go; the C result is
// kept for JSON until Close.
type CMSResult struct {
	h                              handle
	p                              *C.csig_cms_result
	m                              *CMS
	buf                            unsafe.Pointer // detached content in C memory, freed on Close
	OK                             bool           // digest, signature, chain and any timestamp verify
	DigestOK, SignatureOK, ChainOK bool
	LinksOK                        []bool // link i: certificate i signed by i+1 (the root by itself)
	AppleRoot                      bool
	AppleRootName                  string
	Expired                        bool
	DaysToExpiry                   int64
	MultipleSigners                bool
	Timestamp                      int // -1 no token, 0 present but not verified, 1 verified
	TimestampAppleRoot             bool
	Findings                       []CMSFinding
}

// CMSFinding is one problem CMS.Verify found.
type CMSFinding struct {
	ID      string // "digest-mismatch", "chain-incomplete", ...
	Message string
}

// Verify checks the first signer: message digest (over detached, or the
// attached content when detached is nil), signature, chain, Apple root,
// expiry at time at, timestamp.  Failed checks are data in the result.
func (m *CMS) Verify(detached []byte, at time.Time) (*CMSResult, error) {
	if !m.h.acquire() {
		return nil, ErrClosed
	}
	defer m.h.release()
	r := &CMSResult{m: m}
	var content C.csig_bytes
	if detached != nil {
		if len(detached) == 0 {
			r.buf = C.malloc(1)
		} else {
			r.buf = C.CBytes(detached)
		}
		content.ptr = (*C.uint8_t)(r.buf)
		content.len = C.size_t(len(detached))
	}
	var e C.csig_error
	if rc := C.csig_cms_verify(m.p, content, C.int64_t(at.Unix()), &r.p, &e); rc != 0 {
		C.free(r.buf)
		return nil, newError(rc, &e)
	}
	r.fill(r.p, m.p)
	runtime.SetFinalizer(r, (*CMSResult).Close)
	return r, nil
}

// JSON returns the library's JSON of the CMS and this result.
func (r *CMSResult) JSON(pretty bool) ([]byte, error) {
	if !r.h.acquire() {
		return nil, ErrClosed
	}
	defer r.h.release()
	return r.m.json(r.p, pretty)
}

// JSON returns the library's JSON of the CMS.
func (m *CMS) JSON(pretty bool) ([]byte, error) { return m.json(nil, pretty) }

func (m *CMS) json(res *C.csig_cms_result, pretty bool) ([]byte, error) {
	if !m.h.acquire() {
		return nil, ErrClosed
	}
	defer m.h.release()
	pr := C.int(0)
	if pretty {
		pr = 1
	}
	var out *C.char
	var e C.csig_error
	if rc := C.csig_cms_to_json(m.p, res, pr, &out, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return []byte(takeCString(out)), nil
}

// Close releases the C result (the copied fields stay).  Idempotent.
func (r *CMSResult) Close() error {
	r.h.close(func() {
		C.csig_cms_result_free(r.p)
		C.free(r.buf)
		r.p, r.buf = nil, nil
	})
	runtime.SetFinalizer(r, nil)
	return nil
}

// ParsedCMS is the CMS of slot 0x10000 parsed when the file was opened
// (csig_sig_cms_parsed), or nil when there is none, the signature is ad hoc
// or the CMS does not parse (then the File's Findings have a
// "cms-malformed" entry).  It is borrowed: it keeps the File alive, its
// Close does nothing, and its certificates and signers read as absent once
// the File is closed.
func (g *Signature) ParsedCMS() *CMS {
	if !g.f.h.acquire() {
		return nil
	}
	defer g.f.h.release()
	p := C.csig_sig_cms_parsed(g.p)
	if p == nil {
		return nil
	}
	return &CMS{h: g.f.h, p: p, keep: g.f}
}

// fill copies the fields of a C result about CMS m.
func (r *CMSResult) fill(p *C.csig_cms_result, m *C.csig_cms) {
	r.OK = C.csig_cms_result_ok(p) != 0
	r.DigestOK = C.csig_cms_result_digest_ok(p) != 0
	r.SignatureOK = C.csig_cms_result_signature_ok(p) != 0
	r.ChainOK = C.csig_cms_result_chain_ok(p) != 0
	chain := int(C.csig_cms_chain_count(m))
	r.LinksOK = make([]bool, chain)
	for i := range r.LinksOK {
		r.LinksOK[i] = C.csig_cms_result_link_ok(p, C.size_t(i)) != 0
	}
	r.AppleRoot = C.csig_cms_result_apple_root(p) != 0
	r.AppleRootName = goStr(C.csig_cms_result_apple_root_name(p))
	r.Expired = C.csig_cms_result_expired(p) != 0
	r.DaysToExpiry = int64(C.csig_cms_result_days_to_expiry(p))
	r.MultipleSigners = C.csig_cms_result_multiple_signers(p) != 0
	r.Timestamp = int(C.csig_cms_result_timestamp(p))
	r.TimestampAppleRoot = C.csig_cms_result_timestamp_apple_root(p) != 0
	n := C.csig_cms_result_finding_count(p)
	for i := C.size_t(0); i < n; i++ {
		var msg *C.char
		if id := C.csig_cms_result_finding(p, i, &msg); id != nil {
			r.Findings = append(r.Findings, CMSFinding{C.GoString(id), goStr(msg)})
		}
	}
}
