package fazhi

import (
	"errors"
	"fmt"
)

// Error codes classify failures so that the API can answer with the right
// status without leaking internals.
const (
	EINVALID  = "invalid"   // bad input from a user: say what and where
	ENOTFOUND = "not_found" // a requested thing does not exist
	ECONFLICT = "conflict"  // the request clashes with stored state
	EINTERNAL = "internal"  // anything else: logged, never shown in detail
)

// Error is an application error whose Message is safe to show to a user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with a formatted, user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err, or a generic one for
// internal errors so that no SQL or stack detail reaches a page.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "服务器内部错误"
}
