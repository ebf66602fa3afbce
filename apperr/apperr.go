// Package apperr holds the error codes every layer of Parcours speaks: domain
// packages and adapters return them, the HTTP layer maps them to statuses in one
// table, and the workers decide from them whether a task is worth retrying.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for the boundaries (HTTP status, task retry).
type Code string

// The codes. Internal is the zero meaning: any error without a code is internal.
const (
	Invalid            Code = "invalid"
	NotFound           Code = "not_found"
	Conflict           Code = "conflict"
	PreconditionFailed Code = "precondition_failed"
	Forbidden          Code = "forbidden"
	Unauthorized       Code = "unauthorized"
	Unavailable        Code = "unavailable"
	TooMany            Code = "too_many_requests"
	Internal           Code = "internal"
)

// FieldError names one bad field of an input. Pointer is an RFC 6901 JSON
// pointer into the request body ("/french/oralProduction"); Detail is a
// sentence for people; Tag is the rule that failed ("required", "cefr"), kept so
// the HTTP layer can translate the sentence.
type FieldError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
	Tag     string `json:"-"`
	Param   string `json:"-"`
}

// Error is a coded error with a message for people, optional field errors and
// optional state for the client (for a conflict, the current state).
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// Extra carries machine-readable members added to the problem document
	// (for example "currentState" on a forbidden transition).
	Extra map[string]any
	Err   error
}

func (e *Error) Error() string {
	if e.Err != nil {
		if e.Message != "" {
			return e.Message + ": " + e.Err.Error()
		}
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with the code and a message for people.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with the code that keeps err as its cause.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// Invalidf returns an Invalid error naming bad fields.
func Invalidf(fields []FieldError, format string, args ...any) *Error {
	return &Error{Code: Invalid, Message: fmt.Sprintf(format, args...), Fields: fields}
}

// NotFoundf returns a NotFound error.
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// Conflictf returns a Conflict error.
func Conflictf(format string, args ...any) *Error { return New(Conflict, format, args...) }

// CodeOf returns the code of the first coded error in err's chain, or Internal.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// As returns the first coded error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// WithExtra returns e with one more member for the problem document.
func (e *Error) WithExtra(key string, value any) *Error {
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra[key] = value
	return e
}
