package api

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
)

// maxReportUpload bounds one upload of report files.
const maxReportUpload = 20 << 20

func (s *Server) reviewRoutes() {
	s.echo.GET("/documents", s.documents)
	s.echo.POST("/documents", s.uploadReports)
	s.echo.POST("/documents/:id/review", s.reviewFigures)
	s.echo.POST("/documents/:id/assign", s.assignDocument)
	s.echo.POST("/labels", s.mapLabel)
}

// documents lists the reports the reader may follow: all of them, or a
// reporter's own orgs' and own uploads.
func (s *Server) documents(c *echo.Context) error {
	p, err := dashboards.Documents(c.Request().Context(), s.wh)
	if err != nil {
		return err
	}
	all, orgs, err := s.pendingScope(c)
	if err != nil {
		return err
	}
	if !all {
		me := current(c).user.Name
		p.Docs = slices.DeleteFunc(p.Docs, func(d analytics.Document) bool {
			return !slices.Contains(orgs, d.OrgCode) && d.CreatedBy != me
		})
		p.Orgs = slices.DeleteFunc(p.Orgs, func(o fazhi.Org) bool { return !slices.Contains(orgs, o.Code) })
	}
	return page(c, p)
}

// document shows a report with its figures under review to who may see
// them (read-only unless they may review), and any source — a report
// too, to other readers — as text with a span highlighted.
func (s *Server) document(c *echo.Context) error {
	ctx, id := c.Request().Context(), c.Param("id")
	if doc, _, err := s.wh.Document(ctx, id); err == nil {
		if ok, err := s.seesPending(c, doc.OrgCode, doc.CreatedBy); err != nil {
			return err
		} else if ok {
			chosen, _ := strconv.ParseInt(c.QueryParam("figure"), 10, 64)
			p, err := dashboards.Review(ctx, s.wh, id, chosen)
			if err != nil {
				return err
			}
			if chosen == 0 { // a chart point links with ?hl=start-end
				p.ChooseSpan(c.QueryParam("hl"))
			}
			return page(c, p)
		}
	}
	p, err := dashboards.Document(ctx, s.wh, id, c.QueryParam("hl"))
	if err != nil {
		return err
	}
	return page(c, p)
}

// uploadReports stores the uploaded reports as one batch of pending
// figures: all files or none.
func (s *Server) uploadReports(c *echo.Context) error {
	r := c.Request()
	if err := parseForm(r); err != nil { // the body limit is the route's (see policies)
		return err
	}
	if r.MultipartForm == nil {
		return fazhi.Errorf(fazhi.EINVALID, "上传须使用 multipart/form-data 表单")
	}
	org := r.FormValue("org")
	year, err := formYear(r.FormValue("year"))
	if err != nil {
		return err
	}
	files := r.MultipartForm.File["files"]
	if len(files) == 0 {
		return fazhi.Errorf(fazhi.EINVALID, "没有选择报告文件")
	}
	ctx := r.Context()
	all, scope, err := s.pendingScope(c)
	if err != nil {
		return err
	}
	if !all && org != "" && !slices.Contains(scope, org) {
		return echo.NewHTTPError(http.StatusForbidden, "只能上传本单位及下属单位的报告")
	}
	var loads []analytics.DocumentLoad
	var problems []string
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return fmt.Errorf("open upload %s: %w", fh.Filename, err)
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("read upload %s: %w", fh.Filename, err)
		}
		load, err := ReportLoad(ctx, s.wh, fh.Filename, data, org, year)
		if err != nil {
			if fazhi.ErrorCode(err) != fazhi.EINVALID {
				return err
			}
			problems = append(problems, fazhi.ErrorMessage(err))
			continue
		}
		if !all { // a reporter's report is its own org's unless it names one below it
			switch d := &load.Doc; {
			case d.OrgCode == "":
				d.OrgCode = current(c).user.OrgCode
			case !slices.Contains(scope, d.OrgCode):
				return echo.NewHTTPError(http.StatusForbidden, fmt.Sprintf("%s：报告属于其他单位（%s %s），只能上传本单位及下属单位的报告",
					load.Source.FileName, d.Region, d.Bureau))
			}
		}
		loads = append(loads, load)
	}
	if len(problems) > 0 {
		return fazhi.Errorf(fazhi.EINVALID, "没有保存任何报告：%s", strings.Join(problems, "；"))
	}
	b, err := s.wh.StoreDocuments(ctx, fazhi.Batch{CreatedBy: who(c), Note: "上传报告"}, loads)
	if err != nil {
		return err
	}
	names := make([]string, len(loads))
	for i, l := range loads {
		names[i] = l.Source.FileName
	}
	auditTarget(c, b.ID)
	auditDetail(c, fmt.Sprintf("%d 份报告（%s），新增待审核数据 %d 条", len(loads), strings.Join(names, "、"), b.New))
	for _, l := range loads {
		zerologCtx(c).Info().Str("batch", b.ID).Msg("report uploaded: " + describeLoad(l))
	}
	if len(loads) == 1 {
		return c.Redirect(http.StatusSeeOther, "/documents/"+loads[0].Source.ID)
	}
	return c.Redirect(http.StatusSeeOther, "/documents")
}

func (s *Server) reviewFigures(c *echo.Context) error {
	r := c.Request()
	if err := r.ParseForm(); err != nil {
		return fazhi.Errorf(fazhi.EINVALID, "表单无效")
	}
	d := analytics.Decision{Action: r.FormValue("action"), Who: who(c), Unit: strings.TrimSpace(r.FormValue("unit")),
		Indicator: r.FormValue("indicator"), Org: r.FormValue("org")}
	for _, v := range r.Form["ids"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fazhi.Errorf(fazhi.EINVALID, "数据编号 %q 无效", v)
		}
		d.FigureIDs = append(d.FigureIDs, id)
	}
	if v := strings.TrimSpace(r.FormValue("value")); v != "" {
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		if err != nil {
			return fazhi.Errorf(fazhi.EINVALID, "数值 %q 不是数字", v)
		}
		d.Value = &f
	}
	var err error
	if d.Year, err = formYear(r.FormValue("year")); err != nil {
		return err
	}
	if d.Action == analytics.ActionCorrect && d.Value == nil && d.Indicator == "" && d.Year == 0 && d.Org == "" && d.Unit == "" {
		return fazhi.Errorf(fazhi.EINVALID, "没有填写更正内容：请填写数值、指标、年度或单位")
	}
	ids := make([]string, len(d.FigureIDs))
	for i, id := range d.FigureIDs {
		ids[i] = "#" + strconv.FormatInt(id, 10)
	}
	auditDetail(c, d.Action+" "+strings.Join(ids, " "))
	if _, err := s.wh.Review(r.Context(), d); err != nil {
		return err
	}
	anchor := ""
	if len(d.FigureIDs) == 1 {
		anchor = "#f" + strconv.FormatInt(d.FigureIDs[0], 10)
	}
	return c.Redirect(http.StatusSeeOther, "/documents/"+url.PathEscape(c.Param("id"))+anchor)
}

func (s *Server) assignDocument(c *echo.Context) error {
	year, err := formYear(c.FormValue("year"))
	if err != nil {
		return err
	}
	if year == 0 {
		return fazhi.Errorf(fazhi.EINVALID, "请填写年度")
	}
	auditDetail(c, fmt.Sprintf("单位 %s，年度 %d", c.FormValue("org"), year))
	if err := s.wh.AssignDocument(c.Request().Context(), c.Param("id"), c.FormValue("org"), year, who(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/documents/"+url.PathEscape(c.Param("id")))
}

func (s *Server) mapLabel(c *echo.Context) error {
	auditTarget(c, c.FormValue("label"))
	auditDetail(c, "指标 "+c.FormValue("indicator"))
	if _, err := s.wh.MapLabel(c.Request().Context(), c.FormValue("label"), c.FormValue("indicator"), who(c)); err != nil {
		return err
	}
	back := c.FormValue("back")
	if !strings.HasPrefix(back, "/documents/") || strings.HasPrefix(back, "//") {
		back = "/documents" // only ever redirect within the site
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// formYear reads an optional year field.
func formYear(v string) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1949 || y > 2100 {
		return 0, fazhi.Errorf(fazhi.EINVALID, "年度 %q 无效", v)
	}
	return y, nil
}
