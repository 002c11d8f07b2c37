package csig

/*
#include <csig.h>
*/
import "C"

import "unsafe"

// Hash types of a CodeDirectory (its hashType byte).
const (
	HashNone            = C.CSIG_HASHTYPE_NONE
	HashSHA1            = C.CSIG_HASHTYPE_SHA1
	HashSHA256          = C.CSIG_HASHTYPE_SHA256
	HashSHA256Truncated = C.CSIG_HASHTYPE_SHA256_TRUNCATED
	HashSHA384          = C.CSIG_HASHTYPE_SHA384
	HashSHA512          = C.CSIG_HASHTYPE_SHA512
)

// Slot numbers of the embedded SuperBlob.
const (
	SlotCodeDirectory               = C.CSIG_SLOT_CODEDIRECTORY
	SlotInfo                        = C.CSIG_SLOT_INFO
	SlotRequirements                = C.CSIG_SLOT_REQUIREMENTS
	SlotResourceDir                 = C.CSIG_SLOT_RESOURCEDIR
	SlotApplication                 = C.CSIG_SLOT_APPLICATION
	SlotEntitlements                = C.CSIG_SLOT_ENTITLEMENTS
	SlotRepSpecific                 = C.CSIG_SLOT_REPSPECIFIC
	SlotDEREntitlements             = C.CSIG_SLOT_DER_ENTITLEMENTS
	SlotLaunchConstraintSelf        = C.CSIG_SLOT_LAUNCH_CONSTRAINT_SELF
	SlotLaunchConstraintParent      = C.CSIG_SLOT_LAUNCH_CONSTRAINT_PARENT
	SlotLaunchConstraintResponsible = C.CSIG_SLOT_LAUNCH_CONSTRAINT_RESPONSIBLE
	SlotLibraryConstraint           = C.CSIG_SLOT_LIBRARY_CONSTRAINT
	SlotAlternateCD                 = C.CSIG_SLOT_ALTERNATE_CD
	SlotSignature                   = C.CSIG_SLOT_SIGNATURE
	SlotIdentification              = C.CSIG_SLOT_IDENTIFICATION
	SlotTicket                      = C.CSIG_SLOT_TICKET
)

// Signature is a slice's embedded code signature (the SuperBlob).  It keeps
// its File alive.
type Signature struct {
	f *File
	p *C.csig_sig
}

// Bytes returns a copy of the SuperBlob.
func (g *Signature) Bytes() []byte {
	if !g.f.h.acquire() {
		return nil
	}
	defer g.f.h.release()
	return goBytes(C.csig_sig_bytes(g.p))
}

// FileOffset is the absolute offset of the SuperBlob.
func (g *Signature) FileOffset() uint64 {
	if !g.f.h.acquire() {
		return 0
	}
	defer g.f.h.release()
	return uint64(C.csig_sig_file_offset(g.p))
}

// Blob is one SuperBlob index entry, copied from the library.
type Blob struct {
	Type       uint32 // slot number
	Offset     uint32 // from the SuperBlob start
	Magic      uint32 // 0 when unreadable
	Length     uint32 // the blob's own length field
	FileOffset uint64 // absolute
	Name       string // "CodeDirectory", "Requirements", ...
	Bytes      []byte // the whole blob (empty when out of bounds)
	Err        error  // nil, or why the blob is broken (*Error)
}

func goBlob(b *C.csig_blob) Blob {
	out := Blob{
		Type:       uint32(b._type),
		Offset:     uint32(b.offset),
		Magic:      uint32(b.magic),
		Length:     uint32(b.length),
		FileOffset: uint64(b.file_offset),
		Name:       goStr(b.name),
		Bytes:      goBytes(b.bytes),
	}
	if b.status != 0 {
		out.Err = codeError(b.status)
	}
	return out
}

// Blobs returns every index entry in stored order.
func (g *Signature) Blobs() []Blob {
	if !g.f.h.acquire() {
		return nil
	}
	defer g.f.h.release()
	n := C.csig_sig_blob_count(g.p)
	out := make([]Blob, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if b := C.csig_sig_blob(g.p, i); b != nil {
			out = append(out, goBlob(b))
		}
	}
	return out
}

// FindBlob returns the first blob of slot typ.
func (g *Signature) FindBlob(typ uint32) (Blob, bool) {
	if !g.f.h.acquire() {
		return Blob{}, false
	}
	defer g.f.h.release()
	b := C.csig_sig_find_blob(g.p, C.uint32_t(typ))
	if b == nil {
		return Blob{}, false
	}
	return goBlob(b), true
}

// CodeDirectories returns slot 0 first, then the alternates in slot order.
func (g *Signature) CodeDirectories() []*CodeDirectory {
	if !g.f.h.acquire() {
		return nil
	}
	defer g.f.h.release()
	n := C.csig_sig_cd_count(g.p)
	out := make([]*CodeDirectory, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if cd := C.csig_sig_cd(g.p, i); cd != nil {
			out = append(out, &CodeDirectory{f: g.f, p: cd})
		}
	}
	return out
}

// BestCD is Apple's choice (SHA-384 > SHA-256 > SHA-256-truncated > SHA-1),
// or nil when there is none.
func (g *Signature) BestCD() *CodeDirectory {
	if !g.f.h.acquire() {
		return nil
	}
	defer g.f.h.release()
	cd := C.csig_sig_best_cd(g.p)
	if cd == nil {
		return nil
	}
	return &CodeDirectory{f: g.f, p: cd}
}

// CMS returns a copy of the CMS payload of slot 0x10000, or ErrNotFound
// when there is none or the wrapper is empty (ad-hoc signing).
func (g *Signature) CMS() ([]byte, error) {
	if !g.f.h.acquire() {
		return nil, ErrClosed
	}
	defer g.f.h.release()
	var b C.csig_bytes
	if rc := C.csig_sig_cms(g.p, &b); rc != 0 {
		return nil, codeError(rc)
	}
	return goBytes(b), nil
}

// CodeDirectory is one CodeDirectory of a Signature.  It keeps its File alive.
type CodeDirectory struct {
	f *File
	p *C.csig_codedir
}

// Slot is the SuperBlob slot the CD sits in (0 or 0x1000..0x1004).
func (cd *CodeDirectory) Slot() uint32 {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint32(C.csig_codedir_slot(cd.p))
}

// Bytes returns a copy of the whole CodeDirectory blob.
func (cd *CodeDirectory) Bytes() []byte {
	if !cd.f.h.acquire() {
		return nil
	}
	defer cd.f.h.release()
	return goBytes(C.csig_codedir_bytes(cd.p))
}

// Version is the CD version (e.g. 0x20400).
func (cd *CodeDirectory) Version() uint32 {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint32(C.csig_codedir_version(cd.p))
}

// Flags are the CD flags (0x2 adhoc, 0x20000 linker-signed, ...).
func (cd *CodeDirectory) Flags() uint32 {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint32(C.csig_codedir_flags(cd.p))
}

// HashType is the hashType byte (HashSHA256, ...).
func (cd *CodeDirectory) HashType() int {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return int(C.csig_codedir_hash_type(cd.p))
}

// HashSize is the size of each slot hash.
func (cd *CodeDirectory) HashSize() int {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return int(C.csig_codedir_hash_size(cd.p))
}

// PageShift is log2 of the page size; 0 means one page covering everything.
func (cd *CodeDirectory) PageShift() uint {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint(C.csig_codedir_page_shift(cd.p))
}

// PageSize is 1 << PageShift, or 0 when one page covers everything.
func (cd *CodeDirectory) PageSize() uint64 {
	if sh := cd.PageShift(); sh != 0 && sh < 64 {
		return 1 << sh
	}
	return 0
}

// NSpecialSlots is the number of special slots.
func (cd *CodeDirectory) NSpecialSlots() uint32 {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint32(C.csig_codedir_n_special_slots(cd.p))
}

// NCodeSlots is the number of code slots.
func (cd *CodeDirectory) NCodeSlots() uint32 {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint32(C.csig_codedir_n_code_slots(cd.p))
}

// CodeLimit is the signing limit: codeLimit64 when set, else codeLimit.
func (cd *CodeDirectory) CodeLimit() uint64 {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint64(C.csig_codedir_code_limit(cd.p))
}

// Platform is the CD platform byte.
func (cd *CodeDirectory) Platform() uint8 {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint8(C.csig_codedir_platform(cd.p))
}

// Identifier is the signing identifier.
func (cd *CodeDirectory) Identifier() string {
	if !cd.f.h.acquire() {
		return ""
	}
	defer cd.f.h.release()
	return goStr(C.csig_codedir_identifier(cd.p))
}

// TeamID is the team identifier, or "" when absent.
func (cd *CodeDirectory) TeamID() string {
	if !cd.f.h.acquire() {
		return ""
	}
	defer cd.f.h.release()
	return goStr(C.csig_codedir_team_id(cd.p))
}

// ExecSegment is the exec-segment triple of a CD of version >= 0x20400.
type ExecSegment struct {
	Base, Limit, Flags uint64
}

// ExecSegment returns the exec segment, or ErrNotFound.
func (cd *CodeDirectory) ExecSegment() (ExecSegment, error) {
	if !cd.f.h.acquire() {
		return ExecSegment{}, ErrClosed
	}
	defer cd.f.h.release()
	var base, limit, flags C.uint64_t
	if rc := C.csig_codedir_exec_segment(cd.p, &base, &limit, &flags); rc != 0 {
		return ExecSegment{}, codeError(rc)
	}
	return ExecSegment{uint64(base), uint64(limit), uint64(flags)}, nil
}

// Runtime is the hardened-runtime version (0 when absent).
func (cd *CodeDirectory) Runtime() uint32 {
	if !cd.f.h.acquire() {
		return 0
	}
	defer cd.f.h.release()
	return uint32(C.csig_codedir_runtime(cd.p))
}

// SlotHash returns a copy of the stored hash of a slot: code slots are
// 0..n-1, special slots -1..-n.  ErrNotFound when out of range.
func (cd *CodeDirectory) SlotHash(slot int) ([]byte, error) {
	if !cd.f.h.acquire() {
		return nil, ErrClosed
	}
	defer cd.f.h.release()
	if slot < -(1<<31) || slot > 1<<31-1 {
		return nil, ErrNotFound
	}
	var b C.csig_bytes
	if rc := C.csig_codedir_slot_hash(cd.p, C.int(slot), &b); rc != 0 {
		return nil, codeError(rc)
	}
	return goBytes(b), nil
}

// CDHash is the 20-byte cdhash.
func (cd *CodeDirectory) CDHash() [20]byte {
	var out [20]byte
	if !cd.f.h.acquire() {
		return out
	}
	defer cd.f.h.release()
	C.csig_codedir_cdhash(cd.p, (*C.uint8_t)(unsafe.Pointer(&out[0])))
	return out
}

// CDHashFull is the untruncated cdhash (20, 32, 48 or 64 bytes), or
// ErrUnsupported for an unknown hash type.
func (cd *CodeDirectory) CDHashFull() ([]byte, error) {
	if !cd.f.h.acquire() {
		return nil, ErrClosed
	}
	defer cd.f.h.release()
	var buf [64]byte
	var n C.size_t
	if rc := C.csig_codedir_cdhash_full(cd.p, (*C.uint8_t)(unsafe.Pointer(&buf[0])), &n); rc != 0 {
		return nil, codeError(rc)
	}
	if n > 64 {
		n = 64
	}
	return append([]byte(nil), buf[:n]...), nil
}

// ---- names and hashing ----

// HashTypeName is "sha1", "sha256", ... or "" for an unknown type.
func HashTypeName(hashType int) string { return goStr(C.csig_hash_type_name(C.int(hashType))) }

// SlotName is "CodeDirectory", "Requirements", ... or "" for an unknown slot.
func SlotName(slot uint32) string { return goStr(C.csig_slot_name(C.uint32_t(slot))) }

// CDFlagsString is codesign's text for CD flags, e.g. "adhoc,linker-signed".
func CDFlagsString(flags uint32) string {
	var buf [flagBufSize]C.char
	C.csig_cd_flags_string(C.uint32_t(flags), &buf[0], flagBufSize)
	return C.GoString(&buf[0])
}

// ExecSegFlagsString is the text of exec-segment flags, e.g. "MAIN_BINARY".
func ExecSegFlagsString(flags uint64) string {
	var buf [flagBufSize]C.char
	C.csig_execseg_flags_string(C.uint64_t(flags), &buf[0], flagBufSize)
	return C.GoString(&buf[0])
}

// Digest hashes data with a CodeDirectory hash type (SHA-256-truncated
// gives 20 bytes).  ErrUnsupported for an unknown type.
func Digest(hashType int, data []byte) ([]byte, error) {
	var out [64]byte
	var n C.size_t
	var rc C.int
	cBytes(data, func(p unsafe.Pointer, l C.size_t) {
		rc = C.csig_digest(C.int(hashType), p, l, (*C.uint8_t)(unsafe.Pointer(&out[0])), &n)
	})
	if rc != 0 {
		return nil, codeError(rc)
	}
	if n > 64 {
		n = 64
	}
	return append([]byte(nil), out[:n]...), nil
}
