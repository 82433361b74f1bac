package fazhi

import (
	"regexp"
	"time"
	"unicode/utf8"
)

// Role says what a user may see and change. Roles are not a ladder:
// a reporter uploads its own org's figures but does not review anyone's.
type Role string

const (
	RoleViewer   Role = "viewer"   // reads dashboards
	RoleReporter Role = "reporter" // uploads and follows its own org's (and those below it) data
	RoleAnalyst  Role = "analyst"  // reads, exports, uploads reports and reviews extracted figures
	RoleAdmin    Role = "admin"    // all of the above, users, catalogue, methodology, rollback
)

// Roles lists the roles in the order forms offer them.
var Roles = []Role{RoleViewer, RoleReporter, RoleAnalyst, RoleAdmin}

// Valid is true for a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleViewer, RoleReporter, RoleAnalyst, RoleAdmin:
		return true
	}
	return false
}

// Label is the Chinese name of a role.
func (r Role) Label() string {
	switch r {
	case RoleViewer:
		return "浏览"
	case RoleReporter:
		return "填报单位"
	case RoleAnalyst:
		return "分析审核"
	case RoleAdmin:
		return "管理员"
	}
	return string(r)
}

// User is an account. Its password hash never leaves the warehouse.
type User struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"` // login name, unique; recorded as who did what
	DisplayName string    `json:"display_name,omitempty"`
	Role        Role      `json:"role"`
	OrgCode     string    `json:"org,omitempty"` // a reporter's org
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	LastLogin   time.Time `json:"last_login,omitzero"`
}

// Password bounds: long enough to resist guessing, short enough that
// hashing one costs what it should.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

var userName = regexp.MustCompile(`^[\p{L}\p{N}._@-]{1,64}$`)

// ValidateUserName refuses names that could not be typed at a login form
// or would be confusing in an audit trail.
func ValidateUserName(name string) error {
	if !userName.MatchString(name) {
		return Errorf(EINVALID, "用户名 %q 无效：1–64 个字母、数字或 . _ @ -，不含空格", truncate(name, 64))
	}
	return nil
}

// ValidatePassword checks a new password's length.
func ValidatePassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLen:
		return Errorf(EINVALID, "密码至少 %d 个字符", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return Errorf(EINVALID, "密码不能超过 %d 字节", MaxPasswordLen)
	}
	return nil
}

// truncate keeps messages about hostile input short.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
