// Reports: ingest reads published 法治政府建设 reports (plain text or HTML, in
// UTF-8, GB18030/GBK or Big5), cleans away page chrome and injected spam,
// reads the report's metadata and extracts every figure it states, each with
// the exact quote and byte offsets in the original file.
//
// Matching works on a folded copy of the text (simplified characters,
// half-width digits and punctuation, spam removed); quotes and offsets always
// refer to the original bytes.

package ingest

import (
	"bytes"
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"fazhi"

	"golang.org/x/text/transform"
)

// Report is a decoded, cleaned report ready for figure extraction.
type Report struct {
	Name     string `json:"file"`
	Encoding string `json:"encoding"` // EncodingUTF8, EncodingGB18030, EncodingBig5 …
	HTML     bool   `json:"html"`
	// Text is the decoded text with the original characters (HTML reduced
	// to its text, one block per line). Spam is still in it.
	Text    string    `json:"-"`
	Meta    Meta      `json:"meta"`
	Removed []Removal `json:"removed,omitempty"`

	original []byte
	enc      textEncoding
	text     *mappedText
	norm     string  // folded text without spam: what the matchers read
	normPos  []int32 // norm byte → Text byte where its character starts
	lines    []line
}

// Removal is a span of the original file left out of matching.
type Removal struct {
	Kind  string `json:"kind"` // RemovedSpam, RemovedJunk or RemovedChrome
	Quote string `json:"quote"`
	Start int    `json:"start"` // byte offsets in the original file
	End   int    `json:"end"`
}

// ReadReport decodes and cleans the report held in data. name is the file
// name: its extension tells HTML (.html, .htm) from plain text, and every
// error names it. Empty and binary input is refused with an EINVALID error.
func ReadReport(name string, data []byte) (*Report, error) {
	base := filepath.Base(name)
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))) == 0 {
		return nil, fmt.Errorf("read report %s: %w", name, fazhi.Errorf(fazhi.EINVALID, "%s 是空文件，没有可读取的报告文本 (empty file)", base))
	}
	isHTML := isHTMLName(name, data)
	enc := detectEncoding(data, isHTML)
	if looksBinary(data, enc) {
		return nil, fmt.Errorf("read report %s: %w", name, fazhi.Errorf(fazhi.EINVALID, "%s 不是文本文件 (binary content); 请提供 .txt 或 .html 报告", base))
	}
	r := &Report{Name: base, Encoding: enc.name, HTML: isHTML, original: data, enc: enc}
	r.text = decodeText(data, enc)
	if isHTML {
		r.text = htmlText(r.text)
	}
	r.Text = r.text.s
	r.normalize()
	r.Meta = r.readMeta()
	return r, nil
}

// Original returns the bytes the report was read from.
func (r *Report) Original() []byte { return r.original }

// Quote decodes the original bytes [start, end): for UTF-8 files it is
// exactly string(original[start:end]).
func (r *Report) Quote(start, end int) string {
	if start < 0 || end > len(r.original) || start >= end {
		return ""
	}
	raw := r.original[start:end]
	if r.enc.kind == kindUTF8 {
		return string(raw)
	}
	s, _, err := transform.Bytes(r.enc.enc.NewDecoder(), raw)
	if err != nil {
		return string(bytes.ToValidUTF8(raw, []byte("\uFFFD")))
	}
	return string(s)
}

// normToText maps norm bytes [a, b) to the Text bytes of their characters.
func (r *Report) normToText(a, b int) (int, int) {
	if a >= b || a < 0 || b > len(r.normPos) {
		if a >= 0 && a < len(r.normPos) {
			p := int(r.normPos[a])
			return p, p
		}
		return len(r.Text), len(r.Text)
	}
	return int(r.normPos[a]), textEnd(r.Text, int(r.normPos[b-1]))
}

// origSpan maps norm bytes [a, b) to original file offsets.
func (r *Report) origSpan(a, b int) (int, int) {
	ta, tb := r.normToText(a, b)
	return r.text.origSpan(ta, tb)
}

// plain returns the original characters of norm bytes [a, b), without the
// spam that was cut from the norm text.
func (r *Report) plain(a, b int) string {
	if a < 0 || b > len(r.norm) || a >= b {
		return ""
	}
	var out strings.Builder
	out.Grow(b - a)
	for i := a; i < b; {
		_, size := utf8.DecodeRuneInString(r.norm[i:])
		ch, _ := utf8.DecodeRuneInString(r.Text[r.normPos[i]:])
		out.WriteRune(ch)
		i += size
	}
	return out.String()
}

// evidence builds the evidence of a metadata value found at norm [a, b).
func (r *Report) evidence(value, source string, a, b int) Evidence {
	start, end := r.origSpan(a, b)
	return Evidence{Value: value, Quote: r.Quote(start, end), Start: start, End: end, Source: source}
}

func (r *Report) addRemoval(kind string, ta, tb int) {
	start, end := r.text.origSpan(ta, tb)
	if start >= end {
		return
	}
	r.Removed = append(r.Removed, Removal{Kind: kind, Quote: r.Quote(start, end), Start: start, End: end})
}

func sortRemovals(rs []Removal) {
	slices.SortStableFunc(rs, func(a, b Removal) int { return cmp.Compare(a.Start, b.Start) })
}
