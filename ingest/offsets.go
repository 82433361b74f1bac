package ingest

import "unicode/utf8"

// mappedText is decoded text that remembers, for every byte, the byte span of
// the original file that the character came from. Reports are small (a few
// hundred kilobytes at most), so two int32 per byte is a fair price for exact
// offsets through decoding, HTML stripping and entity expansion.
//
// When the text is the original file itself (the common UTF-8 .txt case) the
// arrays stay nil and offsets are the text positions shifted by base.
type mappedText struct {
	s     string
	base  int     // identity mapping: original = base + text position
	start []int32 // original offset where the character of byte i starts
	end   []int32 // original offset where the character of byte i ends
}

// identityText maps text that is a verbatim slice of the original at base.
func identityText(s string, base int) *mappedText {
	return &mappedText{s: s, base: base}
}

// origSpan returns the original byte span of text bytes [a, b).
func (m *mappedText) origSpan(a, b int) (int, int) {
	if m.start == nil {
		return m.base + a, m.base + b
	}
	if a >= b || a < 0 || b > len(m.s) {
		if a >= 0 && a < len(m.start) {
			return int(m.start[a]), int(m.start[a])
		}
		return 0, 0
	}
	return int(m.start[a]), int(m.end[b-1])
}

// textBuilder accumulates a mappedText rune by rune.
type textBuilder struct {
	buf   []byte
	start []int32
	end   []int32
}

func newTextBuilder(capacity int) *textBuilder {
	return &textBuilder{
		buf:   make([]byte, 0, capacity),
		start: make([]int32, 0, capacity),
		end:   make([]int32, 0, capacity),
	}
}

// add appends r as coming from original bytes [from, to).
func (b *textBuilder) add(r rune, from, to int) {
	n := len(b.buf)
	b.buf = utf8.AppendRune(b.buf, r)
	for i := n; i < len(b.buf); i++ {
		b.start = append(b.start, int32(from))
		b.end = append(b.end, int32(to))
	}
}

// lastRune is the last rune written, or 0.
func (b *textBuilder) lastRune() rune {
	r, _ := utf8.DecodeLastRune(b.buf)
	if r == utf8.RuneError {
		return 0
	}
	return r
}

func (b *textBuilder) text() *mappedText {
	return &mappedText{s: string(b.buf), start: b.start, end: b.end}
}
