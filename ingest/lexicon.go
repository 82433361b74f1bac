package ingest

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"strings"
	"sync"

	"fazhi"
)

// lexiconData is a list of common simplified Chinese words (two to four
// characters, one a line): the 60,000 most frequent such entries of jieba's
// dict.txt (MIT licence), gzipped. It lets the cleaner tell prose from junk
// characters that mirror sites splice into words, and the decoder tell a
// GB18030 decode from a Big5 one.
//
//go:embed lexicon.txt.gz
var lexiconData []byte

// govTermsData adds government vocabulary that a general dictionary lacks.
//
//go:embed govterms.txt
var govTermsData string

// wordSet maps a string to flags: lexWord if it is a word, lexPrefix if a
// longer word starts with it, so that a scan stops looking early.
type wordSet map[string]uint8

const (
	lexWord uint8 = 1 << iota
	lexPrefix
)

func (w wordSet) has(s string) bool { return w[s]&lexWord != 0 }

func (w wordSet) add(word string) {
	w[word] |= lexWord
	for i := range word {
		if i > 0 {
			w[word[:i]] |= lexPrefix
		}
	}
}

var (
	lexiconOnce sync.Once
	lexiconSet  wordSet
	lexiconRune runeLexicon
)

// runeLexicon holds the same words keyed by packed runes (21 bits each),
// which hashes far faster than strings in the junk scan's inner loop.
type runeLexicon struct {
	short map[uint64]uint8  // two- and three-rune strings: lexWord | lexPrefix, while building
	table wordTable         // short once built, for fast lookups
	quads map[uint64][]rune // three-rune prefix → fourth runes of words
	// pairs is a one-hash Bloom filter of the two-rune keys of short:
	// most neighbouring characters start no word, and a bit test spares
	// them the map lookup.
	pairs *[pairBits / 64]uint64
}

const pairBits = 1 << 21

func pairHash(a, b rune) uint64 { return (uint64(a)*0x9E3779B1 ^ uint64(b)) % pairBits }

// mayPair says whether some word may start with a then b.
func (rl runeLexicon) mayPair(a, b rune) bool {
	h := pairHash(a, b)
	return rl.pairs[h/64]&(1<<(h%64)) != 0
}

func packRunes(rs ...rune) uint64 {
	var k uint64
	for _, r := range rs {
		k = k<<21 | uint64(r)
	}
	return k
}

func (rl runeLexicon) add(word string) {
	rs := []rune(word)
	switch len(rs) {
	case 2, 3:
		rl.short[packRunes(rs...)] |= lexWord
		h := pairHash(rs[0], rs[1])
		rl.pairs[h/64] |= 1 << (h % 64)
		if len(rs) == 3 {
			rl.short[packRunes(rs[:2]...)] |= lexPrefix
		}
	case 4:
		h := pairHash(rs[0], rs[1])
		rl.pairs[h/64] |= 1 << (h % 64)
		k := packRunes(rs[:3]...)
		rl.quads[k] = append(rl.quads[k], rs[3])
		rl.short[k] |= lexPrefix
		rl.short[packRunes(rs[:2]...)] |= lexPrefix
	}
}

// lexicon returns the word list; a broken embedded file yields an empty set
// (junk detection then finds nothing) rather than a panic.
func lexicon() wordSet {
	lexiconOnce.Do(func() {
		lexiconSet = make(wordSet, 61000)
		if zr, err := gzip.NewReader(bytes.NewReader(lexiconData)); err == nil {
			if words, err := io.ReadAll(zr); err == nil {
				addWords(lexiconSet, string(words))
			}
		}
		addWords(lexiconSet, govTermsData)
		lexiconRune = runeLexicon{short: make(map[uint64]uint8, 90000), quads: map[uint64][]rune{}, pairs: new([pairBits / 64]uint64)}
		for w := range lexiconSet {
			if lexiconSet[w]&lexWord != 0 {
				lexiconRune.add(w)
			}
		}
		// The catalogue's names and aliases are words of report prose too.
		for _, ind := range fazhi.DefaultCatalog().Indicators {
			for _, w := range append([]string{ind.Name}, ind.Aliases...) {
				lexiconSet.add(foldString(w))
				lexiconRune.add(foldString(w))
			}
		}
		lexiconRune.table, lexiconRune.short = newWordTable(lexiconRune.short), nil
	})
	return lexiconSet
}

func addWords(set wordSet, list string) {
	for line := range strings.SplitSeq(list, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			set.add(line)
		}
	}
}

// runeWords returns the rune-keyed view of the lexicon.
func runeWords() runeLexicon {
	lexicon()
	return lexiconRune
}
