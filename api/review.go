package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
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

func (s *Server) documents(c *echo.Context) error {
	p, err := dashboards.Documents(c.Request().Context(), s.wh)
	if err != nil {
		return err
	}
	return page(c, func(b *bytes.Buffer) error { return p.Render(b) })
}

// document shows a report for review, or any other source as text.
func (s *Server) document(c *echo.Context) error {
	ctx, id := c.Request().Context(), c.Param("id")
	if dashboards.IsReport(ctx, s.wh, id) {
		chosen, _ := strconv.ParseInt(c.QueryParam("figure"), 10, 64)
		p, err := dashboards.Review(ctx, s.wh, id, chosen)
		if err != nil {
			return err
		}
		if chosen == 0 { // a chart point links with ?hl=start-end
			p.ChooseSpan(c.QueryParam("hl"))
		}
		return page(c, func(b *bytes.Buffer) error { return p.Render(b) })
	}
	p, err := dashboards.Document(ctx, s.wh, id, c.QueryParam("hl"))
	if err != nil {
		return err
	}
	return page(c, func(b *bytes.Buffer) error { return p.Render(b) })
}

// uploadReports stores the uploaded reports as one batch of pending
// figures: all files or none.
func (s *Server) uploadReports(c *echo.Context) error {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, maxReportUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return fazhi.Errorf(fazhi.EINVALID, "上传失败：文件总大小不能超过 %d MB（%v）", maxReportUpload>>20, err)
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
		loads = append(loads, load)
	}
	if len(problems) > 0 {
		return fazhi.Errorf(fazhi.EINVALID, "没有保存任何报告：%s", strings.Join(problems, "；"))
	}
	b, err := s.wh.StoreDocuments(ctx, fazhi.Batch{CreatedBy: who(c), Note: "上传报告"}, loads)
	if err != nil {
		return err
	}
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
	if err := s.wh.AssignDocument(c.Request().Context(), c.Param("id"), c.FormValue("org"), year, who(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/documents/"+url.PathEscape(c.Param("id")))
}

func (s *Server) mapLabel(c *echo.Context) error {
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
