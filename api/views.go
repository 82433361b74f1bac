package api

import (
	"context"
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

// view is a dashboard view: its page and its data (Excel, CSV, JSON), both
// built from the same query.
type view struct {
	page   func(context.Context, *analytics.Warehouse, dashboards.Query) (pageModel, error)
	export func(context.Context, *analytics.Warehouse, dashboards.Query) (*dashboards.Export, error)
}

func pageOf[P pageModel](f func(context.Context, *analytics.Warehouse, dashboards.Query) (P, error)) func(context.Context, *analytics.Warehouse, dashboards.Query) (pageModel, error) {
	return func(ctx context.Context, w *analytics.Warehouse, q dashboards.Query) (pageModel, error) {
		return f(ctx, w, q)
	}
}

// views are served at /NAME, /NAME.xlsx and /api/v1/NAME.
var views = map[string]view{
	"compare":  {pageOf(dashboards.Compare), dashboards.CompareExport},
	"index":    {pageOf(dashboards.Index), dashboards.IndexExport},
	"trend":    {pageOf(dashboards.Trend), dashboards.TrendExport},
	"coverage": {pageOf(dashboards.Coverage), dashboards.CoverageExport},
}

// viewRoutes registers the comparison views, the bureau profile, their
// Excel workbooks and their JSON/CSV API, and the Excel of the overview
// and figures pages.
func (s *Server) viewRoutes() {
	e := s.echo
	for name, v := range views {
		e.GET("/"+name, s.viewPage(v))
		e.GET("/"+name+".xlsx", s.viewExport(v, "xlsx"))
		e.GET("/api/v1/"+name, s.viewExport(v, ""))
	}
	e.POST("/index/methodologies", s.saveMethodology)
	e.GET("/api/v1/methodologies", s.listMethodologies)
	e.GET("/orgs/:code", s.orgPage)
	e.GET("/api/v1/orgs/:code", s.orgData)
	e.GET("/overview.xlsx", s.overviewData("xlsx"))
	e.GET("/api/v1/overview", s.overviewData(""))
	e.GET("/figures.xlsx", s.figuresData("xlsx"))
	e.GET("/api/v1/figures", s.figuresData(""))
}

func (s *Server) viewPage(v view) echo.HandlerFunc {
	return func(c *echo.Context) error {
		q, err := dashboards.ParseQuery(c.QueryParams())
		if err != nil {
			return err
		}
		p, err := v.page(c.Request().Context(), s.wh, q)
		if err != nil {
			return err
		}
		return page(c, p)
	}
}

func (s *Server) viewExport(v view, format string) echo.HandlerFunc {
	return func(c *echo.Context) error {
		q, err := dashboards.ParseQuery(c.QueryParams())
		if err != nil {
			return err
		}
		x, err := v.export(c.Request().Context(), s.wh, q)
		if err != nil {
			return err
		}
		return writeExport(c, x, format)
	}
}

// orgPage serves /orgs/{code} and, for a code ending in .xlsx, its workbook.
func (s *Server) orgPage(c *echo.Context) error {
	q, err := dashboards.ParseQuery(c.QueryParams())
	if err != nil {
		return err
	}
	code := c.Param("code")
	if base, ok := strings.CutSuffix(code, ".xlsx"); ok {
		x, err := dashboards.OrgExport(c.Request().Context(), s.wh, base, q)
		if err != nil {
			return err
		}
		return writeExport(c, x, "xlsx")
	}
	p, err := dashboards.Org(c.Request().Context(), s.wh, code, q)
	if err != nil {
		return err
	}
	return page(c, p)
}

func (s *Server) orgData(c *echo.Context) error {
	q, err := dashboards.ParseQuery(c.QueryParams())
	if err != nil {
		return err
	}
	x, err := dashboards.OrgExport(c.Request().Context(), s.wh, c.Param("code"), q)
	if err != nil {
		return err
	}
	return writeExport(c, x, "")
}

func (s *Server) overviewData(format string) echo.HandlerFunc {
	return func(c *echo.Context) error {
		x, err := dashboards.OverviewExport(c.Request().Context(), s.wh, c.QueryParam("indicator"))
		if err != nil {
			return err
		}
		return writeExport(c, x, format)
	}
}

func (s *Server) figuresData(format string) echo.HandlerFunc {
	return func(c *echo.Context) error {
		f, err := s.figureFilter(c)
		if err != nil {
			return err
		}
		x, err := dashboards.FiguresExport(c.Request().Context(), s.wh, f)
		if err != nil {
			return err
		}
		return writeExport(c, x, format)
	}
}

// writeExport answers with a workbook (format "xlsx"), or under /api/v1/
// with JSON or, for ?format=csv, one table as CSV (?table=key, the view's
// main table by default).
func writeExport(c *echo.Context, x *dashboards.Export, format string) error {
	ctx := c.Request().Context()
	if format == "" {
		format = c.QueryParam("format")
	}
	switch format {
	case "xlsx":
		return dashboards.WriteXLSX(ctx, onFirstWrite(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			attachment(x.FileName+".xlsx")), x)
	case "csv":
		table := 0
		if key := c.QueryParam("table"); key != "" {
			if table = x.TableIndex(key); table < 0 {
				var keys []string
				for _, t := range x.Tables {
					keys = append(keys, t.Key)
				}
				return fazhi.Errorf(fazhi.EINVALID, "没有名为 %q 的表（可选：%s）", key, strings.Join(keys, "、"))
			}
		}
		return dashboards.WriteCSV(ctx, onFirstWrite(c, "text/csv; charset=utf-8",
			attachment(x.FileName+"-"+x.Tables[table].Sheet+".csv")), x, table)
	case "", "json":
		return dashboards.WriteJSON(ctx, onFirstWrite(c, echo.MIMEApplicationJSON, ""), x)
	}
	return fazhi.Errorf(fazhi.EINVALID, "格式 %q 无效（可选 json、csv）", format)
}

// onFirstWrite sets the headers of a download when its first byte is
// written: an export that fails before that (a bad filter, a database
// error) is still answered with an error page or JSON error, not with an
// empty file.
func onFirstWrite(c *echo.Context, contentType, disposition string) io.Writer {
	return &headerWriter{w: c.Response(), contentType: contentType, disposition: disposition}
}

type headerWriter struct {
	w                        http.ResponseWriter
	contentType, disposition string
	started                  bool
}

func (h *headerWriter) Write(p []byte) (int, error) {
	if !h.started {
		h.started = true
		hd := h.w.Header()
		hd.Set(echo.HeaderContentType, h.contentType)
		if h.disposition != "" {
			hd.Set(echo.HeaderContentDisposition, h.disposition)
		}
		h.w.WriteHeader(http.StatusOK)
	}
	return h.w.Write(p)
}

// attachment is a Content-Disposition that keeps a Chinese file name
// (RFC 6266 filename*) with an ASCII fallback.
func attachment(name string) string {
	return `attachment; filename="fazhi-export` + extOf(name) + `"; filename*=UTF-8''` + url.PathEscape(name)
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// saveMethodology stores the weights form of /index as a new methodology
// version, signed by the admin who saves it, and shows the ranking it
// gives. The form was read by enforce (see policy: admins only, 64 KB).
func (s *Server) saveMethodology(c *echo.Context) error {
	r := c.Request()
	m, err := dashboards.ParseMethodology(r.PostForm)
	if err != nil {
		return err
	}
	m.CreatedBy = who(c)
	auditTarget(c, m.Name)
	saved, err := s.wh.SaveMethodology(r.Context(), m)
	if err != nil {
		return err
	}
	auditTarget(c, fmt.Sprintf("%s v%d", saved.Name, saved.Version))
	auditDetail(c, fmt.Sprintf("方法 #%d，%s标准化，%d 个领域权重、%d 个指标权重不为 1",
		saved.ID, analytics.NormLabel(saved.Norm), len(saved.Areas), len(saved.Indicators)))
	q := url.Values{"methodology": {strconv.Itoa(saved.ID)}}
	for _, k := range []string{"year", "region", "bureau_type"} {
		if v := r.PostForm.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	return c.Redirect(http.StatusSeeOther, "/index?"+q.Encode())
}

func (s *Server) listMethodologies(c *echo.Context) error {
	list, err := s.wh.Methodologies(c.Request().Context())
	if err != nil {
		return err
	}
	out := []analytics.Methodology{analytics.DefaultMethodology()}
	for _, m := range list {
		full, err := s.wh.Methodology(c.Request().Context(), m.ID)
		if err != nil {
			return err
		}
		out = append(out, full)
	}
	return c.JSON(http.StatusOK, out)
}
