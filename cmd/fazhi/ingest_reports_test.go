package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fazhi"
	"fazhi/analytics"
	"fazhi/ingest"
)

func TestIngestReportsStoresPendingFiguresOnce(t *testing.T) {
	ctx := context.Background()
	cat := fazhi.DefaultCatalog()
	wh, err := analytics.Open(ctx, filepath.Join(t.TempDir(), "db.duckdb"), cat)
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	if err := wh.UpsertOrgs(ctx, ingest.SampleOrgs()); err != nil {
		t.Fatal(err)
	}
	corpus, _ := filepath.Glob("../../ingest/testdata/corpus/*.txt")
	if len(corpus) < progressAfter {
		t.Fatalf("corpus copy missing: %v", corpus)
	}
	var out, progress bytes.Buffer
	run, err := ingestReports(ctx, wh, corpus, "", 0, "tester", false, &out, &progress)
	if err != nil {
		t.Fatal(err)
	}
	b, loads := run.Batch, run.Loads
	if b.ID == "" || b.New == 0 || len(loads) != len(corpus) || progress.Len() == 0 {
		t.Fatalf("batch %+v, %d loads, progress %q", b, len(loads), progress.String())
	}
	if !strings.Contains(out.String(), "320582-jyj") {
		t.Errorf("the 张家港市教育局 report was not filed under its org:\n%s", out.String())
	}
	docs, _ := wh.Documents(ctx)
	if len(docs) != len(corpus) {
		t.Fatalf("%d documents stored, want %d", len(docs), len(corpus))
	}
	if pts, _ := wh.Series(ctx, "law_publicity_events"); len(pts) != 0 {
		t.Fatal("extracted figures reached charts before review")
	}
	againRun, err := ingestReports(ctx, wh, corpus, "", 0, "tester", false, &out, &progress)
	again := againRun.Batch
	if err != nil || again.ID != "" || again.New != 0 {
		t.Fatalf("ingesting the same files again: %v %+v", err, again)
	}
}

func TestIngestReportsRefusesTheWholeRunOnOneBadFile(t *testing.T) {
	ctx := context.Background()
	wh, err := analytics.Open(ctx, filepath.Join(t.TempDir(), "db.duckdb"), fazhi.DefaultCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	bad := filepath.Join(dir, "empty.txt")
	os.WriteFile(good, []byte("某市教育局2020年度法治政府建设情况报告\n开展法治宣讲活动12场。"), 0o644)
	os.WriteFile(bad, nil, 0o644)
	var out bytes.Buffer
	_, err = ingestReports(ctx, wh, []string{good, bad}, "", 0, "tester", false, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "empty.txt") {
		t.Fatalf("want an error naming empty.txt, got %v", err)
	}
	if docs, _ := wh.Documents(ctx); len(docs) != 0 {
		t.Fatal("a refused run stored documents")
	}
}
