package dashboards

import (
	"context"
	"io"
	"unicode/utf8"

	"fazhi"
	"fazhi/analytics"
)

// DocumentPage shows a stored source with one span highlighted: where a
// chart point's figure is stated.
type DocumentPage struct {
	Page
	Source               fazhi.Source
	Before, Mark, After  string
	IsText, HasHighlight bool
}

// Document loads a source; hl is a "start-end" byte span to highlight.
func Document(ctx context.Context, w *analytics.Warehouse, id, hl string) (*DocumentPage, error) {
	src, err := w.Source(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &DocumentPage{Page: Page{Title: src.Title, Active: "figures"}, Source: src}
	if p.Title == "" {
		p.Title = src.FileName
	}
	if !utf8.Valid(src.Content) {
		return p, nil // not text this page can show; the figures page still quotes it
	}
	p.IsText = true
	text := string(src.Content)
	p.Before = text
	if start, end, ok := spanOf(hl); ok && end <= len(text) && utf8.RuneStart(text[start]) &&
		(end == len(text) || utf8.RuneStart(text[end])) {
		p.Before, p.Mark, p.After, p.HasHighlight = text[:start], text[start:end], text[end:], true
	}
	return p, nil
}

// Render writes the page.
func (p *DocumentPage) Render(w io.Writer) error { return render(w, "document", p) }
