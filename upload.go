package fazhi

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// OrgRef is an org as an uploaded file names it: by code, by full name
// (张家港市教育局), or by region and name (张家港市 + 教育局). The warehouse
// resolves it to one stored org or refuses the row.
type OrgRef struct {
	Code     string `json:"code,omitempty"`
	FullName string `json:"full_name,omitempty"`
	Region   string `json:"region,omitempty"`
	Name     string `json:"name,omitempty"`
}

// String is the reference as a user wrote it.
func (r OrgRef) String() string {
	switch {
	case r.Code != "":
		return r.Code
	case r.FullName != "":
		return r.FullName
	case r.Region != "":
		return r.Region + " " + r.Name
	}
	return r.Name
}

// Problem is one reason an uploaded file, or one of its values, is refused:
// where it is (file, sheet and cell, or line) and why, in words a bureau's
// clerk can act on.
type Problem struct {
	File   string `json:"file"`
	Sheet  string `json:"sheet,omitempty"`
	Cell   string `json:"cell,omitempty"` // e.g. D7
	Line   int    `json:"line,omitempty"` // 1-based, in a CSV or JSON file
	Reason string `json:"reason"`
}

// Where is the position of the problem: "data.xlsx 填报表!D7", "data.csv 第 12 行".
func (p Problem) Where() string {
	var b strings.Builder
	b.WriteString(p.File)
	switch {
	case p.Sheet != "" && p.Cell != "":
		fmt.Fprintf(&b, " %s!%s", p.Sheet, p.Cell)
	case p.Sheet != "":
		fmt.Fprintf(&b, " 工作表“%s”", p.Sheet)
	case p.Line > 0:
		fmt.Fprintf(&b, " 第 %d 行", p.Line)
	}
	return strings.TrimSpace(b.String())
}

func (p Problem) String() string { return p.Where() + "：" + p.Reason }

// ProblemAt places a problem at an observation's location, as readers
// write it: "Sheet!B7" for a cell, "line 12" for a line of a file.
func ProblemAt(file, location, reason string) Problem {
	p := Problem{File: file, Reason: reason}
	if i := strings.LastIndex(location, "!"); i > 0 {
		p.Sheet, p.Cell = location[:i], location[i+1:]
	} else if n, err := strconv.Atoi(strings.TrimPrefix(location, "line ")); err == nil && strings.HasPrefix(location, "line ") {
		p.Line = n
	}
	return p
}

// LocationLabel writes a location for a reader of Chinese: "line 12" as
// 第 12 行; a cell ("Sheet!B7") or a byte span as it is.
func LocationLabel(location string) string {
	if n, err := strconv.Atoi(strings.TrimPrefix(location, "line ")); err == nil && strings.HasPrefix(location, "line ") {
		return fmt.Sprintf("第 %d 行", n)
	}
	return location
}

// SortProblems puts problems in the order a clerk reads the file: those of
// the file as a whole first, then by sheet (in the order the sheets first
// appear among the problems), row and column, or by line. Readers find
// problems in one pass and the warehouse in another (an unknown org is
// only known there); the list should not read as two.
func SortProblems(ps []Problem) {
	sheets := map[string]int{"": -1}
	for _, p := range ps {
		if _, ok := sheets[p.Sheet]; !ok {
			sheets[p.Sheet] = len(sheets)
		}
	}
	type key struct{ sheet, row, col int }
	keyOf := func(p Problem) key {
		row, col := p.Line, 0
		if p.Cell != "" {
			col, row = cellCoordinates(p.Cell)
		}
		return key{sheets[p.Sheet], row, col}
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		ka, kb := keyOf(a), keyOf(b)
		return cmp.Or(cmp.Compare(ka.sheet, kb.sheet), cmp.Compare(ka.row, kb.row), cmp.Compare(ka.col, kb.col))
	})
}

// cellCoordinates reads a cell name such as "AB12" as column 28, row 12;
// anything else as 0, 0.
func cellCoordinates(cell string) (col, row int) {
	i := 0
	for ; i < len(cell) && cell[i] >= 'A' && cell[i] <= 'Z'; i++ {
		col = col*26 + int(cell[i]-'A'+1)
	}
	row, err := strconv.Atoi(cell[i:])
	if i == 0 || err != nil {
		return 0, 0
	}
	return col, row
}
