package dashboards

import (
	"fmt"
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

// charted is a view whose charts are drawn once it is built: its Excel
// export reuses the build and leaves them out.
type charted interface{ charts() error }

// drawn draws the charts of a view just built, as in
// drawn(buildCompare(ctx, w, q)).
func drawn[P charted](p P, err error) (P, error) {
	if err != nil {
		return p, err
	}
	if err := p.charts(); err != nil {
		return p, fmt.Errorf("draw charts: %w", err)
	}
	return p, nil
}
