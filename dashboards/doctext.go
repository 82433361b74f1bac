package dashboards

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/htmlindex"
)

// Segment is a run of a document's text, either plain or one figure's quote.
type Segment struct {
	Text     string
	FigureID int64 // 0 for plain text
	Status   string
	Chosen   bool // the figure the reader came to see
}

// span is a byte range of the original file standing for one figure.
type span struct {
	start, end int
	id         int64
	status     string
}

// segmentText cuts the original bytes of a document at the figures' spans
// and decodes each piece for display: offsets are in the original encoding
// (GB18030 and Big5 reports keep their bytes), and HTML is shown as its
// text. Overlapping or out-of-range spans are skipped, never trusted.
func segmentText(original []byte, encoding string, isHTML bool, spans []span, chosen int64) []Segment {
	decode := func(b []byte) string {
		s := b
		if encoding != "" && !strings.EqualFold(encoding, "utf-8") {
			if enc, err := htmlindex.Get(encoding); err == nil {
				if out, err := io.ReadAll(enc.NewDecoder().Reader(bytes.NewReader(b))); err == nil {
					s = out
				}
			}
		}
		if !utf8.Valid(s) {
			s = bytes.ToValidUTF8(s, []byte("\uFFFD"))
		}
		if isHTML {
			return htmlText(s)
		}
		return string(s)
	}
	var out []Segment
	pos := 0
	for _, sp := range spans {
		if sp.start < pos || sp.end > len(original) || sp.end <= sp.start {
			continue
		}
		if sp.start > pos {
			out = append(out, Segment{Text: decode(original[pos:sp.start])})
		}
		out = append(out, Segment{Text: decode(original[sp.start:sp.end]), FigureID: sp.id, Status: sp.status, Chosen: sp.id == chosen})
		pos = sp.end
	}
	if pos < len(original) {
		out = append(out, Segment{Text: decode(original[pos:])})
	}
	return out
}

// blockTags end a line when HTML is shown as text.
var blockTags = map[string]bool{"p": true, "div": true, "br": true, "li": true, "tr": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "table": true, "section": true, "article": true, "title": true}

// htmlText is the readable text of an HTML fragment: tags dropped, script
// and style skipped, entities decoded, block ends as line breaks.
func htmlText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var sb strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return sb.String()
		case html.TextToken:
			if skip == 0 {
				sb.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript":
				skip++
			default:
				if blockTags[string(name)] {
					sb.WriteByte('\n')
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript":
				if skip > 0 {
					skip--
				}
			default:
				if blockTags[string(name)] {
					sb.WriteByte('\n')
				}
			}
		}
	}
}
