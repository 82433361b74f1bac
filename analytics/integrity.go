package analytics

import (
	"context"
	"fmt"
)

// Integrity is what a consistency check of the warehouse finds: how many
// rows each recorded batch owns, and rows that belong to no recorded batch
// — which a batch that landed only in part would leave.
type Integrity struct {
	// Rows is, per recorded batch, the observations and extracted figures
	// it owns now.
	Rows map[string]int
	// Recorded is, per recorded batch, the rows it said it added (New).
	Recorded map[string]int
	// Orphans counts observations, documents and extracted figures whose
	// batch or document is not recorded, and sources nothing refers to.
	Orphans int
}

// CheckIntegrity counts, in one read, the rows of every batch and the rows
// that belong to none. A batch is all-or-nothing, so after any crash
// Orphans must be 0; for batches that only added rows (no later batch
// updated them, no review moved them), Rows equals Recorded.
func (w *Warehouse) CheckIntegrity(ctx context.Context) (Integrity, error) {
	in := Integrity{Rows: map[string]int{}, Recorded: map[string]int{}}
	tx, err := w.db.BeginTx(ctx, nil) // one snapshot for every count
	if err != nil {
		return in, fmt.Errorf("check integrity: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT b.id, b.new,
			(SELECT count(*) FROM observations o WHERE o.batch_id = b.id AND o.method <> 'extracted'
				AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.source_id = o.source_id)) +
			(SELECT count(*) FROM extracted_figures f JOIN documents d USING (source_id) WHERE d.batch_id = b.id)
		FROM batches b`)
	if err != nil {
		return in, fmt.Errorf("check integrity: batches: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var recorded, owned int
		if err := rows.Scan(&id, &recorded, &owned); err != nil {
			return in, fmt.Errorf("check integrity: %w", err)
		}
		in.Recorded[id], in.Rows[id] = recorded, owned
	}
	if err := rows.Err(); err != nil {
		return in, fmt.Errorf("check integrity: %w", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM observations o ANTI JOIN batches b ON b.id = o.batch_id) +
		(SELECT count(*) FROM documents d ANTI JOIN batches b ON b.id = d.batch_id) +
		(SELECT count(*) FROM extracted_figures f ANTI JOIN documents d ON d.source_id = f.source_id) +
		(SELECT count(*) FROM sources s
			WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE o.source_id = s.id)
			AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.source_id = s.id))`).Scan(&in.Orphans)
	if err != nil {
		return in, fmt.Errorf("check integrity: orphans: %w", err)
	}
	return in, nil
}
