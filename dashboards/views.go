package dashboards

import (
	"html/template"
	"maps"
)

// viewFuncs extends the shared template functions for the views.
var viewFuncs = func() template.FuncMap {
	f := maps.Clone(funcs)
	f["pct"] = func(v float64) string { return FormatNumber(v, "%") }
	f["score"] = func(v float64) string { return FormatNumber(v, "") }
	f["dec"] = func(n int) int { return n - 1 }
	return f
}()

// The views are registered beside the pages of render.go, each parsed with
// the layout and the parts they share (filter selects, download links,
// chart holders).
func init() {
	for _, name := range []string{"compare", "index", "trend", "org", "coverage"} {
		pages[name] = template.Must(template.New(name).Funcs(viewFuncs).
			ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/"+name+".html"))
	}
}
