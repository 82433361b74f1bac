package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"fazhi"
)

// upsertOrgs adds orgs or updates their names, parent and bureau type.
func upsertOrgs(ctx context.Context, ex execer, orgs []fazhi.Org) error {
	rows := make([][]any, 0, len(orgs))
	for _, o := range orgs {
		if o.Code == "" || o.Name == "" {
			return fazhi.Errorf(fazhi.EINVALID, "org %q has no code or name", o.FullName)
		}
		full := o.FullName
		if full == "" {
			full = o.Name
		}
		rows = append(rows, []any{o.Code, o.Name, full, o.Kind, nullIfEmpty(o.ParentCode), nullIfEmpty(o.BureauType)})
	}
	cols := []string{"code", "name", "full_name", "kind", "parent_code", "bureau_type"}
	return insertRows(ctx, ex, "INSERT OR REPLACE", "orgs", cols, rows, "")
}

// UpsertOrgs stores orgs (adding new ones, updating known codes).
func (w *Warehouse) UpsertOrgs(ctx context.Context, orgs []fazhi.Org) error {
	if err := upsertOrgs(ctx, w.db, orgs); err != nil {
		return fmt.Errorf("store %d orgs: %w", len(orgs), err)
	}
	return nil
}

// orgSelect is the column list scanOrg reads; region is the parent's full name.
const orgSelect = `o.code, o.name, o.full_name, o.kind, coalesce(o.parent_code, ''),
	coalesce(o.bureau_type, ''), coalesce(p.full_name, '')`

type scanner interface{ Scan(dest ...any) error }

func scanOrg(s scanner) (fazhi.Org, error) {
	var o fazhi.Org
	err := s.Scan(&o.Code, &o.Name, &o.FullName, &o.Kind, &o.ParentCode, &o.BureauType, &o.Region)
	return o, err
}

// Orgs lists orgs of a kind ("" for all), ordered by code.
func (w *Warehouse) Orgs(ctx context.Context, kind string) ([]fazhi.Org, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT `+orgSelect+`
		FROM orgs o LEFT JOIN orgs p ON p.code = o.parent_code
		WHERE ? = '' OR o.kind = ?
		ORDER BY o.code`, kind, kind)
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	defer rows.Close()
	var out []fazhi.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("scan org: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Org finds one org by code.
func (w *Warehouse) Org(ctx context.Context, code string) (fazhi.Org, error) {
	row := w.db.QueryRowContext(ctx, `SELECT `+orgSelect+`
		FROM orgs o LEFT JOIN orgs p ON p.code = o.parent_code WHERE o.code = ?`, code)
	o, err := scanOrg(row)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return o, fazhi.Errorf(fazhi.ENOTFOUND, "没有编码为 %s 的单位", code)
		}
		return o, fmt.Errorf("find org %s: %w", code, err)
	}
	return o, nil
}
