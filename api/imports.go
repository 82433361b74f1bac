package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
	"fazhi/ingest"
)

// importRoutes registers templates, uploads, the import history and rollback.
func (s *Server) importRoutes() {
	e := s.echo
	e.GET("/templates.xlsx", s.template)
	e.GET("/imports", s.imports)
	e.POST("/imports", s.importForm, sameOrigin)
	e.GET("/imports/:id", s.importBatch)
	e.GET("/imports/:id/file", s.importFile)
	e.POST("/imports/:id/rollback", s.rollback, sameOrigin)
	e.GET("/api/v1/imports", s.apiBatches)
	e.POST("/api/v1/imports", s.apiImport, sameOrigin)
}

// uploader says who loads a batch through the web. There are no user
// accounts yet: the client's address is what is known. This is the one
// place that changes when users sign in.
func uploader(c *echo.Context) string {
	return "网页上传 " + c.RealIP()
}

// statusError gives an application error a specific HTTP status (413, 403).
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string   { return e.err.Error() }
func (e *statusError) Unwrap() error   { return e.err }
func (e *statusError) StatusCode() int { return e.status }

// sameOrigin refuses a form posted from another site: uploads and
// rollbacks change data, and a page elsewhere must not trigger them in a
// user's browser. Clients that send no Origin (curl, scripts) pass.
func sameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		r := c.Request()
		refuse := &statusError{http.StatusForbidden, fazhi.Errorf(fazhi.EINVALID, "拒绝来自其他网站的提交：请在本系统的页面上操作")}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			return refuse
		}
		if o := r.Header.Get("Origin"); o != "" {
			if u, err := url.Parse(o); err != nil || u.Host != r.Host {
				return refuse
			}
		}
		return next(c)
	}
}

// receivedFile is an uploaded file and the form's dry-run choice.
type receivedFile struct {
	name   string
	data   []byte
	dryRun bool
}

// receive reads a multipart upload (field file; field or query dry_run),
// streaming the file part and refusing it as soon as it passes the size
// limit, without spooling it to disk.
func (s *Server) receive(c *echo.Context) (receivedFile, error) {
	var f receivedFile
	max := s.limits.MaxBytes
	tooLarge := &statusError{http.StatusRequestEntityTooLarge,
		fazhi.Errorf(fazhi.EINVALID, "文件超过 %d MB 的上限：请分成几个文件上传", max>>20)}
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, max+1<<20) // the file plus the form's other fields
	mr, err := r.MultipartReader()
	if err != nil {
		return f, fazhi.Errorf(fazhi.EINVALID, "请以 multipart/form-data 表单上传文件（字段名 file）")
	}
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return f, tooLarge
		} else if err != nil {
			return f, fazhi.Errorf(fazhi.EINVALID, "上传的表单无法读取：%v", err)
		}
		switch part.FormName() {
		case "file":
			f.name = part.FileName()
			f.data, err = io.ReadAll(io.LimitReader(part, max+1))
			if errors.As(err, &mbe) || int64(len(f.data)) > max {
				return f, tooLarge
			} else if err != nil {
				return f, fazhi.Errorf(fazhi.EINVALID, "上传中断：%v", err)
			}
			found = true
		case "dry_run":
			v, _ := io.ReadAll(io.LimitReader(part, 16))
			f.dryRun = truthy(string(v))
		}
		part.Close()
	}
	if !found {
		return f, fazhi.Errorf(fazhi.EINVALID, "没有收到文件：请选择要上传的文件（表单字段 file）")
	}
	if truthy(c.QueryParam("dry_run")) {
		f.dryRun = true
	}
	return f, nil
}

func truthy(v string) bool {
	switch v {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// runImport reads a received file and imports it as one batch.
func (s *Server) runImport(c *echo.Context, f receivedFile) (analytics.ImportSummary, error) {
	who := uploader(c)
	u, err := ingest.ReadUpload(f.name, f.data, s.wh.Catalog(), s.limits)
	if err != nil {
		return analytics.ImportSummary{File: f.name, DryRun: f.dryRun, CreatedBy: who, Size: int64(len(f.data))}, err
	}
	return s.wh.Import(c.Request().Context(), uploadOf(u, who, f.dryRun))
}

// uploadOf hands what ingest read to the warehouse.
func uploadOf(u *ingest.Upload, who string, dryRun bool) analytics.Upload {
	note := ingest.FormatLabel(u.Format)
	if t := u.Template; t != nil {
		note = fmt.Sprintf("填报模板：%s %d 年度", t.OrgName, t.Year)
	}
	return analytics.Upload{Batch: fazhi.Batch{CreatedBy: who, Note: note}, Source: u.Source, Format: u.Format,
		Rows: u.Rows, Observations: u.Observations, Orgs: u.Orgs, OrgOf: u.OrgOf, Problems: u.Problems,
		Refused: u.Refused, Notices: u.Notices, DryRun: dryRun}
}

// apiImport is POST /api/v1/imports: the summary as JSON, 200 when stored
// or a clean dry run, 422 when values were refused (nothing stored; a dry
// run's problems too), 400 when the file could not be read, 413 when it is
// too large.
func (s *Server) apiImport(c *echo.Context) error {
	f, err := s.receive(c)
	if err != nil {
		return err
	}
	sum, err := s.runImport(c, f)
	switch {
	case err == nil && sum.Accepted():
		return c.JSON(http.StatusOK, sum)
	case err == nil, fazhi.ErrorCode(err) == fazhi.EINVALID && sum.Rows > 0:
		return c.JSON(http.StatusUnprocessableEntity, sum)
	}
	return err
}

// apiBatches is GET /api/v1/imports: the latest batches.
func (s *Server) apiBatches(c *echo.Context) error {
	bs, err := s.wh.Batches(c.Request().Context(), analytics.BatchFilter{Limit: 200})
	if err != nil {
		return err
	}
	if bs == nil {
		bs = []fazhi.Batch{}
	}
	return c.JSON(http.StatusOK, bs)
}

// importForm is POST /imports: the upload form; it shows the summary page.
func (s *Server) importForm(c *echo.Context) error {
	f, err := s.receive(c)
	if err != nil {
		return err
	}
	sum, err := s.runImport(c, f)
	status := http.StatusOK
	if !sum.Accepted() {
		status = http.StatusUnprocessableEntity
	}
	if err != nil {
		if fazhi.ErrorCode(err) != fazhi.EINVALID {
			return err
		}
		status = http.StatusUnprocessableEntity
		if sum.Rows == 0 {
			status = http.StatusBadRequest
		}
	}
	p := dashboards.ImportResult(s.wh.Catalog(), sum, err)
	var buf bytes.Buffer
	if err := p.Render(&buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

func (s *Server) imports(c *echo.Context) error {
	notice := ""
	if id := c.QueryParam("rolled_back"); id != "" {
		// Only a batch that was rolled back is announced: the page does not
		// repeat whatever a link says.
		if b, err := s.wh.Batch(c.Request().Context(), id); err == nil && b.Status == fazhi.BatchRolledBack {
			notice = "批次 " + b.ID + " 已撤销：它新增的数值已删除，修改过的数值已恢复为原值。"
		}
	}
	p, err := dashboards.Imports(c.Request().Context(), s.wh, notice, s.limits.MaxBytes>>20)
	if err != nil {
		return err
	}
	return page(c, func(b *bytes.Buffer) error { return p.Render(b) })
}

func (s *Server) importBatch(c *echo.Context) error {
	p, err := dashboards.BatchDetail(c.Request().Context(), s.wh, c.Param("id"))
	if err != nil {
		return err
	}
	return page(c, func(b *bytes.Buffer) error { return p.Render(b) })
}

// importFile sends the file a batch was loaded from, byte for byte.
func (s *Server) importFile(c *echo.Context) error {
	src, err := s.wh.BatchFile(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	media := src.MediaType
	if media == "" {
		media = "application/octet-stream"
	}
	return attachment(c, src.FileName, media, src.Content)
}

// rollback undoes a batch, then returns to the history page.
func (s *Server) rollback(c *echo.Context) error {
	b, err := s.wh.Rollback(c.Request().Context(), c.Param("id"), uploader(c))
	if err != nil {
		return err
	}
	s.log.Info().Str("batch", b.ID).Str("by", b.RolledBackBy).Msg("batch rolled back")
	return c.Redirect(http.StatusSeeOther, "/imports?rolled_back="+url.QueryEscape(b.ID))
}

// template is GET /templates.xlsx?org=&year=: a bureau's workbook for a year.
func (s *Server) template(c *echo.Context) error {
	ctx := c.Request().Context()
	code := c.QueryParam("org")
	if code == "" {
		return fazhi.Errorf(fazhi.EINVALID, "请选择单位（参数 org）")
	}
	year, err := strconv.Atoi(c.QueryParam("year"))
	if err != nil || year < s.limits.MinYear || year > s.limits.MaxYear {
		return fazhi.Errorf(fazhi.EINVALID, "年度 %q 无效：应为 %d–%d 之间的年份", c.QueryParam("year"), s.limits.MinYear, s.limits.MaxYear)
	}
	org, err := s.wh.Org(ctx, code)
	if err != nil {
		return err
	}
	if org.Kind != fazhi.OrgBureau {
		return fazhi.Errorf(fazhi.EINVALID, "%s 不是填报单位（局、委、办）：模板只为填报单位生成", org.FullName)
	}
	var buf bytes.Buffer
	if err := ingest.WriteTemplate(&buf, s.wh.Catalog(), org, year); err != nil {
		return err
	}
	return attachment(c, ingest.TemplateFileName(org, year), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// attachment sends bytes as a download under a (possibly Chinese) name.
func attachment(c *echo.Context, name, media string, data []byte) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, media, data)
}
