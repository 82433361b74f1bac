package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"fazhi"
	"fazhi/analytics"
	"fazhi/api"
)

// TestReporterImportsOnlyForItsOwnOrgs: a reporter downloads templates and
// imports figures of its own org and those below it only — a file naming
// any other org is refused whole, the row named — and sees its own
// batches only; every upload (not a dry run) is in the audit log.
func TestReporterImportsOnlyForItsOwnOrgs(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	ctx := t.Context()
	reporter := signIn(t, srv, wh, fazhi.RoleReporter, "320582-jyj")
	analyst := signIn(t, srv, wh, fazhi.RoleAnalyst, "")

	if res, _ := reporter.get("/templates.xlsx?org=320582-jyj&year=2024"); res.StatusCode != http.StatusOK {
		t.Errorf("the reporter's own template: %d", res.StatusCode)
	}
	if res, body := reporter.get("/templates.xlsx?org=320582-gaj&year=2024"); res.StatusCode != http.StatusForbidden ||
		!strings.Contains(body, "只能下载本单位及下级单位的填报模板") {
		t.Errorf("another org's template: %d", res.StatusCode)
	}
	if _, page := reporter.get("/imports"); !strings.Contains(page, `value="320582-jyj"`) || strings.Contains(page, `value="320582-gaj"`) {
		t.Error("/imports offers the reporter templates of other orgs")
	}

	mixed := []byte("单位编码,年度,指标,数值\n320582-jyj,2024,litigation_cases,3\n320582-gaj,2024,litigation_cases,5\n")
	res, body := upload(t, reporter, "/api/v1/imports", "mixed.csv", mixed, nil, nil)
	var sum analytics.ImportSummary
	if res.StatusCode != http.StatusForbidden || json.Unmarshal([]byte(body), &sum) != nil || sum.Stored || sum.OutOfScope != 1 ||
		len(sum.Problems) != 1 || sum.Problems[0].Line != 3 || !strings.Contains(sum.Problems[0].Reason, "320582-gaj") {
		t.Fatalf("a reporter's file with another org's row: %d %s", res.StatusCode, body)
	}
	res, body = upload(t, reporter, "/imports", "mixed.csv", mixed, nil, nil)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "不在您的填报范围内") || !strings.Contains(body, "第 3 行") {
		t.Errorf("the same through the form: %d", res.StatusCode)
	}
	// A dry run is refused the same way and not audited.
	if res, _ := upload(t, reporter, "/api/v1/imports?dry_run=1", "mixed.csv", mixed, nil, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("dry run of another org's row: %d", res.StatusCode)
	}

	own := []byte("单位编码,年度,指标,数值\n320582-jyj,2024,litigation_cases,3\n")
	res, body = upload(t, reporter, "/api/v1/imports", "own.csv", own, nil, nil)
	var mine analytics.ImportSummary
	if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &mine) != nil || !mine.Stored || mine.CreatedBy != reporter.name {
		t.Fatalf("the reporter's own org: %d %s", res.StatusCode, body)
	}
	res, body = upload(t, analyst, "/api/v1/imports", "gaj.csv", []byte("单位编码,年度,指标,数值\n320582-gaj,2024,litigation_cases,5\n"), nil, nil)
	var theirs analytics.ImportSummary
	if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &theirs) != nil || !theirs.Stored {
		t.Fatalf("an analyst imports for any org: %d %s", res.StatusCode, body)
	}

	// The reporter sees its own batch, not the analyst's.
	_, page := reporter.get("/imports")
	if !strings.Contains(page, mine.BatchID) || strings.Contains(page, theirs.BatchID) || strings.Contains(page, "/rollback") {
		t.Error("the reporter's /imports lists other users' batches or offers rollback")
	}
	for path, want := range map[string]int{
		"/imports/" + mine.BatchID: http.StatusOK, "/imports/" + mine.BatchID + "/file": http.StatusOK,
		"/imports/" + theirs.BatchID: http.StatusForbidden, "/imports/" + theirs.BatchID + "/file": http.StatusForbidden,
	} {
		if res, _ := reporter.get(path); res.StatusCode != want {
			t.Errorf("reporter GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	_, list := reporter.get("/api/v1/imports")
	var batches []fazhi.Batch
	if json.Unmarshal([]byte(list), &batches) != nil || len(batches) != 1 || batches[0].ID != mine.BatchID {
		t.Errorf("the reporter's /api/v1/imports: %s", list)
	}
	if _, page := analyst.get("/imports"); !strings.Contains(page, mine.BatchID) || !strings.Contains(page, theirs.BatchID) {
		t.Error("the analyst does not see every batch")
	}
	if res, body := reporter.postForm("/imports/"+mine.BatchID+"/rollback", nil); res.StatusCode != http.StatusForbidden ||
		!strings.Contains(body, "没有权限") {
		t.Errorf("a reporter rolled back its batch: %d", res.StatusCode)
	}

	events, err := wh.AuditLog(ctx, analytics.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		if e.Action == "import" || e.Action == "rollback" {
			got = append(got, e.Actor+" "+e.Action+" "+e.Outcome+" "+e.Target)
		}
	}
	slices.Sort(got)
	want := []string{
		analyst.name + " import ok " + theirs.BatchID,
		reporter.name + " import denied ", // the form, then the API: 403 each
		reporter.name + " import denied ",
		reporter.name + " import ok " + mine.BatchID,
		reporter.name + " rollback denied " + mine.BatchID,
	}
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRollbackKeepsTheViewsInStep: an import and its rollback keep
// current_figures equal to the rule it materialises, and a rolled-back
// figure leaves /compare and the years list.
func TestRollbackKeepsTheViewsInStep(t *testing.T) {
	t.Parallel()
	srv, wh := newBareServer(t, api.Options{})
	ctx := t.Context()
	analyst := signIn(t, srv, wh, fazhi.RoleAnalyst, "")
	admin := signIn(t, srv, wh, fazhi.RoleAdmin, "")
	compared := func(year string) any {
		t.Helper()
		_, body := analyst.get("/api/v1/compare?year=" + year + "&indicator=law_publicity_events&region=320582")
		var x struct {
			Tables []struct{ Rows []map[string]any }
		}
		if err := json.Unmarshal([]byte(body), &x); err != nil || len(x.Tables) == 0 {
			t.Fatalf("compare %s: %v %.300s", year, err, body)
		}
		for _, r := range x.Tables[0].Rows {
			if r["org"] == "320582-jyj" {
				return r["value"]
			}
		}
		return nil
	}
	drift := func(when string) {
		t.Helper()
		if extra, missing, err := wh.CurrentDrift(ctx); err != nil || extra != 0 || missing != 0 {
			t.Errorf("%s: current_figures drifted from the rule: %d extra, %d missing (%v)", when, extra, missing, err)
		}
	}
	years := func() []int {
		t.Helper()
		ys, err := wh.Years(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ys
	}
	sample2024 := compared("2024")
	if slices.Contains(years(), 2025) {
		t.Fatal("the sample already has 2025")
	}

	csv := []byte("单位编码,年度,指标,数值\n320582-jyj,2024,law_publicity_events,4321\n320582-jyj,2025,law_publicity_events,77\n")
	res, body := upload(t, analyst, "/api/v1/imports", "new.csv", csv, nil, nil)
	var sum analytics.ImportSummary
	if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &sum) != nil || !sum.Stored {
		t.Fatalf("import: %d %s", res.StatusCode, body)
	}
	drift("after the import")
	if v := compared("2024"); v != 4321.0 {
		t.Errorf("/compare 2024 shows %v, want the uploaded 4321", v)
	}
	if v := compared("2025"); v != 77.0 || !slices.Contains(years(), 2025) {
		t.Errorf("/compare 2025 shows %v, years %v", v, years())
	}

	if res := postForm(t, admin, "/imports/"+sum.BatchID+"/rollback"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rollback: %d", res.StatusCode)
	}
	drift("after the rollback")
	if v := compared("2024"); v != sample2024 {
		t.Errorf("/compare 2024 shows %v after the rollback, want the sample's %v", v, sample2024)
	}
	if slices.Contains(years(), 2025) {
		t.Errorf("the years list keeps the rolled-back 2025: %v", years())
	}
	if _, page := analyst.get("/compare?year=2024&indicator=law_publicity_events"); strings.Contains(page, `<option value="2025"`) {
		t.Error("/compare offers the rolled-back year 2025")
	}
}
