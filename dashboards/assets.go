// Package dashboards turns warehouse results into what people read: pages
// rendered with html/template, charts built with go-echarts and drawn by
// echarts served from this binary, and (later) Excel workbooks.
package dashboards

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
)

// static holds fazhi.css, fazhi.js and vendor/echarts.min.js, which
// `make build` copies from the pinned npm package (see package.json).
//
//go:embed static
var static embed.FS

// AssetsHost is where pages load echarts from: this binary's /static/vendor/.
// It is set on every go-echarts chart and page so that nothing is ever
// loaded from another host.
const AssetsHost = "/static/vendor/"

// Static is the file system served under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has the folder
	}
	return sub
}

// CheckAssets reports a binary built without `make build`, whose charts
// could not draw because echarts was not embedded.
func CheckAssets() error {
	if _, err := fs.Stat(Static(), "vendor/echarts.min.js"); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("echarts.min.js is not embedded: build with `make build` (it runs npm ci and copies node_modules/echarts/dist/echarts.min.js to dashboards/static/vendor/)")
		}
		return fmt.Errorf("check embedded assets: %w", err)
	}
	return nil
}
