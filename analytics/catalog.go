package analytics

import (
	"context"
	"fmt"
)

// syncCatalog makes the areas and indicators tables equal to the catalogue
// embedded in the binary, so that SQL can join on units, kinds and polarity.
func (w *Warehouse) syncCatalog(ctx context.Context) error {
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM areas; DELETE FROM indicators;`); err != nil {
		return fmt.Errorf("clear catalogue: %w", err)
	}
	areas := make([][]any, len(w.catalog.Areas))
	for i, a := range w.catalog.Areas {
		areas[i] = []any{a.Code, a.Name, a.NameEn, i}
	}
	if err := insertRows(ctx, tx, "INSERT", "areas", []string{"code", "name", "name_en", "position"}, areas, ""); err != nil {
		return err
	}
	inds := make([][]any, len(w.catalog.Indicators))
	for i, ind := range w.catalog.Indicators {
		inds[i] = []any{ind.Code, ind.Area, ind.Name, ind.NameEn, ind.Unit, ind.Kind, ind.Polarity,
			ind.Aggregate, nullIfEmpty(ind.Numerator), nullIfEmpty(ind.Denominator), i}
	}
	cols := []string{"code", "area", "name", "name_en", "unit", "kind", "polarity", "aggregate", "numerator", "denominator", "position"}
	if err := insertRows(ctx, tx, "INSERT", "indicators", cols, inds, ""); err != nil {
		return err
	}
	return tx.Commit()
}
