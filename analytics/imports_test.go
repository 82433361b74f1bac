package analytics_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"fazhi"
	"fazhi/analytics"
)

// upload builds an Upload of one file whose rows name orgs by reference.
func upload(file string, rows ...uploadRow) analytics.Upload {
	content := file
	for _, r := range rows {
		content += "|" + r.ref.String() + r.code + r.loc + trim(r.v)
	}
	src := fazhi.Source{ID: sha(content), FileName: file, Size: int64(len(content)), Content: []byte(content)}
	u := analytics.Upload{Batch: fazhi.Batch{CreatedBy: "张三（命令行）"}, Source: src, Format: "csv", Rows: len(rows)}
	index := map[fazhi.OrgRef]int32{}
	for _, r := range rows {
		i, ok := index[r.ref]
		if !ok {
			i = int32(len(u.Orgs))
			index[r.ref] = i
			u.Orgs = append(u.Orgs, r.ref)
		}
		ind, _ := fazhi.DefaultCatalog().Indicator(r.code)
		u.OrgOf = append(u.OrgOf, i)
		u.Observations = append(u.Observations, fazhi.Observation{Year: r.year, IndicatorCode: r.code, Value: r.v,
			Unit: ind.Unit, Status: fazhi.StatusConfirmed, Method: fazhi.MethodUpload, SourceID: src.ID,
			Quote: trim(r.v), Location: r.loc})
	}
	return u
}

type uploadRow struct {
	ref  fazhi.OrgRef
	year int
	code string
	v    float64
	loc  string
}

func trim(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

var jyj = fazhi.OrgRef{Code: "320582-jyj"}

func loadOrgs(t *testing.T, w *analytics.Warehouse) {
	t.Helper()
	if err := w.UpsertOrgs(context.Background(), testOrgs); err != nil {
		t.Fatal(err)
	}
}

func TestImportResolvesOrgsByCodeFullNameOrRegionAndName(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadOrgs(t, w)
	u := upload("a.csv",
		uploadRow{jyj, 2023, "law_publicity_events", 10, "line 2"},
		uploadRow{fazhi.OrgRef{FullName: "张家港市公安局"}, 2023, "law_publicity_events", 20, "line 3"},
		uploadRow{fazhi.OrgRef{Region: "张家港市", Name: "教育局"}, 2023, "litigation_cases", 4, "line 4"},
		uploadRow{fazhi.OrgRef{Code: "张家港市公安局"}, 2023, "litigation_cases", 5, "line 5"}, // a name in the code column
	)
	s, err := w.Import(ctx, u)
	if err != nil || !s.Stored || s.New != 4 || s.Refused != 0 || s.BatchID == "" {
		t.Fatalf("import: %v %+v", err, s)
	}
	figs, _ := w.Figures(ctx, analytics.FigureFilter{Org: "320582-gaj", Indicator: "litigation_cases"})
	if len(figs) != 1 || figs[0].Value != 5 || figs[0].Method != fazhi.MethodUpload || figs[0].Location != "line 5" ||
		figs[0].LoadedBy != "张三（命令行）" || !figs[0].Counts {
		t.Fatalf("stored figure: %+v", figs)
	}
	b, err := w.Batch(ctx, s.BatchID)
	if err != nil || b.FileName != "a.csv" || b.SourceID != u.Source.ID || b.New != 4 {
		t.Fatalf("batch: %v %+v", err, b)
	}
}

func TestImportRefusesTheWholeFileAndNamesEveryBadRow(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadOrgs(t, w)
	for _, dry := range []bool{true, false} {
		u := upload("b.csv",
			uploadRow{jyj, 2023, "law_publicity_events", 10, "line 2"},
			uploadRow{fazhi.OrgRef{FullName: "不存在局"}, 2023, "law_publicity_events", 20, "line 3"},
			uploadRow{jyj, 2023, "law_publicity_events", 11, "line 4"},     // duplicate of line 2
			uploadRow{jyj, 2023, "litigation_cases", 4, "line 5"},          // whole
			uploadRow{jyj, 2023, "head_appearance_cases", 6, "line 6"},     // part > whole
			uploadRow{jyj, 2023, "reconsideration_cases", 1, "line 7"},     // whole
			uploadRow{jyj, 2023, "reconsideration_corrected", 2, "line 8"}, // part > whole (at_most)
		)
		u.DryRun = dry
		s, err := w.Import(ctx, u)
		if dry && err != nil || !dry && fazhi.ErrorCode(err) != fazhi.EINVALID {
			t.Fatalf("dry %v: error %v", dry, err)
		}
		if s.Stored || s.Refused != 4 || s.New != 3 || len(s.Problems) != 4 {
			t.Fatalf("dry %v: summary %+v", dry, s)
		}
		want := map[int]string{3: "不存在局", 4: "与第 2 行重复", 6: "负责人出庭应诉案件", 8: "行政复议案件"}
		for _, p := range s.Problems {
			if p.File != "b.csv" || !strings.Contains(p.Reason, want[p.Line]) {
				t.Errorf("dry %v: problem %+v, want line %d to mention %q", dry, p, p.Line, want[p.Line])
			}
		}
	}
	if figs, _ := w.Figures(ctx, analytics.FigureFilter{}); len(figs) != 0 {
		t.Fatalf("a refused file stored %d figures", len(figs))
	}
	if bs, _ := w.Batches(ctx, analytics.BatchFilter{}); len(bs) != 0 {
		t.Fatalf("a refused file recorded %d batches", len(bs))
	}
}

func TestCorrectedUploadKeepsHistoryAndRollsBack(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadOrgs(t, w)
	first := upload("v1.csv",
		uploadRow{jyj, 2023, "law_publicity_events", 10, "line 2"},
		uploadRow{jyj, 2023, "litigation_cases", 4, "line 3"})
	s1, err := w.Import(ctx, first)
	if err != nil || s1.New != 2 {
		t.Fatalf("first: %v %+v", err, s1)
	}
	again, err := w.Import(ctx, first)
	if err != nil || again.Stored || again.Unchanged != 2 || again.New+again.Updated != 0 {
		t.Fatalf("the same file again must change nothing: %v %+v", err, again)
	}
	second := upload("v2.csv", // a corrected workbook: one value changed, one new
		uploadRow{jyj, 2023, "law_publicity_events", 12, "line 2"},
		uploadRow{jyj, 2023, "litigation_cases", 4, "line 3"},
		uploadRow{jyj, 2023, "litigation_lost", 1, "line 4"})
	s2, err := w.Import(ctx, second)
	if err != nil || s2.New != 1 || s2.Updated != 1 || s2.Unchanged != 1 {
		t.Fatalf("second: %v %+v", err, s2)
	}
	figs, _ := w.Figures(ctx, analytics.FigureFilter{Indicator: "law_publicity_events"})
	if len(figs) != 1 || figs[0].Value != 12 || figs[0].SourceID != second.Source.ID {
		t.Fatalf("a corrected upload must replace the earlier one, got %+v", figs)
	}
	changes, err := w.Changes(ctx, s2.BatchID, 0)
	if err != nil || len(changes) != 1 || changes[0].Old != 10 || changes[0].New != 12 || changes[0].OldFile != "v1.csv" ||
		changes[0].ChangedBy != "张三（命令行）" || changes[0].OldBatch != s1.BatchID {
		t.Fatalf("history: %v %+v", err, changes)
	}

	if _, err := w.Rollback(ctx, s1.BatchID, "t"); fazhi.ErrorCode(err) != fazhi.ECONFLICT || !strings.Contains(err.Error(), s2.BatchID) {
		t.Fatalf("rolling back a batch a later one changed: %v", err)
	}
	b, err := w.Rollback(ctx, s2.BatchID, "李四")
	if err != nil || b.Status != fazhi.BatchRolledBack || b.RolledBackBy != "李四" {
		t.Fatalf("rollback: %v %+v", err, b)
	}
	figs, _ = w.Figures(ctx, analytics.FigureFilter{})
	got := map[string]float64{}
	for _, f := range figs {
		got[f.IndicatorCode] = f.Value
		if f.BatchID != s1.BatchID || f.SourceID != first.Source.ID {
			t.Errorf("%s: restored figure has batch %s source %s", f.IndicatorCode, f.BatchID, f.SourceID)
		}
	}
	if len(got) != 2 || got["law_publicity_events"] != 10 || got["litigation_cases"] != 4 {
		t.Fatalf("after rollback: %v, want the first file's figures back", got)
	}
	if _, err := w.Rollback(ctx, s2.BatchID, "李四"); fazhi.ErrorCode(err) != fazhi.ECONFLICT {
		t.Fatalf("rolling back twice: %v", err)
	}
	if _, err := w.Rollback(ctx, s1.BatchID, "李四"); err != nil {
		t.Fatal(err)
	}
	if figs, _ = w.Figures(ctx, analytics.FigureFilter{}); len(figs) != 0 {
		t.Fatalf("after rolling back both: %d figures", len(figs))
	}
	if src, err := w.BatchFile(ctx, s1.BatchID); err != nil || string(src.Content) != string(first.Source.Content) {
		t.Fatalf("the file of a rolled back batch stays downloadable: %v", err)
	}
	if _, err := w.Rollback(ctx, "b-nope", "t"); fazhi.ErrorCode(err) != fazhi.ENOTFOUND {
		t.Fatalf("unknown batch: %v", err)
	}
}

func TestJumpsAgainstLastYearAreStoredButFlagged(t *testing.T) {
	ctx := context.Background()
	w, _ := openTemp(t)
	loadOrgs(t, w)
	if _, err := w.Import(ctx, upload("2022.csv", uploadRow{jyj, 2022, "law_publicity_events", 10, "line 2"},
		uploadRow{jyj, 2022, "litigation_cases", 50, "line 3"})); err != nil {
		t.Fatal(err)
	}
	s, err := w.Import(ctx, upload("2023.csv",
		uploadRow{jyj, 2023, "law_publicity_events", 101, "line 2"}, // > 10× the stored 2022 figure
		uploadRow{jyj, 2023, "litigation_cases", 40, "line 3"},      // ordinary
		uploadRow{jyj, 2024, "litigation_cases", 3, "line 4"},       // < 1/10 of 2023 in the same file
		uploadRow{jyj, 2023, "penalty_amount", 5, "line 5"}))        // no previous year
	if err != nil || !s.Stored || s.New != 4 || s.Flagged != 2 || len(s.Flags) != 2 {
		t.Fatalf("import: %v %+v", err, s)
	}
	flagged := map[string]analytics.Flag{}
	for _, f := range s.Flags {
		flagged[f.Indicator+"/"+f.Location] = f
	}
	if f := flagged["law_publicity_events/line 2"]; f.Previous != 10 || f.Value != 101 || f.BatchID != s.BatchID {
		t.Errorf("flag of the jump up: %+v", f)
	}
	if f := flagged["litigation_cases/line 4"]; f.Previous != 40 || f.Year != 2024 {
		t.Errorf("flag of the drop within the file: %+v", f)
	}
	if fs, _ := w.Flags(ctx, analytics.FlagFilter{}); len(fs) != 2 || fs[0].OrgName != "张家港市教育局" {
		t.Fatalf("stored flags: %+v", fs)
	}
	if figs, _ := w.Figures(ctx, analytics.FigureFilter{Year: 2023, Indicator: "law_publicity_events"}); len(figs) != 1 || !figs[0].Counts {
		t.Fatalf("a flagged figure is stored and counts: %+v", figs)
	}
	if _, err := w.Rollback(ctx, s.BatchID, "t"); err != nil {
		t.Fatal(err)
	}
	if fs, _ := w.Flags(ctx, analytics.FlagFilter{}); len(fs) != 0 {
		t.Fatalf("flags of a rolled back batch remain: %+v", fs)
	}
}
