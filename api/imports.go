package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v5"

	"fazhi"
	"fazhi/analytics"
	"fazhi/dashboards"
	"fazhi/ingest"
)

// importRoutes registers templates, uploads, the import history and
// rollback. Who may use each is in policies (policy.go); a reporter's
// limits — its own org and those below it, its own batches — are checked
// here.
func (s *Server) importRoutes() {
	e := s.echo
	e.GET("/templates.xlsx", s.template)
	e.GET("/imports", s.imports)
	e.POST("/imports", s.importForm)
	e.POST("/imports/confirm", s.importConfirm)
	e.GET("/imports/:id", s.importBatch)
	e.GET("/imports/:id/file", s.importFile)
	e.POST("/imports/:id/rollback", s.rollback)
	e.GET("/api/v1/imports", s.apiBatches)
	e.POST("/api/v1/imports", s.apiImport)
}

// importFormSlack is what an upload's body may hold beyond the file: the
// form's other fields and the multipart framing.
const importFormSlack = 1 << 20

// fileTooLarge is the refusal of a file over the upload limit.
func fileTooLarge(max int64) error {
	size := strconv.FormatInt(max>>10, 10) + " KB"
	if max >= 1<<20 {
		size = strconv.FormatInt(max>>20, 10) + " MB"
	}
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "文件超过 "+size+" 的上限：请分成几个文件上传")
}

// receivedFile is an uploaded file and the form's dry-run choice.
type receivedFile struct {
	name   string
	data   []byte
	dryRun bool
}

// receive reads the uploaded file (field file; field or query dry_run) of
// the multipart form that enforce parsed within the route's body limit.
func (s *Server) receive(c *echo.Context) (receivedFile, error) {
	var f receivedFile
	r := c.Request()
	max := s.opts.Uploads.MaxBytes
	if r.MultipartForm == nil {
		return f, fazhi.Errorf(fazhi.EINVALID, "请以 multipart/form-data 表单上传文件（字段名 file）")
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 {
		return f, fazhi.Errorf(fazhi.EINVALID, "没有收到文件：请选择要上传的文件（表单字段 file）")
	}
	fh := files[0]
	if fh.Size > max {
		return f, fileTooLarge(max)
	}
	file, err := fh.Open()
	if err != nil {
		return f, fmt.Errorf("open upload %s: %w", fh.Filename, err)
	}
	defer file.Close()
	if f.data, err = io.ReadAll(io.LimitReader(file, max+1)); err != nil {
		return f, fmt.Errorf("read upload %s: %w", fh.Filename, err)
	}
	// net/http keeps only the base of the name a browser sends.
	f.name, f.dryRun = fh.Filename, truthy(r.FormValue("dry_run"))
	return f, nil
}

func truthy(v string) bool {
	switch v {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// runImport reads a received file and imports it as one batch, signed by
// the user; a reporter's rows must all be of its own org or those below it.
func (s *Server) runImport(c *echo.Context, f receivedFile) (analytics.ImportSummary, error) {
	who := who(c)
	if f.dryRun {
		auditSkip(c) // a dry run changes nothing
	}
	u, err := ingest.ReadUpload(f.name, f.data, s.wh.Catalog(), s.opts.Uploads)
	if err != nil {
		return analytics.ImportSummary{File: f.name, DryRun: f.dryRun, CreatedBy: who, Size: int64(len(f.data))}, err
	}
	up := uploadOf(u, who, f.dryRun)
	all, orgs, err := s.pendingScope(c)
	if err != nil {
		return analytics.ImportSummary{File: f.name, DryRun: f.dryRun, CreatedBy: who}, err
	}
	if !all {
		up.Scope = &analytics.OrgScope{Org: current(c).user.OrgCode, Orgs: orgs}
	}
	sum, err := s.wh.Import(c.Request().Context(), up)
	auditImport(c, sum, err)
	return sum, err
}

// auditImport says in the audit record what an upload did.
func auditImport(c *echo.Context, sum analytics.ImportSummary, err error) {
	switch {
	case err != nil:
		auditDetail(c, sum.File+"："+fazhi.ErrorMessage(err))
	case sum.Stored:
		auditTarget(c, sum.BatchID)
		auditDetail(c, fmt.Sprintf("%s：新增 %d，更新 %d，不变 %d，待复核 %d", sum.File, sum.New, sum.Updated, sum.Unchanged, sum.Flagged))
	default:
		auditDetail(c, sum.File+"：与已入库数据相同，未产生批次")
	}
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
// run's problems too), 403 when a reporter's file names another org's
// rows, 400 when the file could not be read, 413 when it is too large.
func (s *Server) apiImport(c *echo.Context) error {
	f, err := s.receive(c)
	if err != nil {
		return err
	}
	sum, err := s.runImport(c, f)
	switch {
	case err == nil && sum.Accepted():
		return c.JSON(http.StatusOK, sum)
	case sum.OutOfScope > 0:
		return c.JSON(http.StatusForbidden, sum)
	case err == nil, fazhi.ErrorCode(err) == fazhi.EINVALID && sum.Rows > 0:
		return c.JSON(http.StatusUnprocessableEntity, sum)
	}
	return err
}

// apiBatches is GET /api/v1/imports: the latest batches.
func (s *Server) apiBatches(c *echo.Context) error {
	bs, err := s.wh.Batches(c.Request().Context(), analytics.BatchFilter{CreatedBy: s.batchesOf(c), Limit: 200})
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
	return s.importPage(c, f)
}

// importConfirm is POST /imports/confirm: the import of a file that passed
// its dry run, held since (see heldUploads). It is checked and counted again:
// the warehouse may have changed in between.
func (s *Server) importConfirm(c *echo.Context) error {
	f, ok := s.held.take(who(c), c.FormValue("token"))
	if !ok {
		return echo.NewHTTPError(http.StatusGone, "试导入的文件已不在服务器上（只保留 30 分钟，且只能导入一次）：请重新上传")
	}
	f.dryRun = false
	return s.importPage(c, f)
}

// importPage imports f, or dry-runs it, and shows the summary page; after a
// dry run that passed, the page offers to import the file, held meanwhile.
func (s *Server) importPage(c *echo.Context, f receivedFile) error {
	sum, err := s.runImport(c, f)
	status := http.StatusOK
	switch {
	case err != nil && fazhi.ErrorCode(err) != fazhi.EINVALID:
		return err
	case sum.OutOfScope > 0:
		status = http.StatusForbidden
	case err != nil && sum.Rows == 0:
		status = http.StatusBadRequest
	case err != nil, !sum.Accepted():
		status = http.StatusUnprocessableEntity
	}
	p := dashboards.ImportResult(s.wh.Catalog(), sum, err)
	if f.dryRun && err == nil && sum.Accepted() && sum.New+sum.Updated > 0 {
		p.Confirm = s.held.hold(who(c), f)
	}
	return pageStatus(c, status, p)
}

// batchesOf is whose batches the request may see: "" for everyone's
// (analysts, admins), else the signed-in user's own (a reporter's).
func (s *Server) batchesOf(c *echo.Context) string {
	if s.permits(current(c), ruleReview) {
		return ""
	}
	return who(c)
}

// ownBatch refuses a batch the request may not see: a reporter sees the
// batches it imported, not other users'.
func (s *Server) ownBatch(c *echo.Context, id string) error {
	of := s.batchesOf(c)
	if of == "" {
		return nil
	}
	b, err := s.wh.Batch(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if b.CreatedBy != of {
		return echo.NewHTTPError(http.StatusForbidden, "只能查看本人导入的批次")
	}
	return nil
}

func (s *Server) imports(c *echo.Context) error {
	ctx := c.Request().Context()
	q := dashboards.ImportsQuery{MaxUploadMB: s.opts.Uploads.MaxBytes >> 20, Of: s.batchesOf(c)}
	if id := c.QueryParam("rolled_back"); id != "" {
		// Only a batch that was rolled back is announced: the page does not
		// repeat whatever a link says.
		if b, err := s.wh.Batch(ctx, id); err == nil && b.Status == fazhi.BatchRolledBack {
			q.Notice = "批次 " + b.ID + " 已撤销：它新增的数值已删除，修改过的数值已恢复为原值。"
		}
	}
	all, orgs, err := s.pendingScope(c)
	if err != nil {
		return err
	}
	if !all {
		q.Orgs = orgs
		if q.Orgs == nil {
			q.Orgs = []string{}
		}
	}
	p, err := dashboards.Imports(ctx, s.wh, q)
	if err != nil {
		return err
	}
	return page(c, p)
}

func (s *Server) importBatch(c *echo.Context) error {
	if err := s.ownBatch(c, c.Param("id")); err != nil {
		return err
	}
	p, err := dashboards.BatchDetail(c.Request().Context(), s.wh, c.Param("id"))
	if err != nil {
		return err
	}
	return page(c, p)
}

// importFile sends the file a batch was loaded from, byte for byte.
func (s *Server) importFile(c *echo.Context) error {
	if err := s.ownBatch(c, c.Param("id")); err != nil {
		return err
	}
	src, err := s.wh.BatchFile(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	media := src.MediaType
	if media == "" {
		media = "application/octet-stream"
	}
	return sendFile(c, src.FileName, media, src.Content)
}

// rollback undoes a batch (admins only, see policies), then returns to the
// history page.
func (s *Server) rollback(c *echo.Context) error {
	b, err := s.wh.Rollback(c.Request().Context(), c.Param("id"), who(c))
	if err != nil {
		return err
	}
	auditDetail(c, fmt.Sprintf("%s：删除新增 %d，恢复修改 %d", b.FileName, b.New, b.Updated))
	zerologCtx(c).Info().Str("batch", b.ID).Str("by", b.RolledBackBy).Msg("batch rolled back")
	return c.Redirect(http.StatusSeeOther, "/imports?rolled_back="+url.QueryEscape(b.ID))
}

// template is GET /templates.xlsx?org=&year=: a bureau's workbook for a year.
func (s *Server) template(c *echo.Context) error {
	ctx := c.Request().Context()
	code := c.QueryParam("org")
	if code == "" {
		return fazhi.Errorf(fazhi.EINVALID, "请选择单位（参数 org）")
	}
	if all, orgs, err := s.pendingScope(c); err != nil {
		return err
	} else if !all && !slices.Contains(orgs, code) {
		return echo.NewHTTPError(http.StatusForbidden, "只能下载本单位及下级单位的填报模板")
	}
	year, err := strconv.Atoi(c.QueryParam("year"))
	if err != nil || year < s.opts.Uploads.MinYear || year > s.opts.Uploads.MaxYear {
		return fazhi.Errorf(fazhi.EINVALID, "年度 %q 无效：应为 %d–%d 之间的年份", c.QueryParam("year"), s.opts.Uploads.MinYear, s.opts.Uploads.MaxYear)
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
	return sendFile(c, ingest.TemplateFileName(org, year), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// sendFile sends bytes as a download under a (possibly Chinese) name.
func sendFile(c *echo.Context, name, media string, data []byte) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, attachment(name))
	return c.Blob(http.StatusOK, media, data)
}
