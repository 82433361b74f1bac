package ingest

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names reported in Report.Encoding.
const (
	EncodingUTF8    = "utf-8"
	EncodingUTF16LE = "utf-16le"
	EncodingUTF16BE = "utf-16be"
	EncodingGB18030 = "gb18030"
	EncodingBig5    = "big5"
)

// charsetKind says how many bytes one character takes, which is all we need
// to keep offsets exact while x/text does the decoding.
type charsetKind int

const (
	kindUTF8 charsetKind = iota
	kindUTF16LE
	kindUTF16BE
	kindGB // GB18030 and its subsets GBK / GB2312: 1, 2 or 4 bytes
	kindBig5
	kindSingleByte
)

type textEncoding struct {
	name string
	kind charsetKind
	enc  encoding.Encoding
	bom  int // length of the byte order mark to skip
}

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}

	// metaCharset finds <meta charset="gbk"> and the older
	// <meta http-equiv="Content-Type" content="text/html; charset=gb2312">.
	metaCharset = regexp.MustCompile(`(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)`)
)

// detectEncoding picks the encoding of a report: a byte order mark first, then
// a <meta charset> of an HTML page, then valid UTF-8, and otherwise whichever
// of GB18030 and Big5 decodes into more known Chinese words.
func detectEncoding(data []byte, isHTML bool) textEncoding {
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		return textEncoding{name: EncodingUTF8, kind: kindUTF8, bom: 3}
	case bytes.HasPrefix(data, utf16LEBOM):
		return textEncoding{name: EncodingUTF16LE, kind: kindUTF16LE, enc: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), bom: 2}
	case bytes.HasPrefix(data, utf16BEBOM):
		return textEncoding{name: EncodingUTF16BE, kind: kindUTF16BE, enc: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), bom: 2}
	}
	valid := utf8.Valid(data)
	if isHTML {
		if te, ok := declaredEncoding(data); ok {
			// Pages saved by crawlers often keep a stale gb2312 declaration
			// over UTF-8 bytes; multi-byte text that is valid UTF-8 is
			// almost never GBK, so valid UTF-8 wins over the declaration.
			if !(valid && hasMultiByte(data)) || te.kind == kindUTF8 {
				if te.kind != kindUTF8 || valid {
					return te
				}
			}
		}
	}
	if valid {
		return textEncoding{name: EncodingUTF8, kind: kindUTF8}
	}
	return guessChineseEncoding(data)
}

func hasMultiByte(data []byte) bool {
	for _, b := range data {
		if b >= 0x80 {
			return true
		}
	}
	return false
}

// declaredEncoding reads the charset an HTML page declares in its head.
func declaredEncoding(data []byte) (textEncoding, bool) {
	head := data[:min(len(data), 4096)]
	m := metaCharset.FindSubmatch(head)
	if m == nil {
		return textEncoding{}, false
	}
	return encodingByLabel(string(m[1]))
}

// encodingByLabel maps a charset label to one of the encodings we can keep
// offsets for.
func encodingByLabel(label string) (textEncoding, bool) {
	label = strings.ToLower(strings.TrimSpace(label))
	switch label {
	case "utf-8", "utf8":
		return textEncoding{name: EncodingUTF8, kind: kindUTF8}, true
	case "gbk", "gb2312", "gb18030", "cp936", "x-gbk", "euc-cn", "windows-936", "csgb2312":
		// GB18030 is a superset of GBK and GB2312: one decoder reads all.
		return textEncoding{name: EncodingGB18030, kind: kindGB, enc: simplifiedchinese.GB18030}, true
	case "big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5":
		return textEncoding{name: EncodingBig5, kind: kindBig5, enc: traditionalchinese.Big5}, true
	}
	enc, name := charset.Lookup(label)
	if cm, ok := enc.(*charmap.Charmap); ok {
		return textEncoding{name: name, kind: kindSingleByte, enc: cm}, true
	}
	return textEncoding{}, false
}

// guessChineseEncoding decodes a sample both ways and keeps the decode that
// reads as Chinese: known two-character words score, replacement characters
// cost. Mojibake of the other encoding rarely forms real words.
func guessChineseEncoding(data []byte) textEncoding {
	gb := textEncoding{name: EncodingGB18030, kind: kindGB, enc: simplifiedchinese.GB18030}
	big5 := textEncoding{name: EncodingBig5, kind: kindBig5, enc: traditionalchinese.Big5}
	sample := data[:min(len(data), 64<<10)]
	if chineseScore(sample, big5.enc) > chineseScore(sample, gb.enc) {
		return big5
	}
	return gb
}

func chineseScore(sample []byte, enc encoding.Encoding) int {
	decoded, _, err := transform.Bytes(enc.NewDecoder(), sample)
	if err != nil {
		return -1 << 30
	}
	lex := lexicon()
	score := 0
	var prev rune
	for _, r := range string(decoded) {
		r = foldRune(r)
		switch {
		case r == utf8.RuneError:
			score -= 20
		case prev != 0 && isHan(r):
			var pair [8]byte
			n := utf8.EncodeRune(pair[:], prev)
			n += utf8.EncodeRune(pair[n:], r)
			if lex.has(string(pair[:n])) {
				score += 2
			}
		}
		if isHan(r) {
			prev = r
		} else {
			prev = 0
		}
	}
	return score
}

// decodeText turns the original bytes into UTF-8 text mapped back to them.
func decodeText(data []byte, te textEncoding) *mappedText {
	body := data[te.bom:]
	if te.kind == kindUTF8 {
		return identityText(string(body), te.bom)
	}
	b := newTextBuilder(len(body) * 3 / 2)
	dec := te.enc.NewDecoder()
	var out [32]byte
	for i := 0; i < len(body); {
		n := charLen(te.kind, body[i:])
		if n == 1 && body[i] < 0x80 && te.kind != kindUTF16LE && te.kind != kindUTF16BE {
			b.add(rune(body[i]), te.bom+i, te.bom+i+1)
			i++
			continue
		}
		dec.Reset()
		nDst, _, err := dec.Transform(out[:], body[i:i+n], true)
		if err != nil || nDst == 0 {
			b.add(utf8.RuneError, te.bom+i, te.bom+i+n)
		} else {
			for _, r := range string(out[:nDst]) {
				b.add(r, te.bom+i, te.bom+i+n)
			}
		}
		i += n
	}
	return b.text()
}

// charLen is the byte length of the character that starts p in an encoding
// of the given kind. Malformed input yields 1 so that decoding moves on.
func charLen(kind charsetKind, p []byte) int {
	switch kind {
	case kindGB:
		if p[0] < 0x81 || p[0] == 0xFF || len(p) < 2 {
			return 1
		}
		if p[1] >= 0x30 && p[1] <= 0x39 {
			if len(p) >= 4 {
				return 4
			}
			return len(p)
		}
		return 2
	case kindBig5:
		if p[0] < 0x81 || p[0] == 0xFF || len(p) < 2 {
			return 1
		}
		return 2
	case kindUTF16LE, kindUTF16BE:
		if len(p) < 2 {
			return len(p)
		}
		hi := p[0]
		if kind == kindUTF16LE {
			hi = p[1]
		}
		if hi&0xFC == 0xD8 && len(p) >= 4 { // high surrogate: a pair follows
			return 4
		}
		return 2
	}
	return 1
}

// looksBinary refuses input that is not text: NUL bytes (outside UTF-16) or
// many control characters.
func looksBinary(data []byte, te textEncoding) bool {
	sample := data[:min(len(data), 8192)]
	if te.kind == kindUTF16LE || te.kind == kindUTF16BE {
		return false
	}
	control := 0
	for _, b := range sample {
		switch {
		case b == 0:
			return true
		case b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f':
			control++
		}
	}
	return control*20 > len(sample)
}
