package main

import (
	"strings"
	"testing"
)

// TestColumnsAlignChineseByDisplayWidth: the column after a Chinese cell
// starts at the same terminal column on every line.
func TestColumnsAlignChineseByDisplayWidth(t *testing.T) {
	var out strings.Builder
	c := newColumns(&out)
	c.Write([]byte("LABEL\tVALUE\tQUOTE\n"))
	c.Write([]byte("法治宣讲活动\t143\t开展法治宣讲活动143场\n"))
	c.Write([]byte("ab\t2,338\tx\n"))
	c.Write([]byte("（全角）\t1\n"))
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := []string{
		"LABEL         VALUE  QUOTE",
		"法治宣讲活动  143    开展法治宣讲活动143场",
		"ab            2,338  x",
		"（全角）      1",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("table:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
	if c.Flush(); strings.Count(out.String(), "\n") != 4 {
		t.Error("a second Flush wrote the lines again")
	}
}
