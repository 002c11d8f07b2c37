package csig

/*
#include <csig.h>
*/
import "C"

import (
	"errors"
	"fmt"
)

// Error is a failed libcsig call: the CSIG_E_* code, its symbolic name
// (from csig_errname), the absolute input offset the problem was found at
// (0 when there is none) and the library's message naming the field and
// the numbers.
//
// Errors compare with errors.Is by code, so
// errors.Is(err, csig.ErrTruncated) holds for every CSIG_E_TRUNCATED.
type Error struct {
	Code   int
	Name   string
	Offset uint64
	Msg    string
}

func (e *Error) Error() string {
	if e.Offset != 0 {
		return fmt.Sprintf("csig: %s (%s at offset %d)", e.Msg, e.Name, e.Offset)
	}
	return fmt.Sprintf("csig: %s (%s)", e.Msg, e.Name)
}

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && t.Code == e.Code
}

// Error codes (CSIG_E_*), pinned by the library.
const (
	CodeInval       = C.CSIG_E_INVAL
	CodeTruncated   = C.CSIG_E_TRUNCATED
	CodeBadMagic    = C.CSIG_E_BADMAGIC
	CodeOverflow    = C.CSIG_E_OVERFLOW
	CodeBadOffset   = C.CSIG_E_BADOFFSET
	CodeTrailing    = C.CSIG_E_TRAILING
	CodeBadValue    = C.CSIG_E_BADVALUE
	CodeUnsupported = C.CSIG_E_UNSUPPORTED
	CodeSyntax      = C.CSIG_E_SYNTAX
	CodeLimit       = C.CSIG_E_LIMIT
	CodeNoMem       = C.CSIG_E_NOMEM
	CodeDepth       = C.CSIG_E_DEPTH
	CodeNotFound    = C.CSIG_E_NOTFOUND
	CodeIO          = C.CSIG_E_IO
)

// Sentinel errors, one per CSIG_E_* code, for errors.Is.
var (
	ErrInval       = sentinel(CodeInval)
	ErrTruncated   = sentinel(CodeTruncated)
	ErrBadMagic    = sentinel(CodeBadMagic)
	ErrOverflow    = sentinel(CodeOverflow)
	ErrBadOffset   = sentinel(CodeBadOffset)
	ErrTrailing    = sentinel(CodeTrailing)
	ErrBadValue    = sentinel(CodeBadValue)
	ErrUnsupported = sentinel(CodeUnsupported)
	ErrSyntax      = sentinel(CodeSyntax)
	ErrLimit       = sentinel(CodeLimit)
	ErrNoMem       = sentinel(CodeNoMem)
	ErrDepth       = sentinel(CodeDepth)
	ErrNotFound    = sentinel(CodeNotFound)
	ErrIO          = sentinel(CodeIO)
)

// ErrClosed is returned by methods of a handle (or of a child of a handle)
// that was closed.
var ErrClosed = errors.New("csig: use of a closed handle")

// sentinels lists every sentinel by code.
var sentinels = map[int]*Error{}

func sentinel(code int) *Error {
	e := &Error{Code: code, Name: ErrName(code), Msg: StrError(code)}
	sentinels[code] = e
	return e
}

// Sentinel returns the sentinel error of a CSIG_E_* code, or nil when the
// binding has none.
func Sentinel(code int) *Error { return sentinels[code] }

// ErrName is the symbolic name of a code, e.g. "CSIG_E_TRUNCATED"
// ("CSIG_E_UNKNOWN" for a code the library does not know).
func ErrName(code int) string { return C.GoString(C.csig_errname(C.int(code))) }

// StrError is the library's sentence describing a code.
func StrError(code int) string { return C.GoString(C.csig_strerror(C.int(code))) }

// newError makes an *Error from a return code and the csig_error detail.
func newError(rc C.int, e *C.csig_error) error {
	err := &Error{Code: int(rc), Name: ErrName(int(rc))}
	if e != nil && e.code == rc && e.msg[0] != 0 {
		err.Offset = uint64(e.offset)
		err.Msg = C.GoString(&e.msg[0])
	} else {
		err.Msg = StrError(int(rc))
	}
	return err
}

// codeError makes an *Error for a call that returns a code without detail.
func codeError(rc C.int) error { return newError(rc, nil) }
