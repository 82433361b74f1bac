package main

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// columns aligns tab-separated cells as text/tabwriter does (a cell ends at
// a tab; the text after a line's last tab is not aligned; two spaces between
// columns), but by the width a terminal shows: a Chinese character takes two
// columns, and tabwriter counts it as one, so a table of Chinese labels and
// org names drifts out of line.
type columns struct {
	w   io.Writer
	buf bytes.Buffer
}

func newColumns(w io.Writer) *columns { return &columns{w: w} }

func (c *columns) Write(p []byte) (int, error) { return c.buf.Write(p) }

// Flush writes the lines written so far, aligned, and forgets them.
func (c *columns) Flush() error {
	defer c.buf.Reset()
	text := strings.TrimSuffix(c.buf.String(), "\n")
	if text == "" {
		return nil
	}
	var rows [][]string
	var widths []int
	for _, line := range strings.Split(text, "\n") {
		cells := strings.Split(line, "\t")
		for i, cell := range cells[:len(cells)-1] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
		rows = append(rows, cells)
	}
	var out strings.Builder
	for _, cells := range rows {
		for i, cell := range cells {
			out.WriteString(cell)
			if i < len(cells)-1 {
				out.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		out.WriteByte('\n')
	}
	_, err := io.WriteString(c.w, out.String())
	return err
}

// displayWidth is the number of terminal columns s takes: two for wide and
// full-width characters (汉字, full-width punctuation), one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
