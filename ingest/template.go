package ingest

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"fazhi"
)

// TemplateVersion identifies the layout of the workbooks WriteTemplate
// makes. A change of layout is a new version: an upload of an older
// template is refused with a request to download a new one.
const TemplateVersion = "fazhi-template/1"

// The template's sheets, its data layout and its metadata.
const (
	TemplateSheet     = "填报表"
	templateHelpSheet = "填报说明"
	templateMetaSheet = "_fazhi"
	templateHeaderRow = 3 // 指标代码 | 指标名称 | 计量单位 | 填报数值 | 备注 | 数据来源
	templateFirstRow  = templateHeaderRow + 1

	nameVersion = "fazhi_version"
	nameOrg     = "fazhi_org"
	nameYear    = "fazhi_year"
)

// TemplateMeta is what a template says about itself, in a very hidden
// sheet and again in workbook-level defined names: which org and year it
// is for, so that an upload lands on that bureau and year and no other.
type TemplateMeta struct {
	Version string    `json:"version"`
	OrgCode string    `json:"org"`
	OrgName string    `json:"org_name"`
	Year    int       `json:"year"`
	Catalog string    `json:"catalog"`
	Created time.Time `json:"created"`
}

// TemplateFileName is the name a template is offered under.
func TemplateFileName(org fazhi.Org, year int) string {
	return fmt.Sprintf("法治指标填报_%s_%d.xlsx", baseName(org.FullName), year)
}

// WriteTemplate writes the workbook a bureau fills in for a year: one row
// per catalogue indicator (code, name, unit; value, note and source to
// fill), data validation on every value cell (numbers only, 0–100 for
// rates, whole numbers for counts), sheet protection leaving only the value,
// note and source cells editable, instructions on 填报说明, and the org and
// year in a very hidden sheet and in defined names.
func WriteTemplate(w io.Writer, cat *fazhi.Catalog, org fazhi.Org, year int) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := buildTemplate(f, cat, org, year); err != nil {
		return fmt.Errorf("template for %s %d: %w", org.Code, year, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write template for %s %d: %w", org.Code, year, err)
	}
	return nil
}

// sheetWriter collects the first error of a run of excelize calls.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (s *sheetWriter) str(cell, v string) {
	if s.err == nil {
		s.err = s.f.SetCellStr(s.sheet, cell, v)
	}
}

func (s *sheetWriter) style(from, to string, id int) {
	if s.err == nil {
		s.err = s.f.SetCellStyle(s.sheet, from, to, id)
	}
}

func (s *sheetWriter) do(err error) {
	if s.err == nil {
		s.err = err
	}
}

func cell(col string, row int) string { return col + strconv.Itoa(row) }

func buildTemplate(f *excelize.File, cat *fazhi.Catalog, org fazhi.Org, year int) error {
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", TemplateSheet); err != nil {
		return err
	}
	s := &sheetWriter{f: f, sheet: TemplateSheet}
	title := fmt.Sprintf("%s %d 年度法治政府建设指标填报表", safeText(org.FullName), year)
	s.str("A1", title)
	s.do(f.MergeCell(TemplateSheet, "A1", "F1"))
	s.style("A1", "F1", st.title)
	s.str("A2", fmt.Sprintf("填报单位：%s（编码 %s）　填报年度：%d 年　只填写白色单元格；填写前请阅读“填报说明”", safeText(org.FullName), safeText(org.Code), year))
	s.do(f.MergeCell(TemplateSheet, "A2", "F2"))
	s.style("A2", "F2", st.info)
	for i, h := range []string{"指标代码", "指标名称", "计量单位", "填报数值", "备注", "数据来源"} {
		s.str(cell(string(rune('A'+i)), templateHeaderRow), h)
	}
	s.style(cell("A", templateHeaderRow), cell("F", templateHeaderRow), st.header)

	byKind := map[string][]string{}
	row := templateFirstRow
	for _, ind := range cat.Indicators {
		s.str(cell("A", row), ind.Code)
		s.str(cell("B", row), ind.Name)
		s.str(cell("C", row), ind.Unit)
		byKind[ind.Kind] = append(byKind[ind.Kind], cell("D", row))
		row++
	}
	last := row - 1
	s.style(cell("A", templateFirstRow), cell("C", last), st.label)
	s.style(cell("D", templateFirstRow), cell("D", last), st.value)
	s.style(cell("E", templateFirstRow), cell("F", last), st.text)
	for _, c := range []struct {
		col   string
		width float64
	}{{"A", 30}, {"B", 34}, {"C", 10}, {"D", 14}, {"E", 30}, {"F", 24}} {
		s.do(f.SetColWidth(TemplateSheet, c.col, c.col, c.width))
	}
	s.do(f.SetRowHeight(TemplateSheet, 1, 28))
	s.do(f.SetPanes(TemplateSheet, &excelize.Panes{Freeze: true, YSplit: templateHeaderRow,
		TopLeftCell: cell("A", templateFirstRow), ActivePane: "bottomLeft"}))
	for _, v := range []struct {
		kind    string
		lo, hi  float64
		typ     excelize.DataValidationType
		message string
	}{
		{fazhi.KindRate, 0, 100, excelize.DataValidationTypeDecimal, "比率请填写 0–100 之间的数字（百分数，如 95.5 表示 95.5%），不带 % 和文字。"},
		{fazhi.KindCount, 0, 2147483647, excelize.DataValidationTypeWhole, "请填写非负整数，不带单位和文字。"},
		{fazhi.KindAmount, 0, 1e15, excelize.DataValidationTypeDecimal, "请填写不小于 0 的数字（单位见“计量单位”列），不带单位和文字。"},
	} {
		if len(byKind[v.kind]) == 0 {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(strings.Join(byKind[v.kind], " "))
		s.do(dv.SetRange(v.lo, v.hi, v.typ, excelize.DataValidationOperatorBetween))
		dv.SetError(excelize.DataValidationErrorStyleStop, "数值不符合要求", v.message)
		dv.SetInput("填报数值", v.message)
		s.do(f.AddDataValidation(TemplateSheet, dv))
	}
	s.do(f.ProtectSheet(TemplateSheet, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true}))
	if s.err != nil {
		return s.err
	}
	if err := writeHelp(f, cat, org, year, st); err != nil {
		return err
	}
	if err := writeMeta(f, cat, org, year); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}); err != nil {
		return err
	}
	return f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "法治指标看板", Description: TemplateVersion})
}

// templateStyles are the cell styles of a template.
type templateStyles struct{ title, info, header, label, value, text, wrap int }

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var st templateStyles
	border := []excelize.Border{{Type: "left", Color: "BFC8D2", Style: 1}, {Type: "right", Color: "BFC8D2", Style: 1},
		{Type: "top", Color: "BFC8D2", Style: 1}, {Type: "bottom", Color: "BFC8D2", Style: 1}}
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F6"}}
	unlocked := &excelize.Protection{Locked: false}
	for _, x := range []struct {
		id *int
		s  excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.info, excelize.Style{Font: &excelize.Font{Color: "616E7C"}}},
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: grey, Border: border, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.label, excelize.Style{Fill: grey, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&st.value, excelize.Style{Border: border, Protection: unlocked, NumFmt: 0}},
		{&st.text, excelize.Style{Border: border, Protection: unlocked, Alignment: &excelize.Alignment{WrapText: true}}},
		{&st.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		id, err := f.NewStyle(&x.s)
		if err != nil {
			return st, err
		}
		*x.id = id
	}
	return st, nil
}

// writeHelp writes 填报说明: how to fill the sheet and which checks an
// upload must pass.
func writeHelp(f *excelize.File, cat *fazhi.Catalog, org fazhi.Org, year int, st templateStyles) error {
	if _, err := f.NewSheet(templateHelpSheet); err != nil {
		return err
	}
	lines := []string{
		"填报说明",
		fmt.Sprintf("本模板仅用于 %s %d 年度的填报。系统按模板内记录的单位和年度入库，请勿用于其他单位或年度，也不要把数据复制到其他单位的模板中。", safeText(org.FullName), year),
		"1. 只在“填报表”的白色单元格填写：填报数值、备注、数据来源。指标代码、名称和计量单位不能修改，不要增删行或工作表。",
		"2. 数值只填数字，按“计量单位”列的单位填写，不带单位、文字或“约”“余”等字样；不要使用公式（如需计算，请“选择性粘贴 → 数值”）。",
		"3. 比率（计量单位为 %）填 0–100 之间的百分数，例如 95.5 表示 95.5%。",
		"4. 件数、人数、次数等计数填非负整数；金额不能为负。",
		"5. 本年度确实为零的填 0；无法统计或不适用的留空，并可在“备注”说明原因。",
		"6. “数据来源”写明数据出自哪里（如：年度行政执法统计台账、复议应诉案件登记簿）。",
		"7. 系统会检查：部分不能大于整体（见下表），与上年相比变化超过 10 倍或不到十分之一的数值会被标记复核。",
		"8. 填好后在法治指标看板“数据导入”页面上传本文件。可先勾选“仅检查（试导入）”查看检查结果；同一文件重复上传不会重复入库，上传修改后的文件会更新数值并保留修改记录。",
		"",
		"部分不能大于整体：",
	}
	for _, b := range cat.Bounds() {
		part, _ := cat.Indicator(b.Part)
		whole, _ := cat.Indicator(b.Whole)
		lines = append(lines, fmt.Sprintf("· %s ≤ %s（%s）", part.Name, whole.Name, b.Why))
	}
	s := &sheetWriter{f: f, sheet: templateHelpSheet}
	for i, l := range lines {
		s.str(cell("A", i+1), l)
	}
	s.do(f.SetColWidth(templateHelpSheet, "A", "A", 110))
	s.style("A2", cell("A", len(lines)), st.wrap)
	s.style("A1", "A1", st.title)
	s.do(f.ProtectSheet(templateHelpSheet, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true}))
	return s.err
}

// writeMeta records the template's identity in a very hidden sheet (not
// listed by Excel's “Unhide”) and in defined names.
func writeMeta(f *excelize.File, cat *fazhi.Catalog, org fazhi.Org, year int) error {
	if _, err := f.NewSheet(templateMetaSheet); err != nil {
		return err
	}
	s := &sheetWriter{f: f, sheet: templateMetaSheet}
	rows := [][2]string{
		{"fazhi 模板元数据，请勿修改", ""},
		{"version", TemplateVersion},
		{"org", org.Code},
		{"org_name", org.FullName},
		{"year", strconv.Itoa(year)},
		{"catalog", cat.Version},
		{"created", time.Now().UTC().Format(time.RFC3339)},
	}
	for i, r := range rows {
		s.str(cell("A", i+1), r[0])
		s.str(cell("B", i+1), r[1])
	}
	for _, n := range [][2]string{{nameVersion, TemplateVersion}, {nameOrg, org.Code}, {nameYear, strconv.Itoa(year)}} {
		s.do(f.SetDefinedName(&excelize.DefinedName{Name: n[0], RefersTo: `"` + strings.ReplaceAll(n[1], `"`, `""`) + `"`}))
	}
	s.do(f.ProtectSheet(templateMetaSheet, &excelize.SheetProtectionOptions{}))
	s.do(f.SetSheetVisible(templateMetaSheet, false, true))
	return s.err
}

// safeText neutralises text that a spreadsheet would take for a formula
// (=, +, -, @ first) when it is copied into a cell.
func safeText(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// readTemplateMeta returns the metadata of a fazhi template, nil for any
// other workbook, or an error when the metadata is there but unusable: of
// another template version, or inconsistent (the sheet and the defined
// names disagree, as when sheets are copied between workbooks).
func readTemplateMeta(wb *workbook) (*TemplateMeta, error) {
	names := map[string]string{}
	for _, dn := range wb.file.GetDefinedName() {
		if strings.HasPrefix(dn.Name, "fazhi_") && dn.Scope == "Workbook" {
			v := strings.TrimPrefix(dn.RefersTo, "=")
			v = strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(v, `"`), `"`), `""`, `"`)
			names[dn.Name] = v
		}
	}
	_, hasSheet := wb.sheets[templateMetaSheet]
	if !hasSheet && len(names) == 0 {
		return nil, nil
	}
	sheet := map[string]string{}
	if hasSheet {
		// Streamed, and only the first rows: the sheet is small unless forged.
		rows, err := wb.file.Rows(templateMetaSheet)
		if err != nil {
			return nil, fileError(wb.name, "模板元数据无法读取（%v）", err)
		}
		for n := 0; n < 20 && rows.Next(); n++ {
			if r, err := rows.Columns(); err == nil && len(r) >= 2 {
				sheet[r[0]] = r[1]
			}
		}
		rows.Close()
	}
	get := func(key, name string) string {
		v, ok := sheet[key]
		if !ok {
			v = names[name]
		}
		return v
	}
	m := &TemplateMeta{Version: get("version", nameVersion), OrgCode: get("org", nameOrg), OrgName: sheet["org_name"],
		Catalog: sheet["catalog"]}
	m.Created, _ = time.Parse(time.RFC3339, sheet["created"])
	if m.Version != TemplateVersion {
		v := m.Version
		if v == "" {
			v = "未知版本"
		}
		return nil, fileError(wb.name, "这是 %s 的填报模板，系统现用 %s：请在“数据导入”页面重新下载本单位本年度的模板，把数值抄入后再上传", v, TemplateVersion)
	}
	if hasSheet && len(names) > 0 {
		for _, k := range [][2]string{{"version", nameVersion}, {"org", nameOrg}, {"year", nameYear}} {
			if sheet[k[0]] != names[k[1]] {
				return nil, fileError(wb.name, "模板元数据不一致（%s：%q 与 %q），文件可能由几个模板拼成：请重新下载模板填写", k[0], sheet[k[0]], names[k[1]])
			}
		}
	}
	y, err := strconv.Atoi(get("year", nameYear))
	if err != nil || m.OrgCode == "" {
		return nil, fileError(wb.name, "模板元数据缺少单位或年度：请重新下载模板填写")
	}
	m.Year = y
	return m, nil
}

// readTemplate reads the filled rows of a template: every indicator row
// with a value. The org and year come from the metadata, never from cells a
// user can edit.
func readTemplate(c *collector, wb *workbook, meta TemplateMeta) error {
	name := wb.name
	if _, ok := wb.sheets[TemplateSheet]; !ok {
		return fileError(name, "模板缺少工作表“%s”：请重新下载模板填写", TemplateSheet)
	}
	if meta.Year < c.lim.MinYear || meta.Year > c.lim.MaxYear {
		return fileError(name, "模板的年度 %d 超出允许范围 %d–%d", meta.Year, c.lim.MinYear, c.lim.MaxYear)
	}
	if err := wb.refuseFormulas(TemplateSheet); err != nil {
		return err
	}
	rows, err := wb.file.Rows(TemplateSheet)
	if err != nil {
		return fileError(name, "无法读取工作表“%s”（%v）", TemplateSheet, err)
	}
	defer rows.Close()
	ref := fazhi.OrgRef{Code: meta.OrgCode}
	at := func(col string, row int) fazhi.Problem {
		return fazhi.Problem{File: name, Sheet: TemplateSheet, Cell: cell(col, row)}
	}
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return fileError(name, "%s 第 %d 行无法读取（%v）", TemplateSheet, n, err)
		}
		if n < templateFirstRow {
			continue
		}
		get := func(i int) string {
			if i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		code, unit, text, note, source := get(0), get(2), get(3), get(4), get(5)
		if text == "" {
			continue // not reported
		}
		if n-templateFirstRow >= c.lim.MaxSheetRows {
			return fileError(name, "%s 超过 %d 行的上限", TemplateSheet, c.lim.MaxSheetRows)
		}
		c.startRow()
		ind, ok := c.cat.Indicator(code)
		if !ok {
			p := at("A", n)
			p.Reason = fmt.Sprintf("指标代码“%s”不在指标目录中：请勿修改模板的指标代码列", code)
			c.refuse(p)
			continue
		}
		for _, cv := range [][2]string{{"D", text}, {"E", note}, {"F", source}} {
			if k := utf8.RuneCountInString(cv[1]); k > c.lim.MaxCellChars {
				p := at(cv[0], n)
				p.Reason = fmt.Sprintf("单元格有 %d 个字符，超过上限 %d", k, c.lim.MaxCellChars)
				c.refuse(p)
			}
		}
		value, err := figure(ind, text, unit)
		if err != nil {
			p := at("D", n)
			p.Reason = err.Error()
			c.refuse(p)
		}
		if c.bad {
			continue
		}
		c.add(ref, fazhi.Observation{Year: meta.Year, IndicatorCode: ind.Code, Value: value, Unit: ind.Unit,
			Quote: text, Location: TemplateSheet + "!" + cell("D", n), Note: joinNote(note, source)})
	}
	if err := rows.Error(); err != nil {
		return fileError(name, "工作表“%s”无法读取（%v）", TemplateSheet, err)
	}
	return nil
}
