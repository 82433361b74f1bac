package ingest

import "time"

// Limits bound what one uploaded file may hold, so that a mistaken or
// hostile upload is refused with a clear message before it costs memory.
type Limits struct {
	MaxBytes     int64 // size of the file
	MaxRows      int   // data rows of a CSV or JSON file
	MaxSheetRows int   // data rows of a workbook
	MaxCellChars int   // characters in one cell
	// MaxUnzipped bounds the declared uncompressed size of a workbook's
	// parts, MaxRatio their compression ratio: a zip bomb is refused before
	// anything is inflated. (archive/zip refuses parts that inflate beyond
	// their declared size, so the declared sizes can be trusted.)
	MaxUnzipped int64
	MaxRatio    int64
	MinYear     int // years a figure may be for
	MaxYear     int
	MaxProblems int // problems listed; all are counted
}

// DefaultLimits are the limits of `fazhi serve` and `fazhi ingest` unless
// configured: 20 MB, a million CSV/JSON rows, 200,000 workbook rows, years
// 2000 to next year.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:     20 << 20,
		MaxRows:      1_000_000,
		MaxSheetRows: 200_000,
		MaxCellChars: 2000,
		MaxUnzipped:  512 << 20,
		MaxRatio:     200,
		MinYear:      2000,
		MaxYear:      time.Now().Year() + 1,
		MaxProblems:  500,
	}
}

// WithDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxSheetRows <= 0 {
		l.MaxSheetRows = d.MaxSheetRows
	}
	if l.MaxCellChars <= 0 {
		l.MaxCellChars = d.MaxCellChars
	}
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = d.MaxUnzipped
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MinYear == 0 {
		l.MinYear = d.MinYear
	}
	if l.MaxYear == 0 {
		l.MaxYear = d.MaxYear
	}
	if l.MaxProblems <= 0 {
		l.MaxProblems = d.MaxProblems
	}
	return l
}
