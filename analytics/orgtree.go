package analytics

import (
	"context"
	"fmt"
)

// OrgAndBelow lists the code of an org and of every org below it in the
// hierarchy, at any depth: what a reporter of that org may see and upload
// for. An unknown code gives an empty list.
func (w *Warehouse) OrgAndBelow(ctx context.Context, code string) ([]string, error) {
	rows, err := w.db.QueryContext(ctx, `WITH RECURSIVE below(code) AS (
			SELECT code FROM orgs WHERE code = ?
			UNION
			SELECT o.code FROM orgs o JOIN below b ON o.parent_code = b.code
		)
		SELECT code FROM below ORDER BY code`, code)
	if err != nil {
		return nil, fmt.Errorf("orgs below %s: %w", code, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
