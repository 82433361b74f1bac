package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"fazhi"
)

// userSelect is the column list scanUser reads.
const userSelect = `u.id, u.name, u.display_name, u.role, coalesce(u.org_code, ''), u.disabled, u.created_by,
	u.created_at, coalesce(u.last_login, TIMESTAMPTZ '1970-01-01 00:00:00+00')`

func scanUser(s scanner) (fazhi.User, error) { return scanUserAnd(s) }

// scanUserAnd scans the userSelect columns, then extra ones.
func scanUserAnd(s scanner, extra ...any) (fazhi.User, error) {
	var u fazhi.User
	dest := append([]any{&u.ID, &u.Name, &u.DisplayName, &u.Role, &u.OrgCode, &u.Disabled, &u.CreatedBy, &u.CreatedAt,
		&u.LastLogin}, extra...)
	err := s.Scan(dest...)
	if u.LastLogin.Unix() == 0 {
		u.LastLogin = time.Time{} // never signed in
	}
	return u, err
}

// CreateUser adds an account with the given password. A reporter must
// name the org it reports for; other roles have none.
func (w *Warehouse) CreateUser(ctx context.Context, u fazhi.User, password string) (fazhi.User, error) {
	if err := fazhi.ValidateUserName(u.Name); err != nil {
		return u, err
	}
	if err := fazhi.ValidatePassword(password); err != nil {
		return u, err
	}
	if u.CreatedBy == "" {
		return u, fazhi.Errorf(fazhi.EINVALID, "创建用户 %s：操作人未知", u.Name)
	}
	if err := w.checkRole(ctx, u.Role, &u.OrgCode); err != nil {
		return u, err
	}
	if len([]rune(u.DisplayName)) > 64 {
		return u, fazhi.Errorf(fazhi.EINVALID, "姓名不能超过 64 个字")
	}
	hash, err := hashPassword(password)
	if err != nil {
		return u, err
	}
	w.authMu.Lock()
	defer w.authMu.Unlock()
	if _, err := w.User(ctx, u.Name); err == nil {
		return u, fazhi.Errorf(fazhi.ECONFLICT, "用户名 %s 已存在", u.Name)
	}
	u.CreatedAt = time.Now()
	err = w.db.QueryRowContext(ctx, `INSERT INTO users (name, display_name, role, org_code, password_hash, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Name, strings.TrimSpace(u.DisplayName), string(u.Role),
		nullIfEmpty(u.OrgCode), hash, u.CreatedBy, u.CreatedAt).Scan(&u.ID)
	if err != nil {
		return u, fmt.Errorf("create user %s: %w", u.Name, err)
	}
	return u, nil
}

// checkRole refuses an unknown role, a reporter without a known org, and
// clears the org of other roles: only a reporter's view is limited by it.
func (w *Warehouse) checkRole(ctx context.Context, role fazhi.Role, org *string) error {
	if !role.Valid() {
		return fazhi.Errorf(fazhi.EINVALID, "未知的角色 %q：可选 viewer、reporter、analyst、admin", role)
	}
	if role != fazhi.RoleReporter {
		*org = ""
		return nil
	}
	if *org == "" {
		return fazhi.Errorf(fazhi.EINVALID, "填报单位账号必须指定所属单位")
	}
	_, err := w.Org(ctx, *org)
	return err
}

// User finds an account by name.
func (w *Warehouse) User(ctx context.Context, name string) (fazhi.User, error) {
	u, err := scanUser(w.db.QueryRowContext(ctx, `SELECT `+userSelect+` FROM users u WHERE u.name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fazhi.Errorf(fazhi.ENOTFOUND, "没有用户 %s", name)
	} else if err != nil {
		return u, fmt.Errorf("find user %s: %w", name, err)
	}
	return u, nil
}

// Users lists every account by name.
func (w *Warehouse) Users(ctx context.Context) ([]fazhi.User, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT `+userSelect+` FROM users u ORDER BY u.name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []fazhi.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// HasUsers is false on a new database, before the first admin exists.
func (w *Warehouse) HasUsers(ctx context.Context) (bool, error) {
	var n int
	if err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return false, fmt.Errorf("count users: %w", err)
	}
	return n > 0, nil
}

// Authenticate checks a name and password. ok is false for an unknown or
// disabled user as for a wrong password, after the same work, so that the
// answer does not tell which names exist.
func (w *Warehouse) Authenticate(ctx context.Context, name, password string) (u fazhi.User, ok bool, err error) {
	var hash string
	u, err = scanUserAnd(w.db.QueryRowContext(ctx, `SELECT `+userSelect+`, u.password_hash FROM users u WHERE u.name = ?`, name), &hash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Disabled) || len(password) > fazhi.MaxPasswordLen {
		checkPassword(decoyHash(), password)
		return fazhi.User{}, false, nil
	} else if err != nil {
		return u, false, fmt.Errorf("authenticate %s: %w", name, err)
	}
	if ok, err = checkPassword(hash, password); err != nil || !ok {
		return fazhi.User{}, false, err
	}
	u.LastLogin = time.Now()
	w.authMu.Lock() // two logins of one user at once would conflict on its row
	defer w.authMu.Unlock()
	if _, err := w.db.ExecContext(ctx, `UPDATE users SET last_login = ? WHERE id = ?`, u.LastLogin, u.ID); err != nil {
		return u, false, fmt.Errorf("record login of %s: %w", name, err)
	}
	return u, true, nil
}

// SetPassword replaces a user's password and signs out every session of
// that user, except keep (a session token; "" for none).
func (w *Warehouse) SetPassword(ctx context.Context, name, password, keep string) error {
	if err := fazhi.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	w.authMu.Lock()
	defer w.authMu.Unlock()
	u, err := w.User(ctx, name)
	if err != nil {
		return err
	}
	return w.updateUser(ctx, u, "password_hash", hash, true, keep)
}

// SetDisabled disables (signing out every session) or re-enables a user.
// The last enabled admin cannot be disabled: nobody could manage users.
func (w *Warehouse) SetDisabled(ctx context.Context, name string, disabled bool) error {
	w.authMu.Lock()
	defer w.authMu.Unlock()
	u, err := w.User(ctx, name)
	if err != nil {
		return err
	}
	if disabled && u.Role == fazhi.RoleAdmin {
		if err := w.keepAnAdmin(ctx, u.ID); err != nil {
			return err
		}
	}
	return w.updateUser(ctx, u, "disabled", disabled, disabled, "")
}

// updateUser sets one column of u's row and, with signOut, ends every
// session of u but keep (a session token; "" for none), in one transaction:
// a changed password or a disabled account must not leave a session open.
// column is one of this file's constants, never user input.
func (w *Warehouse) updateUser(ctx context.Context, u fazhi.User, column string, value any, signOut bool, keep string) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update %s of %s: %w", column, u.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET `+column+` = ? WHERE id = ?`, value, u.ID); err != nil {
		return fmt.Errorf("update %s of %s: %w", column, u.Name, err)
	}
	if signOut {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, u.ID, tokenHash(keep)); err != nil {
			return fmt.Errorf("sign out %s: %w", u.Name, err)
		}
	}
	return tx.Commit()
}

// SetRole changes a user's role and org. It takes effect at the user's
// next request: sessions read the role from the account.
func (w *Warehouse) SetRole(ctx context.Context, name string, role fazhi.Role, org string) error {
	if err := w.checkRole(ctx, role, &org); err != nil {
		return err
	}
	w.authMu.Lock()
	defer w.authMu.Unlock()
	u, err := w.User(ctx, name)
	if err != nil {
		return err
	}
	if u.Role == fazhi.RoleAdmin && role != fazhi.RoleAdmin && !u.Disabled {
		if err := w.keepAnAdmin(ctx, u.ID); err != nil {
			return err
		}
	}
	if _, err := w.db.ExecContext(ctx, `UPDATE users SET role = ?, org_code = ? WHERE id = ?`,
		string(role), nullIfEmpty(org), u.ID); err != nil {
		return fmt.Errorf("set role of %s: %w", name, err)
	}
	return nil
}

// keepAnAdmin refuses a change that would leave no enabled admin but the
// user with id except.
func (w *Warehouse) keepAnAdmin(ctx context.Context, except int64) error {
	var n int
	if err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled AND id <> ?`,
		except).Scan(&n); err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if n == 0 {
		return fazhi.Errorf(fazhi.ECONFLICT, "这是唯一可用的管理员账号，不能停用或降级：请先创建另一个管理员")
	}
	return nil
}
