package ingest

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"strings"
	"sync"
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

type wordSet map[string]struct{}

func (w wordSet) has(s string) bool {
	_, ok := w[s]
	return ok
}

var (
	lexiconOnce sync.Once
	lexiconSet  wordSet
)

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
	})
	return lexiconSet
}

func addWords(set wordSet, list string) {
	for line := range strings.SplitSeq(list, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
}
