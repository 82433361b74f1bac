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
	Active string // the nav entry to mark: overview, figures
	// Sample is true when generated data is on the page: a banner says so.
	Sample bool
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
	"statusLabel": func(s fazhi.Status) string {
		switch s {
		case fazhi.StatusConfirmed:
			return "已确认"
		case fazhi.StatusPending:
			return "待审核"
		case fazhi.StatusRejected:
			return "已驳回"
		}
		return string(s)
	},
	"pct": func(f float64) float64 { return 100 * f },
	"short": func(s string) string {
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
}

// pages are parsed once: each page template with the shared layout.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"overview", "figures", "document", "documents", "review", "error"} {
		out[name] = template.Must(template.New(name).Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
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

// RenderError writes the error page.
func RenderError(w io.Writer, status int, message string) error {
	return render(w, "error", ErrorPage{Page: Page{Title: "出错了"}, Status: status, Message: message})
}
