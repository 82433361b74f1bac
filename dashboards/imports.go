package dashboards

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"fazhi"
	"fazhi/analytics"
	"fazhi/ingest"
)

// BatchRow is a batch in the import history.
type BatchRow struct {
	fazhi.Batch
	MethodLabel string
	RolledBack  bool
	// Reports is true for a batch of published reports: its figures are
	// decided on the review pages, and it is not rolled back whole.
	Reports bool
}

// FlagRow is a figure flagged for review, ready to show.
type FlagRow struct {
	analytics.Flag
	Indicator fazhi.Indicator
	Value     string
	Previous  string
	Reason    string
	Where     string // the location, for a reader
}

// ImportsPage is the model of /imports: the upload form, templates to
// download, the batches loaded with their status and counts, and the
// figures flagged for review.
type ImportsPage struct {
	Page
	Notice      string // e.g. after a rollback
	Bureaus     []fazhi.Org
	Years       []int
	Year        int // the year templates default to: the last full year
	MaxUploadMB int64
	Batches     []BatchRow
	Flags       []FlagRow
}

// ImportsQuery is what the import history page shows to its reader.
type ImportsQuery struct {
	Notice      string // e.g. after a rollback
	MaxUploadMB int64
	// Of, when not "", shows that user's batches and flags only (a
	// reporter's own); Orgs, when not nil, are the only orgs templates are
	// offered for (a reporter's org and those below it).
	Of   string
	Orgs []string
}

// Imports builds the import history page.
func Imports(ctx context.Context, w *analytics.Warehouse, q ImportsQuery) (*ImportsPage, error) {
	bureaus, err := w.Orgs(ctx, fazhi.OrgBureau)
	if err != nil {
		return nil, fmt.Errorf("imports page: %w", err)
	}
	if q.Orgs != nil {
		bureaus = slices.DeleteFunc(bureaus, func(o fazhi.Org) bool { return !slices.Contains(q.Orgs, o.Code) })
	}
	batches, err := w.Batches(ctx, analytics.BatchFilter{CreatedBy: q.Of, Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("imports page: %w", err)
	}
	flags, err := w.Flags(ctx, analytics.FlagFilter{CreatedBy: q.Of, Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("imports page: %w", err)
	}
	lim := ingest.DefaultLimits()
	p := &ImportsPage{Page: Page{Title: "数据导入", Active: "imports"}, Notice: q.Notice, Bureaus: bureaus,
		Year: time.Now().Year() - 1, MaxUploadMB: q.MaxUploadMB}
	for y := lim.MaxYear; y >= lim.MaxYear-10; y-- {
		p.Years = append(p.Years, y)
	}
	for _, b := range batches {
		p.Batches = append(p.Batches, batchRow(b))
	}
	p.Flags = flagRows(w.Catalog(), flags)
	return p, nil
}

// Render writes the page.
func (p *ImportsPage) Render(w io.Writer) error { return render(w, "imports", p) }

func batchRow(b fazhi.Batch) BatchRow {
	return BatchRow{Batch: b, MethodLabel: b.Method.Label(), RolledBack: b.Status == fazhi.BatchRolledBack,
		Reports: b.Method == fazhi.MethodExtracted && b.SourceID == ""}
}

func flagRows(cat *fazhi.Catalog, flags []analytics.Flag) []FlagRow {
	out := make([]FlagRow, 0, len(flags))
	for _, f := range flags {
		ind, _ := cat.Indicator(f.Indicator)
		out = append(out, FlagRow{Flag: f, Indicator: ind, Value: FormatValue(f.Value, ind.Unit),
			Previous: FormatValue(f.Previous, ind.Unit), Reason: FlagReason(f), Where: fazhi.LocationLabel(f.Location)})
	}
	return out
}

// FlagReason says why a figure was flagged, against last year's.
func FlagReason(f analytics.Flag) string {
	if r := f.Ratio(); r >= 1 {
		return fmt.Sprintf("是上年（%d 年）的 %s 倍", f.Year-1, FormatNumber(r, ""))
	}
	return fmt.Sprintf("不到上年（%d 年）的十分之一", f.Year-1)
}

// ImportResultPage is the page shown after an upload or its dry run.
type ImportResultPage struct {
	Page
	Summary  analytics.ImportSummary
	Format   string
	Error    string // the file could not be read at all
	Headline string
	Class    string // ok, warn, bad
	Flags    []FlagRow
	// Confirm, after a dry run that passed, is the token that imports the
	// same file without choosing it again (POST /imports/confirm).
	Confirm string
}

// ImportResult builds the result page of an import; err is the import's
// error, if any (a user-facing one is shown, others are not passed here).
func ImportResult(cat *fazhi.Catalog, s analytics.ImportSummary, err error) *ImportResultPage {
	p := &ImportResultPage{Page: Page{Title: "导入结果", Active: "imports"}, Summary: s,
		Format: ingest.FormatLabel(s.Format), Flags: flagRows(cat, s.Flags)}
	if s.DryRun {
		p.Title = "试导入结果"
	}
	switch {
	case err != nil && s.Rows == 0 && len(s.Problems) == 0:
		p.Error, p.Class, p.Headline = fazhi.ErrorMessage(err), "bad", "文件无法导入，未入库任何数据"
	case s.OutOfScope > 0:
		p.Class, p.Headline = "bad", fmt.Sprintf("整个文件%s：%d 行的单位不在您的填报范围内（本单位及其下级单位），见下表。",
			map[bool]string{true: "不能导入", false: "未导入"}[s.DryRun], s.OutOfScope)
	case !s.Accepted() && s.DryRun:
		p.Class, p.Headline = "bad", fmt.Sprintf("有 %d 个数值未通过检查：正式导入时整个文件会被拒绝。请修改后重新上传。", s.Refused)
	case !s.Accepted():
		p.Class, p.Headline = "bad", fmt.Sprintf("整个文件未导入：%d 个数值未通过检查。请按下表修改后重新上传。", s.Refused)
	case s.DryRun:
		p.Class, p.Headline = "ok", "检查通过（试导入，未入库）：正式导入将得到下列结果。"
	case s.Stored:
		p.Class, p.Headline = "ok", "导入成功：批次 "+s.BatchID+" 已入库。"
	default:
		p.Class, p.Headline = "ok", "文件中的数值与已入库的完全相同，未产生新的批次。"
	}
	if s.Flagged > 0 && p.Class == "ok" {
		p.Class = "warn"
		p.Headline += fmt.Sprintf("其中 %d 个数值与上年相差超过 10 倍，%s待复核，见下表。", s.Flagged, map[bool]string{true: "已标记", false: "入库后会标记"}[s.Stored])
	}
	return p
}

// Render writes the page.
func (p *ImportResultPage) Render(w io.Writer) error { return render(w, "import_result", p) }

// ChangeRow is a figure a batch changed.
type ChangeRow struct {
	analytics.Change
	Indicator fazhi.Indicator
	Old, New  string
}

// BatchPage is the model of /imports/{id}: one batch, the figures it
// changed (old → new) and those flagged for review.
type BatchPage struct {
	Page
	Batch   BatchRow
	Changes []ChangeRow
	Flags   []FlagRow
}

// BatchDetail builds the page of one batch.
func BatchDetail(ctx context.Context, w *analytics.Warehouse, id string) (*BatchPage, error) {
	b, err := w.Batch(ctx, id)
	if err != nil {
		return nil, err
	}
	changes, err := w.Changes(ctx, id, 500)
	if err != nil {
		return nil, err
	}
	flags, err := w.Flags(ctx, analytics.FlagFilter{BatchID: id, Limit: 500})
	if err != nil {
		return nil, err
	}
	cat := w.Catalog()
	p := &BatchPage{Page: Page{Title: "导入批次 " + id, Active: "imports"}, Batch: batchRow(b), Flags: flagRows(cat, flags)}
	for _, c := range changes {
		ind, _ := cat.Indicator(c.Indicator)
		p.Changes = append(p.Changes, ChangeRow{Change: c, Indicator: ind, Old: FormatValue(c.Old, c.Unit), New: FormatValue(c.New, c.Unit)})
	}
	return p, nil
}

// Render writes the page.
func (p *BatchPage) Render(w io.Writer) error { return render(w, "import_batch", p) }
