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
// an adapter can word the sentence its own way; Param is the rule's
// parameter ("200" of max=200) and Kind what the rule measured ("text",
// "number" or "list"; a maximum means characters, a value or items).
type FieldError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
	// DetailFR is Detail in French, when the rule that failed wrote one.
	DetailFR string `json:"-"`
	Tag      string `json:"-"`
	Param    string `json:"-"`
	Kind     string `json:"-"`
}

// In returns the detail in lang ("fr" or "en"): the French one when asked
// for and written, the English one otherwise.
func (f FieldError) In(lang string) string {
	if lang == "fr" && f.DetailFR != "" {
		return f.DetailFR
	}
	return f.Detail
}

// Error is a coded error with a message for people, optional field errors and
// optional state for the client (for a conflict, the current state).
type Error struct {
	Code Code
	// Message is a sentence for people, in English; MessageFR the same in
	// French, when written. Neither ever holds a wrapping phrase: the cause
	// goes in Err.
	Message   string
	MessageFR string
	Fields    []FieldError
	// Extra carries machine-readable members for the client, each added to
	// the problem document under its key.
	Extra map[Extra]any
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

// In returns the message in lang ("fr" or "en"): the French one when asked
// for and written, the English one otherwise.
func (e *Error) In(lang string) string {
	if lang == "fr" && e.MessageFR != "" {
		return e.MessageFR
	}
	return e.Message
}

// FR returns e with its message for people in French.
func (e *Error) FR(format string, args ...any) *Error {
	e.MessageFR = fmt.Sprintf(format, args...)
	return e
}

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

// Stale is the PreconditionFailed error of a change based on a version
// that is no longer the stored one.
func Stale() *Error {
	return New(PreconditionFailed, "The record changed since it was read; read it again and retry.").
		FR("La fiche a changé depuis sa lecture ; relisez-la puis réessayez.")
}

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

// Extra names a machine-readable member of an error for the client.
type Extra string

// The extra members an error may carry; every one reaches the client.
const (
	// CurrentState is the state a record is in, on a transition it forbids.
	CurrentState Extra = "currentState"
	// CooldownEnds is when a declined pair may be proposed again (RFC 3339).
	CooldownEnds Extra = "cooldownEnds"
	// Limit is the limit a request would exceed (a count).
	Limit Extra = "limit"
	// OpeningState is the status of an opportunity that is no longer
	// open ("closed", "filled", "expired"), on a proposal it refuses.
	OpeningState Extra = "openingState"
)

// Extras lists every extra member.
var Extras = []Extra{CurrentState, CooldownEnds, Limit, OpeningState}

// WithExtra returns e with one more member for the client.
func (e *Error) WithExtra(key Extra, value any) *Error {
	if e.Extra == nil {
		e.Extra = map[Extra]any{}
	}
	e.Extra[key] = value
	return e
}
