package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExtractCommand(t *testing.T) {
	file := filepath.Join("..", "..", "ingest", "testdata", "corpus", "changshou-weijian-2022.txt")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"extract", file}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"file", "region", "bureau", "year", "indicator", "label", "value", "unit", "qualifier", "quote", "start", "end", "sentence", "confidence"} {
		if _, ok := first[key]; !ok {
			t.Errorf("jsonl lacks %q: %s", key, lines[0])
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"extract", "--format", "table", file}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "reconsideration_cases") {
		t.Fatalf("table exit %d:\n%s%s", code, out.String(), errOut.String())
	}
}

func TestExtractErrorsNameTheFile(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{empty, filepath.Join(t.TempDir(), "missing.txt")} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"extract", name}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), filepath.Base(name)) {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut.String())
		}
	}
}
