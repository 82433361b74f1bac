package ingest

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"time"

	"fazhi"
)

// Formats an uploaded file can be read as.
const (
	FormatTemplate = "template" // a filled fazhi template (see WriteTemplate)
	FormatSheet    = "xlsx"     // a long table in a workbook
	FormatCSV      = "csv"      // a long table in CSV
	FormatJSON     = "json"     // an array of observation objects
	FormatReport   = "report"   // a published report's text (.txt, .html): see ReadReport
)

// FormatLabel is the Chinese name of a format.
func FormatLabel(f string) string {
	switch f {
	case FormatTemplate:
		return "填报模板"
	case FormatSheet:
		return "Excel 长表"
	case FormatCSV:
		return "CSV 长表"
	case FormatJSON:
		return "JSON"
	case FormatReport:
		return "报告文本"
	}
	return f
}

// Upload is an uploaded file read into observations. What needs the
// warehouse — which org each row names, duplicates, part ≤ whole, last
// year's figures — is checked later by analytics.Warehouse.Import;
// everything else (cells, types, units, ranges, template metadata) here.
type Upload struct {
	Source   fazhi.Source
	Format   string
	Template *TemplateMeta // when the file is a filled template
	Rows     int           // data rows read, accepted or not
	// Observations[i] names the org Orgs[OrgOf[i]]; OrgCode is left empty.
	Observations []fazhi.Observation
	Orgs         []fazhi.OrgRef
	OrgOf        []int32
	Problems     []fazhi.Problem // the first Limits.MaxProblems
	Refused      int             // rows refused
	Notices      []string        // things worth knowing that refuse nothing
}

// ReadUpload reads one uploaded file: a filled template or a long table in
// .xlsx, a long table in .csv (UTF-8 with or without BOM, UTF-16 with BOM,
// or GB18030 as Excel in China saves it), or .json. The format comes from
// the name's extension, or from the content when there is none. A file
// that cannot be read at all (too large, empty, a zip bomb, formulas, a
// template of another version, no usable header…) is an EINVALID error
// naming the file; a row that cannot be read is a Problem, and the others
// are still read so that every problem is reported at once.
func ReadUpload(name string, data []byte, cat *fazhi.Catalog, lim Limits) (*Upload, error) {
	lim = lim.WithDefaults()
	name = baseName(name)
	if int64(len(data)) > lim.MaxBytes {
		return nil, fileError(name, "文件大小 %s 超过上限 %s", sizeLabel(int64(len(data))), sizeLabel(lim.MaxBytes))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileError(name, "文件为空")
	}
	format, err := formatOf(name, data)
	if err != nil {
		return nil, err
	}
	u := &Upload{Source: fazhi.Source{ID: SHA256(data), FileName: name, MediaType: mediaTypes[format],
		Size: int64(len(data)), Content: data, AddedAt: time.Now()}, Format: format}
	c := newCollector(u, cat, lim)
	switch format {
	case FormatCSV:
		err = readCSV(c, data)
	case FormatJSON:
		err = readJSON(c, data)
	default:
		err = readWorkbook(c, data)
	}
	if err != nil {
		return nil, err
	}
	if u.Rows == 0 {
		if u.Format == FormatTemplate {
			return nil, fileError(name, "模板中没有填写任何数值")
		}
		return nil, fileError(name, "文件中没有数据行")
	}
	return u, nil
}

var mediaTypes = map[string]string{
	FormatCSV:   "text/csv",
	FormatJSON:  "application/json",
	FormatSheet: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// formatOf tells the format from the extension, or sniffs the content.
func formatOf(name string, data []byte) (string, error) {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".xlsx":
		return FormatSheet, nil
	case ".csv", ".tsv":
		return FormatCSV, nil
	case ".json":
		return FormatJSON, nil
	case ".xls", ".et", ".xlsm", ".xlsb", ".ods":
		return "", fileError(name, "不支持 %s 格式：请在 Excel 或 WPS 中“另存为” .xlsx 工作簿后再上传", ext)
	case ".txt", ".html", ".htm":
		return "", fileError(name, "从报告文本（%s）中抽取数据尚未支持：请上传填报模板（.xlsx）、CSV 或 JSON", ext)
	case "":
	default:
		return "", fileError(name, "不支持 %s 文件：请上传填报模板（.xlsx）、CSV 或 JSON", ext)
	}
	switch t := bytes.TrimLeft(data, " \t\r\n\ufeff"); {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return FormatSheet, nil
	case len(t) > 0 && (t[0] == '[' || t[0] == '{'):
		return FormatJSON, nil
	}
	return FormatCSV, nil
}

// baseName keeps only the file's own name: browsers may send a full path
// (C:\fakepath\a.xlsx), and a name is shown in pages and headers.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" {
		return "upload"
	}
	return name
}

func fileError(name, format string, args ...any) error {
	return fazhi.Errorf(fazhi.EINVALID, "%s：%s", name, fmt.Sprintf(format, args...))
}

func sizeLabel(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}

// collector gathers the rows of one file: observations, the orgs they name
// (interned), problems and counts.
type collector struct {
	up      *Upload
	cat     *fazhi.Catalog
	lim     Limits
	refs    map[fazhi.OrgRef]int32
	inds    map[string]indicatorLookup
	bad     bool  // the current row was refused
	lastRef int32 // the org of the previous row
}

type indicatorLookup struct {
	ind fazhi.Indicator
	err error
}

func newCollector(u *Upload, cat *fazhi.Catalog, lim Limits) *collector {
	return &collector{up: u, cat: cat, lim: lim, refs: map[fazhi.OrgRef]int32{}, inds: map[string]indicatorLookup{}}
}

// startRow begins a data row.
func (c *collector) startRow() {
	c.up.Rows++
	c.bad = false
}

// refuse records a problem of the current row; the row counts as refused once.
func (c *collector) refuse(p fazhi.Problem) {
	if !c.bad {
		c.bad = true
		c.up.Refused++
	}
	if len(c.up.Problems) < c.lim.MaxProblems {
		c.up.Problems = append(c.up.Problems, p)
	}
}

// indicator resolves a code or name, remembering the answer: a file names
// the same few dozen indicators on every row.
func (c *collector) indicator(text string) (fazhi.Indicator, error) {
	if l, ok := c.inds[text]; ok {
		return l.ind, l.err
	}
	ind, err := c.cat.Lookup(text)
	if err != nil {
		err = fmt.Errorf("%s", fazhi.ErrorMessage(err))
	}
	c.inds[text] = indicatorLookup{ind, err}
	return ind, err
}

// add stores an accepted figure of the current row.
func (c *collector) add(ref fazhi.OrgRef, o fazhi.Observation) {
	// Rows come in runs of one org: skip hashing four strings then.
	i, ok := c.lastRef, len(c.up.Orgs) > 0 && ref == c.up.Orgs[c.lastRef]
	if !ok {
		if i, ok = c.refs[ref]; !ok {
			i = int32(len(c.up.Orgs))
			c.refs[ref] = i
			c.up.Orgs = append(c.up.Orgs, ref)
		}
		c.lastRef = i
	}
	o.Status, o.Method, o.SourceID = fazhi.StatusConfirmed, fazhi.MethodUpload, c.up.Source.ID
	c.up.Observations = append(c.up.Observations, o)
	c.up.OrgOf = append(c.up.OrgOf, i)
}

// notice records something worth telling once.
func (c *collector) notice(format string, args ...any) {
	c.up.Notices = append(c.up.Notices, fmt.Sprintf(format, args...))
}

// joinNote puts a row's note and its stated data source into one note.
func joinNote(note, source string) string {
	switch {
	case source == "":
		return note
	case note == "":
		return "数据来源：" + source
	}
	return note + "；数据来源：" + source
}
