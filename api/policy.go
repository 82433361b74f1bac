package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"

	"fazhi"
)

// rule is what a route asks of its caller.
type rule string

const (
	rulePublic   rule = "public"    // anyone: sign-in page, static assets, health check
	ruleRead     rule = "read"      // dashboards and confirmed figures: any account; anyone under --public-read
	ruleSignedIn rule = "signed_in" // one's own account: any signed-in user
	ruleUpload   rule = "upload"    // send figures and reports: reporter (for its own orgs, checked by the handler), analyst, admin
	ruleReview   rule = "review"    // decide on extracted figures: analyst, admin
	ruleExport   rule = "export"    // download views: analyst, admin
	ruleAdmin    rule = "admin"     // users, catalogue, methodology, rollback, audit log
)

// grants says which rules each role satisfies. Roles are not a ladder: a
// reporter uploads but neither reviews nor exports.
var grants = map[fazhi.Role][]rule{
	fazhi.RoleViewer:   {ruleRead, ruleSignedIn},
	fazhi.RoleReporter: {ruleRead, ruleSignedIn, ruleUpload},
	fazhi.RoleAnalyst:  {ruleRead, ruleSignedIn, ruleUpload, ruleReview, ruleExport},
	fazhi.RoleAdmin:    {ruleRead, ruleSignedIn, ruleUpload, ruleReview, ruleExport, ruleAdmin},
}

// policy is what the server enforces on one route.
type policy struct {
	rule rule
	// audit is the action recorded in the audit log for every request of
	// the route, allowed or not. Every route that changes state has one.
	audit string
	// maxBody bounds the request body; 0 means defaultMaxBody.
	maxBody int64
	// files marks a route that answers some requests with a file to take
	// away rather than with what a page shows: an Excel workbook (a path
	// ending in .xlsx) or, under /api/v1/, any ?format= other than JSON.
	// Those requests need ruleExport whatever the route's rule.
	files bool
	// importsFile marks an import upload: its body may be as large as the
	// server's upload limit (Options.Uploads, --max-upload-mb) allows.
	importsFile bool
}

// defaultMaxBody bounds the body of a request whose route names no other
// limit: forms and JSON calls are small.
const defaultMaxBody = 1 << 20

// policies maps every route, as "METHOD /registered/path", to its policy.
// A route missing here is refused to everyone (and TestEveryRouteHasAPolicy
// fails), so a route added later cannot slip through unprotected.
var policies = map[string]policy{
	// Public.
	"GET /login":   {rule: rulePublic},
	"POST /login":  {rule: rulePublic, audit: "login", maxBody: 16 << 10},
	"GET /healthz": {rule: rulePublic},
	"GET /static*": {rule: rulePublic},

	// Reading: the dashboards, and their data as JSON for scripts. The
	// views count confirmed figures only; coverage marks a figure under
	// review as pending without its value.
	"GET /":                     {rule: ruleRead},
	"GET /figures":              {rule: ruleRead}, // pending figures only to who may see them (see figureFilter)
	"GET /documents/:id":        {rule: ruleRead}, // the review page only to who may see its pending figures (see document)
	"GET /compare":              {rule: ruleRead},
	"GET /index":                {rule: ruleRead}, // the weights form only to admins (see index.html)
	"GET /trend":                {rule: ruleRead},
	"GET /coverage":             {rule: ruleRead},
	"GET /orgs/:code":           {rule: ruleRead, files: true}, // /orgs/{code}.xlsx is the profile's workbook
	"GET /api/v1/catalog":       {rule: ruleRead},
	"GET /api/v1/methodologies": {rule: ruleRead},
	"GET /api/v1/overview":      {rule: ruleRead, files: true},
	"GET /api/v1/figures":       {rule: ruleRead, files: true}, // pending figures as on /figures
	"GET /api/v1/compare":       {rule: ruleRead, files: true},
	"GET /api/v1/index":         {rule: ruleRead, files: true},
	"GET /api/v1/trend":         {rule: ruleRead, files: true},
	"GET /api/v1/coverage":      {rule: ruleRead, files: true},
	"GET /api/v1/orgs/:code":    {rule: ruleRead, files: true},

	// Exports: every view as a workbook (and, above, as CSV).
	"GET /overview.xlsx": {rule: ruleExport},
	"GET /figures.xlsx":  {rule: ruleExport}, // pending figures as on /figures
	"GET /compare.xlsx":  {rule: ruleExport},
	"GET /index.xlsx":    {rule: ruleExport},
	"GET /trend.xlsx":    {rule: ruleExport},
	"GET /coverage.xlsx": {rule: ruleExport},

	// One's own account.
	"POST /logout":           {rule: ruleSignedIn, audit: "logout"},
	"GET /account":           {rule: ruleSignedIn},
	"POST /account/password": {rule: ruleSignedIn, audit: "password_change", maxBody: 16 << 10},

	// Reports and their review.
	"GET /documents":             {rule: ruleUpload}, // a reporter sees its own orgs' reports only
	"POST /documents":            {rule: ruleUpload, audit: "upload_reports", maxBody: maxReportUpload},
	"POST /documents/:id/review": {rule: ruleReview, audit: "review"},
	"POST /documents/:id/assign": {rule: ruleReview, audit: "assign_document"},
	"POST /labels":               {rule: ruleReview, audit: "map_label"},

	// Imports of figures from templates, spreadsheets, CSV and JSON. A
	// reporter downloads templates and imports for its own org and those
	// below it only (a file naming any other org is refused whole), and
	// sees its own batches only: imports.go checks both. Dry runs change
	// nothing and are not audited.
	"GET /templates.xlsx":        {rule: ruleUpload},
	"GET /imports":               {rule: ruleUpload},
	"POST /imports":              {rule: ruleUpload, audit: "import", importsFile: true},
	"POST /imports/confirm":      {rule: ruleUpload, audit: "import"},
	"GET /imports/:id":           {rule: ruleUpload},
	"GET /imports/:id/file":      {rule: ruleUpload},
	"POST /imports/:id/rollback": {rule: ruleAdmin, audit: "rollback"},
	"GET /api/v1/imports":        {rule: ruleUpload},
	"POST /api/v1/imports":       {rule: ruleUpload, audit: "import", importsFile: true},

	// Administration.
	"GET /admin/users":                 {rule: ruleAdmin},
	"POST /admin/users":                {rule: ruleAdmin, audit: "user_add", maxBody: 16 << 10},
	"POST /admin/users/:name/password": {rule: ruleAdmin, audit: "user_password", maxBody: 16 << 10},
	"POST /admin/users/:name/disable":  {rule: ruleAdmin, audit: "user_disable", maxBody: 16 << 10},
	"POST /admin/users/:name/enable":   {rule: ruleAdmin, audit: "user_enable", maxBody: 16 << 10},
	"POST /admin/users/:name/role":     {rule: ruleAdmin, audit: "user_role", maxBody: 16 << 10},
	"GET /admin/audit":                 {rule: ruleAdmin},
	"POST /index/methodologies":        {rule: ruleAdmin, audit: "methodology", maxBody: 64 << 10},
}

// permits is true when p may use a route of rule r.
func (s *Server) permits(p *principal, r rule) bool {
	switch {
	case r == rulePublic:
		return true
	case !p.signedIn():
		return r == ruleRead && s.opts.PublicRead
	}
	for _, g := range grants[p.user.Role] {
		if g == r {
			return true
		}
	}
	return false
}

// authorize enforces the policy of the matched route: the body limit, who
// may call it, the CSRF token of a browser's state change, and the audit
// record of every state change or attempt at one.
func (s *Server) authorize(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		route := c.RouteInfo()
		if route.Path == "" {
			return next(c) // no route matched: the router answers 404 or 405
		}
		pol, ok := policies[route.Method+" "+route.Path]
		if !ok {
			zerologCtx(c).Error().Str("route", route.Method+" "+route.Path).Msg("route has no access policy: refused")
			return echo.NewHTTPError(http.StatusForbidden, "该页面尚未配置访问权限")
		}
		if pol.audit != "" {
			return s.audited(c, pol.audit, func() error { return s.enforce(c, pol, next) })
		}
		return s.enforce(c, pol, next)
	}
}

// enforce applies a route's policy, then calls its handler.
func (s *Server) enforce(c *echo.Context, pol policy, next echo.HandlerFunc) error {
	max := pol.maxBody
	if pol.importsFile {
		max = s.opts.Uploads.MaxBytes + importFormSlack
	}
	if err := s.limitRouteBody(c, pol, max); err != nil {
		return err
	}
	p := current(c)
	if p.err != nil && pol.rule != rulePublic {
		return p.err
	}
	need := pol.rule
	if pol.files && asksForFile(c) {
		need = ruleExport
	}
	if !s.permits(p, need) {
		return s.refuse(c, p, need)
	}
	if safeMethod(c.Request().Method) {
		return next(c)
	}
	// A form is read here, once, so that a body over the limit is a 413
	// whichever way the handler reads its fields.
	if err := parseForm(c.Request()); err != nil {
		return s.bodyError(pol, err)
	}
	if pol.rule != rulePublic && !p.viaToken {
		if err := checkCSRF(c, p); err != nil {
			return err
		}
	}
	return next(c)
}

// refuse answers a request its caller may not make: a stranger is asked
// to sign in (pages redirect to the sign-in form), a user is told what
// they lack.
func (s *Server) refuse(c *echo.Context, p *principal, r rule) error {
	if p.signedIn() {
		return echo.NewHTTPError(http.StatusForbidden, "没有权限："+ruleNeeds[r])
	}
	req := c.Request()
	if req.Method == http.MethodGet && !strings.HasPrefix(req.URL.Path, "/api/") {
		return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(req.URL.RequestURI()))
	}
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="fazhi"`)
	return echo.NewHTTPError(http.StatusUnauthorized, "请先登录")
}

// ruleNeeds says in Chinese who may do what a rule guards.
var ruleNeeds = map[rule]string{
	ruleRead:     "需要登录后查看",
	ruleSignedIn: "需要登录",
	ruleUpload:   "只有填报单位、分析审核人员和管理员可以上传和查看待审核数据",
	ruleReview:   "只有分析审核人员和管理员可以审核数据",
	ruleExport:   "只有分析审核人员和管理员可以导出数据",
	ruleAdmin:    "只有管理员可以进行此操作",
}

// asksForFile is true for a request of a files route that wants a file:
// a workbook, or any format but JSON (an unknown one too, so that a format
// added later is an export until said otherwise).
func asksForFile(c *echo.Context) bool {
	if strings.HasSuffix(c.Request().URL.Path, ".xlsx") {
		return true
	}
	f := c.QueryParam("format")
	return f != "" && f != "json"
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// limitRouteBody is limitBody with the route's own message.
func (s *Server) limitRouteBody(c *echo.Context, pol policy, max int64) error {
	return s.bodyError(pol, limitBody(c, max))
}

// bodyError says of an upload over the limit what the limit is on: the
// file, not the request.
func (s *Server) bodyError(pol policy, err error) error {
	var he *echo.HTTPError
	if pol.importsFile && errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
		return fileTooLarge(s.opts.Uploads.MaxBytes)
	}
	return err
}

// limitBody refuses a body larger than max (defaultMaxBody when 0) before
// reading it when its length is declared, and cuts it off at max when not.
func limitBody(c *echo.Context, max int64) error {
	if max == 0 {
		max = defaultMaxBody
	}
	r := c.Request()
	if r.ContentLength > max {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, tooLarge(max))
	}
	r.Body = http.MaxBytesReader(c.Response(), r.Body, max)
	return nil
}

func tooLarge(max int64) string {
	if max >= 1<<20 {
		return "请求过大：不能超过 " + strconv.FormatInt(max>>20, 10) + " MB"
	}
	return "请求过大：不能超过 " + strconv.FormatInt(max>>10, 10) + " KB"
}
