package ingest

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
)

// skippedElements never hold report prose: their whole subtree is dropped.
var skippedElements = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true,
	"nav": true, "footer": true, "aside": true, "form": true, "select": true,
	"button": true, "iframe": true, "svg": true, "object": true, "canvas": true,
	"menu": true,
}

// blockElements end a line: keeping them as line breaks preserves the
// paragraphs and headings that sentence and title detection rely on.
var blockElements = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true,
	"tr": true, "table": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "section": true, "article": true, "header": true,
	"main": true, "blockquote": true, "pre": true, "hr": true, "dd": true,
	"dt": true, "dl": true, "title": true, "center": true, "tbody": true,
	"thead": true, "caption": true, "figcaption": true, "address": true,
}

// chromeClass marks containers of site chrome by their class or id.
var chromeClass = regexp.MustCompile(`(?i)(^|[\s_-])(nav|navbar|menu|breadcrumb|crumbs?|footer|share|toolbar|sidebar|topbar|header-?links)($|[\s_-])`)

// htmlText extracts the text of an HTML page, mapped back to the original
// bytes through dec (the decoded page). The <title> is kept as the first line
// because it often is the only place that names the report.
func htmlText(dec *mappedText) *mappedText {
	src := dec.s
	b := newTextBuilder(len(src))
	z := nethtml.NewTokenizer(strings.NewReader(src))
	pos := 0
	skipTag, skipDepth := "", 0
	lineBreak := func() {
		if r := b.lastRune(); r != '\n' && r != 0 {
			from, _ := dec.origSpan(min(pos, len(src)), min(pos, len(src)))
			b.add('\n', from, from)
		}
	}
	for {
		tt := z.Next()
		raw := z.Raw()
		tokStart := pos
		pos += len(raw)
		switch tt {
		case nethtml.ErrorToken:
			return b.text()
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken, nethtml.EndTagToken:
			nameBytes, hasAttr := z.TagName()
			name := string(nameBytes)
			if skipTag != "" {
				if name == skipTag {
					switch tt {
					case nethtml.StartTagToken:
						skipDepth++
					case nethtml.EndTagToken:
						skipDepth--
					}
					if skipDepth == 0 {
						skipTag = ""
					}
				}
				continue
			}
			if tt == nethtml.StartTagToken && (skippedElements[name] || hasAttr && hasChromeClass(z)) {
				if !isVoidElement(name) {
					skipTag, skipDepth = name, 1
				}
				continue
			}
			switch {
			case blockElements[name]:
				lineBreak()
			case name == "td" || name == "th":
				if tt == nethtml.StartTagToken {
					if r := b.lastRune(); r != '\n' && r != ' ' && r != 0 {
						b.add(' ', tokStart, tokStart)
					}
				}
			}
		case nethtml.TextToken:
			if skipTag != "" {
				continue
			}
			appendHTMLText(b, dec, src[tokStart:pos], tokStart)
		}
	}
}

func hasChromeClass(z *nethtml.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		if k := string(key); (k == "class" || k == "id") && chromeClass.Match(val) {
			return true
		}
		if !more {
			return false
		}
	}
}

func isVoidElement(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr":
		return true
	}
	return false
}

// appendHTMLText expands character references and collapses white space of
// one text token, keeping every character mapped to its original bytes.
func appendHTMLText(b *textBuilder, dec *mappedText, raw string, at int) {
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRuneInString(raw[i:])
		if r == '&' {
			if end := strings.IndexByte(raw[i:min(len(raw), i+12)], ';'); end > 1 {
				ref := raw[i : i+end+1]
				if exp := html.UnescapeString(ref); exp != ref {
					from, to := dec.origSpan(at+i, at+i+end+1)
					for _, er := range exp {
						addHTMLRune(b, er, from, to)
					}
					i += end + 1
					continue
				}
			}
		}
		from, to := dec.origSpan(at+i, at+i+size)
		addHTMLRune(b, r, from, to)
		i += size
	}
}

func addHTMLRune(b *textBuilder, r rune, from, to int) {
	switch r {
	case '\n', '\r', '\t', ' ', '\u00a0':
		if last := b.lastRune(); last == ' ' || last == '\n' || last == 0 {
			return
		}
		r = ' '
	}
	b.add(r, from, to)
}

// isHTMLName says whether a file name or its content marks an HTML page.
func isHTMLName(name string, data []byte) bool {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".html") || strings.HasSuffix(lower, ".htm") || strings.HasSuffix(lower, ".shtml") {
		return true
	}
	head := bytes.TrimSpace(data[:min(len(data), 512)])
	head = bytes.TrimPrefix(head, utf8BOM)
	// Lower-casing maps rune to rune, so the first 14 runes (at most 56
	// bytes) decide; the rest of the head need not be converted.
	start := strings.ToLower(string(head[:min(len(head), 14*utf8.UTFMax)]))
	return strings.HasPrefix(start, "<!doctype html") || strings.HasPrefix(start, "<html")
}
