package dashboards

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"

	"fazhi"
)

//go:embed templates/*.html
var templateFS embed.FS

// Page is what every page shows around its content.
type Page struct {
	Title  string
	Active string // the nav entry to mark: overview, figures, imports
	// Sample is true when generated data is on the page: a banner says so.
	Sample bool
	// Viewer is who is reading, set by the server before rendering.
	Viewer Viewer
}

// Viewer is the reader of a page as the page needs to know them: to greet
// them, offer only what they may do, and sign their forms.
type Viewer struct {
	Name        string // login name; "" when not signed in
	DisplayName string
	RoleLabel   string
	CSRF        string // the session's CSRF token, put in every POST form
	CanRead     bool   // the dashboards: any account, anyone under --public-read
	CanUpload   bool
	CanReview   bool
	CanExport   bool
	CanAdmin    bool
}

// SignedIn is true for a signed-in reader.
func (v Viewer) SignedIn() bool { return v.Name != "" }

// SetViewer tells a page who reads it. Every page model embeds Page, so
// every page has it.
func (p *Page) SetViewer(v Viewer) { p.Viewer = v }

// CSRFField is the hidden field every POST form carries: the synchronizer
// token that proves the form came from one of our pages.
func (p Page) CSRFField() template.HTML {
	return template.HTML(`<input type="hidden" name="_csrf" value="` + template.HTMLEscapeString(p.Viewer.CSRF) + `">`)
}

var funcs = template.FuncMap{
	"num": FormatNumber,
	"count": func(n any) string {
		switch n := n.(type) {
		case int:
			return FormatNumber(float64(n), "")
		case int64:
			return FormatNumber(float64(n), "")
		}
		return fmt.Sprint(n)
	},
	"value": FormatValue,
	"methodLabel": func(m fazhi.Method) string {
		return m.Label()
	},
	"statusLabel":  fazhi.Status.Label,
	"pct":          func(f float64) float64 { return 100 * f },
	"roleLabel":    func(r fazhi.Role) string { return r.Label() },
	"actionLabel":  auditActionLabel,
	"outcomeLabel": auditOutcomeLabel,
	"auditActions": func() map[string]string { return auditActions },
	"short": func(s string) string {
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
}

// pages are parsed once: each page template with the shared layout and the
// parts (parts.html) pages share.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"overview", "figures", "document", "documents", "review", "error",
		"login", "account", "users", "audit", "imports", "import_result", "import_batch"} {
		out[name] = template.Must(template.New(name).Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/"+name+".html"))
	}
	return out
}()

// render executes a page into a buffer first, so that a template error
// never leaves half a page on the wire.
func render(w io.Writer, name string, data any) error {
	t, ok := pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// ErrorPage is a user-facing error: a status and a message safe to show.
type ErrorPage struct {
	Page
	Status  int
	Message string
}

// RenderError writes the error page for a viewer.
func RenderError(w io.Writer, v Viewer, status int, message string) error {
	return render(w, "error", ErrorPage{Page: Page{Title: "出错了", Viewer: v}, Status: status, Message: message})
}
